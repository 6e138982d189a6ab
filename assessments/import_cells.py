"""Reading one cell of a long CSV row (imports.parse): a code from its choices, a number, the
visit date, the 20 Tinetti lines. Each appends what is wrong to `errors` and returns None or ""
for a refused cell, so one pass lists every problem of the row."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from . import tinetti
from .models import EARLIEST_VISIT_DATE


def is_whole_number(value: str) -> bool:
    # str.isdigit() alone accepts "²" and other digits int() refuses.
    return value.isascii() and value.isdigit()


def choice(cells, name, choices, errors, *, required=False) -> str:
    value = cells.get(name, "")
    if not value:
        if required:
            errors.append(f"{name} is empty.")
        return ""
    if value not in choices:
        errors.append(f"{name} {value!r} is not one of: {', '.join(choices)}.")
        return ""
    return sys.intern(value)  # one string for every row's "female", not one per row


def number(cells, name, kind, errors):
    value = cells.get(name, "")
    if not value:
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:
        comma = " (write decimals with a point: 12.5)" if "," in value else ""
        errors.append(f"{name} {value!r} is not a number{comma}.")
        return None
    if not number.is_finite():
        errors.append(f"{name} {value!r} is not a number.")
        return None
    if kind is int:
        if number != number.to_integral_value():
            errors.append(f"{name} {value!r} must be a whole number.")
            return None
        return int(number)
    if number != number.quantize(Decimal("0.1")):
        errors.append(f"{name} {value!r} has more than one decimal place.")
        return None
    return number.quantize(Decimal("0.1"))


def visit_date(text: str, errors: list[str]) -> date | None:
    if not text:
        errors.append("assessed_on is empty.")
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        errors.append(f"assessed_on {text!r} is not a date written as YYYY-MM-DD.")
        return None
    if day < EARLIEST_VISIT_DATE:
        # Year 1 and the like: a typing slip, and too close to date's limits to compute with.
        errors.append(f"assessed_on {text} is before {EARLIEST_VISIT_DATE.year}: a typing slip?")
        return None
    if day > timezone.localdate():
        errors.append(f"assessed_on {text} is in the future.")
        return None
    return day


def tinetti_lines(cells: dict, errors: list[str]) -> dict[str, int] | None:
    lines, missing = {}, []
    for item in tinetti.ITEMS:
        column = f"tinetti_{item.code}"
        value = cells.get(column, "")
        if not value:
            missing.append(column)
            continue
        if not is_whole_number(value) or int(value) not in item.allowed:
            errors.append(f"{column} {value!r} is not one of {sorted(item.allowed)}.")
            continue
        lines[item.code] = int(value)
    stated = {name: cells.get(f"tinetti_{name}", "") for name in ("balance", "gait", "total")}
    if not lines and len(missing) == len(tinetti.ITEMS):
        if any(stated.values()):
            errors.append(
                "A Tinetti subtotal or total is given without its 20 lines: the app derives "
                "them from the lines, so give the lines."
            )
        return None
    if missing:
        errors.append("Score all 20 Tinetti lines, or none: empty " + ", ".join(missing) + ".")
        return None
    if len(lines) < len(tinetti.ITEMS):
        return None  # a line was refused above
    numbers = {}
    for name, value in stated.items():
        if value and not is_whole_number(value):
            errors.append(f"tinetti_{name} {value!r} is not a whole number.")
            return None
        numbers[name] = int(value) if value else None
    try:
        tinetti.subtotals_agree(lines, **numbers)
    except ValueError as error:
        name, _, detail = str(error).partition(": ")
        errors.append(f"tinetti_{name}: {detail}.")
        return None
    return lines
