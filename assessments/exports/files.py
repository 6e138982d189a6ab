"""Each file's columns, in order, and the builder of its rows: the column definitions are in
columns.py, the rows in rows.py (long, wide) and session_rows.py."""

from __future__ import annotations

from collections.abc import Iterator

from .. import outcomes
from .. import timepoints as schedule
from ..models import ExportKind
from .columns import (
    AETIOLOGY,
    ARM,
    CLINIC,
    LONG_MEASURES,
    MEASURE_COLUMNS,
    PROGRAMME,
    PROTOCOL_COLUMNS,
    SEX,
    STATUS,
    STUDY_DAY,
    STUDY_ID,
    STUDY_WEEK,
    TIMEPOINT_CODES,
    TINETTI_LINE_COLUMNS,
    VISIT_DATE,
    WIDE_CHANGES,
    WIDE_MEASURES,
    WINDOWED,
    Column,
    age_column,
    coded,
    deviation_columns,
)
from .rows import long_rows, wide_rows
from .session_rows import sessions_rows


def long_columns(deidentified: bool) -> list[Column]:
    return [
        CLINIC,
        STUDY_ID,
        ARM,
        PROGRAMME,
        Column("timepoint", "Visit", "code", TIMEPOINT_CODES),
        STUDY_WEEK,
        STUDY_DAY if deidentified else VISIT_DATE,
        SEX,
        age_column(deidentified),
        AETIOLOGY,
        *TINETTI_LINE_COLUMNS,
        *(MEASURE_COLUMNS[name] for name in LONG_MEASURES),
        # Last, so the columns of files written before them keep their places.
        *deviation_columns(deidentified),
        *PROTOCOL_COLUMNS,
    ]


def _at(column: Column, timepoint: str) -> Column:
    label = schedule.LABELS[timepoint].lower()
    return Column(
        f"{column.name}_{timepoint}",
        f"{column.label}, at {label}",
        column.type,
        column.allowed,
        column.unit,
        column.identifier,
    )


def _change(name: str, timepoint: str) -> Column:
    column = MEASURE_COLUMNS[name]
    label = schedule.LABELS[timepoint].lower()
    what = column.label.split(" (its timing")[0]
    same_way = (
        "; empty when the two were timed with different conventions" if name == "sts5_s" else ""
    )
    return Column(
        f"{name}_change_{timepoint}",
        f"Change in {what[0].lower()}{what[1:]} from baseline to {label} "
        f"(later minus baseline{same_way})",
        "decimal" if column.type == "decimal" else "integer",
        "",
        column.unit,
    )


def wide_columns(deidentified: bool) -> list[Column]:
    start = (
        []
        if deidentified
        else [
            Column("programme_start", "Start date of the programme", "date", "YYYY-MM-DD", "", True)
        ]
    )
    when = STUDY_DAY if deidentified else VISIT_DATE
    return [
        CLINIC,
        STUDY_ID,
        ARM,
        PROGRAMME,
        Column("template", "Programme template the prescription was copied from", "text"),
        STATUS,
        *start,
        SEX,
        age_column(deidentified),
        AETIOLOGY,
        *(_at(when, t) for t in schedule.SCHEDULED),
        *(_at(STUDY_WEEK, t) for t in schedule.SCHEDULED),
        *(_at(MEASURE_COLUMNS[m], t) for m in WIDE_MEASURES for t in schedule.SCHEDULED),
        *(_change(m, t) for m in WIDE_CHANGES for t in outcomes.CHANGE_TIMEPOINTS),
        *(_at(c, t) for c in deviation_columns(deidentified) for t in WINDOWED),
        *(_at(c, t) for c in PROTOCOL_COLUMNS for t in schedule.SCHEDULED),
    ]


SUMMARY_COLUMNS = [
    ARM,
    Column(
        "timepoint",
        "Timepoint, or the change from baseline to it",
        "code",
        coded(outcomes.COLUMN_LABELS.items()),
    ),
    Column(
        "measure",
        "Outcome summarised (named as the long file's columns; the five-times sit-to-stand "
        "time once per timing convention, never pooled: sts5_s_fifth_stand, sts5_s_fifth_sit; "
        "a change only between visits timed the same way)",
        "code",
        " | ".join(outcomes.MEASURE_NAMES),
    ),
    Column("n", "Patient programmes with the measure (both visits, for a change)", "integer"),
    Column("median", "Median", "decimal"),
    Column("q1", "First quartile (inclusive method, as Excel QUARTILE.INC)", "decimal"),
    Column("q3", "Third quartile (inclusive method, as Excel QUARTILE.INC)", "decimal"),
]

SESSIONS_COLUMNS = [
    CLINIC,
    STUDY_ID,
    ARM,
    PROGRAMME,
    Column("week", "Week of the programme (as recorded with each session)", "integer", "1 or more"),
    Column(
        "sessions_planned",
        "Sessions planned that week (none in the control arm)",
        "integer",
    ),
    Column("sessions_supervised", "Supervised sessions done at the clinic that week", "integer"),
    Column("sessions_home", "Home sessions reported by the patient that week", "integer"),
    Column("exercise_order", "Place of the exercise in the programme", "integer"),
    Column("exercise", "Exercise (from the clinic's library)", "text"),
    Column("planned_sets", "Sets planned that week", "integer"),
    Column("planned_reps", "Repetitions per set planned that week", "integer"),
    Column("planned_load_kg", "Load planned that week", "decimal", "", "kg"),
    Column(
        "used_load_kg",
        "Heaviest load used in that week's supervised sets (empty if none logged)",
        "decimal",
        "",
        "kg",
    ),
]

DICTIONARY_COLUMNS = [
    Column("field", "Column name", "text"),
    Column("label", "What the column holds", "text"),
    Column("type", "integer, decimal, text, date or code", "text"),
    Column("allowed_values", "Allowed values and their meanings, or the range", "text"),
    Column("unit", "Unit", "text"),
    Column("identifier", "Could identify a person (yes/no)", "code", "yes | no"),
    Column("files", "Files with this column", "text"),
]


def columns_for(kind: str, deidentified: bool) -> list[Column]:
    return {
        ExportKind.LONG: lambda: long_columns(deidentified),
        ExportKind.WIDE: lambda: wide_columns(deidentified),
        ExportKind.SUMMARY: lambda: SUMMARY_COLUMNS,
        ExportKind.SESSIONS: lambda: SESSIONS_COLUMNS,
        ExportKind.DICTIONARY: lambda: DICTIONARY_COLUMNS,
    }[kind]()


DATA_KINDS = (ExportKind.LONG, ExportKind.WIDE, ExportKind.SUMMARY, ExportKind.SESSIONS)


def dictionary_rows(deidentified: bool) -> Iterator[list]:
    """Each column of the data files once, in the files' order, with the files that have it."""
    # Keyed by the whole definition: `timepoint` of the summary (which has the change columns
    # too) gets its own row beside the long file's.
    seen: dict[Column, tuple[Column, list[str]]] = {}
    for kind in DATA_KINDS:
        for column in columns_for(kind, deidentified):
            seen.setdefault(column, (column, []))[1].append(kind)
    for column, kinds in seen.values():
        yield [
            column.name,
            column.label,
            column.type,
            column.allowed,
            column.unit,
            "yes" if column.identifier else "no",
            " ".join(kinds),
        ]


def summary_rows(clinic, filters: outcomes.OutcomeFilters, deidentified: bool = True):
    yield from outcomes.clinic_results(clinic, filters).rows()


def rows_for(kind: str, clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    if kind == ExportKind.DICTIONARY:
        return dictionary_rows(deidentified)
    builder = {
        ExportKind.LONG: long_rows,
        ExportKind.WIDE: wide_rows,
        ExportKind.SUMMARY: summary_rows,
        ExportKind.SESSIONS: sessions_rows,
    }[kind]
    return builder(clinic, filters, deidentified)
