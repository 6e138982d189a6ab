"""Rules out of templates: a template asks the model or the selector (programme.can_change_plan,
patient.is_active, exercise.is_each_leg, next_visit.is_overdue ...) instead of comparing a
stored code (a status, an arm, a timepoint, an equipment) itself, so a rule is said once."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
# Comparisons about how a page is drawn, not rules about data.
DRAWING = {"field.name", "message.level_tag"}


def test_no_template_compares_a_stored_code():
    found = []
    for path in TEMPLATES.rglob("*.html"):
        for left in re.findall(r"""([\w.]+) *[!=]= *["']""", path.read_text(encoding="utf-8")):
            if left not in DRAWING:
                found.append(f"{path.relative_to(TEMPLATES)}: {left}")
    assert not found, found
