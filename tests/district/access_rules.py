"""The district app's rows of the project's access matrix (tests/test_access_matrix.py), and the
district lead's row of every other page.

name -> (audience, method, kwargs builder or None); see that file for the audiences. A district
lead sees their district's page and CSV; every clinic page refuses them (403), since they have no
clinic; pages for any user (password change, log-out) and public ones are theirs too.
"""

from tests.district.factories import DistrictFactory, DistrictLeadFactory

DISTRICT = "district lead"

PAGES: dict = {
    "district:page": (DISTRICT, "get", None),
    "district:csv": (DISTRICT, "get", None),
}


def add_objects(objects: dict) -> None:
    """A district holding the matrix's first clinic, and its lead."""
    district = DistrictFactory(name="Kano North")
    clinic = objects["patient"].clinic
    clinic.district = district
    clinic.save()
    objects["district_lead"] = DistrictLeadFactory(district=district, username="district-lead")
