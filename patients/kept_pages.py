"""Pages kept as rendered, for re-opening, until the clinic's records change.

A clinician goes back and forth between the same few pages (home, a patient, their programme,
the outcomes), and a page stays the same until something in the clinic is written; rendering it
is most of what a page costs. So the busiest pages are kept, in each server process's memory,
under a key naming who sees them, the clinic's data version, the clinic's day, the language and
the address. Any write gives the clinic a new data version once it has committed, so a kept page
is never shown after a change:

- a save or delete of any of Legwork's records (services, commands, the shell), after commit;
- any POST/PUT/PATCH/DELETE request, after its response: that also covers the bulk updates a
  request makes, which send no signals.

Kept pages expire after LEGWORK_KEPT_PAGE_SECONDS in any case; 0 keeps nothing. A page showing
a message, or one for a superuser without a clinic, is never kept.
Why: docs/decisions/0001-kept-pages.md.
"""

import hashlib
import logging
import re
import uuid
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from simple_history.models import HistoricalChanges

# The form token belongs to one browser: a kept page holds a slot, filled in for each request.
CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
CSRF_SLOT = "__legwork_csrf_token__"
# Kept pages never outlive the server process that rendered them, even in a shared cache: a
# restart after an upgrade brings new templates.
PROCESS = uuid.uuid4().hex
WATCHED_APPS = frozenset({"patients", "programmes", "assessments"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
logger = logging.getLogger(__name__)


def kept_page(view):
    """Serve the view's page from the kept copy when nothing in the clinic changed since.

    Goes inside the access decorators, so who may see the page is checked on every request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        store = caches["pages"]
        html = store.get(key)
        if html is not None:
            return HttpResponse(html.replace(CSRF_SLOT, get_token(request)))
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            html = CSRF_VALUE.sub(rf"\g<1>{CSRF_SLOT}\g<2>", response.content.decode())
            store.set(key, html, settings.LEGWORK_KEPT_PAGE_SECONDS)
        return response

    return wrapped


def _page_key(request) -> str | None:
    user = request.user
    if (
        not settings.LEGWORK_KEPT_PAGE_SECONDS
        or request.method != "GET"
        or not user.is_authenticated
        or user.clinic_id is None
        or len(messages.get_messages(request))  # a message is for this one showing only
    ):
        return None
    parts = (
        PROCESS,
        user.pk,
        user.clinic.data_version,
        timezone.localdate().isoformat(),  # "this week", flags and due visits move with the day
        translation.get_language(),
        request.get_full_path(),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not len(messages.get_messages(request))  # the view added one: show it once
    )


def clinic_records_changed(clinic_id: int | None = None) -> None:
    """Give the clinic (every clinic when None) a new data version: its kept pages are stale.

    If that fails (the database is failing), this process's kept pages are dropped instead and
    the error is logged: the write itself has committed, and the user is not shown an error."""
    from .models import Clinic

    clinics = Clinic.objects.all() if clinic_id is None else Clinic.objects.filter(pk=clinic_id)
    try:
        clinics.update(data_version=uuid.uuid4())  # update(): no history row, no signal
    except DatabaseError:
        logger.exception("Could not renew the clinic's data version; kept pages dropped")
        caches["pages"].clear()


def _watched(sender) -> bool:
    return (
        sender._meta.app_label in WATCHED_APPS
        and not issubclass(sender, HistoricalChanges)
        and sender.__module__ != "__fake__"  # a migration's model: no server is running on it
    )


def _clinic_of(instance) -> int | None:
    """The clinic whose pages show this record; None (every clinic) when it cannot be told
    without a query, or for the shipped library rows every clinic sees."""
    if instance._meta.model_name == "clinic":
        return instance.pk
    if hasattr(instance, "clinic_id"):
        return instance.clinic_id
    for parent in ("programme", "session", "patient"):
        related = instance._state.fields_cache.get(parent)
        if related is not None:
            return _clinic_of(related)
    return None


def _renew_after_commit(clinic_id: int | None) -> None:
    connection = transaction.get_connection()
    # Once per transaction and clinic: an import saves hundreds of rows.
    for _, callback, _ in connection.run_on_commit:
        if getattr(callback, "legwork_clinic", False) == clinic_id:
            return
    callback = partial(clinic_records_changed, clinic_id)
    callback.legwork_clinic = clinic_id
    transaction.on_commit(callback, robust=True)


def record_saved_or_deleted(sender, instance, **kwargs) -> None:
    """post_save/post_delete receiver (connected in PatientsConfig.ready): once the write
    commits, the pages of the record's clinic are stale."""
    if _watched(sender):
        _renew_after_commit(_clinic_of(instance))


def record_about_to_move(sender, instance, update_fields=None, **kwargs) -> None:
    """pre_save receiver: a record moved to another clinic (the operator's admin, the shell)
    must leave its old clinic's pages too, or they would go on showing it there."""
    if (
        not _watched(sender)
        or instance.pk is None
        or not hasattr(instance, "clinic_id")
        or (update_fields is not None and "clinic" not in update_fields)
    ):
        return
    stored = sender._base_manager.filter(pk=instance.pk).values_list("clinic_id", flat=True)
    old = stored.first()
    if old is not None and old != instance.clinic_id:
        _renew_after_commit(old)


def writes_make_pages_stale(get_response):
    """Middleware: after any request that may have written, its clinic's pages are stale. The
    operator (a superuser) may write to any clinic; an anonymous request writes only through
    model saves (an activation, a password reset), which renew by themselves."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if request.method in WRITE_METHODS and user is not None and user.is_authenticated:
            clinic_records_changed(None if user.is_superuser else user.clinic_id)
        return response

    return middleware
