"""The district page and its CSV, as the lead opens them: the figures, the total row, no patient
anywhere, the CSV's columns and its neutralised cells, and the refusals."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse

from district import figures
from tests.district import cohort
from tests.district.factories import DistrictFactory, DistrictLeadFactory
from tests.factories import PASSWORD, ClinicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead():
    return cohort.build()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_page_shows_each_clinic_and_the_total_row(client, lead):
    client.force_login(lead)
    response = client.get(reverse("district:page"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kano North" in page
    assert "Alpha Physio" in page and "Beta Clinic" in page and "District total" in page
    assert cohort.ELSEWHERE not in page
    # Beta's adherence and its median Tinetti change, as the page writes them.
    assert "64 %" in page and "(54/84)" in page and "4.5" in page


def test_the_page_names_no_patient_and_links_to_no_clinic_page(client, lead):
    client.force_login(lead)
    page = client.get(reverse("district:page")).content.decode()
    for study_id in _study_ids():
        assert study_id not in page
    for prefix in ("/patients/", "/programmes/", "/assessments/", "/portal/", "/staff/"):
        assert f'href="{prefix}' not in page


def _study_ids():
    from patients.models import Patient

    ids = list(Patient.objects.values_list("study_id", flat=True))
    assert ids  # the cohort has patients: the checks above are not empty
    return ids


def test_the_csv_has_the_documented_columns_a_row_per_clinic_and_the_total(client, lead):
    client.force_login(lead)
    response = client.get(reverse("district:csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="district-kano-north-')
    rows = _csv(response)
    assert rows[0] == figures.CSV_HEADER
    by_clinic = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_clinic) == ["Alpha Physio", "Beta Clinic", "District total"]
    assert by_clinic["Beta Clinic"] == {
        "clinic": "Beta Clinic",
        "patients_enrolled": "3",
        "programmes_active": "1",
        "programmes_completed": "2",
        "sessions_done": "54",
        "sessions_planned": "84",
        "adherence_percent": "64",
        "tinetti_total_change_week12_median": "4.5",
        "tinetti_total_change_week12_n": "2",
        "walk6_m_change_week12_median": "35",
        "walk6_m_change_week12_n": "2",
        "open_flags": "1",
        "visits_overdue": "1",
    }
    total = by_clinic["District total"]
    assert (total["patients_enrolled"], total["adherence_percent"]) == ("7", "68")
    assert (total["tinetti_total_change_week12_median"], total["visits_overdue"]) == ("4", "3")


def test_the_csv_s_document_is_current():
    document = Path(__file__).resolve().parents[2] / "docs" / "district-csv.md"
    assert document.read_text(encoding="utf-8") == figures.dictionary_markdown(), (
        "Regenerate docs/district-csv.md from district.figures.dictionary_markdown()"
    )


def test_a_clinic_name_that_a_spreadsheet_would_run_is_neutralised(client):
    lead = DistrictLeadFactory(district=DistrictFactory(name="=Formula district"))
    ClinicFactory(name='=HYPERLINK("http://x.example","click")', district=lead.district)
    ClinicFactory(name="-1+2 Clinic", district=lead.district)
    client.force_login(lead)
    response = client.get(reverse("district:csv"))
    names = [row[0] for row in _csv(response)[1:]]
    assert names == ["'-1+2 Clinic", '\'=HYPERLINK("http://x.example","click")', "District total"]
    assert 'filename="district-formula-district-' in response["Content-Disposition"]


def test_an_empty_district_says_so_and_its_csv_is_the_total_row_alone(client):
    lead = DistrictLeadFactory(district=DistrictFactory(name="New district"))
    client.force_login(lead)
    page = client.get(reverse("district:page")).content.decode()
    assert "No clinic is assigned to this district yet" in page
    rows = _csv(client.get(reverse("district:csv")))
    assert rows[1:] == [["District total", "0", "0", "0", "0", "0", "", "", "0", "", "0", "0", "0"]]


def test_logging_in_takes_the_lead_to_the_district_page(client, lead):
    response = client.post(
        reverse("login"), {"username": "district-lead", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("district:page")
    assert b"Alpha Physio" in response.content


@pytest.mark.parametrize("name", ["district:page", "district:csv"])
def test_clinic_staff_and_patients_are_refused_the_district_pages(
    client, name, clinic_admin, clinician, patient_user
):
    clinic_admin.clinic.district = DistrictFactory()
    clinic_admin.clinic.save()  # even staff of a clinic in a district
    for user in (clinic_admin, clinician, patient_user):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, user


def test_a_deactivated_lead_is_refused(client, lead):
    lead.is_active = False
    lead.save()
    client.force_login(lead)
    assert client.get(reverse("district:page")).status_code in (302, 403)


@pytest.mark.parametrize(
    "url",
    [
        "/patients/",
        "/patients/new/",
        "/programmes/attention/",
        "/assessments/",
        "/assessments/due/",
        "/assessments/outcomes/",
        "/assessments/outcomes/export/long/",
        "/staff/",
        "/portal/",
    ],
)
def test_every_clinic_page_refuses_the_lead(client, lead, url):
    client.force_login(lead)
    assert client.get(url).status_code == 403, url


def test_the_navigation_bar_names_the_leads_district(client, lead):
    client.force_login(lead)
    page = client.get(reverse("district:page")).content.decode()
    bar = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert lead.district.name in bar and "Patients" not in bar
