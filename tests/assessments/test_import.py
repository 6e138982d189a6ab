"""Importing past visits from the long CSV: refusals by line, all or nothing, idempotence,
--create-patients, the round trip, the upload page and the command."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import exports, imports, services
from assessments.imports import ImportRefused
from assessments.models import ImportRun, Visit
from assessments.outcomes import OutcomeFilters
from patients.models import Patient
from programmes.models import Programme
from tests.assessments import outcome_data
from tests.assessments.factories import lines_totalling
from tests.factories import ClinicAdminFactory, ClinicFactory, PatientFactory, ProgrammeFactory

HEADER = [c.name for c in exports.long_columns(deidentified=False)]


def row(**values):
    """A valid long row for KAN-0001's baseline: Tinetti 10 + 7, no other measure."""
    lines = lines_totalling(10, 7)
    base = {
        "clinic": "kano",
        "study_id": "KAN-0001",
        "arm": "intervention",
        "programme": "1",
        "timepoint": "baseline",
        "assessed_on": "2025-01-06",
        "sex": "female",
        "age": "49",
        "aetiology": "hiv_dsp",
        **{f"tinetti_{code}": str(value) for code, value in lines.items()},
        "tinetti_balance": "10",
        "tinetti_gait": "7",
        "tinetti_total": "17",
        "tinetti_risk": "high",
    }
    base.update(values)
    return base


def csv_text(*rows, header=HEADER):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, restval="")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def errors_of(text, slug="kano"):
    with pytest.raises(ImportRefused) as refused:
        imports.parse(text, clinic_slug=slug)
    return refused.value.errors


def run_import(clinic, by, text, **options):
    rows = imports.parse(text, clinic_slug=clinic.slug)
    return services.visits_import(
        clinic=clinic, by=by, rows=rows, filename="past.csv", sha256="x", **options
    )


@pytest.fixture
def known(clinic):
    patient = PatientFactory(clinic=clinic, study_id="KAN-0001")
    return ProgrammeFactory(patient=patient, start_date=date(2025, 1, 6))


# --- checking the file --------------------------------------------------------------------


def test_an_unknown_column_is_refused_by_name():
    errors = errors_of(csv_text(row(), header=[*HEADER, "favourite_colour"]))
    assert errors == [
        (
            1,
            "Unknown column(s): favourite_colour. The import reads the long export's columns "
            "only; remove or rename these.",
        )
    ]


def test_a_de_identified_file_is_refused_with_the_reason():
    header = ["study_day" if h == "assessed_on" else h for h in HEADER]
    (error,) = errors_of(csv_text(header=header))
    assert "de-identified file" in error[1]


def test_a_subtotal_that_disagrees_with_its_lines_is_an_error():
    errors = errors_of(csv_text(row(tinetti_balance="11", tinetti_total="18")))
    assert errors == [(2, "tinetti_balance: stated 11 but the lines add up to 10.")]


def test_a_stated_total_that_disagrees_is_an_error_but_a_stale_risk_band_is_just_recomputed():
    assert errors_of(csv_text(row(tinetti_total="20")))[0][1].startswith("tinetti_total: stated 20")
    (parsed,) = imports.parse(csv_text(row(tinetti_risk="low", age="12")), clinic_slug="kano")
    assert parsed.tinetti_lines == lines_totalling(10, 7)


def test_every_invalid_row_is_listed_with_its_line_and_reason():
    text = csv_text(
        row(),
        row(study_id="KAN-0002", timepoint="week7"),
        row(study_id="KAN-0003", tinetti_nudged="3"),
        row(study_id="KAN-0004", tinetti_path=""),
        row(study_id="KAN-0005", assessed_on="06/01/2025", walk6_m="1200"),
        row(study_id="KAN-0006", clinic="other"),
        row(),
    )
    errors = errors_of(text)
    lines = [line for line, _ in errors]
    assert lines == [3, 4, 5, 6, 6, 7, 8]
    messages = " ".join(message for _, message in errors)
    assert "timepoint 'week7' is not one of" in messages
    assert "tinetti_nudged '3' is not one of [0, 1, 2]" in messages
    assert "Score all 20 Tinetti lines, or none: empty tinetti_path." in messages
    assert "assessed_on '06/01/2025' is not a date written as YYYY-MM-DD." in messages
    assert "walk6_m 1200 is outside 0 to 1000 m." in messages
    assert "clinic 'other' is not this clinic ('kano')" in messages
    assert "The file has this visit twice (lines 2 and 8)." in messages


def test_a_neutralised_cell_is_read_back_as_it_was_exported():
    (parsed,) = imports.parse(csv_text(row(study_id="'-KAN-1")), clinic_slug="kano")
    assert parsed.study_id == "-KAN-1"


def test_an_empty_file_or_one_without_rows_is_refused():
    assert errors_of("")[0][1].startswith("The file is empty")
    assert errors_of(csv_text())[0][1] == "The file has a header but no visits."


def test_a_file_that_is_not_utf8_is_refused():
    with pytest.raises(ImportRefused, match="problem"):
        imports.read_text("study_id\nKAN-é".encode("latin-1"))
    assert imports.read_text("\ufeffstudy_id".encode()) == "study_id"


# --- saving: all or nothing -------------------------------------------------------------------


@pytest.mark.django_db
def test_valid_rows_become_visits_with_their_subtotals_computed(clinic, clinic_admin, known):
    text = csv_text(
        row(walk6_m="380", height_cm="165.0", weight_kg="61.5", pain_nrs="4"),
        row(timepoint="week6", assessed_on="2025-02-10", **_lines(13, 9)),
    )
    run = run_import(clinic, clinic_admin, text)
    assert (run.visits_created, run.visits_unchanged, run.rows) == (2, 0, 2)
    baseline, week6 = Visit.objects.order_by("assessed_on")
    assert (baseline.tinetti_total, baseline.walk_distance_m, baseline.pain_nrs) == (17, 380, 4)
    assert week6.tinetti_balance == 13 and week6.assessor == clinic_admin
    assert baseline.history.first().history_user == clinic_admin


def _lines(balance, gait):
    lines = lines_totalling(balance, gait)
    return {
        **{f"tinetti_{code}": str(value) for code, value in lines.items()},
        "tinetti_balance": str(balance),
        "tinetti_gait": str(gait),
        "tinetti_total": str(balance + gait),
    }


@pytest.mark.django_db
def test_one_invalid_row_means_nothing_is_saved_and_every_problem_is_reported(
    clinic, clinic_admin, known
):
    text = csv_text(
        row(),
        row(timepoint="week6", assessed_on="2024-12-01"),  # before its window opens
        row(study_id="KAN-0404", timepoint="week12"),  # not registered
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, text)
    errors = refused.value.errors
    assert [line for line, _ in errors] == [3, 4]
    assert "Too early for the week 6 visit: its window opens on" in errors[0][1]
    assert "Study ID KAN-0404 is not registered in this clinic" in errors[1][1]
    assert not Visit.objects.exists()
    assert not ImportRun.objects.exists()


@pytest.mark.django_db
def test_importing_the_same_file_again_adds_nothing(clinic, clinic_admin, known):
    text = csv_text(row(), row(timepoint="followup", assessed_on="2025-06-02"))
    run_import(clinic, clinic_admin, text)
    again = run_import(clinic, clinic_admin, text)
    assert (again.visits_created, again.visits_unchanged) == (0, 2)
    assert again.summary == "Nothing new: all 2 visits in past.csv are already recorded."
    assert Visit.objects.count() == 2


@pytest.mark.django_db
def test_a_visit_recorded_with_other_values_is_a_conflict_not_an_overwrite(
    clinic, clinic_admin, known
):
    run_import(clinic, clinic_admin, csv_text(row(pain_nrs="4")))
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, csv_text(row(pain_nrs="5")))
    (error,) = refused.value.errors
    assert "already recorded with other values (pain_nrs 5 here, 4 recorded)" in error[1]
    assert Visit.objects.get().pain_nrs == 4


@pytest.mark.django_db
def test_a_row_in_the_wrong_arm_or_programme_is_an_error(clinic, clinic_admin, known):
    text = csv_text(row(arm="control"), row(programme="2"))
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, text)
    messages = [m for _, m in refused.value.errors]
    assert "is in the intervention arm" in messages[0]
    assert "KAN-0001 has no programme 2 in this clinic (they have 1)" in messages[1]


@pytest.mark.django_db
def test_a_sit_to_stand_time_needs_the_files_timing_convention(clinic, clinic_admin, known):
    text = csv_text(row(sts5_s="14.2"))
    with pytest.raises(ImportRefused, match="problem"):
        run_import(clinic, clinic_admin, text)
    run_import(clinic, clinic_admin, text, sts_convention="fifth_sit")
    assert Visit.objects.get().sts_convention == "fifth_sit"


@pytest.mark.django_db
def test_each_rows_own_timing_convention_needs_no_choice_for_the_file(clinic, clinic_admin, known):
    week6 = {"timepoint": "week6", "assessed_on": "2025-02-10"}
    text = csv_text(
        row(sts5_s="14.2", sts_convention="fifth_sit"),
        row(sts5_s="13.0", sts_convention="fifth_stand", **week6),
    )
    run_import(clinic, clinic_admin, text)
    assert [(v.sts_seconds, v.sts_convention) for v in Visit.objects.order_by("assessed_on")] == [
        (Decimal("14.2"), "fifth_sit"),
        (Decimal("13.0"), "fifth_stand"),
    ]


@pytest.mark.django_db
def test_the_arms_needed_and_the_walking_aid_are_stored_as_the_file_says(
    clinic, clinic_admin, known
):
    text = csv_text(row(chair30_stands="0", chair_arms_needed="1", walk6_m="310", walk_aid="frame"))
    run_import(clinic, clinic_admin, text)
    visit = Visit.objects.get()
    assert (visit.chair_stands, visit.chair_arms_needed, visit.chair_score) == (0, True, 0)
    assert visit.walk_aid == "frame"
    # The same file again is the same visit; a file saying otherwise is a conflict.
    run_import(clinic, clinic_admin, text)
    other = csv_text(
        row(chair30_stands="0", chair_arms_needed="0", walk6_m="310", walk_aid="frame")
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, other)
    assert "chair_arms_needed False here, True recorded" in refused.value.errors[0][1]


def test_stands_beside_arms_needed_and_details_without_their_measure_are_refused():
    text = csv_text(
        row(chair30_stands="6", chair_arms_needed="1"),
        row(sts_convention="fifth_sit", timepoint="week6", assessed_on="2025-02-10"),
        row(walk_aid="stick", timepoint="week12", assessed_on="2025-03-24"),
        row(walk6_m="300", walk_aid="skis", timepoint="followup"),
        row(chair30_stands="5", chair_arms_needed="yes", timepoint="unscheduled"),
    )
    messages = [message for _, message in errors_of(text)]
    assert messages == [
        "chair30_stands 6 with chair_arms_needed 1: needing the arms scores 0 (the protocol), "
        "so give 0 or set chair_arms_needed to 0.",
        "sts_convention is given without a time in sts5_s.",
        "walk_aid is given without a distance in walk6_m.",
        "walk_aid 'skis' is not one of: none, stick, crutches, frame, other.",
        "chair_arms_needed 'yes' is not one of: 0, 1.",
    ]


@pytest.mark.django_db
def test_a_file_written_before_the_protocol_columns_still_imports(clinic, clinic_admin, known):
    old_header = [
        name for name in HEADER if name not in ("sts_convention", "chair_arms_needed", "walk_aid")
    ]
    assert len(old_header) == len(HEADER) - 3
    text = csv_text(row(sts5_s="14.2", chair30_stands="9", walk6_m="320"), header=old_header)
    run_import(clinic, clinic_admin, text, sts_convention="fifth_stand")
    visit = Visit.objects.get()
    assert (visit.sts_convention, visit.chair_arms_needed, visit.walk_aid) == (
        "fifth_stand",
        False,
        "",
    )
    run_import(clinic, clinic_admin, text, sts_convention="fifth_stand")  # nothing to compare
    assert Visit.objects.count() == 1


# --- registering unknown patients ---------------------------------------------------------


@pytest.mark.django_db
def test_create_patients_registers_the_study_id_with_marked_placeholders(clinic, clinic_admin):
    text = csv_text(
        row(study_id="KAN-0777", sex="male", age="61", arm="control"),
        row(
            study_id="KAN-0777",
            sex="male",
            arm="control",
            timepoint="week12",
            assessed_on="2025-03-24",
        ),
    )
    run = run_import(clinic, clinic_admin, text, create_patients=True)
    assert (run.patients_created, run.programmes_created, run.visits_created) == (1, 1, 2)
    patient = Patient.objects.get(study_id="KAN-0777")
    assert patient.given_name == patient.family_name == "(imported)"
    assert patient.sex == "male" and patient.aetiology == "hiv_dsp"
    assert patient.age(date(2025, 1, 6)) == 61
    assert "placeholders" in patient.notes and "estimated from the age (61)" in patient.notes
    programme = Programme.objects.get(patient=patient)
    assert (programme.arm, programme.start_date, programme.status) == (
        "control",
        date(2025, 1, 6),
        "completed",
    )


@pytest.mark.django_db
def test_an_imported_programme_ends_with_its_own_last_week(clinic, clinic_admin, monkeypatch):
    """Its end comes from the programme's length, not a restated 12 weeks: a programme of 10."""
    monkeypatch.setattr(Programme._meta.get_field("weeks"), "_get_default", lambda: 10)
    text = csv_text(row(study_id="KAN-0778", sex="male", age="61", arm="control"))
    run_import(clinic, clinic_admin, text, create_patients=True)
    programme = Programme.objects.get(patient__study_id="KAN-0778")
    assert programme.weeks == 10
    assert programme.ended_on == date(2025, 1, 6) + timedelta(days=10 * 7 - 1)


@pytest.mark.django_db
def test_create_patients_needs_sex_and_a_baseline_with_the_age(clinic, clinic_admin):
    text = csv_text(
        row(study_id="KAN-0801", sex=""),
        row(study_id="KAN-0802", timepoint="week6", assessed_on="2025-02-10"),
    )
    with pytest.raises(ImportRefused) as refused:
        run_import(clinic, clinic_admin, text, create_patients=True)
    messages = [m for _, m in refused.value.errors]
    assert "sex is needed to register KAN-0801" in messages[0]
    assert "needs a baseline row with the age" in messages[1]
    assert not Patient.objects.exists()


# --- the round trip -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_long_export_imported_into_an_empty_clinic_exports_the_same_rows(
    clinic, clinician, write
):
    outcome_data.build(clinic, clinician)
    measured = {"walk_distance_m": 350, "chair_stands": 0, "chair_arms_needed": True}
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0400",
        arm="control",
        visits={
            "baseline": (10, 7, {**measured, "walk_aid": "stick"}),
            "week6": (10, 7, {"sts_seconds": Decimal("20.0"), "sts_convention": "fifth_sit"}),
        },
    )
    exported = "".join(
        exports.csv_lines("long", clinic=clinic, filters=OutcomeFilters(), deidentified=False)
    )
    # The same clinic on a new installation: the old one's slug moves aside.
    clinic.slug = "kano-old"
    clinic.save()
    empty = ClinicFactory(slug="kano")
    ClinicAdminFactory(clinic=empty)  # the importer, by default the clinic's first admin
    out = io.StringIO()
    path = write(exported)
    call_command(
        "import_visits",
        path,
        "--clinic",
        "kano",
        "--create-patients",  # no --sts-convention: each row says its own
        stdout=out,
    )
    assert "Imported 14 visits" in out.getvalue()
    again = "".join(
        exports.csv_lines("long", clinic=empty, filters=OutcomeFilters(), deidentified=False)
    )
    assert again == exported


@pytest.fixture
def write(tmp_path):
    def to_file(text):
        path = tmp_path / "past.csv"
        path.write_text(text, encoding="utf-8")
        return str(path)

    return to_file


# --- the command and the upload page ------------------------------------------------------


@pytest.mark.django_db
def test_the_command_lists_every_problem_and_saves_nothing(clinic, clinic_admin, known, write):
    path = write(csv_text(row(tinetti_gait="9"), row(timepoint="week6", assessed_on="x")))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 2 problem"):
        call_command("import_visits", path, "--clinic", "kano", stderr=err)
    assert "line 2: tinetti_gait: stated 9" in err.getvalue()
    assert "line 3: assessed_on 'x'" in err.getvalue()
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_the_command_needs_a_known_clinic_and_staff_member(clinic, clinic_admin, write):
    path = write(csv_text(row()))
    with pytest.raises(CommandError, match="No clinic"):
        call_command("import_visits", path, "--clinic", "nowhere")
    with pytest.raises(CommandError, match="not an active member"):
        call_command("import_visits", path, "--clinic", "kano", "--user", "nobody")


def _upload(text, name="past.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


@pytest.mark.django_db
def test_an_admin_uploads_a_file_and_a_double_submit_imports_once(
    clinic, clinic_admin, client, known
):
    client.force_login(clinic_admin)
    url = reverse("assessments:import")
    text = csv_text(row(), row(timepoint="week6", assessed_on="2025-02-10", **_lines(13, 9)))
    first = client.post(url, {"file": _upload(text)}, follow=True)
    assert "Imported 2 visits from past.csv." in first.content.decode()
    second = client.post(url, {"file": _upload(text)}, follow=True)
    assert "Nothing new: all 2 visits" in second.content.decode()
    assert Visit.objects.count() == 2
    assert ImportRun.objects.count() == 2
    log = client.get(reverse("assessments:export_log")).content.decode()
    assert "past.csv" in log


@pytest.mark.django_db
def test_the_upload_page_lists_the_problems_and_saves_nothing(clinic, clinic_admin, client, known):
    client.force_login(clinic_admin)
    text = csv_text(row(), row(timepoint="week6", assessed_on="2025-02-10", tinetti_total="3"))
    response = client.post(reverse("assessments:import"), {"file": _upload(text)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was imported: 1 problem to correct" in html
    assert "<td>3</td><td>tinetti_total: stated 3" in html
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_a_clinician_cannot_import(clinic, clinician, client):
    client.force_login(clinician)
    response = client.post(reverse("assessments:import"), {"file": _upload(csv_text(row()))})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_a_unicode_digit_in_a_line_is_an_error_not_a_crash():
    (line, message) = errors_of(csv_text(row(tinetti_sitting_balance="²")))[0]
    assert line == 2
    assert "tinetti_sitting_balance '²' is not one of [0, 1]" in message


@pytest.mark.django_db
def test_a_cell_too_large_to_read_is_refused_on_the_page_without_a_crash(
    clinic, clinic_admin, client, known
):
    client.force_login(clinic_admin)
    text = csv_text(row(study_id="K" * 140_000))
    response = client.post(reverse("assessments:import"), {"file": _upload(text)})
    assert response.status_code == 200
    assert "cannot be read as CSV" in response.content.decode()
    assert not Visit.objects.exists()
