from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from programmes import services
from programmes.models import ChangeKind, PlanChange
from tests.programmes.helpers import loads

pytestmark = pytest.mark.django_db
D = Decimal
CURL = "Hamstring curl"


def _curl(programme):
    return programme.exercises.get(exercise__name=CURL)


def test_setting_one_weeks_load_changes_only_that_week_and_records_why(programme, clinician):
    before = loads(programme, CURL)
    services.plan_set_load(
        programme=programme, programme_exercise=_curl(programme), week=3, load_kg=D("15"),
        reason="Coped well", by=clinician, version=programme.version,
    )  # fmt: skip
    after = loads(programme, CURL)
    assert after[2] == D(15)
    assert after[:2] == before[:2] and after[3:] == before[3:]
    change = PlanChange.objects.get(kind=ChangeKind.SET_LOAD)
    assert (change.changed_by, change.reason, change.from_week) == (clinician, "Coped well", 3)
    assert change.loads == [{"week": 3, "old": "12.50", "new": "15.00"}]
    programme.refresh_from_db()
    assert programme.version == 2


@pytest.mark.parametrize(("load", "message"), [(D("13"), "multiple of 2.5"), (D(25), "ceiling")])
def test_a_load_off_the_plate_step_or_above_the_ceiling_is_refused(
    programme, clinician, load, message
):
    with pytest.raises(ValidationError, match=message):
        services.plan_set_load(
            programme=programme, programme_exercise=_curl(programme), week=3, load_kg=load,
            reason="x", by=clinician, version=programme.version,
        )  # fmt: skip
    assert not PlanChange.objects.exclude(kind=ChangeKind.ASSIGNED).exists()


@pytest.mark.parametrize("load", [D(-1), D(501)])
def test_negative_or_absurd_loads_are_refused(programme, clinician, load):
    with pytest.raises(ValidationError, match="between 0 and 500"):
        services.plan_set_load(
            programme=programme, programme_exercise=_curl(programme), week=3, load_kg=load,
            reason="x", by=clinician, version=programme.version,
        )  # fmt: skip


# The shipped plan of the curl (1RM 26.67 kg, 2.5 kg plates, ceiling 65 % = 17.3 -> 15 kg):
# 12.5 kg x 10 in weeks 1-6, x 12, 14, 15 in weeks 7-9, then 15 kg x 10 in weeks 10-12.


def test_adding_kilograms_lowers_a_weeks_repetitions_to_keep_two_in_reserve(programme, clinician):
    before = loads(programme, CURL)
    services.plan_shift_load(
        programme=programme, programme_exercise=_curl(programme), from_week=5, to_week=9,
        delta_kg=D("2.5"), reason="Strong", by=clinician, version=programme.version,
    )  # fmt: skip
    after = loads(programme, CURL)
    assert after[:4] == before[:4] and after[9:] == before[9:]
    assert after[4:9] == [D(15)] * 5
    # 15 kg is 56 % of 26.67: 16.75 repetitions to fatigue by Brzycki, so 14 at most.
    reps = [row.reps for row in _curl(programme).planned_loads.order_by("week")]
    assert reps == [10] * 6 + [12, 14, 14] + [10] * 3
    change = PlanChange.objects.get(kind=ChangeKind.SHIFT_KG)
    assert change.loads[-1] == {
        "week": 9, "old": "12.50", "new": "15.00", "old_reps": 15, "new_reps": 14
    }  # fmt: skip


def test_a_change_that_would_cross_the_ceiling_is_refused_with_the_numbers(programme, clinician):
    before = loads(programme, CURL)
    with pytest.raises(ValidationError) as refused:
        services.plan_shift_load(
            programme=programme, programme_exercise=_curl(programme), from_week=5,
            delta_kg=D(5), reason="Strong", by=clinician, version=programme.version,
        )  # fmt: skip
    assert refused.value.message_dict["amount"] == [
        "Hamstring curl: This would take weeks 5-12 to as much as 20 kg, above the ceiling of "
        "15 kg (65 % of the estimated 1RM). Choose a smaller change. Nothing was saved."
    ]
    assert loads(programme, CURL) == before


def test_a_load_leaving_fewer_than_two_in_reserve_is_refused_with_the_numbers(programme, clinician):
    pe = _curl(programme)
    pe.ceiling_pct = D(80)  # as a programme assigned before the rule could be
    pe.save()
    with pytest.raises(ValidationError) as refused:
        services.plan_set_load(
            programme=programme, programme_exercise=pe, week=12, load_kg=D(20),
            reason="Strong", by=clinician, version=programme.version,
        )  # fmt: skip
    assert refused.value.message_dict["amount"] == [
        "Hamstring curl, week 12: 20 kg is 75 % of the estimated 1RM (26.67 kg by Brzycki). "
        "3 x 10 at 75 % leaves no repetitions in reserve: at most 69 % for 10 repetitions. "
        "Choose a smaller change. Nothing was saved."
    ]
    assert loads(programme, CURL)[11] == D(15)


def test_removing_a_percentage_lowers_the_weeks_rounded_down(programme, clinician):
    services.plan_shift_load(
        programme=programme, programme_exercise=_curl(programme), from_week=1, to_week=2,
        delta_pct=D(-20), reason="Knee pain", by=clinician, version=programme.version,
    )  # fmt: skip
    assert loads(programme, CURL)[:3] == [D(10), D(10), D("12.5")]


def test_holding_a_week_repeats_the_previous_weeks_load(programme, clinician):
    services.plan_hold_week(
        programme=programme, programme_exercise=_curl(programme), week=10,
        reason="Needs time", by=clinician, version=programme.version,
    )  # fmt: skip
    assert loads(programme, CURL)[9] == loads(programme, CURL)[8] == D("12.5")


def test_a_deload_week_is_a_fraction_of_the_previous_week_and_marked(programme, clinician):
    services.plan_deload_week(
        programme=programme, programme_exercise=_curl(programme), week=4, percent=D(50),
        reason="Planned rest", by=clinician, version=programme.version,
    )  # fmt: skip
    pe = _curl(programme)
    week4 = pe.planned_loads.get(week=4)
    assert week4.load_kg == D("5") and week4.is_deload  # 50 % of 12.5, rounded down to 2.5


def test_a_stale_version_is_refused_and_nothing_changes(programme, clinician):
    stale = programme.version
    services.plan_hold_week(
        programme=programme, programme_exercise=_curl(programme), week=10,
        reason="First", by=clinician, version=stale,
    )  # fmt: skip
    before = loads(programme, CURL)
    with pytest.raises(ValidationError, match="changed by someone else meanwhile"):
        services.plan_shift_load(
            programme=programme, programme_exercise=_curl(programme), from_week=5,
            delta_kg=D("2.5"), reason="Second", by=clinician, version=stale,
        )  # fmt: skip
    assert loads(programme, CURL) == before


def test_a_change_that_moves_nothing_is_refused(programme, clinician):
    with pytest.raises(ValidationError, match="would not move any load"):
        services.plan_shift_load(
            programme=programme, programme_exercise=_curl(programme), from_week=12,
            delta_kg=D(1), reason="x", by=clinician, version=programme.version,
        )  # fmt: skip


def test_an_empty_reason_is_refused(programme, clinician):
    with pytest.raises(ValidationError):
        services.plan_hold_week(
            programme=programme, programme_exercise=_curl(programme), week=3,
            reason="  ", by=clinician, version=programme.version,
        )  # fmt: skip


# --- Through the browser ---------------------------------------------------------------------


def _post(client, programme, **data):
    url = reverse("programmes:plan_change", args=[programme.public_id])
    values = {"version": programme.version, "programme_exercise": _curl(programme).pk}
    return client.post(url, values | data)


def test_changing_the_load_from_week_five_moves_later_weeks_and_the_history_shows_who_and_why(
    clinician_client, programme, clinician
):
    before = loads(programme, CURL)
    response = _post(
        clinician_client, programme, change="shift_kg", week=5, to_week=9, amount="2.5",
        reason="Lifted 3 x 12 easily",
    )  # fmt: skip
    assert response.status_code == 302
    after = loads(programme, CURL)
    assert after[:4] == before[:4] and after[4] == before[4] + D("2.5")
    page = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert "Lifted 3 x 12 easily" in page
    assert str(clinician) in page
    assert "week 5: <del>12.5</del> → <ins>15</ins> kg;" in page
    assert "week 9: <del>12.5</del> → <ins>15</ins> kg (× <del>15</del> → <ins>14</ins>)" in page


def test_the_plan_change_form_is_prefilled_from_the_cell_chosen(clinician_client, programme):
    url = reverse("programmes:plan_change", args=[programme.public_id])
    response = clinician_client.get(f"{url}?exercise={_curl(programme).pk}&week=7")
    assert 'name="week" value="7"' in response.content.decode()


def test_a_stale_form_shows_the_message_and_saves_nothing(clinician_client, programme, clinician):
    old_version = programme.version
    services.plan_hold_week(
        programme=programme, programme_exercise=_curl(programme), week=10,
        reason="Someone else", by=clinician, version=old_version,
    )  # fmt: skip
    before = loads(programme, CURL)
    programme.version = old_version
    response = _post(
        clinician_client, programme, change="set_load", week=6, amount="15", reason="Mine"
    )
    assert response.status_code == 200
    assert "changed by someone else meanwhile: review and save again" in response.content.decode()
    assert loads(programme, CURL) == before


def test_a_change_without_reason_or_amount_shows_at_the_fields(clinician_client, programme):
    response = _post(clinician_client, programme, change="set_load", week=6, reason="")
    body = response.content.decode()
    assert "This field is required" in body or "Give the reason" in body
    assert "Give the amount for this change." in body
    assert PlanChange.objects.count() == 1  # only the assignment
