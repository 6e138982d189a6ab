"""Two imports into one clinic at once (a double-submitted upload, a scheduled job started
twice): the second is refused while the first runs, and no visit or patient is ever recorded
twice. Real connections on PostgreSQL, one per thread."""

import threading

import pytest
from django.db import connection, connections, transaction

from assessments import imports, services
from assessments.imports import ImportRefused
from assessments.models import ImportRun, Visit
from assessments.services.visits_import import ANOTHER_IMPORT_RUNNING, _one_import_at_a_time
from patients.models import Patient
from tests.assessments.test_import import csv_text, row
from tests.concurrency.test_no_lost_update import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's locks (CI runs it)"
    ),
]


def _importer(clinic, clinic_admin, n=20):
    text = csv_text(
        *[
            row(study_id=f"KAN-{k:04d}", sex="female", age="50", arm="control")
            for k in range(1, n + 1)
        ]
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

    return run


def test_two_imports_of_the_same_file_at_once_record_each_visit_once(clinic, clinic_admin):
    run = _importer(clinic, clinic_admin)
    results = at_once(run, run)
    done = [r for r in results if isinstance(r, ImportRun)]
    refused = [r for r in results if isinstance(r, ImportRefused)]
    assert len(done) + len(refused) == 2, results
    # The second is refused while the first runs, or finds everything recorded once it is done.
    assert sorted(r.visits_created for r in done) in ([20], [0, 20])
    assert all(r.errors == [(0, ANOTHER_IMPORT_RUNNING)] for r in refused)
    assert Visit.objects.count() == 20
    assert Patient.objects.filter(clinic=clinic).count() == 20


def test_an_import_started_while_another_runs_in_the_clinic_is_refused_and_saves_nothing(
    clinic, clinic_admin
):
    running, finish = threading.Event(), threading.Event()

    def the_import_running():  # holds what a running import holds, until told to finish
        try:
            with transaction.atomic():
                _one_import_at_a_time(clinic)
                running.set()
                finish.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=the_import_running)
    thread.start()
    try:
        assert running.wait(10)
        with pytest.raises(ImportRefused) as refused:
            _importer(clinic, clinic_admin)()
    finally:
        finish.set()
        thread.join(10)
    assert refused.value.errors == [(0, ANOTHER_IMPORT_RUNNING)]
    assert not Visit.objects.exists()
    assert not Patient.objects.exists()
    assert not ImportRun.objects.exists()
    # Once it has finished, the same file imports.
    assert _importer(clinic, clinic_admin)().visits_created == 20


def test_an_import_into_another_clinic_is_not_held_up(clinic, clinic_admin, other_clinic):
    running, finish = threading.Event(), threading.Event()

    def the_import_running():
        try:
            with transaction.atomic():
                _one_import_at_a_time(other_clinic)
                running.set()
                finish.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=the_import_running)
    thread.start()
    try:
        assert running.wait(10)
        run = _importer(clinic, clinic_admin, n=3)()
    finally:
        finish.set()
        thread.join(10)
    assert run.visits_created == 3
