"""The strength arithmetic: 1RM estimates, rounding to the step and the ceiling (no
database)."""

from decimal import Decimal

import pytest

from programmes.progression.strength import (
    FORMULAS,
    ceiling_load,
    estimate_one_rm,
    round_down_to_step,
)

D = Decimal


def loads_of(plan):
    return [week.load_kg for week in plan]


# --- estimate_one_rm ---------------------------------------------------------------------------


def test_the_formulas_are_brzycki_and_epley():
    assert FORMULAS == ("brzycki", "epley")


@pytest.mark.parametrize(
    ("load", "reps", "formula", "expected"),
    [
        (20, 10, "brzycki", 26.67),
        (20, 10, "epley", 26.67),
        (30, 5, "brzycki", 33.75),
        (30, 5, "epley", 35.0),
    ],
)
def test_it_estimates_the_worked_examples_from_the_domain_notes(load, reps, formula, expected):
    assert estimate_one_rm(load, reps, formula) == expected


def test_it_uses_brzycki_by_default():
    assert estimate_one_rm(30, 5) == 33.75


@pytest.mark.parametrize("formula", FORMULAS)
def test_a_single_repetition_is_the_one_rep_max_itself(formula):
    assert estimate_one_rm(42.5, 1, formula) == 42.5


def test_it_returns_a_float_rounded_to_two_decimals():
    result = estimate_one_rm(D("20"), 10)
    assert isinstance(result, float)
    assert result == 26.67


@pytest.mark.parametrize("load", [20, 20.0, D("20")])
def test_it_accepts_int_float_and_decimal_loads(load):
    assert estimate_one_rm(load, 10) == 26.67


@pytest.mark.parametrize("formula", FORMULAS)
def test_it_accepts_the_boundary_of_twelve_repetitions(formula):
    assert estimate_one_rm(10, 12, formula) > 10


@pytest.mark.parametrize("reps", [0, 13, -1, 5.0, True, "5"])
def test_it_refuses_repetitions_outside_one_to_twelve(reps):
    with pytest.raises(ValueError, match="between 1 and 12"):
        estimate_one_rm(20, reps)


@pytest.mark.parametrize("load", [0, -5, D("0"), 500.01, 501])
def test_it_refuses_a_test_load_that_is_not_positive_or_is_over_500_kg(load):
    with pytest.raises(ValueError, match="test load"):
        estimate_one_rm(load, 5)


def test_it_accepts_a_test_load_of_exactly_500_kg():
    assert estimate_one_rm(500, 1) == 500.0


@pytest.mark.parametrize("load", [float("nan"), float("inf"), "20", None, True])
def test_it_refuses_a_test_load_that_is_not_a_number(load):
    with pytest.raises(ValueError, match="test load"):
        estimate_one_rm(load, 5)


def test_it_refuses_an_unknown_formula():
    with pytest.raises(ValueError, match="Unknown 1RM formula"):
        estimate_one_rm(20, 5, "lombardi")


# --- round_down_to_step and ceiling_load ------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "step", "expected"),
    [
        (D("13.74"), D("2.5"), D("12.50")),
        (D("13.74"), D("0.5"), D("13.50")),
        (D("13.74"), 1, D("13.00")),
        (D("13.74"), 5, D("10.00")),
        (D("13.74"), D("1.25"), D("12.50")),
        (D("15"), D("2.5"), D("15.00")),
    ],
)
def test_it_rounds_the_load_down_to_the_plate_step(load, step, expected):
    assert round_down_to_step(load, step) == expected


def test_a_rounded_load_is_quantised_to_hundredths():
    assert round_down_to_step(D("7.9"), D("0.5")).as_tuple().exponent == -2


def test_a_load_below_one_step_rounds_to_zero():
    assert round_down_to_step(D("2.4"), D("2.5")) == 0


def test_a_rounded_load_is_never_negative():
    assert round_down_to_step(-3, 1) == 0


def test_it_rounds_float_loads_without_binary_surprises():
    # 0.1 * 3 is 0.30000000000000004 as a float; as Decimal it is exactly 0.3.
    assert round_down_to_step(0.3, 0.1) == D("0.30")


@pytest.mark.parametrize("step", [0, -0.5, D("0")])
def test_it_refuses_a_step_that_is_not_positive(step):
    with pytest.raises(ValueError, match="step must be greater than zero"):
        round_down_to_step(10, step)


def test_the_ceiling_load_is_the_ceiling_percentage_of_one_rm_rounded_down():
    # 80 % of 33.75 kg is 27 kg: 25 kg with 2.5 kg plates, 27 kg with 0.5 kg weights.
    assert ceiling_load(D("33.75"), 80, D("2.5")) == D("25.00")
    assert ceiling_load(D("33.75"), 80, D("0.5")) == D("27.00")


@pytest.mark.parametrize("pct", [0, 101])
def test_the_ceiling_percentage_must_be_between_one_and_a_hundred(pct):
    with pytest.raises(ValueError, match="ceiling intensity"):
        ceiling_load(30, pct, 1)
