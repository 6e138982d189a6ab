"""The measures other than the Tinetti test: their choices, their ranges (one table feeding the
form validators and the database constraints) and what counts as a visit's measure."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .. import measures


class WalkingAid(models.TextChoices):
    NONE = "none", "None"
    STICK = "stick", "Stick or cane"
    CRUTCHES = "crutches", "Crutches"
    FRAME = "frame", "Walking frame"
    OTHER = "other", "Other"


class StsConvention(models.TextChoices):
    FIFTH_STAND = "fifth_stand", "Timer stopped at the fifth stand"
    FIFTH_SIT = "fifth_sit", "Timer stopped at the fifth sit"


# field -> (lowest, highest, unit): one table feeds the form validators and the DB constraints.
MEASURE_RANGES = {
    "walk_distance_m": (0, 1000, "m"),
    "walk_stops": (0, 50, "stops"),
    "walk_hr_before": (30, 220, "beats/min"),
    "walk_hr_after": (30, 220, "beats/min"),
    "walk_dyspnoea_before": (0, 10, ""),
    "walk_dyspnoea_after": (0, 10, ""),
    "walk_fatigue_before": (0, 10, ""),
    "walk_fatigue_after": (0, 10, ""),
    "chair_stands": (0, measures.CHAIR_STAND_MAX, "stands"),
    "sts_seconds": (measures.STS_MIN_SECONDS, measures.STS_MAX_SECONDS, "s"),
    "pain_nrs": (0, measures.PAIN_MAX, ""),
    "height_cm": (100, 250, "cm"),
    "weight_kg": (20, 300, "kg"),
}
WALK_DETAIL_FIELDS = [
    "walk_stops",
    "walk_hr_before",
    "walk_hr_after",
    "walk_dyspnoea_before",
    "walk_dyspnoea_after",
    "walk_fatigue_before",
    "walk_fatigue_after",
]
# What makes a visit a visit: at least one of these measured (height and weight alone are not an
# outcome, and a visit without one would still mark its scheduled visit as done).
MEASURED_FIELDS = ["tinetti_total", "walk_distance_m", "chair_stands", "sts_seconds", "pain_nrs"]
NOTHING_MEASURED = (
    "Nothing was measured: record the Tinetti test or at least one other measure (6-minute walk, "
    "chair stand, sit-to-stand or pain). A visit with nothing measured is not a visit."
)
ARMS_NEEDED_MESSAGE = (
    "“Needed the arms” is ticked, and the protocol then scores 0: type 0 or leave the stands "
    "empty (or untick “needed the arms” if the patient stood with the arms crossed)."
)


def range_message(field: str) -> str:
    low, high, unit = MEASURE_RANGES[field]
    unit = f" {unit}" if unit else ""
    return f"Enter a value from {low:,} to {high:,}{unit}."


def range_validators(field: str) -> list:
    low, high, _ = MEASURE_RANGES[field]
    message = range_message(field)
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


def range_constraint(field: str, low, high) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"visit_{field}_in_range",
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
    )
