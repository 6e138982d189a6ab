"""Demo clinic for `make demo`: a clinic, its admin, two clinicians and about 20 patients."""

import random
from datetime import timedelta

from django.utils import timezone

from .models import Aetiology, Clinic, Patient, PatientStatus, Role, Sex, User
from .services import patient_register, staff_create

DEMO_SLUG = "demo"
DEMO_PASSWORD = "legwork-demo-2026"  # printed by make demo; never use the demo on real data

GIVEN = {
    Sex.FEMALE: ["Amina", "Ngozi", "Thandiwe", "Fatima", "Grace", "Zanele", "Halima", "Esther"],
    Sex.MALE: ["Musa", "Sipho", "Ibrahim", "Tunde", "Kwame", "Bongani", "Yusuf", "Joseph"],
}
FAMILY = [
    "Abubakar",
    "Dlamini",
    "Okafor",
    "Mokoena",
    "Bello",
    "Nkosi",
    "Adeyemi",
    "Mensah",
    "Ndlovu",
    "Sani",
    "Khumalo",
    "Eze",
]


def load_demo_clinic() -> tuple[Clinic, dict[str, User], bool]:
    """Create the demo clinic once. Returns (clinic, staff by username, created)."""
    existing = Clinic.objects.filter(slug=DEMO_SLUG).first()
    if existing:
        staff = {
            u.username: u for u in existing.users.filter(role__in=[Role.ADMIN, Role.CLINICIAN])
        }
        return existing, staff, False
    clinic = Clinic.objects.create(
        name="Demo Physiotherapy Clinic",
        slug=DEMO_SLUG,
        time_zone="Africa/Lagos",
        phone="+234 800 000 0000",
    )
    staff = {}
    for username, first, last, role in [
        ("admin", "Aisha", "Lead", Role.ADMIN),
        ("clinician", "Chidi", "Okoro", Role.CLINICIAN),
        ("clinician2", "Lindiwe", "Zulu", Role.CLINICIAN),
    ]:
        staff[username] = staff_create(
            clinic=clinic,
            by=None,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.legwork.invalid",
        )
    rng = random.Random(42)  # the same demo every time
    today = timezone.localdate()
    clinicians = [staff["clinician"], staff["clinician2"]]
    for number in range(1, 21):
        sex = Sex.FEMALE if number % 2 else Sex.MALE
        aetiology = [Aetiology.HIV, Aetiology.HIV, Aetiology.DIABETIC, Aetiology.OTHER][number % 4]
        born = today - timedelta(days=365 * rng.randint(28, 72) + rng.randint(0, 364))
        diabetic = aetiology == Aetiology.DIABETIC
        patient_register(
            clinic=clinic,
            by=clinicians[number % 2],
            study_id=f"DEMO-{number:04d}",
            given_name=rng.choice(GIVEN[sex]),
            family_name=rng.choice(FAMILY),
            date_of_birth=born,
            sex=sex,
            phone=f"+234 80{rng.randint(10000000, 99999999)}",
            aetiology=aetiology,
            aetiology_other="Chemotherapy-induced" if aetiology == Aetiology.OTHER else "",
            art_start_date=born + timedelta(days=365 * 25) if aetiology == Aetiology.HIV else None,
            has_diabetes=diabetic,
            research_consent=number % 5 != 0,
            consent_date=today - timedelta(days=rng.randint(1, 90)) if number % 5 else None,
            responsible_clinician=clinicians[number % 2],
        )
    Patient.objects.filter(clinic=clinic, study_id="DEMO-0019").update(
        status=PatientStatus.COMPLETED
    )
    return clinic, staff, True
