"""Demo data for `make demo`, added to the demo clinic: programmes in every state.

Built through the services, like a clinician's clicks, so the demo obeys every rule. The same
data every time (a seeded random generator), dated relative to today.

- DEMO-0001: week 1, one session.
- DEMO-0002: mid-programme (week 6), sessions three times a week, one held week in its history,
  and a pending 2-for-2 suggestion for the hamstring curl.
- DEMO-0003: week 3; the last session had pain 7 and dizziness (flags on the home page).
- DEMO-0004: control arm (assessments only).
- DEMO-0005: paused for malaria treatment.
- DEMO-0006: week 4, no session for 9 days (flag).
- DEMO-0019: completed the 12 weeks.
"""

import random
from datetime import timedelta

from django.utils import timezone

from patients.models import Patient, PatientStatus

from . import services
from .models import Arm, PlannedLoad, ProgrammeTemplate
from .selectors import programme_week
from .shipped import DEFAULT_TEMPLATE_NAME

# Baseline tests (kg, repetitions to fatigue) per shipped exercise.
BASELINES = {
    "Standing hip extension": (4, 10),
    "Hamstring curl": (20, 8),
    "Knee extension on a quadriceps bench": (8, 10),
    "Ankle dorsiflexion against resistance": (3, 12),
    "Standing calf raise": (10, 10),
}


def _assign(patient, by, *, started_days_ago, arm=Arm.INTERVENTION, scale=1.0):
    template = ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME)
    rows = template.exercises.select_related("exercise")
    baselines = [
        {
            "template_exercise": row,
            "load_kg": round(BASELINES[row.exercise.name][0] * scale, 1),
            "reps": BASELINES[row.exercise.name][1],
            "formula": "brzycki",
        }
        for row in rows
    ]
    return services.programme_assign(
        patient=patient,
        template=template,
        arm=arm,
        start_date=timezone.localdate() - timedelta(days=started_days_ago),
        by=by,
        baselines=baselines if arm == Arm.INTERVENTION else [],
    )


def _log(programme, by, day, rng, *, over_target=(), pain=None, **events):
    """A session at the planned loads; exercises in over_target did 2 extra in the last set."""
    week = programme_week(programme, day)
    plan = PlannedLoad.objects.filter(
        programme_exercise__programme=programme, week=week
    ).select_related("programme_exercise__exercise")
    sets = []
    for planned in plan:
        pe = planned.programme_exercise
        for n in range(1, planned.sets + 1):
            reps = planned.reps - (1 if rng.random() < 0.25 else 0)  # never over target by chance
            if n == planned.sets and pe.exercise.name in over_target:
                reps = planned.reps + 2
            sets.append(
                {"programme_exercise": pe, "set_number": n, "reps_done": reps,
                 "load_kg": planned.load_kg}
            )  # fmt: skip
    before, after = pain or (rng.randint(0, 3), rng.randint(0, 3))
    return services.session_record(
        programme=programme, by=by, date=day, sets=sets, effort=rng.randint(4, 7),
        pain_before=before, pain_after=after, **events,
    )  # fmt: skip


def _session_days(programme, *, until, rng, skip=0.15):
    """Monday-Wednesday-Friday-like days from the start to `until`, some missed."""
    days, day = [], programme.start_date
    while day <= until:
        if (day - programme.start_date).days % 7 in (0, 2, 4) and rng.random() >= skip:
            days.append(day)
        day += timedelta(days=1)
    return days


def load_demo_programmes(clinic, staff) -> None:
    rng = random.Random(2021)  # the same demo every time
    today = timezone.localdate()
    patients = {p.study_id: p for p in Patient.objects.filter(clinic=clinic)}
    chidi, lindiwe = staff["clinician"], staff["clinician2"]

    # Week 1.
    week_one = _assign(patients["DEMO-0001"], lindiwe, started_days_ago=2)
    _log(week_one, lindiwe, week_one.start_date, rng)

    # Mid-programme, with a held week and a pending suggestion.
    mid = _assign(patients["DEMO-0002"], chidi, started_days_ago=37, scale=1.2)
    hip = mid.exercises.get(exercise__name="Standing hip extension")
    mid = services.plan_hold_week(
        programme=mid, programme_exercise=hip, week=7, by=chidi, version=mid.version,
        reason="Sore hip in week 6: one more week at that load.",
    )  # fmt: skip
    days = _session_days(mid, until=today - timedelta(days=1), rng=rng)
    for day in days[:-2]:
        _log(mid, chidi, day, rng)
    for day in days[-2:]:
        # The calf raise's next 1 kg step is +12.5 %: the suggestion is 2 more repetitions.
        # (Not the hamstring curl: at the top of its range in week 6, with its next plate +20 %,
        # a suggestion could not move it within the rules.)
        _log(mid, chidi, day, rng, over_target={"Standing calf raise"})

    # Week 3, with pain and dizziness to flag.
    flagged = _assign(patients["DEMO-0003"], lindiwe, started_days_ago=16, scale=0.8)
    days = _session_days(flagged, until=today - timedelta(days=1), rng=rng)
    for day in days[:-1]:
        _log(flagged, lindiwe, day, rng)
    _log(
        flagged, lindiwe, days[-1], rng, pain=(3, 7), dizziness=True,
        notes="Felt light-headed after the calf raises; sat down, recovered in 5 minutes.",
    )  # fmt: skip

    # Control arm: assessments only.
    _assign(patients["DEMO-0004"], chidi, started_days_ago=20, arm=Arm.CONTROL)

    # Paused.
    paused = _assign(patients["DEMO-0005"], lindiwe, started_days_ago=30)
    for day in _session_days(paused, until=today - timedelta(days=8), rng=rng):
        _log(paused, lindiwe, day, rng)
    services.programme_pause(
        programme=paused, by=lindiwe, on=today - timedelta(days=6),
        reason="Admitted for malaria treatment; resume when discharged.",
    )  # fmt: skip

    # No session for 9 days.
    quiet = _assign(patients["DEMO-0006"], chidi, started_days_ago=24)
    for day in _session_days(quiet, until=today - timedelta(days=9), rng=rng):
        _log(quiet, chidi, day, rng)

    # Completed: the patient record is marked completed by the demo clinic; open it for the
    # programme's 12 weeks, then close it again, as happened in real life.
    finished = patients["DEMO-0019"]
    Patient.objects.filter(pk=finished.pk).update(status=PatientStatus.ACTIVE)
    finished.status = PatientStatus.ACTIVE
    done = _assign(finished, chidi, started_days_ago=110, scale=1.1)
    end = done.start_date + timedelta(days=83)
    for day in _session_days(done, until=end, rng=rng, skip=0.1):
        _log(done, chidi, day, rng)
    done.refresh_from_db()
    services.programme_complete(
        programme=done, by=chidi, on=end, reason="Completed the 12 weeks; week-12 assessment done."
    )
    Patient.objects.filter(pk=finished.pk).update(status=PatientStatus.COMPLETED)
