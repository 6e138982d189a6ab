"""The column definitions: one table feeds the files, the data dictionary and the import.
Which columns each file has, in order, is in files.py."""

from __future__ import annotations

from dataclasses import dataclass

from patients.models import Aetiology, Sex
from programmes.models import (
    Arm,
    ProgrammeStatus,
)

from .. import tinetti
from ..models import MEASURE_RANGES, WINDOWED_TIMEPOINTS, StsConvention, Timepoint, WalkingAid

# --- column definitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    type: str  # integer, decimal, text, date or code
    allowed: str = ""  # "0 = no | 1 = yes", or a range
    unit: str = ""
    identifier: bool = False


def coded(choices) -> str:
    return " | ".join(f"{value} = {label}" for value, label in choices)


def _range(field: str) -> str:
    low, high, _ = MEASURE_RANGES[field]
    return f"{low} to {high}"


TIMEPOINT_CODES = coded(Timepoint.choices)


def risk_codes() -> str:
    """The fall-risk bands as tinetti.risk_band draws them."""
    high, moderate = tinetti.HIGH_RISK_MAX, tinetti.MODERATE_RISK_MAX
    return (
        f"high = total {high} or less | moderate = total {high + 1} to {moderate} | "
        f"low = total {moderate + 1} or more"
    )


RISK_CODES = risk_codes()

CLINIC = Column("clinic", "Site (the clinic's short name)", "text")
STUDY_ID = Column(
    "study_id",
    "Study ID: the clinic's pseudonymous code for the patient, not a name",
    "text",
)
ARM = Column("arm", "Trial arm of the programme", "code", coded(Arm.choices))
PROGRAMME = Column(
    "programme",
    "The patient's programme, numbered from 1 in order of start date",
    "integer",
    "1 or more",
)
SEX = Column("sex", "Sex", "code", coded(Sex.choices))
AETIOLOGY = Column("aetiology", "Neuropathy aetiology", "code", coded(Aetiology.choices))
STATUS = Column(
    "status", "Programme status on the day of the export", "code", coded(ProgrammeStatus.choices)
)


def age_column(deidentified: bool) -> Column:
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
        f"Tinetti balance subtotal (sum of the {len(tinetti.BALANCE_ITEMS)} balance lines)",
        "integer",
        f"0 to {tinetti.BALANCE_MAX}",
        "points",
    ),
    "tinetti_gait": Column(
        "tinetti_gait",
        f"Tinetti gait subtotal (sum of the {len(tinetti.GAIT_ITEMS)} gait lines)",
        "integer",
        f"0 to {tinetti.GAIT_MAX}",
        "points",
    ),
    "tinetti_total": Column(
        "tinetti_total",
        "Tinetti total (balance + gait)",
        "integer",
        f"0 to {tinetti.TOTAL_MAX}",
        "points",
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
        coded(StsConvention.choices),
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
        coded(WalkingAid.choices),
    ),
)


# The wide file: the scheduled visits side by side, with the outcomes (not height and weight).
WIDE_MEASURES = tuple(name for name in LONG_MEASURES if name not in ("height_cm", "weight_kg"))


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
WINDOWED = tuple(WINDOWED_TIMEPOINTS)
