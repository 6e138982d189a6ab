"""Adherence on the programme's first days: never "0 of 0". Day 0 is the programme's first day
and week 1 is days 0-6 (DOMAIN.md section 4a), on every programmes page as in the exports."""

import datetime

import pytest

from programmes.progression import schedule
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db


def _pages(client, programme):
    return [
        client.get(page).content.decode()
        for page in (programme.get_absolute_url(), programme.patient.get_absolute_url())
    ]


@pytest.mark.parametrize("day", [0, 6])  # the first and the last day of week 1
def test_in_the_first_week_the_sessions_so_far_are_counted_against_the_week(
    clinician_client, patient, clinician, day
):
    programme = assign(patient, clinician, days_ago=day)
    log(programme, clinician, days_ago=0)
    for body in _pages(clinician_client, programme):
        assert "First week: <strong>1 of 3</strong> sessions so far" in body
        assert "0 of 0" not in body


def test_from_day_seven_the_first_week_has_ended_and_counts_to_date(
    clinician_client, patient, clinician
):
    programme = assign(patient, clinician, days_ago=7)
    log(programme, clinician, days_ago=1)  # day 6: week 1
    for body in _pages(clinician_client, programme):
        assert "Sessions done to date: <strong>1 of 3</strong> (33 %)" in body
        assert "this week (week 2): 0 of 3 so far" in body


def test_before_the_start_no_session_is_said_to_be_due(clinician_client, patient, clinician):
    programme = assign(patient, clinician, days_ago=-3)
    for body in _pages(clinician_client, programme):
        assert "Not started yet: no sessions are due" in body
        assert "0 of 0" not in body


@pytest.mark.parametrize(("day", "week"), [(0, 1), (6, 1), (7, 2), (41, 6), (42, 7), (83, 12)])
def test_the_programme_week_of_a_study_day_follows_the_documented_convention(day, week):
    start = datetime.date(2026, 1, 5)
    assert schedule.week_number(start, start + datetime.timedelta(days=day)) == week
