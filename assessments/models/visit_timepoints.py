"""A visit's timepoint. The scheduled ones and their labels come from assessments/timepoints.py
(SCHEDULED, LABELS); the others are named here."""

from django.db import models

from .. import timepoints as schedule


class Timepoint(models.TextChoices):
    BASELINE = schedule.BASELINE, schedule.LABELS[schedule.BASELINE]
    WEEK6 = schedule.WEEK6, schedule.LABELS[schedule.WEEK6]
    WEEK12 = schedule.WEEK12, schedule.LABELS[schedule.WEEK12]
    FOLLOWUP = "followup", "Follow-up"
    UNSCHEDULED = "unscheduled", "Unscheduled"


SCHEDULED_TIMEPOINTS = list(schedule.SCHEDULED)
OTHER_TIMEPOINTS = [Timepoint.FOLLOWUP.value, Timepoint.UNSCHEDULED.value]
# Week 6 and week 12 have a window; a visit after it closes is a protocol deviation.
WINDOWED_TIMEPOINTS = [schedule.WEEK6, schedule.WEEK12]
LATE_VISIT = "late_visit"  # the code of the refusal of a late visit without its reason
