from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import timepoints as tp

START = date(2026, 9, 7)  # a Monday


def day(n):
    return START + timedelta(days=n)


def test_baseline_is_on_time_any_day_before_the_start_and_in_the_first_week():
    baseline = tp.windows(START)[tp.BASELINE]
    assert baseline.contains(date(2026, 1, 1))
    assert baseline.contains(day(0))
    assert baseline.contains(day(6))
    assert not baseline.contains(day(7))


def test_baseline_is_listed_as_due_from_a_week_before_the_start():
    baseline = tp.windows(START)[tp.BASELINE]
    assert baseline.opens == day(-7)
    assert baseline.closes == day(6)


def test_week_6_targets_day_42_the_end_of_week_6_and_is_due_a_week_either_side():
    week6 = tp.windows(START)[tp.WEEK6]
    assert (week6.target, week6.opens, week6.closes) == (day(42), day(35), day(49))
    assert not week6.contains(day(34))
    assert week6.contains(day(35)) and week6.contains(day(49))
    assert not week6.contains(day(50))


def test_week_12_targets_day_84_the_end_of_week_12_and_is_due_a_week_either_side():
    week12 = tp.windows(START)[tp.WEEK12]
    assert (week12.target, week12.opens, week12.closes) == (day(84), day(77), day(91))
    assert not week12.contains(day(76)) and not week12.contains(day(92))


def test_each_window_opens_on_the_first_day_of_the_week_it_assesses():
    # Week 6 is days 35-41 and week 12 days 77-83 (DOMAIN.md 4a): no visit before its week.
    w = tp.windows(START)
    assert (w[tp.WEEK6].opens, w[tp.WEEK12].opens) == (day(5 * 7), day(11 * 7))


def test_days_paused_move_week_6_and_week_12_back_but_not_baseline():
    shifted = tp.windows(START, shift_days=10)
    assert shifted[tp.BASELINE].closes == day(6)
    assert shifted[tp.WEEK6].target == day(52)
    assert shifted[tp.WEEK12].target == day(94)


def test_each_later_visit_can_move_by_its_own_days():
    shifted = tp.windows(START, shift_days={tp.WEEK6: 0, tp.WEEK12: 14})
    assert shifted[tp.WEEK6].target == day(42)
    assert shifted[tp.WEEK12].target == day(98)


def test_negative_pauses_are_refused():
    with pytest.raises(ValueError, match="shift_days"):
        tp.windows(START, shift_days={tp.WEEK6: 0, tp.WEEK12: -1})
    with pytest.raises(ValueError, match="shift_days"):
        tp.windows(START, shift_days=-1)


def states(done, today):
    return [s.state for s in tp.statuses(tp.windows(START), done, today)]


def test_states_before_the_start():
    assert states(set(), day(-30)) == [tp.UPCOMING, tp.UPCOMING, tp.UPCOMING]
    assert states(set(), day(-7)) == [tp.DUE, tp.UPCOMING, tp.UPCOMING]


def test_a_passed_window_without_its_visit_is_overdue():
    assert states({tp.BASELINE}, day(50)) == [tp.DONE, tp.OVERDUE, tp.UPCOMING]
    assert states({tp.BASELINE}, day(49)) == [tp.DONE, tp.DUE, tp.UPCOMING]
    assert states({tp.BASELINE}, day(34)) == [tp.DONE, tp.UPCOMING, tp.UPCOMING]


def test_an_earlier_visit_is_missed_once_a_later_one_is_recorded():
    assert states({tp.BASELINE, tp.WEEK12}, day(85)) == [tp.DONE, tp.MISSED, tp.DONE]


def test_next_due_is_the_first_visit_still_to_do():
    statuses = tp.statuses(tp.windows(START), {tp.BASELINE}, day(10))
    assert tp.next_due(statuses).timepoint == tp.WEEK6
    everything = tp.statuses(tp.windows(START), set(tp.SCHEDULED), day(100))
    assert tp.next_due(everything) is None


@given(start=st.dates(), shift=st.integers(0, 200))
def test_windows_come_in_order_and_never_overlap(start, shift):
    try:
        w = tp.windows(start, shift_days=shift)
    except OverflowError:
        return
    assert w[tp.BASELINE].closes < w[tp.WEEK6].opens < w[tp.WEEK6].closes < w[tp.WEEK12].opens
    assert (w[tp.WEEK6].closes - w[tp.WEEK6].opens).days == 14
