"""The 2-for-2 rule and its proposals (no database)."""

from decimal import Decimal

import pytest

from programmes.progression.proposals import (
    Proposal,
    accept_proposal,
    proposal_label,
    proposal_problems,
    propose,
    two_for_two_met,
)

D = Decimal


def loads_of(plan):
    return [week.load_kg for week in plan]


# --- two-for-two rule and suggestions ---------------------------------------------------------


def test_two_for_two_is_met_after_two_sessions_two_reps_over_target():
    assert two_for_two_met([(10, 10), (10, 12), (10, 13)])


def test_two_for_two_is_not_met_when_only_one_over_target_by_one():
    assert not two_for_two_met([(10, 12), (10, 11)])


def test_two_for_two_is_not_met_after_only_one_session():
    assert not two_for_two_met([(10, 15)])


def test_two_for_two_is_not_met_with_no_sessions():
    assert not two_for_two_met([])


def test_two_for_two_is_not_met_when_one_good_session_is_followed_by_a_bad_one():
    assert not two_for_two_met([(10, 12), (10, 9)])


def test_two_for_two_is_not_met_when_a_bad_session_is_followed_by_a_good_one():
    assert not two_for_two_met([(10, 12), (10, 9), (10, 12)])


def test_two_for_two_only_looks_at_the_last_two_sessions():
    assert two_for_two_met([(10, 5), (8, 10), (12, 14)])


def _propose(current, reps=10, *, pct=5, step="2.5", ceiling=30, rm="26.67", top=15):
    return propose(
        current, reps, increase_pct=pct, load_step=D(step), ceiling_kg=ceiling, one_rm=D(rm),
        bottom_reps=10, top_reps=top,
    )  # fmt: skip


def test_it_suggests_the_increase_rounded_down_to_the_step_and_says_the_real_percentage():
    # 10 kg + 5 % = 10.5 kg (0.5 kg steps): +0.5 kg, +5 %.
    proposal = _propose(10, step="0.5")
    assert proposal == Proposal(D("10.50"), 10)
    assert proposal_label(10, 10, proposal, sets=3) == "+0.5 kg (+5 %) to 10.5 kg"
    # 14 kg + 5 % = 14.7 kg -> 14.5 kg: +3.6 %, not +5 %.
    assert proposal_label(14, 10, _propose(14, step="0.5"), sets=3) == (
        "+0.5 kg (+3.6 %) to 14.5 kg"
    )


def test_the_increase_is_never_more_than_ten_percent_whatever_the_template_says():
    assert _propose(20, pct=50, step="0.5", rm=50) == Proposal(D("22.00"), 10)


def test_one_step_up_when_the_percentage_rounds_to_nothing_and_the_step_is_within_ten_percent():
    # 25 kg + 5 % = 26.25 kg -> 25 kg with 2.5 kg plates; 27.5 kg is exactly +10 %.
    assert _propose(25, rm=60, ceiling=40) == Proposal(D("27.50"), 10)


def test_more_repetitions_when_the_next_step_is_over_ten_percent_and_it_says_why():
    proposal = _propose(D("12.5"))
    assert proposal == Proposal(
        D("12.50"), 12, "the next step (+2.5 kg) would be +20 %, over the 10 % limit"
    )
    assert proposal_label(D("12.5"), 10, proposal, sets=3) == (
        "+2 repetitions to 3 × 12 at 12.5 kg: the next step (+2.5 kg) would be +20 %, "
        "over the 10 % limit"
    )


def test_more_repetitions_at_the_ceiling_and_none_beyond_the_top_of_the_range():
    assert _propose(15, ceiling=15) == Proposal(D("15.00"), 12, "15 kg is this exercise's ceiling")
    assert _propose(15, 11, ceiling=15, top=12).reps == 12  # not beyond the top of the range
    assert _propose(15, 12, ceiling=15, top=12) is None


def test_more_repetitions_stop_where_two_would_no_longer_be_left_in_reserve():
    # 15 kg of 26.67 kg (56 %): 16.8 to fatigue by Brzycki, so at most 14 targeted.
    assert _propose(15, 13, ceiling=15, top=20).reps == 14
    assert _propose(15, 14, ceiling=15, top=20) is None


@pytest.mark.parametrize("increase", [0, -5])
def test_a_suggested_increase_must_be_positive(increase):
    with pytest.raises(ValueError, match="greater than 0 %"):
        _propose(20, pct=increase)


def _problems(current, load, reps, *, step="2.5", ceiling=17, loaded=True):
    return proposal_problems(
        current, load_kg=load, reps=reps, sets=3, load_step=D(step), ceiling_kg=ceiling,
        one_rm=D("26.67"), loaded=loaded,
    )  # fmt: skip


def test_a_changed_proposal_within_the_rules_has_no_problems():
    assert _problems(D("12.5"), D("12.5"), 14) == {}
    assert _problems(D(14), D("15.4"), 10, step="0.1") == {}  # exactly +10 %


def test_a_changed_proposal_is_refused_with_the_numbers():
    assert _problems(D("12.5"), D(15), 10) == {
        "load_kg": "15 kg is +20 % on 12.5 kg: a suggestion adds at most 10 % "
        "(12.5 kg with 2.5 kg steps)."
    }
    assert _problems(16, D("17.5"), 10, step="0.5")["load_kg"] == (
        "17.5 kg is above this exercise's ceiling of 17 kg."
    )
    assert "below the equipment's smallest step of 2.5 kg" in _problems(5, 0, 10)["load_kg"]
    assert _problems(5, 0, 10, loaded=False) == {}
    assert "leaves only" in _problems(D("12.5"), D("12.5"), 19)["reps"]
    assert _problems(D("12.5"), D("12.5"), 0)["reps"] == "Target repetitions are between 1 and 30."


def test_accepting_a_proposal_sets_that_week_and_shifts_later_weeks_capped_never_lowered():
    rows = [(D(10), 10), (D(10), 10), (D(10), 12), (D("12.5"), 10), (D(5), 10)]
    result = accept_proposal(rows, from_week=2, load_kg=D(11), reps=10, ceiling_kg=D(13))
    assert result == [(D(10), 10), (D(11), 10), (D(11), 12), (D(13), 10), (D(6), 10)]
    # A repetition proposal: later weeks at the same load never target fewer.
    result = accept_proposal(rows, from_week=2, load_kg=D(10), reps=12, ceiling_kg=D(13))
    assert result == [(D(10), 10), (D(10), 12), (D(10), 12), (D("12.5"), 10), (D(5), 10)]


@pytest.mark.parametrize("from_week", [0, 6])
def test_a_proposal_cannot_be_accepted_from_a_week_outside_the_plan(from_week):
    with pytest.raises(ValueError, match="Week must be between 1 and 5"):
        accept_proposal([(D(10), 10)] * 5, from_week=from_week, load_kg=11, reps=10, ceiling_kg=30)
