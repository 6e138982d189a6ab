"""The weekly plan and the clinician's changes to it (no database)."""

from decimal import Decimal

import pytest

from programmes.progression.plans import (
    PlannedWeek,
    apply_change,
    build_plan,
    deload_week,
    hold_week,
)
from programmes.progression.strength import (
    ceiling_load,
)

D = Decimal


def loads_of(plan):
    return [week.load_kg for week in plan]


# --- build_plan -------------------------------------------------------------------------------


def standard_plan(**overrides):
    arguments = dict(
        one_rm=D("40"),
        start_pct=50,
        ceiling_pct=80,
        increase_pct=5,
        every_n_weeks=2,
        load_step=D("0.5"),
        target_reps=6,  # 80 % leaves 2 in reserve for 6 repetitions (Brzycki 8.2 to fatigue)
    )
    arguments.update(overrides)
    return build_plan(**arguments)


def test_the_plan_lasts_twelve_weeks_by_default():
    plan = standard_plan()
    assert [week.week for week in plan] == list(range(1, 13))
    assert all(isinstance(week, PlannedWeek) for week in plan)


def test_the_intensity_rises_five_points_every_two_weeks_up_to_the_ceiling():
    plan = standard_plan()
    assert [week.intensity_pct for week in plan] == [
        D(pct) for pct in (50, 50, 55, 55, 60, 60, 65, 65, 70, 70, 75, 75)
    ]


def test_the_plan_loads_are_the_intensity_of_one_rm_rounded_down_to_the_step():
    # 50 % of 43 = 21.5 -> 20 kg, 6 repetitions; 55 % = 23.65 -> 22.5 kg would be +12.5 %.
    plan = standard_plan(one_rm=D("43"), load_step=D("2.5"), max_reps=15)
    assert [(week.load_kg, week.target_reps) for week in plan[:6]] == [
        (D("20.00"), 6), (D("20.00"), 6), (D("20.00"), 8), (D("20.00"), 10), (D("20.00"), 12),
        (D("20.00"), 14),
    ]  # fmt: skip


def test_a_plan_that_rises_one_step_of_at_most_ten_percent_follows_the_schedule():
    plan = standard_plan(one_rm=D("100"), load_step=D("5"))
    assert loads_of(plan) == [D(x) for x in (50, 50, 55, 55, 60, 60, 65, 65, 70, 70, 75, 75)]


def test_the_intensity_stops_at_the_ceiling():
    plan = standard_plan(ceiling_pct=60)
    assert [week.intensity_pct for week in plan][4:] == [D(60)] * 8
    assert max(loads_of(plan)) == ceiling_load(40, 60, D("0.5"))


def test_a_ceiling_equal_to_the_start_gives_a_flat_plan():
    plan = standard_plan(start_pct=70, ceiling_pct=70)
    assert {week.intensity_pct for week in plan} == {D(70)}


@pytest.mark.parametrize(("increase", "every"), [(0, 2), (5, 0), (0, 0)])
def test_no_increase_or_no_interval_means_a_flat_plan(increase, every):
    plan = standard_plan(increase_pct=increase, every_n_weeks=every)
    assert set(loads_of(plan)) == {D("20.00")}


def test_the_increase_may_happen_every_week():
    plan = standard_plan(every_n_weeks=1, weeks=4)
    assert [week.intensity_pct for week in plan] == [D(50), D(55), D(60), D(65)]


@pytest.mark.parametrize("weeks", [1, 52])
def test_a_plan_may_last_from_one_to_fifty_two_weeks(weeks):
    assert len(standard_plan(weeks=weeks)) == weeks


@pytest.mark.parametrize("weeks", [0, 53, -1, 12.0])
def test_it_refuses_a_plan_length_outside_one_to_fifty_two_weeks(weeks):
    with pytest.raises(ValueError, match="between 1 and 52 weeks"):
        standard_plan(weeks=weeks)


def test_it_refuses_a_ceiling_below_the_start():
    with pytest.raises(ValueError, match="The ceiling intensity cannot be below the starting"):
        standard_plan(start_pct=60, ceiling_pct=55)


@pytest.mark.parametrize(
    ("field", "value"),
    [("start_pct", 0), ("start_pct", 101), ("ceiling_pct", 101), ("increase_pct", -5)],
)
def test_it_refuses_percentages_outside_the_allowed_range(field, value):
    with pytest.raises(ValueError, match="%"):
        standard_plan(**{field: value})


def test_it_refuses_a_negative_interval_between_increases():
    with pytest.raises(ValueError, match="weeks between increases"):
        standard_plan(every_n_weeks=-1)


@pytest.mark.parametrize("one_rm", [0, -10])
def test_it_refuses_a_one_rm_that_is_not_positive(one_rm):
    with pytest.raises(ValueError, match="1RM"):
        standard_plan(one_rm=one_rm)


def test_it_refuses_a_step_that_is_not_positive_in_a_plan():
    with pytest.raises(ValueError, match="step"):
        standard_plan(load_step=0)


def fine_plan(**overrides):
    return standard_plan(one_rm=D("100"), load_step=D("5"), **overrides)


def test_a_deload_week_is_a_fraction_of_the_previous_weeks_load():
    plan = fine_plan(deload_weeks={4: D("0.8")})
    # week 3 is 55 % of 100 = 55 kg; week 4 is 80 % of that = 44 -> 40 kg
    assert plan[3].load_kg == D("40.00")
    assert plan[3].is_deload
    assert plan[3].intensity_pct == D("44.00")
    assert not any(week.is_deload for week in plan if week.week != 4)


def test_the_week_after_a_deload_returns_to_the_schedule():
    plain = fine_plan()
    plan = fine_plan(deload_weeks={4: D("0.8")})
    assert plan[4] == plain[4]
    assert loads_of(plan)[:3] == loads_of(plain)[:3]


def test_consecutive_deload_weeks_are_each_lighter_than_the_week_before():
    plan = fine_plan(deload_weeks={5: D("0.5"), 6: D("0.5")})
    assert [plan[i].load_kg for i in (3, 4, 5)] == [D("55.00"), D("25.00"), D("10.00")]


def test_the_last_week_may_be_a_deload():
    plan = standard_plan(deload_weeks={12: 0.9})
    assert plan[-1].is_deload


def test_week_one_cannot_be_a_deload():
    with pytest.raises(ValueError, match="Week 1 cannot be a deload"):
        standard_plan(deload_weeks={1: D("0.8")})


@pytest.mark.parametrize("week", [0, 13])
def test_a_deload_week_must_be_inside_the_programme(week):
    with pytest.raises(ValueError, match="outside the 12-week programme"):
        standard_plan(deload_weeks={week: D("0.8")})


@pytest.mark.parametrize("fraction", [0, 1, D("1.2"), -0.5])
def test_a_deload_fraction_must_be_strictly_between_zero_and_one(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        standard_plan(deload_weeks={3: fraction})


def test_a_load_that_rounds_to_zero_is_flagged_as_too_light():
    plan = build_plan(one_rm=D("8"), start_pct=30, ceiling_pct=30, load_step=5, weeks=2)
    assert loads_of(plan) == [0, 0]
    assert all(week.too_light for week in plan)


def test_an_achievable_load_is_not_flagged_as_too_light():
    assert not any(week.too_light for week in standard_plan())


# --- apply_change, hold_week, deload_week -------------------------------------------------------

LOADS = [D(x) for x in ("10", "10", "12.5", "12.5", "15", "15")]


def test_it_adds_kilograms_from_a_week_onwards():
    result = apply_change(LOADS, from_week=3, delta_kg=D("2.5"), load_step=D("2.5"), ceiling_kg=30)
    assert result == [D(x) for x in ("10", "10", "15", "15", "17.5", "17.5")]


def test_it_removes_kilograms_from_a_week_onwards():
    result = apply_change(LOADS, from_week=5, delta_kg=-5, load_step=D("2.5"), ceiling_kg=30)
    assert result == [D(x) for x in ("10", "10", "12.5", "12.5", "10", "10")]


def test_it_changes_only_the_weeks_up_to_the_end_week():
    result = apply_change(
        LOADS, from_week=2, to_week=3, delta_kg=1, load_step=D("0.5"), ceiling_kg=30
    )
    assert result == [D(x) for x in ("10", "11", "13.5", "12.5", "15", "15")]


def test_it_adds_a_percentage_of_each_weeks_load_rounded_down():
    result = apply_change(LOADS, from_week=1, delta_pct=10, load_step=D("0.5"), ceiling_kg=30)
    # 11, 11, 13.75 -> 13.5, 13.5, 16.5, 16.5
    assert result == [D(x) for x in ("11", "11", "13.5", "13.5", "16.5", "16.5")]


def test_it_removes_a_percentage_of_each_weeks_load_rounded_down():
    result = apply_change(LOADS, from_week=4, delta_pct=-20, load_step=1, ceiling_kg=30)
    # 12.5 * 0.8 = 10; 15 * 0.8 = 12
    assert result == [D(x) for x in ("10", "10", "12.5", "10", "12", "12")]


def test_a_change_that_would_cross_the_ceiling_is_refused_with_the_weeks_and_numbers():
    message = "This would take weeks 3-6 to as much as 25 kg, above the ceiling of 20 kg."
    with pytest.raises(ValueError, match=message):
        apply_change(LOADS, from_week=1, delta_kg=10, load_step=D("2.5"), ceiling_kg=21)


def test_a_change_up_to_the_ceiling_is_allowed():
    result = apply_change(LOADS, from_week=5, delta_kg=5, load_step=D("2.5"), ceiling_kg=21)
    assert result[4:] == [D("20"), D("20")]


def test_a_change_never_goes_below_zero():
    result = apply_change(LOADS, from_week=1, delta_kg=-100, load_step=1, ceiling_kg=30)
    assert result == [D(0)] * 6


def test_a_change_returns_a_new_list_and_leaves_the_original_alone():
    original = list(LOADS)
    result = apply_change(LOADS, from_week=1, delta_kg=5, load_step=1, ceiling_kg=30)
    assert result is not LOADS
    assert original == LOADS


@pytest.mark.parametrize("from_week", [0, 7, -1])
def test_it_refuses_a_change_from_a_week_outside_the_plan(from_week):
    with pytest.raises(ValueError, match="Week must be between 1 and 6"):
        apply_change(LOADS, from_week=from_week, delta_kg=1, load_step=1, ceiling_kg=30)


@pytest.mark.parametrize("to_week", [2, 7])
def test_it_refuses_an_end_week_before_the_start_week_or_after_the_plan(to_week):
    with pytest.raises(ValueError, match="Week must be between 3 and 6"):
        apply_change(LOADS, from_week=3, to_week=to_week, delta_kg=1, load_step=1, ceiling_kg=30)


def test_it_refuses_a_change_given_both_in_kg_and_percent():
    with pytest.raises(ValueError, match="either in kg or as a percentage"):
        apply_change(LOADS, from_week=1, delta_kg=1, delta_pct=5, load_step=1, ceiling_kg=30)


def test_it_refuses_a_change_given_neither_in_kg_nor_percent():
    with pytest.raises(ValueError, match="either in kg or as a percentage"):
        apply_change(LOADS, from_week=1, load_step=1, ceiling_kg=30)


def test_holding_a_week_repeats_the_previous_weeks_load():
    assert hold_week(LOADS, week=3) == [D(x) for x in ("10", "10", "10", "12.5", "15", "15")]


def test_the_last_week_can_be_held():
    assert hold_week(LOADS, week=6)[-1] == D(15)


@pytest.mark.parametrize("week", [1, 0, 7])
def test_week_one_or_a_week_outside_the_plan_cannot_be_held(week):
    with pytest.raises(ValueError, match="Week must be between 2 and 6"):
        hold_week(LOADS, week=week)


def test_a_deloaded_week_is_the_fraction_of_the_previous_week_rounded_down():
    result = deload_week(LOADS, week=5, fraction=D("0.8"), load_step=D("2.5"))
    # 12.5 * 0.8 = 10
    assert result == [D(x) for x in ("10", "10", "12.5", "12.5", "10", "15")]
    result = deload_week(LOADS, week=5, fraction=D("0.7"), load_step=D("2.5"))
    # 12.5 * 0.7 = 8.75 -> 7.5
    assert result[4] == D("7.5")


def test_week_one_cannot_be_deloaded():
    with pytest.raises(ValueError, match="Week must be between 2 and 6"):
        deload_week(LOADS, week=1, fraction=D("0.8"), load_step=1)


@pytest.mark.parametrize("fraction", [0, 1, 2])
def test_a_deload_needs_a_fraction_strictly_between_zero_and_one(fraction):
    with pytest.raises(ValueError, match="between 0 and 1"):
        deload_week(LOADS, week=3, fraction=fraction, load_step=1)


def test_a_repetition_range_whose_top_is_below_its_bottom_is_refused():
    with pytest.raises(ValueError, match=r"top of the repetition range \(8\) cannot be below"):
        standard_plan(target_reps=10, max_reps=8, ceiling_pct=65)


@pytest.mark.parametrize("reps", [0, 31, 10.0, True])
def test_target_repetitions_are_a_whole_number_from_one_to_thirty(reps):
    with pytest.raises(ValueError, match="between 1 and 30"):
        standard_plan(target_reps=reps)
