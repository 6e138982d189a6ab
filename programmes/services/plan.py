"""Changing the plan: a week, kg or % from a week on, hold, deload."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import (
    MAX_LOAD_KG,
    Arm,
    ChangeKind,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
)
from ..progression import plans, strength
from ..selectors import programme_week
from ._common import _kg, _lock, _record

# --- Changing the plan -------------------------------------------------------------------------


def _plan_of(programme: Programme, programme_exercise: ProgrammeExercise):
    if programme.arm == Arm.CONTROL:
        raise ValidationError("A control-arm programme has no exercise plan.")
    if not programme.is_open:
        raise ValidationError(
            f"The programme is {programme.get_status_display().lower()}: its plan is closed."
        )
    if programme_exercise.programme_id != programme.pk:
        raise ValidationError({"programme_exercise": "Choose an exercise of this programme."})
    return list(programme_exercise.planned_loads.select_for_update().order_by("week"))


def _week(programme, week, field="week") -> int:
    if not isinstance(week, int) or not 1 <= week <= programme.weeks:
        raise ValidationError({field: f"Choose a week from 1 to {programme.weeks}."})
    return week


def _apply(
    programme,
    pe,
    rows,
    new_loads,
    *,
    kind,
    by,
    reason,
    from_week,
    to_week=None,
    deload=None,
    allow_no_change=False,
    field="amount",
    new_reps=None,
):
    """Write the loads that moved, with their implied intensity, and record the change.

    Every kind of change passes here, so here is where a loaded exercise is kept from being
    planned below its equipment's smallest step (0 kg: "no added weight" by accident), and every
    week it moves keeps 2 repetitions in reserve: its target repetitions come down to what the
    new load allows (never below the prescription's target), or the change is refused."""
    _refuse_below_step(pe, rows, new_loads, field=field)
    reps = _reps_in_reserve(pe, rows, new_loads, field=field, new_reps=new_reps)
    moved, changed_rows = [], []
    for row, new, new_reps in zip(rows, new_loads, reps, strict=True):
        new = _kg(new)
        is_deload = row.is_deload if deload is None or row.week != from_week else deload
        if new == row.load_kg and is_deload == row.is_deload and new_reps == row.reps:
            continue
        entry = {"week": row.week, "old": str(row.load_kg), "new": str(new)}
        if new_reps != row.reps:
            entry.update(old_reps=row.reps, new_reps=new_reps)
            row.reps = new_reps
        moved.append(entry)
        row.load_kg = new
        row.is_deload = is_deload
        row.too_light = new == 0
        row.intensity_pct = min(new * 100 / pe.one_rm_kg, Decimal(100)).quantize(strength.CENT)
        changed_rows.append(row)
    if not moved and not allow_no_change:
        raise ValidationError(
            "This change would not move any load (it may already be at the ceiling of "
            f"{pe.ceiling_kg} kg or at zero). Nothing was saved."
        )
    PlannedLoad.objects.bulk_update(
        changed_rows, ["load_kg", "reps", "is_deload", "too_light", "intensity_pct"]
    )
    return _record(
        programme,
        kind=kind,
        by=by,
        reason=reason,
        programme_exercise=pe,
        from_week=from_week,
        to_week=to_week,
        loads=moved,
    )


def _refuse_below_step(pe, rows, new_loads, *, field):
    if not pe.exercise.is_loaded:
        return
    # Only the weeks this change moves: an old plan's 0 kg weeks do not block other changes.
    moved = {
        row.week: _kg(new)
        for row, new in zip(rows, new_loads, strict=True)
        if _kg(new) != row.load_kg
    }
    weeks = plans.weeks_below_step(moved, load_step=pe.load_step_kg)
    if weeks:
        message = plans.below_step_message(pe.exercise.name, pe.load_step_kg, weeks)
        raise ValidationError(
            {
                field: f"{message} Choose a smaller change, or a lighter "
                "implement with a smaller step. Nothing was saved."
            }
        )


def _reps_in_reserve(pe, rows, new_loads, *, field, new_reps=None) -> list[int]:
    """Each week's target repetitions after the change: a week whose load moves keeps its own
    (or new_reps', when given), or as many as leave 2 in reserve at the new load; refused when not
    even the prescription's target repetitions would (only the weeks this change moves, as for
    the step)."""
    result, short = [], {}
    wanted = new_reps or [row.reps for row in rows]
    for row, new, reps in zip(rows, new_loads, wanted, strict=True):
        new = _kg(new)
        if new == row.load_kg and reps == row.reps:
            result.append(row.reps)
            continue
        allowed = strength.reps_allowed(new, pe.one_rm_kg, pe.formula)
        floor = min(reps, pe.target_reps)  # fewer than the prescription's only when asked for
        if allowed < floor:
            short[row.week] = new
        result.append(max(min(reps, allowed), floor))
    if short:
        heaviest = max(short.values())
        pct = min(heaviest * 100 / pe.one_rm_kg, Decimal(100)).quantize(
            Decimal("0.1"), rounding=ROUND_CEILING
        )  # rounded up: still above the limit that refused it
        problem = strength.reserve_problem(pe.sets, pe.target_reps, pct, pe.formula)
        raise ValidationError(
            {
                field: f"{pe.exercise.name}, {plans.week_span(short)}: "
                f"{heaviest.normalize():f} kg is {pct.normalize():f} % of the estimated 1RM "
                f"({pe.one_rm_kg.normalize():f} kg by {pe.get_formula_display()}). {problem} "
                "Choose a smaller change. Nothing was saved."
            }
        )
    return result


def _first_unlogged_week(programme: Programme, today: date, triggered_in: int) -> int:
    """The week a suggestion applies from: this week, or the next one once a session of this
    week is logged. A plan row is one week's target, read by the report and the export next to
    that week's sessions; raising it mid-week would make the sessions already logged look under
    target. So the sessions left this week keep this week's plan, and the change starts with the
    first week nothing is logged in yet."""
    week = max(programme_week(programme, today), triggered_in, 1)
    logged = programme.sessions.filter(week__gte=week).order_by("-week").first()
    return logged.week + 1 if logged is not None else week


def _loads(rows):
    return [row.load_kg for row in rows]


@transaction.atomic
def plan_set_load(
    *, programme, programme_exercise, week: int, load_kg, reason: str, by, version: int
) -> Programme:
    """One week's load for one exercise."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    week = _week(programme, week)
    load = Decimal(str(load_kg))
    if not 0 <= load <= MAX_LOAD_KG:
        raise ValidationError({"amount": f"A load is between 0 and {MAX_LOAD_KG} kg."})
    step, ceiling = programme_exercise.load_step_kg, programme_exercise.ceiling_kg
    if strength.round_down_to_step(load, step) != load:
        raise ValidationError(
            {"amount": f"Use a multiple of {step.normalize():f} kg, the equipment's smallest step."}
        )
    if load > ceiling:
        raise ValidationError(
            {
                "amount": f"{load.normalize():f} kg is above this exercise's ceiling of "
                f"{ceiling.normalize():f} kg ({programme_exercise.ceiling_pct.normalize():f} % "
                "of the estimated 1RM)."
            }
        )
    new = _loads(rows)
    new[week - 1] = load
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.SET_LOAD, by=by, reason=reason,
        from_week=week, to_week=week,
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_shift_load(
    *,
    programme,
    programme_exercise,
    from_week: int,
    reason: str,
    by,
    version: int,
    delta_kg=None,
    delta_pct=None,
    to_week: int | None = None,
) -> Programme:
    """+/- X kg or X % of each week's load from week N onward (or up to to_week), capped."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    from_week = _week(programme, from_week)
    if to_week is not None:
        to_week = _week(programme, to_week, "to_week")
        if to_week < from_week:
            raise ValidationError({"to_week": "The last week cannot be before the first."})
    if delta_kg is not None and not -MAX_LOAD_KG <= Decimal(str(delta_kg)) <= MAX_LOAD_KG:
        raise ValidationError({"amount": f"A change is at most {MAX_LOAD_KG} kg either way."})
    if delta_pct is not None and not -90 <= Decimal(str(delta_pct)) <= 100:
        raise ValidationError({"amount": "A change in % is between -90 % and +100 %."})
    try:
        new = plans.apply_change(
            _loads(rows),
            from_week=from_week,
            to_week=to_week,
            delta_kg=delta_kg,
            delta_pct=delta_pct,
            load_step=programme_exercise.load_step_kg,
            ceiling_kg=programme_exercise.ceiling_kg,
        )
    except ValueError as error:
        message = str(error)
        if "above the ceiling" in message:
            message = (
                f"{programme_exercise.exercise.name}: {message[:-1]} "
                f"({programme_exercise.ceiling_pct.normalize():f} % of the estimated 1RM). "
                "Choose a smaller change. Nothing was saved."
            )
        raise ValidationError({"amount": message}) from error
    kind = ChangeKind.SHIFT_KG if delta_kg is not None else ChangeKind.SHIFT_PCT
    _apply(
        programme, programme_exercise, rows, new, kind=kind, by=by, reason=reason,
        from_week=from_week, to_week=to_week or programme.weeks,
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_hold_week(*, programme, programme_exercise, week: int, reason: str, by, version: int):
    """Repeat the previous week's load in this week (the patient needs more time at it)."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    if not isinstance(week, int) or not 2 <= week <= programme.weeks:
        raise ValidationError({"week": f"Choose a week from 2 to {programme.weeks} to hold."})
    new = plans.hold_week(_loads(rows), week=week)
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.HOLD, by=by, reason=reason,
        from_week=week, to_week=week, deload=False, field="week",
    )  # fmt: skip
    return programme


@transaction.atomic
def plan_deload_week(
    *, programme, programme_exercise, week: int, percent, reason: str, by, version: int
):
    """Make one week a lighter week: percent of the previous week's load, rounded down."""
    programme = _lock(programme, version)
    rows = _plan_of(programme, programme_exercise)
    if not isinstance(week, int) or not 2 <= week <= programme.weeks:
        raise ValidationError({"week": f"Choose a week from 2 to {programme.weeks} to deload."})
    try:
        new = plans.deload_week(
            _loads(rows),
            week=week,
            fraction=Decimal(str(percent)) / 100,
            load_step=programme_exercise.load_step_kg,
        )
    except ValueError:
        raise ValidationError(
            {"amount": "A deload week is between 1 and 99 % of the previous week's load."}
        ) from None
    _apply(
        programme, programme_exercise, rows, new, kind=ChangeKind.DELOAD, by=by, reason=reason,
        from_week=week, to_week=week, deload=True,
    )  # fmt: skip
    return programme


# --- The changes a clinician chooses from ------------------------------------------------------


@dataclass(frozen=True)
class PlanChangeKind:
    label: str  # as the clinician chooses it on the change form
    apply: Callable[..., Programme]  # (common arguments, week, to_week, amount)
    needs_amount: bool = True


PLAN_CHANGE_KINDS = {
    ChangeKind.SET_LOAD: PlanChangeKind(
        "Set one week's load (kg)",
        lambda common, week, to_week, amount: plan_set_load(**common, week=week, load_kg=amount),
    ),
    ChangeKind.SHIFT_KG: PlanChangeKind(
        "Add or remove kg from this week on",
        lambda common, week, to_week, amount: plan_shift_load(
            **common, from_week=week, to_week=to_week, delta_kg=amount
        ),
    ),
    ChangeKind.SHIFT_PCT: PlanChangeKind(
        "Add or remove % of the load from this week on",
        lambda common, week, to_week, amount: plan_shift_load(
            **common, from_week=week, to_week=to_week, delta_pct=amount
        ),
    ),
    ChangeKind.HOLD: PlanChangeKind(
        "Hold: repeat the previous week's load in this week",
        lambda common, week, to_week, amount: plan_hold_week(**common, week=week),
        needs_amount=False,
    ),
    ChangeKind.DELOAD: PlanChangeKind(
        "Deload: this week at a % of the previous week's load",
        lambda common, week, to_week, amount: plan_deload_week(**common, week=week, percent=amount),
    ),
}


def plan_change(*, kind: str, week: int, to_week: int | None = None, amount=None, **common):
    """One of PLAN_CHANGE_KINDS, by its ChangeKind; any other kind is refused, never guessed.
    common: programme, programme_exercise, reason, by, version."""
    if kind not in PLAN_CHANGE_KINDS:
        raise ValueError(f"{kind!r} is not a change a clinician makes to a plan.")
    return PLAN_CHANGE_KINDS[kind].apply(common, week, to_week, amount)
