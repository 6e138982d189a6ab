"""The clinician's journey, in a real browser: register a patient, assign the 12-week template
with baseline strength tests, schedule a load increase from week 5, record a supervised session,
accept the suggestion it triggers, and score a baseline Tinetti test to see the band."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments import tinetti
from patients.models import Patient
from programmes.models import Programme
from tests.factories import PASSWORD, ClinicFactory, ClinicianFactory
from tests.programmes.helpers import log

pytestmark = pytest.mark.e2e


def test_a_clinician_runs_a_patients_programme_from_registration_to_the_first_tinetti(page, log_in):
    clinic = ClinicFactory(name="Kano Physio")
    physio = ClinicianFactory(clinic=clinic, username="physio", first_name="Chidi")
    today = timezone.localdate()

    log_in("physio", PASSWORD)
    page.get_by_role("link", name="Register a patient").first.click()
    page.get_by_label("Study ID").fill("KAN-0100")
    page.get_by_label("Given name").fill("Halima")
    page.get_by_label("Family name").fill("Sani")
    page.get_by_label("Date of birth").fill("1970-08-02")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Neuropathy aetiology").select_option("hiv_dsp")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Registered KAN-0100.")).to_be_visible()

    # Assign the shipped 12-week template, started two weeks ago, with baseline tests.
    page.get_by_role("link", name=re.compile("Assign a programme")).first.click()
    page.get_by_role("button", name=re.compile("Next|Continue")).click()
    page.get_by_label("Start date").fill((today - timedelta(days=14)).isoformat())
    for fieldset in page.locator("fieldset.baseline").all():
        fieldset.get_by_label("Test load (kg)").fill("20")
        fieldset.get_by_label("Repetitions to fatigue").fill("10")
    page.get_by_role("button", name="Assign and build the plan").click()
    expect(page.get_by_role("heading", name="Lower-limb PRE, 12 weeks")).to_be_visible()
    expect(page.locator("table").first).to_contain_text("3 × 10")

    # Schedule a load increase of one plate (2.5 kg) in week 5 (within the 65 % ceiling).
    page.get_by_role("link", name="Change the plan").click()
    page.get_by_label("Exercise").select_option(label="Hamstring curl")
    page.get_by_label("Add or remove kg from this week on").check()
    page.locator("#id_week").fill("5")
    page.locator("#id_to_week").fill("5")
    page.get_by_label("Amount").fill("2.5")
    page.get_by_label("Reason").fill("Tolerating the load well")
    page.get_by_role("button", name=re.compile("Save|Apply")).click()
    expect(page.locator("body")).to_contain_text("Tolerating the load well")

    # Last session: 2 repetitions over target in the last set. Recorded through the service so
    # that the one recorded in the browser below is the second in a row.
    programme = Programme.objects.get(patient__study_id="KAN-0100")
    log(programme, physio, days_ago=2, last_set_reps=12, only=["Hamstring curl"])

    page.get_by_role("link", name="Record a session").first.click()
    page.get_by_label("Effort").fill("6")
    page.get_by_label("Pain before").fill("2")
    page.get_by_label("Pain after").fill("2")
    hamstring = page.locator("fieldset", has_text="Hamstring curl").first
    reps = hamstring.get_by_label(re.compile("repetitions"))
    for index in range(reps.count()):
        reps.nth(index).fill("12" if index == reps.count() - 1 else "10")
    page.get_by_role("button", name=re.compile("Save|Record")).click()
    suggestion = page.locator(".alert", has_text="Hamstring curl: 2+ repetitions over target")
    expect(suggestion).to_be_visible()
    suggestion.get_by_role("button", name="Accept").click()
    expect(page.locator("body")).to_contain_text(re.compile("accepted", re.I))

    # Score a baseline Tinetti test: every line at its best gives 28, low fall risk.
    page.goto(Patient.objects.get(study_id="KAN-0100").get_absolute_url())
    page.get_by_role("link", name="Record a visit").click()
    page.get_by_label("Timepoint").select_option("baseline")
    page.get_by_label("Date").first.fill((today - timedelta(days=14)).isoformat())
    for code in tinetti.CODES:
        page.locator(f"input[name={code}]").last.check()
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator("body")).to_contain_text("28")
    expect(page.locator("body")).to_contain_text(re.compile("Low fall risk", re.I))
