"""Who may see which visits: every assessments view fetches through these helpers.

They filter by the user's clinic, so another clinic's visit is a 404 (its existence is not
revealed). A programme is fetched with programmes.access.get_programme_for_user, the one helper
for it (assessments sits above programmes in the import graph).
"""

from django.shortcuts import get_object_or_404

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
