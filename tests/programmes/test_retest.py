"""Re-testing strength mid-programme: the new 1RM beside the old, the weeks left re-planned from
it by the same rules, what is logged kept, the change in the plan's history; bad tests refused
at their field with the numbers, and nothing saved."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import (
    ChangeKind,
    PlanChange,
    ProgrammeExercise,
    StrengthRetest,
)
from programmes.progression import strength
from tests.programmes.helpers import assign, log

pytestmark = pytest.mark.django_db
D = Decimal
CURL = "Hamstring curl"
TODAY = timezone.localdate


@pytest.fixture
def programme(patient, clinician):
    """Started 41 days ago: today is day 42, the last day of week 6 (the week-6 visit)."""
    programme = assign(patient, clinician, days_ago=41)
    log(programme, clinician, days_ago=3)  # a session in week 6
    return programme


def _curl(programme):
    return programme.exercises.get(exercise__name=CURL)


def _plan(pe):
    return [(row.load_kg, row.reps) for row in pe.planned_loads.order_by("week")]


def _retest(programme, clinician, *, load="25", reps=8, **kwargs):
    programme.refresh_from_db()
    values = {
        "programme": programme,
        "programme_exercise": _curl(programme),
        "tested_on": TODAY(),
        "load_kg": D(load),
        "reps": reps,
        "occasion": "week6_visit",
        "by": clinician,
        "version": programme.version,
    }
    return services.strength_retest(**(values | kwargs))


def test_a_stronger_retest_replans_only_the_weeks_after_the_logged_one(programme, clinician):
    pe = _curl(programme)
    before = _plan(pe)
    old_rm = pe.one_rm_kg
    retest = _retest(programme, clinician, load="25", reps=8)  # 1RM 25 x 36/29 = 31.03 kg

    pe.refresh_from_db()
    assert pe.one_rm_kg == D("31.03") > old_rm
    assert retest.previous_one_rm_kg == old_rm and retest.from_week == 7
    after = _plan(pe)
    assert after[:6] == before[:6]  # week 6 has a session logged: its targets stay
    assert after[6:] != before[6:]
    # The same rules as at assignment, continuing from week 6: one step at a time, 2 in reserve,
    # never above the new ceiling, every load a multiple of the step.
    ceiling = strength.ceiling_load(pe.one_rm_kg, pe.ceiling_pct, pe.load_step_kg)
    for (prev_load, _), (load, reps) in zip(after[5:], after[6:], strict=False):
        assert load - prev_load <= pe.load_step_kg
        assert load <= ceiling and load % pe.load_step_kg == 0
        assert reps <= strength.reps_allowed(load, pe.one_rm_kg, pe.formula)
    change = PlanChange.objects.get(kind=ChangeKind.RETEST)
    assert (change.from_week, change.to_week, change.programme_exercise) == (7, 12, pe)
    assert change.reason.startswith(
        f"Re-test 25 kg × 8: estimated 1RM 31.03 kg by Brzycki, was {old_rm.normalize():f} kg"
    )
    assert "at the week-6 visit" in change.reason
    assert {entry["week"] for entry in change.loads} <= set(range(7, 13))
    assert change.loads  # the weeks that moved, old and new
    assert pe.history.first().one_rm_kg == D("31.03")  # the exercise's own history too


def test_a_weaker_retest_brings_the_loads_down_to_the_new_schedule(programme, clinician):
    pe = _curl(programme)
    before = _plan(pe)
    _retest(programme, clinician, load="5", reps=8)  # 1RM 6.21 kg: much weaker
    pe.refresh_from_db()
    after = _plan(pe)
    ceiling = strength.ceiling_load(pe.one_rm_kg, pe.ceiling_pct, pe.load_step_kg)
    assert all(load <= ceiling for load, _ in after[6:])
    assert after[6][0] < before[5][0]  # down at once: never above what the new 1RM allows
    for load, reps in after[6:]:
        assert reps <= strength.reps_allowed(load, pe.one_rm_kg, pe.formula)


def test_with_no_session_logged_this_week_the_replan_starts_this_week(patient, clinician):
    programme = assign(patient, clinician, days_ago=38)  # week 6, nothing logged
    retest = _retest(programme, clinician)
    assert retest.from_week == 6


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("reps", {"reps": 0}, "0 repetitions: a test to fatigue is at least 1 repetition."),
        ("reps", {"reps": 13}, "13 repetitions: a test to fatigue is 1 to 12 repetitions"),
        ("load_kg", {"load_kg": D(0)}, "The test load is more than 0 and at most 500 kg."),
        ("tested_on", {"tested_on": TODAY() + timedelta(days=1)}, "dated after today"),
        ("tested_on", {"tested_on": TODAY() - timedelta(days=60)}, "a re-test is on or after"),
    ],
)
def test_an_impossible_test_is_refused_at_its_field_and_nothing_saved(
    programme, clinician, field, values, message
):
    pe = _curl(programme)
    before, version = _plan(pe), programme.version
    with pytest.raises(ValidationError) as refused:
        _retest(programme, clinician, **values)
    assert message in " ".join(refused.value.message_dict[field])
    pe.refresh_from_db()
    programme.refresh_from_db()
    assert _plan(pe) == before and programme.version == version
    assert not StrengthRetest.objects.exists()


def test_a_retest_whose_ceiling_falls_below_the_step_is_refused_with_the_numbers(
    programme, clinician
):
    with pytest.raises(ValidationError) as refused:
        _retest(programme, clinician, load="2.5", reps=3)  # 1RM 2.65 kg; 65 % is 1.72 kg
    message = refused.value.message_dict["load_kg"][0]
    assert (
        "estimated 1RM of 2.65 kg, whose ceiling of 65 % is 1.72 kg, below the equipment's "
        "smallest step of 2.5 kg: every load would cross the ceiling"
    ) in message
    assert message.endswith("Nothing was saved.")
    assert not StrengthRetest.objects.exists()


def test_a_stale_page_is_refused(programme, clinician):
    with pytest.raises(ValidationError, match="changed by someone else"):
        _retest(programme, clinician, version=programme.version - 1)


def test_the_last_week_under_way_leaves_nothing_to_replan(patient, clinician):
    programme = assign(patient, clinician, days_ago=80)  # week 12
    log(programme, clinician, days_ago=0)
    with pytest.raises(ValidationError, match="no week left to re-plan"):
        _retest(programme, clinician)


# --- The page: see the new plan, then confirm ------------------------------------------------


def _page(programme):
    return reverse("programmes:retest", args=[programme.public_id])


def _post(programme, **extra):
    pe = _curl(programme)
    return {
        "version": programme.version,
        "programme_exercise": pe.pk,
        "tested_on": TODAY().isoformat(),
        "occasion": "week6_visit",
        "load_kg": "25",
        "reps": "8",
        "note": "Felt easy at 15 kg.",
        **extra,
    }


def test_the_page_shows_the_new_plan_first_and_saves_only_when_confirmed(
    clinician_client, programme
):
    pe = _curl(programme)
    before = _plan(pe)
    url = _page(programme) + f"?exercise={pe.pk}&at=week6_visit"
    page = clinician_client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["occasion"].value() == "week6_visit"

    shown = clinician_client.post(_page(programme), _post(programme, preview="1"))
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "31.03 kg" in text and f"{pe.one_rm_kg.normalize():f} kg" in text
    assert "Save the test and re-plan weeks 7 to 12" in text
    assert "between two tests is unusual" not in text  # +16 %
    assert _plan(pe) == before and not StrengthRetest.objects.exists()  # a preview saves nothing

    previewed = shown.context["form"]["previewed"].value()
    done = clinician_client.post(
        _page(programme), _post(programme, confirm="1", previewed=previewed)
    )
    assert done.status_code == 302
    assert StrengthRetest.objects.get().note == "Felt easy at 15 kg."
    pe.refresh_from_db()
    assert _plan(pe) != before
    detail = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "Re-tested strength, re-planned" in detail


def test_a_confirmation_of_other_values_than_those_shown_shows_the_plan_again(
    clinician_client, programme
):
    shown = clinician_client.post(_page(programme), _post(programme, preview="1"))
    previewed = shown.context["form"]["previewed"].value()
    again = clinician_client.post(
        _page(programme), _post(programme, confirm="1", previewed=previewed, reps="5")
    )
    assert again.status_code == 200 and not StrengthRetest.objects.exists()
    assert "Not saved: the test changed after its new plan was shown" in again.content.decode()
    assert "Save the test and re-plan" in again.content.decode()


def test_the_page_refuses_13_repetitions_at_the_field(clinician_client, programme):
    page = clinician_client.post(_page(programme), _post(programme, reps="13", preview="1"))
    assert "Repetitions to fatigue must be 1 to 12" in str(page.context["form"].errors["reps"])
    assert not StrengthRetest.objects.exists()


def test_the_programme_page_offers_a_retest_per_exercise(clinician_client, programme):
    page = clinician_client.get(programme.get_absolute_url()).content.decode()
    for pe in ProgrammeExercise.objects.filter(programme=programme):
        assert f"{_page(programme)}?exercise={pe.pk}" in page.replace("&amp;", "&")


def test_the_week6_visit_and_the_session_form_lead_to_a_retest(clinician_client, programme):
    from tests.assessments.factories import make_visit

    visit = make_visit(programme=programme, timepoint="week6", assessed_on=TODAY())
    page = clinician_client.get(reverse("assessments:visit", args=[visit.public_id]))
    expected = f"{_page(programme)}?at=week6_visit&date={TODAY():%Y-%m-%d}"
    assert expected in page.content.decode().replace("&amp;", "&")
    form = clinician_client.get(reverse("programmes:session_record", args=[programme.public_id]))
    expected = f"{_page(programme)}?at=session&date={TODAY():%Y-%m-%d}"
    assert expected in form.content.decode().replace("&amp;", "&")
    opened = clinician_client.get(expected)
    assert opened.context["form"]["occasion"].value() == "session"
    assert str(opened.context["form"]["tested_on"].value()) == f"{TODAY():%Y-%m-%d}"


def test_an_unusual_change_asks_the_clinician_to_check_before_saving(clinician_client, programme):
    page = clinician_client.post(_page(programme), _post(programme, load_kg="40", preview="1"))
    assert "A change of +86 % between two tests is unusual" in page.content.decode()


def test_a_control_arm_programme_has_no_retest(clinician_client, patient, clinician):
    from programmes.models import Arm

    programme = assign(patient, clinician, days_ago=41, arm=Arm.CONTROL)
    page = clinician_client.get(_page(programme), follow=True)
    assert page.redirect_chain[-1][0] == programme.get_absolute_url()
    assert "no exercise plan to re-test" in page.content.decode()


def test_a_completed_programme_refuses_a_retest(programme, clinician):
    services.programme_complete(
        programme=programme, by=clinician, on=TODAY(), reason="Done", version=programme.version
    )
    with pytest.raises(ValidationError, match="its plan is closed"):
        _retest(programme, clinician)


def test_the_new_plan_names_the_changes_made_by_hand_that_it_replaces(
    clinician_client, programme, clinician
):
    pe = _curl(programme)
    services.plan_hold_week(
        programme=programme, programme_exercise=pe, week=10, reason="Sore knee in week 9",
        by=clinician, version=programme.version,
    )  # fmt: skip
    programme.refresh_from_db()
    page = clinician_client.post(_page(programme), _post(programme, preview="1"))
    text = page.content.decode()
    assert "Re-planning replaces a change made to these weeks before" in text
    assert "Held the load, week 10" in text and "Sore knee in week 9" in text
    other = programme.exercises.exclude(pk=pe.pk).first()
    page = clinician_client.post(
        _page(programme), _post(programme, preview="1", programme_exercise=other.pk)
    )
    assert "Re-planning replaces" not in page.content.decode()  # another exercise's hold


def test_when_the_test_was_done_is_chosen_never_assumed(clinician_client, programme):
    page = clinician_client.get(_page(programme))
    assert page.context["form"]["occasion"].value() in (None, "")
    refused = clinician_client.post(_page(programme), _post(programme, occasion="", preview="1"))
    assert "occasion" in refused.context["form"].errors
