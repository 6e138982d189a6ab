import pytest

from tests.factories import (
    ClinicAdminFactory,
    ClinicFactory,
    ClinicianFactory,
    PatientFactory,
    PatientUserFactory,
)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are not about hashing use a fast hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counts (config/throttles.py) live in a cache that outlives a test's transaction:
    each test starts with none, so one test's wrong codes never throttle the next."""
    from django.core.cache import caches

    caches["throttles"].clear()


@pytest.fixture(autouse=True)
def _kept_pages_only_where_tested(request, settings):
    """Kept pages (patients.kept_pages) are renewed after commit, and a test's transaction never
    commits: tests that read a page, write through a service and read it again would get the
    kept copy. So pages are rendered every time here, except in the tests about kept pages and
    the browser journeys (real commits, the pages as served)."""
    if not (
        request.node.get_closest_marker("kept_pages") or request.node.get_closest_marker("e2e")
    ):
        settings.LEGWORK_KEPT_PAGE_SECONDS = 0


@pytest.fixture
def clinic(db):
    return ClinicFactory(name="Kano Physio", slug="kano")


@pytest.fixture
def other_clinic(db):
    return ClinicFactory(name="Other Clinic", slug="other")


@pytest.fixture
def clinic_admin(clinic):
    return ClinicAdminFactory(clinic=clinic, username="lead")


@pytest.fixture
def clinician(clinic):
    return ClinicianFactory(clinic=clinic, username="physio")


@pytest.fixture
def other_clinician(other_clinic):
    return ClinicianFactory(clinic=other_clinic, username="elsewhere")


@pytest.fixture
def patient(clinic, clinician):
    return PatientFactory(clinic=clinic, responsible_clinician=clinician)


@pytest.fixture
def patient_user(patient):
    return PatientUserFactory(patient=patient)


@pytest.fixture
def clinician_client(client, clinician):
    client.force_login(clinician)
    return client


@pytest.fixture
def admin_client_(client, clinic_admin):
    client.force_login(clinic_admin)
    return client
