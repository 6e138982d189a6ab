"""The prescription: how one exercise is dosed and progressed, with its limits. Template rows
and programme rows are both prescriptions."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from ..progression import schedule, strength


def _pct_field(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


# The one table of a prescription's limits, (lowest, highest) inclusive: the fields' validators,
# the database constraints below and the template form's inputs are all built from it.
PRESCRIPTION_LIMITS = {
    "sets": (1, 10),
    "target_reps": (1, strength.MAX_TARGET_REPS),
    "max_reps": (1, strength.MAX_TARGET_REPS),
    "start_pct": (1, 100),
    "ceiling_pct": (1, 100),
    "increase_pct": (0, 50),
    "every_n_weeks": (0, schedule.MAX_WEEKS),
    "performance_increase_pct": (0, 20),
    "deload_pct": (1, 99),
}


def _limited(name):
    low, high = PRESCRIPTION_LIMITS[name]
    return [MinValueValidator(low), MaxValueValidator(high)]


def _in_range(name) -> Q:
    low, high = PRESCRIPTION_LIMITS[name]
    return Q(**{f"{name}__gte": low, f"{name}__lte": high})


class Prescription(models.Model):
    """How one exercise is dosed and progressed; shared by template rows and programme rows."""

    order = models.PositiveSmallIntegerField(default=1)
    sets = models.PositiveSmallIntegerField(default=3, validators=_limited("sets"))
    target_reps = models.PositiveSmallIntegerField(
        "target repetitions",
        default=10,
        help_text="The bottom of the repetition range: each week a load rises starts here.",
        validators=_limited("target_reps"),
    )
    max_reps = models.PositiveSmallIntegerField(
        "top of the repetition range",
        default=15,
        help_text="Where the equipment's step is too big a jump (over 10 %), the plan raises the "
        "repetitions up to this instead; equal to the target for no double progression.",
        validators=_limited("max_reps"),
    )
    start_pct = _pct_field(
        "starting intensity (% of 1RM)", default=50, validators=_limited("start_pct")
    )
    ceiling_pct = _pct_field(
        "ceiling intensity (% of 1RM)",
        default=65,
        help_text="Moderate intensity is 50-69 %; the target repetitions must leave 2 in "
        "reserve at it (3 x 10: at most 69 %).",
        validators=_limited("ceiling_pct"),
    )
    increase_pct = _pct_field(
        "scheduled increase (% of 1RM)",
        default=5,
        help_text="Added every N weeks; 0 for no scheduled increase.",
        validators=_limited("increase_pct"),
    )
    every_n_weeks = models.PositiveSmallIntegerField(
        "every N weeks",
        default=2,
        help_text="0 for no scheduled increase.",
        validators=_limited("every_n_weeks"),
    )
    performance_increase_pct = _pct_field(
        "2-for-2 increase (% of current load)",
        default=5,
        help_text="Suggested when the patient does 2+ repetitions over target in the last set "
        "of two consecutive sessions; 0 to switch the suggestion off.",
        validators=_limited("performance_increase_pct"),
    )
    deload_weeks = models.CharField(
        max_length=60, blank=True, help_text="Week numbers separated by commas, e.g. 4, 8."
    )
    deload_pct = _pct_field(
        "deload (% of the previous week's load)",
        default=80,
        help_text="e.g. 80.",
        validators=_limited("deload_pct"),
    )

    class Meta:
        abstract = True

    @staticmethod
    def prescription_constraints(prefix):
        sets, reps, top = (PRESCRIPTION_LIMITS[n] for n in ("sets", "target_reps", "max_reps"))
        start, ceiling = PRESCRIPTION_LIMITS["start_pct"], PRESCRIPTION_LIMITS["ceiling_pct"]
        return [
            models.CheckConstraint(
                name=f"{prefix}_sets_in_range",
                condition=_in_range("sets"),
                violation_error_message=f"Sets must be between {sets[0]} and {sets[1]}.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_target_reps_in_range",
                condition=_in_range("target_reps"),
                violation_error_message=f"Target repetitions must be between {reps[0]} and "
                f"{reps[1]}.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_rep_range_in_order",
                condition=Q(max_reps__gte=F("target_reps"), max_reps__lte=top[1]),
                violation_error_message="The top of the repetition range is between the target "
                f"repetitions and {top[1]}.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_intensities_in_range",
                condition=Q(
                    start_pct__gte=start[0],
                    ceiling_pct__lte=ceiling[1],
                    ceiling_pct__gte=F("start_pct"),
                ),
                violation_error_message="The ceiling intensity cannot be below the starting "
                f"intensity, and both are between {start[0]} and {ceiling[1]} %.",
            ),
            models.CheckConstraint(
                name=f"{prefix}_progression_in_range",
                condition=_in_range("increase_pct")
                & _in_range("every_n_weeks")
                & _in_range("performance_increase_pct")
                & _in_range("deload_pct"),
                violation_error_message="A progression setting is out of range.",
            ),
        ]

    @property
    def deload_week_numbers(self) -> list[int]:
        return parse_weeks(self.deload_weeks)

    def prescription_values(self) -> dict:
        return {name: getattr(self, name) for name in PRESCRIPTION_FIELDS}


PRESCRIPTION_FIELDS = [
    "order",
    "sets",
    "target_reps",
    "max_reps",
    "start_pct",
    "ceiling_pct",
    "increase_pct",
    "every_n_weeks",
    "performance_increase_pct",
    "deload_weeks",
    "deload_pct",
]


def parse_weeks(text: str) -> list[int]:
    """'4, 8' -> [4, 8]. Raises ValueError with a clinician's message."""
    weeks = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{part!r} is not a week number: write them like 4, 8.")
        weeks.append(int(part))
    return sorted(set(weeks))
