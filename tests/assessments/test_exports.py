"""The research files: columns and values, de-identification, formula neutralisation,
streaming, the export log, the workbook and the command line."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.db.models.query import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse

from assessments import exports, tinetti
from assessments.exports import cells, writers
from assessments.models import ExportLog
from assessments.outcomes import OutcomeFilters
from programmes.models import Arm
from tests.assessments import outcome_data
from tests.factories import ExerciseFactory
from tests.programmes.helpers import assign, log

LONG_HEADER = (
    "clinic,study_id,arm,programme,timepoint,study_week,assessed_on,sex,age,aetiology,"
    + ",".join(f"tinetti_{code}" for code in tinetti.CODES)
    + ",tinetti_balance,tinetti_gait,tinetti_total,tinetti_risk,walk6_m,walk6_pct_predicted,"
    "chair30_stands,sts5_s,pain_nrs,height_cm,weight_kg,protocol_deviation,deviation_reason,"
    "sts_convention,chair_arms_needed,walk_aid"
)


def read(kind, clinic, *, deidentified=False, filters=None):
    text = "".join(
        exports.csv_lines(
            kind, clinic=clinic, filters=filters or OutcomeFilters(), deidentified=deidentified
        )
    )
    return list(csv.DictReader(io.StringIO(text))), text


@pytest.fixture
def data(clinic, clinician):
    return outcome_data.build(clinic, clinician)


def test_the_tinetti_columns_follow_the_order_of_the_paper_form():
    names = [c.name for c in exports.long_columns(deidentified=False)]
    assert names[10:30] == [f"tinetti_{item.code}" for item in tinetti.ITEMS]
    assert names[10] == "tinetti_sitting_balance" and names[29] == "tinetti_walking_stance"


@pytest.mark.django_db
def test_the_long_file_has_the_agreed_columns_and_one_row_per_visit(clinic, data):
    rows, text = read("long", clinic)
    assert text.splitlines()[0] == LONG_HEADER
    assert len(rows) == 12
    first = rows[0]
    assert first["clinic"] == "kano" and first["study_id"] == "KAN-0001"
    assert (first["arm"], first["programme"], first["timepoint"]) == (
        "intervention",
        "1",
        "baseline",
    )
    assert (first["study_week"], first["assessed_on"]) == ("1", "2025-01-06")
    assert (first["sex"], first["age"], first["aetiology"]) == ("male", "49", "hiv_dsp")
    assert (first["tinetti_balance"], first["tinetti_gait"], first["tinetti_total"]) == (
        "10",
        "7",
        "17",
    )
    assert first["tinetti_risk"] == "high"
    # Enright & Sherrill, man aged 49, 170 cm, 70 kg: 7.57*170 - 5.02*49 - 1.76*70 - 309
    # = 608.72 m predicted; 400 / 608.72 = 65.7 %
    assert first["walk6_m"] == "400" and first["walk6_pct_predicted"] == "65.7"
    assert (first["height_cm"], first["weight_kg"], first["pain_nrs"]) == ("170.0", "70.0", "6")
    week12 = rows[2]
    assert (week12["timepoint"], week12["study_week"], week12["assessed_on"]) == (
        "week12",
        "12",
        "2025-03-24",
    )


@pytest.mark.django_db
def test_a_measure_not_taken_is_an_empty_cell(clinic, data):
    rows, _ = read("long", clinic)
    week6 = rows[1]
    assert week6["walk6_m"] == week6["chair30_stands"] == week6["sts5_s"] == ""
    kan2 = next(r for r in rows if r["study_id"] == "KAN-0002" and r["timepoint"] == "baseline")
    assert (kan2["chair30_stands"], kan2["sts5_s"], kan2["pain_nrs"]) == ("8", "16.5", "")


@pytest.mark.django_db
def test_a_visit_without_the_tinetti_leaves_all_its_tinetti_cells_empty(clinic, clinician):
    outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0100",
        arm=Arm.CONTROL,
        visits={"baseline": (None, None, {"pain_nrs": 2})},
    )
    rows, _ = read("long", clinic)
    assert all(rows[0][f"tinetti_{c}"] == "" for c in tinetti.CODES)
    assert rows[0]["tinetti_total"] == rows[0]["tinetti_risk"] == ""
    assert rows[0]["pain_nrs"] == "2"


@pytest.mark.django_db
def test_the_wide_file_has_one_row_per_programme_with_timepoint_and_change_columns(clinic, data):
    rows, text = read("wide", clinic)
    header = text.splitlines()[0].split(",")
    assert header[:10] == [
        "clinic",
        "study_id",
        "arm",
        "programme",
        "template",
        "status",
        "programme_start",
        "sex",
        "age",
        "aetiology",
    ]
    for name in ("tinetti_total_baseline", "tinetti_total_week6", "tinetti_total_week12"):
        assert name in header
    assert header.index("tinetti_total_week6") == header.index("tinetti_total_baseline") + 1
    assert len(rows) == 5
    kan1 = rows[0]
    assert (kan1["tinetti_total_baseline"], kan1["tinetti_total_week12"]) == ("17", "26")
    assert kan1["tinetti_total_change_week12"] == "9"
    assert kan1["pain_nrs_change_week12"] == "-3"
    assert kan1["walk6_m_change_week12"] == "60"
    assert kan1["assessed_on_week6"] == "2025-02-10"
    kan3 = rows[2]
    assert kan3["tinetti_total_week6"] == kan3["tinetti_total_change_week6"] == ""


def timed_both_ways(clinic, clinician):
    """A programme whose sit-to-stand was timed to the fifth stand at baseline and week 12, and
    to the fifth sit at week 6; the arms needed at baseline, a stick in the week-6 walk."""
    return outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0400",
        arm=Arm.CONTROL,
        visits={
            "baseline": (
                10,
                7,
                {
                    "sts_seconds": Decimal("12.0"),
                    "sts_convention": "fifth_stand",
                    "chair_stands": 0,
                    "chair_arms_needed": True,
                },
            ),
            "week6": (
                10,
                7,
                {
                    "sts_seconds": Decimal("20.0"),
                    "sts_convention": "fifth_sit",
                    "walk_distance_m": 300,
                    "walk_aid": "stick",
                    "chair_stands": 8,
                },
            ),
            "week12": (10, 7, {"sts_seconds": Decimal("10.5"), "sts_convention": "fifth_stand"}),
        },
    )


@pytest.mark.django_db
def test_the_long_file_says_how_each_measure_was_taken(clinic, clinician):
    timed_both_ways(clinic, clinician)
    rows, _ = read("long", clinic)
    taken = [
        (
            r["sts5_s"],
            r["sts_convention"],
            r["chair30_stands"],
            r["chair_arms_needed"],
            r["walk_aid"],
        )
        for r in rows
    ]
    assert taken == [
        ("12.0", "fifth_stand", "0", "1", ""),
        ("20.0", "fifth_sit", "8", "0", "stick"),
        ("10.5", "fifth_stand", "", "", ""),
    ]


@pytest.mark.django_db
def test_the_wide_file_never_subtracts_times_taken_with_different_conventions(clinic, clinician):
    timed_both_ways(clinic, clinician)
    (row,), text = read("wide", clinic)
    header = text.splitlines()[0].split(",")
    assert header[-9:] == [
        f"{name}_{t}"
        for name in ("sts_convention", "chair_arms_needed", "walk_aid")
        for t in ("baseline", "week6", "week12")
    ]
    assert [row[f"sts_convention_{t}"] for t in ("baseline", "week6", "week12")] == [
        "fifth_stand",
        "fifth_sit",
        "fifth_stand",
    ]
    assert row["sts5_s_week6"] == "20.0"
    assert row["sts5_s_change_week6"] == ""  # fifth stand, then fifth sit: not comparable
    assert row["sts5_s_change_week12"] == "-1.5"  # the same convention at both
    assert (row["chair_arms_needed_baseline"], row["chair_arms_needed_week6"]) == ("1", "0")
    assert (row["walk_aid_baseline"], row["walk_aid_week6"]) == ("", "stick")


@pytest.mark.django_db
def test_the_summary_file_has_a_sit_to_stand_row_per_convention_and_none_pooled(clinic, clinician):
    timed_both_ways(clinic, clinician)
    rows, _ = read("summary", clinic)
    control = {(r["timepoint"], r["measure"]): r for r in rows if r["arm"] == "control"}
    assert not any(measure == "sts5_s" for _, measure in control)
    assert control[("week6", "sts5_s_fifth_sit")]["median"] == "20"
    assert control[("week6", "sts5_s_fifth_stand")]["n"] == "0"
    assert control[("change_week6", "sts5_s_fifth_stand")]["n"] == "0"
    assert control[("change_week6", "sts5_s_fifth_sit")]["n"] == "0"
    assert control[("change_week12", "sts5_s_fifth_stand")]["median"] == "-1.5"


@pytest.mark.django_db
def test_the_summary_file_is_the_results_table_as_rows(clinic, data):
    rows, text = read("summary", clinic)
    assert text.splitlines()[0] == "arm,timepoint,measure,n,median,q1,q3"
    row = next(
        r
        for r in rows
        if (r["arm"], r["timepoint"], r["measure"])
        == ("intervention", "change_week12", "tinetti_total")
    )
    assert (row["n"], row["median"], row["q1"], row["q3"]) == ("3", "8", "6", "8.5")
    empty = next(r for r in rows if r["measure"] == "walk6_m" and r["arm"] == "control")
    assert (empty["n"], empty["median"]) == ("0", "")


@pytest.mark.django_db
def test_the_sessions_file_counts_sessions_and_loads_week_by_week(clinic, clinician, patient):
    programme = assign(patient, clinician, days_ago=15)
    log(programme, clinician, days_ago=14)
    log(programme, clinician, days_ago=12)
    log(programme, clinician, days_ago=3)
    rows, text = read("sessions", clinic)
    assert text.splitlines()[0] == (
        "clinic,study_id,arm,programme,week,sessions_planned,sessions_supervised,sessions_home,"
        "exercise_order,exercise,planned_sets,planned_reps,planned_load_kg,used_load_kg"
    )
    exercises = programme.exercises.count()
    assert len(rows) == 3 * exercises  # weeks 1 to 3 have begun
    week1 = [r for r in rows if r["week"] == "1"]
    assert {r["sessions_supervised"] for r in week1} == {"2"}
    assert {r["sessions_planned"] for r in week1} == {"3"}
    first = week1[0]
    assert first["exercise_order"] == "1" and first["exercise"]
    assert first["used_load_kg"] == first["planned_load_kg"] != ""
    week2 = [r for r in rows if r["week"] == "2"]  # days 7-13: the session 3 days ago
    assert {r["sessions_supervised"] for r in week2} == {"1"}
    week3 = [r for r in rows if r["week"] == "3"]  # begins today, nothing done yet
    assert {r["sessions_supervised"] for r in week3} == {"0"}
    assert {r["used_load_kg"] for r in week3} == {""}


@pytest.mark.django_db
def test_a_control_programme_has_one_sessions_row_a_week_with_none_planned(clinic, clinician):
    outcome_data.programme_with_visits(
        clinic, clinician, study_id="KAN-0200", arm=Arm.CONTROL, visits={}
    )
    rows, _ = read("sessions", clinic)
    assert len(rows) == 12
    assert {r["sessions_planned"] for r in rows} == {"0"}
    assert {r["exercise"] for r in rows} == {""}


@pytest.mark.django_db
def test_the_dictionary_gives_each_fields_label_type_codes_unit_and_identifier(clinic):
    rows, text = read("dictionary", clinic)
    assert text.splitlines()[0] == "field,label,type,allowed_values,unit,identifier,files"
    by_field = {r["field"]: r for r in rows}
    line = by_field["tinetti_sitting_balance"]
    assert line["allowed_values"] == "0 = leans or slides in the chair | 1 = steady, safe"
    assert line["type"] == "code"
    assert by_field["assessed_on"]["identifier"] == "yes"
    assert by_field["walk6_m"]["unit"] == "m"
    assert by_field["study_id"]["identifier"] == "no"
    assert by_field["tinetti_total_change_week12"]["files"] == "wide"
    every_column = {c.name for kind in exports.DATA_KINDS for c in exports.columns_for(kind, False)}
    assert set(by_field) == every_column


# --- de-identification --------------------------------------------------------------------


def _identifiers(programmes):
    """Every direct identifier and full date the clinic holds about these patients."""
    found = set()
    for programme in programmes:
        patient = programme.patient
        found |= {patient.given_name, patient.family_name, patient.phone, patient.notes}
        found |= {patient.date_of_birth.isoformat(), programme.start_date.isoformat()}
        for visit in programme.visits.all():
            found |= {visit.assessed_on.isoformat(), visit.notes}
    return {value for value in found if value}


@pytest.mark.django_db
def test_no_identifier_is_in_any_de_identified_file(clinic, clinician):
    made = outcome_data.build(clinic, clinician)
    for n, programme in enumerate(made):
        patient = programme.patient
        # Distinctive names: a generated one ("Day") could be a word of the dictionary.
        patient.given_name, patient.family_name = f"Zuwaira{n}", f"Okonkwo{n}"
        patient.phone, patient.notes = "+234 803 555 0101", "Lives with daughter Adaeze"
        patient.save()
        programme.visits.update(notes="Came with her sister Zainab")
    secrets = _identifiers(made)
    assert "Zainab" in " ".join(secrets)
    for kind in ("long", "wide", "summary", "sessions", "dictionary"):
        _, text = read(kind, clinic, deidentified=True)
        leaked = [value for value in secrets if value in text]
        assert not leaked, (kind, leaked)
    handle, _ = exports.xlsx_tempfile(clinic=clinic, filters=OutcomeFilters(), deidentified=True)
    workbook = openpyxl.load_workbook(handle, read_only=True)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not isinstance(value, date), (sheet.title, value)
                assert not any(secret in str(value) for secret in secrets), (sheet.title, value)
    handle.close()


@pytest.mark.django_db
def test_de_identified_files_count_days_from_the_start_and_group_ages_from_90(clinic, data):
    rows, text = read("long", clinic, deidentified=True)
    header = text.splitlines()[0].split(",")
    assert header[6] == "study_day" and "assessed_on" not in header
    assert [r["study_day"] for r in rows[:3]] == ["0", "35", "77"]
    assert rows[0]["age"] == "49"
    kan3 = next(r for r in rows if r["study_id"] == "KAN-0003")
    assert kan3["age"] == "90+"
    assert kan3["study_id"] == "KAN-0003"  # the study ID is kept
    identified, _ = read("long", clinic)
    assert next(r for r in identified if r["study_id"] == "KAN-0003")["age"] == "94"
    wide, wide_text = read("wide", clinic, deidentified=True)
    assert "programme_start" not in wide_text.splitlines()[0]
    assert wide[0]["study_day_week12"] == "77"


# --- formula neutralisation ---------------------------------------------------------------

# Every start of a cell that a spreadsheet may read as a formula, written out here rather than
# read from the rule (exports.cells.FORMULA_TRIGGERS), so that dropping one fails these tests:
# = + - @, tab and carriage return, "|", and the full-width = + - @.
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20"]


def prefix_id(prefix):
    return f"U+{ord(prefix):04X}"


def test_the_rule_neutralises_exactly_these_prefixes():
    assert sorted(cells.FORMULA_TRIGGERS) == sorted(FORMULA_PREFIXES)


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-2+3",
        "@SUM(A1)",
        '=HYPERLINK("http://x")',
        "\t=1",
        "\r=1",
        "|cmd",
        "\uff1d1+1",
        "\uff0b1",
        "\uff0d2+3",
        "\uff20SUM(A1)",
    ],
)
def test_text_that_would_start_a_formula_is_neutralised(text):
    assert exports.neutralise(text) == "'" + text
    assert exports.unneutralise(exports.neutralise(text)) == text
    assert cells.csv_cell(text) == "'" + text
    assert cells.csv_row([text]) == ["'" + text]
    assert cells.xlsx_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [-3, -2.5, Decimal("-1.5"), 0, 17, None, "KAN-0001", "high", "a=b", "90+", date(2025, 1, 6)],
)
def test_numbers_dates_and_ordinary_text_pass_unchanged(value):
    assert exports.neutralise(value) == value


@pytest.mark.parametrize("value", [-3, -1.5, Decimal("-1.5")])
def test_negative_numbers_are_written_as_numbers(value):
    assert cells.xlsx_cell(value) == value and not isinstance(cells.xlsx_cell(value), str)
    assert cells.csv_cell(value) == str(value)
    assert cells.csv_row([value]) in ([value], [str(value)])


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", FORMULA_PREFIXES, ids=prefix_id)
def test_spreadsheet_formulas_in_the_clinics_data_are_neutralised_in_every_format(
    prefix, clinic, clinician, patient
):
    study_id = prefix + 'HYPERLINK("http://evil")'
    name = prefix + "SUM(1+1)"
    patient.study_id = study_id
    patient.save()
    exercise = ExerciseFactory(clinic=clinic, name=name)
    programme = assign(patient, clinician, days_ago=3)
    pe = programme.exercises.first()
    pe.exercise = exercise
    pe.save()
    rows, _ = read("sessions", clinic)
    assert rows[0]["study_id"] == "'" + study_id
    assert rows[0]["exercise"] == "'" + name
    handle, _ = exports.xlsx_tempfile(clinic=clinic, filters=OutcomeFilters(), deidentified=False)
    workbook = openpyxl.load_workbook(handle)
    sheet = workbook["sessions"]
    for cell, text in (("B2", study_id), ("J2", name)):
        # (An XML reader reads a carriage return in the file's text as a line feed.)
        assert sheet[cell].value == "'" + text.replace("\r", "\n")
        assert sheet[cell].data_type == "s"  # text, not a formula
    handle.close()


@pytest.mark.django_db
def test_negative_numbers_stay_numbers(clinic, data):
    rows, _ = read("wide", clinic)
    assert rows[0]["pain_nrs_change_week12"] == "-3"
    handle, _ = exports.xlsx_tempfile(clinic=clinic, filters=OutcomeFilters(), deidentified=False)
    sheet = openpyxl.load_workbook(handle)["wide"]
    header = [cell.value for cell in sheet[1]]
    value = sheet.cell(row=2, column=header.index("pain_nrs_change_week12") + 1).value
    assert value == -3 and isinstance(value, int)
    handle.close()


# --- the workbook -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_workbook_has_every_file_as_a_sheet_with_real_numbers_and_dates(clinic, data):
    handle, rows = exports.xlsx_tempfile(
        clinic=clinic, filters=OutcomeFilters(), deidentified=False
    )
    workbook = openpyxl.load_workbook(handle)
    assert workbook.sheetnames == ["About", "long", "wide", "summary", "sessions", "dictionary"]
    long = workbook["long"]
    assert [c.value for c in long[1]] == LONG_HEADER.split(",")
    assert long["G2"].value.date() == date(2025, 1, 6)
    assert long["AG2"].value == 17  # tinetti_total, a number
    assert rows == 12 + 5 + 80 + 60  # the summary: 2 arms x 5 columns x 8 measures
    assert workbook["dictionary"]["A1"].value == "field"
    handle.close()


# --- streaming ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_csv_download_streams_rows_as_they_are_read_in_chunks(
    clinic, clinician, client, data, monkeypatch, django_assert_num_queries
):
    chunk_sizes = []
    real_iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    client.force_login(clinician)
    response = client.get(reverse("assessments:export_long"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="kano-long-deidentified-' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    stream = iter(response.streaming_content)
    with django_assert_num_queries(0):
        header = next(stream)  # sent before a single row is read
    assert header.startswith(b"clinic,study_id")
    assert chunk_sizes == []
    next(stream)
    # The visits, and the programmes' numbers read beside them, each with a server-side cursor
    # in chunks, never all at once.
    assert chunk_sizes == [exports.CHUNK, exports.CHUNK]
    rest = b"".join(stream)
    assert rest.count(b"\r\n") == 11


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["long", "wide", "summary", "sessions"])
def test_every_file_reads_the_database_in_chunks(clinic, data, monkeypatch, kind):
    chunk_sizes = []
    real_iterator = QuerySet.iterator

    def spy(self, chunk_size=None):
        chunk_sizes.append(chunk_size)
        return real_iterator(self, chunk_size=chunk_size)

    monkeypatch.setattr(QuerySet, "iterator", spy)
    read(kind, clinic)
    if kind == "summary" and connection.vendor == "postgresql":
        # PostgreSQL returns the summary's few rows themselves (outcomes.results_in_database).
        assert chunk_sizes == []
    else:
        assert chunk_sizes and all(size for size in chunk_sizes), chunk_sizes


@pytest.mark.django_db
def test_the_workbook_download_is_a_temporary_file_sent_in_blocks(
    clinic, clinic_admin, client, monkeypatch
):
    made = []
    real = writers.tempfile.TemporaryFile

    def recording(*args, **kwargs):
        made.append(real(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(writers.tempfile, "TemporaryFile", recording)
    client.force_login(clinic_admin)
    response = client.get(reverse("assessments:export_xlsx"), {"identified": "1"})
    assert isinstance(response, FileResponse)
    (handle,) = made
    # An anonymous temporary file: it has no path on disk to leave behind.
    assert isinstance(handle.name, int)
    body = b"".join(response.streaming_content)
    assert body[:2] == b"PK"
    # Closing the response (as the server does when done) closes, and so deletes, the file;
    # without closing the test's database connection, as the end of a real request would.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert handle.closed


# --- who may download what, and the log ---------------------------------------------------


@pytest.mark.django_db
def test_a_clinician_cannot_download_an_identified_file_and_nothing_is_logged(
    clinic, clinician, client
):
    client.force_login(clinician)
    for kind in ("long", "xlsx"):
        url = reverse(f"assessments:export_{kind}")
        assert client.get(url, {"identified": "1"}).status_code == 403
    assert not ExportLog.objects.exists()


@pytest.mark.django_db
def test_every_export_is_logged_with_who_what_filters_and_rows(
    clinic, clinic_admin, clinician, client, data
):
    client.force_login(clinician)
    response = client.get(reverse("assessments:export_long"), {"aetiology": "hiv_dsp"})
    b"".join(response.streaming_content)
    entry = ExportLog.objects.get()
    assert (entry.user, entry.clinic, entry.kind, entry.deidentified) == (
        clinician,
        clinic,
        "long",
        True,
    )
    assert entry.filters == {"aetiology": "hiv_dsp"}
    assert entry.rows == 12 and entry.finished_at is not None
    client.force_login(clinic_admin)
    b"".join(client.get(reverse("assessments:export_xlsx"), {"identified": "1"}).streaming_content)
    latest = ExportLog.objects.first()
    assert (latest.kind, latest.deidentified, latest.rows) == ("xlsx", False, 157)
    page = client.get(reverse("assessments:export_log")).content.decode()
    assert "Long CSV (one row per visit)" in page
    assert "Aetiology: hiv_dsp" in page
    assert "No (identified)" in page


@pytest.mark.django_db
def test_a_download_cut_short_stays_in_the_log_without_a_row_count(clinic, clinician, client, data):
    client.force_login(clinician)
    response = client.get(reverse("assessments:export_long"))
    next(iter(response.streaming_content))  # the client goes away after the first line
    entry = ExportLog.objects.get()
    assert entry.rows is None and entry.finished_at is None


# --- the command line ---------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_writes_a_file_to_standard_output_and_logs_it(clinic, data):
    out = io.StringIO()
    call_command(
        "export_outcomes", "--clinic", "kano", "--format", "long", "--deidentified", stdout=out
    )
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert len(rows) == 12 and "study_day" in rows[0]
    entry = ExportLog.objects.get()
    assert entry.via_command and entry.user is None and entry.rows == 12 and entry.deidentified


@pytest.mark.django_db
def test_the_command_writes_the_workbook_to_a_file(clinic, data, tmp_path):
    target = tmp_path / "out.xlsx"
    call_command(
        "export_outcomes",
        "--clinic",
        "kano",
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--status",
        "active",
        stderr=io.StringIO(),
    )
    workbook = openpyxl.load_workbook(target)
    assert workbook["long"].max_row == 13
    assert ExportLog.objects.get().filters == {"programme_status": "active"}


@pytest.mark.django_db
def test_the_command_refuses_an_unknown_clinic(db):
    with pytest.raises(CommandError, match="No clinic with the short name 'nowhere'"):
        call_command("export_outcomes", "--clinic", "nowhere", "--format", "long")


@pytest.mark.django_db
def test_the_command_applies_the_date_filters(clinic, data):
    out = io.StringIO()
    later = (outcome_data.START + timedelta(days=1)).isoformat()
    call_command(
        "export_outcomes", "--clinic", "kano", "--format", "wide", "--start-from", later, stdout=out
    )
    assert out.getvalue().count("\r\n") == 1  # the header only


def test_the_data_dictionary_document_is_current():
    from pathlib import Path

    document = Path(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"
    assert document.read_text(encoding="utf-8") == exports.dictionary_markdown(), (
        "Regenerate docs/data-dictionary.md from assessments.exports.dictionary_markdown()"
    )


@pytest.mark.django_db
def test_the_sessions_file_counts_home_sessions_apart(clinic, clinician, patient):
    from programmes.models import ExerciseSession

    programme = assign(patient, clinician, days_ago=10)
    log(programme, clinician, days_ago=9)
    ExerciseSession.objects.create(
        programme=programme,
        source="home",
        date=programme.start_date + timedelta(days=2),
        week=1,
        effort=4,
        pain_after=2,
    )
    rows, _ = read("sessions", clinic)
    week1 = [r for r in rows if r["week"] == "1"]
    assert {(r["sessions_supervised"], r["sessions_home"]) for r in week1} == {("1", "1")}
