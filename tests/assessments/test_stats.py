import statistics

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.stats import METHOD_NOTE, Summary, changes, summarise


def test_it_summarises_1_2_3_4_as_median_2_5_with_quartiles_1_75_and_3_25():
    # Inclusive positions (n-1)p over 1,2,3,4: q1 at 0.75 -> 1.75; median at 1.5 -> 2.5;
    # q3 at 2.25 -> 3.25.
    assert summarise([1, 2, 3, 4]) == Summary(n=4, median=2.5, q1=1.75, q3=3.25)


def test_it_sorts_before_summarising_10_12_15_9_11():
    # Sorted 9,10,11,12,15: positions 1, 2, 3 fall exactly on 10, 11, 12.
    assert summarise([10, 12, 15, 9, 11]) == Summary(n=5, median=11, q1=10, q3=12)


def test_it_interpolates_quartiles_for_six_skewed_values():
    # Sorted 3,3,3,7,7.5,100: q1 at 1.25 -> 3; median at 2.5 -> 3 + 0.5*4 = 5;
    # q3 at 3.75 -> 7 + 0.75*0.5 = 7.375.
    assert summarise([7, 7.5, 100, 3, 3, 3]) == Summary(n=6, median=5, q1=3, q3=7.375)


def test_it_summarises_two_values():
    # 1, 2: q1 at 0.25 -> 1.25; median 1.5; q3 at 0.75 -> 1.75.
    assert summarise([1, 2]) == Summary(n=2, median=1.5, q1=1.25, q3=1.75)


def test_it_matches_excel_quartile_inc_on_a_worked_example():
    # Excel: QUARTILE.INC({6,7,15,36,39,40,41,42,43,47,49}, 1) = 25.5, (…, 3) = 42.5
    result = summarise([6, 7, 15, 36, 39, 40, 41, 42, 43, 47, 49])
    assert (result.q1, result.median, result.q3) == (25.5, 40, 42.5)


def test_it_ignores_missing_values():
    assert summarise([None, 1, 2, None, 3, 4]) == summarise([1, 2, 3, 4])


def test_it_gives_all_none_for_no_values():
    assert summarise([]) == Summary(n=0, median=None, q1=None, q3=None)


def test_it_gives_all_none_when_every_value_is_missing():
    assert summarise([None, None]) == Summary(n=0, median=None, q1=None, q3=None)


def test_a_single_value_is_its_own_median_and_quartiles():
    assert summarise([None, 7]) == Summary(n=1, median=7, q1=7, q3=7)


def test_it_accepts_any_iterable_such_as_a_generator():
    assert summarise(v for v in [4, 3, 2, 1]).median == 2.5


def test_the_method_note_names_the_inclusive_method():
    assert "median" in METHOD_NOTE.lower()
    assert "interquartile range" in METHOD_NOTE.lower()
    assert "inclusive" in METHOD_NOTE
    assert METHOD_NOTE.endswith(".")


def test_changes_are_later_minus_baseline():
    assert changes([(10, 14), (20, 15), (5, 5)]) == [4, -5, 0]


def test_changes_skip_pairs_with_either_value_missing():
    assert changes([(None, 14), (20, None), (None, None), (3, 4.5)]) == [1.5]


def test_changes_of_nothing_is_an_empty_list():
    assert changes([]) == []


def test_changes_feed_straight_into_a_summary():
    result = summarise(changes([(18, 22), (20, 21), (15, 24), (None, 25), (19, 19)]))
    # Changes 4, 1, 9, 0 -> sorted 0,1,4,9: q1 0.75, median 2.5, q3 5.25.
    assert result == Summary(n=4, median=2.5, q1=0.75, q3=5.25)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False) | st.integers(-1000, 1000)


@given(st.lists(finite | st.none(), max_size=50))
def test_quartiles_are_ordered_and_within_the_range_of_the_data(values):
    data = [v for v in values if v is not None]
    result = summarise(values)
    assert result.n == len(data)
    if not data:
        assert result == Summary(n=0, median=None, q1=None, q3=None)
        return
    assert min(data) <= result.q1 <= result.median <= result.q3 <= max(data)
    assert result.median == pytest.approx(statistics.median(data))
