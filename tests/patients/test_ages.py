from datetime import date

import pytest

from patients.ages import age_on


def test_age_goes_up_on_the_birthday_and_not_the_day_before():
    born = date(1960, 6, 15)
    assert age_on(born, date(2020, 6, 14)) == 59
    assert age_on(born, date(2020, 6, 15)) == 60
    assert age_on(born, date(2020, 12, 31)) == 60


def test_age_does_not_go_up_in_a_later_month_of_the_birth_year():
    assert age_on(date(1960, 6, 15), date(1960, 12, 31)) == 0


def test_age_is_zero_on_the_day_of_birth():
    assert age_on(date(2024, 2, 29), date(2024, 2, 29)) == 0


def test_someone_born_on_29_february_turns_older_on_1_march_in_a_non_leap_year():
    born = date(2000, 2, 29)
    assert age_on(born, date(2021, 2, 28)) == 20
    assert age_on(born, date(2021, 3, 1)) == 21


def test_someone_born_on_29_february_turns_older_on_29_february_in_a_leap_year():
    born = date(2000, 2, 29)
    assert age_on(born, date(2024, 2, 28)) == 23
    assert age_on(born, date(2024, 2, 29)) == 24


def test_age_on_a_date_before_birth_is_an_error():
    with pytest.raises(ValueError, match="before birth_date"):
        age_on(date(1960, 6, 15), date(1960, 6, 14))
