"""What the programmes app adds to the clinician's home page and to the patient's page."""

from django.utils import timezone

from .selectors import clinic_flags, clinic_pending_suggestions, patient_programmes


def home_context(user) -> dict:
    """Flags and pending suggestions for the clinic's active programmes (3 queries)."""
    today = timezone.localdate()
    return {
        "programme_flags": clinic_flags(user, today),
        "programme_suggestions": list(clinic_pending_suggestions(user)),
    }


def patient_context(patient) -> dict:
    return {"programme_panel": patient_programmes(patient, timezone.localdate())}
