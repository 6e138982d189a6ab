"""The district table's figures on a hand-built two-clinic district (tests/district/cohort.py):
each column of each clinic and of the total row against the value worked out by hand."""

import pytest

from district.access import clinics_for_user
from district.selectors import district_table
from tests.district import cohort
from tests.district.factories import DistrictFactory, DistrictLeadFactory
from tests.factories import ClinicFactory

pytestmark = pytest.mark.django_db

COUNTS = (
    "patients",
    "programmes_active",
    "programmes_completed",
    "sessions_done",
    "sessions_planned",
    "adherence_percent",
    "open_flags",
    "visits_overdue",
)


def _figures(row) -> dict:
    return {
        **{name: getattr(row, name) for name in COUNTS},
        "tinetti": (row.tinetti_change.median, row.tinetti_change.n),
        "walk": (row.walk_change.median, row.walk_change.n),
    }


@pytest.fixture
def table():
    lead = cohort.build()
    return district_table(clinics_for_user(lead))


def test_each_clinic_has_one_row_by_name_and_only_the_district_s_clinics(table):
    assert [row.name for row in table.rows] == ["Alpha Physio", "Beta Clinic"]


@pytest.mark.parametrize("clinic", sorted(cohort.EXPECTED))
def test_each_column_of_each_clinic_is_the_figure_worked_out_by_hand(table, clinic):
    row = next(row for row in table.rows if row.name == clinic)
    assert _figures(row) == cohort.EXPECTED[clinic]


def test_the_total_row_adds_the_counts_and_takes_the_district_s_own_medians(table):
    assert table.total.name == "District total"
    assert _figures(table.total) == cohort.EXPECTED_TOTAL


def test_a_lead_of_another_district_sees_only_their_own_clinics():
    cohort.build()
    elsewhere = DistrictLeadFactory(district=DistrictFactory(name="South East"))
    ClinicFactory(name="Delta Physio", district=elsewhere.district)
    table = district_table(clinics_for_user(elsewhere))
    assert [row.name for row in table.rows] == ["Delta Physio"]
    assert _figures(table.rows[0]) == _figures(table.total)
    assert table.total.patients == 0 and table.total.tinetti_change.n == 0


def test_an_empty_district_has_no_rows_and_a_total_of_nothing():
    lead = DistrictLeadFactory()
    ClinicFactory(name="Not assigned")  # a clinic in no district belongs to no lead
    table = district_table(clinics_for_user(lead))
    assert table.rows == []
    assert _figures(table.total) == {
        **dict.fromkeys(COUNTS, 0),
        "adherence_percent": None,
        "tinetti": (None, 0),
        "walk": (None, 0),
    }


def test_someone_who_is_not_a_district_lead_has_no_clinics(clinician):
    assert list(clinics_for_user(clinician)) == []
