"""What the programmes app adds to the clinician's home page and to the patient's page."""

from django.utils import timezone

from .attention import attention_programmes, flags_for_programmes
from .selectors import clinic_pending_suggestions, patient_programmes

HOME_FLAGS_LIMIT = 15  # the most urgent; the rest are one click away on the "Needs attention" page


def home_context(user) -> dict:
    """The most urgent flags, their total and pending suggestions (5 queries for any clinic)."""
    today = timezone.localdate()
    flagged = attention_programmes(user, today)
    return {
        "programme_flags": flags_for_programmes(flagged[:HOME_FLAGS_LIMIT], today),
        "programme_flags_total": flagged.count(),
        "programme_suggestions": list(clinic_pending_suggestions(user)),
    }


def patient_context(patient) -> dict:
    return {"programme_panel": patient_programmes(patient, timezone.localdate())}
