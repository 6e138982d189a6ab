"""Load progression for the 12-week progressive resistance exercise programme.

Pure Python (no Django) so the clinical arithmetic can be tested on its own.
Loads are ``Decimal`` kilograms quantised to 0.01 kg: binary floats would make
"is this a multiple of the 2.5 kg plate?" unreliable.  The functions only
suggest; the clinician decides.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

FORMULAS = ("brzycki", "epley")

CENT = Decimal("0.01")
MAX_TEST_LOAD_KG = Decimal(500)
MAX_TEST_REPS = 12  # estimates beyond about 10 repetitions are unreliable
MAX_WEEKS = 52
TWO_FOR_TWO_MARGIN = 2  # NSCA: 2 or more repetitions over target ...
TWO_FOR_TWO_SESSIONS = 2  # ... in two consecutive sessions
MIN_RESERVE = 2  # repetitions in reserve every planned week leaves (moderate intensity)
MAX_RISE = Decimal("0.10")  # a load rising more than 10 % needs fewer repetitions with it
REPS_STEP = 2  # double progression: repetitions added in a week the load cannot rise
MAX_TARGET_REPS = 30

Number = int | float | Decimal


def _decimal(value: Number, what: str) -> Decimal:
    """Convert a number to Decimal, refusing booleans, text, NaN and infinity."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{what} must be a number.")
    # str() keeps 0.1 as 0.1 rather than its binary approximation.
    result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number.")
    return result


def _percentage(value: Number, what: str, *, minimum: int = 1) -> Decimal:
    pct = _decimal(value, what)
    if not minimum <= pct <= 100:
        raise ValueError(f"{what} must be between {minimum} % and 100 %.")
    return pct


def _step(load_step: Number) -> Decimal:
    step = _decimal(load_step, "The load step")
    if step <= 0:
        raise ValueError("The load step must be greater than zero.")
    return step


def _fraction(value: Number) -> Decimal:
    fraction = _decimal(value, "The deload fraction")
    if not 0 < fraction < 1:
        raise ValueError("A deload fraction must be between 0 and 1 (e.g. 0.8 for 80 %).")
    return fraction


def _week_index(loads: Sequence[Number], week: int, *, first: int = 1) -> int:
    """Validate a 1-based week number against the plan and return its list index."""
    if isinstance(week, bool) or not isinstance(week, int) or not first <= week <= len(loads):
        raise ValueError(f"Week must be between {first} and {len(loads)}.")
    return week - 1


def estimate_one_rm(load: Number, reps: int, formula: str = "brzycki") -> float:
    """Estimated one-repetition maximum (kg, 2 decimals) from a test to fatigue."""
    if formula not in FORMULAS:
        raise ValueError(f"Unknown 1RM formula {formula!r}: use one of {', '.join(FORMULAS)}.")
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= MAX_TEST_REPS:
        raise ValueError(
            f"Repetitions to fatigue must be between 1 and {MAX_TEST_REPS}: "
            "estimates beyond about 10 repetitions are unreliable."
        )
    weight = _decimal(load, "The test load")
    if weight <= 0:
        raise ValueError("The test load must be greater than 0 kg.")
    if weight > MAX_TEST_LOAD_KG:
        raise ValueError(f"The test load cannot exceed {MAX_TEST_LOAD_KG} kg.")
    if reps == 1:
        one_rm = weight  # a single repetition is the 1RM itself
    elif formula == "brzycki":
        one_rm = weight * 36 / (37 - reps)
    else:
        one_rm = weight * (1 + Decimal(reps) / 30)
    return float(one_rm.quantize(CENT, rounding=ROUND_HALF_UP))


def round_down_to_step(load: Number, step: Number) -> Decimal:
    """Largest achievable load (multiple of step) not above ``load``; never negative.

    Rounding down, never up: the patient must not be given more than prescribed.
    """
    step = _step(step)
    load = _decimal(load, "The load")
    if load <= 0:
        return Decimal(0).quantize(CENT)
    return ((load / step).to_integral_value(rounding=ROUND_FLOOR) * step).quantize(CENT)


def ceiling_load(one_rm: Number, ceiling_pct: Number, step: Number) -> Decimal:
    """The heaviest achievable load allowed by the prescription's ceiling intensity."""
    pct = _percentage(ceiling_pct, "The ceiling intensity")
    return round_down_to_step(_decimal(one_rm, "The 1RM") * pct / 100, step)


def reps_to_fatigue(fraction: Number, formula: str = "brzycki") -> Decimal:
    """Repetitions to fatigue at a load of ``fraction`` x 1RM: the 1RM formula inverted.

    Brzycki ``37 - 36 f``; Epley ``30 (1/f - 1)``; never below 0. Exact (not rounded)."""
    if formula not in FORMULAS:
        raise ValueError(f"Unknown 1RM formula {formula!r}: use one of {', '.join(FORMULAS)}.")
    f = _decimal(fraction, "The fraction of the 1RM")
    if f <= 0:
        raise ValueError("The fraction of the 1RM must be greater than 0.")
    reps = 37 - 36 * f if formula == "brzycki" else 30 * (1 - f) / f
    return max(reps, Decimal(0))


def _reps(value: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_TARGET_REPS:
        raise ValueError(f"{what} must be between 1 and {MAX_TARGET_REPS}.")
    return value


def max_pct_for_reps(reps: int, formula: str | None = None) -> Decimal:
    """The highest % of 1RM at which ``reps`` repetitions leave MIN_RESERVE in reserve.

    formula None: the stricter of the two formulas (a template does not know which formula the
    baseline will be estimated with). Exact: compare, do not round, then show it rounded down."""
    reps = _reps(reps, "Target repetitions")
    fatigue = reps + MIN_RESERVE  # the repetitions to fatigue the load must allow
    limits = {
        "brzycki": Decimal(37 - fatigue) * 100 / 36,
        "epley": Decimal(30) * 100 / (fatigue + 30),
    }
    if formula is not None and formula not in FORMULAS:
        raise ValueError(f"Unknown 1RM formula {formula!r}: use one of {', '.join(FORMULAS)}.")
    return max(min(limits.values()) if formula is None else limits[formula], Decimal(0))


def reserve_problem(sets: int, reps: int, pct: Number, formula: str | None = None) -> str | None:
    """Why ``sets`` x ``reps`` at ``pct`` % of 1RM leaves fewer than MIN_RESERVE repetitions in
    reserve, with the numbers; None when it leaves enough. formula None: the stricter one."""
    pct = _percentage(pct, "The intensity")
    limit = max_pct_for_reps(reps, formula)
    if pct <= limit:
        return None
    formulas = FORMULAS if formula is None else (formula,)
    reserve = min(reps_to_fatigue(pct / 100, name) for name in formulas) - reps
    left = (
        "leaves no repetitions in reserve"
        if reserve <= 0
        else f"leaves only {reserve.quantize(Decimal('0.1'), rounding=ROUND_FLOOR)} repetitions "
        f"in reserve (at least {MIN_RESERVE} are needed)"
    )
    most = limit.to_integral_value(rounding=ROUND_FLOOR)
    return (
        f"{sets} x {reps} at {pct.normalize():f} % {left}: at most {most} % for {reps} repetitions."
    )


def reps_allowed(load: Number, one_rm: Number, formula: str = "brzycki") -> int:
    """The most repetitions a set at ``load`` may target and still leave MIN_RESERVE in reserve
    (a large number for no load)."""
    load, rm = _decimal(load, "The load"), _decimal(one_rm, "The 1RM")
    if load <= 0:
        return MAX_TARGET_REPS
    fatigue = reps_to_fatigue(load / rm, formula)
    return int((fatigue - MIN_RESERVE).to_integral_value(rounding=ROUND_FLOOR))


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
            load = round_down_to_step(previous.load_kg * deloads[week], step)
            reps = previous.target_reps
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


def two_for_two_met(sessions: Sequence[tuple[int, int]]) -> bool:
    """NSCA 2-for-2 rule over (target_reps, reps_done_in_last_set) pairs, oldest first."""
    recent = list(sessions)[-TWO_FOR_TWO_SESSIONS:]
    return len(recent) == TWO_FOR_TWO_SESSIONS and all(
        done >= target + TWO_FOR_TWO_MARGIN for target, done in recent
    )


@dataclass(frozen=True)
class Proposal:
    """What a met 2-for-2 rule proposes for the next sessions: a load and its target repetitions;
    ``why`` says why the load does not rise when only the repetitions do."""

    load_kg: Decimal
    reps: int
    why: str = ""


def _kg_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _pct_text(part: Decimal, whole: Decimal) -> str:
    """part as a signed % of whole, to 0.1 %: "+20", "+14.3" (never a rounder, kinder number)."""
    pct = (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{'+' if pct >= 0 else ''}{_kg_text(pct)}"


def max_rise_load(current_load: Number, load_step: Number) -> Decimal:
    """The heaviest achievable load at most MAX_RISE above ``current_load``."""
    current = _decimal(current_load, "The current load")
    return round_down_to_step(current * (1 + MAX_RISE), load_step)


def propose(
    current_load: Number,
    current_reps: int,
    *,
    increase_pct: Number,
    load_step: Number,
    ceiling_kg: Number,
    one_rm: Number,
    formula: str = "brzycki",
    bottom_reps: int,
    top_reps: int,
    reps_step: int = REPS_STEP,
) -> Proposal | None:
    """After the 2-for-2 rule is met: the template's increase, but never more than MAX_RISE and
    never above the ceiling, rounded down to the step (one step when that rounds to nothing);
    where the equipment cannot do that, or the heavier load would not leave MIN_RESERVE
    repetitions for the bottom of the range, reps_step more repetitions at the same load (up to
    the top of the range and the reserve). None when neither can move."""
    current = _decimal(current_load, "The current load").quantize(CENT)
    increase = _decimal(increase_pct, "The suggested increase")
    if increase <= 0:
        raise ValueError("The suggested increase must be greater than 0 %.")
    step = _step(load_step)
    top = round_down_to_step(_decimal(ceiling_kg, "The ceiling load"), step)
    current_reps = _reps(current_reps, "The current target repetitions")
    rise = min(increase / 100, MAX_RISE)
    load = round_down_to_step(current * (1 + rise), step)
    if load <= current:
        load = round_down_to_step(current, step) + step  # a % of a light load rounds to nothing
    why = ""
    if current >= top:
        why = f"{_kg_text(current)} kg is this exercise's ceiling"
    elif current == 0:
        why = "a load from 0 kg needs a clinician's choice of implement"
    elif min(load, top) > current * (1 + MAX_RISE):
        why = (
            f"the next step (+{_kg_text(load - current)} kg) would be "
            f"{_pct_text(load - current, current)} %, "
            f"over the {_kg_text(MAX_RISE * 100)} % limit"
        )
    else:
        load = min(load, top)
        allowed = reps_allowed(load, one_rm, formula)
        if allowed >= bottom_reps:
            return Proposal(load, max(min(current_reps, allowed), bottom_reps))
        why = f"{_kg_text(load)} kg would leave fewer than {MIN_RESERVE} repetitions in reserve"
    more = min(current_reps + reps_step, top_reps, reps_allowed(current, one_rm, formula))
    if more > current_reps:
        return Proposal(current, more, why)
    return None


def proposal_label(
    current_load: Number, current_reps: int, proposal: Proposal, *, sets: int
) -> str:
    """The proposal in its real numbers: "+2.5 kg (+20 %) to 15 kg"; "+2 repetitions to
    3 × 12 at 12.5 kg: the next step would be +20 %, over the 10 % limit"."""
    current = _decimal(current_load, "The current load")
    delta = proposal.load_kg - current
    changes = []
    if delta:
        pct = f" ({_pct_text(delta, current)} %)" if current else ""
        changes.append(f"{'+' if delta > 0 else '−'}{_kg_text(abs(delta))} kg{pct}")
    if proposal.reps != current_reps:
        more = proposal.reps - current_reps
        changes.append(f"{'+' if more > 0 else '−'}{abs(more)} repetitions")
    if not changes:
        text = f"no change: {sets} × {proposal.reps} at {_kg_text(proposal.load_kg)} kg"
    elif delta and proposal.reps == current_reps:
        text = f"{changes[0]} to {_kg_text(proposal.load_kg)} kg"
    else:
        to = f"{sets} × {proposal.reps} at {_kg_text(proposal.load_kg)} kg"
        text = f"{' and '.join(changes)} to {to}"
    return f"{text}: {proposal.why}" if proposal.why else text


def proposal_problems(
    current_load: Number,
    *,
    load_kg: Number,
    reps: int,
    sets: int,
    load_step: Number,
    ceiling_kg: Number,
    one_rm: Number,
    formula: str = "brzycki",
    loaded: bool = True,
) -> dict[str, str]:
    """Why a (changed) proposal cannot be accepted, by field ("load_kg", "reps"), with the
    numbers: above the ceiling, a rise over MAX_RISE, off or below the equipment's step, or
    fewer than MIN_RESERVE repetitions in reserve. Empty when it can."""
    current = _decimal(current_load, "The current load")
    load, step = _decimal(load_kg, "The load"), _step(load_step)
    top = round_down_to_step(_decimal(ceiling_kg, "The ceiling load"), step)
    rm = _decimal(one_rm, "The 1RM")
    problems: dict[str, str] = {}
    most = max_rise_load(current, step)
    if load < 0 or round_down_to_step(load, step) != load:
        problems["load_kg"] = f"Use a multiple of {_kg_text(step)} kg, the equipment's step."
    elif load > top:
        problems["load_kg"] = (
            f"{_kg_text(load)} kg is above this exercise's ceiling of {_kg_text(top)} kg."
        )
    elif current and load > current and load > current * (1 + MAX_RISE):
        problems["load_kg"] = (
            f"{_kg_text(load)} kg is {_pct_text(load - current, current)} % on "
            f"{_kg_text(current)} kg: a suggestion adds at most {_kg_text(MAX_RISE * 100)} % "
            f"({_kg_text(max(most, current))} kg with {_kg_text(step)} kg steps)."
        )
    elif loaded and load < step:
        problems["load_kg"] = (
            f"{_kg_text(load)} kg is below the equipment's smallest step of {_kg_text(step)} kg: "
            "choose a lighter implement instead."
        )
    if isinstance(reps, bool) or not isinstance(reps, int) or not 1 <= reps <= MAX_TARGET_REPS:
        problems["reps"] = f"Target repetitions are between 1 and {MAX_TARGET_REPS}."
    elif "load_kg" not in problems and reps > reps_allowed(load, rm, formula):
        # Rounded up: still above the limit that refused it.
        pct = min(load * 100 / rm, Decimal(100)).quantize(Decimal("0.1"), rounding=ROUND_CEILING)
        problems["reps"] = (
            f"{_kg_text(load)} kg is {_kg_text(pct)} % of the estimated 1RM "
            f"({_kg_text(rm)} kg): {reserve_problem(sets, reps, pct, formula)}"
        )
    return problems


def accept_proposal(
    rows: Sequence[tuple[Number, int]],
    *,
    from_week: int,
    load_kg: Number,
    reps: int,
    ceiling_kg: Number,
) -> list[tuple[Decimal, int]]:
    """The plan's (load, target repetitions) weeks after accepting a proposal from from_week:
    that week becomes the proposal; every later week moves up by the same load, capped at the
    ceiling and never lowered, and a later week at the proposal's load never targets fewer
    repetitions than it."""
    loads = [_decimal(load, "A weekly load") for load, _ in rows]
    start = _week_index(loads, from_week)
    new_load = _decimal(load_kg, "The new load").quantize(CENT)
    rise = new_load - loads[start]
    top = _decimal(ceiling_kg, "The ceiling load")
    result = [
        (load.quantize(CENT), row_reps) for load, (_, row_reps) in zip(loads, rows, strict=True)
    ]
    result[start] = (new_load, reps)
    for i in range(start + 1, len(result)):
        load, row_reps = result[i]
        moved = max(load, min(load + rise, top)).quantize(CENT)
        result[i] = (moved, max(row_reps, reps) if moved == new_load else row_reps)
    return result


def week_number(start: datetime.date, today: datetime.date, paused_days: int = 0) -> int:
    """Programme week (1-based) for a date; 0 before the start; pauses push weeks later."""
    if isinstance(paused_days, bool) or not isinstance(paused_days, int) or paused_days < 0:
        raise ValueError("Paused days cannot be negative.")
    elapsed = (today - start).days
    if elapsed < 0:
        return 0
    return max(elapsed - paused_days, 0) // 7 + 1


Pause = tuple[datetime.date, datetime.date]  # first paused day, day of resumption


def paused_days_before(
    day: datetime.date, pauses: Sequence[Pause], current_pause_from: datetime.date | None = None
) -> int:
    """Days of pause before `day`: only pauses that began before it count, and only their part
    before it, so a pause never moves the weeks of the days before it."""
    total = 0
    for first, resumed in pauses:
        if resumed < first:
            raise ValueError("A pause cannot end before it starts.")
        total += max((min(resumed, day) - first).days, 0)
    if current_pause_from:  # still paused: it counts up to the day asked about
        total += max((day - current_pause_from).days, 0)
    return total


def week_start(
    start: datetime.date,
    week: int,
    pauses: Sequence[Pause],
    current_pause_from: datetime.date | None = None,
    today: datetime.date | None = None,
) -> datetime.date:
    """First day of a programme week, moved on by the pauses that began before it (an open
    pause counts up to `today`)."""
    first = start + datetime.timedelta(days=(week - 1) * 7)
    spans = sorted(pauses)
    if current_pause_from and today:
        spans.append((current_pause_from, max(today, current_pause_from)))
    for pause_from, resumed in spans:
        if pause_from <= first:
            first += resumed - pause_from
    return first
