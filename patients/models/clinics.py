"""Clinics, the districts they belong to, and the people who log in: clinic staff (admins,
clinicians), patients, and district leads (read-only, across their district's clinics)."""

import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower, Upper
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords

from .. import portal_access


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Africa/Lagos).")


class District(models.Model):
    """A health district: the clinics assigned to it are compared side by side on its page."""

    # No clinic's kept page shows a district (the district page is never kept); a clinic moved
    # to or from one is a change of the clinic, which renews that clinic's pages itself.
    clinic_path = None

    name = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="district_name_unique_any_case",
                violation_error_message="Another district has this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Clinic(models.Model):
    clinic_path = "id"  # whose kept pages show it (patients.kept_pages)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=50, unique=True, help_text="Short name used in exports.")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    phone = models.CharField(
        max_length=40, blank=True, help_text="Shown to patients: whom to call about pain or falls."
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="clinics",
        help_text="Its district lead sees the clinic's figures (never its patients).",
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
    DISTRICT_LEAD = "district_lead", "District lead"


STAFF_ROLES = (Role.ADMIN, Role.CLINICIAN)


class User(AbstractUser):
    """A person who logs in: clinic staff (admin or clinician), a patient, or a district lead
    (a district and no clinic: the district's figures only, never a clinic's pages).

    The installation's operator is a superuser with no clinic; they use the Django admin only.
    """

    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)

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
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="leads"
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
                    Q(role="", clinic__isnull=True, patient__isnull=True, district__isnull=True)
                    | Q(
                        role__in=["admin", "clinician"],
                        clinic__isnull=False,
                        patient__isnull=True,
                        district__isnull=True,
                    )
                    | Q(
                        role="patient",
                        clinic__isnull=False,
                        patient__isnull=False,
                        district__isnull=True,
                    )
                    | Q(
                        role="district_lead",
                        district__isnull=False,
                        clinic__isnull=True,
                        patient__isnull=True,
                    )
                ),
                violation_error_message=(
                    "Staff need a clinic and no patient; a patient user needs both; a district "
                    "lead needs a district and neither; an operator has none of them."
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
        # The same for a district lead's username.
        if (
            self.role in (*STAFF_ROLES, Role.DISTRICT_LEAD)
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

    @property
    def is_district_lead(self) -> bool:
        return self.is_active and self.district_id is not None and self.role == Role.DISTRICT_LEAD
