"""The sessions file of a cohort built by hand, every row written out: weeks with and without
sessions, a home session, a pause, a withdrawn and a completed programme, a patient's second
programme, the control arm, a programme not begun, a week without a plan row, and another
clinic's programme. The rows are built by the database (session_rows.WEEK_ROWS_SQL); these
are what they must be."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models.query import QuerySet
from django.utils import timezone

from assessments import exports
from assessments.exports import session_rows
from assessments.outcomes import OutcomeFilters
from programmes import services
from programmes.models import Arm, ExerciseSession, LoggedSet, PlannedLoad
from tests.factories import (
    PatientFactory,
    ProgrammeFactory,
    ProgrammeTemplateFactory,
    TemplateExerciseFactory,
)
from tests.programmes.helpers import assign


def sessions_file(clinic, **filters):
    text = "".join(
        exports.csv_lines(
            "sessions", clinic=clinic, filters=OutcomeFilters(**filters), deidentified=True
        )
    )
    return list(csv.reader(io.StringIO(text)))[1:]


def two_exercises(clinic):
    template = ProgrammeTemplateFactory(clinic=clinic)
    for order, name in ((1, "Squat"), (2, "Calf raise")):
        TemplateExerciseFactory(template=template, order=order, exercise__name=name)
    return template


def programme(template, by, study_id, *, days_ago):
    """An intervention programme on the two-exercise template, its plan replaced by one easy
    to read: every week 3 x 10 at (exercise order x 10 + week) kg, e.g. 12.00 kg for the first
    exercise in week 2."""
    patient = PatientFactory(clinic=template.clinic, study_id=study_id)
    made = assign(patient, by, days_ago=days_ago, template=template)
    for plan in PlannedLoad.objects.filter(programme_exercise__programme=made).select_related(
        "programme_exercise"
    ):
        plan.sets, plan.reps = 3, 10
        plan.load_kg = Decimal(plan.programme_exercise.order * 10 + plan.week)
        plan.save()
    return made


def session(made, day, week, loads=None, source="supervised"):
    """A session on the programme's day `day`, stored in `week`; `loads`: {order: [kg, ...]},
    one logged set per load."""
    home = source == "home"
    done = ExerciseSession.objects.create(
        programme=made,
        source=source,
        date=made.start_date + timedelta(days=day),
        week=week,
        effort=5,
        pain_before=None if home else 2,
        pain_after=2,
    )
    exercises = {pe.order: pe for pe in made.exercises.all()}
    for order, kgs in (loads or {}).items():
        for number, kg in enumerate(kgs, start=1):
            LoggedSet.objects.create(
                session=done,
                programme_exercise=exercises[order],
                set_number=number,
                target_reps=10,
                target_load_kg=Decimal(kg),
                reps_done=10,
                load_kg=Decimal(kg),
            )


def rows(study_id, number, week, planned, supervised, home, cells):
    """The file's rows of one week: `cells` is one (order, name, sets, reps, planned kg, used
    kg) per exercise, or None for the control arm's single row."""
    head = ["kano", study_id, "control" if planned == "0" else "intervention", number, week]
    counts = [planned, supervised, home]
    if cells is None:
        return [[*head, *counts, "", "", "", "", "", ""]]
    return [[*head, *counts, *exercise] for exercise in cells]


def plan(week, used1="", used2="", *, planned2=True):
    """Both exercises of a week as `programme` plans them, with the heaviest loads used."""
    second = ["3", "10", f"{20 + week}.00"] if planned2 else ["", "", ""]
    return [
        ["1", "Squat", "3", "10", f"{10 + week}.00", used1],
        ["2", "Calf raise", *second, used2],
    ]


@pytest.fixture
def cohort(clinic, clinician, other_clinic):
    today = timezone.localdate()
    template = two_exercises(clinic)
    # KAN-A, active, day 17 (week 3): two supervised sessions and a home one in week 1, none
    # in week 2, one in week 3; no plan row for the second exercise in week 2.
    a = programme(template, clinician, "KAN-A", days_ago=17)
    session(a, 1, 1, {1: ["11", "11", "12.5"], 2: ["21", "21", "21"]})
    session(a, 2, 1, source="home")
    session(a, 3, 1, {1: ["13", "11", "11"]})
    session(a, 15, 3, {1: ["14", "14", "14"]})
    PlannedLoad.objects.filter(programme_exercise__programme=a, week=2).filter(
        programme_exercise__order=2
    ).delete()
    # KAN-B, day 30 with 7 days paused (days 14-20): week 4 begun, not 5.
    b = programme(template, clinician, "KAN-B", days_ago=30)
    session(b, 1, 1, {2: ["22.75"]})
    session(b, 8, 2)
    services.programme_pause(programme=b, by=clinician, reason="Ill", on=today - timedelta(16))
    services.programme_resume(programme=b, by=clinician, reason="Well", on=today - timedelta(9))
    session(b, 28, 4, {1: ["15"]})
    # KAN-C, withdrawn on its day 20 (week 3), would be in week 6 now.
    c = programme(template, clinician, "KAN-C", days_ago=40)
    session(c, 2, 1, {1: ["11"], 2: ["21"]})
    services.programme_withdraw(programme=c, by=clinician, reason="Moved", on=today - timedelta(20))
    # KAN-D: a first programme completed on its day 10 (week 2), a second one in week 1.
    d1 = programme(template, clinician, "KAN-D", days_ago=20)
    services.programme_complete(programme=d1, by=clinician, reason="Done", on=today - timedelta(10))
    d2 = assign(d1.patient, clinician, days_ago=5, template=template)
    PlannedLoad.objects.filter(programme_exercise__programme=d2).update(load_kg=Decimal("30.5"))
    # KAN-E, control arm, day 8 (week 2): one row a week, nothing planned.
    e = PatientFactory(clinic=clinic, study_id="KAN-E")
    ProgrammeFactory(patient=e, arm=Arm.CONTROL, start_date=today - timedelta(days=8))
    # KAN-F starts in three days: no week has begun, no row. Another clinic's: never here.
    ProgrammeFactory(patient=PatientFactory(clinic=clinic, study_id="KAN-F"),
                     start_date=today + timedelta(days=3))  # fmt: skip
    ProgrammeFactory(patient=PatientFactory(clinic=other_clinic, study_id="OTH-1"),
                     start_date=today - timedelta(days=8))  # fmt: skip


D2_WEEK1 = [
    ["1", "Squat", "3", "10", "30.50", ""],
    ["2", "Calf raise", "3", "10", "30.50", ""],
]


@pytest.mark.django_db
def test_the_sessions_file_of_a_cohort_built_by_hand(clinic, cohort):
    assert sessions_file(clinic) == [
        *rows("KAN-A", "1", "1", "3", "2", "1", plan(1, "13.00", "21.00")),
        *rows("KAN-A", "1", "2", "3", "0", "0", plan(2, planned2=False)),
        *rows("KAN-A", "1", "3", "3", "1", "0", plan(3, "14.00")),
        *rows("KAN-B", "1", "1", "3", "1", "0", plan(1, "", "22.75")),
        *rows("KAN-B", "1", "2", "3", "1", "0", plan(2)),
        *rows("KAN-B", "1", "3", "3", "0", "0", plan(3)),
        *rows("KAN-B", "1", "4", "3", "1", "0", plan(4, "15.00")),
        *rows("KAN-C", "1", "1", "3", "1", "0", plan(1, "11.00", "21.00")),
        *rows("KAN-C", "1", "2", "3", "0", "0", plan(2)),
        *rows("KAN-C", "1", "3", "3", "0", "0", plan(3)),
        *rows("KAN-D", "1", "1", "3", "0", "0", plan(1)),
        *rows("KAN-D", "1", "2", "3", "0", "0", plan(2)),
        *rows("KAN-D", "2", "1", "3", "0", "0", D2_WEEK1),
        *rows("KAN-E", "1", "1", "0", "0", "0", None),
        *rows("KAN-E", "1", "2", "0", "0", "0", None),
    ]


@pytest.mark.django_db
def test_a_filtered_sessions_file_keeps_each_programmes_number(clinic, cohort):
    completed = sessions_file(clinic, status="completed")
    assert {(row[1], row[3]) for row in completed} == {("KAN-D", "1")}
    active = sessions_file(clinic, status="active")
    assert {(row[1], row[3]) for row in active} == {
        ("KAN-A", "1"),
        ("KAN-B", "1"),
        ("KAN-D", "2"),
        ("KAN-E", "1"),
    }


@pytest.mark.django_db
def test_the_sessions_file_reads_two_queries_per_chunk_of_programmes(
    clinic, cohort, monkeypatch, django_assert_max_num_queries
):
    """One chunk for the cohort; a smaller chunk size gives more queries, never more per
    programme."""
    with django_assert_max_num_queries(3):  # the clinic's programmes, their rows (+ a cursor)
        whole = sessions_file(clinic)
    monkeypatch.setattr(session_rows, "PROGRAMME_CHUNK", 2)
    chunk_sizes = []
    real_iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    assert sessions_file(clinic) == whole
    assert chunk_sizes == [2]
