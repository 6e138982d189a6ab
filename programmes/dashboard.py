"""What the programmes app adds to the clinician's home page and to the patient's page.

The home panels read plain rows (values()) into light stand-ins that borrow the models' own
properties: the page is drawn after every change in the clinic, and building model instances
was most of its cost.
"""

from types import SimpleNamespace

from django.utils import timezone

from patients.models import Patient
from patients.selectors import PatientRow

from .attention import flags_for_programmes, most_urgent
from .models import Programme, Suggestion
from .selectors import clinic_pending_suggestions, patient_programmes

HOME_FLAGS_LIMIT = 15  # the most urgent; the rest are one click away on the "Needs attention" page


class ProgrammeRow(SimpleNamespace):
    get_absolute_url = Programme.get_absolute_url


class SuggestionRow(SimpleNamespace):
    reps_before = property(Suggestion.reps_before.fget)
    proposal = property(Suggestion.proposal.fget)
    label = property(Suggestion.label.fget)
    message = property(Suggestion.message.fget)


def _patients(ids) -> dict:
    rows = Patient.objects.filter(pk__in=set(ids)).values(
        "pk", "study_id", "given_name", "family_name"
    )
    return {row["pk"]: PatientRow(**row) for row in rows}


def _urgent_flags(user, today) -> tuple[list[dict], int]:
    """The most urgent flags and how many programmes are flagged in all (3 queries)."""
    rows = most_urgent(user, today, HOME_FLAGS_LIMIT)
    patients = _patients(row.patient_id for row in rows)
    programmes = [
        ProgrammeRow(
            pk=row.pk,
            public_id=row.public_id,
            start_date=row.start_date,
            last_session_on=row.last_session_on,
            patient=patients[row.patient_id],
        )
        for row in rows
    ]
    return flags_for_programmes(programmes, today), rows[0]._total if rows else 0


def _pending_suggestions(user) -> list[SuggestionRow]:
    """The clinic's pending suggestions with what their line shows (1 query)."""
    suggestions = []
    for row in clinic_pending_suggestions(user).values(
        "current_load_kg",
        "current_reps",
        "suggested_load_kg",
        "suggested_reps",
        "why",
        "planned_week",
        "programme_exercise__sets",
        "programme_exercise__target_reps",
        "programme_exercise__exercise__name",
        "programme_exercise__programme__public_id",
        "programme_exercise__programme__patient__study_id",
        "programme_exercise__programme__patient__given_name",
        "programme_exercise__programme__patient__family_name",
    ):
        field = "programme_exercise__programme__patient__"
        patient = PatientRow(
            study_id=row.pop(field + "study_id"),
            given_name=row.pop(field + "given_name"),
            family_name=row.pop(field + "family_name"),
        )
        programme = ProgrammeRow(
            public_id=row.pop("programme_exercise__programme__public_id"), patient=patient
        )
        planned = SimpleNamespace(
            sets=row.pop("programme_exercise__sets"),
            target_reps=row.pop("programme_exercise__target_reps"),
            exercise=SimpleNamespace(name=row.pop("programme_exercise__exercise__name")),
            programme=programme,
        )
        suggestions.append(SuggestionRow(**row, programme_exercise=planned))
    return suggestions


def home_context(user) -> dict:
    """The most urgent flags, their total and pending suggestions (4 queries for any clinic)."""
    today = timezone.localdate()
    flags, total = _urgent_flags(user, today)
    return {
        "programme_flags": flags,
        "programme_flags_total": total,
        "programme_suggestions": _pending_suggestions(user),
    }


def patient_context(patient) -> dict:
    return {"programme_panel": patient_programmes(patient, timezone.localdate())}
