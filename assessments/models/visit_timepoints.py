"""A visit's timepoint: the scheduled ones come from assessments/timepoints.py; the labels here
are the one place each timepoint is named (templates and tables read them from here)."""

from django.db import models

from .. import timepoints as schedule


class Timepoint(models.TextChoices):
    BASELINE = schedule.BASELINE, "Baseline"
    WEEK6 = schedule.WEEK6, "Week 6"
    WEEK12 = schedule.WEEK12, "Week 12"
    FOLLOWUP = "followup", "Follow-up"
    UNSCHEDULED = "unscheduled", "Unscheduled"


SCHEDULED_TIMEPOINTS = list(schedule.SCHEDULED)
OTHER_TIMEPOINTS = [Timepoint.FOLLOWUP.value, Timepoint.UNSCHEDULED.value]
# Week 6 and week 12 have a window; a visit after it closes is a protocol deviation.
WINDOWED_TIMEPOINTS = [schedule.WEEK6, schedule.WEEK12]
LATE_VISIT = "late_visit"  # the code of the refusal of a late visit without its reason
