"""Dates as a clinic reads them. A built-in filter (config/settings.py TEMPLATES), so every
template has it without a {% load %}."""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils import timezone

register = template.Library()


@register.filter
def day(value, fmt="j M"):
    """'7 Dec' for a date of this year, '7 Dec 2025' for any other: a short date without its
    year reads as this year's, so a window that closed last December must say so."""
    if not value:
        return ""
    if value.year != timezone.localdate().year:
        fmt = f"{fmt} Y"
    return format_date(value, fmt)
