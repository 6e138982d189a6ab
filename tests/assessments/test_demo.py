from datetime import timedelta
from statistics import median

import pytest
from django.utils import timezone

from assessments.demo import load_demo_assessments
from assessments.models import Visit
from assessments.selectors import programme_windows
from programmes.models import Arm
from tests.factories import ClinicFactory, ClinicianFactory, PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_clinic():
    clinic = ClinicFactory()
    today = timezone.localdate()
    for number in range(24):
        ProgrammeFactory(
            patient=PatientFactory(clinic=clinic, sex="male" if number % 2 else "female"),
            arm=Arm.INTERVENTION if number % 2 else Arm.CONTROL,
            # Most have finished their 12 weeks; the last few started recently.
            start_date=today - timedelta(days=100 if number < 20 else 10),
        )
    return clinic, {"physio": ClinicianFactory(clinic=clinic)}


def medians(arm, timepoint):
    visits = Visit.objects.filter(programme__arm=arm, timepoint=timepoint)
    return median(v.tinetti_balance for v in visits), median(v.tinetti_gait for v in visits)


def test_the_demo_improves_the_exercise_group_and_leaves_the_control_group_flat(demo_clinic):
    load_demo_assessments(*demo_clinic)
    base_b, base_g = medians(Arm.INTERVENTION, "baseline")
    end_b, end_g = medians(Arm.INTERVENTION, "week12")
    assert 9 <= base_b <= 11 and 6 <= base_g <= 8
    assert end_b - base_b >= 3 and end_g - base_g >= 2
    control_base, _ = medians(Arm.CONTROL, "baseline")
    control_end, control_gait = medians(Arm.CONTROL, "week12")
    assert abs(control_end - control_base) <= 1.5 and 7 <= control_gait <= 9


def test_the_demo_makes_only_visits_whose_date_has_passed(demo_clinic):
    load_demo_assessments(*demo_clinic)
    assert not Visit.objects.filter(assessed_on__gt=timezone.localdate()).exists()
    recent = Visit.objects.filter(programme__start_date__gt=timezone.localdate() - timedelta(30))
    assert set(recent.values_list("timepoint", flat=True)) == {"baseline"}


def test_the_demo_is_the_same_every_time(demo_clinic):
    load_demo_assessments(*demo_clinic)
    first = list(Visit.objects.order_by("pk").values_list("tinetti_total", "walk_distance_m"))
    Visit.history.all().delete()
    Visit.objects.all().delete()
    load_demo_assessments(*demo_clinic)
    again = list(Visit.objects.order_by("pk").values_list("tinetti_total", "walk_distance_m"))
    assert first == again and len(first) == 20 * 3 + 4


def test_demo_visits_fall_inside_their_windows_and_none_is_a_deviation(demo_clinic):
    load_demo_assessments(*demo_clinic)
    later = Visit.objects.filter(timepoint__in=["week6", "week12"]).select_related("programme")
    assert later.count() == 40
    for visit in later:
        window = programme_windows(visit.programme, visit.assessed_on)[visit.timepoint]
        assert window.contains(visit.assessed_on) and not visit.deviation_reason


def test_a_completed_programmes_week_12_visit_is_on_or_before_its_completion():
    clinic = ClinicFactory()
    start = timezone.localdate() - timedelta(days=110)
    programmes = [
        ProgrammeFactory(
            patient=PatientFactory(clinic=clinic),
            start_date=start,
            status="completed",
            ended_on=start + timedelta(days=83),  # the last day of week 12, as the demo does
        )
        for _ in range(6)
    ]
    load_demo_assessments(clinic, {"physio": ClinicianFactory(clinic=clinic)})
    days = [p.visits.get(timepoint="week12").study_day for p in programmes]
    assert all(77 <= day <= 83 for day in days)
