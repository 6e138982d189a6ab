"""Query budgets: the pages people open often cost the same number of queries with 2 and with
50 patients, sessions and visits, so they stay fast as a clinic grows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.assessments.factories import make_visit
from tests.factories import PatientFactory, PatientUserFactory
from tests.programmes.helpers import assign, log, report_home

pytestmark = pytest.mark.django_db

START_DAYS_AGO = 83  # the focus programme is in its 12th week: every day before today is in it


class Clinic:
    """One clinician's clinic, with a focus patient whose pages are measured, grown on demand."""

    def __init__(self, clinic, clinician):
        self.clinic, self.clinician = clinic, clinician
        self.patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
        self.login = PatientUserFactory(patient=self.patient)
        self.programme = assign(self.patient, clinician, days_ago=START_DAYS_AGO)
        self.start = self.programme.start_date
        self.sessions = self.home_sessions = self.visits = self.others = 0

    def grow_to(self, n):
        """n patients in programmes, n supervised and n home sessions, n visits of the focus."""
        while self.others < n:
            other = PatientFactory(clinic=self.clinic, responsible_clinician=self.clinician)
            programme = assign(other, self.clinician, days_ago=20)
            log(programme, self.clinician, days_ago=1, pain_after=7)
            make_visit(programme=programme, assessed_on=programme.start_date, by=self.clinician)
            self.others += 1
        while self.sessions < n:
            self.sessions += 1
            log(self.programme, self.clinician, days_ago=self.sessions)
        while self.home_sessions < n:
            self.home_sessions += 1
            report_home(self.programme, self.login, days_ago=self.home_sessions)
        while self.visits < n:
            timepoint = {0: "baseline", 1: "week6", 2: "week12"}.get(self.visits, "followup")
            day = self.start + timedelta(days={0: 0, 1: 35, 2: 77}.get(self.visits, self.visits))
            make_visit(
                programme=self.programme,
                timepoint=timepoint,
                assessed_on=day,
                by=self.clinician,
                walk_distance_m=300 + self.visits,
                pain_nrs=3,
            )
            self.visits += 1


@pytest.fixture
def world(clinic, clinician):
    return Clinic(clinic, clinician)


PAGES = {
    "home": lambda w: reverse("home"),
    "patient list": lambda w: reverse("patients:list"),
    "patient page": lambda w: w.patient.get_absolute_url(),
    "programme page": lambda w: reverse("programmes:detail", args=[w.programme.public_id]),
    "session form": lambda w: reverse("programmes:session_record", args=[w.programme.public_id]),
    "Tinetti form": lambda w: reverse("assessments:record", args=[w.programme.public_id]),
    "outcomes page": lambda w: reverse("assessments:outcomes"),
}


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_each_page_costs_the_same_with_2_and_with_50(client, world):
    # One world for every page: growing it to 50 is the slow part.
    world.grow_to(2)
    few = measure_every_page(client, world)
    world.grow_to(50)
    many = measure_every_page(client, world)
    grew = {page: (few[page], many[page]) for page in few if few[page] != many[page]}
    assert not grew, f"queries with 2 and with 50: {grew}"


def measure_every_page(client, world):
    client.force_login(world.clinician)
    counts = {page: queries_for(client, url(world)) for page, url in PAGES.items()}
    client.force_login(world.login)
    counts["patient's week"] = queries_for(client, reverse("portal:this_week"))
    return counts


def test_the_focus_programme_really_has_50_sessions_and_visits(world):
    world.grow_to(50)
    assert world.programme.sessions.filter(source="supervised").count() == 50
    assert world.programme.sessions.filter(source="home").count() == 50
    assert world.programme.visits.count() == 50
    assert world.clinic.programmes.count() == 51
    assert timezone.localdate() - world.start == timedelta(days=START_DAYS_AGO)
