"""Re-testing an exercise's strength during the programme, and re-planning the weeks left.

The clinician records a new test (at the week-6 visit, or at any session); `retest_plan` shows
the new estimated 1RM beside the old and the weeks it would re-plan, and `strength_retest`
writes exactly that once confirmed. The weeks already under way (any session logged in them)
keep their targets; the weeks after them are built again from the new 1RM by the same rules as
at assignment (plans.build_plan: the step, the ceiling, 2 repetitions in reserve, one step
at a time), continuing from the last week kept.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients.templatetags.dates import day

from ..models import (
    ChangeKind,
    PlanChange,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    StrengthRetest,
)
from ..progression import plans, strength
from ..selectors import programme_week
from ._common import _kg, _lock, _record
from .assignment import prescribed_plan
from .plan import _first_unlogged_week, _plan_of

# A change this large (in %) between two tests is more often a typing or testing slip than
# strength gained or lost: the page asks the clinician to check before saving.
UNUSUAL_CHANGE_PCT = 30


@dataclass(frozen=True)
class ReplannedWeek:
    week: int
    old_load_kg: Decimal
    old_reps: int
    new_load_kg: Decimal
    new_reps: int
    is_deload: bool
    intensity_pct: Decimal

    @property
    def moved(self) -> bool:
        return (self.old_load_kg, self.old_reps) != (self.new_load_kg, self.new_reps)


@dataclass(frozen=True)
class RetestPlan:
    """What a re-test would change: shown before it is confirmed, written as it is after."""

    programme_exercise: ProgrammeExercise
    load_kg: Decimal
    reps: int
    old_one_rm_kg: Decimal
    new_one_rm_kg: Decimal
    from_week: int
    weeks: list[ReplannedWeek]
    # Changes made by hand (a hold, a deload, a set load, an accepted suggestion...) to the weeks
    # it re-plans: the re-plan replaces them, so the page names them and their reasons first.
    replaces: list[PlanChange] = field(default_factory=list)

    @property
    def change_pct(self) -> Decimal:
        return (self.new_one_rm_kg - self.old_one_rm_kg) * 100 / self.old_one_rm_kg

    @property
    def is_unusual(self) -> bool:
        return abs(self.change_pct) >= UNUSUAL_CHANGE_PCT

    @property
    def new_ceiling_kg(self) -> Decimal:
        pe = self.programme_exercise
        return strength.ceiling_load(self.new_one_rm_kg, pe.ceiling_pct, pe.load_step_kg)

    @property
    def moved(self) -> list[ReplannedWeek]:
        return [week for week in self.weeks if week.moved]

    def summary(self) -> str:
        pe = self.programme_exercise
        return (
            f"Re-test {self.load_kg.normalize():f} kg × {self.reps}: estimated 1RM "
            f"{self.new_one_rm_kg.normalize():f} kg by {pe.get_formula_display()}, was "
            f"{self.old_one_rm_kg.normalize():f} kg ({self.change_pct:+.0f} %); weeks "
            f"{self.from_week}-{self.weeks[-1].week} re-planned from it"
        )


def _checked_test(programme, tested_on, load_kg, reps, today):
    """The test's own rules, each refused at its field with the numbers."""
    errors = {}
    if tested_on > today:
        errors["tested_on"] = "A test cannot be dated after today."
    elif tested_on < programme.start_date:
        errors["tested_on"] = (
            f"The programme started on {day(programme.start_date)}: a re-test is on or "
            "after that day (the test before the start is the baseline)."
        )
    elif programme.ended_on and tested_on > programme.ended_on:
        errors["tested_on"] = f"The programme ended on {day(programme.ended_on)}."
    if isinstance(reps, bool) or not isinstance(reps, int):
        errors["reps"] = "Give the repetitions to fatigue."
    elif not 1 <= reps <= strength.MAX_TEST_REPS:
        errors["reps"] = (
            f"{reps} repetitions: a test to fatigue is 1 to {strength.MAX_TEST_REPS} "
            "repetitions (estimates beyond about 10 are unreliable). Test again with a "
            "heavier load."
            if reps > strength.MAX_TEST_REPS
            else f"{reps} repetitions: a test to fatigue is at least 1 repetition."
        )
    load = Decimal(str(load_kg)) if load_kg is not None else None
    if load is None or not load.is_finite() or not 0 < load <= strength.MAX_TEST_LOAD_KG:
        errors["load_kg"] = (
            f"The test load is more than 0 and at most {strength.MAX_TEST_LOAD_KG} kg."
        )
    if errors:
        raise ValidationError(errors)
    return _kg(load)


@transaction.atomic  # the plan's rows are read locked, as for any change
def retest_plan(
    *,
    programme: Programme,
    programme_exercise: ProgrammeExercise,
    tested_on: date,
    load_kg,
    reps: int,
    today: date | None = None,
) -> RetestPlan:
    """The new 1RM and the re-planned weeks, without writing anything. Refused (at the field,
    with the numbers) when the test is out of range or the new 1RM gives no plan within the
    rules (e.g. its ceiling falls below the equipment's smallest step)."""
    today = today or timezone.localdate()
    pe = programme_exercise
    rows = _plan_of(programme, pe)
    load = _checked_test(programme, tested_on, load_kg, reps, today)
    new_one_rm = _kg(strength.estimate_one_rm(load, reps, pe.formula))
    from_week = _first_unlogged_week(programme, today, programme_week(programme, tested_on))
    if from_week > programme.weeks:
        raise ValidationError(
            f"Week {programme.weeks}, the programme's last, is under way or over: there is no "
            "week left to re-plan. Nothing was saved."
        )
    _refuse_ceiling_below_step(pe, load, reps, new_one_rm)
    kept = [
        plans.PlannedWeek(
            row.week, row.intensity_pct, row.load_kg, row.is_deload, row.too_light, row.reps
        )
        for row in rows[: from_week - 1]
    ]
    try:
        plan = prescribed_plan(
            pe, one_rm=new_one_rm, weeks=programme.weeks, load_step=pe.load_step_kg, kept=kept
        )
    except ValidationError as error:
        raise ValidationError({"load_kg": [*error.messages, "Nothing was saved."]}) from error
    weeks = [
        ReplannedWeek(
            week=row.week,
            old_load_kg=row.load_kg,
            old_reps=row.reps,
            new_load_kg=new.load_kg,
            new_reps=new.target_reps,
            is_deload=new.is_deload,
            intensity_pct=new.intensity_pct,
        )
        for row, new in zip(rows[from_week - 1 :], plan[from_week - 1 :], strict=True)
    ]
    replaces = _changes_by_hand(pe, from_week)
    return RetestPlan(pe, load, reps, pe.one_rm_kg, new_one_rm, from_week, weeks, replaces)


def _changes_by_hand(pe, from_week) -> list[PlanChange]:
    """The plan's earlier changes of this exercise that moved a week the re-plan re-builds."""
    changes = PlanChange.objects.filter(programme_exercise=pe).exclude(kind=ChangeKind.ASSIGNED)
    return [
        change
        for change in changes.order_by("changed_at", "pk")
        if any(entry.get("week", 0) >= from_week for entry in change.loads)
    ]


def _refuse_ceiling_below_step(pe, load, reps, one_rm):
    """A loaded exercise whose new ceiling is under one step: every load would cross it."""
    ceiling = one_rm * pe.ceiling_pct / 100
    if pe.exercise.is_loaded and ceiling < pe.load_step_kg:
        raise ValidationError(
            {
                "load_kg": f"{pe.exercise.name}: {load.normalize():f} kg × {reps} gives an "
                f"estimated 1RM of {one_rm.normalize():f} kg, whose ceiling of "
                f"{pe.ceiling_pct.normalize():f} % is {ceiling.quantize(strength.CENT)} kg, "
                f"below the equipment's smallest step of {pe.load_step_kg.normalize():f} kg: "
                "every load would cross the ceiling. Check the test, or change to a lighter "
                "implement with a smaller step. Nothing was saved."
            }
        )


@transaction.atomic
def strength_retest(
    *,
    programme: Programme,
    programme_exercise: ProgrammeExercise,
    tested_on: date,
    load_kg,
    reps: int,
    occasion: str,
    by,
    version: int,
    note: str = "",
    today: date | None = None,
) -> StrengthRetest:
    """Record a confirmed re-test: the new 1RM on the exercise, the weeks left re-planned from
    it, the test kept, the change in the plan's history (weeks, loads and repetitions moved)."""
    programme = _lock(programme, version)
    pe = ProgrammeExercise.objects.select_for_update().get(pk=programme_exercise.pk)
    plan = retest_plan(
        programme=programme, programme_exercise=pe, tested_on=tested_on, load_kg=load_kg,
        reps=reps, today=today,
    )  # fmt: skip
    retest = StrengthRetest(
        programme_exercise=pe,
        tested_on=tested_on,
        occasion=occasion,
        load_kg=plan.load_kg,
        reps=reps,
        formula=pe.formula,
        one_rm_kg=plan.new_one_rm_kg,
        previous_one_rm_kg=plan.old_one_rm_kg,
        from_week=plan.from_week,
        note=note.strip(),
        recorded_by=by,
    )
    retest.full_clean()
    retest.save()
    pe.one_rm_kg = plan.new_one_rm_kg
    pe._history_user = by
    pe.save(update_fields=["one_rm_kg"])
    by_week = {row.week: row for row in pe.planned_loads.filter(week__gte=plan.from_week)}
    changed = []
    for week in plan.weeks:
        row = by_week[week.week]
        row.load_kg, row.reps, row.is_deload = week.new_load_kg, week.new_reps, week.is_deload
        row.intensity_pct, row.too_light = week.intensity_pct, week.new_load_kg == 0
        changed.append(row)
    PlannedLoad.objects.bulk_update(
        changed, ["load_kg", "reps", "is_deload", "too_light", "intensity_pct"]
    )
    loads = [
        {"week": w.week, "old": str(w.old_load_kg), "new": str(w.new_load_kg)}
        | ({"old_reps": w.old_reps, "new_reps": w.new_reps} if w.old_reps != w.new_reps else {})
        for w in plan.moved
    ]
    reason = f"{plan.summary()} ({retest.get_occasion_display().lower()}, {day(tested_on)})"
    _record(
        programme, kind=ChangeKind.RETEST, by=by,
        reason=f"{reason}. {retest.note}" if retest.note else f"{reason}.",
        programme_exercise=pe, from_week=plan.from_week, to_week=programme.weeks, loads=loads,
    )  # fmt: skip
    retest.plan = plan  # for the page's message; not stored
    return retest
