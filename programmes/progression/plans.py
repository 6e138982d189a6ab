"""The weekly plan: scheduled progression with double progression, and the clinician's changes
to it (no Django)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ._numbers import CENT, Number, _decimal, _fraction, _percentage, _step, _week_index
from .schedule import MAX_WEEKS
from .strength import (
    FORMULAS,
    _reps,
    ceiling_load,
    reps_allowed,
    reserve_problem,
    round_down_to_step,
)

MAX_RISE = Decimal("0.10")  # a load rising more than 10 % needs fewer repetitions with it
REPS_STEP = 2  # double progression: repetitions added in a week the load cannot rise


@dataclass(frozen=True)
class PlannedWeek:
    week: int
    intensity_pct: Decimal  # prescribed % of 1RM (a deload week: previous week's x fraction)
    load_kg: Decimal
    is_deload: bool
    too_light: bool  # rounded to 0 kg: the clinician should choose a lighter implement
    target_reps: int = 10


def build_plan(
    *,
    one_rm: Number,
    weeks: int = 12,
    start_pct: Number,
    ceiling_pct: Number,
    increase_pct: Number = 0,
    every_n_weeks: int = 0,
    load_step: Number,
    deload_weeks: Mapping[int, Number] | None = None,
    target_reps: int = 10,
    max_reps: int | None = None,
    reps_step: int = REPS_STEP,
    formula: str = "brzycki",
    sets: int = 3,
    kept: Sequence[PlannedWeek] = (),
) -> list[PlannedWeek]:
    """Scheduled progression: start_pct, +increase_pct every N weeks, capped at ceiling_pct;
    with double progression where the equipment is too coarse for the schedule.

    target_reps..max_reps is the repetition range (max_reps None: target_reps, no range).
    Compared with the last week that is not a deload week, a week's load rises by one step at
    most; a rise of more than 10 % happens only from above the bottom of the range, and the
    repetitions go back to the bottom with it; otherwise the week adds reps_step repetitions
    instead (up to the top of the range), or holds. Every week leaves MIN_RESERVE repetitions in
    reserve by ``formula`` (the one the 1RM was estimated with): a ceiling that cannot, for
    target_reps, is refused. A deload week keeps the week before's repetitions.

    kept: the first weeks as they already are (a re-test re-plans only the weeks after the ones
    under way): taken unchanged, and the weeks after them continue from them by the same rules
    and this 1RM. A week may come down to the schedule (the 1RM fell), and its repetitions always
    to what leaves MIN_RESERVE in reserve at its load.
    """
    rm = _decimal(one_rm, "The 1RM")
    if rm <= 0:
        raise ValueError("The 1RM must be greater than 0 kg.")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"A programme must last between 1 and {MAX_WEEKS} weeks.")
    start = _percentage(start_pct, "The starting intensity")
    ceiling = _percentage(ceiling_pct, "The ceiling intensity")
    if ceiling < start:
        raise ValueError("The ceiling intensity cannot be below the starting intensity.")
    increase = _percentage(increase_pct, "The intensity increase", minimum=0)
    if isinstance(every_n_weeks, bool) or not isinstance(every_n_weeks, int) or every_n_weeks < 0:
        raise ValueError("The number of weeks between increases cannot be negative.")
    step = _step(load_step)
    bottom = _reps(target_reps, "Target repetitions")
    top = bottom if max_reps is None else _reps(max_reps, "The top of the repetition range")
    if top < bottom:
        raise ValueError(
            f"The top of the repetition range ({top}) cannot be below its bottom ({bottom})."
        )
    if isinstance(reps_step, bool) or not isinstance(reps_step, int) or reps_step < 1:
        raise ValueError("The repetitions added in a week must be at least 1.")
    if formula not in FORMULAS:
        raise ValueError(f"Unknown 1RM formula {formula!r}: use one of {', '.join(FORMULAS)}.")
    problem = reserve_problem(sets, bottom, ceiling, formula)
    if problem:
        raise ValueError(problem)
    deloads: dict[int, Decimal] = {}
    for week, fraction in (deload_weeks or {}).items():
        if isinstance(week, bool) or not isinstance(week, int) or not 1 <= week <= weeks:
            raise ValueError(f"Deload week {week} is outside the {weeks}-week programme.")
        if week == 1:
            raise ValueError("Week 1 cannot be a deload week: there is no previous week.")
        deloads[week] = _fraction(fraction)
    if len(kept) >= weeks:
        raise ValueError(f"No week is left to plan after week {len(kept)}.")
    if [w.week for w in kept] != list(range(1, len(kept) + 1)):
        raise ValueError("The weeks kept must be weeks 1, 2, ... in order.")

    top_load = ceiling_load(rm, ceiling, step)
    plan: list[PlannedWeek] = []
    last: PlannedWeek | None = None  # the last week that is not a deload week
    for week in range(1, weeks + 1):
        if week <= len(kept):
            planned = kept[week - 1]
            plan.append(planned)
            if not planned.is_deload:
                last = planned
            continue
        if week in deloads:
            previous = plan[-1]
            pct = (previous.intensity_pct * deloads[week]).quantize(CENT)
            # Capped: after a re-test with a lower 1RM the week before (kept) may be above the
            # new ceiling, and a lighter week must never be heavier than the new 1RM allows.
            load = min(round_down_to_step(previous.load_kg * deloads[week], step), top_load)
            reps = max(bottom, min(previous.target_reps, reps_allowed(load, rm, formula)))
        else:
            # increase_pct=0 or every_n_weeks=0 means a flat plan.
            rises = (week - 1) // every_n_weeks if every_n_weeks and increase else 0
            pct = min(start + rises * increase, ceiling).quantize(CENT)
            # min() guards against the ceiling being crossed by rounding.
            scheduled = min(round_down_to_step(rm * pct / 100, step), top_load)
            if last is None:
                load, reps = scheduled, bottom
            else:
                load, reps = _progress(last, scheduled, step, bottom, top, reps_step, rm, formula)
            # Only a kept week can leave more repetitions than this load allows (a lower 1RM).
            reps = max(bottom, min(reps, reps_allowed(load, rm, formula)))
        planned = PlannedWeek(week, pct, load, week in deloads, load == 0, reps)
        plan.append(planned)
        if not planned.is_deload:
            last = planned
    return plan


def _progress(last, scheduled, step, bottom, top, reps_step, rm, formula):
    """One week of double progression: (load, target repetitions) after ``last``."""
    if scheduled < last.load_kg:
        return scheduled, last.target_reps  # after a re-test with a lower 1RM: back to schedule
    if scheduled == last.load_kg:
        return last.load_kg, last.target_reps
    load = min(last.load_kg + step, scheduled)  # one step at most
    if load <= last.load_kg * (1 + MAX_RISE):
        return load, bottom
    more = min(last.target_reps + reps_step, top, reps_allowed(last.load_kg, rm, formula))
    if more > last.target_reps:
        return last.load_kg, more  # too big a jump: more repetitions at the same load instead
    if last.target_reps > bottom:
        return load, bottom  # the top of the range reached: one step, back to the bottom
    return last.load_kg, last.target_reps  # neither can move within the rules: hold


def apply_change(
    loads: Sequence[Number],
    *,
    from_week: int,
    delta_kg: Number | None = None,
    delta_pct: Number | None = None,
    load_step: Number,
    ceiling_kg: Number,
    to_week: int | None = None,
) -> list[Decimal]:
    """Clinician's adjustment: add kg or % of the current load from a week onwards, each week
    rounded down to the step. A change that would take a week above the ceiling is refused."""
    start = _week_index(loads, from_week)
    end = _week_index(loads, to_week, first=from_week) if to_week is not None else len(loads) - 1
    if (delta_kg is None) == (delta_pct is None):
        raise ValueError("Give the change either in kg or as a percentage (one of the two).")
    step = _step(load_step)
    top = round_down_to_step(_decimal(ceiling_kg, "The ceiling load"), step)
    kg = _decimal(delta_kg, "The change in kg") if delta_kg is not None else None
    pct = _decimal(delta_pct, "The change in %") if delta_pct is not None else None

    result = [_decimal(load, "A weekly load") for load in loads]
    for i in range(start, end + 1):
        changed = result[i] + kg if kg is not None else result[i] * (1 + pct / 100)
        result[i] = round_down_to_step(changed, step)
    above = [i + 1 for i in range(start, end + 1) if result[i] > top]
    if above:
        highest = max(result[i - 1] for i in above)
        raise ValueError(
            f"This would take {week_span(above)} to as much as {highest.normalize():f} kg, above "
            f"the ceiling of {top.normalize():f} kg."
        )
    return result


def hold_week(loads: Sequence[Number], *, week: int) -> list[Decimal]:
    """Repeat the previous week's load (e.g. the patient needs more time at this level)."""
    i = _week_index(loads, week, first=2)
    result = [_decimal(load, "A weekly load") for load in loads]
    result[i] = result[i - 1]
    return result


def deload_week(
    loads: Sequence[Number], *, week: int, fraction: Number, load_step: Number
) -> list[Decimal]:
    """Make one week lighter: fraction x the previous week's load, rounded down."""
    i = _week_index(loads, week, first=2)
    fraction = _fraction(fraction)
    result = [_decimal(load, "A weekly load") for load in loads]
    result[i] = round_down_to_step(result[i - 1] * fraction, load_step)
    return result


def weeks_below_step(loads: Mapping[int, Number], *, load_step: Number) -> list[int]:
    """The weeks ({week: load}) whose load is below the equipment's smallest step, i.e. 0 kg
    once rounded: a loaded exercise there would silently become "no added weight"."""
    step = _step(load_step)
    return sorted(week for week, load in loads.items() if _decimal(load, "A weekly load") < step)


def week_span(weeks: Sequence[int]) -> str:
    """Week numbers as a reader says them: [5, 6, 7, 9] -> "weeks 5-7, 9"; [3] -> "week 3"."""
    unique = sorted(set(weeks))
    runs: list[list[int]] = []
    for week in unique:
        if runs and week == runs[-1][-1] + 1:
            runs[-1].append(week)
        else:
            runs.append([week])
    text = ", ".join(f"{r[0]}-{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    return f"week{'s' if len(unique) > 1 else ''} {text}"


def below_step_message(name: str, load_step: Number, weeks: Sequence[int]) -> str:
    """The one refusal for a loaded exercise planned below its equipment's smallest step."""
    step = _step(load_step).normalize()
    return f"This would take {name} below {step:f} kg in {week_span(weeks)}."
