import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import tinetti
from assessments.tinetti import ITEMS, ITEMS_BY_CODE, score

EXPECTED_CODES = (
    "sitting_balance",
    "arises",
    "attempts_to_arise",
    "immediate_standing",
    "standing_balance",
    "nudged",
    "eyes_closed",
    "turn_steps",
    "turn_steadiness",
    "sitting_down",
    "initiation",
    "right_step_length",
    "right_foot_clearance",
    "left_step_length",
    "left_foot_clearance",
    "step_symmetry",
    "step_continuity",
    "path",
    "trunk",
    "walking_stance",
)

EVERY_ITEM_AT_EVERY_VALUE = [(item.code, value) for item in ITEMS for value, _ in item.choices]


def all_zero():
    return dict.fromkeys(tinetti.CODES, 0)


def all_max():
    return {item.code: item.max_score for item in ITEMS}


def answers_totalling(total):
    """A valid form whose lines add up to `total`, filling items in form order."""
    answers = all_zero()
    remaining = total
    for item in ITEMS:
        answers[item.code] = min(item.max_score, remaining)
        remaining -= answers[item.code]
    assert remaining == 0
    return answers


valid_answers = st.fixed_dictionaries(
    {item.code: st.sampled_from(sorted(item.allowed)) for item in ITEMS}
)


# --- The form itself --------------------------------------------------------------------------


def test_it_has_20_items_10_for_balance_and_10_for_gait():
    assert len(ITEMS) == 20
    assert len(tinetti.BALANCE_ITEMS) == 10
    assert len(tinetti.GAIT_ITEMS) == 10


def test_it_lists_the_canonical_codes_balance_first_in_form_order():
    assert tinetti.CODES == EXPECTED_CODES
    assert tuple(i.code for i in tinetti.BALANCE_ITEMS) == EXPECTED_CODES[:10]
    assert tuple(i.code for i in tinetti.GAIT_ITEMS) == EXPECTED_CODES[10:]
    assert all(i.section == "balance" for i in tinetti.BALANCE_ITEMS)
    assert all(i.section == "gait" for i in tinetti.GAIT_ITEMS)


def test_it_indexes_every_item_by_code():
    assert list(ITEMS_BY_CODE) == list(EXPECTED_CODES)
    assert all(ITEMS_BY_CODE[item.code] is item for item in ITEMS)


def test_the_maximum_possible_sums_from_the_choices_are_16_12_and_28():
    balance_max = sum(max(v for v, _ in i.choices) for i in tinetti.BALANCE_ITEMS)
    gait_max = sum(max(v for v, _ in i.choices) for i in tinetti.GAIT_ITEMS)
    assert (balance_max, gait_max) == (16, 12)
    assert balance_max + gait_max == 28
    assert (tinetti.BALANCE_MAX, tinetti.GAIT_MAX, tinetti.TOTAL_MAX) == (16, 12, 28)


def test_every_item_scores_from_zero_upwards_in_steps_of_one():
    for item in ITEMS:
        values = [v for v, _ in item.choices]
        assert values == list(range(item.max_score + 1)), item.code
        assert item.allowed == set(values)


def test_items_with_three_choices_are_the_ones_the_form_scores_out_of_2():
    out_of_2 = {i.code for i in ITEMS if i.max_score == 2}
    assert out_of_2 == {
        "arises",
        "attempts_to_arise",
        "immediate_standing",
        "standing_balance",
        "nudged",
        "sitting_down",
        "path",
        "trunk",
    }


def test_it_labels_a_score_with_its_value_and_wording():
    assert ITEMS_BY_CODE["sitting_balance"].label(1) == "1 = steady, safe"
    assert ITEMS_BY_CODE["arises"].label(0) == "0 = unable without help"
    assert ITEMS_BY_CODE["walking_stance"].label(1) == "1 = heels almost touching"


@pytest.mark.parametrize("bad", [2, -1, True, "1", 1.0])
def test_it_refuses_to_label_a_score_the_item_does_not_allow(bad):
    with pytest.raises(ValueError, match="sitting_balance"):
        ITEMS_BY_CODE["sitting_balance"].label(bad)


def test_items_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        ITEMS[0].code = "other"


# --- Scoring ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "value"), EVERY_ITEM_AT_EVERY_VALUE)
def test_every_item_counts_towards_its_own_section_at_every_allowed_value(code, value):
    answers = all_zero() | {code: value}
    result = score(answers)
    section = ITEMS_BY_CODE[code].section
    assert result.total == value
    assert (result.balance, result.gait) == ((value, 0) if section == "balance" else (0, value))


def test_it_scores_a_perfect_form_as_28_with_low_risk_and_no_notes():
    result = score(all_max())
    assert (result.balance, result.gait, result.total) == (16, 12, 28)
    assert result.risk == "low"
    assert result.risk_label == "Low fall risk"
    assert result.notes == ()


def test_it_scores_an_all_zero_form_as_0_with_high_risk_and_both_notes():
    result = score(all_zero())
    assert (result.balance, result.gait, result.total) == (0, 0, 0)
    assert result.risk == "high"
    assert result.risk_label == "High fall risk"
    assert len(result.notes) == 2


def test_it_scores_a_typical_mixed_form_by_hand():
    answers = {
        "sitting_balance": 1,
        "arises": 1,
        "attempts_to_arise": 2,
        "immediate_standing": 1,
        "standing_balance": 1,
        "nudged": 1,
        "eyes_closed": 0,
        "turn_steps": 1,
        "turn_steadiness": 0,
        "sitting_down": 1,  # balance 1+1+2+1+1+1+0+1+0+1 = 9
        "initiation": 1,
        "right_step_length": 1,
        "right_foot_clearance": 1,
        "left_step_length": 1,
        "left_foot_clearance": 0,
        "step_symmetry": 0,
        "step_continuity": 1,
        "path": 1,
        "trunk": 1,
        "walking_stance": 1,  # gait 1+1+1+1+0+0+1+1+1+1 = 8
    }
    result = score(answers)
    assert (result.balance, result.gait, result.total) == (9, 8, 17)
    assert result.risk == "high"


def test_it_accepts_any_mapping_in_any_key_order():
    answers = dict(reversed(list(all_max().items())))
    assert score(answers).total == 28


def test_scores_are_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        score(all_max()).total = 0


# --- Fall-risk bands --------------------------------------------------------------------------


def test_it_bands_a_total_of_18_as_high_risk():
    assert tinetti.risk_band(18) == "high"
    assert score(answers_totalling(18)).risk == "high"


def test_it_bands_a_total_of_19_as_moderate_risk():
    assert tinetti.risk_band(19) == "moderate"
    assert score(answers_totalling(19)).risk == "moderate"


def test_it_bands_a_total_of_23_as_moderate_risk():
    assert tinetti.risk_band(23) == "moderate"
    assert score(answers_totalling(23)).risk == "moderate"


def test_it_bands_a_total_of_24_as_low_risk():
    assert tinetti.risk_band(24) == "low"
    assert score(answers_totalling(24)).risk == "low"


def test_it_bands_the_extremes_0_and_28():
    assert tinetti.risk_band(0) == "high"
    assert tinetti.risk_band(28) == "low"


@pytest.mark.parametrize("total", [-1, 29, True, 20.0, None])
def test_it_refuses_to_band_a_total_that_cannot_occur(total):
    with pytest.raises(ValueError, match="total"):
        tinetti.risk_band(total)


def test_every_band_has_a_readable_label():
    labels = {tinetti.risk_band(t): score(answers_totalling(t)).risk_label for t in (0, 20, 28)}
    assert labels == {
        "high": "High fall risk",
        "moderate": "Moderate fall risk",
        "low": "Low fall risk",
    }


def test_the_banding_is_named_by_its_cut_offs_and_credits_no_paper_that_does_not_define_it():
    assert tinetti.BANDING_NAME == "≤18 high, 19–23 moderate, ≥24 low"
    assert "Tinetti" not in tinetti.BANDING_NAME
    assert "1986" not in tinetti.BANDING_NAME


# --- Notes ------------------------------------------------------------------------------------


def test_it_notes_that_a_balance_subtotal_of_11_may_need_a_walking_aid():
    (note,) = tinetti.notes_for(11, 12)
    assert "walking aid" in note
    assert "Mitchell & Newton 2006" in note


def test_it_adds_no_balance_note_at_a_subtotal_of_12():
    assert tinetti.notes_for(12, 12) == ()


def test_it_notes_that_a_gait_subtotal_of_9_suggests_limited_mobility():
    (note,) = tinetti.notes_for(16, 9)
    assert "limited mobility" in note
    assert "Merck Manual" in note


def test_it_adds_no_gait_note_at_a_subtotal_of_10():
    assert tinetti.notes_for(16, 10) == ()


# --- Change between assessments ---------------------------------------------------------------


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_it_calls_a_change_of_one_point_or_less_measurement_error(delta):
    assert tinetti.describe_change(delta) == "within measurement error"


@pytest.mark.parametrize("delta", [2, -2, 7, -7, 10, -10, 28, -28])
def test_it_puts_no_judgement_on_a_larger_change_as_no_threshold_is_established_for_neuropathy(
    delta,
):
    assert tinetti.describe_change(delta) == ""


# --- Errors name the item ---------------------------------------------------------------------


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_a_missing_item_is_an_error_naming_the_item(code):
    answers = all_max()
    del answers[code]
    with pytest.raises(ValueError, match=rf"\b{code}\b"):
        score(answers)


def test_an_unknown_item_is_an_error_naming_the_item():
    with pytest.raises(ValueError, match="arm_swing"):
        score(all_max() | {"arm_swing": 1})


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_a_score_above_the_items_maximum_is_an_error_naming_the_item(code):
    answers = all_zero() | {code: ITEMS_BY_CODE[code].max_score + 1}
    with pytest.raises(ValueError, match=rf"\b{code}\b"):
        score(answers)


@pytest.mark.parametrize("code", EXPECTED_CODES)
def test_a_negative_score_is_an_error_naming_the_item(code):
    with pytest.raises(ValueError, match=rf"\b{code}\b"):
        score(all_zero() | {code: -1})


@pytest.mark.parametrize("bad", [True, False, "1", 1.0, None])
def test_a_score_that_is_not_an_int_is_an_error_naming_the_item(bad):
    with pytest.raises(ValueError, match="eyes_closed"):
        score(all_zero() | {"eyes_closed": bad})


# --- Checking stated subtotals on imports -----------------------------------------------------


def test_stated_subtotals_that_agree_with_the_lines_pass_and_return_the_score():
    result = tinetti.subtotals_agree(all_max(), balance=16, gait=12, total=28)
    assert result == score(all_max())


def test_subtotals_that_were_not_stated_are_not_checked():
    assert tinetti.subtotals_agree(all_max()).total == 28
    assert tinetti.subtotals_agree(all_max(), total=28).total == 28


@pytest.mark.parametrize(
    ("stated", "named"),
    [
        ({"balance": 15, "gait": 12, "total": 28}, "balance"),
        ({"balance": 16, "gait": 11, "total": 28}, "gait"),
        ({"balance": 16, "gait": 12, "total": 27}, "total"),
    ],
)
def test_a_stated_subtotal_that_disagrees_is_an_error_naming_it(stated, named):
    with pytest.raises(ValueError, match=rf"^{named}: stated"):
        tinetti.subtotals_agree(all_max(), **stated)


def test_checking_subtotals_still_rejects_a_bad_line_by_its_code():
    with pytest.raises(ValueError, match="trunk"):
        tinetti.subtotals_agree(all_max() | {"trunk": 3}, total=28)


# --- Properties -------------------------------------------------------------------------------


@given(valid_answers)
def test_any_valid_form_scores_consistently(answers):
    result = score(answers)
    assert result.total == result.balance + result.gait
    assert 0 <= result.balance <= tinetti.BALANCE_MAX
    assert 0 <= result.gait <= tinetti.GAIT_MAX
    assert result.risk == tinetti.risk_band(result.total)
    expected_risk = "high" if result.total <= 18 else "moderate" if result.total <= 23 else "low"
    assert result.risk == expected_risk
    assert result.notes == tinetti.notes_for(result.balance, result.gait)
