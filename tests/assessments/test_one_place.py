"""Each rule of the assessments app is stated in one place and read from there: these tests fail
when a copy of one is written again somewhere else (issue "One rule, one place")."""

import importlib.util
import re
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from assessments import outcomes, tinetti, visit_page
from assessments import timepoints as schedule
from assessments.exports import cells, columns, files
from assessments.exports.writers import dictionary_markdown
from assessments.models import Timepoint
from programmes.models import Arm
from tests.assessments.factories import make_visit

ROOT = Path(__file__).resolve().parents[2]


def fresh_copy(module, monkeypatch):
    """The module evaluated again (its package's other modules shared), so its module-level text
    is rebuilt from whatever the test has patched; the real module is left as it was."""
    spec = importlib.util.spec_from_file_location(f"{module.__name__}_fresh", module.__file__)
    copy = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, copy)  # dataclasses look their module up
    spec.loader.exec_module(copy)
    return copy


# --- the Tinetti maxima and bands: tinetti.py -------------------------------------------------


def test_the_export_columns_take_the_tinetti_maxima_and_bands_from_tinetti(monkeypatch):
    for name, value in [
        ("BALANCE_MAX", 61),
        ("GAIT_MAX", 62),
        ("TOTAL_MAX", 63),
        ("HIGH_RISK_MAX", 41),
        ("MODERATE_RISK_MAX", 52),
    ]:
        monkeypatch.setattr(tinetti, name, value)
    copy = fresh_copy(columns, monkeypatch)
    allowed = {name: column.allowed for name, column in copy.MEASURE_COLUMNS.items()}
    assert allowed["tinetti_balance"] == "0 to 61"
    assert allowed["tinetti_gait"] == "0 to 62"
    assert allowed["tinetti_total"] == "0 to 63"
    assert allowed["tinetti_risk"] == (
        "high = total 41 or less | moderate = total 42 to 52 | low = total 53 or more"
    )


def test_the_banding_name_and_the_risk_codes_say_what_risk_band_does():
    high, moderate = tinetti.HIGH_RISK_MAX, tinetti.MODERATE_RISK_MAX
    assert tinetti.risk_band(high) == "high" and tinetti.risk_band(high + 1) == "moderate"
    assert tinetti.risk_band(moderate) == "moderate" and tinetti.risk_band(moderate + 1) == "low"
    assert (
        f"≤{high} high" in tinetti.BANDING_NAME and f"≥{moderate + 1} low" in tinetti.BANDING_NAME
    )
    assert f"total {high} or less" in columns.RISK_CODES


# --- timepoint labels: timepoints.LABELS ------------------------------------------------------


def test_each_scheduled_timepoint_is_named_once():
    assert {t: Timepoint(t).label for t in schedule.SCHEDULED} == schedule.LABELS
    assert [code for code, _ in Timepoint.choices] == [
        *schedule.SCHEDULED,
        Timepoint.FOLLOWUP,
        Timepoint.UNSCHEDULED,
    ]
    assert outcomes.COLUMN_LABELS["week12"] == schedule.LABELS["week12"]
    assert columns.TIMEPOINT_CODES.startswith("baseline = Baseline | week6 = Week 6")
    # Outside timepoints.py no module or template names a scheduled visit again.
    labels = re.compile("|".join(f'"{label}"' for label in schedule.LABELS.values()))
    for path in (ROOT / "assessments").rglob("*.py"):
        if path.name != "timepoints.py" and "migrations" not in path.parts:
            assert not labels.search(path.read_text(encoding="utf-8")), path


def test_the_assessment_templates_compare_no_codes():
    """A template asks the model or the selector (visit.is_week6, status.is_overdue,
    offers_retest) rather than comparing a timepoint, state or arm code itself."""
    for path in (ROOT / "templates" / "assessments").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""[!=]= *["']""", text), path
        for label in schedule.LABELS.values():
            assert f">{label}<" not in text, path


@pytest.mark.django_db
def test_the_visit_page_offers_the_strength_retest_at_week_6_of_an_exercising_programme(
    programme, today
):
    baseline = make_visit(programme=programme, assessed_on=today - timedelta(days=40))
    week6 = make_visit(programme=programme, timepoint="week6", assessed_on=today)
    assert visit_page.visit_page_context(week6)["offers_retest"]
    assert not visit_page.visit_page_context(baseline)["offers_retest"]
    programme.arm = Arm.CONTROL
    assert not visit_page.visit_page_context(week6)["offers_retest"]


# --- the data dictionary: cells.FORMULA_TRIGGERS and the files' real names ---------------------


def test_the_data_dictionary_names_every_formula_trigger(monkeypatch):
    note = next(line for line in dictionary_markdown().splitlines() if "apostrophe" in line)
    for trigger in cells.FORMULA_TRIGGERS:
        shown = {"\t": "a tab", "\r": "a carriage return"}.get(trigger, trigger)
        assert shown in note
    monkeypatch.setattr(cells, "FORMULA_TRIGGERS", (*cells.FORMULA_TRIGGERS, "%"))
    assert "%" in dictionary_markdown()


def test_the_data_dictionary_names_only_files_that_exist():
    named = re.findall(r"`([\w/]+\.py)`", dictionary_markdown())
    assert "assessments/exports/columns.py" in named
    assert {Path(files.__file__).name} <= {Path(n).name for n in named}
    for name in named:
        assert (ROOT / name).is_file(), name
