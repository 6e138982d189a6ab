"""Layout in a real browser: a long word never widens the page, the programme's plan fits a
1280 px screen, and the printed outcome report's tables fit an A4 page.

LEGWORK_LAYOUT_SHOTS=<folder> keeps screenshots and the report's PDF there, to look at."""

import os
from pathlib import Path

import pytest
from django.urls import reverse

from programmes import services
from tests.factories import PASSWORD, ClinicFactory, ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.e2e

WIDE = {"width": 1280, "height": 900}
# A4 is 210 mm wide; the print CSS keeps 12 mm margins: 186 mm of content, at 96 px per inch.
A4_CONTENT_PX = round((210 - 2 * 12) / 25.4 * 96)
LONG_WORD = "x" * 1000
SHOTS = os.environ.get("LEGWORK_LAYOUT_SHOTS")


@pytest.fixture
def wide_page(browser, live_server, django_db_serialized_rollback, transactional_db):
    context = browser.new_context(viewport=WIDE, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def programme():
    clinic = ClinicFactory(name="Kano Physio")
    physio = ClinicianFactory(clinic=clinic, username="physio")
    patient = PatientFactory(clinic=clinic)
    programme = assign(patient, physio, days_ago=30)
    curl = programme.exercises.get(exercise__name="Hamstring curl")
    services.plan_deload_week(
        programme=programme, programme_exercise=curl, week=6, percent=80,
        reason=f"Pasted from the referral: {LONG_WORD}", by=physio, version=programme.version,
    )  # fmt: skip
    log(programme, physio, days_ago=2, notes=f"Patient wrote {LONG_WORD}")
    return programme


def _log_in(page):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("physio")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


def _shot(page, name, **kwargs):
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True, **kwargs)


def test_the_programme_page_fits_1280_px_with_a_thousand_character_word(wide_page, programme):
    _log_in(wide_page)
    wide_page.goto(programme.get_absolute_url())
    assert wide_page.get_by_text("Pasted from the referral").is_visible()
    _shot(wide_page, "programme-1280")
    assert _overflow(wide_page) <= 0
    # The plan itself fits too: no sideways scroll inside its box at this width.
    plan_overflow = wide_page.evaluate(
        "(() => { const box = document.querySelector('.plan-table').parentElement;"
        " return box.scrollWidth - box.clientWidth; })()"
    )
    assert plan_overflow <= 0


def test_the_printed_outcome_report_fits_its_tables_on_a4(wide_page, programme):
    _log_in(wide_page)
    wide_page.goto(reverse("assessments:report", args=[programme.patient.public_id]))
    wide_page.set_viewport_size({"width": A4_CONTENT_PX, "height": 1100})
    wide_page.emulate_media(media="print")
    _shot(wide_page, "report-print")
    widths = wide_page.evaluate(
        "Array.from(document.querySelectorAll('table')).map("
        "t => Math.ceil(t.getBoundingClientRect().right))"
    )
    assert widths, "the report has its tables"
    assert max(widths) <= A4_CONTENT_PX
    assert _overflow(wide_page) <= 0
    if SHOTS:
        wide_page.pdf(path=str(Path(SHOTS) / "report.pdf"), format="A4")


def test_no_page_scrolls_sideways_tables_scroll_in_their_box(page, programme):
    """On a phone and a desktop, a wide table scrolls inside its own box; nothing in it (a
    visually hidden "Actions" heading, a long adverse event in a badge) may widen the page."""
    physio = programme.patient.responsible_clinician or programme.clinic.users.get()
    log(programme, physio, days_ago=1, other_adverse_event="y" * 300)
    _log_in(page)
    for url in (reverse("home"), reverse("assessments:due"), programme.get_absolute_url()):
        page.goto(url)
        _shot(page, f"{page.viewport_size['width']}-{url.strip('/').replace('/', '-') or 'home'}")
        assert _overflow(page) <= 0, url
