"""Sessions (supervised, and reported from home), their sets, and the 2-for-2 suggestions."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..progression import proposals
from .library import MAX_LOAD_KG, MAX_LOGGED_REPS, _load_field
from .plan import Programme, ProgrammeExercise
from .prescription import _pct_field


class SessionSource(models.TextChoices):
    SUPERVISED = "supervised", "Supervised at the clinic"
    HOME = "home", "Reported by the patient from home"


class ExerciseSession(models.Model):
    """One exercise session of a programme: supervised at the clinic (sets in LoggedSet) or
    reported by the patient from home (one ReportedExercise per exercise, and one pain score)."""

    clinic_path = "programme__clinic"  # whose kept pages show it (patients.kept_pages)

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

    clinic_path = "session__programme__clinic"  # whose kept pages show it (patients.kept_pages)

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

    clinic_path = "session__programme__clinic"  # whose kept pages show it (patients.kept_pages)

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

    clinic_path = "session__programme__clinic"  # whose kept pages show it (patients.kept_pages)

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
    # Null on suggestions made before repetitions were proposed: they proposed a load only.
    current_reps = models.PositiveSmallIntegerField("current target repetitions", null=True)
    suggested_reps = models.PositiveSmallIntegerField("suggested target repetitions", null=True)
    # Set when the proposal starts from this week's plan, which already asked for more than the
    # sessions that met the rule (current_* are then that week's plan, not the last set's).
    planned_week = models.PositiveSmallIntegerField(null=True, blank=True)
    # Why only the repetitions rise (the next step is over 10 %, the ceiling is reached ...).
    why = models.CharField(max_length=200, blank=True)
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
    def proposal(self) -> proposals.Proposal:
        reps = self.suggested_reps if self.suggested_reps is not None else self.reps_before
        return proposals.Proposal(self.suggested_load_kg, reps, self.why)

    @property
    def reps_before(self) -> int:
        return (
            self.current_reps
            if self.current_reps is not None
            else self.programme_exercise.target_reps
        )

    @property
    def label(self) -> str:
        """The proposal in its real numbers (proposals.proposal_label)."""
        return proposals.proposal_label(
            self.current_load_kg, self.reps_before, self.proposal,
            sets=self.programme_exercise.sets,
        )  # fmt: skip

    @property
    def message(self) -> str:
        pe = self.programme_exercise
        planned = (
            f"; week {self.planned_week} already plans {pe.sets} × {self.reps_before} at "
            f"{self.current_load_kg.normalize():f} kg"
            if self.planned_week
            else ""
        )
        return (
            f"{pe.exercise.name}: 2+ repetitions over target in the last two sessions{planned}: "
            f"suggest {self.label}"
        )
