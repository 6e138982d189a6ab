"""Pages kept as rendered, for re-opening, until the clinic's records change.

A clinician goes back and forth between the same few pages (home, a patient, their programme,
the outcomes), and a page stays the same until something in the clinic is written; rendering it
is most of what a page costs. So the busiest pages are kept in the "pages" cache (each process's
memory, or one Redis for every worker and server with LEGWORK_CACHE_URL) under a key naming the
release, who sees them, the clinic's data version, the clinic's day, the language and the
address. Any write gives the clinic a new data version once it has committed, so a kept page is
never shown after a change, whichever worker or server made it:

- a save or delete of any of Legwork's records (services, commands, the admin, the shell), after
  commit: each model states the path to its clinic (`clinic_path`), so exactly that clinic;
- any POST/PUT/PATCH/DELETE request of a clinic's member, after its response: that also covers
  the bulk updates a request makes, which send no signals.

RELEASE is the code and templates being served: every server of one release shares each kept
page, and an upgrade never serves a page an older release rendered. Kept pages expire after
LEGWORK_KEPT_PAGE_SECONDS in any case; 0 keeps nothing. A page showing a message, or one for a
superuser without a clinic, is never kept. Responses say `X-Legwork-Kept: hit` or `miss`.
Why: docs/decisions/0001-kept-pages.md, docs/decisions/0007-shared-cache.md.
"""

import hashlib
import logging
import os
import re
import uuid
from functools import partial, wraps
from importlib import metadata
from pathlib import Path

from django.apps import apps
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
WATCHED_APPS = frozenset({"patients", "programmes", "assessments"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
KEPT_HEADER = "X-Legwork-Kept"
# What a page is made from, besides the installed packages: the apps' code and templates, the
# project's templates and static files (their hashed names are in the pages), the translations.
RELEASE_SUFFIXES = frozenset({".py", ".html", ".txt", ".css", ".js", ".svg", ".po", ".mo"})
logger = logging.getLogger(__name__)


def _release() -> str:
    """LEGWORK_RELEASE if set, else a digest of what renders the pages, computed once at start
    (about 2 MB read). Its contents, not the files' dates: two servers with one release agree."""
    if os.environ.get("LEGWORK_RELEASE"):
        return os.environ["LEGWORK_RELEASE"]
    digest = hashlib.sha256()
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    base = Path(settings.BASE_DIR)
    apps_here = {name.split(".")[0] for name in settings.INSTALLED_APPS} | {"config"}
    roots = [base / name for name in sorted(apps_here) if (base / name).is_dir()]
    roots += [*map(Path, settings.TEMPLATES[0]["DIRS"]), *map(Path, settings.STATICFILES_DIRS)]
    roots += [Path(path) for path in settings.LOCALE_PATHS]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in RELEASE_SUFFIXES and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(root.parent)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()


def kept_page(view):
    """Serve the view's page from the kept copy when nothing in the clinic changed since.

    Goes inside the access decorators, so who may see the page is checked on every request."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        key = _page_key(request)
        if key is None:
            return view(request, *args, **kwargs)
        store = caches["pages"]
        html = store.get(key)  # None when missing, or when a shared cache is down
        if html is not None:
            response = HttpResponse(html.replace(CSRF_SLOT, get_token(request)))
            response[KEPT_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if _keepable(request, response):
            html = CSRF_VALUE.sub(rf"\g<1>{CSRF_SLOT}\g<2>", response.content.decode())
            store.set(key, html, settings.LEGWORK_KEPT_PAGE_SECONDS)
        response[KEPT_HEADER] = "miss"
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
        user.pk,
        user.clinic.data_version,
        timezone.localdate().isoformat(),  # "this week", flags and due visits move with the day
        translation.get_language(),
        request.get_full_path(),
    )
    return f"page:{RELEASE}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def _keepable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not len(messages.get_messages(request))  # the view added one: show it once
    )


def clinic_records_changed(clinic_id: int | None = None) -> None:
    """Give the clinic a new data version: its kept pages are stale. Without a clinic, every
    clinic: for the operator after editing the database by hand (README), never for a write."""
    from .models import Clinic

    clinics = Clinic.objects.all() if clinic_id is None else Clinic.objects.filter(pk=clinic_id)
    _renew(clinics)


def _renew(clinics) -> None:
    """If that fails (the database is failing), the kept pages are dropped instead and the error
    is logged: the write itself has committed, and the user is not shown an error."""
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


def clinic_of(instance) -> tuple:
    """Where the record's clinic is, read from the record and the related rows it already holds
    (no query): ("clinic", id), or, when a step along its clinic_path is not held, ("via", model
    label, that row's id, the rest of the path), which the renewal's UPDATE follows itself.
    ("clinic", None): no clinic's pages show it (the operator's own account, a shipped row, a
    model whose clinic_path is None)."""
    if instance.clinic_path is None:
        return ("clinic", None)
    names = instance.clinic_path.split("__")
    for step, name in enumerate(names):
        field = instance._meta.get_field(name)
        value = getattr(instance, field.attname)
        if step == len(names) - 1 or value is None:
            return ("clinic", value)
        if not field.is_cached(instance):
            return ("via", field.related_model._meta.label, value, "__".join(names[step + 1 :]))
        instance = field.get_cached_value(instance)
    raise AssertionError("unreachable")


def _renew_clinic_of(place: tuple) -> None:
    from .models import Clinic

    if place[0] == "clinic":
        if place[1] is not None:
            clinic_records_changed(place[1])
        return
    _, label, pk, rest = place
    # One UPDATE ... WHERE id IN (SELECT the clinic along the path): no query before it. After a
    # delete, the row named may be gone with it: then the delete that took it renewed the clinic.
    along = apps.get_model(label)._base_manager.filter(pk=pk).values(rest)
    _renew(Clinic.objects.filter(pk__in=along))


def _renew_after_commit(place: tuple, using: str | None) -> None:
    """Once the transaction commits, and once per clinic however many rows it wrote (an import
    saves hundreds). Each write registers its own callback (a savepoint rolled back discards
    those made inside it); the first to run for a place renews it, the others find it done."""
    connection = transaction.get_connection(using)
    owed = connection.__dict__.setdefault("legwork_pages_owed", set())
    owed.add(place)
    transaction.on_commit(partial(_renew_once, owed, place), using=using, robust=True)


def _renew_once(owed: set, place: tuple) -> None:
    if place in owed:
        owed.discard(place)
        _renew_clinic_of(place)


def record_saved_or_deleted(sender, instance, using=None, **kwargs) -> None:
    """post_save/post_delete receiver (connected in PatientsConfig.ready): once the write
    commits, the pages of the record's clinic are stale."""
    if _watched(sender):
        _renew_after_commit(clinic_of(instance), using)
        if "clinic_id" in instance.__dict__:
            instance._legwork_clinic_at_load = instance.clinic_id


def record_loaded(sender, instance, **kwargs) -> None:
    """post_init receiver, for the models the operator can move to another clinic in the admin
    (MOVABLE): remember the clinic the record was read with."""
    instance._legwork_clinic_at_load = instance.__dict__.get("clinic_id")


def record_about_to_move(sender, instance, using=None, **kwargs) -> None:
    """pre_save receiver: a record moved to another clinic (the operator's admin, the shell)
    must leave its old clinic's pages too, or they would go on showing it there. The old clinic
    is the one it was read with: no query."""
    old = instance.__dict__.get("_legwork_clinic_at_load")
    if _watched(sender) and old is not None and old != instance.__dict__.get("clinic_id"):
        _renew_after_commit(("clinic", old), using)


# The records with a clinic of their own that the operator can change in the admin (the other
# records' admins are read-only, and the services never move a record between clinics).
MOVABLE = ("patients.Patient", "patients.User")


def writes_make_pages_stale(get_response):
    """Middleware: after any request that may have written, its clinic's pages are stale. The
    operator (a superuser without a clinic) writes in the admin, through saves and deletes that
    renew the clinic of each record; an anonymous request writes only through model saves (an
    activation, a password reset), which renew by themselves."""

    def middleware(request):
        response = get_response(request)
        user = getattr(request, "user", None)
        if (
            request.method in WRITE_METHODS
            and user is not None
            and user.is_authenticated
            and user.clinic_id is not None
        ):
            clinic_records_changed(user.clinic_id)
        return response

    return middleware
