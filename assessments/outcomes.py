"""The clinic's results table, in the shape of a trial's: for each arm and scheduled timepoint, the
median (IQR) of each outcome, and of each patient's change from baseline.

The filters the outcomes page and every export share are in outcome_filters.py (imported here, so
`outcomes.OutcomeFilters` names them too). The arithmetic is stats.summarise (inclusive
quartiles); `results_from` takes plain observations and is tested against hand-computed values
without a database. On PostgreSQL the same table is computed by the database in one query
(`results_in_database`): percentile_cont is the same inclusive method, and a test checks the two
agree cell by cell.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from django.db import connection
from django.db.models import Case, Count, DecimalField, F, FloatField, IntegerField, Value, When
from django.db.models.functions import Cast

from patients.models import Clinic
from programmes.models import Arm

from . import charts, stats
from . import timepoints as schedule
from .models import StsConvention, Visit
from .outcome_filters import (  # noqa: F401 (callers name them through this module)
    DEVIATION_CHOICES,
    DEVIATIONS_INCLUDED,
    DEVIATIONS_LEFT_OUT,
    OutcomeFilters,
)

# The five-times sit-to-stand is timed to the fifth stand or to the fifth sit: two conventions
# whose times differ, so never pooled. Each is its own outcome (sts5_s_fifth_stand, ...), and a
# change counts only a programme timed the same way at baseline and at the later visit.
STS_MEASURES = {convention: f"sts5_s_{convention}" for convention in StsConvention.values}
STS_NOTE = (
    "Five-times sit-to-stand times are summarised separately for each timing convention (timer "
    "stopped at the fifth stand, or at the fifth sit): times taken the two ways are never pooled, "
    "and a change counts only programmes timed the same way at both visits."
)

# Export names of the outcomes summarised, in the order of the table and the files.
MEASURES: tuple[tuple[str, str], ...] = (
    ("tinetti_balance", "Tinetti balance (/16)"),
    ("tinetti_gait", "Tinetti gait (/12)"),
    ("tinetti_total", "Tinetti total (/28)"),
    ("walk6_m", "6-minute walk (m)"),
    ("chair30_stands", "30-second chair stands"),
    (
        STS_MEASURES[StsConvention.FIFTH_STAND],
        "Five-times sit-to-stand (s), timer stopped at the fifth stand",
    ),
    (
        STS_MEASURES[StsConvention.FIFTH_SIT],
        "Five-times sit-to-stand (s), timer stopped at the fifth sit",
    ),
    ("pain_nrs", "Pain (0-10)"),
)
MEASURE_NAMES = tuple(name for name, _ in MEASURES)
ARMS: tuple[tuple[str, str], ...] = tuple(Arm.choices)
TIMEPOINTS = schedule.SCHEDULED  # baseline, week6, week12
CHANGE_TIMEPOINTS = (schedule.WEEK6, schedule.WEEK12)


def change_key(timepoint: str) -> str:
    """The summary file's name for the change from baseline to a timepoint: change_week12."""
    return f"change_{timepoint}"


# Columns of the results table and rows of the summary file, in order.
COLUMNS: tuple[str, ...] = (*TIMEPOINTS, *(change_key(t) for t in CHANGE_TIMEPOINTS))
COLUMN_LABELS = {
    **schedule.LABELS,
    **{change_key(t): f"Change to {schedule.LABELS[t].lower()}" for t in CHANGE_TIMEPOINTS},
}

# The visit's stored fields the summarised measures come from, in measure_values' order.
OUTCOME_FIELDS = (
    "tinetti_balance",
    "tinetti_gait",
    "tinetti_total",
    "walk_distance_m",
    "chair_stands",
    "chair_arms_needed",
    "sts_seconds",
    "pain_nrs",
)
# Visit fields read to compute the measures (the results never need a name or a date of birth).
VISIT_FIELDS = ("programme_id", "programme__arm", "timepoint", *OUTCOME_FIELDS, "sts_convention")


def measure_values(
    *, balance, gait, total, walk, stands, arms_needed, sts, pain, convention=""
) -> dict[str, float | int | Decimal | None]:
    """A visit's outcomes by export name. The chair stand is the protocol's score (0 when the
    arms were needed), as the long file and the visit page show it; the sit-to-stand time is
    the outcome of its timing convention only (STS_MEASURES)."""
    values = {
        "tinetti_balance": balance,
        "tinetti_gait": gait,
        "tinetti_total": total,
        "walk6_m": walk,
        "chair30_stands": (0 if arms_needed else stands) if stands is not None else None,
        **dict.fromkeys(STS_MEASURES.values()),
        "pain_nrs": pain,
    }
    if sts is not None and convention in STS_MEASURES:
        values[STS_MEASURES[convention]] = sts
    return values


# --- the results table -------------------------------------------------------------------------


class Observation(NamedTuple):
    # A named tuple rather than a dataclass: one is built per visit, and a tuple is built fastest.
    programme_id: int
    arm: str
    timepoint: str
    values: dict  # export name -> value or None


NO_VALUES = stats.summarise([])


@dataclass
class Results:
    # (arm, column, measure) -> stats.Summary; column is a timepoint or change_<timepoint>.
    # A cell without values may be missing: summary() then gives the empty summary.
    cells: dict

    def summary(self, arm: str, column: str, measure: str) -> stats.Summary:
        return self.cells.get((arm, column, measure), NO_VALUES)

    def table(self, arm: str) -> list[dict]:
        """One row per measure with a cell per column, for the page."""
        return [
            {
                "name": name,
                "label": label,
                "cells": [self.summary(arm, column, name) for column in COLUMNS],
            }
            for name, label in MEASURES
        ]

    def rows(self):
        """The summary file: arm, timepoint, measure, n, median, q1, q3."""
        for arm, _ in ARMS:
            for column in COLUMNS:
                for name in MEASURE_NAMES:
                    s = self.summary(arm, column, name)
                    yield [arm, column, name, s.n, s.median, s.q1, s.q3]

    def median_totals(self, arm: str) -> list[float | None]:
        return [self.summary(arm, t, "tinetti_total").median for t in TIMEPOINTS]


def clinic_results(clinic: Clinic, filters: OutcomeFilters) -> Results:
    programmes = filters.programmes(clinic)
    without = filters.without_deviations
    if connection.vendor == "postgresql":
        # Ten summary rows come back instead of every visit: on the benchmark's 15,000 visits,
        # a third of the time. Other databases (SQLite in development and the tests) summarise
        # in Python; tests/assessments/test_outcome_sql.py checks the two agree.
        return results_in_database(programmes, without_deviations=without)
    return results_from(observations(programmes, without_deviations=without))


def results_from(observations: Iterable[Observation]) -> Results:
    """Summaries by arm, timepoint and measure, and of each programme's change from baseline.

    A programme without a visit at a timepoint (or without the measure at it) is simply not
    counted in that cell; a change needs the measure at both baseline and the later visit.
    """
    visits = defaultdict(dict)  # (arm, timepoint) -> {programme_id: values}
    for obs in observations:
        if obs.timepoint in TIMEPOINTS:
            visits[(obs.arm, obs.timepoint)][obs.programme_id] = obs.values
    # (arm, timepoint, measure) -> {programme_id: the value, a float}: one comprehension per
    # cell rather than a loop per visit, as this runs for every visit and measure.
    measured = {
        (arm, timepoint, name): {
            pid: float(value)
            for pid, values in by_programme.items()
            if (value := values.get(name)) is not None
        }
        for (arm, timepoint), by_programme in visits.items()
        for name in MEASURE_NAMES
    }
    cells = {key: stats.summarise(by_programme.values()) for key, by_programme in measured.items()}
    for arm in {arm for arm, _ in visits}:
        for timepoint in CHANGE_TIMEPOINTS:
            for name in MEASURE_NAMES:
                before = measured.get((arm, schedule.BASELINE, name), {})
                after = measured.get((arm, timepoint, name), {})
                # stats.changes, inlined: later minus baseline, for the programmes with both.
                changes = [value - before[pid] for pid, value in after.items() if pid in before]
                cells[(arm, change_key(timepoint), name)] = stats.summarise(changes)
    return Results(cells=cells)


def _scheduled_visits(programmes, without_deviations: bool = False):
    visits = Visit.objects.filter(programme__in=programmes, timepoint__in=TIMEPOINTS).order_by()
    return visits.filter(deviation_reason="") if without_deviations else visits


def observations(programmes, *, without_deviations: bool = False) -> Iterable[Observation]:
    """The scheduled visits of `programmes`, read in chunks (values only, no model objects)."""
    rows = _scheduled_visits(programmes, without_deviations).values_list(*VISIT_FIELDS)
    for pid, arm, timepoint, bal, gait, total, walk, stands, arms, sts, pain, how in rows.iterator(
        chunk_size=2000
    ):
        yield Observation(
            pid,
            arm,
            timepoint,
            measure_values(
                balance=bal,
                gait=gait,
                total=total,
                walk=walk,
                stands=stands,
                arms_needed=arms,
                sts=sts,
                pain=pain,
                convention=how,
            ),
        )


# --- the same table, computed by PostgreSQL ---------------------------------------------------

# Each outcome of a visit as the database computes it: the chair stand scored as measure_values
# scores it, and every value a float, as results_from makes it (a Decimal time too), so that a
# change is the same float subtraction in both.
MEASURE_EXPRESSIONS = {
    "tinetti_balance": F("tinetti_balance"),
    "tinetti_gait": F("tinetti_gait"),
    "tinetti_total": F("tinetti_total"),
    "walk6_m": F("walk_distance_m"),
    "chair30_stands": Case(
        When(chair_arms_needed=True, chair_stands__isnull=False, then=Value(0)),
        default=F("chair_stands"),
        output_field=IntegerField(),
    ),
    **{
        name: Case(
            When(sts_convention=convention, then=F("sts_seconds")),
            default=Value(None),
            output_field=DecimalField(),
        )
        for convention, name in STS_MEASURES.items()
    },
    "pain_nrs": F("pain_nrs"),
}

# `visit` is one row per scheduled visit; `cell` adds one row per later visit with a baseline,
# holding the change; each (arm, timepoint, is_change) group is then one column of the table.
# percentile_cont interpolates linearly between the closest ranks: the inclusive method of
# stats.summarise. count() and percentile_cont() both ignore missing (NULL) values.
RESULTS_SQL = """
WITH visit (programme_id, arm, timepoint, {measures}) AS ({visits}),
cell (arm, timepoint, is_change, {measures}) AS (
    SELECT arm, timepoint, false, {measures} FROM visit
    UNION ALL
    SELECT later.arm, later.timepoint, true, {changes}
    FROM visit AS later
    JOIN visit AS baseline
        ON baseline.programme_id = later.programme_id AND baseline.timepoint = %s
    WHERE later.timepoint IN ({later_timepoints})
)
SELECT arm, timepoint, is_change, {summaries}
FROM cell
GROUP BY arm, timepoint, is_change
"""


def results_in_database(programmes, *, without_deviations: bool = False) -> Results:
    """results_from(observations(programmes)), computed by PostgreSQL in one query. The names
    put into the SQL are MEASURE_NAMES; every value is a parameter."""
    visits = _scheduled_visits(programmes, without_deviations).values_list(
        "programme_id",
        "programme__arm",
        "timepoint",
        *(Cast(MEASURE_EXPRESSIONS[name], FloatField()) for name in MEASURE_NAMES),
    )
    visits_sql, visits_params = visits.query.sql_with_params()
    sql = RESULTS_SQL.format(
        visits=visits_sql,
        measures=", ".join(MEASURE_NAMES),
        changes=", ".join(f"later.{name} - baseline.{name}" for name in MEASURE_NAMES),
        later_timepoints=", ".join("%s" for _ in CHANGE_TIMEPOINTS),
        summaries=", ".join(
            f"count({name}), percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY {name})"
            for name in MEASURE_NAMES
        ),
    )
    cells = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [*visits_params, schedule.BASELINE, *CHANGE_TIMEPOINTS])
        for arm, timepoint, is_change, *summaries in cursor.fetchall():
            column = change_key(timepoint) if is_change else timepoint
            counts, quartiles = summaries[0::2], summaries[1::2]
            for name, n, quartile in zip(MEASURE_NAMES, counts, quartiles, strict=True):
                if n:
                    q1, median, q3 = quartile
                    cells[(arm, column, name)] = stats.Summary(n=n, median=median, q1=q1, q3=q3)
    return Results(cells=cells)


def deviation_count(clinic: Clinic, filters: OutcomeFilters) -> int:
    """Late week-6/12 visits (protocol deviations) of the selected programmes."""
    visits = _scheduled_visits(filters.programmes(clinic))
    return visits.exclude(deviation_reason="").count()


def programme_counts(clinic: Clinic, filters: OutcomeFilters) -> dict[str, int]:
    """Programmes selected per arm: the denominator under each table."""
    counts = filters.programmes(clinic).order_by().values("arm").annotate(n=Count("pk"))
    return {row["arm"]: row["n"] for row in counts}


def arms_chart(results: Results) -> charts.Chart | None:
    """Median Tinetti total of each arm at baseline, week 6 and week 12."""
    return charts.timepoint_chart(
        slug="arms",
        title="Median Tinetti total by arm",
        y_label="Median total /28",
        y_max=28,
        y_step=4,
        labels=[schedule.LABELS[t] for t in TIMEPOINTS],
        data=[
            (arm, label.split(" (")[0], marker, results.median_totals(arm))
            for (arm, label), marker in zip(ARMS, ("circle", "square"), strict=True)
        ],
        references=[(19, "moderate ≥19"), (24, "low risk ≥24")],
    )
