from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def kg(value) -> str:
    """17.50 -> '17.5', 20.00 -> '20': loads as a clinician writes them."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


@register.filter
def pct(value) -> str:
    return kg(value)
