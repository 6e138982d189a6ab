"""A week-6 re-test in a real browser: from the week-6 visit, the clinician records a new
strength test, sees the new estimated 1RM beside the old and the weeks it re-plans, confirms,
and finds the weeks after week 6 re-planned and the change in the plan's history."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from programmes.models import PlannedLoad
from tests.assessments.factories import make_visit
from tests.factories import PASSWORD, ClinicFactory, ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.e2e
KNEE = "Knee extension on a quadriceps bench"


def _plan(programme):
    rows = PlannedLoad.objects.filter(
        programme_exercise__programme=programme, programme_exercise__exercise__name=KNEE
    ).order_by("week")
    return [(row.load_kg, row.reps) for row in rows]


def test_a_week6_retest_replans_the_weeks_after_it(page, log_in):
    clinic = ClinicFactory(name="Kano Physio")
    physio = ClinicianFactory(clinic=clinic, username="physio")
    patient = PatientFactory(clinic=clinic, study_id="KAN-0200", responsible_clinician=physio)
    programme = assign(patient, physio, days_ago=41)  # today: day 42, the end of week 6
    log(programme, physio, days_ago=2)
    visit = make_visit(
        programme=programme, timepoint="week6", assessed_on=timezone.localdate(), by=physio
    )
    before = _plan(programme)

    log_in("physio", PASSWORD)
    page.goto(f"/assessments/visit/{visit.public_id}/")
    page.get_by_role("link", name="Re-test strength").click()
    page.get_by_label("Exercise").select_option(label=KNEE)
    page.get_by_label("Test load (kg)").fill("30")
    page.get_by_label("Repetitions to fatigue").fill("8")
    page.get_by_role("button", name="Show the new plan").click()

    new_plan = page.locator("#replan")
    expect(new_plan).to_contain_text("26.67 kg")  # the baseline's 1RM (20 kg x 10) ...
    expect(new_plan).to_contain_text("37.24 kg")  # ... beside the re-test's (30 kg x 8)
    expect(new_plan).to_contain_text("Weeks 1 to 6 keep their targets")
    assert _plan(programme) == before  # nothing saved before the confirmation

    page.get_by_role("button", name=re.compile("Save the test and re-plan weeks 7 to 12")).click()
    expect(page.locator("body")).to_contain_text("Re-tested strength, re-planned")
    after = _plan(programme)
    assert after[:6] == before[:6] and after[6:] != before[6:]
    history = page.locator(".history-change", has_text="Re-tested strength")
    expect(history).to_contain_text("Re-test 30 kg × 8: estimated 1RM 37.24 kg")
