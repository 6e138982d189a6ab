"""Spreadsheet cells: text that would start a formula is neutralised; numbers stay numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

# --- formula neutralisation ---------------------------------------------------------------------

# A spreadsheet treats text starting with these as a formula (OWASP "CSV injection"); tab and
# carriage return too, as some programs strip them and read what follows; "|", which some
# programs take as the start of a DDE call; and the full-width = + - @ (U+FF1D, U+FF0B, U+FF0D,
# U+FF20), which spreadsheets set for East Asian input can read as the ASCII ones.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "|", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers, dates
    and empty cells pass unchanged (so -3 stays the number -3)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def unneutralise(text: str) -> str:
    """Undo `neutralise` on a cell read back by the import, so a round trip is exact."""
    if text.startswith("'") and text[1:].startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def csv_cell(value) -> str:
    """How a value is written to CSV: empty for missing, ISO dates, plain numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(round(value, 4))
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(neutralise(value) if isinstance(value, str) else value)


# Values the csv module already writes exactly as `csv_cell` would (None as an empty cell, the
# rest through str()). Exact types only: a bool is an int, a datetime a date, and both are
# written otherwise.
CSV_AS_IS = frozenset({type(None), int, Decimal, date})


def csv_row(row: list) -> list:
    """`csv_cell` of each value of a row. This runs for every cell of a file (a call for each
    was most of the writer's time), so the values that need no work are passed over without
    one: those the csv module writes as they are, and text that cannot start a formula."""
    return [
        value
        if type(value) in CSV_AS_IS
        or (type(value) is str and not value.startswith(FORMULA_TRIGGERS))
        else csv_cell(value)
        for value in row
    ]


def xlsx_cell(value):
    if isinstance(value, float):
        return round(value, 4)
    return neutralise(value)
