"""The 2-for-2 rule and what it proposes for the next sessions (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from ._numbers import CENT, Number, _decimal, _step, _week_index
from .plans import MAX_RISE, REPS_STEP
from .strength import (
    MAX_TARGET_REPS,
    MIN_RESERVE,
    _reps,
    reps_allowed,
    reserve_problem,
    round_down_to_step,
)

TWO_FOR_TWO_MARGIN = 2  # NSCA: 2 or more repetitions over target ...
TWO_FOR_TWO_SESSIONS = 2  # ... in two consecutive sessions


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
