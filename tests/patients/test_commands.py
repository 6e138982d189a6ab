"""The management commands: create_clinic for a real installation, load_demo for trying it."""

import pytest
from django.core.management import CommandError, call_command

from patients.models import Clinic, Patient, Role, User

pytestmark = pytest.mark.django_db


def test_create_clinic_makes_the_clinic_and_its_first_admin(capsys):
    call_command(
        "create_clinic",
        "--name=Kano Physio",
        "--slug=kano",
        "--time-zone=Africa/Lagos",
        "--admin-username=lead",
        "--admin-email=lead@example.org",
        "--no-input",
    )
    clinic = Clinic.objects.get(slug="kano")
    admin = User.objects.get(username="lead")
    assert (admin.clinic, admin.role) == (clinic, Role.ADMIN)
    printed = capsys.readouterr().out
    password = printed.split("password: ")[1].split()[0]
    assert admin.check_password(password)


def test_create_clinic_refuses_an_unknown_time_zone_and_saves_nothing():
    with pytest.raises(CommandError, match="time zone"):
        call_command(
            "create_clinic",
            "--name=X",
            "--slug=x",
            "--time-zone=Mars/Olympus",
            "--admin-username=lead",
            "--no-input",
        )
    assert not Clinic.objects.exists()
    assert not User.objects.exists()


def test_create_clinic_refuses_a_slug_already_taken(clinic):
    with pytest.raises(CommandError, match="slug"):
        call_command(
            "create_clinic", "--name=X", f"--slug={clinic.slug}", "--admin-username=x", "--no-input"
        )


def test_load_demo_loads_a_clinic_with_staff_and_about_20_patients(settings):
    settings.DEBUG = True
    call_command("load_demo")
    clinic = Clinic.objects.get(slug="demo")
    assert clinic.users.filter(role=Role.ADMIN).count() == 1
    assert clinic.users.filter(role=Role.CLINICIAN).count() == 2
    patients = Patient.objects.filter(clinic=clinic)
    assert patients.count() == 20
    assert {p.aetiology for p in patients} == {"hiv_dsp", "diabetic", "other"}


def test_load_demo_again_keeps_the_data(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    call_command("load_demo")
    assert Clinic.objects.filter(slug="demo").count() == 1
    assert Patient.objects.count() == 20
    assert "district     District lead" in capsys.readouterr().out.split("Kept the existing")[1]


def test_load_demo_gives_the_demo_clinic_a_district_and_its_lead(settings, client, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    assert "district     District lead" in capsys.readouterr().out
    lead = User.objects.get(username="district")
    assert lead.role == Role.DISTRICT_LEAD
    assert list(lead.district.clinics.values_list("slug", flat=True)) == ["demo"]
    client.force_login(lead)
    page = client.get("/district/").content.decode()
    assert "Demo Physiotherapy Clinic" in page and "DEMO-0001" not in page


def test_load_demo_refuses_in_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo")
