from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.attention import clinic_flags
from programmes.models import ChangeKind, Programme, ProgrammeStatus
from programmes.selectors import (
    current_programme,
    programme_end_date,
    programme_week,
)
from tests.factories import PatientFactory
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_pausing_and_resuming_shifts_the_later_weeks_by_the_pause(programme, clinician):
    today = _today()
    services.programme_pause(
        programme=programme, by=clinician, reason="Hospital stay", on=today - timedelta(days=10)
    )
    programme.refresh_from_db()
    end_before = programme_end_date(programme)
    # Paused on day 18 (week 3): the week stands still while paused.
    assert programme_week(programme, today) == programme_week(programme, today - timedelta(10)) == 3
    services.programme_resume(programme=programme, by=clinician, reason="Home again", on=today)
    programme.refresh_from_db()
    assert (programme.status, programme.paused_days) == (ProgrammeStatus.ACTIVE, 10)
    assert programme_week(programme, today + timedelta(days=3)) == 4  # and moves on again
    assert programme_end_date(programme) == end_before  # the 12 weeks end 10 days later
    assert programme_end_date(programme) == programme.start_date + timedelta(days=84 + 10 - 1)
    kinds = list(programme.changes.values_list("kind", flat=True))
    assert ChangeKind.PAUSED in kinds and ChangeKind.RESUMED in kinds


def test_a_pause_before_a_recorded_session_is_refused(programme, clinician):
    log(programme, clinician, days_ago=1)
    with pytest.raises(ValidationError, match="pause after it"):
        services.programme_pause(
            programme=programme, by=clinician, reason="x", on=_today() - timedelta(days=2)
        )


def test_completing_keeps_everything_and_frees_the_patient_for_a_new_programme(
    programme, patient, clinician
):
    log(programme, clinician, days_ago=1)
    services.programme_complete(programme=programme, by=clinician, reason="12 weeks", on=_today())
    programme.refresh_from_db()
    assert (programme.status, programme.ended_on) == (ProgrammeStatus.COMPLETED, _today())
    assert programme.sessions.count() == 1
    assert current_programme(patient) is None
    with pytest.raises(ValidationError, match="already completed"):
        services.programme_withdraw(programme=programme, by=clinician, reason="x", on=_today())


def test_withdrawing_through_the_browser_needs_a_reason(clinician_client, programme):
    url = reverse("programmes:withdraw", args=[programme.public_id])
    data = {"version": programme.version, "on": str(_today()), "reason": ""}
    response = clinician_client.post(url, data)
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.ACTIVE
    response = clinician_client.post(url, data | {"reason": "Moved away"})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.WITHDRAWN
    assert "Moved away" in clinician_client.get(programme.get_absolute_url()).content.decode()


def test_the_current_programme_is_the_open_one(programme, patient):
    assert current_programme(patient) == programme


# --- Flags on the clinician's home page ------------------------------------------------------


def _reasons(user):
    return {flag["patient"].study_id: flag["reasons"] for flag in clinic_flags(user, _today())}


def test_pain_of_seven_or_more_is_flagged(programme, clinician, patient):
    log(programme, clinician, days_ago=1, pain_before=3, pain_after=7)
    assert any("Pain 7/10" in r for r in _reasons(clinician)[patient.study_id])


def test_pain_rising_two_points_in_a_session_is_flagged(programme, clinician, patient):
    log(programme, clinician, days_ago=1, pain_before=2, pain_after=4)
    assert any("rose from 2 to 4" in r for r in _reasons(clinician)[patient.study_id])


def test_pain_up_two_from_last_week_is_flagged(programme, clinician, patient):
    log(programme, clinician, days_ago=2, pain_before=1, pain_after=1)  # week 4
    log(programme, clinician, days_ago=0, pain_before=3, pain_after=3)  # week 5
    assert any("up from 1 last week to 3" in r for r in _reasons(clinician)[patient.study_id])


def test_an_adverse_event_is_flagged(programme, clinician, patient):
    log(programme, clinician, days_ago=1, fall=True, other_adverse_event="Blister")
    assert any("fall, Blister" in r for r in _reasons(clinician)[patient.study_id])


def test_seven_days_without_a_session_is_flagged(programme, clinician, patient):
    log(programme, clinician, days_ago=8)
    assert any("No session logged for 8 days" in r for r in _reasons(clinician)[patient.study_id])


def test_a_calm_programme_and_a_control_programme_are_not_flagged(programme, clinician, clinic):
    log(programme, clinician, days_ago=1)
    assign(PatientFactory(clinic=clinic), clinician, days_ago=30, arm="control")
    assert _reasons(clinician) == {}


def test_another_clinics_flags_are_not_shown(programme, clinician, other_clinician):
    log(programme, clinician, days_ago=1, pain_after=9)
    assert _reasons(other_clinician) == {}


def test_the_home_page_shows_the_flags(clinician_client, programme, clinician, patient):
    log(programme, clinician, days_ago=1, dizziness=True)
    body = clinician_client.get(reverse("home")).content.decode()
    assert "Needs your attention" in body and "dizziness" in body
    assert programme.get_absolute_url() in body


def test_the_patient_panel_lists_past_programmes(clinician_client, programme, patient, clinician):
    services.programme_complete(programme=programme, by=clinician, reason="Done", on=_today())
    body = clinician_client.get(patient.get_absolute_url()).content.decode()
    assert "Past programmes" in body and "Assign a programme" in body
    assert Programme.objects.get().get_absolute_url() in body


def test_a_session_before_a_pause_keeps_its_week_after_the_resumption(patient, clinician):
    from datetime import timedelta

    from django.utils import timezone

    from programmes import services
    from programmes.selectors import programme_week
    from tests.programmes.helpers import assign, log

    today = timezone.localdate()
    programme = assign(patient, clinician, days_ago=40)
    session = log(programme, clinician, days_ago=30)  # day 10: week 2
    assert session.week == 2
    programme = services.programme_pause(
        programme=programme, by=clinician, reason="Ill", on=today - timedelta(days=25),
        version=programme.version,
    )  # fmt: skip
    programme = services.programme_resume(
        programme=programme, by=clinician, reason="Better", on=today - timedelta(days=5),
        version=programme.version,
    )  # fmt: skip
    programme.refresh_from_db()
    assert programme_week(programme, session.date) == 2
    # Day 15 (pause) to day 35 (resume): today, day 40, is 20 days on, so week 3.
    assert programme_week(programme, today) == 3


# --- The flags query (Programme's summary fields) agrees with the flags themselves ------------


def test_the_stored_summary_flags_exactly_the_programmes_the_rules_flag(clinician, clinic):
    from programmes.attention import attention_programmes, flag_reasons

    cases = {
        "calm": [dict(days_ago=1)],
        "pain": [dict(days_ago=3, pain_after=8)],
        "old pain": [dict(days_ago=10, pain_after=8), dict(days_ago=1)],
        "rise": [dict(days_ago=2, pain_before=1, pain_after=3)],
        "event": [dict(days_ago=5, new_foot_wound=True)],
        "up from last week": [dict(days_ago=8), dict(days_ago=1, pain_before=4, pain_after=4)],
        "idle": [dict(days_ago=9)],
        "never": [],
    }
    today = _today()
    expected = set()
    for name, sessions in cases.items():
        programme = assign(PatientFactory(clinic=clinic), clinician, days_ago=30)
        made = [log(programme, clinician, **s) for s in sessions]
        programme.last_session = max((s.date for s in made), default=None)
        recent = sorted(made, key=lambda s: (s.date, s.pk))
        recent = [s for s in recent if s.date >= today - timedelta(days=14)]
        if flag_reasons(programme, recent, today):
            expected.add(programme.pk)
        programme.refresh_from_db()
        assert programme.last_session_on == programme.last_session, name
    assert set(attention_programmes(clinician, today).values_list("pk", flat=True)) == expected
    assert len(expected) == 6  # all but "calm" and "old pain"


def test_correcting_a_session_updates_the_flags(programme, clinician, patient):
    session = log(programme, clinician, days_ago=1, pain_after=9)
    assert patient.study_id in _reasons(clinician)
    sets = [
        {"programme_exercise": s.programme_exercise, "set_number": s.set_number,
         "reps_done": s.reps_done, "load_kg": s.load_kg}
        for s in session.sets.all()
    ]  # fmt: skip
    services.session_update(
        session=session, by=clinician, date=session.date, sets=sets,
        effort=5, pain_before=2, pain_after=2,
    )  # fmt: skip
    assert patient.study_id not in _reasons(clinician)


def test_the_home_page_shows_the_most_urgent_flags_and_links_to_all(
    clinician_client, clinician, clinic
):
    from programmes.dashboard import HOME_FLAGS_LIMIT

    for _ in range(HOME_FLAGS_LIMIT + 2):
        programme = assign(PatientFactory(clinic=clinic), clinician, days_ago=30)
        log(programme, clinician, days_ago=1, pain_after=8)
    body = clinician_client.get(reverse("home")).content.decode()
    assert body.count("Pain 8/10") == HOME_FLAGS_LIMIT
    assert f"See all {HOME_FLAGS_LIMIT + 2} programmes" in body
    page = clinician_client.get(reverse("programmes:attention")).content.decode()
    assert page.count("Pain 8/10") == HOME_FLAGS_LIMIT + 2
