"""Demo data for `make demo`: visits for the demo clinic's programmes, recorded through the service.

Scores follow the trial (Yakasai et al. 2021; DOMAIN.md section 1): the exercise group improves
from a median balance of 10 to about 12 at week 6 and 15 at week 12, gait 7 -> 8 -> 11; the control
group stays flat (balance 10 -> 9, gait 8). Week-6 and week-12 visits fall within 4 days of their
target (assessments.timepoints: days 42 and 84, later by pauses), so none is a deviation; a
completed programme's week-12 visit is on or before its completion. Only visits whose date has
passed are made, and the same seed gives the same demo every time.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from patients.models import Role
from programmes.models import Arm, Programme, ProgrammeStatus

from . import timepoints as schedule
from . import tinetti
from .selectors import programme_windows
from .services import visit_record

# Median (balance, gait, 6-minute walk m, pain 0-10, chair stands, sit-to-stand s) per timepoint.
TRAJECTORY = {
    Arm.INTERVENTION: {
        schedule.BASELINE: (10, 7, 360, 5, 8, 17.0),
        schedule.WEEK6: (12, 8, 385, 4, 10, 15.0),
        schedule.WEEK12: (15, 11, 415, 3, 12, 13.0),
    },
    Arm.CONTROL: {
        schedule.BASELINE: (10, 8, 365, 5, 8, 16.5),
        schedule.WEEK6: (10, 8, 360, 5, 8, 16.8),
        schedule.WEEK12: (9, 8, 355, 5, 8, 17.0),
    },
}


def _clamp(value, low, high):
    return max(low, min(high, value))


def _one_decimal(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")


def _lines(rng: random.Random, items, wanted: int) -> dict[str, int]:
    """Lines of one section adding up to `wanted`, points given out at random."""
    answers = {item.code: 0 for item in items}
    for _ in range(wanted):
        room = [item for item in items if answers[item.code] < item.max_score]
        answers[rng.choice(room).code] += 1
    return answers


def load_demo_assessments(clinic, staff) -> None:
    rng = random.Random(1268)  # the trial's article number; any fixed seed keeps the demo stable
    today = timezone.localdate()
    assessors = [u for u in staff.values() if u.role == Role.CLINICIAN] or list(staff.values())
    programmes = (
        Programme.objects.filter(clinic=clinic)
        .select_related("patient", "clinic")
        .order_by("start_date", "pk")
    )
    for programme in programmes:
        trajectory = TRAJECTORY.get(programme.arm, TRAJECTORY[Arm.CONTROL])
        patient = programme.patient
        # Each patient has their own starting point and their own response to the programme.
        offset_balance, offset_gait = rng.randint(-2, 2), rng.randint(-1, 1)
        response = rng.uniform(0.6, 1.3)
        height = rng.gauss(170 if patient.sex == "male" else 158, 6)
        weight = rng.gauss(66, 9)
        baseline = trajectory[schedule.BASELINE]
        last_day = programme.ended_on if programme.status == ProgrammeStatus.WITHDRAWN else None
        completed_on = programme.ended_on if programme.status == ProgrammeStatus.COMPLETED else None
        for timepoint, window in programme_windows(programme, today).items():
            if timepoint == schedule.BASELINE:
                day = programme.start_date - timedelta(days=rng.randint(0, 5))
            else:
                day = window.target + timedelta(days=rng.randint(-4, 4))
                if completed_on is not None and window.opens <= completed_on < day:
                    day = completed_on  # assessed before the programme was marked completed
            if day > today or (last_day is not None and day > last_day):
                break
            target = trajectory[timepoint]
            gain = [(target[i] - baseline[i]) * response for i in range(6)]
            balance = _clamp(
                round(baseline[0] + offset_balance + gain[0] + rng.gauss(0, 0.7)), 0, 16
            )
            gait = _clamp(round(baseline[1] + offset_gait + gain[1] + rng.gauss(0, 0.6)), 0, 12)
            arms_needed = balance < 8 and rng.random() < 0.5
            visit_record(
                programme=programme,
                by=rng.choice(assessors),
                timepoint=timepoint,
                assessed_on=day,
                tinetti_lines={
                    **_lines(rng, tinetti.BALANCE_ITEMS, balance),
                    **_lines(rng, tinetti.GAIT_ITEMS, gait),
                },
                walk_distance_m=_clamp(round(baseline[2] + gain[2] + rng.gauss(0, 40)), 80, 700),
                walk_aid="stick" if balance < 9 else "none",
                walk_stops=0 if balance >= 9 else rng.randint(0, 2),
                walk_hr_before=rng.randint(66, 88),
                walk_hr_after=rng.randint(95, 125),
                walk_dyspnoea_before=0,
                walk_dyspnoea_after=rng.randint(2, 4),
                walk_fatigue_before=rng.randint(0, 1),
                walk_fatigue_after=rng.randint(2, 5),
                chair_stands=0 if arms_needed else _clamp(round(baseline[4] + gain[4]), 0, 40),
                chair_arms_needed=arms_needed,
                sts_seconds=_one_decimal(_clamp(baseline[5] + gain[5] + rng.gauss(0, 1.5), 6, 40)),
                sts_convention="fifth_stand",
                pain_nrs=_clamp(round(baseline[3] + gain[3] + rng.gauss(0, 1)), 0, 10),
                height_cm=_one_decimal(height),
                weight_kg=_one_decimal(weight + rng.gauss(0, 0.5)),
            )
