"""Generate a synthetic clinic for the benchmark (PostgreSQL), timing the bulk inserts.

Each patient gets a 12-week intervention programme on the shipped template (5 exercises, the
plan of every week), 36 supervised sessions with 3 sets per exercise, and baseline, week-6 and
week-12 visits with a full Tinetti test and the other measures. The first programme is assigned
through the real service; the others copy its shape with bulk inserts (history rows, which only
record edits, are not generated).

    python -m bench.generate --patients 5000 [--sessions 36] [--clinic bench]
"""

import argparse
import os
import random
import time
from datetime import timedelta
from decimal import Decimal


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def generate(*, patients: int, sessions: int, slug: str, seed: int = 1) -> dict:
    from django.db import transaction
    from django.utils import timezone

    from assessments import timepoints as schedule
    from assessments import tinetti
    from assessments.models import Visit
    from patients.models import Patient
    from patients.services import clinic_create, staff_create
    from programmes import services as programme_services
    from programmes.attention import attention_summary
    from programmes.models import (
        RECORDED_VISIT_FIELDS,
        SESSION_SUMMARY_FIELDS,
        ExerciseSession,
        LoggedSet,
        PlannedLoad,
        Programme,
        ProgrammeExercise,
        ProgrammeTemplate,
    )
    from programmes.shipped import DEFAULT_TEMPLATE_NAME

    rng = random.Random(seed)
    today = timezone.localdate()
    start = today - timedelta(days=83)  # week 12 now: all 36 sessions are in the past
    timings = {}
    began = time.perf_counter()

    with transaction.atomic():
        clinic, admin, _ = clinic_create(
            name=f"Benchmark clinic ({patients} patients)",
            slug=slug,
            time_zone="Africa/Lagos",
            admin_username=f"{slug}-admin",
            admin_password=BENCH_PASSWORD,
        )
        clinician = staff_create(
            clinic=clinic,
            by=admin,
            username=f"{slug}-clinician",
            password=BENCH_PASSWORD,
            role="clinician",
            first_name="Bench",
            last_name="Clinician",
        )
        rows = [
            Patient(
                clinic=clinic,
                study_id=f"B-{n:06d}",
                given_name=rng.choice(["Amina", "Musa", "Grace", "Sipho", "Halima", "Kwame"]),
                family_name=rng.choice(["Bello", "Dlamini", "Okafor", "Mensah", "Nkosi"]),
                date_of_birth=today - timedelta(days=365 * rng.randint(30, 75)),
                sex=rng.choice(["female", "male"]),
                aetiology=rng.choice(["hiv_dsp", "hiv_dsp", "diabetic"]),
                research_consent=True,
                consent_date=today - timedelta(days=rng.randint(1, 90)),
                responsible_clinician=clinician,
            )
            for n in range(1, patients + 1)
        ]
        created = Patient.objects.bulk_create(rows, batch_size=2000)
        timings["patients"] = time.perf_counter() - began

        # The prototype programme, built by the app's own service.
        template = ProgrammeTemplate.objects.get(clinic=None, name=DEFAULT_TEMPLATE_NAME)
        baselines = [
            {"template_exercise": row, "load_kg": Decimal(20), "reps": 10, "formula": "brzycki"}
            for row in template.exercises.select_related("exercise")
        ]
        first = programme_services.programme_assign(
            patient=created[0],
            template=template,
            arm="intervention",
            start_date=start,
            by=clinician,
            baselines=baselines,
        )
        proto_exercises = list(first.exercises.all())
        proto_plan = {pe.pk: {p.week: p for p in pe.planned_loads.all()} for pe in proto_exercises}

        step = time.perf_counter()
        programmes = Programme.objects.bulk_create(
            [
                Programme(
                    clinic=clinic,
                    patient=patient,
                    template=template,
                    name=first.name,
                    arm="control" if n % 5 == 4 else "intervention",
                    start_date=start,
                    created_by=clinician,
                )
                for n, patient in enumerate(created[1:], start=1)
            ],
            batch_size=2000,
        )
        all_programmes = [first, *programmes]
        copied = [f.name for f in ProgrammeExercise._meta.concrete_fields if f.name not in
                  ("id", "programme")]  # fmt: skip
        exercises = ProgrammeExercise.objects.bulk_create(
            [
                ProgrammeExercise(
                    programme=programme, **{name: getattr(pe, name) for name in copied}
                )
                for programme in programmes
                for pe in proto_exercises
            ],
            batch_size=5000,
        )
        by_programme = {first.pk: proto_exercises}
        for pe in exercises:
            by_programme.setdefault(pe.programme_id, []).append(pe)
        plan_fields = ["week", "sets", "reps", "load_kg", "intensity_pct", "is_deload"]
        PlannedLoad.objects.bulk_create(
            [
                PlannedLoad(
                    programme_exercise=pe,
                    **{f: getattr(proto_plan[proto.pk][week], f) for f in plan_fields},
                )
                for programme in programmes
                for pe, proto in zip(by_programme[programme.pk], proto_exercises, strict=True)
                for week in proto_plan[proto.pk]
            ],
            batch_size=10000,
        )
        timings["programmes and plans"] = time.perf_counter() - step

        step = time.perf_counter()
        days = [week * 7 + offset for week in range(12) for offset in (0, 2, 4)][:sessions]
        session_count = set_count = 0
        intervention = [p for p in all_programmes if p.arm == "intervention"]
        for chunk_start in range(0, len(intervention), 250):
            chunk = intervention[chunk_start : chunk_start + 250]
            new_sessions = ExerciseSession.objects.bulk_create(
                [
                    ExerciseSession(
                        programme=programme,
                        source="supervised",
                        date=start + timedelta(days=day),
                        week=day // 7 + 1,
                        effort=rng.randint(3, 8),
                        pain_before=rng.randint(0, 4),
                        pain_after=rng.randint(0, 5),
                        recorded_by=clinician,
                    )
                    for programme in chunk
                    for day in days
                ],
                batch_size=5000,
            )
            sets = []
            for session in new_sessions:
                for pe, proto in zip(
                    by_programme[session.programme_id], proto_exercises, strict=True
                ):
                    planned = proto_plan[proto.pk][session.week]
                    for number in range(1, planned.sets + 1):
                        sets.append(
                            LoggedSet(
                                session=session,
                                programme_exercise=pe,
                                set_number=number,
                                target_reps=planned.reps,
                                target_load_kg=planned.load_kg,
                                reps_done=planned.reps + rng.choice((-1, 0, 0, 1)),
                                load_kg=planned.load_kg,
                            )
                        )
            LoggedSet.objects.bulk_create(sets, batch_size=10000)
            # What the session services keep on each programme for the home page's flags.
            by_owner = {}
            for session in new_sessions:
                by_owner.setdefault(session.programme_id, []).append(session)
            for programme in chunk:
                for name, value in attention_summary(by_owner.get(programme.pk, [])).items():
                    setattr(programme, name, value)
            Programme.objects.bulk_update(chunk, SESSION_SUMMARY_FIELDS, batch_size=1000)
            session_count += len(new_sessions)
            set_count += len(sets)
        timings["sessions and sets"] = time.perf_counter() - step

        step = time.perf_counter()
        visits = []
        for programme in all_programmes:
            improving = programme.arm == "intervention"
            # Each visit on its target day, but never after today: the programmes are in week 12,
            # so the week-12 visit (target day 84) falls on day 83, inside its window.
            days = {"baseline": 0, **schedule.TARGET_DAY}
            for index, (timepoint, day) in enumerate(days.items()):
                lines = _tinetti_lines(rng, gain=index if improving else 0)
                result = tinetti.score(lines)
                visits.append(
                    Visit(
                        clinic=clinic,
                        patient_id=programme.patient_id,
                        programme=programme,
                        timepoint=timepoint,
                        assessed_on=min(start + timedelta(days=day), today),
                        assessor=clinician,
                        tinetti_balance=result.balance,
                        tinetti_gait=result.gait,
                        tinetti_total=result.total,
                        walk_distance_m=rng.randint(250, 450) + (25 * index if improving else 0),
                        chair_stands=rng.randint(6, 14),
                        pain_nrs=rng.randint(0, 6),
                        height_cm=Decimal(rng.randint(150, 185)),
                        weight_kg=Decimal(rng.randint(50, 95)),
                        **lines,
                    )
                )
        Visit.objects.bulk_create(visits, batch_size=5000)
        # What the visit services keep on each programme for the "visits due" list.
        for timepoint, field in RECORDED_VISIT_FIELDS.items():
            recorded = Visit.objects.filter(clinic=clinic, timepoint=timepoint)
            Programme.objects.filter(pk__in=recorded.values("programme_id")).update(**{field: True})
        timings["visits"] = time.perf_counter() - step

    timings["total"] = time.perf_counter() - began
    return {
        "clinic": clinic,
        "patients": len(created),
        "programmes": len(all_programmes),
        "sessions": session_count,
        "sets": set_count,
        "visits": len(visits),
        "timings": timings,
    }


BENCH_PASSWORD = "bench-password-not-secret-2026"  # noqa: S105 (a throwaway benchmark database)


def _tinetti_lines(rng: random.Random, *, gain: int) -> dict[str, int]:
    """A plausible Tinetti test: mostly middling lines, better by `gain` steps of improvement."""
    from assessments import tinetti

    lines = {}
    for item in tinetti.ITEMS:
        top = item.max_score
        value = rng.choice([top - 1, top - 1, top]) if gain else rng.choice([0, top - 1, top - 1])
        lines[item.code] = max(0, min(top, value + (1 if gain == 2 and rng.random() < 0.3 else 0)))
    return lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=5000)
    parser.add_argument("--sessions", type=int, default=36)
    parser.add_argument("--clinic", default="bench")
    args = parser.parse_args()
    _setup()
    summary = generate(patients=args.patients, sessions=args.sessions, slug=args.clinic)
    for key in ("patients", "programmes", "sessions", "sets", "visits"):
        print(f"{key:>12}: {summary[key]:,}")
    for key, seconds in summary["timings"].items():
        print(f"{key:>24}: {seconds:7.1f} s")


if __name__ == "__main__":
    main()
