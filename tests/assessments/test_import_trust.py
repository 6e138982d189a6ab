"""The import applies the visit's rules and refuses hostile files clearly (issue 12): nothing
measured, windows and deviations, NUL bytes, semicolons, year 1, absurd ages, huge headers;
its messages fit the door (the page or the command) and count in words that agree."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments import imports
from assessments.imports import MAX_COLUMNS, ImportRefused
from assessments.models import ImportRun, Visit
from tests.assessments.test_import import HEADER, csv_text, errors_of, row, run_import
from tests.factories import PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

START = date(2025, 1, 6)


@pytest.fixture
def known(clinic):
    patient = PatientFactory(clinic=clinic, study_id="KAN-0001")
    return ProgrammeFactory(patient=patient, start_date=START)


def day(n):
    return (START + timedelta(days=n)).isoformat()


def no_tinetti(**values):
    return row(
        **{name: "" for name in HEADER if name.startswith("tinetti_")},
        **values,
    )


def refused(clinic, by, text, **options):
    with pytest.raises(ImportRefused) as error:
        run_import(clinic, by, text, **options)
    assert not Visit.objects.exists()
    return error.value.errors


def test_a_row_with_nothing_measured_is_refused(clinic, clinic_admin, known):
    ((line, message),) = refused(clinic, clinic_admin, csv_text(no_tinetti()))
    assert line == 2 and message.startswith("Nothing was measured: record the Tinetti test")


def test_a_late_visit_needs_its_deviation_reason_column(clinic, clinic_admin, known):
    late = row(timepoint="week6", assessed_on=day(50))
    (error,) = refused(clinic, clinic_admin, csv_text(late))
    assert error[0] == 2
    assert "The week 6 window closed on" in error[1]
    assert error[1].endswith("Give it in the deviation_reason column.")
    assert "tick" not in error[1]  # the form's way, not the file's


def test_a_late_visit_with_its_reason_is_imported_as_a_deviation(clinic, clinic_admin, known):
    late = row(timepoint="week6", assessed_on=day(50), deviation_reason="Travelled")
    run_import(clinic, clinic_admin, csv_text(row(), late))
    assert Visit.objects.get(timepoint="week6").deviation_reason == "Travelled"
    again = run_import(clinic, clinic_admin, csv_text(row(), late))
    assert again.visits_unchanged == 2  # the reason matches what is recorded


def test_a_visit_before_its_window_is_refused_in_an_import(clinic, clinic_admin, known):
    (error,) = refused(clinic, clinic_admin, csv_text(row(timepoint="week12", assessed_on=day(20))))
    assert "Too early for the week 12 visit: its window opens on" in error[1]


# --- messages fit the door ----------------------------------------------------------------------


def _upload(text, name="past.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_page_says_what_to_choose_on_the_page_not_command_line_flags(
    clinic, clinic_admin, client, known
):
    client.force_login(clinic_admin)
    text = csv_text(row(sts5_s="12.5"), row(study_id="KAN-0999"))
    page = client.post(reverse("assessments:import"), {"file": _upload(text)}).content.decode()
    assert "--" not in page.split("import-errors")[1].split("</table>")[0]
    assert "choose “Sit-to-stand timing in this file” on this page" in page
    page = client.post(
        reverse("assessments:import"), {"file": _upload(text), "sts_convention": "fifth_stand"}
    ).content.decode()
    assert "tick “Register unknown patients” on this page" in page


def test_the_command_names_its_flags(clinic, clinic_admin, known, tmp_path, capsys):
    path = tmp_path / "past.csv"
    path.write_text(csv_text(row(sts5_s="12.5"), row(study_id="KAN-0999")))
    with pytest.raises(CommandError):
        call_command("import_visits", str(path), "--clinic", "kano")
    assert "--sts-convention fifth_stand or fifth_sit" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command(
            "import_visits", str(path), "--clinic", "kano", "--sts-convention", "fifth_sit"
        )
    assert "import with --create-patients" in capsys.readouterr().err


def test_one_visit_and_one_patient_are_counted_in_the_singular(clinic, clinic_admin, known):
    run = run_import(clinic, clinic_admin, csv_text(row()))
    assert run.summary == "Imported 1 visit from past.csv."
    again = run_import(clinic, clinic_admin, csv_text(row()))
    assert again.summary == "Nothing new: the visit in past.csv is already recorded."
    new = run_import(clinic, clinic_admin, csv_text(row(), row(study_id="KAN-0002")),
                     create_patients=True)  # fmt: skip
    assert new.summary == (
        "Imported 1 visit from past.csv (1 visit already recorded was left as recorded); "
        "registered 1 patient with placeholder names and 1 past programme: complete the record."
    )


# --- the file itself ----------------------------------------------------------------------------


def test_a_semicolon_separated_file_is_read(clinic, clinic_admin, known):
    text = csv_text(row()).replace(",", ";")
    run = run_import(clinic, clinic_admin, text)
    assert run.visits_created == 1
    assert Visit.objects.get().tinetti_total == 17


def test_a_decimal_comma_is_refused_with_the_way_to_write_it():
    text = csv_text(row(height_cm="170,5")).replace(",", ";").replace("170;5", "170,5")
    errors = errors_of(text)
    assert any("write decimals with a point" in message for _, message in errors), errors


def test_a_nul_byte_is_refused_with_its_line():
    raw = csv_text(row()).encode()
    raw = raw.replace(b"KAN-0001", b"KAN-\x00001")
    with pytest.raises(ImportRefused) as error:
        imports.read_text(raw)
    ((line, message),) = error.value.errors
    assert line == 2 and "NUL character" in message


def test_a_date_in_year_1_is_refused_even_when_registering_patients(clinic, clinic_admin):
    errors = errors_of(csv_text(row(assessed_on="0001-01-01")))
    assert errors == [(2, "assessed_on 0001-01-01 is before 1900: a typing slip?")]


def test_a_future_date_is_refused_in_the_file():
    errors = errors_of(csv_text(row(assessed_on="9999-12-31")))
    assert errors == [(2, "assessed_on 9999-12-31 is in the future.")]


@pytest.mark.parametrize("age", ["1e30", "-1", "121"])
def test_an_absurd_age_is_refused(age):
    errors = errors_of(csv_text(row(age=age)))
    assert errors == [(2, f"age {age!r} is outside 0 to 120 years.")]


def test_a_header_of_100000_columns_is_refused_at_once():
    header = ",".join(f"c{i}" for i in range(100_000))
    errors = errors_of(header + "\n" + "," * 99_999 + "\n")
    assert errors == [
        (
            1,
            f"The header has 100,000 columns; the long file has {len(HEADER)}. Import the long "
            "export's columns only.",
        )
    ]
    assert MAX_COLUMNS < 1000


def test_the_upload_page_refuses_a_nul_byte_without_a_server_error(clinic_admin, client):
    client.force_login(clinic_admin)
    upload = SimpleUploadedFile("bad.csv", b"study_id\x00,arm\n", content_type="text/csv")
    response = client.post(reverse("assessments:import"), {"file": upload})
    assert response.status_code == 200
    assert "NUL character" in response.content.decode()
    assert not ImportRun.objects.exists()
