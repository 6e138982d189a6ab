"""The district table's reads: a fixed number of queries, however many clinics or patients.

Each figure is the one a clinic's own pages show, computed with their code, for every clinic at
once (grouped by clinic in SQL, or per programme in Python from one query):

- patients enrolled: every patient registered (any status);
- programmes active (open: active or paused) and completed, both arms;
- adherence: programmes.selectors.adherence of each intervention programme, summed;
- median change in Tinetti total and 6-minute walk, baseline to week 12: the intervention
  arm's cell of the clinic's outcomes table (assessments.outcomes.results_from);
- open flags: the home page's rules (programmes.attention), on the clinic's own day;
- visits overdue: the due-visits list's rule (assessments.selectors.programme_schedule).
"""

from __future__ import annotations

import hashlib
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.cache import caches
from django.db.models import Count, Q
from django.utils import timezone

from assessments import outcomes
from assessments import timepoints as schedule
from assessments.selectors import programme_schedule, recorded_timepoints
from patients.kept_pages import RELEASE
from patients.models import Clinic, Patient
from programmes.attention import _attention_rules as attention_rules
from programmes.models import (
    OPEN_STATUSES,
    RECORDED_VISIT_FIELDS,
    Arm,
    ExerciseSession,
    Programme,
    ProgrammeStatus,
)
from programmes.selectors import adherence

from .figures import NO_VALUES, ClinicFigures, total

# The programme fields the adherence and the visit schedule read (no other column is needed).
PROGRAMME_FIELDS = (
    "clinic",
    "arm",
    "status",
    "start_date",
    "weeks",
    "sessions_per_week",
    "paused_days",
    "paused_on",
    "pauses",
    "ended_on",
    *RECORDED_VISIT_FIELDS.values(),
)
CHANGE = outcomes.change_key(schedule.WEEK12)


@dataclass
class DistrictTable:
    rows: list[ClinicFigures]
    total: ClinicFigures


def clinic_today(clinic: Clinic) -> date:
    """The clinic's own day: flags and overdue visits move with it, as on its pages."""
    return timezone.localdate(timezone=zoneinfo.ZoneInfo(clinic.time_zone))


def district_table(clinics) -> DistrictTable:
    """The figures of `clinics` (a queryset: the district's), one row each by name.

    Kept in the pages cache until a record of any of the clinics changes: the key holds each
    clinic's data version (patients.kept_pages renews it after every write) and day, read with
    the clinics. Computing them reads every programme of the district, which grows with it."""
    clinics = list(clinics.order_by("name", "pk").only("name", "time_zone", "data_version"))
    seconds = settings.LEGWORK_KEPT_PAGE_SECONDS
    if not seconds:
        return _figures(clinics)
    versions = [(c.pk, c.name, str(c.data_version), clinic_today(c).isoformat()) for c in clinics]
    key = "district:" + hashlib.sha256(repr((RELEASE, versions)).encode()).hexdigest()
    table = caches["pages"].get(key)
    if table is None:
        table = _figures(clinics)
        caches["pages"].set(key, table, seconds)
    return table


def _figures(clinics: list[Clinic]) -> DistrictTable:
    rows = {clinic.pk: ClinicFigures(name=clinic.name) for clinic in clinics}
    if not rows:
        return DistrictTable(rows=[], total=total([], NO_VALUES, NO_VALUES))
    todays = {clinic.pk: clinic_today(clinic) for clinic in clinics}
    _count_patients(rows)
    _count_programmes(rows, todays)
    arm_of = _follow_programmes(rows, todays)
    district_changes = _week12_changes(rows, arm_of)
    return DistrictTable(
        rows=list(rows.values()),
        total=total(list(rows.values()), *district_changes),
    )


def _count_patients(rows: dict) -> None:
    counts = (
        Patient.objects.filter(clinic_id__in=rows)
        .values_list("clinic_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for clinic_id, n in counts:
        rows[clinic_id].patients = n


def _flagged(todays: dict[int, date]) -> Q:
    """The home page's flag rules, each clinic on its own day (clinics sharing a day together)."""
    by_day = defaultdict(list)
    for clinic_id, day in todays.items():
        by_day[day].append(clinic_id)
    conditions = []
    for day, clinic_ids in by_day.items():
        rules = attention_rules(day)
        conditions.append(
            Q(clinic_id__in=clinic_ids, status=ProgrammeStatus.ACTIVE, arm=Arm.INTERVENTION)
            & (rules["alert"] | rules["pain_up"] | rules["idle"])
        )
    return reduce(or_, conditions)


def _count_programmes(rows: dict, todays: dict[int, date]) -> None:
    counts = (
        Programme.objects.filter(clinic_id__in=rows)
        .values_list("clinic_id")
        .annotate(
            active=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            completed=Count("pk", filter=Q(status=ProgrammeStatus.COMPLETED)),
            flags=Count("pk", filter=_flagged(todays)),
        )
        .order_by()
    )
    for clinic_id, active, completed, flags in counts:
        row = rows[clinic_id]
        row.programmes_active, row.programmes_completed, row.open_flags = active, completed, flags


def _follow_programmes(rows: dict, todays: dict[int, date]) -> dict[int, int]:
    """Adherence and overdue visits, programme by programme (2 queries); returns each
    intervention programme's clinic, for the outcomes."""
    programmes = Programme.objects.filter(clinic_id__in=rows).filter(
        Q(arm=Arm.INTERVENTION) | Q(status__in=OPEN_STATUSES)
    )
    done = defaultdict(dict)  # programme -> {week: sessions}
    sessions = (
        ExerciseSession.objects.filter(
            programme__clinic_id__in=rows, programme__arm=Arm.INTERVENTION
        )
        .values_list("programme_id", "week")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for programme_id, week, n in sessions:
        done[programme_id][week] = n
    clinic_of = {}
    for programme in programmes.only(*PROGRAMME_FIELDS).order_by():
        row, today = rows[programme.clinic_id], todays[programme.clinic_id]
        if programme.arm == Arm.INTERVENTION:
            clinic_of[programme.pk] = programme.clinic_id
            figures = adherence(programme, done.get(programme.pk, {}), today)
            row.sessions_done += figures["done"]
            row.sessions_planned += figures["planned"]
        if programme.is_open:
            visits = programme_schedule(programme, recorded_timepoints(programme), today)
            row.visits_overdue += sum(status.state == schedule.OVERDUE for status in visits)
    return clinic_of


def _week12_changes(rows: dict, clinic_of: dict[int, int]):
    """Each clinic's median changes to week 12 (from one query on the visits); returns the
    district's, over all its programmes."""
    programmes = Programme.objects.filter(clinic_id__in=rows, arm=Arm.INTERVENTION)
    by_clinic = defaultdict(list)
    everyone = []
    for observation in outcomes.observations(programmes):
        clinic_id = clinic_of.get(observation.programme_id)
        if clinic_id is not None:  # None: a programme assigned since the read before
            by_clinic[clinic_id].append(observation)
            everyone.append(observation)
    for clinic_id, observations in by_clinic.items():
        rows[clinic_id].tinetti_change, rows[clinic_id].walk_change = _changes(observations)
    return _changes(everyone)


def _changes(observations):
    results = outcomes.results_from(observations)
    return (
        results.summary(Arm.INTERVENTION, CHANGE, "tinetti_total"),
        results.summary(Arm.INTERVENTION, CHANGE, "walk6_m"),
    )
