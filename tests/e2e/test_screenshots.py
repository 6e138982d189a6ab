"""`make screenshots`: pictures of the main pages, from the demo clinic, for the README.

Not a test of behaviour (it is left out of `make test` and `make e2e`); it refreshes
docs/screenshots/ through the same browser set-up as the journeys.
"""

from pathlib import Path

import pytest
from django.core.management import call_command

from patients.demo import DEMO_PASSWORD
from patients.models import Patient, User
from patients.services import portal_access_find, portal_access_issue, portal_activate
from programmes.models import Programme

pytestmark = pytest.mark.screenshots

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PATIENT_PASSWORD = "calf-raises-daily"


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # load_demo refuses otherwise
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    patient = Patient.objects.get(study_id="DEMO-0002")
    _, token, _ = portal_access_issue(patient=patient, by=User.objects.get(username="clinician"))
    portal_activate(access=portal_access_find(token=token), password=PATIENT_PASSWORD)
    return patient


def shoot(page, name, path):
    page.goto(path)
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)


def test_refresh_the_screenshots(page, log_in, demo, request):
    if "desktop" in request.node.name:
        programme = Programme.objects.get(patient=demo)
        visit = demo.visits.order_by("assessed_on").last()
        log_in("clinician", DEMO_PASSWORD)
        shoot(page, "clinician-home", "/")
        shoot(page, "patient-page", demo.get_absolute_url())
        shoot(page, "programme-page", f"/programmes/{programme.public_id}/")
        shoot(page, "tinetti-form", f"/assessments/programme/{programme.public_id}/new/")
        shoot(page, "visit", f"/assessments/visit/{visit.public_id}/")
        shoot(page, "outcomes", "/assessments/outcomes/")
    else:
        log_in(demo.user.username, PATIENT_PASSWORD)  # "DEMO-0002@demo"
        shoot(page, "patient-week-phone", "/portal/")
        shoot(page, "home-session-phone", "/portal/sessions/new/")
