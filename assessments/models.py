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
from datetime import date
from functools import reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
    ProhibitNullCharactersValidator,
)
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

from patients.models import STAFF_ROLES, Clinic, Patient
from programmes.models import Programme

from . import measures, tinetti
from . import timepoints as schedule


class Timepoint(models.TextChoices):
    BASELINE = schedule.BASELINE, "Baseline"
    WEEK6 = schedule.WEEK6, "Week 6"
    WEEK12 = schedule.WEEK12, "Week 12"
    FOLLOWUP = "followup", "Follow-up"
    UNSCHEDULED = "unscheduled", "Unscheduled"


SCHEDULED_TIMEPOINTS = list(schedule.SCHEDULED)
OTHER_TIMEPOINTS = [Timepoint.FOLLOWUP.value, Timepoint.UNSCHEDULED.value]


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
DERIVED_FIELDS = ["tinetti_balance", "tinetti_gait", "tinetti_total"]
# What makes a visit a visit: at least one of these measured (height and weight alone are not an
# outcome, and a visit without one would still mark its scheduled visit as done).
MEASURED_FIELDS = ["tinetti_total", "walk_distance_m", "chair_stands", "sts_seconds", "pain_nrs"]
NOTHING_MEASURED = (
    "Nothing was measured: record the Tinetti test or at least one other measure (6-minute walk, "
    "chair stand, sit-to-stand or pain). A visit with nothing measured is not a visit."
)
# Week 6 and week 12 have a window; a visit after it closes is a protocol deviation.
WINDOWED_TIMEPOINTS = [schedule.WEEK6, schedule.WEEK12]
LATE_VISIT = "late_visit"  # the code of the refusal of a late visit without its reason
# Dates before this are typing slips (year 1, 0202), and break date arithmetic near year 1.
EARLIEST_VISIT_DATE = date(1900, 1, 1)
NOTES_MAX_CHARS = 4000
DEVIATION_REASON_MAX_CHARS = 500
ARMS_NEEDED_MESSAGE = (
    "“Needed the arms” is ticked, and the protocol then scores 0: type 0 or leave the stands "
    "empty (or untick “needed the arms” if the patient stood with the arms crossed)."
)


def _text_validators(max_chars: int) -> list:
    return [MaxLengthValidator(max_chars), ProhibitNullCharactersValidator()]


def range_message(field: str) -> str:
    low, high, unit = MEASURE_RANGES[field]
    unit = f" {unit}" if unit else ""
    return f"Enter a value from {low:,} to {high:,}{unit}."


def range_validators(field: str) -> list:
    low, high, _ = MEASURE_RANGES[field]
    message = range_message(field)
    return [MinValueValidator(low, message), MaxValueValidator(high, message)]


def _range_constraint(field: str, low, high) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"visit_{field}_in_range",
        condition=Q(**{f"{field}__isnull": True})
        | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
    )


def _line_field(item: tinetti.Item) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        item.task,
        choices=[(value, item.label(value)) for value, _ in item.choices],
        null=True,
        blank=True,
    )


def _sum_of(items) -> F:
    return reduce(operator.add, (F(item.code) for item in items))


# One column per Tinetti line, named by its item code, generated from tinetti.ITEMS.
TinettiLines = type(
    "TinettiLines",
    (models.Model,),
    {
        "__module__": __name__,
        "Meta": type("Meta", (), {"abstract": True}),
        **{item.code: _line_field(item) for item in tinetti.ITEMS},
    },
)

_TINETTI_COLUMNS = [*tinetti.CODES, *DERIVED_FIELDS]


class Visit(TinettiLines):
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
            # The Tinetti test is optional at a visit, but then all 20 lines or none.
            models.CheckConstraint(
                name="visit_tinetti_all_lines_or_none",
                condition=Q(**{f"{c}__isnull": True for c in _TINETTI_COLUMNS})
                | Q(**{f"{c}__isnull": False for c in _TINETTI_COLUMNS}),
                violation_error_message="Score all 20 Tinetti lines, or none.",
            ),
            models.CheckConstraint(
                name="visit_tinetti_subtotals_add_up",
                condition=Q(tinetti_balance__isnull=True)
                | Q(
                    tinetti_balance=_sum_of(tinetti.BALANCE_ITEMS),
                    tinetti_gait=_sum_of(tinetti.GAIT_ITEMS),
                    tinetti_total=F("tinetti_balance") + F("tinetti_gait"),
                ),
                violation_error_message="The Tinetti subtotals must add up from the lines.",
            ),
            *[
                models.CheckConstraint(
                    name=f"visit_{item.code}_in_range",
                    condition=Q(**{f"{item.code}__isnull": True})
                    | Q(**{f"{item.code}__in": sorted(item.allowed)}),
                )
                for item in tinetti.ITEMS
            ],
            *[_range_constraint(f, low, high) for f, (low, high, _) in MEASURE_RANGES.items()],
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

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        # Remember the fields the caller has already refused (a form's own field errors), so
        # clean() does not report the same Tinetti line twice.
        self._already_refused = set(exclude or ())
        try:
            super().full_clean(exclude, validate_unique, validate_constraints)
        finally:
            del self._already_refused

    def get_constraints(self):
        # Only used for validation in Python: each line's and measure's range is checked there by
        # its field's choices or validators (the same table), and clean() reports the rules below
        # at their field, so skip re-checking each with a query of its own. The database still
        # enforces them all on every write.
        return [
            (
                model,
                [
                    c
                    for c in constraints
                    if not c.name.endswith("_in_range") and c.name not in _CHECKED_BY_CLEAN
                ],
            )
            for model, constraints in super().get_constraints()
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        self.deviation_reason = (self.deviation_reason or "").strip()
        self._clean_links(add)
        if self._clean_date(add):
            self._clean_window(add)
        self._clean_duplicate(add)
        self._clean_tinetti(add)
        self._clean_measures(add)
        if errors:
            raise ValidationError(errors)

    def window(self) -> schedule.Window | None:
        """The scheduled window of this visit's timepoint as things stand today (moved by the
        programme's pauses), or None for a visit without one."""
        if self.timepoint not in SCHEDULED_TIMEPOINTS or not self.programme_id:
            return None
        from .selectors import programme_windows  # selectors reads this module

        return programme_windows(self.programme, timezone.localdate())[self.timepoint]

    @property
    def is_deviation(self) -> bool:
        return bool(self.deviation_reason)

    def _clean_measures(self, add) -> None:
        if self.walk_distance_m is None and (
            self.walk_aid or any(getattr(self, f) is not None for f in WALK_DETAIL_FIELDS)
        ):
            add("walk_distance_m", "Enter the distance walked, or leave the walk details empty.")
        if self.sts_seconds is not None and not self.sts_convention:
            add("sts_convention", "Say when the timer was stopped: at the fifth stand or sit.")
        if self.sts_seconds is None and self.sts_convention:
            add(
                "sts_seconds",
                "Enter the sit-to-stand time, or leave its timing empty (the test not done).",
            )
        if self.chair_arms_needed:
            if self.chair_stands is None:
                self.chair_stands = 0  # "leave it empty": the protocol's score, asked for
            elif self.chair_stands != 0:
                add("chair_stands", ARMS_NEEDED_MESSAGE)
        lines_given = any(getattr(self, code) is not None for code in tinetti.CODES)
        if not lines_given and all(getattr(self, f) is None for f in MEASURED_FIELDS):
            add("__all__", NOTHING_MEASURED)

    def _clean_links(self, add) -> None:
        programme = self.programme if self.programme_id else None
        if programme is None:
            return
        if self.patient_id != programme.patient_id or self.clinic_id != programme.clinic_id:
            add("__all__", "The visit must belong to the programme's patient and clinic.")
        if self.assessor_id and self.assessor.clinic_id != programme.clinic_id:
            add("assessor", "Choose a member of staff of this clinic.")

    def _clean_date(self, add) -> bool:
        """Check the date on its own; False if it is refused (nothing else can be timed by it)."""
        if not self.assessed_on or not self.patient_id:
            return False
        if self.assessed_on < EARLIEST_VISIT_DATE:
            add(
                "assessed_on",
                f"Enter the visit's real date: {_day(self.assessed_on)} is before "
                f"{EARLIEST_VISIT_DATE.year}.",
            )
            return False
        if self.assessed_on > timezone.localdate():
            add("assessed_on", "The visit date cannot be in the future.")
            return False
        born = self.patient.date_of_birth
        if self.assessed_on < born:
            add(
                "assessed_on",
                f"The visit date is before the patient's date of birth ({_day(born)}).",
            )
            return False
        return True

    def _clean_window(self, add) -> None:
        """Week 6 and week 12 (DOMAIN.md 4a): never before the window opens; after it closes
        only as a protocol deviation, with its reason.

        A correction that keeps the visit's timepoint and date is not re-timed: the visit was
        judged by the window of the day it was recorded (the targets moved from days 35/77 to
        42/84 in issue 13, and a pause can move a window after its visit), so a week-6 visit on
        day 30, or a deviation now inside the window, stays as recorded and its scores can still
        be corrected. Re-dating it, or a new visit, meets today's window."""
        label = self.get_timepoint_display().lower() if self.timepoint else "this"
        window = self.window() if self.timepoint in WINDOWED_TIMEPOINTS else None
        if window is None:
            if self.deviation_reason:
                add(
                    "deviation_reason",
                    f"A {label} visit has no window to miss, so it cannot be a protocol "
                    "deviation: leave the reason empty.",
                )
            return
        start = self.programme.start_date
        opens = f"{_day(window.opens)} (study day {schedule.study_day(start, window.opens)})"
        closes = f"{_day(window.closes)} (study day {schedule.study_day(start, window.closes)})"
        not_late = (
            f"This visit is within the {label} window ({_day(window.opens)} – "
            f"{_day(window.closes)}), so it is not a deviation: leave the reason empty."
        )
        if self.assessed_on < window.opens:
            recorded_reason = self._reason_as_recorded()
            if recorded_reason is None:
                add(
                    "assessed_on",
                    f"Too early for the {label} visit: its window opens on {opens}. Record an "
                    "earlier assessment as an unscheduled visit.",
                )
            elif self.deviation_reason and not recorded_reason:
                add(
                    "deviation_reason",
                    f"This visit is before the {label} window, not after it, so it is not a "
                    "protocol deviation: leave the reason empty.",
                )
        elif self.assessed_on > window.closes:
            # Late without a reason: refused, unless it is stored so (on time when recorded).
            if not self.deviation_reason and self._reason_as_recorded() != "":
                late = f"The {label} window closed on {closes}: a visit after it is a protocol "
                late += "deviation, saved only with its reason."
                # The import says where its reason goes (its column) in place of the form's box.
                add(
                    "assessed_on",
                    ValidationError(
                        late + " To record it, tick “Record as a protocol deviation” and give "
                        "the reason.",
                        code=LATE_VISIT,
                        params={"late": late},
                    ),
                )
        elif self.deviation_reason and not self._reason_as_recorded():
            # A deviation recorded as one (late by the window of its day) may keep its reason.
            add("deviation_reason", not_late)

    def _reason_as_recorded(self) -> str | None:
        """The stored deviation reason ("" for none) when this is a correction that keeps the
        visit's timepoint and date; None for a new visit, or one re-dated or re-timed."""
        if self._state.adding or self.pk is None:
            return None
        stored = (
            Visit.objects.filter(pk=self.pk)
            .values_list("timepoint", "assessed_on", "deviation_reason")
            .first()
        )
        if stored is None or stored[:2] != (self.timepoint, self.assessed_on):
            return None
        return stored[2]

    def _clean_duplicate(self, add) -> None:
        if not self.programme_id or not self.timepoint:
            return
        others = Visit.objects.filter(programme_id=self.programme_id, timepoint=self.timepoint)
        if self.timepoint in OTHER_TIMEPOINTS:
            if not self.assessed_on:
                return
            others = others.filter(assessed_on=self.assessed_on)
        clash = others.exclude(pk=self.pk).only("assessed_on").first()
        if clash is not None:
            add(
                "timepoint",
                f"This programme already has a {self.get_timepoint_display().lower()} visit "
                f"(on {_day(clash.assessed_on)}). Open it and correct it instead.",
            )

    def _clean_tinetti(self, add) -> None:
        answers = {code: getattr(self, code) for code in tinetti.CODES}
        if all(value is None for value in answers.values()):
            return
        refused = getattr(self, "_already_refused", set())
        for code, value in answers.items():
            if value is None and code not in refused:
                add(code, "Score this line: 0 if the patient could not do the task.")
        if any(value is None for value in answers.values()):
            return
        try:
            tinetti.score(answers)
        except ValueError as error:
            code = str(error).split(":", 1)[0]
            add(code if code in tinetti.ITEMS_BY_CODE else "__all__", str(error))


def _day(value) -> str:
    return date_format(value, "j M Y")


# Rules Visit.clean reports at their field (the database enforces them too).
_CHECKED_BY_CLEAN = {
    "visit_arms_needed_scores_zero",
    "visit_measures_something",
    "visit_deviation_only_for_windowed_visits",
    "visit_notes_length",
    "visit_deviation_reason_length",
}


# --- exports and imports: who took which data out of the clinic, or put it in ---------------------


class ExportKind(models.TextChoices):
    LONG = "long", "Long CSV (one row per visit)"
    WIDE = "wide", "Wide CSV (one row per patient programme)"
    SUMMARY = "summary", "Summary CSV (the results table)"
    SESSIONS = "sessions", "Sessions CSV (per patient per week)"
    DICTIONARY = "dictionary", "Data dictionary CSV"
    XLSX = "xlsx", "Workbook (XLSX, every sheet)"


class ExportLog(models.Model):
    """One export, recorded before the first byte leaves: an export cut short keeps its row with
    no row count and no finish time, which is what an auditor wants to see."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="export_logs")
    # Empty for the command line (a scheduled job has no user).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    kind = models.CharField("file", max_length=12, choices=ExportKind.choices)
    filters = models.JSONField(default=dict, blank=True)
    deidentified = models.BooleanField()
    rows = models.PositiveIntegerField(null=True, blank=True, help_text="Data rows written.")
    via_command = models.BooleanField("from the command line", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="export_log_kind_known", condition=Q(kind__in=ExportKind.values)
            ),
            # Identified files are for clinic admins; the command line is the operator's own.
            models.CheckConstraint(
                name="export_log_has_user_or_command",
                condition=Q(user__isnull=False) | Q(via_command=True),
            ),
        ]
        indexes = [models.Index(fields=["clinic", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.clinic} at {self.created_at:%Y-%m-%d %H:%M}"


class ImportRun(models.Model):
    """A successful import of past visits (a refused import saves nothing, this row included)."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="import_runs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField()
    visits_created = models.PositiveIntegerField()
    visits_unchanged = models.PositiveIntegerField()
    patients_created = models.PositiveIntegerField(default=0)
    programmes_created = models.PositiveIntegerField(default=0)
    via_command = models.BooleanField("from the command line", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import of {self.filename} into {self.clinic}"

    @property
    def summary(self) -> str:
        if not self.visits_created:
            if self.visits_unchanged == 1:
                return f"Nothing new: the visit in {self.filename} is already recorded."
            return (
                f"Nothing new: all {self.visits_unchanged} visits in {self.filename} are "
                "already recorded."
            )
        text = f"Imported {_count(self.visits_created, 'visit')} from {self.filename}"
        if self.visits_unchanged:
            already = "was" if self.visits_unchanged == 1 else "were"
            text += (
                f" ({_count(self.visits_unchanged, 'visit')} already recorded {already} left "
                "as recorded)"
            )
        if self.patients_created:
            text += (
                f"; registered {_count(self.patients_created, 'patient')} with placeholder "
                f"names and {_count(self.programmes_created, 'past programme')}: complete "
                f"{'their records' if self.patients_created > 1 else 'the record'}"
            )
        return text + "."


def _count(n: int, noun: str) -> str:
    """ "1 visit", "2 visits"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
