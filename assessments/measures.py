"""Reference equations and cut-offs for the simpler outcome measures.

Pure Python (no Django). Each function validates its range so a typing slip on a form
(e.g. 400 stands) is caught rather than silently scored.
"""

from __future__ import annotations

from programmes.pain import PAIN_MEANINGFUL_CHANGE, PAIN_SEVERE_FROM

# --- 6-minute walk test: Enright & Sherrill 1998 (healthy adults aged 40-80) ---------------

WALK_MIN_AGE = 40
WALK_MAX_AGE = 80
# Lower limit of normal = predicted minus these (metres), from the same paper.
WALK_LLN_MARGIN_M = {"male": 153.0, "female": 139.0}


def _walk_inputs_usable(sex, age, height_cm, weight_kg) -> bool:
    # Outside the equation's age range, or with anything unknown, we show the distance only.
    if sex not in WALK_LLN_MARGIN_M:
        return False
    if age is None or height_cm is None or weight_kg is None:
        return False
    return WALK_MIN_AGE <= age <= WALK_MAX_AGE


def predicted_walk_m(*, sex, age, height_cm, weight_kg) -> float | None:
    """Predicted 6-minute walk distance in metres, or None if the equation does not apply."""
    if not _walk_inputs_usable(sex, age, height_cm, weight_kg):
        return None
    if sex == "male":
        predicted = 7.57 * height_cm - 5.02 * age - 1.76 * weight_kg - 309
    else:
        predicted = 2.11 * height_cm - 2.29 * weight_kg - 5.78 * age + 667
    # Extreme heights/weights can drive the equation to zero or below: not a usable reference.
    return predicted if predicted > 0 else None


def walk_lower_limit_m(*, sex, age, height_cm, weight_kg) -> float | None:
    """Lower limit of normal (metres): predicted minus 153 m (men) or 139 m (women)."""
    predicted = predicted_walk_m(sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg)
    if predicted is None:
        return None
    return predicted - WALK_LLN_MARGIN_M[sex]


def walk_pct_predicted(distance_m, *, sex, age, height_cm, weight_kg) -> float | None:
    """Walked distance as a percentage of predicted, to one decimal place."""
    predicted = predicted_walk_m(sex=sex, age=age, height_cm=height_cm, weight_kg=weight_kg)
    if distance_m is None or predicted is None:
        return None
    return round(100 * distance_m / predicted, 1)


# --- 30-second chair stand -------------------------------------------------------------------

CHAIR_STAND_MAX = 40


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def chair_stand_score(stands: int, arms_needed: bool) -> int:
    """Score for the 30-second chair stand: the protocol scores 0 if the arms were needed."""
    if not _is_int(stands) or not 0 <= stands <= CHAIR_STAND_MAX:
        raise ValueError(f"stands: {stands!r} is not a whole number from 0 to {CHAIR_STAND_MAX}")
    return 0 if arms_needed else stands


# --- Five-times sit-to-stand -----------------------------------------------------------------

# 15 s or more is associated with recurrent falls in older adults (Buatois et al. 2008).
STS_FALL_RISK_SECONDS = 15
STS_MIN_SECONDS = 2
STS_MAX_SECONDS = 120


def sts_flag(seconds: float) -> bool:
    """True if a five-times sit-to-stand time suggests increased fall risk."""
    if isinstance(seconds, bool) or not STS_MIN_SECONDS <= seconds <= STS_MAX_SECONDS:
        raise ValueError(f"seconds: {seconds!r} is outside {STS_MIN_SECONDS}-{STS_MAX_SECONDS} s")
    return seconds >= STS_FALL_RISK_SECONDS


# --- Pain numeric rating scale (0-10) --------------------------------------------------------

PAIN_MAX = 10


def _check_nrs(name: str, nrs: int) -> None:
    if not _is_int(nrs) or not 0 <= nrs <= PAIN_MAX:
        raise ValueError(f"{name}: {nrs!r} is not a whole number from 0 to {PAIN_MAX}")


def pain_band(nrs: int) -> str:
    """0 none, 1-3 mild, 4-6 moderate, 7-10 severe."""
    _check_nrs("nrs", nrs)
    if nrs == 0:
        return "none"
    if nrs <= 3:
        return "mild"
    if nrs < PAIN_SEVERE_FROM:
        return "moderate"
    return "severe"


def pain_flag(current: int, previous: int | None = None) -> bool:
    """Flag severe pain, or pain that has risen by a meaningful amount since last time."""
    _check_nrs("current", current)
    if previous is not None:
        _check_nrs("previous", previous)
    if current >= PAIN_SEVERE_FROM:
        return True
    return previous is not None and current - previous >= PAIN_MEANINGFUL_CHANGE
