"""The clinic's results table, in the shape of a trial's: for each arm and scheduled timepoint, the
median (IQR) of each outcome, and of each patient's change from baseline.

Also the filters the outcomes page and every export share, so a file says exactly what the page
showed. The arithmetic is stats.summarise (inclusive quartiles); `results_from` takes plain
observations and is tested against hand-computed values without a database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count

from patients.models import Aetiology, Clinic
from programmes.models import Arm, Programme, ProgrammeStatus, ProgrammeTemplate

from . import charts, stats
from . import timepoints as schedule
from .models import Visit

# Export names of the outcomes summarised, in the order of the table and the files.
MEASURES: tuple[tuple[str, str], ...] = (
    ("tinetti_balance", "Tinetti balance (/16)"),
    ("tinetti_gait", "Tinetti gait (/12)"),
    ("tinetti_total", "Tinetti total (/28)"),
    ("walk6_m", "6-minute walk (m)"),
    ("chair30_stands", "30-second chair stands"),
    ("sts5_s", "Five-times sit-to-stand (s)"),
    ("pain_nrs", "Pain (0-10)"),
)
MEASURE_NAMES = tuple(name for name, _ in MEASURES)
ARMS: tuple[tuple[str, str], ...] = tuple(Arm.choices)
TIMEPOINTS = schedule.SCHEDULED  # baseline, week6, week12
CHANGE_TIMEPOINTS = (schedule.WEEK6, schedule.WEEK12)
TIMEPOINT_LABELS = {
    schedule.BASELINE: "Baseline",
    schedule.WEEK6: "Week 6",
    schedule.WEEK12: "Week 12",
}


def change_key(timepoint: str) -> str:
    """The summary file's name for the change from baseline to a timepoint: change_week12."""
    return f"change_{timepoint}"


# Columns of the results table and rows of the summary file, in order.
COLUMNS: tuple[str, ...] = (*TIMEPOINTS, *(change_key(t) for t in CHANGE_TIMEPOINTS))
COLUMN_LABELS = {
    **TIMEPOINT_LABELS,
    **{change_key(t): f"Change to {TIMEPOINT_LABELS[t].lower()}" for t in CHANGE_TIMEPOINTS},
}

# Visit fields read to compute the measures (the results never need a name or a date of birth).
VISIT_FIELDS = (
    "programme_id",
    "programme__arm",
    "timepoint",
    "tinetti_balance",
    "tinetti_gait",
    "tinetti_total",
    "walk_distance_m",
    "chair_stands",
    "chair_arms_needed",
    "sts_seconds",
    "pain_nrs",
)


def measure_values(
    *, balance, gait, total, walk, stands, arms_needed, sts, pain
) -> dict[str, float | int | Decimal | None]:
    """A visit's outcomes by export name. The chair stand is the protocol's score (0 when the
    arms were needed), as the long file and the visit page show it."""
    return {
        "tinetti_balance": balance,
        "tinetti_gait": gait,
        "tinetti_total": total,
        "walk6_m": walk,
        "chair30_stands": (0 if arms_needed else stands) if stands is not None else None,
        "sts5_s": sts,
        "pain_nrs": pain,
    }


# --- filters ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeFilters:
    start_from: date | None = None
    start_to: date | None = None
    aetiology: str = ""
    template: ProgrammeTemplate | None = None
    status: str = ""

    def programmes(self, clinic: Clinic):
        """The clinic's programmes these filters select."""
        programmes = Programme.objects.filter(clinic=clinic)
        if self.start_from:
            programmes = programmes.filter(start_date__gte=self.start_from)
        if self.start_to:
            programmes = programmes.filter(start_date__lte=self.start_to)
        if self.aetiology:
            programmes = programmes.filter(patient__aetiology=self.aetiology)
        if self.template is not None:
            programmes = programmes.filter(template=self.template)
        if self.status:
            programmes = programmes.filter(status=self.status)
        return programmes

    def as_json(self) -> dict:
        """For the export log and the workbook's first sheet; empty filters are left out."""
        values = {
            "programme_start_from": self.start_from.isoformat() if self.start_from else "",
            "programme_start_to": self.start_to.isoformat() if self.start_to else "",
            "aetiology": self.aetiology,
            "template": self.template.name if self.template else "",
            "programme_status": self.status,
        }
        return {key: value for key, value in values.items() if value}

    def describe(self) -> str:
        labels = {
            "aetiology": dict(Aetiology.choices),
            "programme_status": dict(ProgrammeStatus.choices),
        }
        parts = [
            f"{key.replace('_', ' ')}: {labels.get(key, {}).get(value, value)}"
            for key, value in self.as_json().items()
        ]
        return "; ".join(parts) if parts else "all programmes"


# --- the results table -------------------------------------------------------------------------


@dataclass(frozen=True)
class Observation:
    programme_id: int
    arm: str
    timepoint: str
    values: dict  # export name -> value or None


@dataclass
class Results:
    # (arm, column, measure) -> stats.Summary; column is a timepoint or change_<timepoint>
    cells: dict

    def summary(self, arm: str, column: str, measure: str) -> stats.Summary:
        return self.cells.get((arm, column, measure), stats.summarise([]))

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


def results_from(observations: Iterable[Observation]) -> Results:
    """Summaries by arm, timepoint and measure, and of each programme's change from baseline.

    A programme without a visit at a timepoint (or without the measure at it) is simply not
    counted in that cell; a change needs the measure at both baseline and the later visit.
    """
    values = defaultdict(list)
    by_programme: dict[int, dict[str, dict]] = defaultdict(dict)
    arm_of: dict[int, str] = {}
    for obs in observations:
        if obs.timepoint not in TIMEPOINTS:
            continue
        arm_of[obs.programme_id] = obs.arm
        by_programme[obs.programme_id][obs.timepoint] = obs.values
        for name in MEASURE_NAMES:
            values[(obs.arm, obs.timepoint, name)].append(obs.values.get(name))
    for programme_id, visits in by_programme.items():
        baseline = visits.get(schedule.BASELINE)
        if baseline is None:
            continue
        for timepoint in CHANGE_TIMEPOINTS:
            later = visits.get(timepoint)
            if later is None:
                continue
            arm, column = arm_of[programme_id], change_key(timepoint)
            for name in MEASURE_NAMES:
                # stats.changes, inlined: this loop runs for every programme and measure.
                before, after = baseline.get(name), later.get(name)
                if before is not None and after is not None:
                    values[(arm, column, name)].append(_number(after) - _number(before))
    return Results(
        cells={key: stats.summarise(_number(v) for v in vs) for key, vs in values.items()}
    )


def _number(value):
    return float(value) if isinstance(value, Decimal) else value


def observations(programmes) -> Iterable[Observation]:
    """The scheduled visits of `programmes`, read in chunks (values only, no model objects)."""
    rows = (
        Visit.objects.filter(programme__in=programmes, timepoint__in=TIMEPOINTS)
        .order_by()
        .values_list(*VISIT_FIELDS)
    )
    for pid, arm, timepoint, bal, gait, total, walk, stands, arms, sts, pain in rows.iterator(
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
            ),
        )


def clinic_results(clinic: Clinic, filters: OutcomeFilters) -> Results:
    return results_from(observations(filters.programmes(clinic)))


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
        labels=[TIMEPOINT_LABELS[t] for t in TIMEPOINTS],
        data=[
            (arm, label.split(" (")[0], marker, results.median_totals(arm))
            for (arm, label), marker in zip(ARMS, ("circle", "square"), strict=True)
        ],
        references=[(19, "moderate ≥19"), (24, "low risk ≥24")],
    )
