"""Building programmes the way the app does (through its services), for the tests."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from programmes import services
from programmes.models import Arm, PlannedLoad, ProgrammeTemplate
from programmes.shipped import DEFAULT_TEMPLATE_NAME


def shipped_template() -> ProgrammeTemplate:
    return ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME)


def baselines(template, *, load=20, reps=10, formula="brzycki"):
    return [
        {"template_exercise": row, "load_kg": Decimal(load), "reps": reps, "formula": formula}
        for row in template.exercises.select_related("exercise")
    ]


def assign(patient, by, *, days_ago=0, template=None, arm=Arm.INTERVENTION, **baseline):
    template = template or shipped_template()
    return services.programme_assign(
        patient=patient,
        template=template,
        arm=arm,
        start_date=timezone.localdate() - timedelta(days=days_ago),
        by=by,
        baselines=baselines(template, **baseline) if arm == Arm.INTERVENTION else [],
    )


def log(programme, by, *, days_ago=0, reps=10, last_set_reps=None, only=None, **fields):
    """A session with every set of every exercise done at its planned load.

    last_set_reps: repetitions in the last set (the one the 2-for-2 rule reads).
    only: limit to the exercises with these names.
    """
    day = timezone.localdate() - timedelta(days=days_ago)
    # Outside the programme's weeks the service refuses the date; any week's plan will do.
    week = min(max(services.programme_week(programme, day), 1), programme.weeks)
    sets = []
    for pe in programme.exercises.select_related("exercise"):
        if only and pe.exercise.name not in only:
            continue
        planned = PlannedLoad.objects.get(programme_exercise=pe, week=week)
        for n in range(1, planned.sets + 1):
            done = last_set_reps if (n == planned.sets and last_set_reps) else reps
            sets.append(
                {
                    "programme_exercise": pe,
                    "set_number": n,
                    "reps_done": done,
                    "load_kg": planned.load_kg,
                }
            )
    values = {"effort": 5, "pain_before": 2, "pain_after": 2, **fields}
    return services.session_record(programme=programme, by=by, date=day, sets=sets, **values)


def loads(programme, exercise_name):
    return [
        load.load_kg
        for load in PlannedLoad.objects.filter(
            programme_exercise__programme=programme,
            programme_exercise__exercise__name=exercise_name,
        ).order_by("week")
    ]


def report_home(programme, by, *, days_ago=0, completion="done", **fields):
    """A home session reported by the patient: every exercise with the same completion."""
    values = {"effort": 4, "pain_after": 2, "fall": False, **fields}
    return services.home_session_report(
        programme=programme,
        by=by,
        date=timezone.localdate() - timedelta(days=days_ago),
        completions={pe: completion for pe in programme.exercises.all()},
        **values,
    )
