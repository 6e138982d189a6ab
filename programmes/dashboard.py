"""What the programmes app adds to the clinician's home page and to the patient's page."""

from django.db.models import Count, Window
from django.utils import timezone

from .attention import attention_programmes, flags_for_programmes
from .selectors import clinic_pending_suggestions, patient_programmes

HOME_FLAGS_LIMIT = 15  # the most urgent; the rest are one click away on the "Needs attention" page


def home_context(user) -> dict:
    """The most urgent flags, their total and pending suggestions (4 queries for any clinic)."""
    today = timezone.localdate()
    # The total rides along on each row (COUNT(*) OVER ()): one query built, not two.
    flagged = list(
        attention_programmes(user, today).annotate(_total=Window(Count("pk")))[:HOME_FLAGS_LIMIT]
    )
    return {
        "programme_flags": flags_for_programmes(flagged, today),
        "programme_flags_total": flagged[0]._total if flagged else 0,
        "programme_suggestions": list(clinic_pending_suggestions(user)),
    }


def patient_context(patient) -> dict:
    return {"programme_panel": patient_programmes(patient, timezone.localdate())}
