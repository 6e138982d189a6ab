"""Kept fragments (patients.kept_fragments): a table rendered once is reused by every member of
its clinic, is never shown in another clinic, and is drawn again as soon as what it shows
changes, whether or not the change went through a service."""

import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils.safestring import mark_safe

from patients import kept_fragments
from programmes.models import PlannedLoad
from tests.assessments.factories import make_visit
from tests.factories import ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_kept(settings):
    settings.LEGWORK_KEPT_FRAGMENT_SECONDS = 600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def opened(user, url):
    """The page as `user` sees it, and the templates drawn for it."""
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), [t.name for t in response.templates]


def results(page):
    return page[page.index("<strong>Programmes:</strong>") : page.index('id="downloads-heading"')]


def test_the_plan_table_is_drawn_once_for_every_member_of_the_clinic(clinician, patient):
    programme = assign(patient, clinician, days_ago=10)
    colleague = ClinicianFactory(clinic=clinician.clinic)
    first, drawn = opened(clinician, programme.get_absolute_url())
    second, drawn_again = opened(colleague, programme.get_absolute_url())
    assert "programmes/_plan_table.html" in drawn
    assert "programmes/_plan_table.html" not in drawn_again
    table = first[first.index('id="plan-title"') : first.index('id="prescription-title"')]
    assert table in second


def test_a_load_changed_in_the_plan_shows_at_once_even_without_a_signal(clinician, patient):
    programme = assign(patient, clinician, days_ago=10)
    opened(clinician, programme.get_absolute_url())
    # A bulk update: no signal, no new data version for the clinic. The table is kept by the
    # loads it shows, so it is drawn again all the same.
    PlannedLoad.objects.filter(programme_exercise__programme=programme, week=1).update(
        load_kg=Decimal("123.5")
    )
    page, drawn = opened(clinician, programme.get_absolute_url())
    assert "programmes/_plan_table.html" in drawn
    assert "@ 123.5 kg" in page


def test_a_fragment_is_never_taken_from_another_clinic(clinician, other_clinician):
    shown = {"rows": [], "empty": "No patients here."}
    drawn = []
    original = kept_fragments.render_to_string

    def counted(*args, **kwargs):
        drawn.append(args[0])
        return original(*args, **kwargs)

    kept_fragments.render_to_string = counted
    try:
        kept_fragments.kept_fragment("patients/_table.html", shown, clinic_id=clinician.clinic_id)
        kept_fragments.kept_fragment("patients/_table.html", shown, clinic_id=clinician.clinic_id)
        kept_fragments.kept_fragment(
            "patients/_table.html", shown, clinic_id=other_clinician.clinic_id
        )
    finally:
        kept_fragments.render_to_string = original
    # Drawn once for the first clinic, reused there, and drawn anew for the other.
    assert drawn == ["patients/_table.html", "patients/_table.html"]


def test_a_patient_page_chart_is_never_shown_in_another_clinic(clinician, other_clinician):
    """Two patients with the same visits in two clinics: the charts look alike, yet the second
    clinic's page draws its own."""
    pages = []
    for by in (clinician, other_clinician):
        patient = PatientFactory(clinic=by.clinic, responsible_clinician=by)
        programme = assign(patient, by, days_ago=20)
        make_visit(programme=programme, assessed_on=programme.start_date, by=by)
        pages.append(opened(by, patient.get_absolute_url()))
    (_, first), (_, second) = pages
    assert "assessments/_chart.html" in first
    assert "assessments/_chart.html" in second


def test_a_patient_page_chart_is_reused_within_the_clinic_and_renewed_by_a_visit(
    clinician, patient
):
    programme = assign(patient, clinician, days_ago=50)
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)
    colleague = ClinicianFactory(clinic=clinician.clinic)
    _, drawn = opened(clinician, patient.get_absolute_url())
    _, drawn_again = opened(colleague, patient.get_absolute_url())
    assert "assessments/_chart.html" in drawn
    assert "assessments/_chart.html" not in drawn_again
    make_visit(
        programme=programme,
        timepoint="week6",
        assessed_on=programme.start_date + timedelta(days=35),
        by=clinician,
        balance=14,
        gait=11,
    )
    page, drawn_after = opened(colleague, patient.get_absolute_url())
    assert "assessments/_chart.html" in drawn_after
    assert "Total /28 25 at week 5.0 (day 35)" in page


def test_the_outcomes_table_is_reused_by_a_colleague_and_renewed_by_a_visit(clinician, patient):
    programme = assign(patient, clinician, days_ago=20)
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)
    colleague = ClinicianFactory(clinic=clinician.clinic)
    url = reverse("assessments:outcomes")
    first, drawn = opened(clinician, url)
    second, drawn_again = opened(colleague, url)
    assert "assessments/_outcome_results.html" in drawn
    assert "assessments/_outcome_results.html" not in drawn_again
    assert results(first) == results(second)
    other = PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    make_visit(programme=assign(other, clinician, days_ago=20), by=clinician, balance=16, gait=12)
    page, drawn_after = opened(colleague, url)
    assert "assessments/_outcome_results.html" in drawn_after
    assert results(page) != results(second)


def test_nothing_is_kept_when_fragments_are_off(settings, clinician, patient):
    settings.LEGWORK_KEPT_FRAGMENT_SECONDS = 0
    programme = assign(patient, clinician, days_ago=10)
    for _ in range(2):
        _, drawn = opened(clinician, programme.get_absolute_url())
        assert "programmes/_plan_table.html" in drawn


@pytest.mark.parametrize("seconds", [0, 600])
def test_a_model_instance_is_refused_in_a_fragment(settings, seconds, patient):
    """Its repr does not show its fields: kept by it, a fragment could outlive a change."""
    settings.LEGWORK_KEPT_FRAGMENT_SECONDS = seconds
    with pytest.raises(TypeError):
        kept_fragments.kept_fragment(
            "patients/_table.html", {"rows": [patient], "empty": ""}, clinic_id=patient.clinic_id
        )


def test_a_safe_string_is_refused_in_a_fragment(patient):
    """Its repr is a plain string's: kept by it, an escaped and an unescaped text would share
    a key."""
    with pytest.raises(TypeError):
        kept_fragments.kept_fragment(
            "patients/_table.html",
            {"rows": [], "empty": mark_safe("<b>none</b>")},  # noqa: S308
            clinic_id=patient.clinic_id,
        )


def test_url_maker_gives_the_address_reverse_gives(patient):
    url = kept_fragments.url_maker("patients:detail", "00000000-0000-0000-0000-000000000000")
    assert url.format(patient.public_id) == patient.get_absolute_url()


@pytest.mark.parametrize(
    ("env", "seconds"),
    [
        ({"LEGWORK_KEPT_PAGE_SECONDS": "0"}, "0"),  # no pages kept: no fragments either
        ({"LEGWORK_KEPT_PAGE_SECONDS": "120"}, "120"),
        ({"LEGWORK_KEPT_PAGE_SECONDS": "0", "LEGWORK_KEPT_FRAGMENT_SECONDS": "300"}, "300"),
    ],
)
def test_fragments_are_kept_as_long_as_pages_unless_told_otherwise(env, seconds):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LEGWORK_KEPT_"))
    }
    result = subprocess.run(  # noqa: S603 (our own manage.py)
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.LEGWORK_KEPT_FRAGMENT_SECONDS)",
        ],
        cwd=Path(__file__).resolve().parent.parent,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == seconds


def _nav(client):
    page = client.get(reverse("patients:list")).content.decode()
    return page[page.index("<nav") : page.index("</nav>")]


def test_the_navigation_is_each_users_own_with_their_own_csrf_token(clinician, clinic_admin):
    colleague = ClinicianFactory(clinic=clinician.clinic, username="colleague-two")
    pages = {}
    for user in (clinician, colleague, clinic_admin):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        nav = _nav(client)
        assert f">{user.username}</a>" in nav and clinician.clinic.name in nav
        assert ("Staff</a>" in nav) == user.is_clinic_admin
        token = nav.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        # The token in the kept bar is this session's: logging out with it is accepted.
        assert client.post(reverse("logout"), {"csrfmiddlewaretoken": token}).status_code == 302
        pages[user.username] = nav
    assert pages[clinician.username] != pages[colleague.username]


def test_the_navigation_is_never_taken_from_another_clinic(clinician, other_clinician):
    for user in (clinician, other_clinician):
        client = Client()
        client.force_login(user)
        nav = _nav(client)
        assert user.clinic.name in nav
        other = other_clinician if user == clinician else clinician
        assert other.clinic.name not in nav
