"""Who may see which visits: every assessments view fetches through these helpers.

They filter by the user's clinic, so another clinic's visit or programme is a 404 (its existence
is not revealed). Kept here rather than borrowed from programmes so the two apps stay apart.
"""

from django.shortcuts import get_object_or_404

from patients.access import patients_for_user
from programmes.models import Programme

from .models import Visit


def visits_for_user(user):
    if not user.is_clinic_staff:
        return Visit.objects.none()
    return Visit.objects.filter(clinic_id=user.clinic_id)


def get_visit_for_user(request, public_id) -> Visit:
    return get_object_or_404(
        visits_for_user(request.user).select_related("patient", "programme", "assessor", "clinic"),
        public_id=public_id,
    )


def get_programme_for_user(request, public_id) -> Programme:
    return get_object_or_404(
        Programme.objects.filter(patient__in=patients_for_user(request.user)).select_related(
            "patient", "clinic"
        ),
        public_id=public_id,
    )
