"""The assessments app's rows of the project's access matrix (tests/test_access_matrix.py).

name -> (audience, method, kwargs builder or None); see that file for the audiences.
Each builder takes the dict of objects the matrix's fixture makes.
"""

from datetime import date

from tests.assessments.factories import make_visit
from tests.factories import ProgrammeFactory

STAFF = "staff"


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
}


def add_objects(objects: dict) -> None:
    """Create this app's objects for the matrix (in the first clinic), keyed by name."""
    patient = objects["patient"]
    programme = ProgrammeFactory(patient=patient, start_date=date(2025, 9, 1))
    objects["programme_for_visits"] = programme
    objects["visit"] = make_visit(
        programme=programme, assessed_on=date(2025, 9, 1), by=objects["clinician"]
    )
