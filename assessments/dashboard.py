"""What the assessments app adds to the clinician's home page and to the patient's page.

Each panel costs a fixed number of queries, however many patients or visits there are.
"""

from django.utils import timezone

from . import charts, tinetti
from . import timepoints as schedule
from .selectors import (
    due_visits,
    patient_visits,
    programme_schedule,
    visit_rows,
)

HOME_PANEL_LIMIT = 10  # the rest are one click away on the "Visits due" page


def home_context(user) -> dict:
    due = due_visits(user, timezone.localdate())
    return {"assessment_due": due, "assessment_due_limit": HOME_PANEL_LIMIT}


def patient_context(patient, programme) -> dict:
    """The patient page's visits panel; `programme` is the one it follows (the rule of
    selectors.open_or_latest_programme), which the page has already read."""
    visits = patient_visits(patient)
    rows = visit_rows(visits)
    panel = {
        "programme": programme,
        "rows": rows,
        "several_programmes": len({v.programme_id for v in visits}) > 1,
        "tinetti": tinetti,
    }
    if programme is not None:
        mine = [v for v in visits if v.programme_id == programme.pk]
        statuses = programme_schedule(programme, {v.timepoint for v in mine}, timezone.localdate())
        days = [(v.study_day, v) for v in mine]
        panel.update(
            schedule=statuses,
            next_due=schedule.next_due(statuses),
            tinetti_chart=charts.tinetti_chart(
                [(d, v.tinetti_balance, v.tinetti_gait, v.tinetti_total) for d, v in days]
            ),
            walk_chart=charts.walk_chart([(d, v.walk_distance_m) for d, v in days]),
        )
    return {"assessment": panel}
