"""The patient's "your next check" on the week page follows the visit schedule
(assessments.timepoints: week 6 targets day 42, the end of week 6)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.assessments.factories import make_visit

pytestmark = pytest.mark.django_db


def test_the_week_6_check_up_is_around_day_42_the_end_of_week_6(
    patient_client, programme, clinician
):
    make_visit(programme=programme, assessed_on=programme.start_date, by=clinician)
    page = patient_client.get(reverse("portal:this_week")).content.decode()
    target = programme.start_date + timedelta(days=42)
    assert f"Your week 6 check-up at the clinic: around {target:%-d %B %Y}" in page
    opens = programme.start_date + timedelta(days=35)
    assert f"between {opens:%-d %B}" in page
