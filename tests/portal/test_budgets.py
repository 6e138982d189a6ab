"""The patient's pages stay light for a slow connection: under 60 KB of HTML and our own CSS,
and no more than 5 database queries of their own, however much data the patient has."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.assessments.factories import make_visit
from tests.programmes.helpers import log, report_home

pytestmark = pytest.mark.django_db

PAGE_BUDGET_BYTES = 60 * 1024
QUERY_BUDGET = 5
OWN_CSS = {"portal.css", "portal-print.css"}  # Bootstrap's CSS is cached and not counted

PAGES = [
    ("portal:this_week", {}),
    ("portal:week", {"week": 3}),
    ("portal:session_report", {}),
    ("portal:print_week", {"week": 5}),
    ("portal:print_handout", {}),
]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _request_overhead(client) -> int:
    """What any logged-in page costs before its own work: session, user, clinic, session save."""
    return _queries(client, reverse("password_change_done"))


def _fill(programme, clinician, patient_user):
    for days_ago in (27, 25, 23, 20, 18, 16, 13, 11, 9, 6, 4, 2):
        log(programme, clinician, days_ago=days_ago)
    for days_ago in (26, 19, 12, 5, 1, 0):
        report_home(programme, patient_user, days_ago=days_ago)
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_portal_page_costs_at_most_5_queries_of_its_own_with_little_or_much_data(
    patient_client, programme, clinician, patient_user, name, kwargs
):
    url = reverse(name, kwargs=kwargs)
    overhead = _request_overhead(patient_client)
    little = _queries(patient_client, url) - overhead
    _fill(programme, clinician, patient_user)
    much = _queries(patient_client, url) - overhead
    assert little <= QUERY_BUDGET and much <= QUERY_BUDGET, (little, much)
    assert much == little


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_each_portal_page_weighs_under_60_kb_with_its_own_css(
    patient_client, programme, clinician, patient_user, name, kwargs
):
    _fill(programme, clinician, patient_user)
    html = patient_client.get(reverse(name, kwargs=kwargs)).content.decode()
    css = [href.rsplit("/", 1)[-1] for href in _stylesheets(html)]
    assert "bootstrap.min.css" in css or name.startswith("portal:print")
    own = [Path(settings.BASE_DIR, "static", "css", name) for name in css if name in OWN_CSS]
    assert own, css
    weight = len(html.encode()) + sum(path.stat().st_size for path in own)
    assert weight < PAGE_BUDGET_BYTES, weight


def _stylesheets(html):
    return [part.split('"', 1)[0] for part in html.split('rel="stylesheet" href="')[1:]]


def test_no_portal_page_loads_a_script(patient_client, programme):
    for name, kwargs in PAGES:
        html = patient_client.get(reverse(name, kwargs=kwargs)).content.decode()
        assert "<script" not in html and "style=" not in html, name
