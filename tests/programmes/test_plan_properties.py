"""Properties of plans, changes, proposals and re-plans over many generated prescriptions
(hypothesis), and the double-progression and reserve rules they rest on (no database)."""

import itertools
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from programmes.progression import strength
from programmes.progression.plans import (
    apply_change,
    build_plan,
)
from programmes.progression.proposals import (
    proposal_label,
    propose,
)
from programmes.progression.strength import (
    FORMULAS,
    ceiling_load,
    estimate_one_rm,
    round_down_to_step,
)

D = Decimal


def loads_of(plan):
    return [week.load_kg for week in plan]


# --- properties -------------------------------------------------------------------------------

STEPS = st.sampled_from([D("0.5"), D("1"), D("1.25"), D("2.5"), D("5")])
ONE_RMS = st.decimals(min_value=1, max_value=300, places=2)
FRACTIONS = st.decimals(min_value=D("0.05"), max_value=D("0.95"), places=2)


@st.composite
def plan_arguments(draw):
    weeks = draw(st.integers(1, 52))
    reps = draw(st.integers(1, 20))
    formula = draw(st.sampled_from(FORMULAS))
    # A ceiling that leaves 2 repetitions in reserve at the bottom of the range (the rest are
    # refused: see test_a_ceiling_without_two_repetitions_in_reserve_is_refused).
    limit = int(strength.max_pct_for_reps(reps, formula))
    start = draw(st.integers(1, limit))
    return dict(
        one_rm=draw(ONE_RMS),
        weeks=weeks,
        target_reps=reps,
        max_reps=draw(st.integers(reps, 30)),
        reps_step=draw(st.integers(1, 5)),
        formula=formula,
        start_pct=start,
        ceiling_pct=draw(st.integers(start, limit)),
        increase_pct=draw(st.integers(0, 20)),
        every_n_weeks=draw(st.integers(0, 6)),
        load_step=draw(STEPS),
        deload_weeks=draw(st.dictionaries(st.integers(2, max(weeks, 2)), FRACTIONS, max_size=4))
        if weeks > 1
        else None,
    )


def is_multiple(load, step):
    return load % step == 0


@settings(deadline=None, max_examples=300)
@given(plan_arguments())
def test_every_plan_load_is_achievable_and_within_the_ceiling(arguments):
    plan = build_plan(**arguments)
    step = arguments["load_step"]
    top = ceiling_load(arguments["one_rm"], arguments["ceiling_pct"], step)
    assert len(plan) == arguments["weeks"]
    for week in plan:
        assert is_multiple(week.load_kg, step)
        assert 0 <= week.load_kg <= top
        assert week.too_light == (week.load_kg == 0)
    for before, after in itertools.pairwise(plan):
        assert after.load_kg >= before.load_kg or after.is_deload


@settings(deadline=None, max_examples=300)
@given(
    plan_arguments(),
    st.data(),
    st.one_of(
        st.builds(lambda kg: {"delta_kg": kg}, st.decimals(-50, 50, places=2)),
        st.builds(lambda pct: {"delta_pct": pct}, st.decimals(-100, 100, places=1)),
    ),
)
def test_a_changed_plan_stays_achievable_and_within_the_ceiling(arguments, data, delta):
    step = arguments["load_step"]
    top = ceiling_load(arguments["one_rm"], arguments["ceiling_pct"], step)
    loads = loads_of(build_plan(**arguments))
    from_week = data.draw(st.integers(1, len(loads)))
    try:
        result = apply_change(loads, from_week=from_week, load_step=step, ceiling_kg=top, **delta)
    except ValueError as error:  # refused only when a week would cross the ceiling
        assert "above the ceiling" in str(error)
        kg, pct = delta.get("delta_kg"), delta.get("delta_pct")
        changed = [load + kg if kg is not None else load * (1 + pct / 100) for load in loads]
        assert any(round_down_to_step(x, step) > top for x in changed[from_week - 1 :])
        return
    assert result[: from_week - 1] == loads[: from_week - 1]
    for load in result:
        assert is_multiple(load, step)
        assert 0 <= load <= top


@settings(deadline=None, max_examples=500)
@given(plan_arguments())
def test_every_plan_keeps_the_rules_of_double_progression(arguments):
    plan = build_plan(**arguments)
    rm, step = arguments["one_rm"], arguments["load_step"]
    bottom, top = arguments["target_reps"], arguments["max_reps"]
    for week in plan:
        assert bottom <= week.target_reps <= top
        if week.load_kg:  # at least 2 repetitions in reserve, by the 1RM's own formula
            fatigue = strength.reps_to_fatigue(week.load_kg / rm, arguments["formula"])
            assert fatigue - week.target_reps >= 2
    steady = [week for week in plan if not week.is_deload]
    for before, after in itertools.pairwise(steady):
        assert after.load_kg >= before.load_kg
        assert after.load_kg - before.load_kg <= step  # one step at a time
        if after.load_kg > before.load_kg * D("1.1"):  # over 10 %: fewer repetitions with it
            assert after.target_reps < before.target_reps
        if after.load_kg > before.load_kg:
            assert after.target_reps == bottom  # a rise goes back to the bottom of the range
        else:
            assert after.target_reps >= before.target_reps
    for before, after in itertools.pairwise(plan):
        if after.is_deload:
            assert after.load_kg <= before.load_kg


@settings(deadline=None)
@given(
    st.decimals(min_value=0, max_value=200, places=2),
    st.integers(1, 30),
    st.integers(1, 50),
    STEPS,
    st.decimals(min_value=0, max_value=200, places=2),
    st.decimals(min_value=1, max_value=300, places=2),
)
def test_a_proposal_keeps_every_rule_and_its_label_tells_the_real_numbers(
    current, reps, pct, step, ceiling, rm
):
    proposal = propose(
        current, reps, increase_pct=pct, load_step=step, ceiling_kg=ceiling, one_rm=rm,
        bottom_reps=min(reps, 10), top_reps=15,
    )  # fmt: skip
    if proposal is None:
        return
    if proposal.load_kg != current:  # a load: up, within 10 % and the ceiling, on the step
        assert current < proposal.load_kg <= current * D("1.1")
        assert proposal.load_kg <= round_down_to_step(ceiling, step)
        assert is_multiple(proposal.load_kg, step)
        assert min(reps, 10) <= proposal.reps <= strength.reps_allowed(proposal.load_kg, rm)
        rise = (proposal.load_kg - current) * 100 / current
        assert f"({'+'}{rise.quantize(D('0.1'), rounding='ROUND_HALF_UP').normalize():f} %)" in (
            proposal_label(current, reps, proposal, sets=3)
        )
    else:  # repetitions: more, within the range and 2 in reserve, and it says why
        assert reps < proposal.reps <= max(15, reps)
        assert proposal.reps <= strength.reps_allowed(current, rm)
        assert proposal.why


# --- Repetitions in reserve and double progression ----------------------------------------------


@pytest.mark.parametrize(
    ("pct", "expected"),
    [(50, "19"), (60, "15.4"), (70, "11.8"), (75, "10"), (80, "8.2"), (100, "1")],
)
def test_the_repetitions_to_fatigue_are_brzycki_inverted(pct, expected):
    assert strength.reps_to_fatigue(D(pct) / 100) == D(expected)


def test_the_repetitions_to_fatigue_by_epley_agree_with_brzycki_at_ten():
    assert strength.reps_to_fatigue(D(30) / D(40), "epley") == D(10)
    assert strength.reps_to_fatigue(D("0.5"), "epley") == D(30)


def test_ten_repetitions_with_two_in_reserve_allow_at_most_69_percent():
    assert strength.max_pct_for_reps(10, "brzycki").quantize(D("0.01")) == D("69.44")
    assert strength.max_pct_for_reps(10, "epley").quantize(D("0.01")) == D("71.43")
    # A template does not know the formula: the stricter one.
    assert strength.max_pct_for_reps(10) == strength.max_pct_for_reps(10, "brzycki")
    assert strength.max_pct_for_reps(3) == strength.max_pct_for_reps(3, "epley")


def test_a_prescription_without_repetitions_in_reserve_is_explained_with_the_numbers():
    assert strength.reserve_problem(3, 10, 80) == (
        "3 x 10 at 80 % leaves no repetitions in reserve: at most 69 % for 10 repetitions."
    )
    assert strength.reserve_problem(3, 10, 70) == (
        "3 x 10 at 70 % leaves only 1.8 repetitions in reserve (at least 2 are needed): "
        "at most 69 % for 10 repetitions."
    )
    assert strength.reserve_problem(3, 10, D("69.44")) is None
    assert strength.reserve_problem(3, 10, 71, "epley") is None


def test_a_ceiling_without_two_repetitions_in_reserve_is_refused():
    with pytest.raises(ValueError, match="3 x 10 at 80 % leaves no repetitions in reserve"):
        build_plan(one_rm=40, start_pct=50, ceiling_pct=80, load_step=1, target_reps=10)


def test_the_ceiling_is_judged_by_the_formula_the_one_rm_was_estimated_with():
    arguments = dict(one_rm=40, start_pct=50, ceiling_pct=71, load_step=1, target_reps=10)
    assert build_plan(**arguments, formula="epley")
    with pytest.raises(ValueError, match="at most 69 %"):
        build_plan(**arguments, formula="brzycki")


def test_the_issues_hamstring_curl_progresses_by_repetitions_before_one_plate():
    # 10 kg x 8 (Brzycki 12.41 kg) on a 2.5 kg step: 5 kg -> 7.5 kg is +50 %, so the plan raises
    # the repetitions to the top of the range first, then adds one plate back at the bottom.
    plan = build_plan(
        one_rm=estimate_one_rm(10, 8), start_pct=50, ceiling_pct=69, increase_pct=5,
        every_n_weeks=1, load_step=D("2.5"), target_reps=10, max_reps=15,
    )  # fmt: skip
    assert [(week.load_kg, week.target_reps) for week in plan][2:8] == [
        (D("5.00"), 10),  # 60 %: 7.45 kg -> 5 kg
        (D("5.00"), 12),  # 65 %: 8.07 kg -> 7.5 kg would be +50 %
        (D("5.00"), 14),
        (D("5.00"), 15),  # the top of the range
        (D("7.50"), 10),  # one plate, back to the bottom
        (D("7.50"), 10),  # the ceiling (69 % = 8.56 kg -> 7.5 kg)
    ]


def test_without_a_repetition_range_a_load_never_jumps_more_than_ten_percent():
    plan = build_plan(
        one_rm=estimate_one_rm(10, 8), start_pct=50, ceiling_pct=69, increase_pct=5,
        every_n_weeks=1, load_step=D("2.5"), target_reps=10,
    )  # fmt: skip
    assert set(loads_of(plan)) == {D("5.00")}
    assert {week.target_reps for week in plan} == {10}


def test_repetitions_rise_no_higher_than_two_short_of_fatigue():
    # 1RM 20 kg, 5 kg step: 10 kg -> 15 kg is +50 %, so repetitions rise first, 5 at a time;
    # 10 kg (50 %) allows 19 to fatigue by Brzycki, so 17 at most though the range goes to 30.
    plan = build_plan(
        one_rm=20, start_pct=50, ceiling_pct=75, increase_pct=25, every_n_weeks=1,
        load_step=5, target_reps=3, max_reps=30, reps_step=5, weeks=6,
    )  # fmt: skip
    assert [(week.load_kg, week.target_reps) for week in plan] == [
        (D("10.00"), 3), (D("10.00"), 8), (D("10.00"), 13), (D("10.00"), 17),
        (D("15.00"), 3), (D("15.00"), 3),
    ]  # fmt: skip


def test_a_week_cannot_target_more_repetitions_than_leave_two_in_reserve():
    assert strength.reps_allowed(D("12.5"), 20) == 12  # 62.5 %: 14.5 to fatigue
    assert strength.reps_allowed(0, 20) == 30
    assert strength.reps_allowed(20, 20) == -1  # the 1RM itself: no set leaves 2


def test_a_deload_week_keeps_the_repetitions_of_the_week_before():
    plan = build_plan(
        one_rm=estimate_one_rm(10, 8), start_pct=65, ceiling_pct=69, increase_pct=4,
        every_n_weeks=1, load_step=D("2.5"), target_reps=10, max_reps=15, weeks=4,
        deload_weeks={3: D("0.5")},
    )  # fmt: skip
    assert [(week.load_kg, week.target_reps, week.is_deload) for week in plan] == [
        (D("7.50"), 10, False), (D("7.50"), 10, False), (D("2.50"), 10, True),
        (D("7.50"), 10, False),
    ]  # fmt: skip


@settings(deadline=None, max_examples=300)
@given(plan_arguments(), st.data(), st.decimals(min_value=D("0.3"), max_value=3, places=2))
def test_a_replan_after_a_retest_keeps_the_weeks_under_way_and_every_rule(arguments, data, ratio):
    """A re-test re-plans the weeks after those kept from a new 1RM, continuing from them by
    the same rules; a week may come down (a lower 1RM), never rise by more than they allow."""
    if arguments["weeks"] < 2:
        return
    first = build_plan(**arguments)
    kept = first[: data.draw(st.integers(1, arguments["weeks"] - 1))]
    rm = (arguments["one_rm"] * ratio).quantize(D("0.01"))
    plan = build_plan(**arguments | {"one_rm": rm, "kept": kept})
    step, bottom, top = arguments["load_step"], arguments["target_reps"], arguments["max_reps"]
    ceiling = ceiling_load(rm, arguments["ceiling_pct"], step)
    assert plan[: len(kept)] == kept and len(plan) == arguments["weeks"]
    new = plan[len(kept) :]
    for week in new:
        assert is_multiple(week.load_kg, step) and 0 <= week.load_kg <= ceiling
        assert bottom <= week.target_reps <= top
        if week.load_kg:
            fatigue = strength.reps_to_fatigue(week.load_kg / rm, arguments["formula"])
            assert fatigue - week.target_reps >= 2
    steady = [week for week in plan if not week.is_deload]
    for before, after in itertools.pairwise(steady):
        if after.week <= len(kept) or after.load_kg <= before.load_kg:
            continue
        assert after.load_kg - before.load_kg <= step  # a rise: one step at a time ...
        assert after.target_reps == bottom  # ... back to the bottom of the range
        if after.load_kg > before.load_kg * D("1.1"):
            assert after.target_reps < before.target_reps


def test_a_replan_needs_a_week_left_and_the_kept_weeks_in_order():
    arguments = dict(one_rm=40, weeks=4, start_pct=50, ceiling_pct=60, load_step=D("2.5"))
    plan = build_plan(**arguments)
    with pytest.raises(ValueError, match="No week is left to plan after week 4"):
        build_plan(**arguments, kept=plan)
    with pytest.raises(ValueError, match="weeks 1, 2, ... in order"):
        build_plan(**arguments, kept=plan[1:3])


def test_a_deload_week_right_after_the_kept_weeks_stays_under_the_new_ceiling():
    """Found by the property test above: the week before a deload may be a kept week, planned
    under the old 1RM and above the new ceiling; the lighter week must not be heavier than that."""
    arguments = dict(
        weeks=3, start_pct=12, ceiling_pct=12, load_step=D("0.5"), deload_weeks={2: D("0.43")}
    )
    kept = build_plan(one_rm=D("29.17"), **arguments)[:1]  # week 1: 3.5 kg
    plan = build_plan(one_rm=D("8.75"), kept=kept, **arguments)
    assert plan[0] == kept[0]
    assert plan[1].is_deload and plan[1].load_kg <= ceiling_load(D("8.75"), 12, D("0.5")) == 1
