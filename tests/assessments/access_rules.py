"""The assessments app's rows of the project's access matrix (tests/test_access_matrix.py).

name -> (audience, method, kwargs builder or None); see that file for the audiences.
Each builder takes the dict of objects the matrix's fixture makes.
"""

PAGES: dict = {}


def add_objects(objects: dict) -> None:
    """Create this app's objects for the matrix (in the first clinic), keyed by name."""
