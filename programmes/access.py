"""Who may see which programme rows: every view fetches through these helpers.

They filter by the user's clinic, so another clinic's objects are a 404 (their existence is not
revealed). Shipped exercises and templates (clinic = NULL) are readable by every clinic's staff but
editable by nobody through the UI.
"""

from django.shortcuts import get_object_or_404

from patients.access import patients_for_user

from .models import Exercise, ExerciseSession, Programme, ProgrammeTemplate, Suggestion


def programmes_for_user(user):
    return Programme.objects.filter(patient__in=patients_for_user(user))


def get_programme_for_user(request, public_id) -> Programme:
    return get_object_or_404(
        programmes_for_user(request.user).select_related("patient", "clinic", "template"),
        public_id=public_id,
    )


def get_session_for_user(request, public_id) -> ExerciseSession:
    return get_object_or_404(
        ExerciseSession.objects.filter(
            programme__in=programmes_for_user(request.user)
        ).select_related("programme__patient", "programme__clinic"),
        public_id=public_id,
    )


def get_suggestion_for_user(request, public_id) -> Suggestion:
    return get_object_or_404(
        Suggestion.objects.filter(
            programme_exercise__programme__in=programmes_for_user(request.user)
        ).select_related(
            "programme_exercise__exercise",
            "programme_exercise__programme__patient",
        ),
        public_id=public_id,
    )


def exercises_for_user(user):
    """Shipped exercises and the user's clinic's own."""
    if not user.is_clinic_staff:
        return Exercise.objects.none()
    return Exercise.objects.for_clinic(user.clinic_id)


def get_exercise_for_user(request, public_id, *, to_edit=False) -> Exercise:
    """To edit: only the clinic's own exercises (shipped ones are read-only, so a 404)."""
    exercises = exercises_for_user(request.user)
    if to_edit:
        exercises = exercises.filter(clinic_id=request.user.clinic_id)
    return get_object_or_404(exercises, public_id=public_id)


def templates_for_user(user):
    if not user.is_clinic_staff:
        return ProgrammeTemplate.objects.none()
    return ProgrammeTemplate.objects.for_clinic(user.clinic_id)


def get_template_for_user(request, public_id, *, to_edit=False) -> ProgrammeTemplate:
    templates = templates_for_user(request.user)
    if to_edit:
        templates = templates.filter(clinic_id=request.user.clinic_id)
    return get_object_or_404(templates, public_id=public_id)
