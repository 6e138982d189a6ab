"""Reads that serve more than one view, with their related rows fetched up front."""

from django.db.models import Q

from .access import patients_for_user
from .history import change_history
from .models import Patient, PatientStatus


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
# columns are read, not the whole record and its clinician's account, for 25-50 rows a page.
TABLE_FIELDS = (
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


def for_table(patients):
    return patients.only(*TABLE_FIELDS)


def active_patients(user):
    return patient_search(user, status=PatientStatus.ACTIVE)


def patient_history(patient: Patient) -> list[dict]:
    """Each change to the patient's record, newest first: who, when, and old -> new per field."""
    return change_history(patient, user_fields=["responsible_clinician"], ignored=["updated_at"])
