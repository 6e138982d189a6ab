"""Opening a page's form and submitting it with the test client, and what the database holds
before and after: shared by tests/test_edit_round_trip.py and tests/test_hostile_input.py."""

import traceback
from contextlib import contextmanager

from django.apps import apps
from django.contrib.messages import constants, get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import connection
from django.forms import BaseForm, BaseFormSet

from tests.forms_in_pages import the_form

TRACKED_APPS = ("patients", "programmes", "assessments")
# Not values a form writes: the kept pages' counter (renewed after commit, tests never commit)
# and the time of the last log-in (written by the tests' own force_login).
IGNORED_FIELDS = {("patients", "Clinic"): {"data_version"}, ("patients", "User"): {"last_login"}}


def tracked_models():
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label in TRACKED_APPS and not m._meta.proxy and m._meta.managed
    ]


def history_models():
    return [m for m in apps.get_models() if m.__name__.startswith("Historical")]


def row_counts() -> dict[str, int]:
    """The number of rows of each table of the apps and of every history table (one query)."""
    models = sorted({*tracked_models(), *history_models()}, key=lambda m: m._meta.label)
    quote = connection.ops.quote_name
    # Table names from the models, quoted: nothing from outside.
    counts = ", ".join(f"(SELECT COUNT(*) FROM {quote(m._meta.db_table)})" for m in models)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608
        found = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, found, strict=True)}


def history_counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in history_models()}


def rows() -> dict[str, dict]:
    """Every stored value of the apps' own tables (history aside): label -> {pk: {field: value}}."""
    found = {}
    for model in tracked_models():
        if model.__name__.startswith("Historical"):
            continue
        ignored = IGNORED_FIELDS.get((model._meta.app_label, model.__name__), set())
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in ignored]
        found[model._meta.label] = {
            row["pk"]: row for row in model._default_manager.values("pk", *names)
        }
    return found


def count_changes(before: dict, after: dict) -> list[str]:
    return [
        f"{label}: {before.get(label)} -> {after.get(label)} rows"
        for label in sorted(set(before) | set(after))
        if before.get(label) != after.get(label)
    ]


def row_changes(before: dict, after: dict) -> list[str]:
    changes = []
    for label in sorted(set(before) | set(after)):
        old, new = before.get(label, {}), after.get(label, {})
        for pk in sorted(set(old) | set(new), key=str):
            if pk not in new:
                changes.append(f"{label} {pk}: deleted")
            elif pk not in old:
                changes.append(f"{label} {pk}: added {new[pk]}")
            else:
                for name in old[pk]:
                    if old[pk][name] != new[pk][name]:
                        changes.append(
                            f"{label} {pk} {name}: {old[pk][name]!r} -> {new[pk][name]!r}"
                        )
    return changes


@contextmanager
def server_errors():
    """The exceptions the views raised (the client answers them with a 500 page)."""
    caught = []

    def record(sender, request=None, **kwargs):
        caught.append(traceback.format_exc(limit=-6))

    got_request_exception.connect(record, weak=False)
    try:
        yield caught
    finally:
        got_request_exception.disconnect(record)


def log_in(client, user) -> bool:
    """Log the setup's user in (again, when a post logged them out or changed their session).
    True when it did (logging in writes the user's row)."""
    if user is None or client.session.get("_auth_user_id") == str(user.pk):
        return False
    client.force_login(user)
    return True


def open_form(client, setup):
    """Open the page as its user, follow its redirects, and read the form a browser would."""
    client.raise_request_exception = False
    log_in(client, setup.user)
    response = client.get(setup.url, follow=True)
    assert response.status_code == 200, (setup.url, response.status_code)
    request = response.wsgi_request
    page = request.build_absolute_uri()
    html = response.content.decode()
    form = the_form(html, page, method=setup.method, action=setup.action)
    if setup.send_to:
        form.action = request.build_absolute_uri(setup.send_to)
    return form


def filled(form, setup) -> dict[str, list[str]]:
    """The page's values, with what the setup's user types."""
    data = form.data()
    typed = setup.fill(form) if callable(setup.fill) else setup.fill
    for name, value in typed.items():
        data[name] = [value]
    return data


def submit(client, form, data: dict):
    """Send the data as the form would (file inputs: name -> bytes, or absent)."""
    payload = {}
    for name, values in data.items():
        control = form.controls.get(name)
        if control is not None and control.kind == "file":
            chosen = [v for v in values if v not in ("", None)]
            if chosen:
                payload[name] = SimpleUploadedFile("visits.csv", _bytes(chosen[0]), "text/csv")
            continue
        payload[name] = values
    if form.method == "get":
        response = client.get(form.path, payload)
    else:
        response = client.post(form.action, payload)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # a download fails while it is read
    return response


def _bytes(value) -> bytes:
    return value if isinstance(value, bytes) else str(value).encode("utf-8", "surrogatepass")


def form_errors(response) -> list[str]:
    """The errors of the bound forms and formsets the response rendered."""
    if response.context is None:
        return []
    found = []
    seen = set()
    for context in response.context:
        for value in context.flatten().values():
            candidates = value if isinstance(value, list | tuple) else [value]
            for item in candidates:
                if id(item) in seen or not isinstance(item, BaseForm | BaseFormSet):
                    continue
                seen.add(id(item))
                if item.is_bound and not item.is_valid():
                    errors = item.errors if isinstance(item, BaseForm) else item.total_error_count()
                    found.append(f"{type(item).__name__}: {errors}")
    return found


def messages_of(response, level=0) -> list[str]:
    """The messages this request added (not those left in the cookie by an earlier one)."""
    added = getattr(get_messages(response.wsgi_request), "_queued_messages", [])
    return [str(m) for m in added if m.level >= level]


def error_messages(response) -> list[str]:
    return messages_of(response, constants.ERROR)
