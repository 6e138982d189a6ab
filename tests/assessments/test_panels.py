"""The patient page's assessment panel (next visit, every visit, change from baseline, charts)
and the clinician's home panel (visits due this week and overdue)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessments import charts, timepoints
from assessments.selectors import programme_windows
from tests.assessments.factories import make_visit
from tests.factories import PatientFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def patient_page(client, patient):
    return client.get(reverse("patients:detail", kwargs={"public_id": patient.public_id}))


def test_without_a_programme_the_panel_says_to_assign_one_first(clinician_client, patient):
    html = patient_page(clinician_client, patient).content.decode()
    assert "assign one first" in html
    assert "Record a visit" not in html


def test_the_panel_shows_the_next_visit_due_and_links_to_record_it(
    clinician_client, patient, programme
):
    make_visit(programme=programme, assessed_on=programme.start_date)
    response = patient_page(clinician_client, patient)
    panel = response.context["assessment"]
    assert panel["next_due"].timepoint == "week6"
    html = response.content.decode()
    record = reverse("assessments:record", kwargs={"public_id": programme.public_id})
    assert f'href="{record}?timepoint=week6"' in html
    assert "Next visit: <strong>Week 6</strong>" in html


def test_the_table_shows_each_change_as_a_signed_number_and_judges_none_without_a_threshold(
    clinician_client, patient, programme, today
):
    make_visit(programme=programme, assessed_on=programme.start_date, balance=10, gait=7)
    make_visit(programme=programme, timepoint="week6", assessed_on=today, balance=11, gait=7)
    make_visit(programme=programme, timepoint="followup", assessed_on=today, balance=14, gait=10)
    html = patient_page(clinician_client, patient).content.decode()
    assert "+1: within measurement error" in html
    assert "<td>+7</td>" in html
    assert "improved" not in html and "worse" not in html
    assert "no clinically important difference is established for neuropathy" in html
    assert "(+4)" in html  # balance change at the follow-up


def test_the_chart_draws_a_point_for_each_visit_and_a_legend(
    clinician_client, patient, programme, today
):
    make_visit(programme=programme, assessed_on=programme.start_date, balance=10, gait=7)
    make_visit(
        programme=programme,
        timepoint="week6",
        assessed_on=programme.start_date + timedelta(days=35),
        balance=12,
        gait=8,
        walk_distance_m=410,
    )
    html = patient_page(clinician_client, patient).content.decode()
    assert html.count("<svg") == 2  # Tinetti, and the walk on its own axis
    assert 'role="img"' in html and '<title id="chart-tinetti-title">' in html
    assert "Total /28 17 at week 0.0 (day 0)" in html
    assert "Total /28 20 at week 5.0 (day 35)" in html
    assert "Balance /16 12 at week 5.0 (day 35)" in html
    assert "Gait /12 8 at week 5.0 (day 35)" in html
    assert "6-minute walk 410 m at week 5.0 (day 35)" in html
    assert "<script" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_chart_points_sit_where_their_values_are():
    chart = charts.tinetti_chart([(0, 10, 7, 17), (84, 16, 12, 28)])
    total = next(s for s in chart.series if s.key == "total")
    first, last = total.points
    assert (first.x, last.x) == (chart.plot_left, chart.plot_right)  # week 0 .. week 12
    assert last.y == chart.plot_top  # 28 of 28 at the top
    assert first.y == pytest.approx(
        chart.plot_bottom - 17 / 28 * (chart.plot_bottom - chart.plot_top), abs=0.1
    )
    assert total.polyline.startswith(f"{first.x:.1f},{first.y:.1f}")
    assert "Total /28: 17 on day 0, 28 on day 84" in chart.desc


def test_a_chart_without_any_value_is_not_drawn():
    assert charts.tinetti_chart([(0, None, None, None)]) is None
    assert charts.walk_chart([(0, None)]) is None


def test_a_visit_after_week_12_widens_the_axis():
    chart = charts.walk_chart([(0, 300), (120, 350)])  # day 120 is week 17.1
    last = chart.series[0].points[-1]
    week_16 = next(tick for tick in chart.x_ticks if tick.label == "16")
    assert week_16.position < last.x <= chart.plot_right


# --- home panel ----------------------------------------------------------------------------


def home(client):
    return client.get(reverse("home"))


def test_the_home_panel_lists_visits_due_this_week_and_overdue(clinician_client, clinic, today):
    due_now = ProgrammeFactory(
        patient=PatientFactory(clinic=clinic, study_id="KAN-DUE"),
        start_date=today - timedelta(days=35),
    )
    make_visit(programme=due_now, assessed_on=due_now.start_date)
    late = ProgrammeFactory(
        patient=PatientFactory(clinic=clinic, study_id="KAN-LATE"),
        start_date=today - timedelta(days=50),
    )
    make_visit(programme=late, assessed_on=late.start_date)
    done = ProgrammeFactory(
        patient=PatientFactory(clinic=clinic, study_id="KAN-DONE"),
        start_date=today - timedelta(days=35),
    )
    make_visit(programme=done, assessed_on=done.start_date)
    make_visit(programme=done, timepoint="week6", assessed_on=today)

    due = home(clinician_client).context["assessment_due"]
    assert [(d.patient.study_id, d.status.timepoint) for d in due.this_week] == [
        ("KAN-DUE", "week6")
    ]
    assert [(d.patient.study_id, d.status.timepoint) for d in due.overdue] == [
        ("KAN-LATE", "week6")
    ]
    html = home(clinician_client).content.decode()
    panel = html.split('id="assessments-due-heading"', 1)[1].split("</section>", 1)[0]
    assert "Overdue (1)" in panel and "KAN-LATE" in panel and "KAN-DONE" not in panel


def test_the_home_panel_leaves_out_closed_programmes_and_other_clinics(
    clinician_client, clinic, other_clinic, today
):
    ProgrammeFactory(
        patient=PatientFactory(clinic=clinic),
        start_date=today - timedelta(days=50),
        status="completed",
        ended_on=today,
    )
    ProgrammeFactory(patient=PatientFactory(clinic=other_clinic), start_date=today)
    due = home(clinician_client).context["assessment_due"]
    assert due.count == 0


def paused_programme(clinic, today, *, started_days_ago, paused_from_day, days):
    start = today - timedelta(days=started_days_ago)
    span = [start + timedelta(days=paused_from_day), start + timedelta(days=paused_from_day + days)]
    return ProgrammeFactory(
        patient=PatientFactory(clinic=clinic),
        start_date=start,
        paused_days=days,
        pauses=[[day.isoformat() for day in span]],
    )


def test_a_pause_before_week_6_moves_week_6_back(clinician_client, clinic, today):
    programme = paused_programme(clinic, today, started_days_ago=50, paused_from_day=10, days=14)
    make_visit(programme=programme, assessed_on=programme.start_date)
    due = home(clinician_client).context["assessment_due"]
    assert not due.overdue
    assert [d.status.timepoint for d in due.this_week] == ["week6"]


def test_a_pause_after_the_week_6_target_day_moves_only_week_12(clinician_client, clinic, today):
    programme = paused_programme(clinic, today, started_days_ago=60, paused_from_day=45, days=14)
    make_visit(programme=programme, assessed_on=programme.start_date)
    due = home(clinician_client).context["assessment_due"]
    assert [d.status.timepoint for d in due.overdue] == ["week6"]  # its window closed on day 49
    windows = programme_windows(programme, today)
    assert windows["week6"].target == programme.start_date + timedelta(days=42)
    assert windows["week12"].target == programme.start_date + timedelta(days=84 + 14)


def test_a_pause_in_week_6_before_its_end_moves_the_week_6_visit_too(clinic, today):
    # Week 6 is days 35-41 and its visit targets day 42: a pause from day 40 comes before it.
    programme = paused_programme(clinic, today, started_days_ago=50, paused_from_day=40, days=14)
    windows = programme_windows(programme, today)
    assert windows["week6"].target == programme.start_date + timedelta(days=42 + 14)
    assert windows["week12"].target == programme.start_date + timedelta(days=84 + 14)


def test_a_programme_paused_now_moves_the_visits_after_the_pause_until_it_resumes(clinic, today):
    programme = ProgrammeFactory(
        patient=PatientFactory(clinic=clinic),
        start_date=today - timedelta(days=30),
        status="paused",
        paused_on=today - timedelta(days=5),
    )
    windows = programme_windows(programme, today)
    assert windows["week6"].target == programme.start_date + timedelta(days=42 + 5)
    later = programme_windows(programme, today + timedelta(days=3))
    assert later["week6"].target == programme.start_date + timedelta(days=42 + 8)


def test_the_visits_due_page_lists_them_all(clinician_client, clinic, today):
    for _ in range(12):
        ProgrammeFactory(patient=PatientFactory(clinic=clinic), start_date=today)
    response = clinician_client.get(reverse("assessments:due"))
    assert len(response.context["due"].this_week) == 12
    assert "See all 12 visits due" in home(clinician_client).content.decode()


def test_the_panel_follows_the_open_or_latest_programme(patient, today):
    """The page reads the patient's programmes once; its choice must stay the selector's."""
    from assessments.selectors import open_or_latest_programme
    from programmes.selectors import patient_programmes

    def followed():
        return patient_programmes(patient, today)["followed"]

    assert followed() is None is open_or_latest_programme(patient)
    old = ProgrammeFactory(
        patient=patient,
        start_date=today - timedelta(days=300),
        status="completed",
        ended_on=today - timedelta(days=200),
    )
    newer = ProgrammeFactory(
        patient=patient,
        start_date=today - timedelta(days=150),
        status="withdrawn",
        ended_on=today - timedelta(days=100),
    )
    assert followed() == open_or_latest_programme(patient) == newer
    opened = ProgrammeFactory(patient=patient, start_date=today - timedelta(days=400))
    assert followed() == open_or_latest_programme(patient) == opened
    assert old != opened


def test_the_visits_due_page_states_the_windows_of_the_timepoints_module(
    clinician_client, monkeypatch
):
    html = clinician_client.get(reverse("assessments:due")).content.decode()
    assert "day 42 and day 84 (day 0 is the first day), 7 days either side" in html
    monkeypatch.setitem(timepoints.TARGET_DAY, "week12", 91)
    html = clinician_client.get(reverse("assessments:due")).content.decode()
    assert "day 42 and day 91" in html
