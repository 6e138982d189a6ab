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


# The CSV: (column, what it holds), in order; docs/data-dictionary.md describes each.
CSV_COLUMNS: tuple[tuple[str, str], ...] = (
    ("clinic", "The clinic's name; the last row is the district total"),
    ("patients_enrolled", "Patients registered at the clinic, whatever their status"),
    ("programmes_active", "Programmes open now (active or paused), both arms"),
    ("programmes_completed", "Programmes completed, both arms"),
    ("sessions_done", "Exercise sessions done to date (intervention arm)"),
    ("sessions_planned", "Sessions planned to date: weeks ended x sessions a week"),
    ("adherence_percent", "sessions_done / sessions_planned, in percent"),
    ("tinetti_total_change_week12_median", "Median change in Tinetti total, baseline to week 12"),
    ("tinetti_total_change_week12_n", "Programmes with a Tinetti total at both visits"),
    ("walk6_m_change_week12_median", "Median change in 6-minute walk (m), baseline to week 12"),
    ("walk6_m_change_week12_n", "Programmes with a 6-minute walk at both visits"),
    ("open_flags", "Active programmes flagged for attention today"),
    ("visits_overdue", "Scheduled visits whose window has passed without the visit"),
)
CSV_HEADER = [name for name, _ in CSV_COLUMNS]


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
