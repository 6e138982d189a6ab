from datetime import date

import pytest

from assessments import measures
from assessments.measures import (
    chair_stand_score,
    pain_band,
    pain_flag,
    predicted_walk_m,
    sts_flag,
    walk_lower_limit_m,
    walk_pct_predicted,
)
from patients.ages import age_on

# 7.57*175 - 5.02*60 - 1.76*80 - 309 = 1324.75 - 301.2 - 140.8 - 309 = 573.75
MAN = {"sex": "male", "age": 60, "height_cm": 175, "weight_kg": 80}
# 2.11*165 - 2.29*65 - 5.78*60 + 667 = 348.15 - 148.85 - 346.8 + 667 = 519.5
WOMAN = {"sex": "female", "age": 60, "height_cm": 165, "weight_kg": 65}


# --- 6-minute walk: predicted distance ---------------------------------------------------------


def test_it_predicts_573_75_m_for_a_60_year_old_man_of_175_cm_and_80_kg():
    assert predicted_walk_m(**MAN) == pytest.approx(573.75)


def test_it_predicts_519_5_m_for_a_60_year_old_woman_of_165_cm_and_65_kg():
    assert predicted_walk_m(**WOMAN) == pytest.approx(519.5)


def test_it_predicts_for_a_man_aged_exactly_40():
    # 1324.75 - 5.02*40 - 140.8 - 309 = 1324.75 - 200.8 - 140.8 - 309 = 674.15
    assert predicted_walk_m(**MAN | {"age": 40}) == pytest.approx(674.15)


def test_it_predicts_for_a_man_aged_exactly_80():
    # 1324.75 - 5.02*80 - 140.8 - 309 = 1324.75 - 401.6 - 140.8 - 309 = 473.35
    assert predicted_walk_m(**MAN | {"age": 80}) == pytest.approx(473.35)


def test_it_predicts_for_a_woman_aged_exactly_40_and_exactly_80():
    # 348.15 - 148.85 - 5.78*40 + 667 = 348.15 - 148.85 - 231.2 + 667 = 635.1
    assert predicted_walk_m(**WOMAN | {"age": 40}) == pytest.approx(635.1)
    # 348.15 - 148.85 - 5.78*80 + 667 = 348.15 - 148.85 - 462.4 + 667 = 403.9
    assert predicted_walk_m(**WOMAN | {"age": 80}) == pytest.approx(403.9)


@pytest.mark.parametrize("age", [39, 81, 18, 95])
def test_it_makes_no_prediction_outside_ages_40_to_80(age):
    assert predicted_walk_m(**MAN | {"age": age}) is None
    assert predicted_walk_m(**WOMAN | {"age": age}) is None


@pytest.mark.parametrize("missing", ["sex", "age", "height_cm", "weight_kg"])
def test_it_makes_no_prediction_when_anything_is_unknown(missing):
    assert predicted_walk_m(**MAN | {missing: None}) is None
    assert walk_lower_limit_m(**MAN | {missing: None}) is None
    assert walk_pct_predicted(500, **MAN | {missing: None}) is None


@pytest.mark.parametrize("sex", ["Male", "M", "other", "unknown", ""])
def test_it_makes_no_prediction_for_a_sex_other_than_male_or_female(sex):
    assert predicted_walk_m(**MAN | {"sex": sex}) is None


def test_it_makes_no_prediction_when_the_equation_gives_zero_or_less():
    # 7.57*140 - 5.02*80 - 1.76*200 - 309 = 1059.8 - 401.6 - 352 - 309 = -2.8
    extreme = {"sex": "male", "age": 80, "height_cm": 140, "weight_kg": 200}
    assert predicted_walk_m(**extreme) is None
    assert walk_pct_predicted(100, **extreme) is None


def test_it_requires_keyword_arguments_so_height_and_weight_cannot_be_swapped():
    with pytest.raises(TypeError):
        predicted_walk_m("male", 60, 175, 80)


# --- 6-minute walk: lower limit of normal and percent predicted ---------------------------------


def test_the_lower_limit_for_a_man_is_153_m_below_predicted():
    assert walk_lower_limit_m(**MAN) == pytest.approx(573.75 - 153)  # 420.75


def test_the_lower_limit_for_a_woman_is_139_m_below_predicted():
    assert walk_lower_limit_m(**WOMAN) == pytest.approx(519.5 - 139)  # 380.5


def test_the_lower_limit_is_none_outside_the_age_range():
    assert walk_lower_limit_m(**MAN | {"age": 81}) is None


def test_it_gives_percent_predicted_to_one_decimal_place_for_a_man():
    # 500 / 573.75 = 0.871459... -> 87.1 %
    assert walk_pct_predicted(500, **MAN) == 87.1


def test_it_gives_percent_predicted_for_a_woman():
    # 415.6 / 519.5 = 0.8 exactly -> 80.0 %
    assert walk_pct_predicted(415.6, **WOMAN) == 80.0


def test_it_gives_100_percent_for_walking_exactly_the_predicted_distance():
    assert walk_pct_predicted(573.75, **MAN) == 100.0


def test_percent_predicted_is_none_without_a_distance():
    assert walk_pct_predicted(None, **MAN) is None


def test_percent_predicted_is_none_outside_the_age_range():
    assert walk_pct_predicted(500, **MAN | {"age": 39}) is None


def test_a_patient_enters_the_walk_equation_range_on_their_40th_birthday():
    born = date(1980, 3, 10)
    day_before = age_on(born, date(2020, 3, 9))
    birthday = age_on(born, date(2020, 3, 10))
    assert (day_before, birthday) == (39, 40)
    assert predicted_walk_m(**MAN | {"age": day_before}) is None
    assert predicted_walk_m(**MAN | {"age": birthday}) is not None


def test_a_patient_leaves_the_walk_equation_range_on_their_81st_birthday():
    born = date(1940, 3, 10)
    assert predicted_walk_m(**MAN | {"age": age_on(born, date(2021, 3, 9))}) is not None
    assert predicted_walk_m(**MAN | {"age": age_on(born, date(2021, 3, 10))}) is None


# --- 30-second chair stand ----------------------------------------------------------------------


def test_the_chair_stand_score_is_the_number_of_stands():
    assert chair_stand_score(12, arms_needed=False) == 12


def test_the_chair_stand_scores_zero_if_arms_were_needed():
    assert chair_stand_score(12, arms_needed=True) == 0


@pytest.mark.parametrize("stands", [0, 40])
def test_the_chair_stand_accepts_0_and_40_stands(stands):
    assert chair_stand_score(stands, arms_needed=False) == stands


@pytest.mark.parametrize("stands", [-1, 41, 400, 12.5, True, None, "12"])
def test_the_chair_stand_rejects_an_impossible_number_of_stands(stands):
    with pytest.raises(ValueError, match="stands"):
        chair_stand_score(stands, arms_needed=False)


def test_the_chair_stand_rejects_an_impossible_count_even_if_arms_were_needed():
    with pytest.raises(ValueError, match="stands"):
        chair_stand_score(41, arms_needed=True)


# --- Five-times sit-to-stand --------------------------------------------------------------------


def test_the_sit_to_stand_fall_risk_cut_off_is_15_seconds():
    assert measures.STS_FALL_RISK_SECONDS == 15


@pytest.mark.parametrize("seconds", [2, 10, 14.9])
def test_a_sit_to_stand_under_15_seconds_is_not_flagged(seconds):
    assert sts_flag(seconds) is False


@pytest.mark.parametrize("seconds", [15, 15.0, 20.5, 120])
def test_a_sit_to_stand_of_15_seconds_or_more_is_flagged(seconds):
    assert sts_flag(seconds) is True


@pytest.mark.parametrize("seconds", [0, 1.9, 120.1, -5, True])
def test_a_sit_to_stand_time_outside_2_to_120_seconds_is_an_error(seconds):
    with pytest.raises(ValueError, match="seconds"):
        sts_flag(seconds)


# --- Pain NRS -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nrs", "band"),
    [
        (0, "none"),
        (1, "mild"),
        (2, "mild"),
        (3, "mild"),
        (4, "moderate"),
        (5, "moderate"),
        (6, "moderate"),
        (7, "severe"),
        (8, "severe"),
        (9, "severe"),
        (10, "severe"),
    ],
)
def test_it_bands_every_pain_score(nrs, band):
    assert pain_band(nrs) == band


@pytest.mark.parametrize("nrs", [-1, 11, 3.5, True, None, "3"])
def test_it_rejects_a_pain_score_outside_0_to_10(nrs):
    with pytest.raises(ValueError, match="nrs"):
        pain_band(nrs)


def test_a_meaningful_change_in_pain_is_2_points():
    assert measures.PAIN_MEANINGFUL_CHANGE == 2


@pytest.mark.parametrize("current", [7, 8, 10])
def test_it_flags_severe_pain_of_7_or_more(current):
    assert pain_flag(current) is True


@pytest.mark.parametrize("current", [0, 3, 6])
def test_it_does_not_flag_pain_below_7_without_a_previous_score(current):
    assert pain_flag(current) is False


def test_it_flags_pain_rising_by_2_points_even_when_mild():
    assert pain_flag(3, previous=1) is True


def test_it_does_not_flag_pain_rising_by_only_1_point():
    assert pain_flag(6, previous=5) is False


def test_it_does_not_flag_pain_that_is_steady_or_falling_below_7():
    assert pain_flag(4, previous=4) is False
    assert pain_flag(4, previous=6) is False


def test_it_still_flags_severe_pain_that_has_fallen():
    assert pain_flag(8, previous=9) is True


@pytest.mark.parametrize(
    ("current", "previous", "named"),
    [(11, None, "current"), (5, 11, "previous"), (5, -1, "previous"), (5, True, "previous")],
)
def test_pain_flag_rejects_impossible_scores_naming_which_one(current, previous, named):
    with pytest.raises(ValueError, match=rf"^{named}:"):
        pain_flag(current, previous)
