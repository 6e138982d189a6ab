"""The district table's arithmetic: one row of figures per clinic, the district's total row and
the CSV's columns. Pure Python (no Django); the reads are in selectors.py.

A median change is a stats.Summary of each programme's change from baseline to week 12, as the
clinic's outcomes page computes it (assessments.outcomes.results_from): the total row's median
is that of every programme of the district, never a median of the clinics' medians.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.stats import Summary, summarise

NO_VALUES = summarise([])
TOTAL_NAME = "District total"


@dataclass
class ClinicFigures:
    name: str
    patients: int = 0
    programmes_active: int = 0  # open: active or paused
    programmes_completed: int = 0
    sessions_done: int = 0
    sessions_planned: int = 0
    tinetti_change: Summary = field(default=NO_VALUES)
    walk_change: Summary = field(default=NO_VALUES)
    open_flags: int = 0
    visits_overdue: int = 0

    @property
    def adherence_percent(self) -> int | None:
        """Sessions done / sessions planned to date, rounded as the programme pages round it
        (programmes.selectors.adherence); None when nothing was planned yet."""
        if not self.sessions_planned:
            return None
        return round(100 * self.sessions_done / self.sessions_planned)


COUNTED = (
    "patients",
    "programmes_active",
    "programmes_completed",
    "sessions_done",
    "sessions_planned",
    "open_flags",
    "visits_overdue",
)


def total(rows: list[ClinicFigures], tinetti_change: Summary, walk_change: Summary):
    """The district's row: the clinics' counts added up; adherence from the summed sessions
    (a clinic with more programmes weighs more); the medians given, over all its programmes."""
    sums = {name: sum(getattr(row, name) for row in rows) for name in COUNTED}
    return ClinicFigures(
        name=TOTAL_NAME, tinetti_change=tinetti_change, walk_change=walk_change, **sums
    )


# The CSV: (column, type, what it holds), in order. docs/district-csv.md is generated from
# these (dictionary_markdown; a test fails when it is out of date).
CSV_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("clinic", "text", "The clinic's name; the last row, District total, is the whole district"),
    ("patients_enrolled", "integer", "Patients registered at the clinic, whatever their status"),
    ("programmes_active", "integer", "Programmes open today (active or paused), both arms"),
    ("programmes_completed", "integer", "Programmes completed, both arms"),
    (
        "sessions_done",
        "integer",
        "Exercise sessions done (supervised and home) in the weeks of the programmes that have "
        "ended so far, intervention arm",
    ),
    (
        "sessions_planned",
        "integer",
        "Sessions planned in those weeks: weeks ended x sessions a week, each programme to today "
        "or to its end",
    ),
    (
        "adherence_percent",
        "integer",
        "sessions_done / sessions_planned x 100, rounded (empty when nothing is planned yet)",
    ),
    (
        "tinetti_total_change_week12_median",
        "decimal",
        "Median change in Tinetti total (/28) from baseline to week 12 (later minus baseline), "
        "intervention arm: the cell of the clinic's outcomes table (late visits included)",
    ),
    (
        "tinetti_total_change_week12_n",
        "integer",
        "Programmes with a Tinetti total at both baseline and week 12",
    ),
    (
        "walk6_m_change_week12_median",
        "decimal",
        "Median change in 6-minute walk distance (m) from baseline to week 12, intervention arm",
    ),
    (
        "walk6_m_change_week12_n",
        "integer",
        "Programmes with a 6-minute walk at both baseline and week 12",
    ),
    (
        "open_flags",
        "integer",
        "Active exercise programmes flagged for attention today (the clinician's home page "
        "rules: pain 7+ or rising 2+, an adverse event, pain up from last week, no session "
        "for a week)",
    ),
    (
        "visits_overdue",
        "integer",
        "Scheduled visits (baseline, week 6, week 12) of open programmes whose window has "
        "passed without the visit (the Visits due page's Overdue list)",
    ),
)
CSV_HEADER = [name for name, _, _ in CSV_COLUMNS]


def csv_values(row: ClinicFigures) -> list:
    """A row of the CSV, in CSV_COLUMNS' order (neutralised by the writer)."""
    return [
        row.name,
        row.patients,
        row.programmes_active,
        row.programmes_completed,
        row.sessions_done,
        row.sessions_planned,
        row.adherence_percent,
        row.tinetti_change.median,
        row.tinetti_change.n,
        row.walk_change.median,
        row.walk_change.n,
        row.open_flags,
        row.visits_overdue,
    ]


def dictionary_markdown() -> str:
    """docs/district-csv.md: the district CSV's columns, from CSV_COLUMNS."""
    lines = [
        "# The district CSV",
        "",
        "Generated from `district/figures.py` (`CSV_COLUMNS`) by `dictionary_markdown()`; a test "
        "fails when this page is out of date.",
        "",
        "A district lead downloads it from the district page: one row per clinic of the "
        "district, by name, then the district total. Figures only: no patient, study ID or "
        "date of birth. The total row adds up the counts; its adherence is the summed sessions "
        "done over the summed sessions planned, and its medians are those of every programme "
        "of the district (not a median of the clinics' medians). Empty cell: no value (nothing "
        "planned, or no programme with both visits). Text starting with = + - @ | ＝ ＋ － ＠, a "
        "tab or a carriage return is written with a leading apostrophe.",
        "",
        "| field | type | meaning |",
        "|---|---|---|",
        *(f"| {name} | {kind} | {meaning} |" for name, kind, meaning in CSV_COLUMNS),
        "",
    ]
    return "\n".join(lines)
