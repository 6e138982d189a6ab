import pytest
from django.test import Client

from tests.programmes.helpers import assign


@pytest.fixture
def programme(patient, clinician):
    """An intervention programme on the shipped template, started 4 weeks ago (now week 5).

    Baseline 20 kg x 10 everywhere: estimated 1RM 26.67 kg (Brzycki).
    """
    return assign(patient, clinician, days_ago=28)


@pytest.fixture
def patient_client(patient_user):
    """The patient's own browser, apart from the clinician's."""
    client = Client()
    client.force_login(patient_user)
    return client
