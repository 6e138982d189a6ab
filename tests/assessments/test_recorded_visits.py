"""Each programme's has_*_visit fields, which the "visits due" list reads instead of the visits:
kept by the visit services, and filled in for existing data by a migration."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from assessments import services
from assessments import timepoints as schedule
from assessments.selectors import due_visits
from programmes.models import RECORDED_VISIT_FIELDS, Programme
from tests.assessments.factories import make_visit
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def recorded(programme) -> set[str]:
    programme = Programme.objects.get(pk=programme.pk)
    return {t for t, field in RECORDED_VISIT_FIELDS.items() if getattr(programme, field)}


def test_there_is_a_field_for_each_scheduled_timepoint():
    assert tuple(RECORDED_VISIT_FIELDS) == schedule.SCHEDULED


def test_recording_a_scheduled_visit_marks_it_and_only_it(programme, clinician, today):
    assert recorded(programme) == set()
    make_visit(programme=programme, assessed_on=today - timedelta(days=40), by=clinician)
    assert recorded(programme) == {"baseline"}
    make_visit(programme=programme, timepoint="unscheduled", assessed_on=today, by=clinician)
    assert recorded(programme) == {"baseline"}


def test_a_visit_corrected_to_another_timepoint_moves_the_mark(programme, clinician, today):
    visit = make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    assert recorded(programme) == {"week6"}
    services.visit_update(visit=visit, by=clinician, timepoint="baseline")
    assert recorded(programme) == {"baseline"}


def test_a_refused_visit_marks_nothing(programme, clinician, today):
    make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    with pytest.raises(ValidationError):
        make_visit(programme=programme, timepoint="baseline", assessed_on=None, by=clinician)
    assert recorded(programme) == {"week6"}


def test_the_migration_marks_the_visits_already_recorded(programme, clinician, today):
    make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    Programme.objects.update(has_baseline_visit=True, has_week6_visit=False)
    migration = importlib.import_module("assessments.migrations.0003_backfill_recorded_visits")
    migration.backfill(apps, None)
    # It adds the marks of recorded visits; on a new column every mark starts false.
    assert {"week6"} <= recorded(programme)


def test_the_due_list_no_longer_shows_a_recorded_visit(programme, clinician, today):
    due = due_visits(clinician, today)
    assert [d.status.timepoint for d in due.this_week] == ["week6"]
    make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    assert due_visits(clinician, today).this_week == []


def test_a_visit_cannot_be_moved_to_another_programme(programme, clinician, today):
    visit = make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    other = ProgrammeFactory(
        patient=programme.patient, start_date=today - timedelta(days=400), status="completed",
        ended_on=today - timedelta(days=300),
    )  # fmt: skip
    with pytest.raises(ValueError, match="cannot be moved"):
        services.visit_update(visit=visit, by=clinician, programme=other)
    assert recorded(programme) == {"week6"}
