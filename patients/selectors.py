"""Reads that serve more than one view, with their related rows fetched up front."""

from types import SimpleNamespace

from django.db.models import Q

from .access import patients_for_user
from .history import change_history
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


# What the patient tables show (patients.templatetags.patients.patient_table): only these
# columns are read, as plain values (table_row), not model instances, for 25-50 rows a page.
TABLE_FIELDS = (
    "responsible_clinician_id",
    "public_id",
    "study_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "aetiology",
    "status",
    "responsible_clinician__first_name",
    "responsible_clinician__last_name",
    "responsible_clinician__username",
)


class UserRow(SimpleNamespace):
    """A user's name fields as read by values(), named as the model names them (str())."""

    get_full_name = User.get_full_name
    __str__ = User.__str__


class PatientRow(SimpleNamespace):
    """A patient's fields as read by values(), with the model's own rules on them."""

    full_name = property(Patient.full_name.fget)
    age = Patient.age


_CHOICES = {
    name: dict(Patient._meta.get_field(name).flatchoices) for name in ("aetiology", "status")
}


def for_table(patients):
    """What a patient table shows: a values() query; slice or paginate it, then table_rows."""
    return patients.values(*TABLE_FIELDS)


def table_rows(values) -> list[PatientRow]:
    return [table_row(row) for row in values]


def table_row(values: dict) -> PatientRow:
    """One row of for_table as a PatientRow, with its choices' labels and its clinician."""
    row = dict(values)
    clinician = {
        name: row.pop(f"responsible_clinician__{name}")
        for name in ("first_name", "last_name", "username")
    }
    row["responsible_clinician"] = (
        UserRow(**clinician) if row["responsible_clinician_id"] is not None else None
    )
    for name, labels in _CHOICES.items():
        row[f"{name}_label"] = str(labels.get(row[name], row[name]))
    return PatientRow(**row)


def active_patients(user):
    return patient_search(user, status=PatientStatus.ACTIVE)


def patient_history(patient: Patient) -> list[dict]:
    """Each change to the patient's record, newest first: who, when, and old -> new per field."""
    return change_history(patient, user_fields=["responsible_clinician"], ignored=["updated_at"])
