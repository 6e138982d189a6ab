"""What the upload page refuses, with a clear message and nothing saved: a file over the page's
size or number of visits (the command takes those), and broken files (not CSV, another
encoding, cut short). A second import while one runs: test_import_concurrency.py."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments import imports
from assessments.forms import MAX_IMPORT_BYTES
from assessments.models import ImportRun, Visit
from patients.models import Patient
from tests.assessments.test_import import csv_text, row

pytestmark = pytest.mark.django_db


def _upload(content: bytes, name="past.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _posted(client, content: bytes, **fields):
    response = client.post(reverse("assessments:import"), {"file": _upload(content), **fields})
    assert response.status_code == 200
    return response.content.decode()


def _nothing_saved():
    return not (Visit.objects.exists() or Patient.objects.exists() or ImportRun.objects.exists())


def _three_patients() -> str:
    return csv_text(*[row(study_id=f"KAN-{n:04d}") for n in range(1, 4)])


def test_the_page_says_what_it_takes_and_how_long_an_import_lasts(admin_client_):
    html = admin_client_.get(reverse("assessments:import")).content.decode()
    assert f"up to {imports.PAGE_MAX_ROWS:,} visits and 2 MB" in html
    assert f"up to {imports.PAGE_SECONDS} seconds" in html
    assert "js/import.js" in html  # says so again once Import is pressed


def test_a_file_over_the_pages_size_is_refused_at_the_field_pointing_to_the_command(
    admin_client_,
):
    text = _three_patients()
    padding = "\n" * (MAX_IMPORT_BYTES - len(text) + 1)  # blank lines: a valid file, too big
    html = _posted(admin_client_, (text + padding).encode(), create_patients="on")
    assert "The file is larger than 2 MB, the most this page imports at once" in html
    assert "manage.py import_visits" in html
    assert _nothing_saved()


def test_a_file_over_the_pages_visits_is_refused_and_the_command_imports_it(
    admin_client_, monkeypatch, tmp_path
):
    monkeypatch.setattr(imports, "PAGE_MAX_ROWS", 2)
    text = _three_patients()
    html = _posted(admin_client_, text.encode(), create_patients="on")
    assert "Nothing was imported" in html
    assert "<td>4</td><td>The file has more than 2 visits, the most this page imports" in html
    assert "manage.py import_visits" in html
    assert _nothing_saved()
    path = tmp_path / "past.csv"
    path.write_text(text, encoding="utf-8")
    call_command("import_visits", str(path), "--clinic", "kano", "--create-patients")
    assert Visit.objects.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # A workbook saved as .xlsx (a zip file), picked by mistake.
        (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00\xb5U0#\xf4", "is not UTF-8 text"),
        # A spreadsheet saved as "CSV" in its own 8-bit encoding.
        (csv_text(row(deviation_reason="Hôpital")).encode("latin-1"), "is not UTF-8 text"),
        # Binary that happens to be UTF-8.
        (b"\x00\x01\x02 not a CSV file", "contains a NUL character"),
    ],
    ids=["xlsx", "latin-1", "binary"],
)
def test_a_file_that_is_not_utf8_csv_is_refused_and_saves_nothing(admin_client_, content, message):
    html = _posted(admin_client_, content, create_patients="on")
    assert "Nothing was imported" in html
    assert message in html
    assert _nothing_saved()


def test_a_file_cut_short_in_a_row_is_refused_at_that_line(admin_client_):
    text = _three_patients()
    html = _posted(
        admin_client_, text[: text.rindex(",KAN-0003,") + 20].encode(), create_patients="on"
    )
    assert "<td>4</td><td>" in html
    assert "cells where the header has" in html
    assert _nothing_saved()


def test_a_file_cut_short_inside_a_character_is_refused(admin_client_):
    content = csv_text(row()).encode()
    content = content.rstrip(b"\r\n") + ",é".encode()[:-1]
    html = _posted(admin_client_, content, create_patients="on")
    assert "is not UTF-8 text" in html
    assert _nothing_saved()
