"""Two imports of the same file at once (a double-submitted upload, a scheduled job started
twice) never duplicate a visit or a patient. Real connections on PostgreSQL, one per thread."""

import pytest
from django.db import connection

from assessments import imports, services
from assessments.models import ImportRun, Visit
from patients.models import Patient
from tests.assessments.test_import import csv_text, row
from tests.concurrency.test_no_lost_update import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks (CI runs it)"
    ),
]


def test_two_imports_of_the_same_file_at_once_record_each_visit_once(clinic, clinic_admin):
    text = csv_text(
        *[row(study_id=f"KAN-{n:04d}", sex="female", age="50", arm="control") for n in range(1, 21)]
    )
    rows = imports.parse(text, clinic_slug=clinic.slug)

    def run():
        return services.visits_import(
            clinic=clinic,
            by=clinic_admin,
            rows=rows,
            filename="past.csv",
            sha256="x",
            create_patients=True,
        )

    results = at_once(run, run)
    assert all(isinstance(r, ImportRun) for r in results), results
    assert sorted(r.visits_created for r in results) == [0, 20]
    assert sorted(r.patients_created for r in results) == [0, 20]
    assert Visit.objects.count() == 20
    assert Patient.objects.filter(clinic=clinic).count() == 20
