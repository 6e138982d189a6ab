"""The long file's rows as the builder makes them: plain values read without model objects, the
programme numbered by a query read alongside the visits, and the cells written as `csv_cell`
writes them."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import exports
from assessments.exports import rows
from assessments.exports.cells import csv_cell, csv_row
from assessments.exports.columns import LONG_MEASURES
from assessments.exports.writers import _Echo
from assessments.outcomes import OutcomeFilters
from programmes.models import Arm, ProgrammeStatus
from tests.assessments import outcome_data
from tests.assessments.factories import make_visit
from tests.factories import PatientFactory, ProgrammeFactory


def long_dicts(clinic, **filters):
    text = "".join(
        exports.csv_lines(
            "long", clinic=clinic, filters=OutcomeFilters(**filters), deidentified=False
        )
    )
    return list(csv.DictReader(io.StringIO(text)))


# --- a visit's measures -------------------------------------------------------------------


def measures_by_name(**given):
    values = {
        "sex": "male",
        "born": date(1975, 5, 17),
        "assessed_on": date(2025, 1, 6),  # 49 years old
        "balance": None,
        "gait": None,
        "total": None,
        "walk": None,
        "stands": None,
        "arms_needed": False,
        "sts": None,
        "pain": None,
        "height": None,
        "weight": None,
        **given,
    }
    return dict(zip(LONG_MEASURES, rows.visit_measures(*values.values()), strict=True))


def test_each_measure_comes_out_under_its_own_column_name():
    got = measures_by_name(
        balance=10,
        gait=7,
        total=17,
        walk=400,
        stands=9,
        sts=Decimal("16.5"),
        pain=6,
        height=Decimal("170.0"),
        weight=Decimal("70.0"),
    )
    # Enright & Sherrill, man aged 49, 170 cm, 70 kg: 608.72 m predicted; 400 m is 65.7 %.
    assert got == {
        "tinetti_balance": 10,
        "tinetti_gait": 7,
        "tinetti_total": 17,
        "tinetti_risk": "high",
        "walk6_m": 400,
        "walk6_pct_predicted": 65.7,
        "chair30_stands": 9,
        "sts5_s": Decimal("16.5"),
        "pain_nrs": 6,
        "height_cm": Decimal("170.0"),
        "weight_kg": Decimal("70.0"),
    }


def test_a_visit_with_no_measures_has_every_measure_empty():
    assert set(measures_by_name().values()) == {None}


def test_the_chair_stands_score_0_when_the_arms_were_needed():
    assert measures_by_name(stands=9, arms_needed=True)["chair30_stands"] == 0


def test_the_walk_has_no_percentage_without_the_height_or_weight_or_outside_ages_40_to_80():
    weighed = {"walk": 400, "height": Decimal("170.0"), "weight": Decimal("70.0")}
    assert measures_by_name(walk=400, weight=Decimal("70.0"))["walk6_pct_predicted"] is None
    assert measures_by_name(walk=400, height=Decimal("170.0"))["walk6_pct_predicted"] is None
    young = measures_by_name(**weighed, born=date(1990, 1, 1))
    assert young["walk6_m"] == 400 and young["walk6_pct_predicted"] is None


# --- the rows -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_rows_keep_real_dates_and_numbers_for_the_workbook(clinic, clinician):
    outcome_data.build(clinic, clinician)
    first = next(iter(exports.rows_for("long", clinic, OutcomeFilters(), deidentified=False)))
    header = [c.name for c in exports.long_columns(deidentified=False)]
    row = dict(zip(header, first, strict=True))
    assert row["assessed_on"] == date(2025, 1, 6)
    assert (row["programme"], row["study_week"], row["age"]) == (1, 1, 49)
    assert row["tinetti_total"] == 17 and row["tinetti_sitting_balance"] == 1
    assert row["height_cm"] == Decimal("170.0") and row["walk6_pct_predicted"] == 65.7
    assert row["sts5_s"] is None


@pytest.mark.django_db
def test_de_identified_rows_have_the_study_day_and_the_grouped_age(clinic, clinician):
    outcome_data.build(clinic, clinician)
    header = [c.name for c in exports.long_columns(deidentified=True)]
    found = [
        dict(zip(header, row, strict=True))
        for row in exports.rows_for("long", clinic, OutcomeFilters(), deidentified=True)
    ]
    kan3 = [r for r in found if r["study_id"] == "KAN-0003"]
    assert [(r["timepoint"], r["study_day"], r["study_week"]) for r in kan3] == [
        ("baseline", 0, 1),
        ("week12", 77, 12),
    ]
    assert {r["age"] for r in kan3} == {"90+"}
    assert all(not isinstance(value, date) for r in found for value in r.values())


@pytest.mark.django_db
def test_a_row_with_missing_measures_has_empty_cells_and_the_rest_filled(clinic, clinician):
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0300",
        arm=Arm.INTERVENTION,
        visits={"baseline": (None, None, {"chair_stands": 0, "chair_arms_needed": True})},
    )
    (row,) = long_dicts(clinic)
    assert (row["study_id"], row["programme"], row["timepoint"]) == ("KAN-0300", "1", "baseline")
    assert row["chair30_stands"] == "0"  # the protocol's score: the arms were needed
    empty = [name for name, value in row.items() if value == ""]
    assert set(empty) == {
        *(c.name for c in exports.long_columns(deidentified=False)[10:30]),  # Tinetti lines
        "deviation_reason",  # on time: no deviation
        "tinetti_balance",
        "tinetti_gait",
        "tinetti_total",
        "tinetti_risk",
        "walk6_m",
        "walk6_pct_predicted",
        "sts5_s",
        "sts_convention",  # no time, so no timing convention
        "walk_aid",  # no walk
        "pain_nrs",
        "height_cm",
        "weight_kg",
    }
    assert row["chair_arms_needed"] == "1"


# --- the programme's number ---------------------------------------------------------------


def _programme(patient, start, *, status, visits=()):
    """A programme of `patient` with a baseline visit on each of the given days from its start."""
    ended = status in (ProgrammeStatus.COMPLETED, ProgrammeStatus.WITHDRAWN)
    programme = ProgrammeFactory(
        patient=patient,
        start_date=start,
        status=status,
        ended_on=start + timedelta(days=84) if ended else None,
    )
    for day in visits:
        make_visit(programme=programme, assessed_on=start + timedelta(days=day))
    return programme


@pytest.fixture
def programmes(clinic):
    """Patients whose programmes were entered out of date order, some without visits.

    KAN-0020: a programme in 2023 without visits, one in 2024 and one in 2025 with a visit each,
    the 2025 one entered first (so the database ID and the date order disagree).
    KAN-0010: one programme without visits. KAN-0030: one programme with a visit.
    """
    late = PatientFactory(clinic=clinic, study_id="KAN-0030")
    main = PatientFactory(clinic=clinic, study_id="KAN-0020")
    alone = PatientFactory(clinic=clinic, study_id="KAN-0010")
    made = {
        "third": _programme(main, date(2025, 1, 6), status=ProgrammeStatus.ACTIVE, visits=[0]),
        "first": _programme(main, date(2023, 1, 2), status=ProgrammeStatus.WITHDRAWN),
        "second": _programme(main, date(2024, 1, 1), status=ProgrammeStatus.COMPLETED, visits=[0]),
        "alone": _programme(alone, date(2024, 3, 4), status=ProgrammeStatus.ACTIVE),
        "late": _programme(late, date(2024, 2, 5), status=ProgrammeStatus.ACTIVE, visits=[0]),
    }
    return made


@pytest.mark.django_db
def test_a_programme_is_numbered_by_start_date_counting_those_without_visits(clinic, programmes):
    found = [(r["study_id"], r["assessed_on"], r["programme"]) for r in long_dicts(clinic)]
    assert found == [
        ("KAN-0020", "2024-01-01", "2"),
        ("KAN-0020", "2025-01-06", "3"),
        ("KAN-0030", "2024-02-05", "1"),
    ]


@pytest.mark.django_db
def test_a_programme_keeps_its_number_when_the_filters_leave_out_the_earlier_ones(
    clinic, programmes
):
    later = long_dicts(clinic, start_from=date(2025, 1, 1))
    assert [(r["study_id"], r["programme"]) for r in later] == [("KAN-0020", "3")]
    completed = long_dicts(clinic, status=ProgrammeStatus.COMPLETED)
    assert [(r["study_id"], r["programme"]) for r in completed] == [("KAN-0020", "2")]


@pytest.mark.django_db
def test_the_long_and_wide_files_number_the_programmes_alike(clinic, programmes):
    wide = exports.rows_for("wide", clinic, OutcomeFilters(), deidentified=False)
    # Wide columns: clinic, study_id, arm, programme, template, status, programme_start, ...
    wide_numbers = {(r[1], r[6].isoformat()): str(r[3]) for r in wide}
    assert wide_numbers[("KAN-0010", "2024-03-04")] == "1"
    for row in long_dicts(clinic):  # every visit here is a baseline on its programme's start
        assert wide_numbers[(row["study_id"], row["assessed_on"])] == row["programme"]


@pytest.mark.django_db
def test_the_long_file_costs_the_same_queries_for_one_patient_or_many(
    clinic, clinician, django_assert_num_queries
):
    outcome_data.programme_with_visits(
        clinic, clinician, study_id="KAN-0900", arm=Arm.CONTROL, visits={"baseline": (9, 8, {})}
    )
    # The visits, and the programmes' numbers beside them.
    with django_assert_num_queries(2):
        assert len(long_dicts(clinic)) == 1
    outcome_data.build(clinic, clinician)  # five more patients, 12 visits
    with django_assert_num_queries(2):
        assert len(long_dicts(clinic)) == 13


# --- the cells ----------------------------------------------------------------------------


def written(cells) -> str:
    return csv.writer(_Echo(), lineterminator="\r\n").writerow(cells)


@pytest.mark.parametrize(
    "value",
    [
        None,
        True,
        False,
        0,
        -3,
        2.0,
        65.7,
        1 / 3,
        Decimal("173.0"),
        Decimal("-0.50"),
        date(2025, 1, 6),
        datetime(2025, 1, 6, 9, 30),
        "",
        "KAN-0001",
        "=1+1",
        "-2",
        'say "hi", then go',
        Arm.CONTROL,
        ProgrammeStatus.ACTIVE,
    ],
)
def test_a_row_is_written_as_csv_cell_writes_each_value(value):
    assert written(csv_row([value, 1])) == written([csv_cell(value), csv_cell(1)])


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.text(),
)


@given(st.lists(cell_values, max_size=8))
def test_any_row_is_written_as_csv_cell_writes_each_value(values):
    assert written(csv_row(values)) == written([csv_cell(value) for value in values])


@pytest.mark.django_db
def test_a_programme_begun_while_the_file_is_read_is_numbered_too(clinic, programmes, monkeypatch):
    real = rows._programme_numbers
    calls = []

    def numbers_read_before_the_last_programme(clinic, filters):
        calls.append(1)
        numbers = real(clinic, filters)
        if len(calls) == 1:
            del numbers[programmes["late"].pk]  # as if it were assigned just after this read
        return numbers

    monkeypatch.setattr(rows, "_programme_numbers", numbers_read_before_the_last_programme)
    found = [(r["study_id"], r["programme"]) for r in long_dicts(clinic)]
    assert ("KAN-0030", "1") in found
    assert len(calls) == 2
