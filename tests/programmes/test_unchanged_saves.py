"""Saving an edit form as it was shown stores nothing, writes no history row and says so."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from programmes.models import Exercise, ExerciseSession, LoggedSet, ProgrammeTemplate
from tests.factories import ExerciseFactory, TemplateExerciseFactory
from tests.forms_in_pages import the_form
from tests.programmes.helpers import log

pytestmark = pytest.mark.django_db


def _post_unchanged(client, url):
    """Post the page's form exactly as a browser would without anything typed."""
    page = client.get(url)
    assert page.status_code == 200
    data = the_form(page.content.decode(), "http://testserver" + url).data()
    return client.post(url, data)


def _said(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _history_rows():
    models = (Exercise, ProgrammeTemplate, ExerciseSession, LoggedSet)
    return {model.__name__: model.history.count() for model in models}


def test_saving_a_session_unchanged_stores_nothing(clinician_client, programme, clinician):
    session = log(
        programme, clinician, reps=8, notes="Slow on the stairs.\nKnee sore."
    )  # posted back as CR LF
    before = _history_rows()
    url = reverse("programmes:session_edit", args=[session.public_id])
    response = _post_unchanged(clinician_client, url)
    assert response.status_code == 302
    assert _said(response) == ["Nothing was changed."]
    assert _history_rows() == before


def test_saving_a_session_with_a_change_still_saves_it(clinician_client, programme, clinician):
    session = log(programme, clinician, reps=8)
    url = reverse("programmes:session_edit", args=[session.public_id])
    data = the_form(clinician_client.get(url).content.decode(), "http://testserver" + url).data()
    response = clinician_client.post(url, data | {"pain_after": ["6"]})
    assert _said(response) == ["Session corrected."]
    session.refresh_from_db()
    assert session.pain_after == 6


def test_saving_an_exercise_unchanged_stores_nothing(admin_client_, clinic):
    exercise = ExerciseFactory(clinic=clinic)
    before = _history_rows()
    response = _post_unchanged(
        admin_client_, reverse("programmes:exercise_edit", args=[exercise.public_id])
    )
    assert response.status_code == 302
    assert _said(response) == ["Nothing was changed."]
    assert _history_rows() == before


def test_saving_a_template_unchanged_stores_nothing(admin_client_, clinic):
    row = TemplateExerciseFactory(
        template__clinic=clinic, template__description="For the gym.\nTwice a week.", order=1
    )
    before = _history_rows()
    url = reverse("programmes:template_edit", args=[row.template.public_id])
    response = _post_unchanged(admin_client_, url)
    assert response.status_code == 302
    assert _said(response) == ["Nothing was changed."]
    assert _history_rows() == before
    assert row.template.exercises.count() == 1
