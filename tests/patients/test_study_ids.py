"""What a study ID may be: one rule (patients.study_ids) for the form, the model and the import."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments import imports
from patients import study_ids
from tests.assessments.test_import import csv_text, errors_of, row


@pytest.mark.parametrize("raw", ["KAN-0042", "kan_0042.b", "  B-000001 ", "A" * 30, "-KAN-1"])
def test_letters_digits_and_dash_underscore_dot_are_a_study_id(raw):
    assert study_ids.problem(raw) is None


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ('=HYPERLINK("x")', "only letters A-Z, digits and - _ ."),
        ("KAN 0042", "no spaces"),
        ("KAN-é", "only letters A-Z"),
        # Letters that upper-case into ASCII are still not A-Z: never stored as "SS" or "FI".
        ("ß" * 30, "only letters A-Z"),
        ("KANß-1", "only letters A-Z"),
        ("ﬁ" * 16, "only letters A-Z"),
        ("A" * 31, "at most 30 characters"),
        ("   ", "Give a study ID"),
    ],
)
def test_anything_else_is_refused_with_the_reason(raw, why):
    assert why in study_ids.problem(raw)


@given(st.text(max_size=40))
def test_an_accepted_study_id_is_short_plain_ascii_and_stays_as_normalised(raw):
    if study_ids.problem(raw) is None:
        value = study_ids.normalise(raw)
        assert len(value) <= study_ids.MAX_LENGTH
        assert value.isascii() and value == value.upper() and " " not in value
        assert study_ids.normalise(value) == value
        assert study_ids.problem(value) is None


def test_the_import_refuses_a_study_id_the_form_would_refuse():
    messages = [message for _line, message in errors_of(csv_text(row(study_id="=1+1")))]
    assert any("only letters A-Z" in message for message in messages), messages
    messages = [message for _line, message in errors_of(csv_text(row(study_id="ß" * 30)))]
    assert any("only letters A-Z" in message for message in messages), messages


def test_the_import_stores_the_study_id_as_normalised():
    (parsed,) = imports.parse(csv_text(row(study_id=" kan-0001 ")), clinic_slug="kano")
    assert parsed.study_id == "KAN-0001"


def test_the_form_refuses_a_letter_that_upper_cases_into_ascii(clinician_client):
    response = clinician_client.post(reverse("patients:register"), {"study_id": "KANß-1"})
    assert "only letters A-Z" in " ".join(response.context["form"].errors["study_id"])
