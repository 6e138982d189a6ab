"""The exercise library and programme templates (their prescription: prescription.py)."""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from patients.models import Clinic

from ..progression import schedule
from .prescription import Prescription

MAX_LOAD_KG = 500  # anything heavier is a typing mistake in this population
MAX_LOGGED_REPS = 100
# The smallest load step an exercise's equipment can have: more than 0 (2 decimal places) and
# at most 50 kg.
LOAD_STEP_MIN_KG = Decimal("0.01")
LOAD_STEP_MAX_KG = 50
LOAD_STEP_MESSAGE = f"The load step is more than 0 and at most {LOAD_STEP_MAX_KG} kg."
MAX_SESSIONS_PER_WEEK = 7
WEEKS_MESSAGE = f"A programme lasts 1 to {schedule.MAX_WEEKS} weeks."
SESSIONS_MESSAGE = f"Sessions per week must be between 1 and {MAX_SESSIONS_PER_WEEK}."


def _load_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


class MuscleGroup(models.TextChoices):
    GLUTEALS = "gluteals", "Gluteals"
    HAMSTRINGS = "hamstrings", "Hamstrings"
    QUADRICEPS = "quadriceps", "Quadriceps"
    ANTERIOR_TIBIALIS = "anterior_tibialis", "Anterior tibialis"
    CALVES = "calves", "Calves"
    OTHER = "other", "Other"


class Equipment(models.TextChoices):
    LEG_PRESS = "leg_press", "Leg press"
    HAMSTRING_CURL = "hamstring_curl_machine", "Hamstring curl machine"
    QUADRICEPS_BENCH = "quadriceps_bench", "Quadriceps bench"
    CABLE = "cable", "Cable"
    ANKLE_WEIGHT = "ankle_weight", "Ankle weight"
    RESISTANCE_BAND = "resistance_band", "Resistance band"
    DUMBBELL = "dumbbell", "Dumbbell"
    BODY_WEIGHT = "body_weight", "Body weight"
    OTHER = "other", "Other"


class Laterality(models.TextChoices):
    BILATERAL = "bilateral", "Both legs together"
    EACH_LEG = "each_leg", "Each leg in turn"


class Formula(models.TextChoices):
    BRZYCKI = "brzycki", "Brzycki"
    EPLEY = "epley", "Epley"


class ShippedOrOwnQuerySet(models.QuerySet):
    """Exercises and templates: the shipped rows (clinic empty) and each clinic's own."""

    def for_clinic(self, clinic_id):
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))

    def in_use(self):
        return self.filter(retired_on__isnull=True)


# Any case: "Leg press" and "leg press" are one exercise to a clinician. A clinic's own exercise
# may share a shipped exercise's name: shipped rows have no clinic, and NULLs are distinct.
EXERCISE_NAME_UNIQUE = models.UniqueConstraint(
    "clinic",
    Lower("name"),
    name="exercise_name_unique_in_clinic_any_case",
    violation_error_message="The clinic already has an exercise with this name.",
)


class Exercise(models.Model):
    # Whose kept pages show it (patients.kept_pages). A shipped row (NULL) shows in every clinic
    # but is read-only: only data migrations write it, and they come with a new release.
    clinic_path = "clinic"
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exercises",
        help_text="Empty for the shipped exercises every clinic can use.",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=80)
    muscle_group = models.CharField("target muscle group", max_length=20, choices=MuscleGroup)
    equipment = models.CharField(max_length=24, choices=Equipment)
    laterality = models.CharField(
        "legs", max_length=10, choices=Laterality, default=Laterality.BILATERAL
    )
    load_step_kg = _load_field(
        "smallest load step (kg)",
        validators=[
            MinValueValidator(LOAD_STEP_MIN_KG, LOAD_STEP_MESSAGE),
            MaxValueValidator(LOAD_STEP_MAX_KG, LOAD_STEP_MESSAGE),
        ],
        help_text="The smallest change the equipment allows: 0.5 for ankle weights, "
        "2.5 for machine plates. Planned loads are rounded down to it.",
    )
    instructions = models.TextField(
        "instructions for the patient", help_text="Written for the patient to read."
    )
    safety_cues = models.TextField(
        blank=True, help_text="What to watch for and when to stop, for the patient."
    )
    retired_on = models.DateField(
        null=True, blank=True, help_text="Retired exercises stay in old programmes only."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShippedOrOwnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="exercise_load_step_in_range",
                condition=Q(load_step_kg__gte=LOAD_STEP_MIN_KG, load_step_kg__lte=LOAD_STEP_MAX_KG),
                violation_error_message=LOAD_STEP_MESSAGE,
            ),
            EXERCISE_NAME_UNIQUE,
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(clinic__isnull=True),
                name="exercise_shipped_name_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_shipped(self) -> bool:
        return self.clinic_id is None

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None

    @property
    def is_each_leg(self) -> bool:
        return self.laterality == Laterality.EACH_LEG

    @property
    def is_loaded(self) -> bool:
        """Lifted against a load: its planned load must be at least one step, never 0 kg by
        accident (a body-weight exercise's 0 kg is simply no added weight)."""
        return self.equipment != Equipment.BODY_WEIGHT


class ProgrammeTemplate(models.Model):
    # Whose kept pages show it (patients.kept_pages). A shipped row (NULL) shows in every clinic
    # but is read-only: only data migrations write it, and they come with a new release.
    clinic_path = "clinic"
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_templates",
        help_text="Empty for the shipped templates every clinic can use.",
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=120)
    weeks = models.PositiveSmallIntegerField(
        "length in weeks",
        default=12,
        validators=[
            MinValueValidator(1, WEEKS_MESSAGE),
            MaxValueValidator(schedule.MAX_WEEKS, WEEKS_MESSAGE),
        ],
    )
    sessions_per_week = models.PositiveSmallIntegerField(
        default=3,
        validators=[
            MinValueValidator(1, SESSIONS_MESSAGE),
            MaxValueValidator(MAX_SESSIONS_PER_WEEK, SESSIONS_MESSAGE),
        ],
    )
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ShippedOrOwnQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="template_weeks_in_range",
                condition=Q(weeks__gte=1, weeks__lte=schedule.MAX_WEEKS),
                violation_error_message=WEEKS_MESSAGE,
            ),
            models.CheckConstraint(
                name="template_sessions_per_week_in_range",
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=MAX_SESSIONS_PER_WEEK),
                violation_error_message=SESSIONS_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:template_detail", kwargs={"public_id": self.public_id})

    @property
    def is_shipped(self) -> bool:
        return self.clinic_id is None

    @property
    def is_retired(self) -> bool:
        return self.retired_on is not None


class TemplateExercise(Prescription):
    clinic_path = "template__clinic"  # whose kept pages show it (patients.kept_pages)
    template = models.ForeignKey(
        ProgrammeTemplate, on_delete=models.CASCADE, related_name="exercises"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = Prescription.prescription_constraints("template_exercise")

    def __str__(self) -> str:
        return f"{self.exercise} in {self.template}"
