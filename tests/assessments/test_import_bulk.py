"""The import at bulk speed: history for every row it creates, the clinic's kept pages stale
once it has committed, a number of queries that does not grow with the file, and nothing saved
when the last row of a long file is refused."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.imports import ImportRefused
from assessments.models import ImportRun, Visit
from patients.models import Patient
from programmes.models import Programme
from tests.assessments.test_import import csv_text, run_import
from tests.assessments.test_import import row as baseline_row
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def patient_rows(n, *, study_id=None):
    """Patient n's baseline, week-6 and week-12 rows, each in its window."""
    study_id = study_id or f"KAN-{n:04d}"
    return [
        baseline_row(study_id=study_id),
        baseline_row(study_id=study_id, timepoint="week6", assessed_on="2025-02-17", age=""),
        baseline_row(study_id=study_id, timepoint="week12", assessed_on="2025-03-31", age=""),
    ]


def test_every_patient_programme_and_visit_created_has_its_history_row_by_the_importer(
    clinic, clinic_admin
):
    text = csv_text(*patient_rows(1), *patient_rows(2))
    run = run_import(clinic, clinic_admin, text, create_patients=True)
    assert (run.patients_created, run.programmes_created, run.visits_created) == (2, 2, 6)
    for model in (Patient, Programme, Visit):
        rows = model.objects.all()
        history = model.history.all()
        assert sorted(h.id for h in history) == sorted(r.pk for r in rows), model
        assert {h.history_type for h in history} == {"+"}
        assert {h.history_user_id for h in history} == {clinic_admin.pk}
    # A history row holds the values saved, as a save's would.
    visit = Visit.objects.get(patient__study_id="KAN-0002", timepoint="week6")
    (first,) = visit.history.all()
    assert (first.tinetti_total, first.assessed_on, first.programme_id) == (
        visit.tinetti_total,
        visit.assessed_on,
        visit.programme_id,
    )
    assert Patient.history.get(study_id="KAN-0001").given_name == "(imported)"


@pytest.mark.kept_pages
def test_an_import_by_the_command_makes_the_clinics_kept_pages_stale(
    clinic, clinic_admin, clinician_client, tmp_path, django_capture_on_commit_callbacks
):
    url = reverse("patients:list")
    assert "KAN-0001" not in clinician_client.get(url).content.decode()
    version = clinic.data_version
    path = tmp_path / "past.csv"
    path.write_text(csv_text(*patient_rows(1)), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_visits", str(path), "--clinic", "kano", "--create-patients")
    clinic.refresh_from_db()
    assert clinic.data_version != version
    assert "KAN-0001" in clinician_client.get(url).content.decode()


def _queries_of(import_file):
    with CaptureQueriesContext(connection) as queries:
        import_file()
    statements = [q["sql"].lstrip().split(None, 1)[0].upper() for q in queries]
    return statements


def _new_clinic(slug):
    clinic = ClinicFactory(slug=slug)
    return clinic, ClinicAdminFactory(clinic=clinic)


@pytest.mark.parametrize("create_patients", [True, False])
def test_the_queries_of_an_import_do_not_grow_with_its_rows(create_patients):
    counted = {}
    for n in (10, 100):
        clinic, admin = _new_clinic(f"c{n}")
        rows = []
        for k in range(n):
            study_id = f"C{n}-{k:04d}"
            if not create_patients:
                patient = PatientFactory(clinic=clinic, study_id=study_id)
                ProgrammeFactory(patient=patient, start_date="2025-01-06")
            rows.append(baseline_row(clinic=clinic.slug, study_id=study_id))
        text = csv_text(*rows)
        counted[n] = _queries_of(
            lambda text=text, clinic=clinic, admin=admin: run_import(
                clinic, admin, text, create_patients=create_patients
            )
        )
    assert ImportRun.objects.filter(visits_created=100).count() == 1
    # The same reads and updates for 10 rows as for 100 ...
    reads = {n: [s for s in found if s != "INSERT"] for n, found in counted.items()}
    assert reads[10] == reads[100]
    # ... and each INSERT carries many rows (SQLite takes fewer per statement than PostgreSQL).
    inserts = counted[100].count("INSERT")
    assert inserts <= 100 / 5, counted[100]


def test_a_refused_row_at_the_end_of_a_long_file_saves_nothing_of_what_came_before(
    clinic, clinic_admin
):
    rows = [row for n in range(1, 401) for row in patient_rows(n)]  # 1,200 visits
    rows[-1]["assessed_on"] = "2025-03-01"  # the last week-12 visit, before its window
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, csv_text(*rows), create_patients=True)
    ((line, message),) = refused.value.errors
    assert line == 1201
    assert "Too early for the week 12 visit" in message
    for model in (Patient, Programme, Visit):
        assert not model.objects.exists(), model
        assert not model.history.exists(), model
    assert not ImportRun.objects.exists()
