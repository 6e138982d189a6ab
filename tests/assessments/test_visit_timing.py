"""Visits recorded before the week-6 and week-12 targets moved to the end of those weeks (issue 13:
days 35/77 -> 42/84) stay as they were recorded: their scores can be corrected, their date and
deviation are not re-judged; a new or re-dated visit meets today's window."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services, tinetti
from assessments import timepoints as schedule
from assessments.models import Visit
from tests.assessments.factories import make_visit
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db

OLD_TARGETS = {schedule.WEEK6: 35, schedule.WEEK12: 77}


@pytest.fixture
def old_rule(monkeypatch):
    """Record under the targets in force before issue 13, then go back to today's."""

    def record(**kwargs):
        with monkeypatch.context() as patched:
            patched.setattr(schedule, "TARGET_DAY", OLD_TARGETS)
            return make_visit(**kwargs)

    return record


@pytest.fixture
def started_50_days_ago(patient, today):
    return ProgrammeFactory(patient=patient, start_date=today - timedelta(days=50))


def on_day(programme, n):
    return programme.start_date + timedelta(days=n)


def test_a_new_week_6_visit_on_day_30_is_too_early(started_50_days_ago, clinician):
    with pytest.raises(ValidationError, match="Too early for the week 6 visit"):
        make_visit(
            programme=started_50_days_ago,
            timepoint="week6",
            assessed_on=on_day(started_50_days_ago, 30),
            by=clinician,
        )


def test_a_week_6_visit_recorded_on_day_30_before_the_change_can_still_be_corrected(
    old_rule, started_50_days_ago, clinician
):
    day_30 = on_day(started_50_days_ago, 30)
    visit = old_rule(
        programme=started_50_days_ago, timepoint="week6", assessed_on=day_30, by=clinician
    )
    services.visit_update(visit=visit, by=clinician, pain_nrs=3)
    visit.refresh_from_db()
    assert (visit.pain_nrs, visit.assessed_on, visit.timepoint) == (3, day_30, "week6")
    assert visit.deviation_reason == ""  # not turned into a deviation behind anyone's back


def test_re_dating_such_a_visit_meets_the_new_window(old_rule, started_50_days_ago, clinician):
    visit = old_rule(
        programme=started_50_days_ago,
        timepoint="week6",
        assessed_on=on_day(started_50_days_ago, 30),
        by=clinician,
    )
    with pytest.raises(ValidationError, match="Too early for the week 6 visit"):
        services.visit_update(
            visit=visit, by=clinician, assessed_on=on_day(started_50_days_ago, 31)
        )
    visit = Visit.objects.get(pk=visit.pk)
    services.visit_update(visit=visit, by=clinician, assessed_on=on_day(started_50_days_ago, 36))
    assert Visit.objects.get(pk=visit.pk).assessed_on == on_day(started_50_days_ago, 36)


def test_a_reason_cannot_be_added_to_a_visit_before_its_window(
    old_rule, started_50_days_ago, clinician
):
    visit = old_rule(
        programme=started_50_days_ago,
        timepoint="week6",
        assessed_on=on_day(started_50_days_ago, 30),
        by=clinician,
    )
    with pytest.raises(ValidationError, match="before the week 6 window, not after it"):
        services.visit_update(visit=visit, by=clinician, deviation_reason="late")


def test_a_deviation_recorded_before_the_change_keeps_its_reason_on_correction(
    old_rule, started_50_days_ago, clinician
):
    # Day 45 was after the old window (28-42) and is inside the new one (35-49).
    visit = old_rule(
        programme=started_50_days_ago,
        timepoint="week6",
        assessed_on=on_day(started_50_days_ago, 45),
        by=clinician,
        deviation_reason="In hospital",
    )
    services.visit_update(visit=visit, by=clinician, pain_nrs=4)
    services.visit_update(visit=visit, by=clinician, deviation_reason="In hospital for malaria")
    visit.refresh_from_db()
    assert (visit.pain_nrs, visit.deviation_reason) == (4, "In hospital for malaria")


def test_a_new_visit_within_the_window_still_cannot_be_a_deviation(started_50_days_ago, clinician):
    with pytest.raises(ValidationError, match="so it is not a deviation"):
        make_visit(
            programme=started_50_days_ago,
            timepoint="week6",
            assessed_on=on_day(started_50_days_ago, 45),
            by=clinician,
            deviation_reason="In hospital",
        )


def test_a_late_visit_still_cannot_lose_its_reason(today):
    programme = ProgrammeFactory(start_date=today - timedelta(days=60))
    visit = make_visit(
        programme=programme,
        timepoint="week6",
        assessed_on=on_day(programme, 55),
        deviation_reason="In hospital",
    )
    with pytest.raises(ValidationError, match="The week 6 window closed on"):
        services.visit_update(visit=visit, by=None, deviation_reason="")


def test_the_edit_page_saves_a_correction_to_a_visit_recorded_before_the_change(
    clinician_client, old_rule, started_50_days_ago, clinician
):
    visit = old_rule(
        programme=started_50_days_ago,
        timepoint="week6",
        assessed_on=on_day(started_50_days_ago, 45),
        by=clinician,
        deviation_reason="In hospital",
    )
    url = reverse("assessments:edit", kwargs={"public_id": visit.public_id})
    form = clinician_client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        assessor=str(clinician.pk),
        assessed_on=visit.assessed_on.isoformat(),
        **{code: str(getattr(visit, code)) for code in tinetti.CODES},
        tinetti_done="yes",
        deviation_confirmed="on",
    )
    data["step_symmetry"] = "0"  # was 1: gait 7 -> 6
    response = clinician_client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    visit.refresh_from_db()
    assert (visit.tinetti_gait, visit.deviation_reason) == (6, "In hospital")
