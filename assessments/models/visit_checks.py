"""Visit.clean and its helpers: every door (form, service, import) reports a refused visit at
its field. The database enforces the same rules on every write (visits.py's constraints)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from .. import timepoints as schedule
from .. import tinetti
from .measures import ARMS_NEEDED_MESSAGE, MEASURED_FIELDS, NOTHING_MEASURED, WALK_DETAIL_FIELDS
from .visit_timepoints import (
    LATE_VISIT,
    OTHER_TIMEPOINTS,
    SCHEDULED_TIMEPOINTS,
    WINDOWED_TIMEPOINTS,
)

# Dates before this are typing slips (year 1, 0202), and break date arithmetic near year 1.
EARLIEST_VISIT_DATE = date(1900, 1, 1)


class VisitChecks:
    """Mixed into Visit (a plain class: it adds no fields)."""

    # Set by a caller that has checked the visit against the programme's others itself: the
    # import does, for a whole file at once, where clean() would ask once per visit.
    duplicates_checked = False

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
        from ..selectors import programme_windows  # selectors reads this module

        return programme_windows(self.programme, timezone.localdate())[self.timepoint]

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
            type(self)
            .objects.filter(pk=self.pk)
            .values_list("timepoint", "assessed_on", "deviation_reason")
            .first()
        )
        if stored is None or stored[:2] != (self.timepoint, self.assessed_on):
            return None
        return stored[2]

    def _clean_duplicate(self, add) -> None:
        if self.duplicates_checked or not self.programme_id or not self.timepoint:
            return
        others = type(self).objects.filter(programme_id=self.programme_id, timepoint=self.timepoint)
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
