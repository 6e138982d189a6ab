"""Writes that change patients, staff and clinics. Views and commands call these; nothing else
writes these rows. Each validates the whole row first, so every door gets the same refusals."""

import secrets
from datetime import date

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import Clinic, Patient, PatientStatus, Role, User


def _save_with_history(obj, *, by):
    obj._history_user = by  # who made the change, also when no request is at hand
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def patient_register(*, clinic: Clinic, by: User | None, **fields) -> Patient:
    patient = Patient(clinic=clinic, **fields)
    if patient.responsible_clinician_id is None and by is not None and by.is_clinic_staff:
        patient.responsible_clinician = by
    return _save_with_history(patient, by=by)


@transaction.atomic
def patient_update(*, patient: Patient, by: User | None, **fields) -> Patient:
    for name, value in fields.items():
        setattr(patient, name, value)
    return _save_with_history(patient, by=by)


@transaction.atomic
def patient_withdraw(*, patient: Patient, by: User | None, reason: str, on: date) -> Patient:
    patient.status = PatientStatus.WITHDRAWN
    patient.withdrawal_reason = reason.strip()
    patient.withdrawn_on = on
    _save_with_history(patient, by=by)
    # A withdrawn patient's portal login stops working with the withdrawal.
    User.objects.filter(patient=patient).update(is_active=False)
    return patient


@transaction.atomic
def staff_create(
    *, clinic: Clinic, by: User | None, username: str, password: str, role: str, **fields
) -> User:
    user = User(clinic=clinic, username=username, role=role, **fields)
    validate_password(password, user)
    user.set_password(password)
    return _save_with_history(user, by=by)


@transaction.atomic
def staff_update(*, member: User, by: User | None, **fields) -> User:
    for name, value in fields.items():
        setattr(member, name, value)
    return _save_with_history(member, by=by)


@transaction.atomic
def staff_set_active(*, member: User, by: User | None, active: bool) -> User:
    """Deactivate (never delete) a member of staff, so their records keep their author."""
    member.is_active = active
    return _save_with_history(member, by=by)


def other_active_admins(member: User):
    return User.objects.filter(clinic_id=member.clinic_id, role=Role.ADMIN, is_active=True).exclude(
        pk=member.pk
    )


@transaction.atomic
def clinic_create(
    *,
    name: str,
    slug: str,
    time_zone: str,
    admin_username: str,
    admin_email: str = "",
    admin_password: str | None = None,
) -> tuple[Clinic, User, str]:
    """A new clinic with its first admin. Returns the password (generated when none given)."""
    clinic = Clinic(name=name, slug=slug, time_zone=time_zone)
    clinic.full_clean()
    clinic.save()
    password = admin_password or secrets.token_urlsafe(12)
    admin = staff_create(
        clinic=clinic,
        by=None,
        username=admin_username,
        password=password,
        role=Role.ADMIN,
        email=admin_email,
    )
    return clinic, admin, password
