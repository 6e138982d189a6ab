"""Migration 0008 renames existing patient logins to "study ID@clinic" and locks nobody out:
the bare study ID they used still logs them in, and so does the new name."""

import pytest
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

BEFORE = [("patients", "0007_portal_logins_per_clinic")]


def latest():
    """Every app at its last migration: 0008 and 0009 run, and then the later ones, which the
    current models (used below, and by the later tests) need."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


PASSWORD = "calf-raises-daily"


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_existing_patient_logins_still_log_in_after_the_rename():
    old = migrate(BEFORE)
    Clinic, Patient, User = (
        old.get_model("patients", name) for name in ("Clinic", "Patient", "User")
    )
    HistoricalUser = old.get_model("patients", "HistoricalUser")
    kano = Clinic.objects.create(name="Kano Physio", slug="kano", time_zone="Africa/Lagos")
    abuja = Clinic.objects.create(name="Abuja Physio", slug="Abuja", time_zone="Africa/Lagos")
    logins = {}
    for clinic, study_id in ((kano, "KAN-0042"), (abuja, "ABJ-0001")):
        patient = Patient.objects.create(
            clinic=clinic,
            study_id=study_id,
            given_name="Amina",
            family_name="Bello",
            date_of_birth="1975-05-17",
            sex="female",
            aetiology="hiv_dsp",
        )
        logins[study_id] = User.objects.create(
            username=study_id,
            password=make_password(PASSWORD),
            role="patient",
            clinic=clinic,
            patient=patient,
        )
    staff = User.objects.create(username="physio", role="clinician", clinic=kano)
    try:
        migrate(latest())
        from patients.models import User as Current

        renamed = Current.objects.get(pk=logins["KAN-0042"].pk)
        assert (renamed.username, renamed.old_login_name) == ("KAN-0042@kano", "KAN-0042")
        assert Current.objects.get(pk=logins["ABJ-0001"].pk).username == "ABJ-0001@abuja"
        assert Current.objects.get(pk=staff.pk).username == "physio"
        assert HistoricalUser.objects.filter(id=renamed.pk, username="KAN-0042@kano").exists()
        for typed in ("KAN-0042", "kan-0042", "KAN-0042@kano"):
            browser = Client()
            response = browser.post(reverse("login"), {"username": typed, "password": PASSWORD})
            assert response.status_code == 302, typed
            assert int(browser.session["_auth_user_id"]) == renamed.pk
    finally:
        migrate(latest())  # whatever happened, later tests get the schema they expect
