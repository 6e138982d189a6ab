"""Reads that serve more than one view, with their related rows fetched up front."""

from django.db.models import Q

from .access import patients_for_user
from .models import Patient, PatientStatus, User


def patient_search(user, *, q: str = "", status: str = ""):
    patients = patients_for_user(user).select_related("responsible_clinician")
    if q:
        patients = patients.filter(
            Q(study_id__icontains=q) | Q(given_name__icontains=q) | Q(family_name__icontains=q)
        )
    if status:
        patients = patients.filter(status=status)
    return patients.order_by("family_name", "given_name", "study_id")


def active_patients(user):
    return patient_search(user, status=PatientStatus.ACTIVE)


def _display(field, value, users_by_id):
    if value is None or value == "":
        return "—"
    if field.is_relation:
        return str(users_by_id.get(value, f"#{value}"))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def patient_history(patient: Patient) -> list[dict]:
    """Each change to the patient's record, newest first: who, when, and old -> new per field."""
    records = list(patient.history.select_related("history_user").order_by("history_date"))
    user_ids = {r.responsible_clinician_id for r in records if r.responsible_clinician_id}
    users_by_id = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = Patient._meta.get_field(change.field)
                changes.append(
                    {
                        "field": field.verbose_name,
                        "old": _display(field, change.old, users_by_id),
                        "new": _display(field, change.new, users_by_id),
                    }
                )
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "changes": changes,
            }
        )
        previous = record
    return list(reversed(entries))
