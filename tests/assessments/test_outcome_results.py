"""The results table: median (IQR) by arm and timepoint and of each patient's change from
baseline, checked against values worked out by hand (inclusive quartiles, as Excel QUARTILE.INC)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import outcomes
from assessments.outcomes import Observation, OutcomeFilters, results_from
from programmes.models import ProgrammeStatus
from tests.assessments import outcome_data
from tests.factories import ProgrammeTemplateFactory


def obs(pid, arm, timepoint, total=None, **values):
    return Observation(pid, arm, timepoint, {"tinetti_total": total, **values})


def test_it_summarises_each_arm_and_timepoint_by_median_and_inclusive_quartiles():
    # 17, 19, 21, 30: median 20; Q1 = 17 + 0.75 * 2 = 18.5; Q3 = 21 + 0.25 * 9 = 23.25
    results = results_from(
        [obs(i, "intervention", "baseline", total) for i, total in enumerate([21, 17, 30, 19])]
    )
    cell = results.summary("intervention", "baseline", "tinetti_total")
    assert (cell.n, cell.median, cell.q1, cell.q3) == (4, 20, 18.5, 23.25)


def test_the_change_is_each_patients_own_change_summarised():
    # Changes +9, +8, +4: median 8, Q1 = 4 + 0.5 * 4 = 6, Q3 = 8 + 0.5 * 1 = 8.5
    results = results_from(
        [
            obs(1, "intervention", "baseline", 17),
            obs(1, "intervention", "week12", 26),
            obs(2, "intervention", "baseline", 19),
            obs(2, "intervention", "week12", 27),
            obs(3, "intervention", "baseline", 21),
            obs(3, "intervention", "week12", 25),
        ]
    )
    change = results.summary("intervention", "change_week12", "tinetti_total")
    assert (change.n, change.median, change.q1, change.q3) == (3, 8, 6, 8.5)


def test_a_patient_without_the_visit_or_the_measure_is_not_counted_in_that_cell():
    results = results_from(
        [
            obs(1, "control", "baseline", 18, walk6_m=300),
            obs(1, "control", "week6", None, walk6_m=320),  # Tinetti not done at week 6
            obs(2, "control", "baseline", 20),  # no week 6 visit at all
        ]
    )
    assert results.summary("control", "week6", "tinetti_total").n == 0
    assert results.summary("control", "week6", "walk6_m").n == 1
    assert results.summary("control", "change_week6", "tinetti_total").n == 0
    assert results.summary("control", "change_week6", "walk6_m").median == 20
    assert results.summary("intervention", "baseline", "tinetti_total").median is None


def test_a_programme_without_a_baseline_counts_at_its_visits_but_has_no_change():
    results = results_from(
        [
            obs(1, "control", "week6", 20),
            obs(1, "control", "week12", 22),
            obs(2, "control", "baseline", 18),
            obs(2, "control", "week12", 21),
        ]
    )
    assert results.summary("control", "week12", "tinetti_total").n == 2
    change = results.summary("control", "change_week12", "tinetti_total")
    assert (change.n, change.median) == (1, 3)
    assert results.summary("control", "change_week6", "tinetti_total").n == 0


def test_a_change_in_a_decimal_time_is_the_difference_of_the_two_floats():
    results = results_from(
        [
            obs(1, "intervention", "baseline", sts5_s_fifth_stand=Decimal("16.5")),
            obs(1, "intervention", "week6", sts5_s_fifth_stand=Decimal("13.7")),
        ]
    )
    change = results.summary("intervention", "change_week6", "sts5_s_fifth_stand")
    assert change.median == 13.7 - 16.5  # -2.8000000000000007, as the database computes it
    assert results.summary("intervention", "week6", "sts5_s_fifth_stand").median == 13.7


def test_a_sit_to_stand_time_counts_only_under_its_own_timing_convention():
    def values(seconds, convention):
        return outcomes.measure_values(
            balance=None,
            gait=None,
            total=None,
            walk=None,
            stands=None,
            arms_needed=False,
            sts=seconds,
            pain=None,
            convention=convention,
        )

    stand = values(Decimal("12.0"), "fifth_stand")
    sit = values(Decimal("14.0"), "fifth_sit")
    assert (stand["sts5_s_fifth_stand"], stand["sts5_s_fifth_sit"]) == (Decimal("12.0"), None)
    assert (sit["sts5_s_fifth_stand"], sit["sts5_s_fifth_sit"]) == (None, Decimal("14.0"))
    assert "sts5_s" not in stand  # no pooled outcome


def test_times_taken_with_different_conventions_are_never_pooled_nor_compared():
    results = results_from(
        [
            obs(1, "control", "baseline", sts5_s_fifth_stand=12.0),
            obs(1, "control", "week6", sts5_s_fifth_sit=20.0),  # timed the other way
            obs(2, "control", "baseline", sts5_s_fifth_stand=16.0),
            obs(2, "control", "week6", sts5_s_fifth_stand=14.0),
            obs(3, "control", "baseline", sts5_s_fifth_sit=30.0),
        ]
    )
    baseline = results.summary("control", "baseline", "sts5_s_fifth_stand")
    assert (baseline.n, baseline.median) == (2, 14.0)  # not 16, the median of all three
    sit = results.summary("control", "baseline", "sts5_s_fifth_sit")
    assert (sit.n, sit.median) == (1, 30.0)
    # Programme 1 changed convention: it is in neither change; programme 2 is.
    change = results.summary("control", "change_week6", "sts5_s_fifth_stand")
    assert (change.n, change.median) == (1, -2.0)
    assert results.summary("control", "change_week6", "sts5_s_fifth_sit").n == 0


def test_the_order_of_the_visits_does_not_matter():
    visits = [
        obs(pid, arm, timepoint, total, walk6_m=300 + 7 * pid + len(timepoint))
        for pid, arm in ((1, "control"), (2, "intervention"), (3, "control"), (4, "control"))
        for timepoint, total in (("baseline", 10 + pid), ("week6", 14), ("week12", 12 + 2 * pid))
    ]
    assert list(results_from(visits).rows()) == list(results_from(visits[::-1]).rows())


def test_follow_up_and_unscheduled_visits_are_not_in_the_trial_table():
    results = results_from([obs(1, "control", "followup", 20), obs(1, "control", "unscheduled", 9)])
    assert all(s.n == 0 for s in results.cells.values())


def test_the_summary_rows_cover_each_arm_column_and_measure_in_order():
    rows = list(results_from([]).rows())
    assert len(rows) == 2 * 5 * 8
    assert rows[0] == ["intervention", "baseline", "tinetti_balance", 0, None, None, None]
    assert [r[2] for r in rows[:8]] == [
        "tinetti_balance",
        "tinetti_gait",
        "tinetti_total",
        "walk6_m",
        "chair30_stands",
        "sts5_s_fifth_stand",
        "sts5_s_fifth_sit",
        "pain_nrs",
    ]
    assert [r[1] for r in rows[:40:8]] == [
        "baseline",
        "week6",
        "week12",
        "change_week6",
        "change_week12",
    ]


@pytest.mark.django_db
def test_the_clinic_results_match_the_hand_computed_values(clinic, clinician):
    outcome_data.build(clinic, clinician)
    results = outcomes.clinic_results(clinic, OutcomeFilters())
    total = results.summary("intervention", "baseline", "tinetti_total")
    assert (total.n, total.median, total.q1, total.q3) == (3, 19, 18, 20)
    week6 = results.summary("intervention", "week6", "tinetti_total")
    assert (week6.n, week6.median) == (2, 23)
    change = results.summary("intervention", "change_week12", "tinetti_total")
    assert (change.n, change.median, change.q1, change.q3) == (3, 8, 6, 8.5)
    control = results.summary("control", "change_week12", "tinetti_total")
    assert (control.n, control.median, control.q1, control.q3) == (2, 0, -0.5, 0.5)
    assert results.summary("intervention", "baseline", "sts5_s_fifth_stand").median == 16.5
    assert results.summary("intervention", "baseline", "sts5_s_fifth_sit").n == 0


@pytest.mark.django_db
def test_the_filters_select_programmes_by_start_aetiology_template_and_status(clinic, clinician):
    made = outcome_data.build(clinic, clinician)
    late = outcome_data.programme_with_visits(
        clinic,
        clinician,
        study_id="KAN-0009",
        arm="intervention",
        start=date(2025, 6, 2),
        aetiology="diabetic",
        visits={"baseline": (16, 12, {})},
    )
    template = ProgrammeTemplateFactory(clinic=clinic)
    late.template = template
    late.status, late.ended_on = ProgrammeStatus.COMPLETED, date(2025, 8, 24)
    late.save()

    def n(**filters):
        return OutcomeFilters(**filters).programmes(clinic).count()

    assert n() == len(made) + 1
    assert n(start_from=date(2025, 3, 1)) == 1
    assert n(start_to=date(2025, 3, 1)) == len(made)
    assert n(aetiology="diabetic") == 1
    assert n(template=template) == 1
    assert n(status="completed") == 1
    assert n(status="active") == len(made)


@pytest.mark.django_db
def test_the_outcomes_page_shows_the_table_the_note_and_the_chart(clinic, clinician, client):
    outcome_data.build(clinic, clinician)
    client.force_login(clinician)
    response = client.get(reverse("assessments:outcomes"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Intervention (exercise)" in html and "Control (assessments only)" in html
    assert '19 <span class="text-muted">(18 to 20)</span>' in html
    assert "n = 3" in html
    assert "QUARTILE.INC" in html
    assert outcomes.STS_NOTE in html  # the sit-to-stand conventions are never pooled
    assert "Five-times sit-to-stand (s), timer stopped at the fifth stand" in html
    assert "Five-times sit-to-stand (s), timer stopped at the fifth sit" in html
    assert "<svg" in html and "Median Tinetti total by arm" in html
    # A clinician is offered de-identified files only.
    assert "identified=1" not in html
    assert reverse("assessments:export_long") in html


@pytest.mark.django_db
def test_the_page_filters_and_carries_the_filters_into_the_downloads(clinic, clinician, client):
    outcome_data.build(clinic, clinician)
    client.force_login(clinician)
    response = client.get(reverse("assessments:outcomes"), {"status": "completed"})
    html = response.content.decode()
    assert "programme status: Completed" in html
    assert "n = 3" not in html
    assert f"{reverse('assessments:export_long')}?status=completed" in html


@pytest.mark.django_db
def test_a_reversed_date_range_is_refused_with_a_message(clinic, clinician, client):
    client.force_login(clinician)
    response = client.get(
        reverse("assessments:outcomes"), {"start_from": "2025-06-01", "start_to": "2025-01-01"}
    )
    assert "The end of the date range is before its beginning." in response.content.decode()
    download = client.get(
        reverse("assessments:export_long"), {"start_from": "2025-06-01", "start_to": "2025-01-01"}
    )
    assert download.status_code == 302


@pytest.mark.django_db
def test_admins_are_offered_identified_files_and_the_log(clinic, clinic_admin, client):
    client.force_login(clinic_admin)
    html = client.get(reverse("assessments:outcomes")).content.decode()
    assert "identified=1" in html
    assert reverse("assessments:export_log") in html
    assert reverse("assessments:import") in html


@pytest.mark.django_db
def test_the_outcomes_page_costs_the_same_queries_for_more_patients(
    clinic, clinician, client, django_assert_max_num_queries
):
    client.force_login(clinician)
    outcome_data.build(clinic, clinician)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("assessments:outcomes"))
    for n in range(6, 16):
        outcome_data.programme_with_visits(
            clinic,
            clinician,
            study_id=f"KAN-{n:04d}",
            arm="control",
            visits={"baseline": (10, 8, {}), "week12": (11, 8, {})},
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("assessments:outcomes"))


@pytest.mark.django_db
def test_the_template_filter_is_chosen_by_its_public_id(clinic, clinician, client):
    made = outcome_data.build(clinic, clinician)
    template = ProgrammeTemplateFactory(clinic=clinic)
    made[0].template = template
    made[0].save()
    client.force_login(clinician)
    response = client.get(reverse("assessments:outcomes"), {"template": str(template.public_id)})
    html = response.content.decode()
    assert f"template: {template.name}" in html
    assert 'Intervention (exercise) <span class="text-muted small">1 programme</span>' in html
