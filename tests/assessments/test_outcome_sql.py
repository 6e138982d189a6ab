"""On PostgreSQL the results table is computed by the database in one query (percentile_cont);
elsewhere by results_from in Python. The two must agree cell by cell on a clinic with every
awkward case: measures not taken, programmes without a baseline or without any visit, sit-to-stand
times in tenths of a second, chair stands that needed the arms, follow-up visits, another clinic,
and each filter."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from assessments import outcomes
from assessments.models import Visit
from assessments.outcomes import OutcomeFilters, observations, results_from, results_in_database
from patients.models import Aetiology
from programmes.models import Arm, ProgrammeStatus
from tests.assessments import outcome_data
from tests.assessments.factories import make_visit
from tests.factories import (
    ClinicFactory,
    ClinicianFactory,
    ProgrammeFactory,
    ProgrammeTemplateFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="percentile_cont is PostgreSQL's; other databases use results_from, which this "
        "checks it against (CI runs it on PostgreSQL)",
    ),
]


def python_results(programmes):
    return results_from(observations(programmes))


def every_cell():
    for arm, _ in outcomes.ARMS:
        for column in outcomes.COLUMNS:
            for name in outcomes.MEASURE_NAMES:
                yield arm, column, name


def assert_same_table(in_database, in_python):
    """Every cell: the same n, and the median and quartiles within 1e-9 (the two interpolate
    with the same formula written differently, so the last bit of a float may differ)."""
    for cell in every_cell():
        sql, python = in_database.summary(*cell), in_python.summary(*cell)
        where = f"{cell}: {sql} != {python}"
        assert sql.n == python.n, where
        for a, b in ((sql.median, python.median), (sql.q1, python.q1), (sql.q3, python.q3)):
            assert (a is None) == (b is None), where
            if a is not None:
                assert a == pytest.approx(b, rel=0, abs=1e-9), where


def random_measures(rng):
    """Some of the visit's measures, each sometimes not taken."""
    extra = {}
    if rng.random() < 0.8:
        extra["walk_distance_m"] = rng.randint(60, 700)
    if rng.random() < 0.7:
        extra["chair_arms_needed"] = rng.random() < 0.25  # then scored 0, as the visit stores it
        extra["chair_stands"] = 0 if extra["chair_arms_needed"] else rng.randint(0, 20)
    if rng.random() < 0.6:
        extra["sts_seconds"] = Decimal(rng.randint(50, 450)) / 10  # tenths: not exact as floats
        # Mostly one convention, sometimes the other: a change of convention is never a change.
        extra["sts_convention"] = "fifth_stand" if rng.random() < 0.75 else "fifth_sit"
    if rng.random() < 0.85:
        extra["pain_nrs"] = rng.randint(0, 10)
    return extra


def varied_clinic(clinic, by, *, programmes=48, seed=20250106):
    """Programmes in both arms with random outcomes, some missing a visit or a measure, started
    over twelve weeks, with two aetiologies, two statuses and a template."""
    rng = random.Random(seed)
    template = ProgrammeTemplateFactory(clinic=clinic)
    for i in range(programmes):
        visits = {}
        for timepoint in ("baseline", "week6", "week12"):
            if rng.random() < 0.2:
                continue  # no visit at this timepoint
            tinetti_done = rng.random() < 0.85
            balance = rng.randint(0, 16) if tinetti_done else None
            gait = rng.randint(0, 12) if tinetti_done else None
            visits[timepoint] = (balance, gait, random_measures(rng))
        programme = outcome_data.programme_with_visits(
            clinic,
            by,
            study_id=f"KAN-{i + 1:04d}",
            arm=Arm.INTERVENTION if rng.random() < 0.6 else Arm.CONTROL,
            start=outcome_data.START + timedelta(weeks=i % 12),
            aetiology=rng.choice([Aetiology.HIV, Aetiology.DIABETIC]),
            visits=visits,
        )
        if rng.random() < 0.3:
            make_visit(
                programme=programme,
                timepoint="followup",
                assessed_on=programme.start_date + timedelta(days=120),
                balance=16,
                gait=12,
                by=by,
                pain_nrs=0,
            )
        if rng.random() < 0.4:
            programme.status = ProgrammeStatus.COMPLETED
            programme.ended_on = programme.start_date + timedelta(weeks=12)
        programme.template = template if i % 3 == 0 else None
        programme.save()
    return template


def test_the_database_and_python_agree_on_a_varied_clinic(clinic, clinician):
    template = varied_clinic(clinic, clinician)
    # A programme without visits, and another clinic's, are in no cell.
    ProgrammeFactory(patient__clinic=clinic, patient__study_id="KAN-0999", arm=Arm.CONTROL)
    other = ClinicFactory()
    outcome_data.programme_with_visits(
        other,
        ClinicianFactory(clinic=other),
        study_id="KAN-0001",
        arm=Arm.CONTROL,
        visits={"baseline": (0, 0, {"pain_nrs": 10}), "week6": (16, 12, {"pain_nrs": 0})},
    )
    every = [
        OutcomeFilters(),
        OutcomeFilters(start_from=outcome_data.START + timedelta(weeks=6)),
        OutcomeFilters(start_to=outcome_data.START + timedelta(weeks=2)),
        OutcomeFilters(aetiology=Aetiology.DIABETIC),
        OutcomeFilters(template=template),
        OutcomeFilters(status=ProgrammeStatus.COMPLETED),
        OutcomeFilters(status=ProgrammeStatus.COMPLETED, aetiology=Aetiology.HIV),
        OutcomeFilters(start_from=date(2030, 1, 1)),  # selects nothing
    ]
    sizes = set()
    for filters in every:
        programmes = filters.programmes(clinic)
        python = python_results(programmes)
        assert_same_table(results_in_database(programmes), python)
        sizes |= {python.summary(*cell).n for cell in every_cell()}

    # The clinic really has the awkward cases: empty cells, cells of one, two and three values
    # (where the quartiles interpolate most), and changes counted only where both visits have
    # the measure.
    assert {0, 1, 2, 3} <= sizes and len(sizes) > 15
    visits = Visit.objects.filter(clinic=clinic)
    later_without_baseline = visits.filter(timepoint="week12").exclude(
        programme__visits__timepoint="baseline"
    )
    assert later_without_baseline.exists()
    assert visits.filter(chair_arms_needed=True, chair_stands=0).exists()
    python = python_results(OutcomeFilters().programmes(clinic))
    for arm, _ in outcomes.ARMS:
        baseline = python.summary(arm, "baseline", "sts5_s_fifth_stand").n
        assert 0 < python.summary(arm, "change_week12", "sts5_s_fifth_stand").n < baseline
        assert python.summary(arm, "baseline", "sts5_s_fifth_sit").n > 0
    timed_both_ways = visits.filter(timepoint="baseline", sts_convention="fifth_stand").filter(
        programme__visits__timepoint="week12", programme__visits__sts_convention="fifth_sit"
    )
    assert timed_both_ways.exists()


def test_the_chair_stand_is_scored_0_when_the_arms_were_needed(clinic, clinician):
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0001",
        arm=Arm.INTERVENTION,
        visits={
            "baseline": (10, 7, {"chair_stands": 0, "chair_arms_needed": True}),
            "week12": (12, 9, {"chair_stands": 9}),
        },
    )
    results = results_in_database(OutcomeFilters().programmes(clinic))
    assert results.summary("intervention", "baseline", "chair30_stands").median == 0
    assert results.summary("intervention", "change_week12", "chair30_stands").median == 9


def test_a_change_in_a_decimal_time_is_the_same_float_subtraction_as_in_python(clinic, clinician):
    sts = {"sts_convention": "fifth_stand"}
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0001",
        arm=Arm.CONTROL,
        visits={
            "baseline": (10, 7, {**sts, "sts_seconds": Decimal("16.5")}),
            "week6": (10, 7, {**sts, "sts_seconds": Decimal("13.7")}),
        },
    )
    results = results_in_database(OutcomeFilters().programmes(clinic))
    change = results.summary("control", "change_week6", "sts5_s_fifth_stand")
    assert change.median == float(Decimal("13.7")) - float(Decimal("16.5"))  # -2.8000000000000007
    assert results.summary("control", "week6", "sts5_s_fifth_stand").median == 13.7


def test_the_database_never_pools_sit_to_stand_times_of_different_conventions(clinic, clinician):
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0001",
        arm=Arm.CONTROL,
        visits={
            "baseline": (10, 7, {"sts_convention": "fifth_stand", "sts_seconds": Decimal("12")}),
            "week6": (10, 7, {"sts_convention": "fifth_sit", "sts_seconds": Decimal("20")}),
        },
    )
    results = results_in_database(OutcomeFilters().programmes(clinic))
    assert results.summary("control", "baseline", "sts5_s_fifth_stand").median == 12
    assert results.summary("control", "baseline", "sts5_s_fifth_sit").n == 0
    assert results.summary("control", "week6", "sts5_s_fifth_sit").median == 20
    assert results.summary("control", "change_week6", "sts5_s_fifth_stand").n == 0
    assert results.summary("control", "change_week6", "sts5_s_fifth_sit").n == 0


def test_the_clinics_results_are_one_query_on_postgresql(
    clinic, clinician, django_assert_num_queries
):
    outcome_data.build(clinic, clinician)
    with django_assert_num_queries(1) as captured:
        results = outcomes.clinic_results(clinic, OutcomeFilters())
    assert "percentile_cont" in captured.captured_queries[0]["sql"]
    total = results.summary("intervention", "baseline", "tinetti_total")
    assert (total.n, total.median, total.q1, total.q3) == (3, 19, 18, 20)
