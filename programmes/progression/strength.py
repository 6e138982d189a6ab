"""The 1RM estimate, repetitions to fatigue and in reserve, and rounding to the equipment's
step (no Django)."""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from ._numbers import CENT, Number, _decimal, _percentage, _step

FORMULAS = ("brzycki", "epley")

MAX_TEST_LOAD_KG = Decimal(500)
MAX_TEST_REPS = 12  # estimates beyond about 10 repetitions are unreliable
MIN_RESERVE = 2  # repetitions in reserve every planned week leaves (moderate intensity)
MAX_TARGET_REPS = 30


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
