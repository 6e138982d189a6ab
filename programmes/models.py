"""Exercise library, programme templates, assigned programmes, weekly plan and session logs.

Rows with ``clinic = NULL`` (exercises, templates) are the shipped defaults, created by a data
migration and available to every clinic; the UI never edits them. Assigning a template copies its
prescription into the programme (ProgrammeExercise, PlannedLoad), so editing a template later never
changes a programme already assigned.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from patients.models import Clinic, Patient

from . import progression

MAX_LOAD_KG = 500  # anything heavier is a typing mistake in this population
MAX_LOGGED_REPS = 100


def _load_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


def _pct_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


class Arm(models.TextChoices):
    INTERVENTION = "intervention", "Intervention (exercise)"
    CONTROL = "control", "Control (assessments only)"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.PAUSED)


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


class ExerciseQuerySet(models.QuerySet):
    def for_clinic(self, clinic_id):
        """Shipped exercises and the clinic's own."""
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))

    def in_use(self):
        return self.filter(retired_on__isnull=True)


class Exercise(models.Model):
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

    objects = ExerciseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="exercise_load_step_in_range",
                condition=Q(load_step_kg__gt=0, load_step_kg__lte=50),
                violation_error_message="The load step must be more than 0 and at most 50 kg.",
            ),
            models.UniqueConstraint(
                fields=["clinic", "name"],
                name="exercise_name_unique_in_clinic",
                violation_error_message="The clinic already has an exercise with this name.",
            ),
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


class TemplateQuerySet(models.QuerySet):
    def for_clinic(self, clinic_id):
        return self.filter(Q(clinic__isnull=True) | Q(clinic_id=clinic_id))

    def in_use(self):
        return self.filter(retired_on__isnull=True)


class ProgrammeTemplate(models.Model):
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
    weeks = models.PositiveSmallIntegerField("length in weeks", default=12)
    sessions_per_week = models.PositiveSmallIntegerField(default=3)
    description = models.TextField(blank=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retired_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TemplateQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="template_weeks_in_range",
                condition=Q(weeks__gte=1, weeks__lte=progression.MAX_WEEKS),
                violation_error_message="A programme lasts 1 to 52 weeks.",
            ),
            models.CheckConstraint(
                name="template_sessions_per_week_in_range",
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=7),
                violation_error_message="Sessions per week must be between 1 and 7.",
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


class Prescription(models.Model):
    """How one exercise is dosed and progressed; shared by template rows and programme rows."""

    order = models.PositiveSmallIntegerField(default=1)
    sets = models.PositiveSmallIntegerField(default=3)
    target_reps = models.PositiveSmallIntegerField("target repetitions", default=10)
    start_pct = _pct_field("starting intensity (% of 1RM)", default=50)
    ceiling_pct = _pct_field("ceiling intensity (% of 1RM)", default=80)
    increase_pct = _pct_field(
        "scheduled increase (% of 1RM)",
        default=5,
        help_text="Added every N weeks; 0 for no scheduled increase.",
    )
    every_n_weeks = models.PositiveSmallIntegerField(
        "every N weeks", default=2, help_text="0 for no scheduled increase."
    )
    performance_increase_pct = _pct_field(
        "2-for-2 increase (% of current load)",
        default=5,
        help_text="Suggested when the patient does 2+ repetitions over target in the last set "
        "of two consecutive sessions; 0 to switch the suggestion off.",
    )
    deload_weeks = models.CharField(
        max_length=60, blank=True, help_text="Week numbers separated by commas, e.g. 4, 8."
    )
    deload_pct = _pct_field(
        "deload (% of the previous week's load)", default=80, help_text="e.g. 80."
    )

    class Meta:
        abstract = True

    @staticmethod
    def prescription_constraints(prefix):
        return [
            models.CheckConstraint(
                name=f"{prefix}_sets_in_range",
                condition=Q(sets__gte=1, sets__lte=10),
                violation_error_message="Sets must be between 1 and 10.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_target_reps_in_range",
                condition=Q(target_reps__gte=1, target_reps__lte=30),
                violation_error_message="Target repetitions must be between 1 and 30.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_intensities_in_range",
                condition=Q(
                    start_pct__gte=1, ceiling_pct__lte=100, ceiling_pct__gte=F("start_pct")
                ),
                violation_error_message="The ceiling intensity cannot be below the starting "
                "intensity, and both are between 1 and 100 %.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_progression_in_range",
                condition=Q(
                    increase_pct__gte=0,
                    increase_pct__lte=50,
                    every_n_weeks__lte=progression.MAX_WEEKS,
                    performance_increase_pct__gte=0,
                    performance_increase_pct__lte=20,
                    deload_pct__gt=0,
                    deload_pct__lt=100,
                ),
                violation_error_message="A progression setting is out of range.",
            ),
        ]

    @property
    def deload_week_numbers(self) -> list[int]:
        return parse_weeks(self.deload_weeks)

    def prescription_values(self) -> dict:
        return {name: getattr(self, name) for name in PRESCRIPTION_FIELDS}


PRESCRIPTION_FIELDS = [
    "order",
    "sets",
    "target_reps",
    "start_pct",
    "ceiling_pct",
    "increase_pct",
    "every_n_weeks",
    "performance_increase_pct",
    "deload_weeks",
    "deload_pct",
]


def parse_weeks(text: str) -> list[int]:
    """'4, 8' -> [4, 8]. Raises ValueError with a clinician's message."""
    weeks = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a week number: write them like 4, 8.")
        weeks.append(int(part))
    return sorted(set(weeks))


class TemplateExercise(Prescription):
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


SESSION_SUMMARY_FIELDS = ["last_session_on", "alert_session_on", "pain_up_on", "pain_up_since_on"]


class Programme(models.Model):
    """One patient's programme: a copy of a template's prescription, never changed by it later."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="programmes")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="programmes")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    template = models.ForeignKey(
        ProgrammeTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        help_text="Where the prescription was copied from; kept for reference only.",
    )
    name = models.CharField(max_length=120)
    arm = models.CharField(max_length=12, choices=Arm.choices, default=Arm.INTERVENTION)
    start_date = models.DateField()
    weeks = models.PositiveSmallIntegerField(default=12)
    sessions_per_week = models.PositiveSmallIntegerField(default=3)
    status = models.CharField(
        max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.ACTIVE
    )
    # Days spent paused before the current pause; later weeks shift by this much.
    paused_days = models.PositiveIntegerField(default=0)
    paused_on = models.DateField(null=True, blank=True)
    # Each ended pause as [first paused day, day of resumption] (ISO dates): a pause moves
    # only the weeks after it, never the dates of sessions before it.
    pauses = models.JSONField(default=list, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # Raised by every change to the plan, so a concurrent edit is detected, not overwritten.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # What the home page's flags read, kept by the session services (never typed in): so
    # "which programmes need attention" is one query on this table, however big the clinic.
    # See selectors.attention_summary for their meaning and clinic_flags for their use.
    last_session_on = models.DateField(null=True, blank=True, editable=False)
    alert_session_on = models.DateField(null=True, blank=True, editable=False)
    pain_up_on = models.DateField(null=True, blank=True, editable=False)
    pain_up_since_on = models.DateField(null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=SESSION_SUMMARY_FIELDS)

    class Meta:
        ordering = ["-start_date"]
        indexes = [
            models.Index(
                fields=["clinic", "status", "arm", "last_session_on"],
                name="programme_attention_idx",
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=Q(status__in=["active", "paused"]),
                name="programme_one_open_per_patient",
                violation_error_message="This patient already has an active programme.",
            ),
            models.CheckConstraint(
                name="programme_weeks_in_range",
                condition=Q(weeks__gte=1, weeks__lte=52),
            ),
            models.CheckConstraint(
                name="programme_sessions_per_week_in_range",
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=7),
            ),
            models.CheckConstraint(
                name="programme_paused_has_date",
                condition=~Q(status="paused") | Q(paused_on__isnull=False),
                violation_error_message="A paused programme needs the date it was paused.",
            ),
            models.CheckConstraint(
                name="programme_ended_has_date",
                condition=~Q(status__in=["completed", "withdrawn"]) | Q(ended_on__isnull=False),
                violation_error_message="A completed or withdrawn programme needs its end date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.patient.study_id})"

    def get_absolute_url(self) -> str:
        return reverse("programmes:detail", kwargs={"public_id": self.public_id})

    @property
    def pause_spans(self) -> list[tuple[date, date]]:
        """The ended pauses as date pairs, for progression.paused_days_before/week_start."""
        return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in self.pauses]

    @property
    def open_pause_from(self) -> date | None:
        return self.paused_on if self.status == ProgrammeStatus.PAUSED else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_control(self) -> bool:
        return self.arm == Arm.CONTROL


class ProgrammeExercise(Prescription):
    """One exercise of one programme: the prescription copied at assignment, and the baseline."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    # Copied too: an admin changing the equipment's step later must not re-round this plan.
    load_step_kg = _load_field("load step (kg)")
    baseline_load_kg = _load_field("test load (kg)")
    baseline_reps = models.PositiveSmallIntegerField("repetitions to fatigue")
    formula = models.CharField(max_length=8, choices=Formula, default=Formula.BRZYCKI)
    one_rm_kg = _load_field("estimated 1RM (kg)")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            *Prescription.prescription_constraints("programme_exercise"),
            models.CheckConstraint(
                name="programme_exercise_baseline_in_range",
                condition=Q(
                    baseline_load_kg__gt=0,
                    baseline_load_kg__lte=MAX_LOAD_KG,
                    baseline_reps__gte=1,
                    baseline_reps__lte=progression.MAX_TEST_REPS,
                    one_rm_kg__gt=0,
                    load_step_kg__gt=0,
                ),
                violation_error_message="The baseline test is out of range.",
            ),
        ]

    def __str__(self) -> str:
        return str(self.exercise)

    @property
    def ceiling_kg(self):
        return progression.ceiling_load(self.one_rm_kg, self.ceiling_pct, self.load_step_kg)


class PlannedLoad(models.Model):
    """One cell of the plan: this exercise in this week."""

    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="planned_loads"
    )
    week = models.PositiveSmallIntegerField()
    sets = models.PositiveSmallIntegerField()
    reps = models.PositiveSmallIntegerField()
    load_kg = _load_field("load (kg)")
    intensity_pct = _pct_field("intensity (% of 1RM)")
    is_deload = models.BooleanField(default=False)
    # Rounded to 0 kg: the clinician should choose a lighter implement.
    too_light = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["programme_exercise", "week"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_exercise", "week"], name="planned_load_one_per_week"
            ),
            models.CheckConstraint(
                name="planned_load_in_range",
                condition=Q(load_kg__gte=0, load_kg__lte=MAX_LOAD_KG, week__gte=1),
                violation_error_message="A planned load is between 0 and 500 kg.",
            ),
        ]

    def __str__(self) -> str:
        return f"Week {self.week}: {self.sets} x {self.reps} @ {self.load_kg} kg"


class ChangeKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    SET_LOAD = "set_load", "Changed one week's load"
    SHIFT_KG = "shift_kg", "Changed the load in kg"
    SHIFT_PCT = "shift_pct", "Changed the load in %"
    HOLD = "hold", "Held the load"
    DELOAD = "deload", "Deload week"
    SUGGESTION = "suggestion", "Accepted a suggestion"
    DISMISSED = "dismissed", "Dismissed a suggestion"
    PAUSED = "paused", "Paused"
    RESUMED = "resumed", "Resumed"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PlanChange(models.Model):
    """The programme's history: every change to its plan or status, with who, when and why."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(max_length=12, choices=ChangeKind)
    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    from_week = models.PositiveSmallIntegerField(null=True, blank=True)
    to_week = models.PositiveSmallIntegerField(null=True, blank=True)
    # [{"week": 5, "old": "17.50", "new": "20.00"}, ...]: only the weeks that moved.
    loads = models.JSONField(default=list, blank=True)
    reason = models.TextField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(help_text="The programme's version after the change.")

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="plan_change_has_reason",
                condition=~Q(reason=""),
                violation_error_message="Give the reason for the change.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.programme_id})"


class SessionSource(models.TextChoices):
    SUPERVISED = "supervised", "Supervised at the clinic"
    HOME = "home", "Reported by the patient from home"


class ExerciseSession(models.Model):
    """One exercise session of a programme: supervised at the clinic (sets in LoggedSet) or
    reported by the patient from home (one ReportedExercise per exercise, and one pain score)."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="sessions")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    source = models.CharField(
        max_length=12, choices=SessionSource, default=SessionSource.SUPERVISED
    )
    date = models.DateField()
    # Stored, not recomputed: a later pause must not move an old session to another week.
    week = models.PositiveSmallIntegerField()
    effort = models.PositiveSmallIntegerField("effort (OMNI-RES 0-10)")
    # Empty for home sessions: the patient gives one score, after exercising (pain_after).
    pain_before = models.PositiveSmallIntegerField("pain before (0-10)", null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField("pain after (0-10)")
    fall = models.BooleanField(default=False)
    dizziness = models.BooleanField(default=False)
    new_foot_wound = models.BooleanField(default=False)
    other_adverse_event = models.CharField("other adverse event", max_length=300, blank=True)
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [
            # Also what stops a double-submitted form from recording the session twice.
            models.UniqueConstraint(
                fields=["programme", "date", "source"],
                name="session_one_per_day_and_source",
                violation_error_message="A session on this date is already recorded.",
            ),
            models.CheckConstraint(
                name="session_scores_in_range",
                condition=Q(effort__lte=10, pain_before__lte=10, pain_after__lte=10),
                violation_error_message="Effort and pain are scored 0 to 10.",
            ),
            models.CheckConstraint(name="session_week_positive", condition=Q(week__gte=1)),
            models.CheckConstraint(
                name="session_supervised_has_pain_before",
                condition=Q(source="home") | Q(pain_before__isnull=False),
                violation_error_message="A supervised session needs the pain before it.",
            ),
        ]
        indexes = [models.Index(fields=["programme", "date"])]

    def __str__(self) -> str:
        return f"Session {self.date} ({self.programme_id})"

    @property
    def adverse_events(self) -> list[str]:
        events = [
            label
            for flag, label in (
                (self.fall, "fall"),
                (self.dizziness, "dizziness"),
                (self.new_foot_wound, "new foot wound"),
            )
            if flag
        ]
        if self.other_adverse_event:
            events.append(self.other_adverse_event)
        return events

    @property
    def pain_change(self) -> int | None:
        """Rise in pain during the session; None when only one score was given (home)."""
        if self.pain_before is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def pain_peak(self) -> int:
        return max(self.pain_after, self.pain_before or 0)

    @property
    def is_home(self) -> bool:
        return self.source == SessionSource.HOME


class LoggedSet(models.Model):
    """One set done in a session, with the target it was meant to hit (copied, never recomputed)."""

    session = models.ForeignKey(ExerciseSession, on_delete=models.CASCADE, related_name="sets")
    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="logged_sets"
    )
    set_number = models.PositiveSmallIntegerField()
    target_reps = models.PositiveSmallIntegerField()
    target_load_kg = _load_field("target load (kg)")
    reps_done = models.PositiveSmallIntegerField("repetitions done")
    load_kg = _load_field("load used (kg)")

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_exercise__order", "set_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "programme_exercise", "set_number"],
                name="logged_set_unique",
            ),
            models.CheckConstraint(
                name="logged_set_in_range",
                condition=Q(
                    reps_done__gte=1,
                    reps_done__lte=MAX_LOGGED_REPS,
                    load_kg__gte=0,
                    load_kg__lte=MAX_LOAD_KG,
                    set_number__gte=1,
                ),
                violation_error_message="Repetitions are 1 to 100 and loads 0 to 500 kg.",
            ),
        ]

    def __str__(self) -> str:
        return f"Set {self.set_number}: {self.reps_done} x {self.load_kg} kg"


class Completion(models.TextChoices):
    # Patient-facing words: translated in the patient's language on the portal and printouts.
    DONE = "done", _("Done")
    PARTLY = "partly", _("Partly")
    NOT_DONE = "not_done", _("Not done")


class ReportedExercise(models.Model):
    """One exercise of a home session, as the patient reported it: one tap, not sets and reps.

    The week's plan (sets, repetitions, load) is copied beside it, so a later change to the plan
    never changes what the patient was asked to do that day.
    """

    session = models.ForeignKey(
        ExerciseSession, on_delete=models.CASCADE, related_name="reported_exercises"
    )
    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="reports"
    )
    completion = models.CharField(max_length=8, choices=Completion)
    target_sets = models.PositiveSmallIntegerField()
    target_reps = models.PositiveSmallIntegerField()
    target_load_kg = _load_field("target load (kg)")

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme_exercise__order", "programme_exercise_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "programme_exercise"], name="reported_exercise_unique"
            ),
            models.CheckConstraint(
                name="reported_exercise_completion_valid",
                condition=Q(completion__in=["done", "partly", "not_done"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_exercise}: {self.completion}"


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class Suggestion(models.Model):
    """The 2-for-2 rule was met: the app suggests a heavier load; the clinician decides."""

    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="suggestions"
    )
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(
        ExerciseSession, on_delete=models.PROTECT, related_name="+", help_text="What triggered it."
    )
    current_load_kg = _load_field("current load (kg)")
    increase_pct = _pct_field("increase (%)")
    suggested_load_kg = _load_field("suggested load (kg)")
    status = models.CharField(
        max_length=10, choices=SuggestionStatus, default=SuggestionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme_exercise"],
                condition=Q(status="pending"),
                name="suggestion_one_pending_per_exercise",
            ),
            models.CheckConstraint(
                name="suggestion_decided_has_who_and_when",
                condition=Q(status="pending") | Q(decided_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        return (
            f"{self.programme_exercise.exercise.name}: 2+ repetitions over target in the last "
            f"two sessions: suggest +{self.increase_pct.normalize():f} % "
            f"to {self.suggested_load_kg.normalize():f} kg"
        )
