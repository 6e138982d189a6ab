"""Clinics, the people who work in them, and their patients.

Every clinical row belongs to exactly one clinic. Nothing clinical is ever deleted: patients are
withdrawn and staff deactivated, and changes keep their history (django-simple-history).
"""

import secrets
import uuid
import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower, Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from . import portal_access, study_ids
from .ages import age_on


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Africa/Lagos).")


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True, help_text="Short name used in exports.")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    phone = models.CharField(
        max_length=40, blank=True, help_text="Shown to patients: whom to call about pain or falls."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A new value whenever the clinic's records change (patients.kept_pages): kept pages are
    # filed under it. Read with the signed-in user, so checking it costs no query.
    data_version = models.UUIDField(default=uuid.uuid4, editable=False)

    history = HistoricalRecords(excluded_fields=["data_version"])

    class Meta:
        ordering = ["name"]
        constraints = [
            # The short name ends patients' login names ("KAN-0042@kano"), typed in any case.
            models.UniqueConstraint(
                Lower("slug"),
                name="clinic_slug_unique_any_case",
                violation_error_message="Another clinic has this short name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # An edit of the clinic must not write back the data version it was read with: that
        # would bring back pages kept under it (patients.kept_pages renews it after commit).
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if f.name not in ("id", "data_version")
            ]
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    ADMIN = "admin", "Clinic admin"
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"


STAFF_ROLES = (Role.ADMIN, Role.CLINICIAN)


class User(AbstractUser):
    """A person who logs in: clinic staff (admin or clinician) or a patient.

    The installation's operator is a superuser with no clinic; they use the Django admin only.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(
        Clinic, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    role = models.CharField(max_length=16, choices=Role.choices, blank=True)
    patient = models.OneToOneField(
        "patients.Patient",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="user",
    )

    # Part of the session auth hash: a new value ends every session the user has open, on every
    # server, without reading the session table (Django checks the hash on each request).
    # Empty (as before this field existed) keeps Django's own hash, so an upgrade logs no one out.
    session_salt = models.CharField(max_length=32, blank=True, editable=False)

    # A patient who logged in with their bare study ID before login names carried the clinic
    # (migration 0007) keeps that name here, so the login page still accepts it: nobody is
    # locked out. Unique across the installation (as usernames were then); never given anew.
    old_login_name = models.CharField(max_length=150, blank=True, editable=False)

    objects = UserManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login", "session_salt"])

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                name="user_role_matches_links",
                condition=(
                    Q(role="", clinic__isnull=True, patient__isnull=True)
                    | Q(role__in=["admin", "clinician"], clinic__isnull=False, patient__isnull=True)
                    | Q(role="patient", clinic__isnull=False, patient__isnull=False)
                ),
                violation_error_message=(
                    "Staff need a clinic and no patient; a patient user needs both; "
                    "an operator has neither."
                ),
            ),
            # Patients log in in any case, so two patient logins must differ by more than case.
            models.UniqueConstraint(
                Upper("username"),
                condition=Q(role="patient"),
                name="user_patient_login_unique_any_case",
            ),
            # A patient's login name names their clinic (patients.portal_access.login_name).
            models.CheckConstraint(
                name="user_patient_login_names_a_clinic",
                condition=~Q(role="patient") | Q(username__contains="@"),
            ),
            models.UniqueConstraint(
                Upper("old_login_name"),
                condition=~Q(old_login_name=""),
                name="user_old_login_name_unique_any_case",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def clean(self) -> None:
        super().clean()
        # Patients' login names are "study ID@clinic". A staff username of that shape could
        # take a patient's name first, or be refused as "already taken" and so tell another
        # clinic that the patient has a login: the shape is refused whether or not it is taken.
        if (
            self.role in STAFF_ROLES
            and portal_access.is_patient_login_name(self.username)
            and (
                self._state.adding
                or User.objects.filter(pk=self.pk).values_list("username", flat=True).first()
                != self.username
            )
        ):
            raise ValidationError(
                {
                    "username": (
                        "A username of the form name@word is kept for patients' logins. Use a "
                        "plain name (amaka) or a full e-mail address (amaka@clinic.org)."
                    )
                }
            )

    _SESSION_HASH_SALT = "patients.User.get_session_auth_hash"

    def _session_hash(self, secret=None) -> str:
        value = f"{self.session_salt}:{self.password}"
        return salted_hmac(
            self._SESSION_HASH_SALT, value, secret=secret, algorithm="sha256"
        ).hexdigest()

    def get_session_auth_hash(self) -> str:
        if not self.session_salt:
            return super().get_session_auth_hash()
        return self._session_hash()

    def get_session_auth_fallback_hash(self):
        if not self.session_salt:
            yield from super().get_session_auth_fallback_hash()
            return
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret)

    def end_sessions(self) -> None:
        """Every session open for this user stops working once this is saved."""
        self.session_salt = secrets.token_hex(16)

    @property
    def is_clinic_staff(self) -> bool:
        return self.is_active and self.clinic_id is not None and self.role in STAFF_ROLES

    @property
    def is_clinic_admin(self) -> bool:
        return self.is_clinic_staff and self.role == Role.ADMIN


class Aetiology(models.TextChoices):
    HIV = "hiv_dsp", "HIV-associated distal symmetrical polyneuropathy"
    DIABETIC = "diabetic", "Diabetic peripheral neuropathy"
    OTHER = "other", "Other"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"


class PatientStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


def language_choices():
    # A callable, so a clinic changing LEGWORK_LANGUAGES needs no migration.
    return settings.LANGUAGES


def validate_study_id(value: str) -> None:
    if message := study_ids.problem(value):
        raise ValidationError(message)


class Patient(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    study_id = models.CharField(
        "study ID",
        max_length=study_ids.MAX_LENGTH,
        validators=[validate_study_id],
        help_text=(
            "Unique within the clinic, e.g. KAN-0042: letters, digits and - _ . only. "
            "Used in every export and as the patient's login name; not a name."
        ),
    )
    given_name = models.CharField(max_length=80)
    family_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=6, choices=Sex.choices)
    phone = models.CharField(max_length=40, blank=True)
    language = models.CharField(
        max_length=12,
        choices=language_choices,
        default="en",
        help_text="The language of the patient's own pages and printouts.",
    )
    aetiology = models.CharField("neuropathy aetiology", max_length=10, choices=Aetiology.choices)
    aetiology_other = models.CharField(
        "other aetiology", max_length=200, blank=True, help_text="Required when 'Other'."
    )
    art_start_date = models.DateField("ART start date", null=True, blank=True)
    has_diabetes = models.BooleanField("diabetes", null=True, blank=True)
    research_consent = models.BooleanField("consents to research use", default=False)
    consent_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=PatientStatus.choices, default=PatientStatus.ACTIVE
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
    responsible_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="responsible_for",
        limit_choices_to={"role__in": STAFF_ROLES},
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["study_id"]
        constraints = [
            # Kept beside the one ignoring case below: its index serves exact look-ups.
            models.UniqueConstraint(
                fields=["clinic", "study_id"],
                name="patient_study_id_unique_in_clinic",
                violation_error_message="This study ID is already used in this clinic.",
            ),
            # kan-1 and KAN-1 are one patient: exports, imports and logins ignore case.
            models.UniqueConstraint(
                F("clinic"),
                Upper("study_id"),
                name="patient_study_id_unique_in_clinic_any_case",
                violation_error_message="This study ID is already used in this clinic.",
            ),
            models.CheckConstraint(
                name="patient_consent_date_needs_consent",
                condition=Q(consent_date__isnull=True) | Q(research_consent=True),
                violation_error_message="A consent date needs consent.",
            ),
            models.CheckConstraint(
                name="patient_consent_has_date",
                condition=Q(research_consent=False) | Q(consent_date__isnull=False),
                violation_error_message="Give the date the patient consented.",
            ),
            models.CheckConstraint(
                name="patient_consent_after_birth",
                condition=Q(consent_date__isnull=True) | Q(consent_date__gte=F("date_of_birth")),
                violation_error_message="The consent date cannot be before the date of birth.",
            ),
            models.CheckConstraint(
                name="patient_other_aetiology_only_when_other",
                condition=Q(aetiology="other") | Q(aetiology_other=""),
                violation_error_message="Describe the aetiology only when it is 'Other'.",
            ),
            models.CheckConstraint(
                name="patient_art_start_after_birth",
                condition=Q(art_start_date__isnull=True)
                | Q(art_start_date__gte=F("date_of_birth")),
                violation_error_message="The ART start date cannot be before the date of birth.",
            ),
            models.CheckConstraint(
                name="patient_other_aetiology_described",
                condition=~Q(aetiology="other") | ~Q(aetiology_other=""),
                violation_error_message="Describe the aetiology when it is 'Other'.",
            ),
            models.CheckConstraint(
                name="patient_withdrawal_has_reason",
                condition=~Q(status="withdrawn")
                | (~Q(withdrawal_reason="") & Q(withdrawn_on__isnull=False)),
                violation_error_message="A withdrawal needs a reason and a date.",
            ),
        ]
        # In the order the patient lists sort (patients.selectors.patient_search), so a page of
        # a big clinic's list is read from the index, not sorted from every row.
        indexes = [
            models.Index(
                fields=["clinic", "family_name", "given_name", "study_id"],
                name="patient_list_idx",
            ),
            models.Index(
                fields=["clinic", "status", "family_name", "given_name", "study_id"],
                name="patient_list_by_status_idx",
            ),
            models.Index(
                fields=["responsible_clinician", "status", "family_name", "given_name", "study_id"],
                name="patient_caseload_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.study_id}: {self.full_name}"

    def get_absolute_url(self) -> str:
        return reverse("patients:detail", kwargs={"public_id": self.public_id})

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age(self, on: date | None = None) -> int:
        return age_on(self.date_of_birth, on or timezone.localdate())

    def clean(self) -> None:
        """Field-level rules, so every door (forms, admin, imports) reports them at the field."""
        errors: dict[str, str] = {}
        today = timezone.localdate()
        if self.study_id:
            self.study_id = study_ids.normalise(self.study_id)
        if self.date_of_birth:
            if self.date_of_birth > today:
                errors["date_of_birth"] = "The date of birth cannot be in the future."
            else:
                age = age_on(self.date_of_birth, today)
                low, high = settings.LEGWORK_PATIENT_MIN_AGE, settings.LEGWORK_PATIENT_MAX_AGE
                if not low <= age <= high:
                    errors["date_of_birth"] = (
                        f"The patient would be {age} years old: the programme is for adults "
                        f"aged {low} to {high}. Check the date of birth."
                    )
        if self.consent_date and not self.research_consent:
            errors["consent_date"] = "A consent date can only be given when the patient consented."
        elif self.research_consent and not self.consent_date:
            errors["consent_date"] = "Give the date the patient consented."
        elif self.consent_date and self.consent_date > today:
            errors["consent_date"] = "The consent date cannot be in the future."
        elif self.consent_date and self.date_of_birth and self.consent_date < self.date_of_birth:
            errors["consent_date"] = "The consent date cannot be before the date of birth."
        if self.art_start_date and self.date_of_birth and self.art_start_date < self.date_of_birth:
            errors["art_start_date"] = "The ART start date cannot be before the date of birth."
        if self.art_start_date and self.art_start_date > today:
            errors["art_start_date"] = "The ART start date cannot be in the future."
        if self.aetiology == Aetiology.OTHER and not self.aetiology_other.strip():
            errors["aetiology_other"] = "Describe the aetiology when it is 'Other'."
        if self.aetiology != Aetiology.OTHER:
            if self.aetiology_other.strip():
                # Never drop what was typed without saying so.
                errors["aetiology_other"] = "Clear this text, or choose Other as the aetiology."
            else:
                self.aetiology_other = ""
        if (
            self.clinic_id
            and self.study_id
            and Patient.objects.filter(clinic_id=self.clinic_id, study_id__iexact=self.study_id)
            .exclude(pk=self.pk)
            .exists()
        ):
            errors["study_id"] = f"Study ID {self.study_id} is already used in this clinic."
        if (
            self.responsible_clinician_id
            and self.clinic_id
            and self.responsible_clinician.clinic_id != self.clinic_id
        ):
            errors["responsible_clinician"] = "Choose a clinician of this clinic."
        if errors:
            raise ValidationError(errors)


class PortalAccessCode(models.Model):
    """A one-time way for a patient to set their own password: a link and a short code.

    Only hashes are stored; the clear link and code are shown once, to the clinician who
    issued them. A new code, a revocation, use, 7 days or too many wrong codes typed for the
    patient's study ID (retired) end it.
    """

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="access_codes")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Wrong codes typed with the patient's study ID while this code was outstanding
    # (patients.services.portal_access_find); at the limit the code is retired for good.
    wrong_tries = models.PositiveSmallIntegerField(default=0, editable=False)
    retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                name="access_code_used_or_revoked_not_both",
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
            models.CheckConstraint(
                name="access_code_retired_neither_used_nor_revoked",
                condition=Q(retired_at__isnull=True)
                | Q(used_at__isnull=True, revoked_at__isnull=True),
            ),
            models.CheckConstraint(
                name="access_code_retired_after_too_many_wrong_tries",
                condition=Q(retired_at__isnull=True)
                | Q(wrong_tries__gte=portal_access.WRONG_TRIES_BEFORE_RETIRING),
            ),
        ]

    def __str__(self) -> str:
        return f"Portal access for {self.patient.study_id} ({self.state})"

    @property
    def state(self) -> str:
        if self.used_at:
            return "used"
        if self.revoked_at:
            return "revoked"
        if self.retired_at:
            return "retired"
        if self.expires_at <= timezone.now():
            return "expired"
        return "valid"


class StaffAccountAction(models.TextChoices):
    UNLOCKED = "unlocked", "Log-in lock cleared"
    PASSWORD_RESET_SENT = "password_reset_sent", "Password reset e-mail sent"


class StaffAccountEvent(models.Model):
    """Something a clinic admin did to a colleague's account that changes no field of it (so
    the member's history would not show it): who, when, for whom."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="account_events"
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=24, choices=StaffAccountAction.choices)
    detail = models.CharField(max_length=254, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.member} by {self.by}"
