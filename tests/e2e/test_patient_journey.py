"""A clinician creates a patient's portal access; the patient activates it on a phone-sized
screen with the login name and code on their sheet, sees this week, reports a home session, logs
out and back in with that login name, and the clinician sees the report on the programme page.
The printed weekly sheet fits one A4 page."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ClinicFactory, ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 640}  # a small, cheap phone


@pytest.fixture
def clinic_with_programme(page):
    clinic = ClinicFactory(name="Kano Physio", phone="0803 555 0101")
    clinician = ClinicianFactory(clinic=clinic, username="physio")
    patient = PatientFactory(clinic=clinic, study_id="KAN-0042", given_name="Amina")
    programme = assign(patient, clinician, days_ago=28)
    return clinician, patient, programme


def test_a_patient_activates_sees_this_week_and_reports_a_home_session(
    page, browser, live_server, log_in, clinic_with_programme
):
    clinician, patient, programme = clinic_with_programme
    log_in("physio", PASSWORD)
    page.goto(f"/patients/{patient.public_id}/")
    page.get_by_role("link", name="Portal access").click()
    page.get_by_role("button", name="Create access").click()
    code = page.locator("strong.font-monospace.fs-3").inner_text()
    sheet_line = page.locator(".access-sheet li", has_text="Your login name")
    login_name = sheet_line.locator("strong").inner_text()
    assert login_name == f"KAN-0042@{patient.clinic.slug}"
    page.get_by_role("button", name="Log out").click()

    phone = browser.new_context(viewport=PHONE, base_url=live_server.url).new_page()
    phone.goto("/activate/")
    phone.get_by_label("Your login name").fill(login_name)
    phone.get_by_label("Your code").fill(code)
    phone.get_by_label("Choose a password").fill("calf-raises-daily")
    phone.get_by_label("The same password again").fill("calf-raises-daily")
    phone.get_by_role("button", name="Save my password").click()

    expect(phone.get_by_role("heading", name="Week 5 of 12")).to_be_visible()
    expect(phone.get_by_text("Standing hip extension")).to_be_visible()
    expect(phone.get_by_text("call the clinic: 0803 555 0101")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], "the page scrolls sideways on a small phone"

    phone.get_by_role("link", name="I exercised at home: report it").click()
    for index, exercise in enumerate(programme.exercises.select_related("exercise")):
        group = phone.get_by_role("group", name=exercise.exercise.name)
        group.get_by_text("Partly" if index == 1 else "Done", exact=True).click()
    phone.get_by_role("group", name="How hard was it?").get_by_text("6", exact=True).click()
    pain = phone.get_by_role("group", name="How much pain do you have now?")
    pain.get_by_text("3", exact=True).click()
    phone.get_by_role("group", name="Did you fall?").get_by_text("No", exact=True).click()
    phone.get_by_role("button", name="Send my report").click()
    expect(phone.get_by_text("Thank you. Your session is saved.")).to_be_visible()
    expect(phone.get_by_text("1 of 3 done")).to_be_visible()

    phone.get_by_role("button", name="Log out").click()
    phone.goto("/accounts/login/")
    phone.get_by_label("Username").fill(login_name.lower())  # as typed on a phone
    phone.get_by_label("Password").fill("calf-raises-daily")
    phone.get_by_role("button", name="Log in").click()
    expect(phone.get_by_role("heading", name="Week 5 of 12")).to_be_visible()
    phone.context.close()

    log_in("physio", PASSWORD)
    page.goto(programme.get_absolute_url())
    sessions = page.locator("section", has_text="Sessions").last
    expect(sessions).to_contain_text("Home")
    expect(sessions).to_contain_text(re.compile(r"Hamstring curl:\s*partly"))
    expect(page.get_by_text("1 of them reported from home")).to_be_visible()


def test_the_printed_weekly_sheet_is_one_a4_page(page, log_in, clinic_with_programme):
    clinician, patient, programme = clinic_with_programme
    log_in("physio", PASSWORD)
    page.goto(f"/programmes/{programme.public_id}/print/week/5/")
    expect(page.get_by_role("heading", name="Your exercises: week 5 of 12")).to_be_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
    assert pages == 1, f"the weekly sheet printed on {pages} pages"
