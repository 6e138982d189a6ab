"""Who may see the district's page: its district lead, and nobody else.

A district lead has a district and no clinic, so every clinic page (whose decorators ask for a
clinic and a clinic role) refuses them; this is the one page that lets them in.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from patients.models import Clinic


def district_lead_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_district_lead:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def clinics_for_user(user):
    """The clinics a district lead compares: those assigned to their own district."""
    if not user.is_district_lead:
        return Clinic.objects.none()
    return Clinic.objects.filter(district_id=user.district_id)
