from datetime import timedelta

import pytest
from django.utils import timezone

from tests.assessments.factories import lines_totalling
from tests.factories import ProgrammeFactory


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def programme(patient, today):
    """A programme that started 40 days ago: baseline past, week 6 due now."""
    return ProgrammeFactory(patient=patient, start_date=today - timedelta(days=40))


@pytest.fixture
def visit_data(clinician, today):
    """POST data for a complete visit form: baseline today, Tinetti 10 + 7, nothing else."""

    def build(lines=None, **overrides):
        lines = lines if lines is not None else lines_totalling(10, 7)
        data = {
            "timepoint": "baseline",
            "assessed_on": today.isoformat(),
            "assessor": str(clinician.pk),
            "tinetti_done": "yes",
            **{code: str(value) for code, value in lines.items()},
            "notes": "",
        }
        data.update({name: str(value) for name, value in overrides.items()})
        return data

    return build
