from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import ChangeKind, PlanChange, Suggestion, SuggestionStatus
from tests.programmes.helpers import assign, loads, log

pytestmark = pytest.mark.django_db
D = Decimal
CURL = "Hamstring curl"


@pytest.fixture
def programme(patient, clinician):
    """Started 30 days ago: the last three days are all week 5 (hamstring curl 3 x 10 @ 15 kg)."""
    return assign(patient, clinician, days_ago=30)


def test_two_sessions_with_two_reps_over_target_in_the_last_set_make_a_suggestion(
    programme, clinician
):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    assert not Suggestion.objects.exists()  # one session is not enough
    log(programme, clinician, days_ago=0, last_set_reps=12)
    curl = Suggestion.objects.get(programme_exercise__exercise__name=CURL)
    # +5 % of 12.5 kg = 13.125 -> rounds to 12.5, so the next 2.5 kg plate is offered.
    assert (curl.current_load_kg, curl.suggested_load_kg) == (D("12.5"), D(15))
    assert curl.message == (
        "Hamstring curl: 2+ repetitions over target in the last two sessions: suggest +5 % to 15 kg"
    )


def test_one_rep_over_target_makes_no_suggestion(programme, clinician):
    log(programme, clinician, days_ago=2, last_set_reps=11)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    assert not Suggestion.objects.exists()


def test_a_decided_suggestion_waits_for_two_new_sessions(programme, clinician):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=1, last_set_reps=12)
    for suggestion in Suggestion.objects.all():
        services.suggestion_dismiss(suggestion=suggestion, by=clinician)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    assert not Suggestion.objects.filter(status=SuggestionStatus.PENDING).exists()


def test_accepting_raises_the_weeks_from_the_next_session_capped_at_the_ceiling(
    programme, clinician
):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    before = loads(programme, CURL)
    suggestion = Suggestion.objects.get(programme_exercise__exercise__name=CURL)
    services.suggestion_accept(suggestion=suggestion, by=clinician, version=programme.version)
    after = loads(programme, CURL)
    assert after[:4] == before[:4]  # earlier weeks untouched
    assert after[4] == D(15)  # this week (5) from the next session
    assert max(after) == D(15)  # never above the ceiling (65 % of 26.67 kg, 2.5 kg plates)
    # The weeks at the top of the repetition range come down to 2 in reserve at 15 kg (14).
    reps = [row.reps for row in suggestion.programme_exercise.planned_loads.order_by("week")]
    assert reps == [10] * 6 + [12, 14, 14] + [10] * 3
    assert all(a >= b for a, b in zip(after, before, strict=True))
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == (SuggestionStatus.ACCEPTED, clinician)
    change = PlanChange.objects.get(kind=ChangeKind.SUGGESTION)
    assert change.changed_by == clinician and change.from_week == 5


def test_a_suggestion_cannot_be_decided_twice(programme, clinician):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    suggestion = Suggestion.objects.first()
    services.suggestion_dismiss(suggestion=suggestion, by=clinician, note="Knee sore")
    with pytest.raises(ValidationError, match="already dismissed"):
        services.suggestion_accept(suggestion=suggestion, by=clinician, version=programme.version)


def test_the_suggestion_appears_on_the_programme_page_and_home_and_can_be_accepted(
    clinician_client, programme, clinician
):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    text = (
        "Hamstring curl: 2+ repetitions over target in the last two sessions: suggest +5 % to 15 kg"
    )
    assert text in clinician_client.get(programme.get_absolute_url()).content.decode()
    assert text in clinician_client.get(reverse("home")).content.decode()
    suggestion = Suggestion.objects.get(programme_exercise__exercise__name=CURL)
    programme.refresh_from_db()
    response = clinician_client.post(
        reverse("programmes:suggestion_accept", args=[suggestion.public_id]),
        {"version": programme.version},
    )
    assert response.status_code == 302
    assert loads(programme, CURL)[4] == D(15)
    page = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "Accepted a suggestion" in page


def test_dismissing_is_recorded_with_who_and_why_and_leaves_the_plan(
    clinician_client, programme, clinician
):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    suggestion = Suggestion.objects.get(programme_exercise__exercise__name=CURL)
    before = loads(programme, CURL)
    clinician_client.post(
        reverse("programmes:suggestion_dismiss", args=[suggestion.public_id]),
        {"note": "Foot wound healing"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.DISMISSED
    assert (suggestion.decided_by, suggestion.decision_note) == (clinician, "Foot wound healing")
    assert loads(programme, CURL) == before
    page = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "Dismissed a suggestion" in page and "Foot wound healing" in page


def test_accepting_with_a_stale_version_is_refused(clinician_client, programme, clinician):
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    suggestion = Suggestion.objects.get(programme_exercise__exercise__name=CURL)
    before = loads(programme, CURL)
    response = clinician_client.post(
        reverse("programmes:suggestion_accept", args=[suggestion.public_id]),
        {"version": programme.version + 5},
        follow=True,
    )
    assert "changed by someone else meanwhile" in response.content.decode()
    assert loads(programme, CURL) == before
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING
