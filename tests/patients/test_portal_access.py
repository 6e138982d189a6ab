"""A clinician creates a patient's portal access; the patient sets their own password with it."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from patients import services
from patients.models import PatientStatus, PortalAccessCode, Role, User
from tests.factories import PatientFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "calf-raises-daily"


@pytest.fixture(autouse=True)
def _no_wrong_codes_counted_yet():
    """The per-address count of wrong codes lives in a cache, which outlives a test."""
    caches["throttles"].clear()
    yield
    caches["throttles"].clear()


@pytest.fixture
def patient_browser():
    """The patient's own browser, apart from the clinician's."""
    return Client()


def issue(client, patient):
    posted = client.post(reverse("patients:portal_access_issue", args=[patient.public_id]))
    assert posted["Location"] == reverse("patients:portal_access_code", args=[patient.public_id])
    response = client.get(posted["Location"])
    return response, response.context["code"], response.context["link"]


def test_the_code_is_shown_to_its_issuer_and_only_its_hash_is_stored(clinician_client, patient):
    response, code, link = issue(clinician_client, patient)
    page = response.content.decode()
    assert code in page and link in page
    access = PortalAccessCode.objects.get()
    assert code not in access.code_hash and link.rsplit("/", 2)[-2] not in access.token_hash
    assert access.expires_at - timezone.now() > timedelta(days=6, hours=23)
    status = clinician_client.get(reverse("patients:portal_access", args=[patient.public_id]))
    assert code not in status.content.decode()


def test_a_patient_activates_with_study_id_and_code_and_is_logged_in(
    clinician_client, patient_browser, patient
):
    _, code, _ = issue(clinician_client, patient)
    clinician_client.logout()
    response = patient_browser.post(
        reverse("activate"),
        {
            "study_id": patient.study_id.lower(),
            "code": code.lower().replace("-", " "),
            "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD,
        },
    )
    assert response.status_code == 302
    login = User.objects.get(patient=patient)
    assert (login.username, login.role, login.clinic) == (
        f"{patient.study_id}@kano",
        Role.PATIENT,
        patient.clinic,
    )
    assert login.check_password(GOOD_PASSWORD)
    assert int(patient_browser.session["_auth_user_id"]) == login.pk
    assert PortalAccessCode.objects.get().used_at is not None


def test_a_patient_activates_with_the_link(clinician_client, patient_browser, patient):
    _, _, link = issue(clinician_client, patient)
    path = link.split("testserver", 1)[1]
    assert patient_browser.get(path).status_code == 200
    response = patient_browser.post(path, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(patient=patient).check_password(GOOD_PASSWORD)


def activate(client, patient, code, password=GOOD_PASSWORD):
    return client.post(
        reverse("activate"),
        {"study_id": patient.study_id, "code": code, "password1": password, "password2": password},
    )


def refusal_of(response):
    assert response.status_code == 200
    return " ".join(response.context["form"].errors.get("code", []))


def test_a_used_code_is_refused(clinician_client, patient_browser, patient):
    _, code, _ = issue(clinician_client, patient)
    activate(patient_browser, patient, code)
    patient_browser.logout()
    assert "already been used" in refusal_of(
        activate(patient_browser, patient, code, "another-pass-42")
    )
    assert User.objects.get(patient=patient).check_password(GOOD_PASSWORD)


def test_an_expired_code_is_refused(clinician_client, patient_browser, patient):
    _, code, _ = issue(clinician_client, patient)
    PortalAccessCode.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "expired" in refusal_of(activate(patient_browser, patient, code))
    assert not User.objects.filter(patient=patient).exists()


def test_a_new_code_makes_the_old_one_stop_working(clinician_client, patient_browser, patient):
    _, old_code, _ = issue(clinician_client, patient)
    _, new_code, _ = issue(clinician_client, patient)
    assert "cancelled" in refusal_of(activate(patient_browser, patient, old_code))
    assert activate(patient_browser, patient, new_code).status_code == 302


def test_a_revoked_code_is_refused_and_the_login_closed(clinician_client, patient_browser, patient):
    _, code, _ = issue(clinician_client, patient)
    clinician_client.post(reverse("patients:portal_access_revoke", args=[patient.public_id]))
    assert "cancelled" in refusal_of(activate(patient_browser, patient, code))

    _, code, _ = issue(clinician_client, patient)
    activate(patient_browser, patient, code)
    clinician_client.post(reverse("patients:portal_access_revoke", args=[patient.public_id]))
    assert User.objects.get(patient=patient).is_active is False


def test_a_wrong_code_or_another_patients_study_id_is_refused(
    clinician_client, patient_browser, patient
):
    _, code, _ = issue(clinician_client, patient)
    other = PatientFactory(clinic=patient.clinic)
    assert "not right" in refusal_of(activate(patient_browser, patient, "ABCD-EFGH"))
    assert "not right" in refusal_of(activate(patient_browser, other, code))


def test_a_weak_password_is_refused_and_the_code_stays_usable(
    clinician_client, patient_browser, patient
):
    _, code, _ = issue(clinician_client, patient)
    response = activate(patient_browser, patient, code, password="12345678")
    assert "password1" in response.context["form"].errors
    assert PortalAccessCode.objects.get().used_at is None
    assert not User.objects.filter(patient=patient).exists()


def test_a_used_link_shows_why_it_cannot_be_used(clinician_client, patient_browser, patient):
    _, _, link = issue(clinician_client, patient)
    path = link.split("testserver", 1)[1]
    patient_browser.post(path, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    patient_browser.logout()
    assert "already been used" in patient_browser.get(path).content.decode()


def test_activating_twice_at_once_activates_once(clinician_client, patient):
    _, code, _ = issue(clinician_client, patient)
    access = services.portal_access_find(study_id=patient.study_id, code=code)
    services.portal_activate(access=access, password=GOOD_PASSWORD)
    with pytest.raises(services.AccessRefused):
        services.portal_activate(access=access, password="second-try-pass")


def test_a_bare_study_id_taken_as_a_username_elsewhere_blocks_nothing(
    clinician_client, patient_browser, patient, other_clinic
):
    UserFactory(clinic=other_clinic, username=patient.study_id)
    _, code, _ = issue(clinician_client, patient)
    assert activate(patient_browser, patient, code).status_code == 302
    assert User.objects.get(patient=patient).username == f"{patient.study_id}@kano"


def test_a_withdrawn_patient_gets_no_access(clinician_client, clinic):
    patient = PatientFactory(
        clinic=clinic,
        status=PatientStatus.WITHDRAWN,
        withdrawal_reason="Moved",
        withdrawn_on=timezone.localdate(),
    )
    clinician_client.post(reverse("patients:portal_access_issue", args=[patient.public_id]))
    assert not PortalAccessCode.objects.exists()


def test_reloading_the_code_page_shows_the_same_code_and_issues_no_other(clinician_client, patient):
    _, code, link = issue(clinician_client, patient)
    again = clinician_client.get(reverse("patients:portal_access_code", args=[patient.public_id]))
    assert (again.context["code"], again.context["link"]) == (code, link)
    assert PortalAccessCode.objects.count() == 1
    assert PortalAccessCode.objects.get().state == "valid"


def test_the_code_is_never_shown_to_another_clinician(clinician_client, patient, clinic):
    _, code, _ = issue(clinician_client, patient)
    colleague = Client()
    colleague.force_login(UserFactory(clinic=clinic, role=Role.CLINICIAN))
    response = colleague.get(
        reverse("patients:portal_access_code", args=[patient.public_id]), follow=True
    )
    assert code not in response.content.decode()
    assert "already shown" in response.content.decode()


def test_after_a_few_minutes_the_code_is_no_longer_shown(clinician_client, patient, monkeypatch):
    from patients import views

    _, code, _ = issue(clinician_client, patient)
    later = views.time.time() + views.SHOWN_CODE_SECONDS + 1
    monkeypatch.setattr(views.time, "time", lambda: later)
    response = clinician_client.get(
        reverse("patients:portal_access_code", args=[patient.public_id]), follow=True
    )
    assert code not in response.content.decode()
    assert "already shown" in response.content.decode()
    assert PortalAccessCode.objects.get().state == "valid"  # still usable by the patient


def test_a_patient_logs_in_with_their_login_name_in_any_case_and_with_stray_spaces(
    clinician_client, patient_browser, patient
):
    _, code, _ = issue(clinician_client, patient)
    activate(patient_browser, patient, code)
    patient_browser.logout()
    typed = f"  {patient.study_id.lower()} @ KANO "
    response = patient_browser.post(
        reverse("login"), {"username": typed, "password": GOOD_PASSWORD}
    )
    assert response.status_code == 302
    assert int(patient_browser.session["_auth_user_id"]) == User.objects.get(patient=patient).pk


def test_wrong_passwords_in_any_case_count_towards_one_lock(
    clinician_client, patient_browser, patient, settings
):
    _, code, _ = issue(clinician_client, patient)
    activate(patient_browser, patient, code)
    patient_browser.logout()
    name = f"{patient.study_id}@kano"
    names = [name.lower(), name, name.upper()]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        username = names[attempt % len(names)]
        patient_browser.post(reverse("login"), {"username": username, "password": "wrong"})
    response = patient_browser.post(reverse("login"), {"username": name, "password": GOOD_PASSWORD})
    assert response.status_code == 429


def test_staff_usernames_stay_exact(client, clinician):
    response = client.post(reverse("login"), {"username": "PHYSIO", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_revoking_access_ends_the_patients_open_session(clinician_client, patient_user):
    browser = Client()
    browser.force_login(patient_user)
    assert browser.get(reverse("portal:this_week")).status_code == 200
    patient = patient_user.patient
    clinician_client.post(reverse("patients:portal_access_revoke", args=[patient.public_id]))
    _, code, _ = issue(clinician_client, patient)
    activate(Client(), patient, code)  # the login is opened again, with a new password
    assert browser.get(reverse("portal:this_week"))["Location"].startswith(reverse("login"))


def test_a_study_id_that_cannot_be_a_login_name_is_refused_when_the_code_is_issued(
    clinician_client, clinic
):
    patient = PatientFactory(clinic=clinic)
    # Registered before study IDs were checked (as a legacy row may be).
    type(patient).objects.filter(pk=patient.pk).update(study_id="KAN 0042")
    response = clinician_client.post(
        reverse("patients:portal_access_issue", args=[patient.public_id]), follow=True
    )
    assert "cannot be part of a login name" in response.content.decode()
    assert not PortalAccessCode.objects.exists()


def test_a_login_name_held_by_an_account_from_before_the_rule_is_refused_clearly(
    clinician_client, patient_browser, patient, other_clinic
):
    _, code, link = issue(clinician_client, patient)
    # A staff account named so before User.clean refused the shape (the factory skips clean).
    UserFactory(clinic=other_clinic, username=f"{patient.study_id.lower()}@kano")
    response = activate(patient_browser, patient, code)
    assert "contact the clinic" in refusal_of(response)
    assert not User.objects.filter(patient=patient).exists()
    path = link.split("testserver", 1)[1]
    assert "contact the clinic" in patient_browser.get(path).content.decode()
    answer = patient_browser.post(path, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert answer.status_code == 200
    assert PortalAccessCode.objects.get().used_at is None


def test_a_login_name_taken_at_the_last_instant_is_refused_not_a_server_error(
    clinician_client, patient, other_clinic, monkeypatch
):
    _, code, _ = issue(clinician_client, patient)
    access = services.portal_access_find(study_id=patient.study_id, code=code)
    UserFactory(clinic=other_clinic, username=f"{patient.study_id}@kano")
    # As if the name were taken between the check and the save.
    monkeypatch.setattr(services, "_login_name_problem", lambda patient: None)
    with pytest.raises(services.AccessRefused, match="could not be set up"):
        services.portal_activate(access=access, password=GOOD_PASSWORD)
    assert PortalAccessCode.objects.get().used_at is None


# Guessing codes (issue 14, item 2).


def wrong_code(number: int) -> str:
    return f"WXYZ-{number:04d}".replace("0", "A").replace("1", "B")


def test_after_ten_wrong_codes_the_right_one_is_refused_and_the_code_is_retired(
    clinician_client, patient_browser, patient
):
    _, code, link = issue(clinician_client, patient)
    for attempt in range(11):
        assert "not right" in refusal_of(activate(patient_browser, patient, wrong_code(attempt)))
    refusal = refusal_of(activate(patient_browser, patient, code))
    assert "Ask the clinic for a new code" in refusal and "too many wrong codes" in refusal
    access = PortalAccessCode.objects.get()
    assert access.state == "retired" and access.retired_at is not None
    assert access.wrong_tries == 10  # counted while outstanding, not after
    assert not User.objects.filter(patient=patient).exists()
    # The link is the same code: it stops working too.
    assert (
        "too many wrong codes"
        in patient_browser.get(link.split("testserver", 1)[1]).content.decode()
    )

    page = clinician_client.get(reverse("patients:portal_access", args=[patient.public_id]))
    assert "retired after 10 wrong codes" in page.content.decode()
    _, new_code, _ = issue(clinician_client, patient)
    assert activate(patient_browser, patient, new_code).status_code == 302


def test_nine_wrong_codes_leave_the_code_usable(clinician_client, patient_browser, patient):
    _, code, _ = issue(clinician_client, patient)
    for attempt in range(9):
        activate(patient_browser, patient, wrong_code(attempt))
    assert activate(patient_browser, patient, code).status_code == 302


def test_wrong_codes_get_the_same_answer_whether_or_not_the_study_id_exists(
    clinician_client, patient, clinic
):
    issue(clinician_client, patient)
    unknown = PatientFactory.build(clinic=clinic, study_id="KAN-9999")  # never saved
    answers = {"known": [], "unknown": []}
    for attempt in range(12):
        for kind, someone in (("known", patient), ("unknown", unknown)):
            # A new address each time: this is about the answer, not the address's limit.
            response = activate(
                Client(REMOTE_ADDR=f"192.0.2.{attempt}"), someone, wrong_code(attempt)
            )
            answers[kind].append((response.status_code, refusal_of(response)))
    assert answers["known"] == answers["unknown"]
    assert {answer for answer in answers["known"]} == {
        (200, "This code is not right. Check it, or ask the clinic for a new one.")
    }


def test_one_address_typing_many_wrong_codes_is_refused_before_the_code_is_checked(
    clinician_client, patient
):
    from patients.portal_access import WRONG_CODES_PER_ADDRESS

    limit = int(WRONG_CODES_PER_ADDRESS.split("/")[0])
    _, code, _ = issue(clinician_client, patient)
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(limit):  # a few codes on each of many study IDs
        someone = PatientFactory.build(study_id=f"KAN-{9000 + attempt}")
        assert activate(guesser, someone, wrong_code(attempt)).status_code == 200
    refused = activate(guesser, patient, code)
    assert refused.status_code == 429
    assert "Too many wrong codes were typed from this connection" in " ".join(
        refused.context["form"].non_field_errors() + refused.context["form"].errors.get("code", [])
    )
    assert not User.objects.filter(patient=patient).exists()
    assert PortalAccessCode.objects.get().state == "valid"  # the patient's code is untouched
    # Another address is not held back.
    assert activate(Client(REMOTE_ADDR="198.51.100.2"), patient, code).status_code == 302
