"""The long forms (session, assignment, plan change) list a refused form's problems at the top,
each linked to an element that is on the page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from programmes.models import ExerciseSession, Programme
from tests.programmes.helpers import shipped_template

pytestmark = pytest.mark.django_db


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.summaries = set(), [], 0
        self._in_summary = 0  # depth inside the summary box

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if self._in_summary:
            self._in_summary += tag == "div"
            if tag == "a":
                self.links.append(attrs.get("href", ""))
        elif tag == "div" and "error-summary" in (attrs.get("class") or "").split():
            self.summaries += 1
            self._in_summary = 1
            assert "autofocus" in attrs and attrs.get("tabindex") == "-1"

    def handle_endtag(self, tag):
        if self._in_summary and tag == "div":
            self._in_summary -= 1


def _summary(response):
    assert response.status_code == 200
    page = _Page()
    page.feed(response.content.decode())
    assert page.summaries == 1, "one summary at the top of the refused form"
    return page


def _assert_every_link_reaches_its_field(page, at_least):
    assert len(page.links) >= at_least
    for href in page.links:
        assert href.startswith("#") and href[1:] in page.ids, f"{href} is not on the page"


def test_a_refused_session_lists_each_problem_linked_to_its_field(clinician_client, programme):
    curl = programme.exercises.get(exercise__name="Hamstring curl")
    url = reverse("programmes:session_record", args=[programme.public_id])
    response = clinician_client.post(
        url,
        {
            "date": str(timezone.localdate()), "targets_week": "5",
            f"reps_{curl.pk}_1": "-3", f"reps_{curl.pk}_2": "10", f"load_{curl.pk}_2": "",
        },
    )  # fmt: skip
    page = _summary(response)
    _assert_every_link_reaches_its_field(page, at_least=5)  # 2 sets, effort, 2 pains
    assert f"#id_reps_{curl.pk}_1" in page.links
    assert "Hamstring curl, set 1: repetitions" in response.content.decode()
    assert not ExerciseSession.objects.exists()


def test_a_refused_assignment_lists_the_form_and_each_baseline_test(clinician_client, patient):
    template = shipped_template()
    url = reverse("programmes:assign", kwargs={"public_id": patient.public_id})
    url += f"?template={template.public_id}&arm=intervention"
    data = {"name": "", "start_date": str(timezone.localdate())}
    for row in template.exercises.all():
        data |= {f"ex{row.pk}-include": "on", f"ex{row.pk}-load_kg": "20",
                 f"ex{row.pk}-reps": "15", f"ex{row.pk}-formula": "brzycki"}  # fmt: skip
    response = clinician_client.post(url, data)
    page = _summary(response)
    _assert_every_link_reaches_its_field(page, at_least=6)  # the name, 5 exercises' reps
    assert "#id_name" in page.links
    assert "Hamstring curl, Repetitions to fatigue" in response.content.decode()
    assert not Programme.objects.exists()


def test_a_refused_plan_change_links_even_a_radio_group(clinician_client, programme):
    url = reverse("programmes:plan_change", args=[programme.public_id])
    response = clinician_client.post(url, {"version": programme.version, "week": "99"})
    page = _summary(response)
    _assert_every_link_reaches_its_field(page, at_least=4)  # exercise, change, week, reason
    assert "#id_change_0" in page.links
    assert "#id_week" in page.links  # week 99 of 12 is refused at the field, not later


def test_a_page_without_errors_has_no_summary(clinician_client, programme):
    url = reverse("programmes:session_record", args=[programme.public_id])
    assert "error-summary" not in clinician_client.get(url).content.decode()
