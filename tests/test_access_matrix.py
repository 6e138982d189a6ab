"""Every URL the project has, checked for every kind of user.

The matrix below must name every URL pattern (the first test fails otherwise), so a page added
later cannot escape the access rules. For each page: anonymous users are sent to log in, each role
gets the page or 403, and another clinic's staff get 404 for this clinic's objects. A district
lead (a district, no clinic) gets only the district's pages and those for any user: every clinic
page is a 403 to them, including pages about an object of their own district's clinic.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.assessments import access_rules as assessment_rules
from tests.district import access_rules as district_rules
from tests.factories import ClinicAdminFactory, ClinicianFactory
from tests.portal import access_rules as portal_rules
from tests.programmes import access_rules as programme_rules

# Who may open a page:
STAFF = "staff"  # clinic admins and clinicians
ADMIN = "admin"  # clinic admins only
ANY_USER = "any user"  # anyone logged in
PUBLIC = "public"  # no login needed
PATIENT = "patient"  # a patient's own portal: patients only; staff get 403
DISTRICT = district_rules.DISTRICT  # a district's figures: its district lead only

ROLES = [
    "anonymous",
    "patient",
    "clinician",
    "admin",
    "other_admin",
    "other_clinician",
    "district_lead",
]


def _patient(o):
    return {"public_id": o["patient"].public_id}


def _staff_member(o):
    return {"public_id": o["clinician"].public_id}


# name -> (audience, method, kwargs from the objects, is it about one object of the clinic?)
MATRIX = {
    # Staff get their dashboard; a patient is sent on to their portal.
    "home": (ANY_USER, "get", None),
    "patients:list": (STAFF, "get", None),
    "patients:register": (STAFF, "get", None),
    "patients:detail": (STAFF, "get", _patient),
    "patients:edit": (STAFF, "get", _patient),
    "patients:withdraw": (STAFF, "get", _patient),
    "patients:portal_access": (STAFF, "get", _patient),
    "patients:portal_access_issue": (STAFF, "post", _patient),
    "patients:portal_access_code": (STAFF, "get", _patient),
    "patients:portal_access_revoke": (STAFF, "post", _patient),
    "activate": (PUBLIC, "get", None),
    "activate_link": (PUBLIC, "get", lambda o: {"token": "not-a-real-token"}),
    "staff:list": (ADMIN, "get", None),
    "staff:add": (ADMIN, "get", None),
    "staff:edit": (ADMIN, "get", _staff_member),
    "staff:set_active": (ADMIN, "post", _staff_member),
    "staff:deactivate": (ADMIN, "get", _staff_member),
    "staff:unlock": (ADMIN, "post", _staff_member),
    "staff:password_reset": (ADMIN, "post", _staff_member),
    "login": (PUBLIC, "get", None),
    "logout": (ANY_USER, "post", None),
    "password_change": (ANY_USER, "get", None),
    "password_change_done": (ANY_USER, "get", None),
    "password_reset": (PUBLIC, "get", None),
    "password_reset_done": (PUBLIC, "get", None),
    "password_reset_confirm": (PUBLIC, "get", lambda o: {"uidb64": "MQ", "token": "x-y"}),
    "password_reset_complete": (PUBLIC, "get", None),
    **programme_rules.PAGES,
    **assessment_rules.PAGES,
    **portal_rules.PAGES,
    **district_rules.PAGES,
}

# Pages whose success is to send the user to the login page.
FINISHES_AT_LOGIN = {"logout"}

# The Django admin is for the installation's operator (superusers) and has its own checks.
SKIPPED_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in SKIPPED_NAMESPACES:
                continue
            prefix = f"{namespace}{ns}:" if ns else namespace
            yield from _all_url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"
        elif isinstance(pattern, URLPattern):
            raise AssertionError(f"URL pattern {pattern} has no name: name it and add it here.")


def test_the_matrix_names_every_url_of_the_project():
    names = set(_all_url_names())
    missing = names - set(MATRIX)
    assert not missing, f"Add these URLs to the access matrix: {sorted(missing)}"
    stale = set(MATRIX) - names
    assert not stale, f"These matrix entries name no URL: {sorted(stale)}"


def _expected(audience, role, about_an_object):
    if audience == PUBLIC:
        return "ok"
    if role == "anonymous":
        return "login"
    if audience == ANY_USER:
        return "ok"
    if audience == DISTRICT:
        return "ok" if role == "district_lead" else "forbidden"
    if role == "district_lead":
        return "forbidden"  # no clinic page at all, not even their own district's clinic's
    if audience == PATIENT:
        # Portal URLs carry no object IDs: each reads the logged-in patient's own rows.
        return "ok" if role == "patient" else "forbidden"
    if role == "patient":
        return "forbidden"
    if audience == ADMIN and role in ("clinician", "other_clinician"):
        return "forbidden"
    if role.startswith("other_") and about_an_object:
        return "not found"
    return "ok"


@pytest.fixture
def objects(clinic, other_clinic, clinic_admin, clinician, patient, patient_user):
    made = {
        "patient": patient,
        "clinician": clinician,
        "anonymous": None,
        "patient_user": patient_user,
        "clinic_admin": clinic_admin,
        "other_admin": ClinicAdminFactory(clinic=other_clinic),
        "other_clinician": ClinicianFactory(clinic=other_clinic),
    }
    programme_rules.add_objects(made)
    assessment_rules.add_objects(made)
    portal_rules.add_objects(made)
    district_rules.add_objects(made)
    return made


def _user_for(role, objects):
    return {
        "anonymous": None,
        "patient": objects["patient_user"],
        "clinician": objects["clinician"],
        "admin": objects["clinic_admin"],
        "other_admin": objects["other_admin"],
        "other_clinician": objects["other_clinician"],
        "district_lead": objects["district_lead"],
    }[role]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_what_it_may_and_nothing_else(client, objects, name, role):
    audience, method, kwargs_for = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(objects) if kwargs_for else None)
    user = _user_for(role, objects)
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url)
    expected = _expected(audience, role, about_an_object=kwargs_for is not None)
    if expected == "login":
        assert response.status_code == 302, (name, role, response.status_code)
        assert response["Location"].startswith(reverse("login")), (name, role)
    elif expected == "forbidden":
        assert response.status_code == 403, (name, role, response.status_code)
    elif expected == "not found":
        assert response.status_code == 404, (name, role, response.status_code)
    else:
        assert response.status_code in (200, 302), (name, role, response.status_code)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            # A template comment or tag that leaked into the page (e.g. a multi-line {# #}).
            body = response.content.decode()
            assert "{#" not in body and "{%" not in body, (name, role)
        if response.status_code == 302 and name not in FINISHES_AT_LOGIN:
            assert not response["Location"].startswith(reverse("login")), (name, role)


@pytest.mark.django_db
def test_clinic_staff_cannot_use_the_django_admin(clinician_client):
    response = clinician_client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
