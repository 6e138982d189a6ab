"""The programmes app's rows of the project's access matrix (tests/test_access_matrix.py).

name -> (audience, method, kwargs builder or None); see that file for the audiences.
Each builder takes the dict of objects the matrix's fixture makes.
"""

from tests.factories import ExerciseFactory, PatientFactory, TemplateExerciseFactory
from tests.programmes.helpers import assign, log

STAFF, ADMIN = "staff", "admin"


def _programme(o):
    return {"public_id": o["programme"].public_id}


PAGES: dict = {
    "programmes:attention": (STAFF, "get", None),
    "programmes:assign": (STAFF, "get", lambda o: {"public_id": o["unassigned_patient"].public_id}),
    "programmes:detail": (STAFF, "get", _programme),
    "programmes:plan_change": (STAFF, "get", _programme),
    "programmes:retest": (STAFF, "get", _programme),
    "programmes:pause": (STAFF, "get", _programme),
    "programmes:resume": (STAFF, "get", _programme),
    "programmes:complete": (STAFF, "get", _programme),
    "programmes:withdraw": (STAFF, "get", _programme),
    "programmes:session_record": (STAFF, "get", _programme),
    "programmes:print_week": (STAFF, "get", lambda o: {**_programme(o), "week": 3}),
    "programmes:print_handout": (STAFF, "get", _programme),
    "programmes:session_edit": (STAFF, "get", lambda o: {"public_id": o["session"].public_id}),
    "programmes:suggestion_accept": (
        STAFF,
        "post",
        lambda o: {"public_id": o["suggestion"].public_id},
    ),
    "programmes:suggestion_dismiss": (
        STAFF,
        "post",
        lambda o: {"public_id": o["suggestion"].public_id},
    ),
    "programmes:exercise_list": (STAFF, "get", None),
    "programmes:exercise_add": (ADMIN, "get", None),
    "programmes:exercise_edit": (ADMIN, "get", lambda o: {"public_id": o["exercise"].public_id}),
    "programmes:exercise_retire": (
        ADMIN,
        "post",
        lambda o: {"public_id": o["exercise"].public_id},
    ),
    "programmes:template_list": (STAFF, "get", None),
    "programmes:template_add": (ADMIN, "get", None),
    "programmes:template_detail": (
        STAFF,
        "get",
        lambda o: {"public_id": o["template"].public_id},
    ),
    "programmes:template_edit": (ADMIN, "get", lambda o: {"public_id": o["template"].public_id}),
    "programmes:template_copy": (ADMIN, "post", lambda o: {"public_id": o["template"].public_id}),
    "programmes:template_retire": (
        ADMIN,
        "post",
        lambda o: {"public_id": o["template"].public_id},
    ),
}


def add_objects(objects: dict) -> None:
    """Create this app's objects for the matrix (in the first clinic), keyed by name."""
    clinic, clinician = objects["patient"].clinic, objects["clinician"]
    # Patients of their own, so the assessments rows can give objects["patient"] a programme.
    patient = PatientFactory(clinic=clinic)
    programme = assign(patient, clinician, days_ago=14)
    log(programme, clinician, days_ago=10, last_set_reps=12)
    session = log(programme, clinician, days_ago=8, last_set_reps=12)
    objects["programme"] = programme
    objects["session"] = session
    objects["suggestion"] = programme.exercises.first().suggestions.get()
    objects["unassigned_patient"] = PatientFactory(clinic=clinic)
    row = TemplateExerciseFactory(template__clinic=clinic)
    objects["template"] = row.template
    objects["exercise"] = ExerciseFactory(clinic=clinic)
