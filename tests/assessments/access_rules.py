"""The assessments app's rows of the project's access matrix (tests/test_access_matrix.py).

name -> (audience, method, kwargs builder or None); see that file for the audiences.
Each builder takes the dict of objects the matrix's fixture makes.
"""

from datetime import date

from assessments.models import ExportKind
from tests.assessments.factories import make_visit
from tests.factories import ProgrammeFactory

STAFF, ADMIN = "staff", "admin"


def _programme(objects):
    return {"public_id": objects["programme_for_visits"].public_id}


def _visit(objects):
    return {"public_id": objects["visit"].public_id}


PAGES: dict = {
    "assessments:list": (STAFF, "get", None),
    "assessments:due": (STAFF, "get", None),
    "assessments:record": (STAFF, "get", _programme),
    "assessments:visit": (STAFF, "get", _visit),
    "assessments:edit": (STAFF, "get", _visit),
    "assessments:outcomes": (STAFF, "get", None),
    # De-identified by default, so every member of staff may download each file; asking for an
    # identified file as a clinician is refused (tests/assessments/test_export_access.py).
    **{f"assessments:export_{kind}": (STAFF, "get", None) for kind in ExportKind.values},
    "assessments:export_log": (ADMIN, "get", None),
    "assessments:import": (ADMIN, "get", None),
    "assessments:report": (STAFF, "get", lambda o: {"public_id": o["patient"].public_id}),
}


def add_objects(objects: dict) -> None:
    """Create this app's objects for the matrix (in the first clinic), keyed by name."""
    patient = objects["patient"]
    programme = ProgrammeFactory(patient=patient, start_date=date(2025, 9, 1))
    objects["programme_for_visits"] = programme
    objects["visit"] = make_visit(
        programme=programme, assessed_on=date(2025, 9, 1), by=objects["clinician"]
    )
