"""The portal's rows of the project's access matrix (tests/test_access_matrix.py).

name -> (audience, method, kwargs builder or None). Portal URLs name no patient: each page reads
the logged-in patient's own rows, so a patient gets their own and staff get 403.
"""

from datetime import date

from programmes.models import ExerciseSession, SessionSource

PATIENT = "patient"
HOME_SESSION_DAY = date(2025, 9, 3)

PAGES: dict = {
    "portal:this_week": (PATIENT, "get", None),
    "portal:week": (PATIENT, "get", lambda o: {"week": 2}),
    "portal:session_report": (PATIENT, "get", None),
    "portal:session_edit": (PATIENT, "get", lambda o: {"day": HOME_SESSION_DAY}),
    "portal:print_week": (PATIENT, "get", lambda o: {"week": 2}),
    "portal:print_handout": (PATIENT, "get", None),
}


def add_objects(objects: dict) -> None:
    """A home session of the matrix patient's programme (made by the assessments rows)."""
    ExerciseSession.objects.create(
        programme=objects["programme_for_visits"],
        source=SessionSource.HOME,
        date=HOME_SESSION_DAY,
        week=1,
        effort=3,
        pain_after=2,
        recorded_by=objects["patient_user"],
    )
