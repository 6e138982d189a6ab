from datetime import date

from django.urls import path, register_converter

from . import views


class IsoDateConverter:
    """2026-11-21 in the URL, a date in the view; anything else is a 404."""

    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError (e.g. 2026-02-30) means "no match"

    def to_url(self, value) -> str:
        return value.isoformat() if isinstance(value, date) else str(value)


register_converter(IsoDateConverter, "isodate")

app_name = "portal"

# No patient's ID appears here: every view reads the logged-in patient's own rows.
urlpatterns = [
    path("", views.this_week, name="this_week"),
    path("week/<int:week>/", views.week, name="week"),
    path("sessions/new/", views.session_report, name="session_report"),
    path("sessions/<isodate:day>/", views.session_edit, name="session_edit"),
    path("print/week/<int:week>/", views.print_week, name="print_week"),
    path("print/handout/", views.print_handout, name="print_handout"),
]
