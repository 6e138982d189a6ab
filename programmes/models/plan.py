"""An assigned programme: its copied prescription, the week-by-week plan and its history."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from patients.models import Clinic, Patient

from ..progression import schedule, strength
from .library import (
    MAX_LOAD_KG,
    MAX_SESSIONS_PER_WEEK,
    Exercise,
    Formula,
    ProgrammeTemplate,
    _load_field,
)
from .prescription import Prescription, _pct_field


class Arm(models.TextChoices):
    INTERVENTION = "intervention", "Intervention (exercise)"
    CONTROL = "control", "Control (assessments only)"


class ProgrammeStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (ProgrammeStatus.ACTIVE, ProgrammeStatus.PAUSED)


SESSION_SUMMARY_FIELDS = ["last_session_on", "alert_session_on", "pain_up_on", "pain_up_since_on"]
# Which scheduled assessment visit (by timepoint) each has_*_visit field records.
RECORDED_VISIT_FIELDS = {
    "baseline": "has_baseline_visit",
    "week6": "has_week6_visit",
    "week12": "has_week12_visit",
}


class Programme(models.Model):
    """One patient's programme: a copy of a template's prescription, never changed by it later."""

    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)

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
    # See attention.attention_summary for their meaning and clinic_flags for their use.
    last_session_on = models.DateField(null=True, blank=True, editable=False)
    alert_session_on = models.DateField(null=True, blank=True, editable=False)
    pain_up_on = models.DateField(null=True, blank=True, editable=False)
    pain_up_since_on = models.DateField(null=True, blank=True, editable=False)
    # Which scheduled visits are recorded, kept by the visit services (assessments.services):
    # so "visits due" on the home page is one query on this table, however many visits.
    has_baseline_visit = models.BooleanField(default=False, editable=False)
    has_week6_visit = models.BooleanField(default=False, editable=False)
    has_week12_visit = models.BooleanField(default=False, editable=False)

    history = HistoricalRecords(
        excluded_fields=[*SESSION_SUMMARY_FIELDS, *RECORDED_VISIT_FIELDS.values()]
    )

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
                condition=Q(weeks__gte=1, weeks__lte=schedule.MAX_WEEKS),
            ),
            models.CheckConstraint(
                name="programme_sessions_per_week_in_range",
                condition=Q(sessions_per_week__gte=1, sessions_per_week__lte=MAX_SESSIONS_PER_WEEK),
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
        """The ended pauses as date pairs, for schedule.paused_days_before/week_start."""
        return [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in self.pauses]

    @property
    def open_pause_from(self) -> date | None:
        return self.paused_on if self.status == ProgrammeStatus.PAUSED else None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_active(self) -> bool:
        return self.status == ProgrammeStatus.ACTIVE

    @property
    def is_paused(self) -> bool:
        return self.status == ProgrammeStatus.PAUSED

    @property
    def is_control(self) -> bool:
        """Control arm: assessments only, no exercises, plan or sessions."""
        return self.arm == Arm.CONTROL

    @property
    def can_record_session(self) -> bool:
        """Sessions are recorded (at the clinic or reported from home) while it is active."""
        return not self.is_control and self.is_active

    @property
    def can_change_plan(self) -> bool:
        """The plan is changed, and re-tested, while the programme is open (active or paused)."""
        return not self.is_control and self.is_open


class ProgrammeExercise(Prescription):
    """One exercise of one programme: the prescription copied at assignment, and the baseline."""

    clinic_path = "programme__clinic"  # whose kept pages show it (patients.kept_pages)

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="exercises")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    # Copied too: an admin changing the equipment's step later must not re-round this plan.
    load_step_kg = _load_field("load step (kg)")
    baseline_load_kg = _load_field("test load (kg)")
    baseline_reps = models.PositiveSmallIntegerField("repetitions to fatigue")
    formula = models.CharField(max_length=8, choices=Formula, default=Formula.BRZYCKI)
    # The baseline's estimate until a re-test replaces it (StrengthRetest keeps each earlier
    # one): the plan, its ceiling and its repetitions in reserve are all reckoned from it.
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
                    baseline_reps__lte=strength.MAX_TEST_REPS,
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
        return strength.ceiling_load(self.one_rm_kg, self.ceiling_pct, self.load_step_kg)


class PlannedLoad(models.Model):
    """One cell of the plan: this exercise in this week."""

    clinic_path = (
        "programme_exercise__programme__clinic"  # whose kept pages show it (patients.kept_pages)
    )

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


class RetestOccasion(models.TextChoices):
    WEEK6_VISIT = "week6_visit", "At the week-6 visit"
    SESSION = "session", "At a supervised session"
    OTHER = "other", "Another time"


class StrengthRetest(models.Model):
    """A new strength test of one exercise during the programme, and the 1RM it replaced.

    Confirmed re-tests only: the plan from from_week on was re-built from one_rm_kg (its
    PlanChange says which weeks moved and how). The baseline test stays on ProgrammeExercise."""

    clinic_path = (
        "programme_exercise__programme__clinic"  # whose kept pages show it (patients.kept_pages)
    )

    programme_exercise = models.ForeignKey(
        ProgrammeExercise, on_delete=models.PROTECT, related_name="retests"
    )
    tested_on = models.DateField("date of the test")
    occasion = models.CharField(max_length=12, choices=RetestOccasion.choices)
    load_kg = _load_field("test load (kg)")
    reps = models.PositiveSmallIntegerField("repetitions to fatigue")
    formula = models.CharField(max_length=8, choices=Formula)
    one_rm_kg = _load_field("estimated 1RM (kg)")
    previous_one_rm_kg = _load_field("estimated 1RM before (kg)")
    from_week = models.PositiveSmallIntegerField("re-planned from week")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tested_on", "pk"]
        constraints = [
            models.CheckConstraint(
                name="strength_retest_in_range",
                condition=Q(
                    load_kg__gt=0,
                    load_kg__lte=MAX_LOAD_KG,
                    reps__gte=1,
                    reps__lte=strength.MAX_TEST_REPS,
                    one_rm_kg__gt=0,
                    previous_one_rm_kg__gt=0,
                    from_week__gte=1,
                ),
                violation_error_message="The re-test is out of range.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_exercise}: {self.load_kg} kg x {self.reps} on {self.tested_on}"

    @property
    def change_pct(self):
        """The new 1RM against the one it replaced, in % (signed)."""
        return (self.one_rm_kg - self.previous_one_rm_kg) * 100 / self.previous_one_rm_kg


class ChangeKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    SET_LOAD = "set_load", "Changed one week's load"
    SHIFT_KG = "shift_kg", "Changed the load in kg"
    SHIFT_PCT = "shift_pct", "Changed the load in %"
    HOLD = "hold", "Held the load"
    DELOAD = "deload", "Deload week"
    SUGGESTION = "suggestion", "Accepted a suggestion"
    RETEST = "retest", "Re-tested strength, re-planned"
    DISMISSED = "dismissed", "Dismissed a suggestion"
    PAUSED = "paused", "Paused"
    RESUMED = "resumed", "Resumed"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PlanChange(models.Model):
    """The programme's history: every change to its plan or status, with who, when and why."""

    clinic_path = "programme__clinic"  # whose kept pages show it (patients.kept_pages)

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
