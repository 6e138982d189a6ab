"""Every write of a visit does exactly what the user asked (issue 12): a visit with nothing
measured, a scheduled visit outside its window, a chair-stand count beside "needed the arms" and
an unchanged correction are each refused or left alone, at every door; a late visit is kept only
as a protocol deviation with its reason, and shows as one everywhere."""

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from assessments import exports, services, tinetti
from assessments.models import NOTHING_MEASURED, Visit
from assessments.outcomes import DEVIATIONS_LEFT_OUT, OutcomeFilters, clinic_results
from tests.assessments.factories import lines_totalling, make_visit
from tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def record_url(programme):
    return reverse("assessments:record", kwargs={"public_id": programme.public_id})


def edit_url(visit):
    return reverse("assessments:edit", kwargs={"public_id": visit.public_id})


def field_errors(response, field):
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


@pytest.fixture
def late_programme(patient, today):
    """Started 60 days ago: the week-6 window (days 35-49) has closed."""
    return ProgrammeFactory(patient=patient, start_date=today - timedelta(days=60))


# --- a visit with nothing measured is not a visit ------------------------------------------------


def test_the_form_refuses_a_week_6_visit_with_nothing_measured(
    clinician_client, programme, visit_data, today
):
    data = visit_data(timepoint="week6", tinetti_done="no")
    response = clinician_client.post(record_url(programme), data)
    assert NOTHING_MEASURED in response.context["form"].non_field_errors()
    # Once, in the summary at the top: not again in a second box below it.
    assert response.content.decode().count(NOTHING_MEASURED.split(":")[0]) == 1
    assert not Visit.objects.exists()
    programme.refresh_from_db()
    assert not programme.has_week6_visit  # the real visit still shows as due


def test_the_service_refuses_a_visit_with_nothing_measured(programme, clinician, today):
    with pytest.raises(ValidationError, match="Nothing was measured"):
        make_visit(programme=programme, timepoint="followup", assessed_on=today, balance=None)
    assert not Visit.objects.exists()


def test_the_database_refuses_a_visit_with_nothing_measured(programme, clinician, today):
    with (
        pytest.raises(IntegrityError, match="visit_measures_something|CHECK"),
        transaction.atomic(),
    ):
        Visit.objects.create(  # past every check in Python
            clinic=programme.clinic,
            patient=programme.patient,
            programme=programme,
            timepoint="followup",
            assessed_on=today,
            assessor=clinician,
        )


def test_a_correction_cannot_empty_a_visit(programme, clinician, today):
    visit = make_visit(programme=programme, assessed_on=today, by=clinician)
    with pytest.raises(ValidationError, match="Nothing was measured"):
        services.visit_update(visit=visit, by=clinician, tinetti_lines=None)
    assert Visit.objects.get().tinetti_total == 17


def test_height_and_weight_alone_do_not_make_a_visit(programme, clinician, today):
    with pytest.raises(ValidationError, match="Nothing was measured"):
        make_visit(
            programme=programme, assessed_on=today, balance=None, height_cm=170, weight_kg=70
        )


# --- the window of week 6 and week 12 ----------------------------------------------------------


def test_a_week_12_visit_dated_in_week_3_is_refused_at_the_date_saying_when_the_window_opens(
    clinician_client, programme, visit_data
):
    window_opens = programme.start_date + timedelta(days=77)
    data = visit_data(timepoint="week12", assessed_on=programme.start_date + timedelta(days=15))
    response = clinician_client.post(record_url(programme), data)
    (error,) = field_errors(response, "assessed_on")
    assert error.startswith("Too early for the week 12 visit: its window opens on")
    assert f"{window_opens:%-d %b %Y} (study day 77)" in error
    assert not Visit.objects.exists()


def test_the_window_follows_the_timepoints_module(monkeypatch, programme, clinician, today):
    """Moving week 6's target day moves what is refused (day 40 is on time at target 42)."""
    from assessments import timepoints

    day_40 = programme.start_date + timedelta(days=40)
    monkeypatch.setitem(timepoints.TARGET_DAY, "week6", 49)  # window 42-56: day 40 is early
    with pytest.raises(ValidationError, match="Too early for the week 6 visit"):
        make_visit(programme=programme, timepoint="week6", assessed_on=day_40)


def test_a_late_week_6_visit_without_a_reason_is_refused_and_says_how_to_record_it(
    clinician_client, late_programme, visit_data, today
):
    data = visit_data(timepoint="week6", assessed_on=today - timedelta(days=5))
    response = clinician_client.post(record_url(late_programme), data)
    (error,) = field_errors(response, "assessed_on")
    assert "The week 6 window closed on" in error
    assert "tick “Record as a protocol deviation” and give the reason" in error
    assert not Visit.objects.exists()


def test_a_confirmed_late_visit_needs_its_reason_and_a_reason_needs_the_confirmation(
    clinician_client, late_programme, visit_data, today
):
    late = today - timedelta(days=5)
    confirmed_only = visit_data(timepoint="week6", assessed_on=late, deviation_confirmed="on")
    response = clinician_client.post(record_url(late_programme), confirmed_only)
    assert field_errors(response, "deviation_reason") == ["Give the reason for the deviation."]
    reason_only = visit_data(timepoint="week6", assessed_on=late, deviation_reason="In hospital")
    response = clinician_client.post(record_url(late_programme), reason_only)
    assert "Tick this" in field_errors(response, "deviation_confirmed")[0]
    assert not Visit.objects.exists()


def test_a_confirmed_late_visit_is_kept_as_a_deviation_and_shown_on_both_pages(
    clinician_client, late_programme, visit_data, today
):
    data = visit_data(
        timepoint="week6",
        assessed_on=today - timedelta(days=5),
        deviation_confirmed="on",
        deviation_reason="  In hospital for two weeks  ",
    )
    response = clinician_client.post(record_url(late_programme), data)
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert visit.deviation_reason == "In hospital for two weeks"
    page = clinician_client.get(visit.get_absolute_url()).content.decode()
    assert "Protocol deviation" in page and "In hospital for two weeks" in page
    report_url = reverse("assessments:report", args=[late_programme.patient.public_id])
    report = clinician_client.get(report_url).content.decode()
    assert "Protocol deviation" in report and "In hospital for two weeks" in report
    patient_page = clinician_client.get(late_programme.patient.get_absolute_url())
    assert "Protocol deviation" in patient_page.content.decode()


def test_a_reason_on_a_visit_within_its_window_is_refused(programme, clinician, today):
    with pytest.raises(ValidationError, match="so it is not a deviation"):
        make_visit(
            programme=programme, timepoint="week6", assessed_on=today, deviation_reason="late"
        )
    with pytest.raises(ValidationError, match="has no window to miss"):
        make_visit(programme=programme, assessed_on=today, deviation_reason="late")


def test_the_database_keeps_a_deviation_reason_to_week_6_and_week_12(programme, clinician, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.create(
            clinic=programme.clinic,
            patient=programme.patient,
            programme=programme,
            timepoint="baseline",
            assessed_on=today,
            assessor=clinician,
            pain_nrs=2,
            deviation_reason="late",
        )


def test_a_correction_applies_the_same_window_rules(clinician_client, programme, clinician, today):
    visit = make_visit(programme=programme, timepoint="week6", assessed_on=today, by=clinician)
    form = clinician_client.get(edit_url(visit)).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        timepoint="week12",
        assessor=str(clinician.pk),
        assessed_on=today.isoformat(),
        **{code: str(getattr(visit, code)) for code in tinetti.CODES},
        tinetti_done="yes",
    )
    response = clinician_client.post(edit_url(visit), data)
    assert "Too early for the week 12 visit" in field_errors(response, "assessed_on")[0]
    assert Visit.objects.get().timepoint == "week6"


# --- deviations in the outcomes and the files ----------------------------------------------------


@pytest.fixture
def deviation(late_programme, clinician, today):
    make_visit(programme=late_programme, assessed_on=late_programme.start_date, by=clinician)
    return make_visit(
        programme=late_programme,
        timepoint="week6",
        assessed_on=today - timedelta(days=5),
        balance=14,
        gait=10,
        by=clinician,
        deviation_reason="In hospital",
    )


def _csv(kind, clinic, filters, deidentified=False):
    text = "".join(
        exports.csv_lines(kind, clinic=clinic, filters=filters, deidentified=deidentified)
    )
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_the_files_mark_the_deviation_and_give_its_reason_in_identified_files_only(
    clinic, deviation
):
    long = _csv("long", clinic, OutcomeFilters())
    week6 = next(r for r in long if r["timepoint"] == "week6")
    assert (week6["protocol_deviation"], week6["deviation_reason"]) == ("1", "In hospital")
    assert next(r for r in long if r["timepoint"] == "baseline")["protocol_deviation"] == "0"
    (wide,) = _csv("wide", clinic, OutcomeFilters())
    assert (wide["protocol_deviation_week6"], wide["deviation_reason_week6"]) == (
        "1",
        "In hospital",
    )
    (anonymous,) = _csv("wide", clinic, OutcomeFilters(), deidentified=True)
    assert anonymous["protocol_deviation_week6"] == "1"
    assert "deviation_reason_week6" not in anonymous
    assert "deviation_reason" not in _csv("long", clinic, OutcomeFilters(), deidentified=True)[0]
    names = [r["field"] for r in _csv("dictionary", clinic, OutcomeFilters())]
    assert {"protocol_deviation", "deviation_reason", "protocol_deviation_week6"} <= set(names)


def test_leaving_deviations_out_drops_them_from_the_results_and_every_file(clinic, deviation):
    included, left_out = OutcomeFilters(), OutcomeFilters(deviations=DEVIATIONS_LEFT_OUT)
    assert clinic_results(clinic, included).summary("intervention", "week6", "tinetti_total").n
    assert not clinic_results(clinic, left_out).summary("intervention", "week6", "tinetti_total").n
    assert [r["timepoint"] for r in _csv("long", clinic, left_out)] == ["baseline"]
    (wide,) = _csv("wide", clinic, left_out)
    assert wide["tinetti_total_week6"] == "" and wide["protocol_deviation_week6"] == ""
    assert left_out.as_json()["protocol_deviations"] == "left out"


def test_the_outcomes_page_includes_deviations_by_default_and_can_leave_them_out(
    clinician_client, deviation
):
    url = reverse("assessments:outcomes")
    page = clinician_client.get(url).content.decode()
    assert "1 in these programmes" in page and "<strong>included</strong>" in page
    page = clinician_client.get(url, {"deviations": "exclude"}).content.decode()
    assert "<strong>left out</strong>" in page
    assert "deviations=exclude" in page  # the download links carry the same choice


# --- measures: refused, never rewritten ----------------------------------------------------------


def test_stands_typed_beside_needed_the_arms_are_refused_with_the_protocols_reason(
    clinician_client, programme, visit_data
):
    data = visit_data(chair_stands=8, chair_arms_needed="on")
    response = clinician_client.post(record_url(programme), data)
    (error,) = field_errors(response, "chair_stands")
    assert "the protocol then scores 0: type 0 or leave the stands empty" in error
    assert not Visit.objects.exists()


@pytest.mark.parametrize("stands", ["", "0"])
def test_needed_the_arms_with_0_or_nothing_typed_stores_the_protocols_0(
    clinician_client, programme, visit_data, stands
):
    data = visit_data(chair_stands=stands, chair_arms_needed="on")
    clinician_client.post(record_url(programme), data)
    visit = Visit.objects.get()
    assert (visit.chair_stands, visit.chair_arms_needed, visit.chair_score) == (0, True, 0)


def test_the_database_refuses_a_count_beside_needed_the_arms(programme, clinician, today):
    visit = make_visit(programme=programme, assessed_on=today, chair_stands=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(chair_stands=8, chair_arms_needed=True)


def test_a_sit_to_stand_timing_without_a_time_is_refused_not_dropped(programme, clinician, today):
    with pytest.raises(ValidationError, match="Enter the sit-to-stand time"):
        make_visit(programme=programme, assessed_on=today, sts_convention="fifth_stand")


# --- a correction saved unchanged ------------------------------------------------------------


def test_a_correction_saved_unchanged_stores_nothing_and_says_so(
    clinician_client, programme, clinician, today
):
    visit = make_visit(
        programme=programme,
        timepoint="week6",
        assessed_on=today,
        by=clinician,
        sts_seconds="12.0",
        sts_convention="fifth_stand",
        height_cm="170.0",
        notes="steady",
    )
    visit.refresh_from_db()
    history, updated = visit.history.count(), visit.updated_at
    page = clinician_client.get(edit_url(visit))
    form = page.context["form"]
    # What the browser sends back: the form's own fields as rendered.
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue  # an empty box or an unticked box is not sent
        data[name] = "on" if value is True else str(value)
    response = clinician_client.post(edit_url(visit), data, follow=True)
    assert response.redirect_chain, response.context["form"].errors
    assert "Nothing was changed." in response.content.decode()
    visit.refresh_from_db()
    assert visit.history.count() == history
    assert visit.updated_at == updated


def test_a_correction_of_one_measure_through_the_edit_page_is_saved_with_its_history(
    clinician_client, programme, clinician, today
):
    """The bound form sets its values on the visit it edits: the service must compare with the
    stored row, or a real correction reads as 'Nothing was changed' and is lost."""
    visit = make_visit(programme=programme, assessed_on=today, by=clinician, pain_nrs=2)
    history = visit.history.count()
    form = clinician_client.get(edit_url(visit)).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False or value == "":
            continue
        data[name] = "on" if value is True else str(value)
    data["pain_nrs"] = "5"
    response = clinician_client.post(edit_url(visit), data, follow=True)
    assert "Corrections saved" in response.content.decode()
    visit.refresh_from_db()
    assert visit.pain_nrs == 5
    assert visit.history.count() == history + 1


def test_the_service_writes_no_history_for_values_equal_to_the_stored_ones(
    programme, clinician, today
):
    visit = make_visit(programme=programme, assessed_on=today, by=clinician, sts_seconds="9.5",
                       sts_convention="fifth_stand")  # fmt: skip
    before = visit.history.count()
    services.visit_update(visit=visit, by=clinician, sts_seconds=9.5, notes="  ")
    assert visit.changed_fields == []
    assert visit.history.count() == before


# --- counting days ------------------------------------------------------------------------------


def test_the_visit_page_counts_the_start_as_study_day_0(clinician_client, programme, clinician):
    visit = make_visit(
        programme=programme, assessed_on=programme.start_date + timedelta(days=1), by=clinician
    )
    page = clinician_client.get(visit.get_absolute_url()).content.decode()
    start = f"{programme.start_date:%-d %b %Y}"
    assert f"Study day 1 (the programme started on day 0, {start})" in page
    patient_page = clinician_client.get(programme.patient.get_absolute_url()).content.decode()
    assert "study day 1" in patient_page


# --- hostile input at the visit form -----------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("assessed_on", "0001-01-01"),
        ("assessed_on", "9999-12-31"),
        ("walk_distance_m", "nan"),
        ("walk_distance_m", "inf"),
        ("walk_distance_m", "1e30"),
        ("walk_distance_m", "-5"),
        ("pain_nrs", "99999999999999999999999"),
        ("sts_seconds", "nan"),
        ("sts_seconds", "-inf"),
        ("height_cm", "1e30"),
        ("weight_kg", "Infinity"),
        ("notes", "x" * 10_000),
        ("notes", "a\x00b"),
    ],
)
def test_absurd_input_is_refused_at_its_field_never_a_server_error(
    clinician_client, programme, visit_data, field, value
):
    data = visit_data(**{field: value})
    if field == "sts_seconds":
        data["sts_convention"] = "fifth_stand"
    response = clinician_client.post(record_url(programme), data)
    assert field_errors(response, field)
    assert not Visit.objects.exists()


# --- the error summary links to fields on the page ---------------------------------------------


def test_every_error_in_the_summary_links_to_an_element_on_the_page(
    clinician_client, programme, visit_data
):
    lines = lines_totalling(10, 7)
    del lines["nudged"], lines["trunk"]
    data = visit_data(lines, chair_stands=8, chair_arms_needed="on", pain_nrs="11")
    html = clinician_client.post(record_url(programme), data).content.decode()
    summary = html[html.index("error-summary") : html.index("</ul>", html.index("error-summary"))]
    targets = re.findall(r'href="#([^"]*)"', summary)
    assert {"id_nudged_0", "id_trunk_0", "id_chair_stands", "id_pain_nrs"} <= set(targets)
    for target in targets:
        assert f'id="{target}"' in html, target


def test_the_export_command_can_leave_deviations_out_too(clinic, deviation, capsys):
    call_command("export_outcomes", "--clinic", clinic.slug, "--format", "long")
    assert "In hospital" in capsys.readouterr().out
    call_command(
        "export_outcomes", "--clinic", clinic.slug, "--format", "long", "--deviations", "exclude"
    )
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(row["protocol_deviation"] == "0" for row in rows)
