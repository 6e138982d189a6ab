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
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
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
    notes = models.TextField(blank=True)

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
            models.CheckConstraint(
                name="visit_arms_needed_has_stands",
                condition=Q(chair_arms_needed=False) | Q(chair_stands__isnull=False),
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
        # its field's choices or validators (the same table), so skip re-checking each with a
        # query of its own. The database still enforces them on every write.
        return [
            (model, [c for c in constraints if not c.name.endswith("_in_range")])
            for model, constraints in super().get_constraints()
        ]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        self._clean_links(add)
        self._clean_date(add)
        self._clean_duplicate(add)
        self._clean_tinetti(add)
        if self.walk_distance_m is None and (
            self.walk_aid or any(getattr(self, f) is not None for f in WALK_DETAIL_FIELDS)
        ):
            add("walk_distance_m", "Enter the distance walked, or leave the walk details empty.")
        if self.sts_seconds is not None and not self.sts_convention:
            add("sts_convention", "Say when the timer was stopped: at the fifth stand or sit.")
        if self.sts_seconds is None and self.sts_convention:
            self.sts_convention = ""
        if self.chair_arms_needed and self.chair_stands is None:
            self.chair_stands = 0  # the protocol scores 0 when the arms are needed
        if errors:
            raise ValidationError(errors)

    def _clean_links(self, add) -> None:
        programme = self.programme if self.programme_id else None
        if programme is None:
            return
        if self.patient_id != programme.patient_id or self.clinic_id != programme.clinic_id:
            add("__all__", "The visit must belong to the programme's patient and clinic.")
        if self.assessor_id and self.assessor.clinic_id != programme.clinic_id:
            add("assessor", "Choose a member of staff of this clinic.")

    def _clean_date(self, add) -> None:
        if not self.assessed_on or not self.patient_id:
            return
        if self.assessed_on > timezone.localdate():
            add("assessed_on", "The visit date cannot be in the future.")
        born = self.patient.date_of_birth
        if self.assessed_on < born:
            add(
                "assessed_on",
                f"The visit date is before the patient's date of birth ({_day(born)}).",
            )
        start = self.programme.start_date if self.programme_id else None
        if (
            start
            and self.timepoint in (Timepoint.WEEK6, Timepoint.WEEK12)
            and self.assessed_on < start
        ):
            add(
                "assessed_on",
                f"A {self.get_timepoint_display().lower()} visit cannot be before the "
                f"programme's start ({_day(start)}).",
            )

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
            return (
                f"Nothing new: all {self.visits_unchanged} visits in {self.filename} are "
                "already recorded."
            )
        text = f"Imported {self.visits_created} visits from {self.filename}"
        if self.visits_unchanged:
            text += f" ({self.visits_unchanged} already recorded were left as they were)"
        if self.patients_created:
            text += (
                f"; registered {self.patients_created} patients with placeholder names and "
                f"{self.programmes_created} past programmes: complete their records"
            )
        return text + "."
