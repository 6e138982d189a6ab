"""Reading past visits from the long CSV format (the long export, identified).

This module checks each row on its own (columns, codes, ranges, Tinetti lines against their
stated subtotals) and returns plain rows; `services.visits_import` then checks them against the
clinic's records and saves all of them or none. Every problem is reported with its line number,
so one pass over a file lists everything to correct.

Derived columns (the Tinetti subtotals, total and risk band, study_week, age,
walk6_pct_predicted) are recomputed by the app, never trusted: a stated Tinetti subtotal or total
that disagrees with its lines is an error; the others are ignored, except that `age` is used to
estimate a date of birth for a patient registered by --create-patients.

How each measure was taken (`sts_convention`, `chair_arms_needed`, `walk_aid`, the long file's
last columns) is stored as the file says, so an export imports back as it was. A file written
before these columns (or with an empty `sts_convention` beside a time) takes the sit-to-stand
timing chosen for the whole file at import.
"""

from __future__ import annotations

import csv
import io
import sys
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from patients import study_ids
from patients.models import Aetiology, Sex
from programmes.models import Arm

from . import import_cells as cell
from . import tinetti
from .exports import long_columns, unneutralise
from .models import (
    DEVIATION_REASON_MAX_CHARS,
    MEASURE_RANGES,
    StsConvention,
    Timepoint,
    WalkingAid,
)

MAX_ROWS = 100_000  # a clinic's whole history fits many times over; a bigger file is a mistake
# What the upload page takes: an import of this size finishes in seconds on a small 2-core
# server, far inside a web worker's 30-second timeout (docs/decisions/0006-bulk-import.md).
# A bigger file goes through the command, which takes MAX_ROWS.
PAGE_MAX_ROWS = 5_000
PAGE_MAX_BYTES = 2 * 1024 * 1024
PAGE_SECONDS = 20  # what the page says the longest import it takes can last
FOR_THE_COMMAND = (
    "split the file, or have it imported with the command "
    f"(manage.py import_visits --clinic SLUG FILE, up to {MAX_ROWS:,} rows: see the README)"
)
# The long file has under a hundred columns; a header far wider is not one (and checking each
# name against the others must stay cheap).
MAX_COLUMNS = 300
MAX_AGE = 120  # years: only used to estimate a date of birth

KNOWN_COLUMNS = [c.name for c in long_columns(deidentified=False)]
REQUIRED_COLUMNS = ["study_id", "arm", "programme", "timepoint", "assessed_on"]

# Export column -> (visit field, kind), for the measures an import stores.
IMPORTED_MEASURE_COLUMNS = {
    "walk6_m": ("walk_distance_m", int),
    "chair30_stands": ("chair_stands", int),
    "sts5_s": ("sts_seconds", Decimal),
    "pain_nrs": ("pain_nrs", int),
    "height_cm": ("height_cm", Decimal),
    "weight_kg": ("weight_kg", Decimal),
}


class ImportRefused(Exception):
    """The file cannot be imported; `errors` lists (line, message) for every problem found."""

    def __init__(self, errors: list[tuple[int, str]]):
        self.errors = sorted(errors)
        super().__init__(f"{len(self.errors)} problem(s); nothing was saved.")


@dataclass(slots=True)  # slots: a file's rows are held at once, so each is kept small
class ImportRow:
    line: int
    study_id: str
    arm: str
    programme: int
    timepoint: str
    assessed_on: date
    clinic: str = ""
    sex: str = ""
    aetiology: str = ""
    age: int | None = None
    deviation_reason: str = ""
    # The 20 Tinetti lines in tinetti.CODES order (a tuple takes a sixth of a dict's memory).
    tinetti_scores: tuple[int, ...] | None = None
    measures: dict = field(default_factory=dict)  # visit field -> value (None when empty)

    @property
    def tinetti_lines(self) -> dict[str, int] | None:
        """Line code -> score, or None when the test was not done."""
        if self.tinetti_scores is None:
            return None
        return dict(zip(tinetti.CODES, self.tinetti_scores, strict=True))

    @property
    def visit_key(self) -> tuple:
        """What identifies the visit: a scheduled timepoint once per programme, other visits
        once per programme and day (the model's unique constraints)."""
        day = None if self.timepoint in ("baseline", "week6", "week12") else self.assessed_on
        return (self.study_id, self.programme, self.timepoint, day)


def read_text(raw: bytes) -> str:
    """Decode an uploaded file: UTF-8, with or without the byte-order mark Excel adds."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [(0, "The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again.")]
        ) from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportRefused(
            [
                (
                    line,
                    "The file contains a NUL character, which a CSV file never has: it may be "
                    "a spreadsheet saved in another format. Save it as 'CSV UTF-8' and try again.",
                )
            ]
        )
    return text


def delimiter(text: str) -> str:
    """Comma, or semicolon for a file saved by a spreadsheet in a locale with a decimal comma:
    whichever the header line has more of (the long file's names contain neither)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def _csv_records(text: str):
    """The file's records; a malformed one (e.g. a cell over the csv module's size limit) is
    refused with its line number rather than failing the request."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        yield from reader
    except csv.Error as error:
        raise ImportRefused(
            [(reader.line_num, f"The file cannot be read as CSV: {error}.")]
        ) from error


def parse(text: str, *, clinic_slug: str, max_rows: int = MAX_ROWS) -> list[ImportRow]:
    """Check every row of a long CSV; return them all, or raise ImportRefused listing each error.
    A file of more than `max_rows` visits is refused at the first row beyond them."""
    reader = _csv_records(text)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise ImportRefused([(1, "The file is empty: it needs the long export's header row.")])
    if len(header) > MAX_COLUMNS:
        raise ImportRefused(
            [
                (
                    1,
                    f"The header has {len(header):,} columns; the long file has "
                    f"{len(KNOWN_COLUMNS)}. Import the long export's columns only.",
                )
            ]
        )
    header = [h.strip() for h in header]
    _check_header(header)
    rows, errors, seen, counted = [], [], {}, 0
    for number, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue  # blank line, e.g. at the end of a file saved by a spreadsheet
        counted += 1
        if counted > max_rows:
            raise ImportRefused([(number, too_many_rows(max_rows))])
        if len(values) != len(header):
            errors.append(
                (number, f"{len(values)} cells where the header has {len(header)} columns.")
            )
            continue
        cells = {
            name: unneutralise(value.strip()) for name, value in zip(header, values, strict=True)
        }
        row_errors: list[str] = []
        row = _parse_row(number, cells, clinic_slug, row_errors)
        if row is not None and not row_errors:
            first = seen.setdefault(row.visit_key, number)
            if first != number:
                row_errors.append(f"The file has this visit twice (lines {first} and {number}).")
        errors += [(number, message) for message in row_errors]
        if row is not None and not row_errors:
            rows.append(row)
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([(2, "The file has a header but no visits.")])
    return rows


def too_many_rows(max_rows: int) -> str:
    if max_rows >= MAX_ROWS:
        return f"The file has more than {max_rows:,} rows."
    return (
        f"The file has more than {max_rows:,} visits, the most this page imports at once: "
        f"{FOR_THE_COMMAND}."
    )


def _check_header(header: list[str]) -> None:
    if "study_day" in header and "assessed_on" not in header:
        raise ImportRefused(
            [
                (
                    1,
                    "This is a de-identified file (study_day instead of the visit dates): "
                    "import needs the identified long file, with assessed_on.",
                )
            ]
        )
    errors = []
    unknown = [name for name in header if name not in KNOWN_COLUMNS]
    if unknown:
        errors.append(
            "Unknown column(s): "
            + ", ".join(unknown)
            + ". The import reads the long export's columns only; remove or rename these."
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        errors.append("Column(s) named twice: " + ", ".join(repeated) + ".")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        errors.append("Missing column(s): " + ", ".join(missing) + ".")
    if errors:
        raise ImportRefused([(1, message) for message in errors])


def _parse_row(number: int, cells: dict, clinic_slug: str, errors: list[str]) -> ImportRow | None:
    clinic = sys.intern(cells.get("clinic", ""))
    if clinic and clinic != clinic_slug:
        errors.append(
            f"clinic {clinic!r} is not this clinic ({clinic_slug!r}): import a clinic's own "
            "records, or correct the clinic column."
        )
    typed_study_id = cells.get("study_id", "")
    study_id = study_ids.normalise(typed_study_id)
    if not study_id:
        errors.append("study_id is empty.")
    elif problem := study_ids.problem(typed_study_id):  # the rule every door uses
        errors.append(f"study_id {study_id[:40]!r}: {problem}")
    arm = cell.choice(cells, "arm", Arm.values, errors, required=True)
    timepoint = cell.choice(cells, "timepoint", Timepoint.values, errors, required=True)
    programme = cell.number(cells, "programme", int, errors)
    if programme is None and "programme" in cells and not cells["programme"]:
        errors.append("programme is empty: 1 for the patient's first programme.")
    elif programme is not None and programme < 1:
        errors.append("programme must be 1 or more.")
    assessed_on = cell.visit_date(cells.get("assessed_on", ""), errors)
    age = cell.number(cells, "age", int, errors)
    if age is not None and not 0 <= age <= MAX_AGE:
        errors.append(f"age {cells['age']!r} is outside 0 to {MAX_AGE} years.")
        age = None
    reason = cells.get("deviation_reason", "")
    if len(reason) > DEVIATION_REASON_MAX_CHARS:
        errors.append(
            f"deviation_reason is longer than {DEVIATION_REASON_MAX_CHARS} characters: shorten it."
        )
    row = ImportRow(
        line=number,
        study_id=study_id,
        arm=arm,
        programme=programme or 0,
        timepoint=timepoint,
        assessed_on=assessed_on,
        clinic=clinic,
        sex=cell.choice(cells, "sex", Sex.values, errors),
        aetiology=cell.choice(cells, "aetiology", Aetiology.values, errors),
        age=age,
        deviation_reason=reason,
    )
    lines = cell.tinetti_lines(cells, errors)
    row.tinetti_scores = None if lines is None else tuple(lines[code] for code in tinetti.CODES)
    for column, (visit_field, kind) in IMPORTED_MEASURE_COLUMNS.items():
        value = cell.number(cells, column, kind, errors)
        low, high, unit = MEASURE_RANGES[visit_field]
        if value is not None and not low <= value <= high:
            errors.append(
                f"{column} {value} is outside {low} to {high}{f' {unit}' if unit else ''}."
            )
        row.measures[visit_field] = value
    _how_taken(cells, row.measures, errors)
    return None if errors else row


def _how_taken(cells: dict, measures: dict, errors: list[str]) -> None:
    """The protocol columns, into `measures` (visit field -> value) when the file gives them; a
    file without them leaves the visit's defaults (no aid recorded, arms not needed)."""
    convention = cell.choice(cells, "sts_convention", StsConvention.values, errors)
    if convention:
        if measures.get("sts_seconds") is None:
            errors.append("sts_convention is given without a time in sts5_s.")
        measures["sts_convention"] = convention
    arms = cell.choice(cells, "chair_arms_needed", ("0", "1"), errors)
    if arms:
        stands = measures.get("chair_stands")
        if arms == "1" and stands:
            errors.append(
                f"chair30_stands {stands} with chair_arms_needed 1: needing the arms scores 0 "
                "(the protocol), so give 0 or set chair_arms_needed to 0."
            )
        measures["chair_arms_needed"] = arms == "1"
    aid = cell.choice(cells, "walk_aid", WalkingAid.values, errors)
    if aid:
        if measures.get("walk_distance_m") is None:
            errors.append("walk_aid is given without a distance in walk6_m.")
        measures["walk_aid"] = aid
