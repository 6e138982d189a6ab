"""Patients: a clinic's record of each person in the programme.

Nothing clinical is ever deleted: patients are withdrawn, and changes keep their history.
"""

import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .. import study_ids
from ..ages import age_on
from .clinics import STAFF_ROLES, Clinic


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
    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)
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

    @property
    def is_active(self) -> bool:
        return self.status == PatientStatus.ACTIVE

    @property
    def is_withdrawn(self) -> bool:
        return self.status == PatientStatus.WITHDRAWN

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
