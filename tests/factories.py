"""Small factories for building clinics, staff and patients in tests."""

from datetime import date
from decimal import Decimal

import factory

from patients import portal_access
from patients.models import Aetiology, Clinic, Patient, Role, Sex, User
from programmes.models import (
    Arm,
    Equipment,
    Exercise,
    Laterality,
    MuscleGroup,
    Programme,
    ProgrammeTemplate,
    TemplateExercise,
)

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
    username = factory.LazyAttribute(
        lambda u: portal_access.login_name(u.patient.study_id, u.patient.clinic.slug)
    )
    email = ""  # patients have none (activation never asks for one)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An assigned programme (no plan rows): enough for pages that only need its dates."""

    class Meta:
        model = Programme

    patient = factory.SubFactory(PatientFactory)
    clinic = factory.SelfAttribute("patient.clinic")
    name = "Lower-limb PRE, 12 weeks"
    arm = Arm.INTERVENTION
    start_date = date(2026, 9, 7)


class ExerciseFactory(factory.django.DjangoModelFactory):
    """A clinic's own exercise (shipped ones come from the data migration)."""

    class Meta:
        model = Exercise

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Seated leg curl {n}")
    muscle_group = MuscleGroup.HAMSTRINGS
    equipment = Equipment.CABLE
    laterality = Laterality.EACH_LEG
    load_step_kg = Decimal("1.0")
    instructions = "Bend the knee slowly against the cable, then straighten it slowly."
    safety_cues = "Stop if your knee hurts sharply."


class ProgrammeTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeTemplate

    clinic = factory.SubFactory(ClinicFactory)
    name = factory.Sequence(lambda n: f"Clinic template {n}")
    weeks = 12
    sessions_per_week = 3


class TemplateExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateExercise

    template = factory.SubFactory(ProgrammeTemplateFactory)
    exercise = factory.SubFactory(
        ExerciseFactory, clinic=factory.SelfAttribute("..template.clinic")
    )
    order = factory.Sequence(lambda n: n + 1)
    sets = 3
    target_reps = 10
    start_pct = Decimal(50)
    ceiling_pct = Decimal(65)  # 3 x 10 leaves 2 in reserve up to 69 %
    increase_pct = Decimal(5)
    every_n_weeks = 2
    performance_increase_pct = Decimal(5)
