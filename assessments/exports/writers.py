"""Writers: CSV lines streamed to the response, the XLSX workbook through a temporary file."""

from __future__ import annotations

import csv
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from patients.models import Clinic

from .. import outcomes, stats, tinetti
from ..models import ExportKind
from . import cells, columns, files
from .cells import csv_row, xlsx_cell
from .files import DATA_KINDS, columns_for, dictionary_rows, rows_for

# --- writers ------------------------------------------------------------------------------------


class _Echo:
    """csv.writer writes into this and gets the line back, so each row can be yielded."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    kind: str,
    *,
    clinic: Clinic,
    filters: outcomes.OutcomeFilters,
    deidentified: bool,
    on_finish: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """The file line by line, as it is read from the database; `on_finish(rows)` at the end."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield writer.writerow([c.name for c in columns_for(kind, deidentified)])
    count = 0
    for row in rows_for(kind, clinic, filters, deidentified):
        count += 1
        yield writer.writerow(csv_row(row))
    if on_finish is not None:
        on_finish(count)


def about_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    return [
        ["Legwork outcome export"],
        ["clinic", clinic.slug],
        ["exported at", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")],
        ["de-identified", "yes" if deidentified else "no (identified: for the clinic only)"],
        ["programmes", filters.describe()],
        ["statistics", stats.METHOD_NOTE],
        ["fall-risk banding", tinetti.BANDING_NAME],
        ["sit-to-stand", outcomes.STS_NOTE],
        ["sheets", "long, wide, summary, sessions, dictionary (see the dictionary sheet)"],
    ]


def write_xlsx(
    handle, *, clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool
) -> int:
    """Write the workbook (an About sheet, then every file as a sheet) into the open binary file
    `handle`; returns the data rows written. Write-only mode streams each sheet's rows to a
    temporary file of openpyxl's own, so memory does not grow with the clinic."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    about = workbook.create_sheet("About")
    for row in about_rows(clinic, filters, deidentified):
        about.append([xlsx_cell(value) for value in row])
    total = 0
    for kind in (*DATA_KINDS, ExportKind.DICTIONARY):
        sheet = workbook.create_sheet(str(kind))
        sheet.freeze_panes = "A2"
        header = []
        for column in columns_for(kind, deidentified):
            cell = _header_cell(sheet, column.name, bold)
            header.append(cell)
        sheet.append(header)
        for row in rows_for(kind, clinic, filters, deidentified):
            if kind != ExportKind.DICTIONARY:
                total += 1
            sheet.append([xlsx_cell(value) for value in row])
    workbook.save(handle)
    return total


def _header_cell(sheet, name: str, font: Font):
    cell = WriteOnlyCell(sheet, value=name)
    cell.font = font
    return cell


def xlsx_tempfile(*, clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    """The workbook in an anonymous temporary file (already unlinked, so the operating system
    deletes it when it is closed, also if the download is cut short), rewound for reading.

    A zip file's directory comes at its end, so an XLSX cannot be sent while it is being
    written; a temporary file on the server's own temp directory keeps it out of memory and is
    gone once the response closes it (no state is left behind on the app server).
    """
    # Not a context manager: the FileResponse closes (and so deletes) it after sending.
    handle = tempfile.TemporaryFile(prefix="legwork-export-", suffix=".xlsx")  # noqa: SIM115
    try:
        rows = write_xlsx(handle, clinic=clinic, filters=filters, deidentified=deidentified)
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle, rows


def filename(kind: str, clinic: Clinic, deidentified: bool) -> str:
    suffix = "xlsx" if kind == ExportKind.XLSX else "csv"
    label = "deidentified" if deidentified else "identified"
    return f"{clinic.slug}-{kind}-{label}-{timezone.localdate():%Y-%m-%d}.{suffix}"


# Triggers a reader cannot see, by name; any other is shown as it is.
_INVISIBLE_TRIGGERS = {"\t": "a tab", "\r": "a carriage return"}


def _formula_triggers() -> str:
    """cells.FORMULA_TRIGGERS in words: "= + - @ | ＝ ＋ － ＠, a tab or a carriage return"."""
    shown = " ".join(c for c in cells.FORMULA_TRIGGERS if c not in _INVISIBLE_TRIGGERS)
    named = [_INVISIBLE_TRIGGERS[c] for c in cells.FORMULA_TRIGGERS if c in _INVISIBLE_TRIGGERS]
    return ", ".join([shown, *named[:-1]]) + (f" or {named[-1]}" if named else "")


def _path(module) -> str:
    """The module's file from the project's root, so the page never names a file that moved."""
    return (
        Path(module.__file__).resolve().relative_to(Path(__file__).resolve().parents[2]).as_posix()
    )


def dictionary_markdown() -> str:
    """docs/data-dictionary.md, generated from the same column definitions as the files (a test
    checks the document is current)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Data dictionary of the outcome exports",
        "",
        f"Generated from the column definitions of the files (`{_path(columns)}` and "
        f"`{_path(files)}`) by `dictionary_markdown()` in `{_path(sys.modules[__name__])}`; "
        "a test fails when this page is out of date.",
        "",
        "Files: `long` (one row per visit), `wide` (one row per patient programme), `summary` "
        "(the results table), `sessions` (per patient programme, week and exercise). The "
        "workbook has each as a sheet, with an About sheet and this dictionary.",
        "",
        "De-identified files: `assessed_on` becomes `study_day` (and `assessed_on_<timepoint>` "
        "becomes `study_day_<timepoint>`), `programme_start` is left out, and `age` of 90 or "
        "more is written `90+`. No file has names, dates of birth, phone numbers or notes; "
        "`deviation_reason` (free text) is in identified files only.",
        "",
        "Counting days and weeks: the programme's first day is study day 0 (the day after it "
        "is study day 1; a day before it is negative), and week 1 is study days 0-6, as in the "
        "trial's schedule. The app's pages count the same way.",
        "",
        "Protocol deviations: a week-6 or week-12 visit recorded after its window closed "
        "(`protocol_deviation` = 1) is kept, with the clinician's reason. The outcomes page "
        "includes them by default, or leaves them out when asked; every file follows the same "
        "choice (a left-out visit is absent from the long file and empty in the wide file), and "
        "the export log records it.",
        "",
        "How each measure was taken: `sts_convention` (when the five-times sit-to-stand timer "
        "was stopped), `chair_arms_needed` and `walk_aid` are the last columns of the long file "
        "and, per visit, of the wide file. Times taken with different conventions are not "
        "comparable: the wide file leaves the change empty when baseline and the later visit "
        "were timed differently, and the summary has a row per convention "
        "(`sts5_s_fifth_stand`, `sts5_s_fifth_sit`) instead of one pooled `sts5_s`.",
        "",
        f"Empty cell: not measured. Text starting with {_formula_triggers()} is written with a "
        "leading apostrophe so a spreadsheet cannot run it as a formula.",
        "",
        "| field | label | type | allowed values | unit | identifier | files |",
        "|---|---|---|---|---|---|---|",
    ]
    extra = [row for row in dictionary_rows(True) if row[0] == "study_day"]
    for row in [*dictionary_rows(False), *extra]:
        lines.append("| " + " | ".join(cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"
