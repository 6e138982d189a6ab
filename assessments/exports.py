"""Research files: the column definitions (one table feeds the files, the data dictionary and the
import), the row builders, formula neutralisation, and the streaming writers.

Memory stays flat with the clinic's size: every builder reads the database with
``.iterator(chunk_size=...)`` (related rows prefetched chunk by chunk) and yields one row at a
time; the CSV writer hands each row to the response as it is made, and the workbook is written by
openpyxl's write-only mode into a temporary file, never into memory. Only the summary keeps data
for the whole clinic: one number per measure per visit, to compute the quartiles.

Identified and de-identified files have the same columns in the same order, except:
- the long file's `assessed_on` (a date) becomes `study_day` (days from the programme's start),
  and the wide file's `assessed_on_<timepoint>` become `study_day_<timepoint>`;
- the wide file's `programme_start` (a date) is left out;
- `age` (whole years at the programme's start) is grouped as "90+" from 90.
No file carries a name, date of birth, phone number or free text (notes), identified or not: the
identified files add only the real dates, which the clinic needs to find a visit in its records.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice

from django.db.models import Count, Max, OuterRef, Prefetch, Q, Subquery
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from patients.ages import age_on
from patients.models import Aetiology, Clinic, Sex
from programmes.models import (
    Arm,
    ExerciseSession,
    LoggedSet,
    PlannedLoad,
    Programme,
    ProgrammeExercise,
    ProgrammeStatus,
    SessionSource,
)
from programmes.selectors import programme_week

from . import measures, outcomes, stats, tinetti
from . import timepoints as schedule
from .models import MEASURE_RANGES, ExportKind, Timepoint, Visit

CHUNK = 2000  # rows read from the database at a time
PROGRAMME_CHUNK = 200  # programmes (with their visits or sessions) read at a time
AGE_TOP_GROUP = 90  # de-identified ages from 90 are "90+" (HIPAA Safe Harbor)

# --- formula neutralisation ---------------------------------------------------------------------

# A spreadsheet treats text starting with these as a formula (OWASP "CSV injection"); tab and
# carriage return too, as some programs strip them and read what follows.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


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


def xlsx_cell(value):
    if isinstance(value, float):
        return round(value, 4)
    return neutralise(value)


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
    "Day of the visit counted from the programme's start (0 = start day, negative before it)",
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
        "sts5_s", "Five-times sit-to-stand time", "decimal", _range("sts_seconds"), "s"
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
    return Column(
        f"{name}_change_{timepoint}",
        f"Change in {column.label[0].lower()}{column.label[1:]} from baseline to {label} "
        "(later minus baseline)",
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
        *(_change(m, t) for m in outcomes.MEASURE_NAMES for t in outcomes.CHANGE_TIMEPOINTS),
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
        "Outcome summarised (named as the long file's columns)",
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


# --- reading the clinic's data ------------------------------------------------------------------


def _programme_number(prefix: str = ""):
    """The programme's number among its patient's programmes (1 = earliest start)."""
    earlier = (
        Programme.objects.filter(patient_id=OuterRef(f"{prefix}patient_id"))
        .filter(
            Q(start_date__lt=OuterRef(f"{prefix}start_date"))
            | Q(start_date=OuterRef(f"{prefix}start_date"), pk__lte=OuterRef(f"{prefix}pk"))
        )
        .order_by()
        .values("patient_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(earlier)


def _age_at_start(patient, programme, deidentified: bool):
    if programme.start_date < patient.date_of_birth:
        return None
    age = age_on(patient.date_of_birth, programme.start_date)
    if deidentified and age >= AGE_TOP_GROUP:
        return f"{AGE_TOP_GROUP}+"
    return age


def study_week(day: int) -> int:
    return day // 7 + 1 if day >= 0 else 0


def _walk_pct(visit: Visit, patient) -> float | None:
    if visit.walk_distance_m is None or visit.assessed_on < patient.date_of_birth:
        return None
    return measures.walk_pct_predicted(
        visit.walk_distance_m,
        sex=patient.sex,
        age=age_on(patient.date_of_birth, visit.assessed_on),
        height_cm=float(visit.height_cm) if visit.height_cm is not None else None,
        weight_kg=float(visit.weight_kg) if visit.weight_kg is not None else None,
    )


def visit_measures(visit: Visit, patient) -> dict:
    """A visit's outcome columns by export name (derived ones computed here, never stored)."""
    score = visit.tinetti_score
    values = outcomes.measure_values(
        balance=visit.tinetti_balance,
        gait=visit.tinetti_gait,
        total=visit.tinetti_total,
        walk=visit.walk_distance_m,
        stands=visit.chair_stands,
        arms_needed=visit.chair_arms_needed,
        sts=visit.sts_seconds,
        pain=visit.pain_nrs,
    )
    return {
        **values,
        "tinetti_risk": score.risk if score else None,
        "walk6_pct_predicted": _walk_pct(visit, patient),
        "height_cm": visit.height_cm,
        "weight_kg": visit.weight_kg,
    }


# Only the patient's fields the files need: names, phone and notes are never even read.
PATIENT_FIELDS = (
    "patient__study_id",
    "patient__sex",
    "patient__aetiology",
    "patient__date_of_birth",
)


def long_visits(clinic: Clinic, filters: outcomes.OutcomeFilters):
    return (
        Visit.objects.filter(programme__in=filters.programmes(clinic))
        .select_related("patient", "programme")
        .only(
            *(f.name for f in Visit._meta.concrete_fields if f.name != "notes"),
            *PATIENT_FIELDS,
            "programme__arm",
            "programme__start_date",
            "programme__patient_id",
        )
        .annotate(programme_number=_programme_number("programme__"))
        .order_by("patient__study_id", "programme__start_date", "programme_id", "assessed_on", "pk")
    )


def long_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    for visit in long_visits(clinic, filters).iterator(chunk_size=CHUNK):
        patient, programme = visit.patient, visit.programme
        day = schedule.study_day(programme.start_date, visit.assessed_on)
        values = visit_measures(visit, patient)
        yield [
            clinic.slug,
            patient.study_id,
            programme.arm,
            visit.programme_number,
            visit.timepoint,
            study_week(day),
            day if deidentified else visit.assessed_on,
            patient.sex,
            _age_at_start(patient, programme, deidentified),
            patient.aetiology,
            *(getattr(visit, code) for code in tinetti.CODES),
            *(values[name] for name in LONG_MEASURES),
        ]


def _programmes(clinic: Clinic, filters: outcomes.OutcomeFilters):
    return (
        filters.programmes(clinic)
        .select_related("patient", "template")
        .only(
            "arm",
            "start_date",
            "status",
            "weeks",
            "sessions_per_week",
            "paused_days",
            "paused_on",
            "ended_on",
            "patient_id",
            "template__name",
            *PATIENT_FIELDS,
        )
        .annotate(number=_programme_number())
        .order_by("patient__study_id", "start_date", "pk")
    )


def wide_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    scheduled = Visit.objects.filter(timepoint__in=schedule.SCHEDULED).defer("notes")
    programmes = _programmes(clinic, filters).prefetch_related(
        Prefetch("visits", queryset=scheduled, to_attr="scheduled_visits")
    )
    # With prefetch_related, iterator() prefetches the visits of each chunk of programmes.
    for programme in programmes.iterator(chunk_size=PROGRAMME_CHUNK):
        patient = programme.patient
        visits = {v.timepoint: v for v in programme.scheduled_visits}
        values = {t: visit_measures(v, patient) for t, v in visits.items()}
        days = {
            t: schedule.study_day(programme.start_date, v.assessed_on) for t, v in visits.items()
        }
        row = [
            clinic.slug,
            patient.study_id,
            programme.arm,
            programme.number,
            programme.template.name if programme.template else "",
            programme.status,
        ]
        if not deidentified:
            row.append(programme.start_date)
        row += [patient.sex, _age_at_start(patient, programme, deidentified), patient.aetiology]
        for t in schedule.SCHEDULED:
            if t not in visits:
                row.append(None)
            else:
                row.append(days[t] if deidentified else visits[t].assessed_on)
        row += [study_week(days[t]) if t in days else None for t in schedule.SCHEDULED]
        for name in WIDE_MEASURES:
            row += [values[t][name] if t in values else None for t in schedule.SCHEDULED]
        for name in outcomes.MEASURE_NAMES:
            base = values.get(schedule.BASELINE, {}).get(name)
            for t in outcomes.CHANGE_TIMEPOINTS:
                later = values.get(t, {}).get(name)
                row.append(later - base if base is not None and later is not None else None)
        yield row


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _kg(value) -> Decimal | None:
    # An aggregate comes back without the column's two decimals on some databases.
    return None if value is None else Decimal(value).quantize(Decimal("0.01"))


def _weeks_begun(programme: Programme, today: date) -> int:
    """Weeks of the programme that have begun: all of them once it has ended."""
    if programme.status in (ProgrammeStatus.COMPLETED, ProgrammeStatus.WITHDRAWN):
        week = programme_week(programme, programme.ended_on or today)
    else:
        week = programme_week(programme, today)
    return min(max(week, 0), programme.weeks)


def sessions_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool = True):
    """Per patient programme per week (the weeks begun so far): sessions planned and done, and
    each exercise's planned and heaviest used load. One row per exercise, or one for the week
    when the programme has no exercises (control arm)."""
    today = timezone.localdate()
    exercises = ProgrammeExercise.objects.select_related("exercise").only(
        "programme_id", "order", "exercise__name"
    )
    programmes = _programmes(clinic, filters).prefetch_related(
        Prefetch("exercises", queryset=exercises.order_by("order", "pk"), to_attr="exercise_list")
    )
    # The related rows of each chunk of programmes are read in three queries (prefetch, planned
    # loads, sessions and sets), so neither the memory nor the query count grows per programme.
    for batch in _batches(programmes.iterator(chunk_size=PROGRAMME_CHUNK), PROGRAMME_CHUNK):
        ids = [p.pk for p in batch]
        planned = {
            (row.programme_exercise_id, row.week): row
            for row in PlannedLoad.objects.filter(programme_exercise__programme_id__in=ids).only(
                "programme_exercise_id", "week", "sets", "reps", "load_kg"
            )
        }
        done = defaultdict(int)
        for row in (
            ExerciseSession.objects.filter(programme_id__in=ids)
            .order_by()
            .values("programme_id", "week", "source")
            .annotate(n=Count("pk"))
        ):
            done[(row["programme_id"], row["week"], row["source"])] = row["n"]
        used = {
            (row["programme_exercise_id"], row["session__week"]): _kg(row["heaviest"])
            for row in LoggedSet.objects.filter(session__programme_id__in=ids)
            .order_by()
            .values("programme_exercise_id", "session__week")
            .annotate(heaviest=Max("load_kg"))
        }
        for programme in batch:
            yield from _programme_weeks(clinic, programme, today, planned, done, used)


def _programme_weeks(clinic, programme, today, planned, done, used):
    head = [clinic.slug, programme.patient.study_id, programme.arm, programme.number]
    per_week = 0 if programme.arm == Arm.CONTROL else programme.sessions_per_week
    for week in range(1, _weeks_begun(programme, today) + 1):
        counts = [
            per_week,
            done[(programme.pk, week, SessionSource.SUPERVISED)],
            done[(programme.pk, week, SessionSource.HOME)],
        ]
        if not programme.exercise_list:
            yield [*head, week, *counts, None, None, None, None, None, None]
        for pe in programme.exercise_list:
            plan = planned.get((pe.pk, week))
            yield [
                *head,
                week,
                *counts,
                pe.order,
                pe.exercise.name,
                plan.sets if plan else None,
                plan.reps if plan else None,
                plan.load_kg if plan else None,
                used.get((pe.pk, week)),
            ]


def summary_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool = True):
    yield from outcomes.clinic_results(clinic, filters).rows()


def rows_for(kind: str, clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    if kind == ExportKind.DICTIONARY:
        return dictionary_rows(deidentified)
    builder = {
        ExportKind.LONG: long_rows,
        ExportKind.WIDE: wide_rows,
        ExportKind.SUMMARY: summary_rows,
        ExportKind.SESSIONS: sessions_rows,
    }[kind]
    return builder(clinic, filters, deidentified)


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
        yield writer.writerow([csv_cell(value) for value in row])
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


def dictionary_markdown() -> str:
    """docs/data-dictionary.md, generated from the same column definitions as the files (a test
    checks the document is current)."""

    def cell(text: str) -> str:
        return text.replace("|", "\\|")

    lines = [
        "# Data dictionary of the outcome exports",
        "",
        "Generated from the column definitions of the files (`assessments/exports.py`, "
        "`dictionary_markdown()`); a test fails when this page is out of date.",
        "",
        "Files: `long` (one row per visit), `wide` (one row per patient programme), `summary` "
        "(the results table), `sessions` (per patient programme, week and exercise). The "
        "workbook has each as a sheet, with an About sheet and this dictionary.",
        "",
        "De-identified files: `assessed_on` becomes `study_day` (and `assessed_on_<timepoint>` "
        "becomes `study_day_<timepoint>`), `programme_start` is left out, and `age` of 90 or "
        "more is written `90+`. No file has names, dates of birth, phone numbers or notes.",
        "",
        "Empty cell: not measured. Text starting with = + - @ is written with a leading "
        "apostrophe so a spreadsheet cannot run it as a formula.",
        "",
        "| field | label | type | allowed values | unit | identifier | files |",
        "|---|---|---|---|---|---|---|",
    ]
    extra = [row for row in dictionary_rows(True) if row[0] == "study_day"]
    for row in [*dictionary_rows(False), *extra]:
        lines.append("| " + " | ".join(cell(value) for value in row) + " |")
    return "\n".join(lines) + "\n"
