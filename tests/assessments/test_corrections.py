"""Correcting a scored test: the edit page, and the history of who changed which line."""

from datetime import timedelta

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import Visit
from assessments.visit_page import visit_history
from tests.assessments.factories import lines_totalling, make_visit
from tests.factories import ClinicAdminFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visit(programme, clinician, today):
    return make_visit(
        programme=programme, assessed_on=today - timedelta(days=1), by=clinician, balance=10
    )


def edit_url(visit):
    return reverse("assessments:edit", kwargs={"public_id": visit.public_id})


def test_the_edit_form_starts_from_the_visits_lines(clinician_client, visit):
    form = clinician_client.get(edit_url(visit)).context["form"]
    assert form.initial["sitting_balance"] == visit.sitting_balance
    assert form.initial["tinetti_done"] == "yes"


def test_correcting_a_line_recomputes_the_scores_and_keeps_the_history(
    client, visit, visit_data, clinic
):
    lead = ClinicAdminFactory(clinic=clinic, first_name="Aisha", last_name="Lead")
    client.force_login(lead)
    lines = lines_totalling(10, 7)
    lines["step_symmetry"] = 0  # was 1
    data = visit_data(lines, assessed_on=visit.assessed_on.isoformat())
    response = client.post(edit_url(visit), data)
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.tinetti_gait, visit.tinetti_total) == (6, 16)

    entry = visit_history(visit)[0]
    assert entry["who"] == lead
    changed = {c["field"]: (c["old"], c["new"]) for c in entry["changes"]}
    assert changed["Tinetti gait 6: Right and left step length"] == ("1 = equal", "0 = unequal")
    assert changed["Tinetti total"] == ("17", "16")
    assert "Tinetti gait 7: Continuity" not in changed

    page = client.get(visit.get_absolute_url()).content.decode()
    assert "Tinetti gait 6: Right and left step length" in page
    assert "<del>1 = equal</del> → <ins>0 = unequal</ins>" in page
    assert "Aisha Lead" in page


def test_saving_an_unchanged_visit_adds_no_history(clinician_client, visit, visit_data):
    before = visit.history.count()
    answers = visit.tinetti_answers
    data = visit_data(answers, assessed_on=visit.assessed_on.isoformat())
    data["assessor"] = str(visit.assessor_id)
    response = clinician_client.post(edit_url(visit), data)
    assert response.status_code == 302
    assert visit.history.count() == before


def test_a_correction_that_breaks_a_rule_saves_nothing(clinician_client, visit, visit_data, today):
    data = visit_data(visit.tinetti_answers, assessed_on=(today + timedelta(days=3)).isoformat())
    response = clinician_client.post(edit_url(visit), data)
    assert "cannot be in the future" in response.context["form"].errors["assessed_on"][0]
    visit.refresh_from_db()
    assert visit.assessed_on == today - timedelta(days=1)
    assert visit.history.count() == 1


def test_marking_the_test_not_done_clears_every_line_with_history(visit, clinician):
    # Another measure keeps it a visit (one with nothing measured is refused).
    services.visit_update(visit=visit, by=clinician, tinetti_lines=None, pain_nrs=2)
    visit = Visit.objects.get(pk=visit.pk)
    assert visit.tinetti_answers is None and visit.tinetti_total is None
    assert any(c["new"] == "—" for c in visit_history(visit)[0]["changes"])


def test_subtotals_cannot_be_set_by_hand_through_the_service(visit, clinician):
    with pytest.raises(ValueError, match="tinetti_total"):
        services.visit_update(visit=visit, by=clinician, tinetti_total=28)
