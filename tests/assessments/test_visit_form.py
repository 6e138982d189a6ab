"""Recording a visit through the browser: the Tinetti form, its scores and every refusal."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse

from assessments import tinetti
from assessments.forms import LINE_REQUIRED
from assessments.models import Visit
from tests.assessments.factories import lines_totalling, make_visit

pytestmark = pytest.mark.django_db


def record_url(programme, **query):
    url = reverse("assessments:record", kwargs={"public_id": programme.public_id})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_form_shows_the_20_lines_in_the_paper_forms_order_with_descriptor_labels(
    clinician_client, programme
):
    html = clinician_client.get(record_url(programme)).content.decode()
    positions = [html.index(f'name="{code}"') for code in tinetti.CODES]
    assert positions == sorted(positions)
    assert "1 = steady, safe" in html
    assert "2 = able in one attempt" in html
    assert "Balance 1 of 10 · Sitting balance" in html
    assert "Gait 10 of 10 · Stance while walking" in html
    assert tinetti.BANDING_NAME in html


def test_the_page_loads_its_script_from_a_static_file_and_has_no_inline_script(
    clinician_client, programme
):
    html = clinician_client.get(record_url(programme)).content.decode()
    assert 'src="/static/js/tinetti.js"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_form_suggests_the_visit_that_is_due(clinician_client, programme):
    make_visit(programme=programme, assessed_on=programme.start_date)
    form = clinician_client.get(record_url(programme)).context["form"]
    assert form.initial["timepoint"] == "week6"


def test_a_full_tinetti_test_is_saved_with_its_computed_subtotals(
    clinician_client, programme, visit_data
):
    response = clinician_client.post(record_url(programme), visit_data(lines_totalling(10, 7)))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert (visit.tinetti_balance, visit.tinetti_gait, visit.tinetti_total) == (10, 7, 17)
    page = clinician_client.get(visit.get_absolute_url()).content.decode()
    assert "High fall risk" in page
    assert tinetti.BANDING_NAME in page
    assert "Balance 10/16: may need a walking aid" in page
    assert "Gait 7/12: usually associated with limited mobility" in page


def test_typed_subtotals_are_ignored(clinician_client, programme, visit_data):
    data = visit_data(lines_totalling(10, 7), tinetti_total=28, tinetti_balance=16)
    clinician_client.post(record_url(programme), data)
    assert Visit.objects.get().tinetti_total == 17


@pytest.mark.parametrize(
    ("balance", "gait", "band"),
    [
        (12, 6, "High fall risk"),  # 18
        (12, 7, "Moderate fall risk"),  # 19
        (13, 10, "Moderate fall risk"),  # 23
        (14, 10, "Low fall risk"),  # 24
    ],
)
def test_the_band_boundaries_through_the_pages(
    clinician_client, programme, visit_data, balance, gait, band
):
    clinician_client.post(record_url(programme), visit_data(lines_totalling(balance, gait)))
    visit = Visit.objects.get()
    page = clinician_client.get(visit.get_absolute_url()).content.decode()
    assert f"Total <strong>{balance + gait}</strong>/28" in page
    assert band in page
    others = {"High fall risk", "Moderate fall risk", "Low fall risk"} - {band}
    assert not any(other in page for other in others)


def test_a_visit_without_the_tinetti_test_keeps_no_lines(clinician_client, programme, visit_data):
    data = visit_data(tinetti_done="no", walk_distance_m=420)
    data.pop("sitting_balance")  # partly filled, then marked not done
    clinician_client.post(record_url(programme), data)
    visit = Visit.objects.get()
    assert visit.tinetti_total is None and visit.sitting_balance is None
    assert visit.walk_distance_m == 420


def test_the_other_measures_are_saved(clinician_client, programme, visit_data):
    data = visit_data(
        walk_distance_m=455,
        walk_aid="stick",
        walk_stops=1,
        walk_hr_before=72,
        walk_hr_after=104,
        walk_dyspnoea_before=0,
        walk_dyspnoea_after=3,
        walk_fatigue_before=1,
        walk_fatigue_after=4,
        chair_stands=9,
        sts_seconds="16.4",
        sts_convention="fifth_stand",
        pain_nrs=5,
        height_cm="168.5",
        weight_kg="71.0",
    )
    clinician_client.post(record_url(programme), data)
    visit = Visit.objects.get()
    assert visit.walk_distance_m == 455 and visit.walk_aid == "stick"
    assert str(visit.sts_seconds) == "16.4" and visit.chair_score == 9
    page = clinician_client.get(visit.get_absolute_url()).content.decode()
    assert "% of predicted" in page
    assert "lower limit of normal" in page
    assert "linked with recurrent falls" in page


def test_needing_the_arms_scores_the_chair_stand_0(clinician_client, programme, visit_data):
    clinician_client.post(record_url(programme), visit_data(chair_arms_needed="on"))
    visit = Visit.objects.get()
    assert visit.chair_stands == 0 and visit.chair_score == 0


def assert_refused(response, field, message, saved=0):
    """Refused with `message` at `field`, on the page as well as in the form, nothing saved."""
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    html = response.content.decode().replace("&#x27;", "'")
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert Visit.objects.count() == saved


def test_a_missing_line_is_refused_at_that_line(clinician_client, programme, visit_data):
    data = visit_data()
    data.pop("trunk")
    response = clinician_client.post(record_url(programme), data)
    assert_refused(response, "trunk", LINE_REQUIRED)
    assert list(response.context["form"].errors) == ["trunk"]


@pytest.mark.parametrize(
    ("code", "value"), [("sitting_balance", "2"), ("arises", "3"), ("path", "-1")]
)
def test_a_line_out_of_range_is_refused_at_that_line(
    clinician_client, programme, visit_data, code, value
):
    response = clinician_client.post(record_url(programme), visit_data(**{code: value}))
    assert_refused(response, code, "Select a valid choice")


def test_a_second_baseline_visit_is_refused(clinician_client, programme, visit_data, today):
    make_visit(programme=programme, assessed_on=today - timedelta(days=30))
    response = clinician_client.post(record_url(programme), visit_data(timepoint="baseline"))
    assert_refused(response, "timepoint", "already has a baseline visit", saved=1)


def test_a_second_week_6_visit_for_the_programme_is_refused_at_the_timepoint(
    clinician_client, programme, visit_data, today
):
    make_visit(programme=programme, timepoint="week6", assessed_on=today - timedelta(days=2))
    response = clinician_client.post(record_url(programme), visit_data(timepoint="week6"))
    assert_refused(response, "timepoint", "already has a week 6 visit", saved=1)


def test_a_double_submitted_follow_up_visit_is_saved_once(clinician_client, programme, visit_data):
    data = visit_data(timepoint="followup")
    first = clinician_client.post(record_url(programme), data)
    second = clinician_client.post(record_url(programme), data)
    assert first.status_code == 302
    assert "already has a follow-up visit" in second.context["form"].errors["timepoint"][0]
    assert Visit.objects.count() == 1


def test_a_visit_dated_before_the_patients_birth_is_refused(
    clinician_client, programme, visit_data, patient
):
    before = patient.date_of_birth - timedelta(days=1)
    response = clinician_client.post(record_url(programme), visit_data(assessed_on=before))
    assert_refused(response, "assessed_on", "before the patient's date of birth")


def test_a_visit_dated_in_the_future_is_refused(clinician_client, programme, visit_data, today):
    tomorrow = today + timedelta(days=1)
    response = clinician_client.post(record_url(programme), visit_data(assessed_on=tomorrow))
    assert_refused(response, "assessed_on", "cannot be in the future")


def test_a_week_6_visit_before_the_programme_started_is_refused(
    clinician_client, programme, visit_data
):
    early = programme.start_date - timedelta(days=1)
    data = visit_data(timepoint="week6", assessed_on=early)
    response = clinician_client.post(record_url(programme), data)
    assert_refused(response, "assessed_on", "Too early for the week 6 visit: its window opens on")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("walk_distance_m", 1001, "Enter a value from 0 to 1,000 m."),
        ("walk_distance_m", -1, "Enter a value from 0 to 1,000 m."),
        ("chair_stands", 41, "Enter a value from 0 to 40 stands."),
        ("sts_seconds", "1.9", "Enter a value from 2 to 120 s."),
        ("sts_seconds", "120.1", "Enter a value from 2 to 120 s."),
        ("pain_nrs", 11, "Enter a value from 0 to 10."),
        ("pain_nrs", -1, "Enter a value from 0 to 10."),
        ("walk_dyspnoea_after", 11, "Enter a value from 0 to 10."),
    ],
)
def test_a_measure_out_of_range_is_refused_at_its_field(
    clinician_client, programme, visit_data, field, value, message
):
    extra = {"sts_convention": "fifth_sit"} if field == "sts_seconds" else {}
    response = clinician_client.post(record_url(programme), visit_data(**{field: value}, **extra))
    assert_refused(response, field, message)


def test_a_sit_to_stand_time_needs_its_timing_convention(clinician_client, programme, visit_data):
    response = clinician_client.post(record_url(programme), visit_data(sts_seconds="12.0"))
    assert_refused(response, "sts_convention", "Say when the timer was stopped")


def test_walk_details_without_a_distance_are_refused(clinician_client, programme, visit_data):
    response = clinician_client.post(record_url(programme), visit_data(walk_hr_before=70))
    assert_refused(response, "walk_distance_m", "Enter the distance walked")


def test_an_assessor_from_another_clinic_cannot_be_chosen(
    clinician_client, programme, visit_data, other_clinician
):
    response = clinician_client.post(record_url(programme), visit_data(assessor=other_clinician.pk))
    assert_refused(response, "assessor", "Select a valid choice")
