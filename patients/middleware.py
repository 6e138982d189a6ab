import time
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.cache import patch_cache_control

REFRESHED_KEY = "_idle_refreshed_at"


def session_idle_refresh(get_response):
    """Keep a signed-in session alive while it is used: each save moves its expiry to
    SESSION_COOKIE_AGE from now (the idle limit). Saving on every request would write to the
    database on every page; once a SESSION_REFRESH_SECONDS is enough for a 30-minute limit."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[REFRESHED_KEY] = now  # marks it modified: SessionMiddleware saves
        return response

    return middleware


def session_started_at_login(sender, request, user, **kwargs):
    """Logging in saves the session anyway, so its idle clock starts there (connected to
    user_logged_in in PatientsConfig.ready): the first page after it writes nothing."""
    request.session[REFRESHED_KEY] = int(time.time())


def clinic_time_zone(get_response):
    """Show dates and 'today' in the clinic's own time zone, not the server's."""

    def middleware(request):
        clinic = getattr(getattr(request, "user", None), "clinic", None)
        if clinic is not None:
            timezone.activate(zoneinfo.ZoneInfo(clinic.time_zone))
        else:
            timezone.deactivate()
        return get_response(request)

    return middleware


def signed_in_pages_not_stored(get_response):
    """A signed-in page holds health data: the browser must not store it, so that on a shared
    clinic PC, after logging out, Back shows the login page and not the last patient."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    return middleware
