"""Age arithmetic, pure Python (no Django): used by registration rules and by the measures."""

from datetime import date


def age_on(birth_date: date, on_date: date) -> int:
    """Age in whole years on a date.

    The birthday counts once its month/day is reached, so someone born on 29 February turns a
    year older on 1 March in non-leap years.
    """
    if on_date < birth_date:
        raise ValueError(f"on_date {on_date} is before birth_date {birth_date}")
    before_birthday = (on_date.month, on_date.day) < (birth_date.month, birth_date.day)
    return on_date.year - birth_date.year - before_birthday
