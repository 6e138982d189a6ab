"""Short dates on pages carry their year whenever it is not the current year."""

from datetime import date, datetime
from pathlib import Path

import pytest
from django.template import Context, Template

from patients.templatetags.dates import day

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture
def today_is_1_dec_2026(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: date(2026, 12, 1))


def test_a_date_of_this_year_is_shown_without_its_year(today_is_1_dec_2026):
    assert day(date(2026, 12, 7)) == "7 Dec"
    assert day(date(2026, 12, 7), "D j M") == "Mon 7 Dec"


def test_past_and_future_dates_of_other_years_show_their_year(today_is_1_dec_2026):
    assert day(date(2025, 12, 7), "D j M") == "Sun 7 Dec 2025"
    assert day(date(2027, 1, 4)) == "4 Jan 2027"
    assert day(datetime(2025, 3, 1, 9, 30), "j F") == "1 March 2025"


def test_no_date_is_shown_as_nothing():
    assert day(None) == ""


def test_every_template_has_the_filter_without_loading_it(today_is_1_dec_2026):
    rendered = Template('{{ d|day:"D j M" }}').render(Context({"d": date(2025, 12, 7)}))
    assert rendered == "Sun 7 Dec 2025"


def test_no_template_writes_a_short_date_without_its_year():
    """A date format without Y hides the year: such dates go through |day instead."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            for fmt in line.split('|date:"')[1:]:
                fmt = fmt.split('"', 1)[0]
                if "Y" not in fmt and fmt not in ("H:i",):
                    offenders.append(f"{path.relative_to(TEMPLATES)}:{number} {fmt}")
    assert not offenders, offenders
