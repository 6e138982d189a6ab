"""Paper for patients without a phone: the weekly sheet and the whole-programme handout, printed
by the clinician from the programme page (the patient prints the same sheets from the portal)."""

import pytest
from django.urls import reverse

from programmes.models import Arm
from tests.factories import PatientFactory
from tests.programmes.helpers import assign

pytestmark = pytest.mark.django_db


def _get(client, name, programme, **kwargs):
    return client.get(reverse(name, kwargs={"public_id": programme.public_id, **kwargs}))


def test_the_programme_page_links_to_the_printouts_and_the_portal_access(
    clinician_client, programme
):
    page = clinician_client.get(programme.get_absolute_url()).content.decode()
    assert reverse("programmes:print_week", args=[programme.public_id, 5]) in page
    assert reverse("programmes:print_handout", args=[programme.public_id]) in page
    assert reverse("patients:portal_access", args=[programme.patient.public_id]) in page


def test_the_weekly_sheet_has_the_weeks_loads_instructions_tick_boxes_and_pain_boxes(
    clinician_client, programme, clinic
):
    clinic.phone = "0803 555 0101"
    clinic.save()
    page = _get(clinician_client, "programmes:print_week", programme, week=7).content.decode()
    assert "Your exercises: week 7 of 12" in page
    for pe in programme.exercises.select_related("exercise"):
        load = pe.planned_loads.get(week=7)
        assert f"{load.sets} sets × {load.reps} times @ {load.load_kg.normalize():f} kg" in page
        assert pe.exercise.instructions in page
    log = page.split('class="sheet-log"')[1]
    assert log.count('<th scope="row">') == programme.sessions_per_week
    assert log.count('class="box"') == programme.sessions_per_week * programme.exercises.count()
    assert log.count('class="pain-box"') == programme.sessions_per_week * 11
    assert "call the clinic: 0803 555 0101" in page


def test_the_handout_has_every_weeks_load(clinician_client, programme):
    page = _get(clinician_client, "programmes:print_handout", programme).content.decode()
    table = page.split('class="sheet-plan"')[1].split("</table>")[0]
    assert table.count('<th scope="row">') == 12
    hamstring = programme.exercises.get(exercise__name="Hamstring curl")
    for load in hamstring.planned_loads.all():
        assert f"{load.sets} × {load.reps} @ {load.load_kg.normalize():f} kg" in table


def test_a_week_outside_the_programme_sends_the_clinician_to_the_nearest_one(
    clinician_client, programme
):
    response = _get(clinician_client, "programmes:print_week", programme, week=13)
    assert response["Location"] == reverse("programmes:print_week", args=[programme.public_id, 12])


def test_a_control_arm_programme_has_nothing_to_print(clinician_client, clinician, clinic):
    control = assign(PatientFactory(clinic=clinic), clinician, arm=Arm.CONTROL)
    response = _get(clinician_client, "programmes:print_handout", control)
    assert response["Location"] == control.get_absolute_url()


def test_the_patient_prints_the_same_sheet_from_the_portal(
    clinician_client, patient_client, programme
):
    staff = _get(clinician_client, "programmes:print_week", programme, week=5).content.decode()
    own = patient_client.get(reverse("portal:print_week", args=[5])).content.decode()
    sheet = staff.split('<div class="sheet">')[1].split('class="sheet-note"')[0]
    assert sheet in own
