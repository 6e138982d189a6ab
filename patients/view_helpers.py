"""What every app's views share, low in the import graph (patients) so that every app can use
it: a service's refusal shown where the user typed, a date from the query string, and the one
page simple forms use."""

from django.core.exceptions import ValidationError
from django.shortcuts import render, resolve_url
from django.utils.dateparse import parse_date


def show_refusal(form, error: ValidationError, *, rename: dict | None = None) -> None:
    """Put a service's refusal next to the field it names, or above the form when the form has
    no such field (or it names none). rename: the service's name for a field -> the form's."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, errors in error.error_dict.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def date_param(request, name: str = "date"):
    """A date asked for in the query string (?date=2026-12-01), or None."""
    try:
        return parse_date(request.GET.get(name, ""))
    except ValueError:
        return None


def render_form_page(request, form, *, title, submit, cancel_url, intro=""):
    """The one page every simple form uses: the view only names its form."""
    context = {
        "form": form,
        "title": title,
        "submit": submit,
        "cancel_url": resolve_url(cancel_url),
    }
    return render(request, "form_page.html", {**context, "intro": intro})
