"""Nothing is lost when two people (or two clicks) write at once.

Real connections on PostgreSQL, one per thread: SQLite serialises whole-database writes, so
these run where the race is real (CI runs the suite on PostgreSQL as well).
"""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from programmes import services
from programmes.models import ExerciseSession, PlanChange, PlannedLoad
from programmes.progression import plans
from tests.programmes.helpers import assign

pytestmark = [
    # serialized_rollback: later tests keep the shipped rows (data migrations).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks (CI runs it)"
    ),
]


def at_once(*calls):
    """Run the calls in threads released together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 (the test inspects what each thread got)
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_clinicians_changing_the_same_plan_at_once_cannot_overwrite_each_other(
    patient, clinician, clinic_admin
):
    programme = assign(patient, clinician, days_ago=7)
    exercise = programme.exercises.first()
    seen_version = programme.version
    before = {r.week: r.load_kg for r in PlannedLoad.objects.filter(programme_exercise=exercise)}

    def change(by, kg):
        return lambda: services.plan_shift_load(
            programme=programme,
            programme_exercise=exercise,
            from_week=5,
            delta_kg=kg,
            reason=f"Change by {by.username}",
            by=by,
            version=seen_version,
        )

    # Lowering loads: any rise of the shipped plan's later weeks would cross its ceiling.
    results = at_once(change(clinician, -1), change(clinic_admin, -2))
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert "changed by someone else meanwhile" in refused[0].messages[0]
    assert PlanChange.objects.filter(kind__startswith="shift").count() == 1
    winner_kg = -1 if not isinstance(results[0], Exception) else -2
    expected = plans.apply_change(
        [before[w] for w in sorted(before)],
        from_week=5,
        delta_kg=winner_kg,
        load_step=exercise.load_step_kg,
        ceiling_kg=exercise.ceiling_kg,
    )
    after = PlannedLoad.objects.filter(programme_exercise=exercise).order_by("week")
    assert [row.load_kg for row in after] == expected
    programme.refresh_from_db()
    assert programme.version == seen_version + 1


def test_a_double_submitted_session_records_one_session(patient, clinician):
    programme = assign(patient, clinician, days_ago=7)
    day = timezone.localdate() - timedelta(days=1)
    exercise = programme.exercises.first()
    planned = PlannedLoad.objects.get(programme_exercise=exercise, week=1)
    sets = [
        {
            "programme_exercise": exercise,
            "set_number": 1,
            "reps_done": 10,
            "load_kg": planned.load_kg,
        }
    ]

    def submit():
        return services.session_record(
            programme=programme,
            by=clinician,
            date=day,
            sets=sets,
            effort=5,
            pain_before=2,
            pain_after=2,
        )

    results = at_once(submit, submit, submit)
    assert ExerciseSession.objects.filter(programme=programme).count() == 1
    refusals = [r for r in results if isinstance(r, ValidationError)]
    assert len(refusals) == 2, results
    assert all("already recorded" in " ".join(r.messages) for r in refusals)


def test_two_admins_deactivating_each_other_at_once_leave_one_active(clinic_admin):
    from patients import services as patient_services
    from patients.models import Role, User
    from tests.factories import ClinicAdminFactory

    second = ClinicAdminFactory(clinic=clinic_admin.clinic)
    results = at_once(
        lambda: patient_services.staff_set_active(member=second, by=clinic_admin, active=False),
        lambda: patient_services.staff_set_active(member=clinic_admin, by=second, active=False),
    )
    active = User.objects.filter(clinic=clinic_admin.clinic, role=Role.ADMIN, is_active=True)
    assert active.count() == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 1


def test_a_double_submitted_visit_records_one_visit(patient, clinician):
    from assessments.models import Visit
    from tests.assessments.factories import make_visit

    programme = assign(patient, clinician, days_ago=7)

    def submit(timepoint):
        return lambda: make_visit(
            programme=programme, timepoint=timepoint, assessed_on=programme.start_date,
            by=clinician,
        )  # fmt: skip

    results = at_once(submit("baseline"), submit("baseline"))
    assert Visit.objects.filter(programme=programme, timepoint="baseline").count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    # Follow-up visits may repeat, but not twice on the same day.
    results = at_once(submit("followup"), submit("followup"))
    assert Visit.objects.filter(programme=programme, timepoint="followup").count() == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results


def test_two_visits_recorded_at_once_both_mark_their_programme(patient, clinician):
    """Each visit marks which scheduled visits its programme has (the "visits due" list reads
    the marks): recorded at once, neither may overwrite the other's mark."""
    from assessments.models import Visit
    from programmes.models import RECORDED_VISIT_FIELDS, Programme
    from tests.assessments.factories import make_visit
    from tests.factories import ProgrammeFactory

    today = timezone.localdate()
    for _ in range(5):  # the race, when there is one, does not show every time
        programme = ProgrammeFactory(patient=patient, start_date=today - timedelta(days=90))

        def record(timepoint, days_in, programme=programme):
            return lambda: make_visit(
                programme=programme,
                timepoint=timepoint,
                assessed_on=programme.start_date + timedelta(days=days_in),
                by=clinician,
            )

        results = at_once(record("baseline", 0), record("week6", 35), record("week12", 77))
        assert not [r for r in results if isinstance(r, Exception)], results
        marked = Programme.objects.get(pk=programme.pk)
        assert {t for t, f in RECORDED_VISIT_FIELDS.items() if getattr(marked, f)} == {
            "baseline",
            "week6",
            "week12",
        }
        assert Visit.objects.filter(programme=programme).count() == 3
        Programme.objects.filter(pk=programme.pk).update(status="completed", ended_on=today)
