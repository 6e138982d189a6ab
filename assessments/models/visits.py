"""Assessment visits: the Tinetti POMA line by line, and the walk, chair, sit-to-stand and pain
measures a clinic records at baseline, week 6, week 12 and other visits.

Every Tinetti line is its own column named by its item code (assessments/tinetti.py is the one
source of items and scores), with its allowed range enforced by the database. Balance, gait and
total are stored too, so lists and exports need not recompute them, but nobody types them:
`services.visit_record` / `visit_update` compute them with tinetti.score, and a database
constraint refuses any row whose stored subtotals disagree with its lines.
"""

import operator
import uuid
from functools import reduce

from django.conf import settings
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from simple_history.models import HistoricalRecords

from patients.models import STAFF_ROLES, Clinic, Patient
from programmes.models import Programme

from .. import measures, tinetti
from .. import timepoints as schedule
from .measures import (
    ARMS_NEEDED_MESSAGE,
    MEASURE_RANGES,
    MEASURED_FIELDS,
    NOTHING_MEASURED,
    WALK_DETAIL_FIELDS,
    StsConvention,
    WalkingAid,
    range_constraint,
    range_validators,
)
from .tinetti_lines import TinettiLines, tinetti_constraints
from .visit_checks import VisitChecks
from .visit_timepoints import OTHER_TIMEPOINTS, SCHEDULED_TIMEPOINTS, WINDOWED_TIMEPOINTS, Timepoint

NOTES_MAX_CHARS = 4000
DEVIATION_REASON_MAX_CHARS = 500


def _text_validators(max_chars: int) -> list:
    return [MaxLengthValidator(max_chars), ProhibitNullCharactersValidator()]


class Visit(VisitChecks, TinettiLines):
    clinic_path = "clinic"  # whose kept pages show it (patients.kept_pages)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="visits")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="visits")
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="visits")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    timepoint = models.CharField(max_length=12, choices=Timepoint.choices)
    assessed_on = models.DateField("date of the visit")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="visits_assessed",
        limit_choices_to={"role__in": STAFF_ROLES},
    )
    notes = models.TextField(blank=True, validators=_text_validators(NOTES_MAX_CHARS))
    # A week-6 or week-12 visit after its window closed is kept as a protocol deviation, with
    # the clinician's reason; empty for every visit on time.
    deviation_reason = models.TextField(
        "reason for the protocol deviation",
        blank=True,
        validators=_text_validators(DEVIATION_REASON_MAX_CHARS),
        help_text="Why the visit was after its window closed (e.g. patient in hospital).",
    )

    # Tinetti subtotals: computed from the lines by the services, never typed.
    tinetti_balance = models.PositiveSmallIntegerField("Tinetti balance", null=True, editable=False)
    tinetti_gait = models.PositiveSmallIntegerField("Tinetti gait", null=True, editable=False)
    tinetti_total = models.PositiveSmallIntegerField("Tinetti total", null=True, editable=False)

    # 6-minute walk test (ATS 2002)
    walk_distance_m = models.PositiveSmallIntegerField(
        "6-minute walk distance (m)",
        null=True,
        blank=True,
        validators=range_validators("walk_distance_m"),
        help_text="Whole metres on a flat 30 m course.",
    )
    walk_aid = models.CharField(
        "walking aid used in the walk", max_length=10, choices=WalkingAid.choices, blank=True
    )
    walk_stops = models.PositiveSmallIntegerField(
        "stops during the walk", null=True, blank=True, validators=range_validators("walk_stops")
    )
    walk_hr_before = models.PositiveSmallIntegerField(
        "heart rate before (beats/min)",
        null=True,
        blank=True,
        validators=range_validators("walk_hr_before"),
    )
    walk_hr_after = models.PositiveSmallIntegerField(
        "heart rate after (beats/min)",
        null=True,
        blank=True,
        validators=range_validators("walk_hr_after"),
    )
    walk_dyspnoea_before = models.PositiveSmallIntegerField(
        "Borg breathlessness before (0-10)",
        null=True,
        blank=True,
        validators=range_validators("walk_dyspnoea_before"),
    )
    walk_dyspnoea_after = models.PositiveSmallIntegerField(
        "Borg breathlessness after (0-10)",
        null=True,
        blank=True,
        validators=range_validators("walk_dyspnoea_after"),
    )
    walk_fatigue_before = models.PositiveSmallIntegerField(
        "Borg leg fatigue before (0-10)",
        null=True,
        blank=True,
        validators=range_validators("walk_fatigue_before"),
    )
    walk_fatigue_after = models.PositiveSmallIntegerField(
        "Borg leg fatigue after (0-10)",
        null=True,
        blank=True,
        validators=range_validators("walk_fatigue_after"),
    )

    # 30-second chair stand
    chair_stands = models.PositiveSmallIntegerField(
        "30-second chair stands",
        null=True,
        blank=True,
        validators=range_validators("chair_stands"),
        help_text="Full stands in 30 s, arms crossed; more than halfway up at 30 s counts.",
    )
    chair_arms_needed = models.BooleanField(
        "needed the arms to stand", default=False, help_text="The protocol then scores 0."
    )

    # Five-times sit-to-stand
    sts_seconds = models.DecimalField(
        "five-times sit-to-stand (s)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=range_validators("sts_seconds"),
    )
    sts_convention = models.CharField(
        "sit-to-stand timing", max_length=12, choices=StsConvention.choices, blank=True
    )

    pain_nrs = models.PositiveSmallIntegerField(
        "pain (0-10)",
        null=True,
        blank=True,
        validators=range_validators("pain_nrs"),
        help_text="0 no pain, 10 worst imaginable.",
    )
    height_cm = models.DecimalField(
        "height (cm)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=range_validators("height_cm"),
    )
    weight_kg = models.DecimalField(
        "weight (kg)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=range_validators("weight_kg"),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessed_on", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "timepoint"],
                condition=Q(timepoint__in=SCHEDULED_TIMEPOINTS),
                name="visit_one_scheduled_timepoint_per_programme",
                violation_error_message="This programme already has a visit at this timepoint.",
            ),
            # A double-clicked "Save" must not make two follow-up visits.
            models.UniqueConstraint(
                fields=["programme", "timepoint", "assessed_on"],
                condition=Q(timepoint__in=OTHER_TIMEPOINTS),
                name="visit_one_other_timepoint_per_programme_and_day",
                violation_error_message="This visit is already recorded for that day.",
            ),
            models.CheckConstraint(
                name="visit_timepoint_known",
                condition=Q(timepoint__in=Timepoint.values),
            ),
            *tinetti_constraints(),
            *[range_constraint(f, low, high) for f, (low, high, _) in MEASURE_RANGES.items()],
            models.CheckConstraint(
                name="visit_walk_details_need_distance",
                condition=Q(walk_distance_m__isnull=False)
                | Q(walk_aid="", **{f"{f}__isnull": True for f in WALK_DETAIL_FIELDS}),
                violation_error_message="Walk details need the distance walked.",
            ),
            # Needing the arms scores 0 (the protocol): never a count beside the tick.
            models.CheckConstraint(
                name="visit_arms_needed_scores_zero",
                condition=Q(chair_arms_needed=False) | Q(chair_stands=0),
                violation_error_message=ARMS_NEEDED_MESSAGE,
            ),
            models.CheckConstraint(
                name="visit_measures_something",
                condition=reduce(
                    operator.or_, (Q(**{f"{f}__isnull": False}) for f in MEASURED_FIELDS)
                ),
                violation_error_message=NOTHING_MEASURED,
            ),
            # Only a windowed visit can be late; whether it is late depends on the programme's
            # pauses, which Visit.clean checks.
            models.CheckConstraint(
                name="visit_deviation_only_for_windowed_visits",
                condition=Q(deviation_reason="") | Q(timepoint__in=WINDOWED_TIMEPOINTS),
                violation_error_message="Only a week-6 or week-12 visit can be a deviation.",
            ),
            models.CheckConstraint(
                name="visit_notes_length",
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_CHARS),
            ),
            models.CheckConstraint(
                name="visit_deviation_reason_length",
                condition=LessThanOrEqual(Length("deviation_reason"), DEVIATION_REASON_MAX_CHARS),
            ),
            models.CheckConstraint(
                name="visit_sts_has_convention",
                condition=Q(sts_seconds__isnull=True, sts_convention="")
                | (Q(sts_seconds__isnull=False) & ~Q(sts_convention="")),
                violation_error_message="A sit-to-stand time needs its timing convention.",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "assessed_on"])]

    def __str__(self) -> str:
        return f"{self.get_timepoint_display()} visit on {self.assessed_on}"

    def get_absolute_url(self) -> str:
        return reverse("assessments:visit", kwargs={"public_id": self.public_id})

    # --- read-only views of the row --------------------------------------------------------

    @property
    def tinetti_answers(self) -> dict[str, int] | None:
        answers = {code: getattr(self, code) for code in tinetti.CODES}
        return None if any(value is None for value in answers.values()) else answers

    @property
    def tinetti_score(self) -> tinetti.TinettiScore | None:
        answers = self.tinetti_answers
        return tinetti.score(answers) if answers is not None else None

    @property
    def chair_score(self) -> int | None:
        if self.chair_stands is None:
            return None
        return measures.chair_stand_score(self.chair_stands, self.chair_arms_needed)

    @property
    def study_day(self) -> int:
        return schedule.study_day(self.programme.start_date, self.assessed_on)

    # --- validation: every door (form, service, import) reports at the field ----------------

    # The pages ask these, so a template never compares a timepoint code itself.
    @property
    def is_baseline(self) -> bool:
        return self.timepoint == Timepoint.BASELINE

    @property
    def is_week6(self) -> bool:
        return self.timepoint == Timepoint.WEEK6

    @property
    def is_deviation(self) -> bool:
        return bool(self.deviation_reason)
