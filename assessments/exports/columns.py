"""The column definitions: one table feeds the files, the data dictionary and the import."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from patients.models import Aetiology, Sex
from programmes.models import (
    Arm,
    ProgrammeStatus,
)

from .. import outcomes, tinetti
from .. import timepoints as schedule
from ..models import MEASURE_RANGES, ExportKind, StsConvention, Timepoint, WalkingAid

# --- column definitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    type: str  # integer, decimal, text, date or code
    allowed: str = ""  # "0 = no | 1 = yes", or a range
    unit: str = ""
    identifier: bool = False


def _coded(choices) -> str:
    return " | ".join(f"{value} = {label}" for value, label in choices)


def _range(field: str) -> str:
    low, high, _ = MEASURE_RANGES[field]
    return f"{low} to {high}"


SCHEDULED_CODES = _coded(
    [(t, outcomes.TIMEPOINT_LABELS[t]) for t in schedule.SCHEDULED]
    + [(Timepoint.FOLLOWUP.value, "Follow-up"), (Timepoint.UNSCHEDULED.value, "Unscheduled")]
)
RISK_CODES = "high = total 18 or less | moderate = total 19 to 23 | low = total 24 or more"

CLINIC = Column("clinic", "Site (the clinic's short name)", "text")
STUDY_ID = Column(
    "study_id",
    "Study ID: the clinic's pseudonymous code for the patient, not a name",
    "text",
)
ARM = Column("arm", "Trial arm of the programme", "code", _coded(Arm.choices))
PROGRAMME = Column(
    "programme",
    "The patient's programme, numbered from 1 in order of start date",
    "integer",
    "1 or more",
)
SEX = Column("sex", "Sex", "code", _coded(Sex.choices))
AETIOLOGY = Column("aetiology", "Neuropathy aetiology", "code", _coded(Aetiology.choices))
STATUS = Column(
    "status", "Programme status on the day of the export", "code", _coded(ProgrammeStatus.choices)
)


def _age(deidentified: bool) -> Column:
    if deidentified:
        return Column(
            "age",
            "Age at the programme's start",
            "text",
            "whole years; 90+ = 90 or over (grouped to protect identity)",
            "years",
        )
    return Column("age", "Age at the programme's start", "integer", "whole years", "years")


VISIT_DATE = Column("assessed_on", "Date of the visit", "date", "YYYY-MM-DD", identifier=True)
STUDY_DAY = Column(
    "study_day",
    "Study day of the visit: days from the programme's start, which is day 0 (the day after "
    "it is day 1; negative before it)",
    "integer",
    "",
    "days",
)
STUDY_WEEK = Column(
    "study_week",
    "Week of the programme of the visit (1 = days 0-6 from the start; 0 = before the start); "
    "calendar weeks, not moved by pauses",
    "integer",
    "0 or more",
    "weeks",
)

PROTOCOL_DEVIATION = Column(
    "protocol_deviation",
    "The visit was after its window closed (a protocol deviation, kept with its reason); "
    "only week-6 and week-12 visits have a window",
    "code",
    "0 = no | 1 = yes",
)
DEVIATION_REASON = Column(
    "deviation_reason",
    "Why the visit was after its window (the clinician's words; empty when on time). "
    "Free text: identified files only",
    "text",
    identifier=True,
)


def deviation_columns(deidentified: bool) -> list[Column]:
    return [PROTOCOL_DEVIATION] if deidentified else [PROTOCOL_DEVIATION, DEVIATION_REASON]


TINETTI_LINE_COLUMNS = tuple(
    Column(
        f"tinetti_{item.code}",
        f"Tinetti {item.section} {index + 1}: {item.task}",
        "code",
        " | ".join(item.label(value) for value, _ in item.choices),
        "points",
    )
    for section in (tinetti.BALANCE_ITEMS, tinetti.GAIT_ITEMS)
    for index, item in enumerate(section)
)
MEASURE_COLUMNS = {
    "tinetti_balance": Column(
        "tinetti_balance",
        "Tinetti balance subtotal (sum of the 10 balance lines)",
        "integer",
        "0 to 16",
        "points",
    ),
    "tinetti_gait": Column(
        "tinetti_gait",
        "Tinetti gait subtotal (sum of the 10 gait lines)",
        "integer",
        "0 to 12",
        "points",
    ),
    "tinetti_total": Column(
        "tinetti_total", "Tinetti total (balance + gait)", "integer", "0 to 28", "points"
    ),
    "tinetti_risk": Column(
        "tinetti_risk", f"Fall-risk band of the total ({tinetti.BANDING_NAME})", "code", RISK_CODES
    ),
    "walk6_m": Column(
        "walk6_m",
        "6-minute walk distance (ATS 2002, 30 m course)",
        "integer",
        _range("walk_distance_m"),
        "m",
    ),
    "walk6_pct_predicted": Column(
        "walk6_pct_predicted",
        "6-minute walk as % of predicted (Enright & Sherrill 1998; ages 40-80 with height and "
        "weight at the visit, otherwise empty)",
        "decimal",
        "",
        "%",
    ),
    "chair30_stands": Column(
        "chair30_stands",
        "30-second chair stands (0 when the arms were needed, as the protocol scores it)",
        "integer",
        _range("chair_stands"),
        "stands",
    ),
    "sts5_s": Column(
        "sts5_s",
        "Five-times sit-to-stand time (its timing convention is in sts_convention)",
        "decimal",
        _range("sts_seconds"),
        "s",
    ),
    "pain_nrs": Column(
        "pain_nrs",
        "Pain, numeric rating scale",
        "integer",
        "0 = no pain to 10 = worst imaginable",
        "points",
    ),
    "height_cm": Column("height_cm", "Height at the visit", "decimal", _range("height_cm"), "cm"),
    "weight_kg": Column("weight_kg", "Weight at the visit", "decimal", _range("weight_kg"), "kg"),
}
LONG_MEASURES = (
    "tinetti_balance",
    "tinetti_gait",
    "tinetti_total",
    "tinetti_risk",
    "walk6_m",
    "walk6_pct_predicted",
    "chair30_stands",
    "sts5_s",
    "pain_nrs",
    "height_cm",
    "weight_kg",
)


# How each measure was taken, as the protocol asks it recorded: after the deviation columns, so
# the columns of files written before them keep their places.
PROTOCOL_COLUMNS = (
    Column(
        "sts_convention",
        "When the five-times sit-to-stand timer was stopped (empty when not timed); times taken "
        "the two ways are not comparable",
        "code",
        _coded(StsConvention.choices),
    ),
    Column(
        "chair_arms_needed",
        "The patient needed the arms to stand in the 30-second chair stand, which the protocol "
        "scores 0 (empty when the test was not done)",
        "code",
        "0 = no | 1 = yes",
    ),
    Column(
        "walk_aid",
        "Walking aid used in the 6-minute walk (empty when not recorded or no walk)",
        "code",
        _coded(WalkingAid.choices),
    ),
)


def long_columns(deidentified: bool) -> list[Column]:
    return [
        CLINIC,
        STUDY_ID,
        ARM,
        PROGRAMME,
        Column("timepoint", "Visit", "code", SCHEDULED_CODES),
        STUDY_WEEK,
        STUDY_DAY if deidentified else VISIT_DATE,
        SEX,
        _age(deidentified),
        AETIOLOGY,
        *TINETTI_LINE_COLUMNS,
        *(MEASURE_COLUMNS[name] for name in LONG_MEASURES),
        # Last, so the columns of files written before them keep their places.
        *deviation_columns(deidentified),
        *PROTOCOL_COLUMNS,
    ]


# The wide file: the scheduled visits side by side.
WIDE_MEASURES = (
    "tinetti_balance",
    "tinetti_gait",
    "tinetti_total",
    "tinetti_risk",
    "walk6_m",
    "walk6_pct_predicted",
    "chair30_stands",
    "sts5_s",
    "pain_nrs",
)


# The wide file's changes from baseline (a column each per later timepoint). Its own list, not
# the summary's measures: the summary has a sit-to-stand outcome per timing convention, the
# wide file one time with its convention beside it (and no change across conventions).
WIDE_CHANGES = (
    "tinetti_balance",
    "tinetti_gait",
    "tinetti_total",
    "walk6_m",
    "chair30_stands",
    "sts5_s",
    "pain_nrs",
)

# Only these visits have a window to miss: the wide file's deviation columns.
WINDOWED = (schedule.WEEK6, schedule.WEEK12)


def _at(column: Column, timepoint: str) -> Column:
    label = outcomes.TIMEPOINT_LABELS[timepoint].lower()
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
    label = outcomes.TIMEPOINT_LABELS[timepoint].lower()
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
        _age(deidentified),
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
        _coded(outcomes.COLUMN_LABELS.items()),
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
