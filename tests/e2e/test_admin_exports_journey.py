"""A clinic admin filters the outcomes page, downloads the long CSV, the de-identified workbook
and the data dictionary, and each file opens: the CSVs with Python's csv module, the workbook
with openpyxl."""

import csv

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.assessments import outcome_data
from tests.factories import PASSWORD, ClinicAdminFactory, ClinicFactory

pytestmark = pytest.mark.e2e


def test_a_clinic_admin_filters_the_outcomes_and_downloads_the_files(page, log_in, tmp_path):
    clinic = ClinicFactory(name="Kano Physio", slug="kano")
    admin = ClinicAdminFactory(clinic=clinic, username="lead")
    outcome_data.build(clinic, admin)

    log_in("lead", PASSWORD)
    page.goto("/assessments/outcomes/")
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    page.get_by_label("Programme status").select_option("active")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("programme status: Active")).to_be_visible()
    expect(page.get_by_role("heading", name="Intervention (exercise)")).to_be_visible()
    expect(page.locator("svg.chart")).to_be_visible()

    def download(name):
        with page.expect_download() as info:
            page.get_by_role("link", name=name, exact=True).click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        return target

    long_csv = download("Download Long CSV (one row per visit), identified")
    with long_csv.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 12
    assert rows[0]["study_id"] == "KAN-0001" and rows[0]["assessed_on"] == "2025-01-06"

    workbook_file = download("Download Workbook (XLSX, every sheet), de-identified")
    assert workbook_file.name.startswith("kano-xlsx-deidentified-")
    workbook = openpyxl.load_workbook(workbook_file)
    assert workbook.sheetnames == ["About", "long", "wide", "summary", "sessions", "dictionary"]
    header = [cell.value for cell in workbook["long"][1]]
    assert "study_day" in header and "assessed_on" not in header

    dictionary = download("Download Data dictionary CSV, de-identified")
    with dictionary.open(newline="", encoding="utf-8") as handle:
        fields = {row["field"]: row for row in csv.DictReader(handle)}
    assert fields["tinetti_sitting_balance"]["allowed_values"].startswith("0 = leans")

    page.goto("/assessments/outcomes/exports/")
    expect(page.get_by_role("cell", name="Workbook (XLSX, every sheet)")).to_be_visible()
