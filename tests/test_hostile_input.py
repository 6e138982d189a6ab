"""Every form of the app, sent hostile values for each of its fields: no server error anywhere,
and a refused form saves nothing.

The forms are the ones classified in tests/form_objects.py (every URL name must be; see
tests/test_edit_round_trip.py), read from their rendered pages (tests/forms_in_pages.py). Each
starts from a valid submission (the page's values and what a user types); then each hostile value
goes into every field of its type at once, then into one field at a time (one field of each
kind: the session form's many set fields count once), then hypothesis mixes them (bounded and
derandomised, so CI is reproducible). Each post runs in a savepoint rolled back afterwards, so
every value meets the same records.
"""

import re

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.form_checks import (
    error_messages,
    form_errors,
    log_in,
    open_form,
    row_changes,
    row_counts,
    rows,
    server_errors,
    submit,
)
from tests.form_objects import EDIT_PAGES, FORM_PAGES, Setup

TEXT = {
    "empty": "",
    "whitespace only": " \t\u00a0\u3000 ",
    "10,000 characters": "x" * 10_000,
    "NUL": "a\x00b",
    "emoji": "💪🏽🦵 👩🏿\u200d⚕️",
    "right-to-left marks": "\u202eKAN-1\u200f\u202c",
    "grows when upper-cased": "ß" * 30,
    "formula =": '=HYPERLINK("http://evil.example")',
    "formula +": "+1+1",
    "formula -": "-2+3",
    "formula @": "@SUM(A1:A2)",
    "control characters": "\x1b[31m\x07\x7f",
}
NUMBER = {
    "empty": "",
    "1e30": "1e30",
    "-5": "-5",
    "nan": "nan",
    "inf": "inf",
    "huge integer": "9" * 40,
    "decimal comma": "1,5",
    "text": "ten",
    "NUL": "1\x00",
}
DATE = {
    "empty": "",
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "five-digit year": "10000-01-01",
    "30 February": "2026-02-30",
    "text": "yesterday",
    "NUL": "2026-01-01\x00",
}
CHOICE = {
    "empty": "",
    "not a choice": "not-a-choice",
    "10,000 characters": "x" * 10_000,
    "NUL": "\x00",
    "-5": "-5",
    "1e30": "1e30",
}
HIDDEN = {
    "empty": "",
    "-5": "-5",
    "1e30": "1e30",
    "nan": "nan",
    "huge integer": "9" * 40,
    "text": "abc",
    "NUL": "\x00",
    "10,000 characters": "x" * 10_000,
}
FILES = {
    "empty file": b"",
    "NUL bytes": b"\x00" * 64,
    "not UTF-8": b"\xff\xfe\x00s\x00t\x00u\x00d\x00y",
    "a header only": b"study_id,programme,timepoint\r\n",
    "formula cells": b"study_id,programme,timepoint\r\n=cmd|' /C calc'!A0,@SUM(1),+1\r\n",
    "emoji and RTL": "study_id,programme\r\n\U0001f4aa,\u202e1\r\n".encode(),
    "huge numbers": b"study_id,programme,timepoint\r\nKAN-0001,1e30,nan\r\n",
}
BATTERY = {
    "text": TEXT,
    "number": NUMBER,
    "date": DATE,
    "choice": CHOICE,
    "hidden": HIDDEN,
    "file": FILES,
}
# One field at a time (the others valid): the values that may pass the form and reach the
# services and the database. A value no form accepts (not a choice, text for a number) is
# already sent to every field of its type at once.
ONE_AT_A_TIME = {
    "text": ["10,000 characters", "NUL", "grows when upper-cased", "formula ="],
    "number": ["1e30", "huge integer"],
    "date": ["year 1", "year 9999"],
    "choice": [],
    "hidden": ["1e30", "huge integer"],
    "file": [],
}
KIND = {
    **dict.fromkeys(["text", "search", "tel", "url", "email", "password", "textarea"], "text"),
    "number": "number",
    "date": "date",
    **dict.fromkeys(["select", "select-multiple", "radio", "checkbox"], "choice"),
    "hidden": "hidden",
    "file": "file",
}
NOT_HOSTILE = {"csrfmiddlewaretoken"}  # the test client does not check it
# A formset's form counts: a huge one makes Django build up to its absolute maximum of forms
# (seconds a post), so they get the battery all at once only, not one at a time or mixed.
MANAGEMENT = re.compile(r".*-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS\Z")


def _kinds(form) -> dict[str, str]:
    return {
        name: KIND.get(control.kind, "text")
        for name, control in form.controls.items()
        if name not in NOT_HOSTILE
    }


def _one_of_each(kinds) -> list[str]:
    """One field per name pattern: reps_12_3 and reps_12_4 are the same kind of field."""
    seen, chosen = set(), []
    for name in kinds:
        if MANAGEMENT.match(name):
            continue
        pattern = re.sub(r"\d+", "#", name)
        if pattern not in seen:
            seen.add(pattern)
            chosen.append(name)
    return chosen


def hostile_rounds(form, valid):
    """(what was sent, data) for each round."""
    kinds = _kinds(form)
    yield "the valid submission", valid
    for kind, values in BATTERY.items():
        names = [n for n, k in kinds.items() if k == kind]
        if not names:
            continue
        for label, value in values.items():
            yield f"every {kind} field: {label}", valid | {n: [value] for n in names}
    if kinds:
        yield "nothing but the CSRF token", {k: v for k, v in valid.items() if k in NOT_HOSTILE}
        yield "every field twice", valid | {n: [*valid.get(n, [""]), "2"] for n in kinds}
        yield "an unknown field", valid | {"is_superuser": ["on"], "clinic": ["1"], "pk": ["1"]}
    for name in _one_of_each(kinds):
        kind = kinds[name]
        for label in ONE_AT_A_TIME[kind]:
            yield f"{name}: {label}", valid | {name: [BATTERY[kind][label]]}


class _Baseline:
    """What the database holds before each post: the same each time (every post is rolled
    back), measured again only when logging the user back in wrote to it."""

    def __init__(self, client, setup, *, edit):
        self.client, self.setup, self.edit = client, setup, edit
        self.measure()

    def measure(self):
        self.counts = row_counts()
        self.rows = rows() if self.edit else None

    def log_in(self):
        if log_in(self.client, self.setup.user):
            self.measure()

    def changes(self) -> list[str]:
        after = row_counts()
        changed = [f"{k}: {n} -> {after[k]} rows" for k, n in self.counts.items() if n != after[k]]
        if self.rows is not None:
            changed += row_changes(self.rows, rows())
        return changed


def refused_page(form, response) -> bool:
    return form.method == "post" and response.status_code == 200


def _check(baseline, form, data, what, *, expect_valid=False) -> list[str]:
    """Post the data in a savepoint rolled back afterwards; return what went wrong."""
    baseline.log_in()
    problems = []
    with transaction.atomic():
        with server_errors() as errors:
            response = submit(baseline.client, form, data)
        if errors or response.status_code >= 500:
            detail = errors[0] if errors else ""
            problems.append(f"{what}: {response.status_code} {detail}")
        else:
            refused = form.method == "post" and (
                (response.status_code == 200 and form_errors(response))
                or (response.status_code == 302 and error_messages(response))
            )
            if refused:
                problems += [f"{what}: refused, yet {c}" for c in baseline.changes()]
            elif expect_valid and baseline.setup.valid and refused_page(form, response):
                problems.append(f"{what}: refused: {form_errors(response)}")
        transaction.set_rollback(True)
    return problems


def _hypothesis_values(form, valid):
    kinds = _kinds(form)
    fields = {}
    for name, kind in kinds.items():
        if MANAGEMENT.match(name):
            continue
        fields[name] = st.one_of(
            st.just(valid.get(name, [])),
            st.sampled_from([[v] for v in BATTERY[kind].values()]),
            st.text(max_size=40).map(lambda text: [text]) if kind != "file" else st.just([]),
        )
    return st.fixed_dictionaries(fields)


def _setups():
    cases = []
    for name in sorted(set(FORM_PAGES) | set(EDIT_PAGES)):
        # An edit page once, with its first (richest) record.
        edits = list(EDIT_PAGES.get(name, {}).values())[:1]
        builders = edits or FORM_PAGES[name]
        cases += [(name, builder) for builder in builders]
    return cases


CASES = _setups()


@pytest.fixture
def base(clinic, clinic_admin, clinician):
    return {"clinic": clinic, "clinic_admin": clinic_admin, "clinician": clinician}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build"), CASES, ids=[f"{n} ({b.__name__})" for n, b in CASES])
def test_hostile_values_never_cause_a_server_error_and_a_refused_form_saves_nothing(
    client, base, name, build
):
    setup: Setup = build(base)
    form = open_form(client, setup)
    valid = form.data()
    typed = setup.fill(form) if callable(setup.fill) else setup.fill
    valid |= {field: [value] for field, value in typed.items()}
    baseline = _Baseline(client, setup, edit=name in EDIT_PAGES)
    problems = []
    for what, data in hostile_rounds(form, valid):
        first = what == "the valid submission"
        problems += _check(baseline, form, data, what, expect_valid=first)

    kinds = _kinds(form)
    if kinds:

        @settings(
            max_examples=6,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        )
        @given(_hypothesis_values(form, valid))
        def mixed(values):
            data = valid | {k: v for k, v in values.items()}
            problems.extend(_check(baseline, form, data, f"mixed {values!r:.300}"))

        mixed()

    assert not problems, f"{name}: {len(problems)} problem(s):\n" + "\n".join(
        p[:1500] for p in problems[:30]
    )
