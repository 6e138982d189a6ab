"""Who may see what: the one place every view asks.

Role checks are decorators on views; objects are fetched through helpers that filter by the
user's clinic, so anything outside it is a 404 (its existence is not revealed).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from .models import STAFF_ROLES, Patient, Role, User


def _role_required(*roles):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not (user.is_active and user.clinic_id and user.role in roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


staff_required = _role_required(*STAFF_ROLES)
"""Clinic admins and clinicians."""

clinic_admin_required = _role_required(Role.ADMIN)
"""The clinic's lead only."""

patient_user_required = _role_required(Role.PATIENT)
"""A patient using their own portal."""


def patients_for_user(user):
    """The patients a member of staff may see: their own clinic's."""
    if not user.is_clinic_staff:
        return Patient.objects.none()
    return Patient.objects.filter(clinic_id=user.clinic_id)


def get_patient_for_user(request, public_id) -> Patient:
    return get_object_or_404(
        patients_for_user(request.user).select_related("clinic", "responsible_clinician"),
        public_id=public_id,
    )


def staff_for_user(user):
    if not user.is_clinic_admin:
        return User.objects.none()
    return User.objects.filter(clinic_id=user.clinic_id, role__in=STAFF_ROLES)


def get_staff_member_for_user(request, public_id) -> User:
    return get_object_or_404(staff_for_user(request.user), public_id=public_id)
