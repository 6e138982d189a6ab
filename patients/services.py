"""Writes that change patients, staff and clinics. Views and commands call these; nothing else
writes these rows. Each validates the whole row first, so every door gets the same refusals."""

import secrets
from datetime import date, timedelta

from axes.utils import reset as axes_reset
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from . import portal_access, study_ids
from .models import (
    Clinic,
    Patient,
    PatientStatus,
    PortalAccessCode,
    Role,
    StaffAccountAction,
    StaffAccountEvent,
    User,
)


def save_with_history(obj, *, by):
    """Validate and save, recording who made the change (every app's services use it)."""
    obj._history_user = by  # who made the change, also when no request is at hand
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def patient_register(*, clinic: Clinic, by: User | None, **fields) -> Patient:
    patient = Patient(clinic=clinic, **fields)
    if patient.responsible_clinician_id is None and by is not None and by.is_clinic_staff:
        patient.responsible_clinician = by
    return save_with_history(patient, by=by)


@transaction.atomic
def patient_update(*, patient: Patient, by: User | None, **fields) -> Patient:
    if not fields:
        return patient  # nothing asked, nothing written (no history row saying otherwise)
    for name, value in fields.items():
        setattr(patient, name, value)
    return save_with_history(patient, by=by)


@transaction.atomic
def patient_withdraw(*, patient: Patient, by: User | None, reason: str, on: date) -> Patient:
    patient.status = PatientStatus.WITHDRAWN
    patient.withdrawal_reason = reason.strip()
    patient.withdrawn_on = on
    save_with_history(patient, by=by)
    # A withdrawn patient's portal login stops working with the withdrawal, open sessions too.
    for login in User.objects.filter(patient=patient, is_active=True):
        staff_set_active(member=login, by=by, active=False)
    return patient


@transaction.atomic
def staff_create(
    *, clinic: Clinic, by: User | None, username: str, password: str, role: str, **fields
) -> User:
    user = User(clinic=clinic, username=username, role=role, **fields)
    validate_password(password, user)
    user.set_password(password)
    return save_with_history(user, by=by)


@transaction.atomic
def staff_update(*, member: User, by: User | None, **fields) -> User:
    if not fields:
        return member
    if fields.get("role", member.role) != Role.ADMIN:
        _keep_an_active_admin(member)
    for name, value in fields.items():
        setattr(member, name, value)
    return save_with_history(member, by=by)


@transaction.atomic
def staff_set_active(*, member: User, by: User | None, active: bool) -> User:
    """Deactivate (never delete) a member of staff, so their records keep their author."""
    if not active:
        if by is not None and member.pk == by.pk:
            raise ValidationError("You cannot deactivate your own account.")
        _keep_an_active_admin(member)
        # Its sessions end now, and do not come back if the account is reactivated.
        member.end_sessions()
    member.is_active = active
    return save_with_history(member, by=by)


@transaction.atomic
def staff_unlock(*, member: User, by: User) -> StaffAccountEvent:
    """Clear django-axes' log-in lock on the member's username, from every address."""
    # Failures are counted under the name in one case (patients.backends.throttle_username).
    names = {member.username, study_ids.normalise(member.username)}
    cleared = sum(axes_reset(username=name) for name in names)
    return StaffAccountEvent.objects.create(
        member=member,
        by=by,
        action=StaffAccountAction.UNLOCKED,
        detail=f"{cleared} failed attempt{'' if cleared == 1 else 's'} cleared",
    )


@transaction.atomic
def staff_password_reset_send(
    *, member: User, by: User, domain: str, site_name: str, use_https: bool
) -> StaffAccountEvent:
    """E-mail the member the same link /accounts/password_reset/ sends (Django's token: it
    stops working once the password changes or after PASSWORD_RESET_TIMEOUT)."""
    if not member.is_active:
        raise ValidationError(f"{member} is deactivated: reactivate them first.")
    if not member.email:
        raise ValidationError(f"{member} has no e-mail address: add one (Edit) first.")
    context = {
        "email": member.email,
        "domain": domain,
        "site_name": site_name,
        "uid": urlsafe_base64_encode(force_bytes(member.pk)),
        "user": member,
        "token": default_token_generator.make_token(member),
        "protocol": "https" if use_https else "http",
    }
    PasswordResetForm().send_mail(
        "registration/password_reset_subject.txt",
        "registration/password_reset_email.html",
        context,
        None,
        member.email,
    )
    return StaffAccountEvent.objects.create(
        member=member,
        by=by,
        action=StaffAccountAction.PASSWORD_RESET_SENT,
        detail=f"to {member.email}",
    )


def _keep_an_active_admin(member: User) -> None:
    """A clinic always keeps an active admin: refuse a change that would leave it none.

    The clinic's admin rows are locked, so two admins demoting each other at once cannot both
    succeed (run inside the caller's transaction).
    """
    if member.clinic_id is None:
        return
    # Read from the database, not `member`: a bound form has already changed the instance.
    admins = set(
        User.objects.select_for_update()
        .filter(clinic_id=member.clinic_id, role=Role.ADMIN, is_active=True)
        .values_list("pk", flat=True)
    )
    if member.pk in admins and not admins - {member.pk}:
        raise ValidationError("The clinic must keep at least one active admin.")


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


def patient_login_name(patient: Patient) -> str:
    """The name the patient logs in with once activated: study ID and clinic, "KAN-0042@kano"."""
    return portal_access.login_name(patient.study_id, patient.clinic.slug)


def _login_name_problem(patient: Patient) -> str | None:
    """Why the patient cannot get a login name (told to the clinician when a code is issued;
    checked again at activation, since a name can be taken in between)."""
    if User.objects.filter(patient=patient).exists():
        return None  # the login exists already: activation only sets its password
    name = patient_login_name(patient)
    if not portal_access.is_patient_login_name(name):
        return (
            f"The study ID {patient.study_id} cannot be part of a login name (letters, digits "
            "and - _ . only). Correct the study ID (Edit) before creating portal access."
        )
    # The name ends with this clinic's short name, so only this clinic's patients have it;
    # staff cannot choose such a name (User.clean). What is left is an account made before
    # that rule, which only the installation's operator can rename.
    if User.objects.filter(username__iexact=name).exists():
        return (
            f"The login name {name} is held by an account that is not this patient's. Ask the "
            "installation's operator to rename that account, then create portal access."
        )
    return None


class AccessRefused(ValidationError):
    """An activation code or link that cannot be used; the message says why, for the patient."""


class WrongCode(AccessRefused):
    """No code of that study ID matches: the same answer whether or not the study ID exists,
    so typing codes tells nobody which study IDs a clinic has (views count these per address)."""


def _outstanding(codes):
    return codes.filter(
        used_at__isnull=True,
        revoked_at__isnull=True,
        retired_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


@transaction.atomic
def portal_access_issue(*, patient: Patient, by: User) -> tuple[PortalAccessCode, str, str]:
    """A new activation link and code for the patient; any earlier one stops working.

    Returns (the access row, the link token, the short code): the clear values exist only here.
    """
    if problem := _login_name_problem(patient):
        raise ValidationError(problem)
    if patient.is_withdrawn:
        raise ValidationError("A withdrawn patient cannot be given portal access.")
    now = timezone.now()
    patient.access_codes.filter(
        used_at__isnull=True, revoked_at__isnull=True, retired_at__isnull=True
    ).update(revoked_at=now, revoked_by=by)
    token, code = portal_access.new_token(), portal_access.new_code()
    access = PortalAccessCode.objects.create(
        patient=patient,
        token_hash=portal_access.digest(token),
        code_hash=portal_access.digest(portal_access.normalise_code(code)),
        created_by=by,
        expires_at=now + timedelta(days=portal_access.VALID_DAYS),
    )
    return access, token, code


@transaction.atomic
def portal_access_revoke(*, patient: Patient, by: User) -> None:
    """Close the patient's portal: outstanding codes stop working and the login is disabled."""
    patient.access_codes.filter(
        used_at__isnull=True, revoked_at__isnull=True, retired_at__isnull=True
    ).update(revoked_at=timezone.now(), revoked_by=by)
    for login in User.objects.filter(patient=patient, is_active=True):
        staff_set_active(member=login, by=by, active=False)


def _usable_access(access: PortalAccessCode | None) -> PortalAccessCode:
    if access is None:
        raise AccessRefused(_("This code is not right. Check it, or ask the clinic for a new one."))
    if access.used_at:
        # Whoever typed a used code had the patient's sheet: the login name is theirs to know.
        name = User.objects.filter(patient=access.patient).values_list("username", flat=True)
        raise AccessRefused(
            _(
                "This code has already been used. Log in with %(name)s and your password, "
                "or ask the clinic for a new code."
            )
            % {"name": name.first() or patient_login_name(access.patient)}
        )
    if access.revoked_at:
        raise AccessRefused(
            _("This code was cancelled by the clinic. Ask the clinic for a new one.")
        )
    if access.retired_at:
        raise AccessRefused(
            _(
                "This code no longer works: too many wrong codes were typed with your study ID. "
                "Ask the clinic for a new code."
            )
        )
    if access.expires_at <= timezone.now():
        raise AccessRefused(_("This code has expired. Ask the clinic for a new one."))
    if access.patient.is_withdrawn:
        raise AccessRefused(_("This access is closed. Please contact the clinic."))
    if _login_name_problem(access.patient):
        raise AccessRefused(
            _(
                "Your login cannot be set up with this study ID. Please contact the clinic: "
                "they need to correct it and give you a new code."
            )
        )
    return access


@transaction.atomic
def _count_wrong_code(patients) -> None:
    """One more wrong code for these patients' outstanding codes; at the limit they are retired
    (stored, so even the right code is refused afterwards, on every server)."""
    outstanding = _outstanding(PortalAccessCode.objects.filter(patient__in=patients))
    outstanding.update(wrong_tries=F("wrong_tries") + 1)
    outstanding.filter(wrong_tries__gte=portal_access.WRONG_TRIES_BEFORE_RETIRING).update(
        retired_at=timezone.now()
    )


def portal_access_find(*, token: str = "", study_id: str = "", code: str = "") -> PortalAccessCode:
    """The usable access for a link token, or for a study ID (or login name, "KAN-0042@kano")
    with its short code. A wrong code counts against the study ID's outstanding codes, in every
    clinic unless the login name names one: the typist cannot tell which clinics have it."""
    codes = PortalAccessCode.objects.select_related("patient", "patient__clinic")
    if token:
        return _usable_access(codes.filter(token_hash=portal_access.digest(token)).first())
    typed_id, clinic_slug = portal_access.split_login_name(study_id)
    typed_code = portal_access.normalise_code(code)
    if not (typed_id and typed_code):
        return _usable_access(None)  # nothing to check: the form says what is missing
    patients = Patient.objects.filter(study_id__iexact=typed_id)
    if clinic_slug:
        patients = patients.filter(clinic__slug__iexact=clinic_slug)
    access = codes.filter(code_hash=portal_access.digest(typed_code), patient__in=patients).first()
    if access is None:
        _count_wrong_code(patients)
        raise WrongCode(_("This code is not right. Check it, or ask the clinic for a new one."))
    return _usable_access(access)


@transaction.atomic
def portal_activate(*, access: PortalAccessCode, password: str) -> User:
    """Use the code once: the patient's login ("KAN-0042@kano") gets the password they chose."""
    # Lock the row: a double-submitted form activates once, the second gets "already used".
    access = _usable_access(
        PortalAccessCode.objects.select_for_update()
        .select_related("patient", "patient__clinic")
        .filter(pk=access.pk)
        .first()
    )
    patient = access.patient
    login = User.objects.filter(patient=patient).first() or User(
        username=patient_login_name(patient),
        clinic=patient.clinic,
        role=Role.PATIENT,
        patient=patient,
        first_name=patient.given_name,
        last_name=patient.family_name,
    )
    validate_password(password, login)
    login.set_password(password)
    login.is_active = True
    try:
        with transaction.atomic():
            save_with_history(login, by=None)
    except (IntegrityError, ValidationError) as error:
        # The name was taken in the instant since the check above: refuse, never a 500.
        raise AccessRefused(
            _("Your login could not be set up. Please try again, or contact the clinic.")
        ) from error
    access.used_at = timezone.now()
    access.save(update_fields=["used_at"])
    return login
