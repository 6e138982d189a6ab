"""Kept pages (patients.kept_pages): a page is served as rendered until the clinic's records
change, and never after a change, to anyone else, or with another browser's form token."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import DatabaseError, connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from patients import kept_pages
from patients.models import Clinic
from tests.factories import ClinicianFactory, PatientFactory
from tests.programmes.helpers import assign

pytestmark = [pytest.mark.django_db, pytest.mark.kept_pages]

SIGNED_IN_QUERIES = 2  # the session and the user with their clinic


def opened(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def without_tokens(html):
    return kept_pages.CSRF_VALUE.sub(r"\g<1>\g<2>", html)


def test_the_second_opening_is_served_kept_with_only_the_sign_in_queries(
    clinician_client, patient, clinician
):
    programme = assign(patient, clinician, days_ago=10)
    for url in (reverse("home"), patient.get_absolute_url(), programme.get_absolute_url()):
        first, rendering = opened(clinician_client, url)
        second, kept = opened(clinician_client, url)
        assert kept == SIGNED_IN_QUERIES < rendering
        assert without_tokens(second) == without_tokens(first)


def test_a_change_made_through_a_form_shows_on_the_next_opening(clinician_client, patient):
    url = patient.get_absolute_url()
    assert "Withdrawn" not in opened(clinician_client, url)[0]
    clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": "Moved to another city", "withdrawn_on": timezone.localdate().isoformat()},
        follow=True,  # the page with the "withdrawn" message is shown once, never kept
    )
    page, queries = opened(clinician_client, url)
    assert "Moved to another city" in page
    assert queries > SIGNED_IN_QUERIES  # rendered again


def test_a_refused_form_changes_nothing_but_is_still_treated_as_a_write(clinician_client, patient):
    version = Clinic.objects.get(pk=patient.clinic_id).data_version
    clinician_client.post(
        reverse("patients:withdraw", args=[patient.public_id]),
        {"reason": " ", "withdrawn_on": timezone.localdate().isoformat()},
    )
    assert Clinic.objects.get(pk=patient.clinic_id).data_version != version


def patient_page_kept(client):
    """Outside a test transaction (real commits): a clinician who has opened their patient."""
    clinician = ClinicianFactory()
    patient = PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    client.force_login(clinician)
    opened(client, patient.get_absolute_url())
    return clinician, patient


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_service_write_renews_its_clinic_once_when_it_commits(client, monkeypatch):
    clinician, patient = patient_page_kept(client)
    renewed = []
    monkeypatch.setattr(kept_pages, "clinic_records_changed", renewed.append)
    with transaction.atomic():
        programme = assign(patient, clinician, days_ago=3)
        assert renewed == []  # not before the commit: a rollback would leave the page right
    # One renewal for the clinic however many rows the programme took; its plan's rows are
    # traced to it through their programme, so no other clinic's pages are touched.
    assert renewed == [clinician.clinic_id]
    monkeypatch.undo()
    kept_pages.clinic_records_changed(clinician.clinic_id)
    page, queries = opened(client, patient.get_absolute_url())
    assert programme.get_absolute_url() in page
    assert queries > SIGNED_IN_QUERIES


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_with_real_commits_a_new_programme_shows_at_once(client):
    clinician, patient = patient_page_kept(client)
    programme = assign(patient, clinician, days_ago=3)
    assert programme.get_absolute_url() in opened(client, patient.get_absolute_url())[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_write_renews_nothing():
    clinician = ClinicianFactory()
    version = Clinic.objects.get(pk=clinician.clinic_id).data_version
    with pytest.raises(RuntimeError), transaction.atomic():
        PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
        raise RuntimeError("refused")
    assert Clinic.objects.get(pk=clinician.clinic_id).data_version == version


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_patient_moved_to_another_clinic_leaves_the_old_clinics_pages(client):
    clinician, patient = patient_page_kept(client)
    elsewhere = ClinicianFactory()
    patient.clinic, patient.responsible_clinician = elsewhere.clinic, elsewhere
    patient.save()  # the operator's admin or the shell
    assert client.get(patient.get_absolute_url()).status_code == 404
    assert patient.study_id not in opened(client, reverse("home"))[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_failed_renewal_drops_the_kept_pages_instead_of_failing_the_write(client, monkeypatch):
    clinician, patient = patient_page_kept(client)

    def failing_update(self, **fields):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(QuerySet, "update", failing_update)
    kept_pages.clinic_records_changed(clinician.clinic_id)  # logs, does not raise
    monkeypatch.undo()
    assert opened(client, patient.get_absolute_url())[1] > SIGNED_IN_QUERIES


def test_an_anonymous_post_renews_nothing(client, clinic):
    version = clinic.data_version
    client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    client.post("/no-such-page/")
    clinic.refresh_from_db()
    assert clinic.data_version == version


def test_editing_the_clinic_does_not_write_back_the_version_it_was_read_with(clinic):
    stale_copy = Clinic.objects.get(pk=clinic.pk)
    kept_pages.clinic_records_changed(clinic.pk)
    renewed = Clinic.objects.get(pk=clinic.pk).data_version
    stale_copy.phone = "+234 800 000 0000"
    stale_copy.save()
    current = Clinic.objects.get(pk=clinic.pk)
    assert (current.phone, current.data_version) == ("+234 800 000 0000", renewed)


def test_each_browser_gets_its_own_form_token_on_a_kept_page(clinician, patient):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    for browser in (first, second):
        browser.force_login(clinician)
    url = patient.get_absolute_url()
    opened(first, url)
    page, queries = opened(second, url)
    assert queries == SIGNED_IN_QUERIES  # the first browser's rendering, kept
    assert kept_pages.CSRF_SLOT not in page
    token = kept_pages.CSRF_VALUE.search(page).group(0).split('value="')[1].rstrip('"')
    # The token in the kept page works for the second browser (logging out is a form).
    response = second.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_another_clinician_sees_their_own_home_not_a_kept_one(clinician_client, clinic, patient):
    opened(clinician_client, reverse("home"))
    colleague = ClinicianFactory(clinic=clinic, username="colleague")
    other = Client()
    other.force_login(colleague)
    page, queries = opened(other, reverse("home"))
    assert queries > SIGNED_IN_QUERIES
    assert colleague.username in page
    assert patient.study_id not in page  # the patient is the first clinician's


def test_a_kept_page_is_still_refused_to_another_clinic(clinician_client, patient, other_clinician):
    opened(clinician_client, patient.get_absolute_url())
    other = Client()
    other.force_login(other_clinician)
    assert other.get(patient.get_absolute_url()).status_code == 404


def test_a_page_with_a_message_is_shown_once_and_not_kept(client, patient_user, patient):
    programme = assign(patient, patient.responsible_clinician, days_ago=3)
    client.force_login(patient_user)
    # Week 40 does not exist: the patient is sent to their last week with a message.
    response = client.get(reverse("portal:week", kwargs={"week": 40}), follow=True)
    week = reverse("portal:week", kwargs={"week": programme.weeks})
    assert response.redirect_chain[-1][0] == week
    assert "Your programme has weeks 1 to" in response.content.decode()
    again = client.get(week)
    assert "Your programme has weeks 1 to" not in again.content.decode()
    assert not list(get_messages(again.wsgi_request))


def test_a_new_day_renders_the_page_again(clinician_client, patient, monkeypatch):
    url = patient.get_absolute_url()
    opened(clinician_client, url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(kept_pages.timezone, "localdate", lambda: tomorrow)
    assert opened(clinician_client, url)[1] > SIGNED_IN_QUERIES


def test_nothing_is_kept_when_turned_off(clinician_client, patient, settings):
    settings.LEGWORK_KEPT_PAGE_SECONDS = 0
    url = patient.get_absolute_url()
    opened(clinician_client, url)
    assert opened(clinician_client, url)[1] > SIGNED_IN_QUERIES


def test_a_change_in_one_clinic_leaves_another_clinics_pages_kept(clinic, other_clinic):
    versions = {c.pk: c.data_version for c in (clinic, other_clinic)}
    kept_pages.clinic_records_changed(clinic.pk)
    now = dict(Clinic.objects.values_list("pk", "data_version"))
    assert now[clinic.pk] != versions[clinic.pk]
    assert now[other_clinic.pk] == versions[other_clinic.pk]
    kept_pages.clinic_records_changed()  # the operator, after editing the database by hand
    assert not set(Clinic.objects.values_list("data_version", flat=True)) & set(now.values())
