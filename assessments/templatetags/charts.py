from django import template

from patients.kept_fragments import kept_fragment

register = template.Library()


@register.simple_tag
def chart(chart, clinic_id) -> str:
    """A server-drawn chart (assessments.charts.Chart: frozen plain values), kept for the
    clinic by what it shows: its ticks, lines and points are many small template nodes."""
    return kept_fragment("assessments/_chart.html", {"chart": chart}, clinic_id=clinic_id)
