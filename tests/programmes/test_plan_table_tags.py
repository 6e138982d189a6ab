"""The tags that draw the programme page's plan cells and logged sets, and the patients' status
badge: what they show, and that what a user typed is escaped."""

from decimal import Decimal
from types import SimpleNamespace

from patients.templatetags.patients import status_badge
from programmes.templatetags.programmes import dose, plan_cell, sets_done


def cell(**overrides):
    values = dict(
        sets=3, reps=10, load_kg=Decimal("17.50"), programme_exercise_id=4, week=5,
        is_deload=False, too_light=False,
    )  # fmt: skip
    return SimpleNamespace(**(values | overrides))


def test_an_open_programmes_cell_links_to_changing_that_load():
    html = plan_cell(cell(), "/programmes/x/plan/")
    assert html == (
        '<a class="cell-link" href="/programmes/x/plan/?exercise=4&amp;week=5">3 × 10 @ 17.5 kg</a>'
    )


def test_a_closed_programmes_cell_is_plain_text_with_its_badges():
    html = plan_cell(cell(is_deload=True, too_light=True))
    assert html.startswith("3 × 10 @ 17.5 kg")
    assert "<a" not in html
    assert '<span class="badge text-bg-secondary">deload</span>' in html
    assert '<span class="badge text-bg-warning">too light</span>' in html


def test_a_week_without_a_load_shows_a_dash():
    assert plan_cell(None, "/programmes/x/plan/") == "—"


def test_logged_sets_read_as_reps_at_load():
    sets = [
        SimpleNamespace(reps_done=12, load_kg=Decimal("20.00")),
        SimpleNamespace(reps_done=11, load_kg=Decimal("22.50")),
    ]
    assert sets_done(sets) == "12 @ 20, 11 @ 22.5"
    assert sets_done([]) == ""


def test_the_status_badge_escapes_and_colours_by_status():
    patient = SimpleNamespace(status="withdrawn", get_status_display=lambda: "<Withdrawn>")
    assert status_badge(patient) == (
        '<span class="badge text-bg-secondary">&lt;Withdrawn&gt;</span>'
    )


def planned(sets=3, reps=10, load_kg=Decimal("12.50"), equipment="machine", laterality="each_leg"):
    exercise = SimpleNamespace(equipment=equipment, laterality=laterality)
    return SimpleNamespace(
        sets=sets, reps=reps, load_kg=load_kg, programme_exercise=SimpleNamespace(exercise=exercise)
    )


def test_a_dose_reads_in_the_patients_words():
    assert dose(planned()) == "3 sets × 10 times @ 12.5 kg, each leg in turn"
    assert dose(planned(sets=1, reps=1, laterality="both")) == (
        "1 set × 1 time @ 12.5 kg, both legs together"
    )
    assert dose(planned(equipment="body_weight")).endswith("@ body weight, each leg in turn")
    assert dose(planned(load_kg=None)).endswith("@ no added weight, each leg in turn")
