"""Reading the clinic's data in chunks, one row of a file at a time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import islice

from django.db.models import Count, OuterRef, Prefetch, Q, Subquery

from patients.ages import age_on
from patients.models import Clinic
from programmes.models import (
    Programme,
)

from .. import measures, outcomes, tinetti
from .. import timepoints as schedule
from ..models import Visit
from .columns import LONG_MEASURES, PROTOCOL_COLUMNS, WIDE_CHANGES, WIDE_MEASURES, WINDOWED

CHUNK = 5000  # rows read from the database at a time (2,000 cost 25 % more time; 5,000 ~10 MB)
PROGRAMME_CHUNK = 200  # programmes (with their visits or sessions) read at a time
AGE_TOP_GROUP = 90  # de-identified ages from 90 are "90+" (HIPAA Safe Harbor)

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


def _age_at_start(born: date, start: date, deidentified: bool):
    if start < born:
        return None
    age = age_on(born, start)
    if deidentified and age >= AGE_TOP_GROUP:
        return f"{AGE_TOP_GROUP}+"
    return age


def deviation_cells(reason: str, deidentified: bool) -> list:
    """protocol_deviation, and the reason in identified files (free text: never de-identified)."""
    flag = 1 if reason else 0
    return [flag] if deidentified else [flag, reason]


def study_week(day: int) -> int:
    return day // 7 + 1 if day >= 0 else 0


# A visit's stored measures, in the order `visit_measures` takes them.
EXPORTED_MEASURE_FIELDS = (*outcomes.OUTCOME_FIELDS, "height_cm", "weight_kg")
STANDS_AT = EXPORTED_MEASURE_FIELDS.index("chair_stands")  # chair_arms_needed follows it
assert EXPORTED_MEASURE_FIELDS[STANDS_AT + 1] == "chair_arms_needed"


def visit_measures(
    sex,
    born,
    assessed_on,
    balance,
    gait,
    total,
    walk,
    stands,
    arms_needed,
    sts,
    pain,
    height,
    weight,
) -> tuple:
    """A visit's outcome columns in the order of `LONG_MEASURES` (derived ones computed here,
    never stored). Positional and a tuple, not a dict: the long file calls this for every row."""
    if walk is None or assessed_on < born:
        walk_pct = None
    else:
        walk_pct = measures.walk_pct_predicted(
            walk,
            sex=sex,
            age=age_on(born, assessed_on),
            height_cm=float(height) if height is not None else None,
            weight_kg=float(weight) if weight is not None else None,
        )
    return (
        balance,
        gait,
        total,
        # The stored total is the lines' sum (a database check holds it to that).
        tinetti.risk_band(total) if total is not None else None,
        walk,
        walk_pct,
        measures.chair_stand_score(stands, arms_needed) if stands is not None else None,
        sts,
        pain,
        height,
        weight,
    )


def protocol_cells(stands, arms_needed, convention, aid) -> tuple:
    """How the measures were taken, in the order of `PROTOCOL_COLUMNS`: the sit-to-stand timing,
    whether the chair stand needed the arms (only when the test was done) and the walking aid
    (empty when not recorded)."""
    return (
        convention or None,
        (1 if arms_needed else 0) if stands is not None else None,
        aid or None,
    )


def visit_protocol_by_name(visit: Visit) -> dict:
    values = protocol_cells(
        visit.chair_stands, visit.chair_arms_needed, visit.sts_convention, visit.walk_aid
    )
    return dict(zip((c.name for c in PROTOCOL_COLUMNS), values, strict=True))


def visit_measures_by_name(visit: Visit, patient) -> dict:
    """`visit_measures` of a Visit object, by the long file's column names."""
    values = visit_measures(
        patient.sex,
        patient.date_of_birth,
        visit.assessed_on,
        *(getattr(visit, field) for field in EXPORTED_MEASURE_FIELDS),
    )
    return dict(zip(LONG_MEASURES, values, strict=True))


# Only the patient's fields the files need: names, phone and notes are never even read.
PATIENT_FIELDS = (
    "patient__study_id",
    "patient__sex",
    "patient__aetiology",
    "patient__date_of_birth",
)

# The long file reads plain tuples of these values, not model objects: building a Visit, its
# Programme and its Patient for every row was most of the export's time. In the order
# `long_rows` unpacks them; the patient is the programme's (a visit's is the same one: the
# visit form refuses any other).
LONG_FIELDS = (
    "programme_id",
    "programme__patient__study_id",
    "programme__patient__sex",
    "programme__patient__date_of_birth",
    "programme__patient__aetiology",
    "programme__arm",
    "programme__start_date",
    "timepoint",
    "assessed_on",
    "deviation_reason",
    "sts_convention",
    "walk_aid",
    *EXPORTED_MEASURE_FIELDS,
    *tinetti.CODES,
)
# The long file's order: by patient, then programme, then visit.
LONG_ORDER = (
    "programme__patient__study_id",
    "programme__patient_id",
    "programme__start_date",
    "programme_id",
    "assessed_on",
    "pk",
)


def long_visits(clinic: Clinic, filters: outcomes.OutcomeFilters):
    return (
        filters.visits(Visit.objects.filter(programme__in=filters.programmes(clinic)))
        .order_by(*LONG_ORDER)
        .values_list(*LONG_FIELDS)
    )


def _programme_numbers(clinic: Clinic, filters: outcomes.OutcomeFilters) -> dict[int, int]:
    """{programme id: its number} for every programme of the patients with a selected one:
    `_programme_number`'s numbering (each patient's programmes from 1 by start date, the ones
    the filters leave out too), counted in one pass. Two small ints a programme, so it stays
    small beside the rows, which stream."""
    patients = filters.programmes(clinic).values("patient_id")
    programmes = (
        Programme.objects.filter(patient_id__in=patients)
        .order_by("patient_id", "start_date", "pk")
        .values_list("pk", "patient_id")
    )
    numbers, patient, number = {}, None, 0
    for pk, patient_id in programmes.iterator(chunk_size=CHUNK):
        number = number + 1 if patient_id == patient else 1
        patient = patient_id
        numbers[pk] = number
    return numbers


def long_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    """One row per visit, in the order of `long_columns`. The programme's number is read once
    for all programmes: counted in the visits' query (`_programme_number`) it was worked out
    again for every visit, most of that query's time."""
    slug = clinic.slug
    numbers = _programme_numbers(clinic, filters)
    measure_count = len(EXPORTED_MEASURE_FIELDS)
    for (
        programme_id,
        study_id,
        sex,
        born,
        aetiology,
        arm,
        start,
        timepoint,
        assessed_on,
        reason,
        convention,
        aid,
        *values,  # EXPORTED_MEASURE_FIELDS, then the Tinetti lines in the order of tinetti.CODES
    ) in long_visits(clinic, filters).iterator(chunk_size=CHUNK):
        measures, lines = values[:measure_count], values[measure_count:]
        stands, arms_needed = measures[STANDS_AT], measures[STANDS_AT + 1]
        if programme_id not in numbers:  # a programme begun while the file was being read
            numbers = _programme_numbers(clinic, filters)
        day = (assessed_on - start).days  # schedule.study_day, inlined: it runs for every row
        yield [
            slug,
            study_id,
            arm,
            numbers[programme_id],
            timepoint,
            study_week(day),
            day if deidentified else assessed_on,
            sex,
            _age_at_start(born, start, deidentified),
            aetiology,
            *lines,
            *visit_measures(sex, born, assessed_on, *measures),
            *deviation_cells(reason, deidentified),
            *protocol_cells(stands, arms_needed, convention, aid),
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
            "pauses",  # read by programme_week (the sessions file); deferred, one query each
            "ended_on",
            "patient_id",
            "template__name",
            *PATIENT_FIELDS,
        )
        .annotate(number=_programme_number())
        .order_by("patient__study_id", "start_date", "pk")
    )


def wide_rows(clinic: Clinic, filters: outcomes.OutcomeFilters, deidentified: bool):
    scheduled = filters.visits(Visit.objects.filter(timepoint__in=schedule.SCHEDULED))
    scheduled = scheduled.defer("notes")
    programmes = _programmes(clinic, filters).prefetch_related(
        Prefetch("visits", queryset=scheduled, to_attr="scheduled_visits")
    )
    # With prefetch_related, iterator() prefetches the visits of each chunk of programmes.
    for programme in programmes.iterator(chunk_size=PROGRAMME_CHUNK):
        patient = programme.patient
        visits = {v.timepoint: v for v in programme.scheduled_visits}
        values = {t: visit_measures_by_name(v, patient) for t, v in visits.items()}
        protocol = {t: visit_protocol_by_name(v) for t, v in visits.items()}
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
        age = _age_at_start(patient.date_of_birth, programme.start_date, deidentified)
        row += [patient.sex, age, patient.aetiology]
        for t in schedule.SCHEDULED:
            if t not in visits:
                row.append(None)
            else:
                row.append(days[t] if deidentified else visits[t].assessed_on)
        row += [study_week(days[t]) if t in days else None for t in schedule.SCHEDULED]
        for name in WIDE_MEASURES:
            row += [values[t][name] if t in values else None for t in schedule.SCHEDULED]
        for name in WIDE_CHANGES:
            base = values.get(schedule.BASELINE, {}).get(name)
            for t in outcomes.CHANGE_TIMEPOINTS:
                later = values.get(t, {}).get(name)
                if name == "sts5_s" and not _timed_alike(visits, schedule.BASELINE, t):
                    later = None  # times taken with different conventions are not compared
                row.append(later - base if base is not None and later is not None else None)
        deviations = {
            t: deviation_cells(v.deviation_reason, deidentified) for t, v in visits.items()
        }
        for index in range(1 if deidentified else 2):
            row += [deviations[t][index] if t in deviations else None for t in WINDOWED]
        for column in PROTOCOL_COLUMNS:
            row += [protocol[t][column.name] if t in protocol else None for t in schedule.SCHEDULED]
        yield row


def _timed_alike(visits: dict, first: str, second: str) -> bool:
    """Both visits' sit-to-stand times were stopped the same way (the fifth stand or sit)."""
    if first not in visits or second not in visits:
        return False
    return visits[first].sts_convention == visits[second].sts_convention


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch
