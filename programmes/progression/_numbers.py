"""Number checks shared by the progression modules (no Django)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

CENT = Decimal("0.01")

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
