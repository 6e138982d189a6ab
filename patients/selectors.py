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


def active_patients(user):
    return patient_search(user, status=PatientStatus.ACTIVE)


def patient_history(patient: Patient) -> list[dict]:
    """Each change to the patient's record, newest first: who, when, and old -> new per field."""
    return change_history(patient, user_fields=["responsible_clinician"], ignored=["updated_at"])
