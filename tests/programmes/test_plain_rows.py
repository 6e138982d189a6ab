"""The home page's and the programme page's panels read plain rows (values(), raw()) instead
of model instances, for speed: they must show exactly what the models say, and only the
clinic's own programmes."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from programmes import selectors, services
from programmes.attention import attention_programmes, clinic_flags, most_urgent
from programmes.models import ChangeKind, Suggestion, SuggestionStatus
from tests.factories import PatientFactory
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _started(clinic, clinician, days_ago=20):
    patient = PatientFactory(clinic=clinic, responsible_clinician=clinician)
    return assign(patient, clinician, days_ago=days_ago)


def test_home_lists_pending_suggestions_as_the_models_word_them(
    clinician_client, patient, clinician
):
    programme = assign(patient, clinician, days_ago=30)
    log(programme, clinician, days_ago=2, last_set_reps=12)
    log(programme, clinician, days_ago=0, last_set_reps=12)
    pending = list(Suggestion.objects.filter(status=SuggestionStatus.PENDING))
    assert pending
    page = _get(clinician_client, reverse("home"))
    link = f'href="{programme.get_absolute_url()}#suggestions">{patient.study_id} '
    assert page.count(link + f"{escape(patient.full_name)}</a>") == len(pending)
    for suggestion in pending:
        assert escape(suggestion.message) in page


def test_home_flags_are_those_of_the_attention_rules(clinician_client, clinic, clinician):
    painful = _started(clinic, clinician)
    log(painful, clinician, days_ago=1, pain_before=2, pain_after=8)
    _started(clinic, clinician)  # no session since its start, 20 days ago
    _started(clinic, clinician, days_ago=3)  # too recent to be idle: not flagged
    flags = clinic_flags(clinician, timezone.localdate())
    assert len(flags) == 2
    page = _get(clinician_client, reverse("home"))
    for flag in flags:
        patient = flag["patient"]
        url = flag["programme"].get_absolute_url()
        assert f'href="{url}">{patient.study_id} {escape(patient.full_name)}</a>' in page
        for reason in flag["reasons"]:
            assert f"<li>{escape(reason)}</li>" in page
    assert page.index(painful.patient.study_id) < page.index(flags[1]["patient"].study_id)


def test_the_most_urgent_are_the_clinics_own_whichever_clinic_asks_first(
    clinic, clinician, other_clinic, other_clinician, patient_user
):
    mine = [_started(clinic, clinician), _started(clinic, clinician, days_ago=30)]
    theirs = _started(other_clinic, other_clinician)
    today = timezone.localdate()
    assert [p.pk for p in most_urgent(other_clinician, today, 15)] == [theirs.pk]
    urgent = most_urgent(clinician, today, 15)
    assert [p.pk for p in urgent] == [p.pk for p in attention_programmes(clinician, today)]
    assert {p.pk for p in urgent} == {p.pk for p in mine}
    assert [p._total for p in urgent] == [2, 2]
    assert [p.pk for p in most_urgent(clinician, today, 1)] == [urgent[0].pk]
    # Another day, other flags: 25 days ago one had not started, the other started 5 days before.
    assert most_urgent(clinician, today - timedelta(days=25), 15) == []
    assert most_urgent(patient_user, today, 15) == []  # not clinic staff: nothing


def test_the_plan_history_shows_what_the_model_instances_show(
    clinician_client, programme, clinician, monkeypatch
):
    services.plan_change(
        kind=ChangeKind.SHIFT_KG, programme=programme, week=3, to_week=5, amount=Decimal("2.5"),
        programme_exercise=programme.exercises.first(), reason="Too easy <b>", by=clinician,
        version=programme.version,
    )  # fmt: skip
    url = programme.get_absolute_url()
    plain = _get(clinician_client, url).split('id="history-title"')[1]
    assert "Too easy &lt;b&gt;" in plain and escape(str(clinician)) in plain
    assert plain.count("history-change") == 2  # the assignment and the change

    def instances(programme, exercises):
        related = ("changed_by", "programme_exercise__exercise")
        return list(programme.changes.select_related(*related))

    monkeypatch.setattr(selectors, "_change_rows", instances)
    assert _get(clinician_client, url).split('id="history-title"')[1] == plain
