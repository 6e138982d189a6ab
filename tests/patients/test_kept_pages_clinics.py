"""Kept pages are renewed per clinic: every model of the watched apps states the path to its
clinic (`clinic_path`), and a write renews exactly that clinic, without a query before it."""

import io

import pytest
from django.apps import apps
from django.db import connection
from django.db.models import ForeignKey
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients import kept_pages
from patients.models import Clinic, Patient, User
from programmes.models import PlannedLoad
from tests.factories import (
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    PatientUserFactory,
    TemplateExerciseFactory,
)
from tests.programmes.helpers import assign, log, report_home


def watched_models():
    return [
        model
        for label in sorted(kept_pages.WATCHED_APPS)
        for model in apps.get_app_config(label).get_models()
        if kept_pages._watched(model)
    ]


def test_every_model_of_the_watched_apps_states_the_path_to_its_clinic():
    missing = [m.__name__ for m in watched_models() if not hasattr(m, "clinic_path")]
    assert missing == [], f"add clinic_path to {missing} (patients/kept_pages.py)"


@pytest.mark.parametrize("model", watched_models(), ids=lambda m: m.__name__)
def test_each_path_follows_foreign_keys_to_the_clinic(model):
    if model.clinic_path is None:  # stated: no clinic's page shows it
        return
    *hops, last = model.clinic_path.split("__")
    if model is Clinic:
        assert (hops, last) == ([], "id")
        return
    assert model._meta.get_field(last if not hops else hops[0]).is_relation
    if not hops:
        assert model._meta.get_field(last).related_model is Clinic
        return
    # Paths compose: the rest is the next model's own path, so when a delete takes a whole
    # branch, the row at the top of it renews the clinic the rows below it would have.
    field = model._meta.get_field(hops[0])
    assert isinstance(field, ForeignKey)
    assert "__".join([*hops[1:], last]) == field.related_model.clinic_path


def scenario():
    """Rows of (nearly) every watched model in a new clinic, through the services."""
    clinician = ClinicianFactory()
    patient = PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    PatientUserFactory(patient=patient)
    TemplateExerciseFactory(template__clinic=clinician.clinic)
    programme = assign(patient, clinician, days_ago=10)
    log(programme, clinician, days_ago=3)
    report_home(programme, clinician, days_ago=2)
    return clinician.clinic


def watermarks():
    return {m: m._base_manager.order_by("-pk").values_list("pk", flat=True).first() or 0
            for m in watched_models()}  # fmt: skip


def reached(instance):
    """The clinic the renewal would reach for this instance."""
    place = kept_pages.clinic_of(instance)
    if place[0] == "clinic":
        return place[1]
    _, label, pk, rest = place
    return apps.get_model(label)._base_manager.filter(pk=pk).values_list(rest, flat=True).get()


def test_each_path_reaches_the_clinic_of_a_saved_record_read_back_from_the_database(db):
    shipped = watermarks()  # the rows data migrations loaded: every clinic's, none's own
    first = scenario()
    between = watermarks()
    second = scenario()
    seen = set()
    for model in watched_models():
        for row in model._base_manager.all():  # read back: no related row held
            if model is Clinic:
                expected = row.pk
            elif row.pk <= shipped[model]:
                expected = None
            else:
                expected = first.pk if row.pk <= between[model] else second.pk
            assert reached(row) == expected, (model.__name__, row.pk)
            seen.add(model)
    # The services' rows exist in both clinics; the rest are covered by the path checks above.
    assert {"Patient", "Programme", "PlannedLoad", "LoggedSet", "ReportedExercise"} <= {
        m.__name__ for m in seen
    }


def test_a_record_holding_its_related_rows_is_traced_without_a_query(db):
    clinician = ClinicianFactory()
    patient = PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    programme = assign(patient, clinician)
    load = PlannedLoad.objects.select_related("programme_exercise__programme").first()
    with CaptureQueriesContext(connection) as queries:
        assert kept_pages.clinic_of(load) == ("clinic", programme.clinic_id)
    assert len(queries) == 0


def test_a_record_read_alone_is_renewed_by_one_update_after_commit(
    db, django_capture_on_commit_callbacks
):
    clinician = ClinicianFactory()
    other = ClinicFactory()
    patient = PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    assign(patient, clinician)
    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    load = PlannedLoad.objects.first()  # its programme is not held: no clinic id at hand
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        load.save()
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]  # the save: nothing before it
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    assert [q["sql"].split()[0] for q in queries] == ["UPDATE"]  # the renewal, one statement
    now = dict(Clinic.objects.values_list("pk", "data_version"))
    assert now[clinician.clinic_id] != versions[clinician.clinic_id]
    assert now[other.pk] == versions[other.pk]


def test_a_write_renews_once_per_clinic_however_many_rows(db, django_capture_on_commit_callbacks):
    clinician = ClinicianFactory()
    patients = PatientFactory.create_batch(3, clinic=clinician.clinic)
    renewed = []
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for patient in patients:
            patient.save()
    original = kept_pages.clinic_records_changed
    kept_pages.clinic_records_changed = renewed.append
    try:
        for callback in callbacks:
            callback()
    finally:
        kept_pages.clinic_records_changed = original
    assert renewed == [clinician.clinic_id]


def test_the_operators_admin_edit_renews_that_clinic_only(
    client, clinic, other_clinic, django_capture_on_commit_callbacks
):
    operator = User.objects.create_superuser("operator", "op@example.org", "an-operator-pass-1")
    client.force_login(operator)
    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    url = reverse("admin:patients_clinic_change", args=[clinic.pk])
    data = {"name": "Kano Physiotherapy", "slug": clinic.slug, "time_zone": clinic.time_zone}
    with django_capture_on_commit_callbacks(execute=True):  # a test's transaction never commits
        assert client.post(url, data).status_code == 302
    now = dict(Clinic.objects.values_list("pk", "data_version"))
    assert now[clinic.pk] != versions[clinic.pk]
    assert now[other_clinic.pk] == versions[other_clinic.pk]


def test_the_operators_post_renews_no_clinic_by_itself(client, clinic, other_clinic):
    operator = User.objects.create_superuser("operator", "op@example.org", "an-operator-pass-1")
    client.force_login(operator)
    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    client.post(reverse("admin:patients_clinic_add"), {})  # refused: nothing written
    assert dict(Clinic.objects.values_list("pk", "data_version")) == versions


def test_a_patient_moved_by_the_operator_renews_both_clinics_without_reading_first(
    db, django_capture_on_commit_callbacks
):
    clinician, elsewhere = ClinicianFactory(), ClinicianFactory()
    PatientFactory(clinic=clinician.clinic, responsible_clinician=clinician)
    patient = Patient.objects.get()  # as the admin reads it
    patient.clinic, patient.responsible_clinician = elsewhere.clinic, elsewhere
    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        patient.save()
    assert not any(q["sql"].startswith("SELECT") for q in queries)
    now = dict(Clinic.objects.values_list("pk", "data_version"))
    assert now[clinician.clinic_id] != versions[clinician.clinic_id]
    assert now[elsewhere.clinic_id] != versions[elsewhere.clinic_id]


def test_the_operators_own_account_and_shipped_rows_renew_no_clinic(
    db, django_capture_on_commit_callbacks
):
    from programmes.models import Exercise

    ClinicFactory()
    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    with django_capture_on_commit_callbacks(execute=True):
        User.objects.create_superuser("operator", "op@example.org", "an-operator-pass-1")
    shipped = Exercise.objects.filter(clinic=None).first()
    assert kept_pages.clinic_of(shipped) == ("clinic", None)
    assert dict(Clinic.objects.values_list("pk", "data_version")) == versions


def test_the_operator_renews_every_clinic_after_a_restore(clinic, other_clinic):
    from django.core.management import call_command

    versions = dict(Clinic.objects.values_list("pk", "data_version"))
    call_command("renew_kept_pages", stdout=io.StringIO())
    now = dict(Clinic.objects.values_list("pk", "data_version"))
    assert all(now[pk] != version for pk, version in versions.items())
