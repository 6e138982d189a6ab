"""Middleware that guards every request before any app sees it (see MIDDLEWARE's order)."""

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string


def refuse_oversized_requests(get_response):
    """Answer 413 to a body larger than LEGWORK_MAX_REQUEST_BYTES, before it is read.

    Django reads a form's body when a view or the CSRF check first asks for it, and spools its
    files to disk past FILE_UPLOAD_MAX_MEMORY_SIZE: a 400 MB anonymous post to the login page
    would be read in full before any form could refuse it. The declared length is known before
    a byte is read. A body without one (chunked) is not read by Django at all (it reads
    CONTENT_LENGTH bytes, 0 when absent); the reverse proxy's own limit covers both (README).
    """

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django takes it: nothing is read
        if length > settings.LEGWORK_MAX_REQUEST_BYTES:
            megabytes = settings.LEGWORK_MAX_REQUEST_BYTES // (1024 * 1024)
            page = render_to_string("registration/request_too_large.html", {"mb": megabytes})
            return HttpResponse(page, status=413)
        return get_response(request)

    return middleware


def permissions_policy(get_response):
    """Permissions-Policy on every response: the browser features Legwork never uses (camera,
    microphone, location, payment, USB...) are refused to every page, so an injected script or
    frame cannot ask for them. The list is PERMISSIONS_POLICY in settings."""
    header = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def middleware(request):
        response = get_response(request)
        response.setdefault("Permissions-Policy", header)
        return response

    return middleware
