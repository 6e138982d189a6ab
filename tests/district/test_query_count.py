"""The district page and its CSV cost the same number of queries with 1 clinic or 3, and with 2
patients or 20: the figures are grouped by clinic in SQL, the medians and the per-programme
rules worked out from one read each."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programmes.models import Arm
from tests.assessments.factories import make_visit
from tests.district.cohort import add_sessions
from tests.district.factories import DistrictFactory, DistrictLeadFactory
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

# Clinics on different days at most hours (UTC+14 and UTC-10): the flags' rules per day.
TIME_ZONES = ["UTC", "Pacific/Kiritimati", "Pacific/Honolulu"]


def _district(clinics: int, patients: int):
    """A district whose clinics share `patients` patients, each with every kind of figure: a
    programme with baseline and week-12 visits, or a control programme with visits overdue."""
    district = DistrictFactory()
    today = timezone.localdate()
    made = [
        ClinicFactory(district=district, time_zone=TIME_ZONES[n % len(TIME_ZONES)])
        for n in range(clinics)
    ]
    for n in range(patients):
        clinic = made[n % clinics]
        by = ClinicianFactory(clinic=clinic)
        start = today - timedelta(days=100)
        arm = Arm.CONTROL if n % 2 else Arm.INTERVENTION
        programme = ProgrammeFactory(
            patient=PatientFactory(clinic=clinic), start_date=start, arm=arm
        )
        make_visit(programme=programme, assessed_on=start, by=by, walk_distance_m=300)
        if arm == Arm.CONTROL:
            continue  # its week-6 and week-12 visits are overdue
        add_sessions(programme, 6 + n)
        make_visit(
            programme=programme,
            timepoint="week12",
            assessed_on=start + timedelta(days=84),
            by=by,
            balance=12,
            walk_distance_m=340 + n,
        )
    return DistrictLeadFactory(district=district)


def _queries(client, lead, name) -> int:
    client.force_login(lead)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(name))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["district:page", "district:csv"])
def test_the_count_is_the_same_with_1_clinic_and_with_3(client, name):
    one = _queries(client, _district(clinics=1, patients=6), name)
    three = _queries(client, _district(clinics=3, patients=6), name)
    assert one == three


@pytest.mark.parametrize("name", ["district:page", "district:csv"])
def test_the_count_is_the_same_with_2_patients_and_with_20(client, name):
    few = _queries(client, _district(clinics=2, patients=2), name)
    many = _queries(client, _district(clinics=2, patients=20), name)
    assert few == many


def test_the_figures_really_cover_the_clinics_and_patients_counted(client):
    lead = _district(clinics=3, patients=20)
    client.force_login(lead)
    table = client.get(reverse("district:page")).context["table"]
    assert len(table.rows) == 3
    assert table.total.patients == 20
    assert table.total.tinetti_change.n == 10  # the intervention half
    assert table.total.visits_overdue == 20  # each control programme's week 6 and week 12
    assert table.total.open_flags == 10  # no session for a week, each intervention programme
    assert table.total.sessions_done == sum(6 + n for n in range(0, 20, 2))


@pytest.mark.kept_pages
def test_the_table_is_kept_until_a_record_of_one_of_its_clinics_changes(client, settings):
    """Working the figures out reads every programme of the district: the table is kept, and
    only the clinics' read is made again, until any of them is written to."""
    from django.core.cache import caches

    from patients.kept_pages import clinic_records_changed

    settings.LEGWORK_KEPT_PAGE_SECONDS = 600
    caches["pages"].clear()
    lead = _district(clinics=2, patients=4)
    worked_out = _queries(client, lead, "district:page")
    kept = _queries(client, lead, "district:page")
    assert kept < worked_out
    clinic = lead.district.clinics.order_by("pk").first()
    PatientFactory(clinic=clinic)
    clinic_records_changed(clinic.pk)  # as after the commit of any write in the clinic
    assert _queries(client, lead, "district:page") == worked_out
    client.force_login(lead)
    assert client.get(reverse("district:page")).context["table"].total.patients == 5
