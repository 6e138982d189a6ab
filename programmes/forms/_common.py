"""What the modules of this package share."""

from decimal import Decimal

from django import forms

from ..models import MAX_LOAD_KG
from ..progression import strength

LOAD_ERRORS = {
    "min_value": "A load cannot be negative.",
    "max_value": f"A load over {MAX_LOAD_KG} kg is not plausible: check the number.",
}
SCORE_ATTRS = {"min": 0, "max": 10, "inputmode": "numeric"}


def load_field(label, *, required=True, minimum=Decimal(0), **kwargs):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=minimum,
        max_value=MAX_LOAD_KG,
        max_digits=5,
        decimal_places=2,
        error_messages=LOAD_ERRORS,
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
        **kwargs,
    )


def score_field(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10,
        help_text=help_text,
        error_messages={"min_value": "Scored 0 to 10.", "max_value": "Scored 0 to 10."},
        widget=forms.NumberInput(attrs=SCORE_ATTRS),
    )


def test_reps_field(*, required=True):
    """Repetitions to fatigue in a strength test (the baseline's or a re-test's)."""
    most = strength.MAX_TEST_REPS
    return forms.IntegerField(
        label="Repetitions to fatigue",
        required=required,
        min_value=1,
        max_value=most,
        error_messages={
            "min_value": "At least 1 repetition.",
            "max_value": f"Repetitions to fatigue must be 1 to {most}: estimates beyond about "
            "10 are unreliable. Test again with a heavier load.",
        },
        widget=forms.NumberInput(attrs={"min": 1, "max": most, "inputmode": "numeric"}),
    )


class VersionForm(forms.Form):
    """The programme version a page was rendered with (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
