import pytest

from tests.programmes.helpers import assign


@pytest.fixture
def programme(patient, clinician):
    """The patient's programme on the shipped template, started 4 weeks ago (now week 5)."""
    return assign(patient, clinician, days_ago=28)


@pytest.fixture
def patient_client(client, patient_user):
    client.force_login(patient_user)
    return client
