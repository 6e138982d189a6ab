"""Parts of pages kept as rendered, keyed by what they show, for every member of a clinic.

A write anywhere in the clinic renders its whole pages again (patients.kept_pages), but most of
a page is unchanged by most writes: a session recorded for one patient leaves the outcomes table
as it was, and every other programme's plan. So the costliest tables are rendered from plain
values (strings, numbers, dates, frozen dataclasses of them: never model instances, whose repr
does not show their fields) and kept under a key made of those very values, the template, the
clinic and the language. A changed value makes a new key, so a kept fragment can never be
stale, and one kept for a clinic is never shown in another. The template is rendered with its
context only (no request, no context processors): nothing about the user can enter it unseen.

Fragments are kept for LEGWORK_KEPT_FRAGMENT_SECONDS (by default LEGWORK_KEPT_PAGE_SECONDS; 0
keeps nothing) in the pages cache, under keys naming the release (patients.kept_pages.RELEASE):
every worker and server of one release shares them, and an upgrade brings new templates.
"""

import dataclasses
import datetime
import hashlib
from decimal import Decimal
from uuid import UUID

from django.conf import settings
from django.core.cache import caches
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeData, SafeString, mark_safe

from .kept_pages import RELEASE

PLAIN = (str, int, float, Decimal, datetime.date, UUID, type(None))  # bool is an int


def kept_fragment(template_name: str, context: dict, *, clinic_id: int) -> SafeString:
    """The template rendered with `context` (plain values only), kept for the clinic."""
    return kept_html(
        template_name, context, lambda: render_to_string(template_name, context), clinic_id
    )


def kept_html(name: str, shown: object, render, clinic_id: int) -> SafeString:
    """render()'s HTML, kept under `shown`: plain values that hold everything render() draws
    (e.g. a form's data and choices). Prefer kept_fragment, which cannot forget any."""
    seconds = settings.LEGWORK_KEPT_FRAGMENT_SECONDS
    if not seconds:
        _check_plain(shown)  # as when kept: a mistake shows at once in development and tests
        return mark_safe(render())  # noqa: S308 (rendered by a template, which escaped it)
    parts = (RELEASE, clinic_id, translation.get_language(), name, shown)
    key = "fragment:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    store = caches["pages"]
    html = store.get(key)
    if html is None:
        # Checked when first kept only: a kept key was made of plain values when it was kept.
        _check_plain(shown)
        html = str(render())
        store.set(key, html, seconds)
    return mark_safe(html)  # noqa: S308 (rendered by a template, which escaped it)


def _check_plain(value) -> None:
    """Refuse anything whose repr might not show all it holds (a model instance, a queryset):
    the key would then miss a change and show a stale fragment."""
    if isinstance(value, SafeData):  # its repr is a plain string's, but it is not escaped
        raise TypeError("A kept fragment's values are escaped by its template: no safe strings")
    if isinstance(value, PLAIN):
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_plain(item)
    elif isinstance(value, dict):
        for name, item in value.items():
            _check_plain(name)
            _check_plain(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            if not field.repr:
                raise TypeError(f"{type(value).__name__}.{field.name} is not in its repr")
            _check_plain(getattr(value, field.name))
    else:
        raise TypeError(f"A kept fragment's context holds only plain values, not {type(value)}")


def url_maker(viewname: str, *sample_args) -> str:
    """A view's address as a format string, one {} per argument: reverse() once a page, not
    once a row. Each sample argument must appear in the address once, as its own segment."""
    from django.urls import reverse

    address = reverse(viewname, args=sample_args)
    for sample in sample_args:
        address = address.replace(f"/{sample}/", "/{}/", 1)
    if address.count("{}") != len(sample_args):
        raise ValueError(f"Could not make a format string of {viewname}'s address")
    return address
