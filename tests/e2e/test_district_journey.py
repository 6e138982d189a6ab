"""A district lead logs in, lands on the district's page, reads the clinics side by side,
downloads the CSV (which opens with Python's csv module), and is refused a clinic's page."""

import csv

import pytest
from playwright.sync_api import expect

from tests.district import cohort
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def test_a_district_lead_compares_the_clinics_and_downloads_the_csv(page, log_in, tmp_path):
    cohort.build()

    log_in("district-lead", PASSWORD)
    expect(page.get_by_role("heading", name="Kano North")).to_be_visible()
    assert page.url.endswith("/district/")
    table = page.get_by_role("table")
    expect(table.get_by_role("rowheader", name="Alpha Physio")).to_be_visible()
    beta = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Beta Clinic"))
    expect(beta).to_contain_text("64 %")
    expect(beta).to_contain_text("4.5")
    expect(table.get_by_role("rowheader", name="District total")).to_be_visible()
    expect(page.get_by_text(cohort.ELSEWHERE)).to_have_count(0)
    # Nothing on the page leads into a clinic's pages: its only links are the CSV and the
    # navigation bar's own (home, password, log-out).
    hrefs = page.locator("main a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["/district/district.csv"]

    with page.expect_download() as info:
        page.get_by_role("link", name="Download CSV").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name.startswith("district-kano-north-")
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["clinic"] for row in rows] == ["Alpha Physio", "Beta Clinic", "District total"]
    assert rows[2]["patients_enrolled"] == "7" and rows[2]["visits_overdue"] == "3"

    response = page.goto("/patients/")
    assert response.status == 403
    expect(page.get_by_role("heading", name="You cannot open this page")).to_be_visible()
    page.get_by_role("link", name="Go to your home page").click()
    expect(page.get_by_role("heading", name="Kano North")).to_be_visible()
