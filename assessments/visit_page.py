"""The visit page: what it shows beyond the row itself (scores, bands, the walk's reference,
the window) and the visit's history."""

from __future__ import annotations

from dataclasses import dataclass

from patients.ages import age_on
from patients.history import change_history

from . import measures, tinetti
from .models import DERIVED_FIELDS, SCHEDULED_TIMEPOINTS, Visit
from .selectors import previous_visit, programme_windows

# --- one visit's derived measures --------------------------------------------------------------


@dataclass
class WalkReference:
    predicted_m: float | None
    lower_limit_m: float | None
    pct_predicted: float | None
    below_lower_limit: bool
    reason: str  # why there is no prediction, when there is none


def walk_reference(visit: Visit) -> WalkReference | None:
    """% predicted and lower limit of normal (Enright & Sherrill 1998) when they apply."""
    if visit.walk_distance_m is None:
        return None
    patient = visit.patient
    age = age_on(patient.date_of_birth, visit.assessed_on)
    height = float(visit.height_cm) if visit.height_cm is not None else None
    weight = float(visit.weight_kg) if visit.weight_kg is not None else None
    inputs = {"sex": patient.sex, "age": age, "height_cm": height, "weight_kg": weight}
    predicted = measures.predicted_walk_m(**inputs)
    if predicted is None:
        if height is None or weight is None:
            reason = "Record height and weight at this visit for a % predicted."
        elif not measures.WALK_MIN_AGE <= age <= measures.WALK_MAX_AGE:
            reason = (
                f"No % predicted: the reference equation covers ages {measures.WALK_MIN_AGE}"
                f"-{measures.WALK_MAX_AGE} and the patient was {age}."
            )
        else:
            reason = "No % predicted: the equation gives no usable value for these measures."
        return WalkReference(None, None, None, False, reason)
    lower = measures.walk_lower_limit_m(**inputs)
    return WalkReference(
        predicted_m=predicted,
        lower_limit_m=lower,
        pct_predicted=measures.walk_pct_predicted(visit.walk_distance_m, **inputs),
        below_lower_limit=visit.walk_distance_m < lower,
        reason="",
    )


# --- history ----------------------------------------------------------------------------------


def _field_label(name: str) -> str:
    item = tinetti.ITEMS_BY_CODE.get(name)
    if item is not None:
        section = tinetti.BALANCE_ITEMS if item.section == tinetti.BALANCE else tinetti.GAIT_ITEMS
        number = section.index(item) + 1
        return f"Tinetti {item.section} {number}: {item.task}"
    return str(Visit._meta.get_field(name).verbose_name)


def visit_history(visit: Visit) -> list[dict]:
    """Each change to the visit, newest first: who, when, and old -> new for each line."""
    return change_history(
        visit,
        user_fields=["assessor"],
        label=_field_label,
        ignored=["updated_at"],
        # The subtotals are not editable fields, but their change belongs in the history too.
        derived_fields=DERIVED_FIELDS,
    )


# --- the visit page ---------------------------------------------------------------------------


@dataclass
class LineRow:
    item: tinetti.Item
    number: int
    score: int
    label: str


def visit_page_context(visit: Visit) -> dict:
    """What the visit page shows beyond the row itself: scores, bands, references, window."""
    score = visit.tinetti_score
    lines = []
    if score is not None:
        for section in (tinetti.BALANCE_ITEMS, tinetti.GAIT_ITEMS):
            for number, item in enumerate(section, start=1):
                value = getattr(visit, item.code)
                lines.append(LineRow(item, number, value, item.label(value)))
    previous = previous_visit(visit) if visit.pain_nrs is not None else None
    previous_pain = previous.pain_nrs if previous is not None else None
    programme = visit.programme
    window = None
    if visit.timepoint in SCHEDULED_TIMEPOINTS:
        window = programme_windows(programme, visit.assessed_on)[visit.timepoint]
    return {
        "visit": visit,
        "patient": visit.patient,
        "programme": programme,
        "age": age_on(visit.patient.date_of_birth, visit.assessed_on),
        "score": score,
        "lines": lines,
        "sections": [
            (
                f"Balance (/{tinetti.BALANCE_MAX})",
                [r for r in lines if r.item.section == tinetti.BALANCE],
            ),
            (f"Gait (/{tinetti.GAIT_MAX})", [r for r in lines if r.item.section == tinetti.GAIT]),
        ],
        "tinetti": tinetti,
        "walk": walk_reference(visit),
        "sts_flag": measures.sts_flag(float(visit.sts_seconds))
        if visit.sts_seconds is not None
        else None,
        "sts_fall_risk_seconds": measures.STS_FALL_RISK_SECONDS,
        "pain_band": measures.pain_band(visit.pain_nrs) if visit.pain_nrs is not None else None,
        "pain_flag": measures.pain_flag(visit.pain_nrs, previous_pain)
        if visit.pain_nrs is not None
        else False,
        "previous_pain": previous_pain,
        "window": window,
        "on_time": window.contains(visit.assessed_on) if window else None,
        # The week-6 visit is when an exercising patient's strength is re-tested.
        "offers_retest": visit.is_week6 and programme.can_change_plan,
    }
