from django import template
from django.utils.html import format_html

register = template.Library()

STATUS_BADGE = {"active": "text-bg-success", "withdrawn": "text-bg-secondary"}


@register.simple_tag
def status_badge(patient) -> str:
    """The patient's status as a coloured badge. A tag, not an included template: it is drawn
    on every row of the patient tables, where an include costs a template render each."""
    css = STATUS_BADGE.get(patient.status, "text-bg-info")
    return format_html('<span class="badge {}">{}</span>', css, patient.get_status_display())
