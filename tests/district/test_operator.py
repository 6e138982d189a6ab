"""How the operator makes a district: the create_district command, the Django admin, and the
rules the database keeps about who has a district."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from patients.models import Clinic, District, Role, User
from tests.district.factories import DistrictFactory, DistrictLeadFactory
from tests.factories import ClinicFactory, PatientFactory

pytestmark = pytest.mark.django_db

STRONG = "Sixteen-chars-strong-77"


def _create(*args):
    call_command("create_district", "--name=Kano North", "--lead-username=amina", *args)


def test_create_district_assigns_the_clinics_and_makes_the_lead(capsys):
    kano, zaria = ClinicFactory(slug="kano"), ClinicFactory(slug="zaria")
    ClinicFactory(slug="elsewhere")
    _create("--clinic=KANO", "--clinic=zaria", "--lead-email=amina@example.org", "--no-input")
    district = District.objects.get(name="Kano North")
    assert set(district.clinics.all()) == {kano, zaria}
    lead = User.objects.get(username="amina")
    assert (lead.role, lead.district, lead.clinic, lead.email) == (
        Role.DISTRICT_LEAD,
        district,
        None,
        "amina@example.org",
    )
    printed = capsys.readouterr().out
    assert "kano, zaria" in printed
    assert lead.check_password(printed.split("password: ")[1].split()[0])
    assert district.history.count() == 1 and lead.history.count() == 1


def test_create_district_reads_the_password_from_the_environment(monkeypatch, capsys):
    monkeypatch.setenv("LEAD_PASSWORD", STRONG)
    _create("--password-from-env=LEAD_PASSWORD")
    assert User.objects.get(username="amina").check_password(STRONG)
    assert STRONG not in capsys.readouterr().out


def test_create_district_refuses_an_empty_password_variable(monkeypatch):
    monkeypatch.delenv("LEAD_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="LEAD_PASSWORD"):
        _create("--password-from-env=LEAD_PASSWORD")
    assert not District.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clinic=nowhere"], "No clinic has the short name 'nowhere'"),
        (["--clinic=taken"], "taken is already in the district South"),
        (["--clinic=kano", "--password-from-env=WEAK"], "too short|too common"),
    ],
)
def test_create_district_refuses_and_saves_nothing(monkeypatch, args, message):
    monkeypatch.setenv("WEAK", "abc")
    ClinicFactory(slug="kano")
    ClinicFactory(slug="taken", district=DistrictFactory(name="South"))
    with pytest.raises(CommandError, match=message):
        _create(*args, *([] if any("password" in a for a in args) else ["--no-input"]))
    assert list(District.objects.values_list("name", flat=True)) == ["South"]
    assert not User.objects.filter(username="amina").exists()
    assert Clinic.objects.get(slug="kano").district is None


def test_create_district_refuses_a_name_taken_in_another_case():
    DistrictFactory(name="KANO NORTH")
    with pytest.raises(CommandError, match="Another district has this name"):
        _create("--no-input")


def test_a_lead_s_username_may_not_take_the_shape_of_a_patient_s_login():
    with pytest.raises(CommandError, match="kept for patients"):
        call_command("create_district", "--name=N", "--lead-username=amina@kano", "--no-input")
    assert not District.objects.exists()


@pytest.mark.parametrize(
    "links",
    [
        {"role": Role.DISTRICT_LEAD},  # no district
        {"role": Role.DISTRICT_LEAD, "with_clinic": True},  # a clinic as well
        {"role": Role.CLINICIAN, "with_clinic": True},  # staff with a district
        {"role": ""},  # an operator with a district
    ],
)
def test_the_database_keeps_districts_to_district_leads(links):
    district = DistrictFactory()
    clinic = ClinicFactory() if links.get("with_clinic") else None
    keep_district = not (links["role"] == Role.DISTRICT_LEAD and "with_clinic" not in links)
    user = User(
        username="x",
        role=links["role"],
        clinic=clinic,
        district=district if keep_district else None,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save()


def test_a_lead_made_in_the_admin_form_with_a_clinic_is_refused_with_a_message():
    lead = User(
        username="lead2",
        role=Role.DISTRICT_LEAD,
        district=DistrictFactory(),
        clinic=ClinicFactory(),
    )
    with pytest.raises(ValidationError, match="a district lead needs a district and neither"):
        lead.full_clean()


def test_the_django_admin_lists_districts_and_offers_a_district_on_clinics_and_users(admin_client):
    district = DistrictFactory(name="Kano North")
    clinic = ClinicFactory(name="Kano Physio", slug="kano")
    patient = PatientFactory(clinic=clinic)
    page = admin_client.get(reverse("admin:patients_district_changelist")).content.decode()
    assert "Kano North" in page
    lead = DistrictLeadFactory(district=district)
    page = admin_client.get(reverse("admin:patients_user_change", args=[lead.pk]))
    assert page.status_code == 200 and b'name="district"' in page.content
    page = admin_client.get(reverse("admin:patients_clinic_change", args=[clinic.pk]))
    assert b'name="district"' in page.content
    clinic.district = district
    clinic.save()
    page = admin_client.get(reverse("admin:patients_district_change", args=[district.pk]))
    assert b"Kano Physio" in page.content and patient.study_id.encode() not in page.content
