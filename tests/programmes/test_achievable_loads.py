"""A loaded exercise is never planned below its equipment's smallest step (0 kg, which the
patient would read as "no added weight"), by any door: a plan change of any kind, or the
baseline test at assignment (DOMAIN.md section 4, "Loads must be achievable")."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from programmes import services
from programmes.models import ChangeKind, Equipment, PlanChange, PlannedLoad, Programme
from programmes.progression import plans
from tests.factories import TemplateExerciseFactory
from tests.programmes.helpers import assign, loads, shipped_template

pytestmark = pytest.mark.django_db
D = Decimal
CURL = "Hamstring curl"  # 2.5 kg plates; plan 12.5 x4, 15 x4, 17.5 x2, 20 x2


def _curl(programme):
    return programme.exercises.get(exercise__name=CURL)


def _only_the_assignment_is_recorded():
    return not PlanChange.objects.exclude(kind=ChangeKind.ASSIGNED).exists()


# --- The pure rule ------------------------------------------------------------------------------


def test_the_weeks_below_the_step_are_those_under_one_step():
    loads_by_week = {1: D("2.5"), 2: D(0), 3: D("2.49"), 4: D(5)}
    assert plans.weeks_below_step(loads_by_week, load_step=D("2.5")) == [2, 3]


@pytest.mark.parametrize(
    ("weeks", "text"),
    [
        ([3], "week 3"),
        ([5, 6, 7, 8, 9, 10, 11, 12], "weeks 5-12"),
        ([2, 3, 5, 9, 10], "weeks 2-3, 5, 9-10"),
    ],
)
def test_weeks_are_named_as_a_reader_says_them(weeks, text):
    assert plans.week_span(weeks) == text


def test_the_refusal_names_the_exercise_the_step_and_the_weeks():
    message = plans.below_step_message(CURL, D("2.50"), range(5, 13))
    assert message == "This would take Hamstring curl below 2.5 kg in weeks 5-12."


# --- Every kind of plan change ------------------------------------------------------------------


def _change(service, programme, clinician, **kwargs):
    return service(
        programme=programme, programme_exercise=_curl(programme), reason="Tired",
        by=clinician, version=programme.version, **kwargs,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("service", "kwargs", "weeks"),
    [
        (services.plan_set_load, {"week": 3, "load_kg": D(0)}, "week 3"),
        (services.plan_shift_load, {"from_week": 5, "delta_kg": D(-100)}, "weeks 5-12"),
        (services.plan_shift_load, {"from_week": 1, "delta_kg": D("-12.5")}, "weeks 1-9"),
        (services.plan_shift_load, {"from_week": 1, "delta_pct": D(-90)}, "weeks 1-12"),
        (services.plan_deload_week, {"week": 5, "percent": D(10)}, "week 5"),
    ],
)
def test_a_change_that_would_take_a_loaded_exercise_to_zero_is_refused_naming_the_weeks(
    programme, clinician, service, kwargs, weeks
):
    before = loads(programme, CURL)
    with pytest.raises(ValidationError) as refusal:
        _change(service, programme, clinician, **kwargs)
    assert f"This would take Hamstring curl below 2.5 kg in {weeks}." in refusal.value.messages[0]
    assert list(refusal.value.error_dict) == ["amount"]  # shown at the field typed in
    assert loads(programme, CURL) == before
    assert _only_the_assignment_is_recorded()


def test_a_change_down_to_one_step_is_still_allowed(programme, clinician):
    _change(services.plan_shift_load, programme, clinician, from_week=5, delta_kg=D(-10))
    assert loads(programme, CURL)[4:] == [D("2.5")] * 5 + [D(5)] * 3


def test_holding_a_week_after_a_zero_week_is_refused_at_the_week(programme, clinician):
    # A plan from before the rule may hold a 0 kg week; copying it on is refused.
    PlannedLoad.objects.filter(programme_exercise=_curl(programme), week=4).update(load_kg=0)
    with pytest.raises(ValidationError) as refusal:
        _change(services.plan_hold_week, programme, clinician, week=5)
    assert (
        refusal.value.error_dict["week"][0]
        .messages[0]
        .startswith("This would take Hamstring curl below 2.5 kg in week 5.")
    )
    assert loads(programme, CURL)[4] == D("12.5")


def test_an_old_zero_week_does_not_block_a_change_to_other_weeks(programme, clinician):
    PlannedLoad.objects.filter(programme_exercise=_curl(programme), week=1).update(load_kg=0)
    _change(services.plan_set_load, programme, clinician, week=3, load_kg=D(15))
    assert loads(programme, CURL)[:3] == [D(0), D("12.5"), D(15)]


def test_the_plan_change_form_shows_the_refusal_at_the_amount_and_saves_nothing(
    clinician_client, programme
):
    url = reverse("programmes:plan_change", args=[programme.public_id])
    response = clinician_client.post(
        url,
        {
            "version": programme.version, "programme_exercise": _curl(programme).pk,
            "change": "shift_kg", "week": 5, "amount": "-100", "reason": "Knee pain",
        },
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["amount"][0].startswith(
        "This would take Hamstring curl below 2.5 kg in weeks 5-12."
    )
    assert _only_the_assignment_is_recorded()


# --- Body-weight exercises carry no load: 0 kg is what they are ----------------------------------


def _body_weight_template(patient):
    return TemplateExerciseFactory(
        template__clinic=patient.clinic,
        exercise__equipment=Equipment.BODY_WEIGHT,
        exercise__name="Sit to stand",
    ).template


def test_a_body_weight_exercise_may_be_planned_at_zero(patient, clinician):
    # A 1 kg test on 1 kg steps: every week rounds to 0 kg, which is right for body weight.
    programme = assign(patient, clinician, template=_body_weight_template(patient), load=1)
    assert loads(programme, "Sit to stand") == [D(0)] * 12


def test_a_body_weight_exercise_may_be_changed_to_zero(patient, clinician):
    programme = assign(patient, clinician, template=_body_weight_template(patient), load=2)
    services.plan_shift_load(
        programme=programme, programme_exercise=programme.exercises.get(), from_week=1,
        delta_kg=D(-5), reason="Body weight only", by=clinician, version=programme.version,
    )  # fmt: skip
    assert loads(programme, "Sit to stand") == [D(0)] * 12


# --- The baseline test at assignment ------------------------------------------------------------


def test_a_baseline_that_plans_a_loaded_exercise_at_zero_is_refused(patient, clinician):
    with pytest.raises(ValidationError, match="Hamstring curl below 2.5 kg in weeks 1-12"):
        assign(patient, clinician, load=1, reps=10)  # 1RM 1.33 kg: 50 % on 2.5 kg plates is 0
    assert not Programme.objects.exists()


def test_the_assignment_form_shows_the_refusal_at_the_exercises_test_load(
    clinician_client, patient
):
    template = shipped_template()
    url = reverse("programmes:assign", kwargs={"public_id": patient.public_id})
    url += f"?template={template.public_id}&arm=intervention"
    data = {"name": "Lower-limb PRE", "start_date": str(timezone.localdate())}
    curl = template.exercises.get(exercise__name=CURL)
    for row in template.exercises.all():
        load = "1" if row == curl else "20"
        data |= {
            f"ex{row.pk}-include": "on", f"ex{row.pk}-load_kg": load,
            f"ex{row.pk}-reps": "10", f"ex{row.pk}-formula": "brzycki",
        }  # fmt: skip
    response = clinician_client.post(url, data)
    assert response.status_code == 200
    refused = {b.template_exercise.exercise.name: b.errors for b in response.context["baselines"]}
    assert refused[CURL]["load_kg"][0].startswith(
        "This would take Hamstring curl below 2.5 kg in weeks 1-12."
    )
    assert all(not errors for name, errors in refused.items() if name != CURL)
    assert not Programme.objects.exists()
