from datetime import timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from patients.kept_fragments import kept_fragment, url_maker

register = template.Library()

STATUS_BADGE = {"active": "text-bg-success", "withdrawn": "text-bg-secondary"}


@register.simple_tag
def status_badge(patient) -> str:
    """The patient's status as a coloured badge. A tag, not an included template: it is drawn
    on every row of the patient tables, where an include costs a template render each."""
    css = STATUS_BADGE.get(patient.status, "text-bg-info")
    return format_html('<span class="badge {}">{}</span>', css, patient.get_status_display())


@register.simple_tag(takes_context=True)
def page_nav(context) -> str:
    """base.html's navigation bar, kept for the clinic by what it shows (the user's name, clinic
    and role), with this request's CSRF token put in its slot: every page draws it."""
    user = context.get("user")
    shown = {"authenticated": bool(user and user.is_authenticated)}
    if shown["authenticated"]:
        shown |= {
            "clinic_name": _place(user),
            "is_clinic_staff": user.is_clinic_staff,
            "is_clinic_admin": user.is_clinic_admin,
            "username": user.get_username(),
        }
    clinic_id = getattr(user, "clinic_id", None)  # none for a visitor not logged in
    html = kept_fragment("includes/_nav.html", shown, clinic_id=clinic_id)
    token = context.get("csrf_token")
    slot = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    # The slot is the fragment's own comment, written by its template, never by a value.
    shown_slot = slot if token and token != "NOTPROVIDED" else ""  # noqa: S105 (as {% csrf_token %})
    return mark_safe(html.replace("<!--csrf-->", shown_slot, 1))  # noqa: S308


def _place(user) -> str:
    """Where the user works, beside the name: their clinic, or a district lead's district."""
    if getattr(user, "clinic_id", None):
        return user.clinic.name
    if getattr(user, "district_id", None):
        return user.district.name
    return ""


@register.simple_tag
def patient_table(patients, empty, clinic_id) -> str:
    """A table of patients (the home page's and the patient list's: PatientRows
    of selectors.table_rows), kept for the clinic by what it shows: one address made per table,
    not one reverse() per row."""
    url = url_maker("patients:detail", "00000000-0000-0000-0000-000000000000")
    rows = [
        {
            "url": url.format(patient.public_id),
            "study_id": patient.study_id,
            "full_name": patient.full_name,
            "age": patient.age(),
            "aetiology": patient.aetiology_label,
            "status_css": STATUS_BADGE.get(patient.status, "text-bg-info"),
            "status": patient.status_label,
            "clinician": "—"
            if patient.responsible_clinician is None
            else str(patient.responsible_clinician),
        }
        for patient in patients
    ]
    # A template's literal text comes marked safe: as a plain string, escaped like any value.
    shown = {"rows": rows, "empty": str.__str__(empty)}
    return kept_fragment("patients/_table.html", shown, clinic_id=clinic_id)


@register.filter
def duration_words(value) -> str:
    """A timedelta as people say it: '15 minutes', '1 hour 30 minutes' (never 'PT15M')."""
    if not isinstance(value, timedelta):
        return ""
    minutes = max(1, round(value.total_seconds() / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}"
        for n, unit in ((days, "day"), (hours, "hour"), (minutes, "minute"))
        if n
    ]
    return " ".join(parts)
