"""A clinician logs in, registers a patient, edits them and sees the change in the history;
another clinic's clinician cannot reach that patient."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ClinicFactory, ClinicianFactory

pytestmark = pytest.mark.e2e


def test_a_clinician_registers_and_edits_a_patient_and_sees_the_history(page, log_in):
    clinic = ClinicFactory(name="Kano Physio")
    ClinicianFactory(clinic=clinic, username="physio", first_name="Chidi", last_name="Okoro")
    stranger = ClinicianFactory(clinic=ClinicFactory(), username="stranger")

    log_in("physio", PASSWORD)
    expect(page.get_by_role("heading", name="Kano Physio")).to_be_visible()
    page.get_by_role("link", name="Register a patient").first.click()
    page.get_by_label("Study ID").fill("KAN-0042")
    page.get_by_label("Given name").fill("Amina")
    page.get_by_label("Family name").fill("Bello")
    page.get_by_label("Date of birth").fill("1980-03-14")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Neuropathy aetiology").select_option("hiv_dsp")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Registered KAN-0042.")).to_be_visible()
    patient_url = page.url

    page.get_by_role("link", name="Edit").click()
    page.get_by_label("Family name").fill("Okafor")
    page.get_by_role("button", name="Save changes").click()
    history = page.locator("section", has_text="History of this record")
    expect(history).to_contain_text(re.compile(r"Family name:\s*Bello\s*→\s*Okafor"))
    expect(history).to_contain_text("Chidi Okoro")

    page.get_by_role("button", name="Log out").click()
    log_in(stranger.username, PASSWORD)
    response = page.goto(patient_url)
    assert response.status == 404
    expect(page.get_by_text("Amina")).to_have_count(0)
