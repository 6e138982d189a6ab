"""Small factories for building clinics, staff and patients in tests."""

from datetime import date

import factory

from patients.models import Aetiology, Clinic, Patient, Role, Sex, User
from programmes.models import Arm, Programme

PASSWORD = "a-Strong-test-passw0rd"


class ClinicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clinic

    name = factory.Sequence(lambda n: f"Clinic {n}")
    slug = factory.Sequence(lambda n: f"clinic-{n}")
    time_zone = "Africa/Lagos"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    clinic = factory.SubFactory(ClinicFactory)
    role = Role.CLINICIAN
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN


class ClinicAdminFactory(UserFactory):
    role = Role.ADMIN


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    clinic = factory.SubFactory(ClinicFactory)
    study_id = factory.Sequence(lambda n: f"KAN-{n:04d}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = date(1975, 5, 17)
    sex = Sex.FEMALE
    aetiology = Aetiology.HIV
    research_consent = True
    consent_date = date(2026, 1, 10)


class PatientUserFactory(UserFactory):
    role = Role.PATIENT
    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    username = factory.SelfAttribute("patient.study_id")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An assigned programme (no plan rows): enough for pages that only need its dates."""

    class Meta:
        model = Programme

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    name = "Lower-limb PRE, 12 weeks"
    arm = Arm.INTERVENTION
    start_date = date(2026, 9, 7)
