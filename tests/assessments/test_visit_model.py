"""The database refuses bad visits by any door, not just the form."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from assessments import services, tinetti
from assessments.models import Visit
from tests.assessments.factories import lines_totalling, make_visit
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def refused_by_the_database(**changes):
    visit = make_visit()
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(**changes)


@pytest.mark.parametrize("item", tinetti.ITEMS, ids=lambda item: item.code)
def test_each_line_above_its_range_is_refused_by_the_database(item):
    refused_by_the_database(**{item.code: item.max_score + 1})


def test_a_missing_line_is_refused_by_the_database():
    refused_by_the_database(trunk=None)


def test_stored_subtotals_that_disagree_with_the_lines_are_refused_by_the_database():
    refused_by_the_database(tinetti_total=28)
    refused_by_the_database(tinetti_balance=16, tinetti_total=23)


@pytest.mark.parametrize(
    "changes",
    [
        {"walk_distance_m": 1001},
        {"chair_stands": 41},
        {"sts_seconds": "1.9", "sts_convention": "fifth_sit"},
        {"sts_seconds": "120.1", "sts_convention": "fifth_sit"},
        {"sts_seconds": "12.0"},  # no timing convention
        {"pain_nrs": 11},
        {"walk_hr_before": 80},  # walk details without a distance
        {"timepoint": "week7"},
    ],
)
def test_measures_out_of_range_are_refused_by_the_database(changes):
    refused_by_the_database(**changes)


def test_the_database_allows_one_week_6_visit_per_programme():
    first = make_visit(timepoint="week6", assessed_on=date(2026, 10, 12), balance=None, pain_nrs=2)
    with pytest.raises(IntegrityError, match="visit_one_scheduled|UNIQUE"), transaction.atomic():
        Visit.objects.create(  # straight to the database, past every check in Python
            clinic=first.clinic,
            patient=first.patient,
            programme=first.programme,
            timepoint="week6",
            assessed_on=date(2026, 10, 13),
            assessor=first.assessor,
            pain_nrs=2,
        )


def test_two_week_6_visits_of_different_programmes_are_fine():
    make_visit(timepoint="week6", assessed_on=date(2026, 10, 12))
    make_visit(timepoint="week6", assessed_on=date(2026, 10, 12))
    assert Visit.objects.count() == 2


def test_the_service_computes_the_subtotals_from_the_lines():
    visit = make_visit(balance=13, gait=9)
    assert (visit.tinetti_balance, visit.tinetti_gait, visit.tinetti_total) == (13, 9, 22)
    assert visit.tinetti_score.risk == "moderate"


def test_the_service_refuses_an_incomplete_or_unknown_tinetti_naming_the_line():
    programme = ProgrammeFactory()
    lines = lines_totalling(10, 7)
    del lines["walking_stance"]
    with pytest.raises(ValidationError) as refused:
        services.visit_record(
            programme=programme,
            by=None,
            timepoint="baseline",
            assessed_on=date(2026, 9, 7),
            tinetti_lines=lines,
        )
    assert "walking_stance" in refused.value.message_dict
    assert not Visit.objects.exists()


def test_the_service_refuses_the_same_follow_up_twice_on_one_day():
    visit = make_visit(timepoint="followup", assessed_on=date(2026, 10, 1))
    with pytest.raises(ValidationError) as refused:
        make_visit(programme=visit.programme, timepoint="followup", assessed_on=date(2026, 10, 1))
    assert "timepoint" in refused.value.message_dict
    make_visit(programme=visit.programme, timepoint="followup", assessed_on=date(2026, 10, 2))
    assert Visit.objects.count() == 2


def test_the_service_keeps_the_visit_with_the_programmes_patient_and_clinic():
    programme = ProgrammeFactory()
    visit = make_visit(programme=programme)
    assert visit.patient == programme.patient and visit.clinic == programme.clinic
