"""Changing the plan, re-testing, the programme's status, suggestions."""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone

from patients.forms import DateInput, MultilineField

from ..models import MAX_LOAD_KG, ChangeKind, RetestOccasion
from ..progression import strength
from ..services import PLAN_CHANGE_KINDS
from ._common import VersionForm, load_field, test_reps_field

# --- Changing the plan -------------------------------------------------------------------------


class PlanChangeForm(VersionForm):
    CHANGES = [(kind.value, change.label) for kind, change in PLAN_CHANGE_KINDS.items()]
    NEEDS_AMOUNT = {kind for kind, change in PLAN_CHANGE_KINDS.items() if change.needs_amount}

    programme_exercise = forms.ModelChoiceField(queryset=None, label="Exercise", empty_label=None)
    change = forms.ChoiceField(
        choices=CHANGES, widget=forms.RadioSelect, initial=ChangeKind.SET_LOAD
    )
    week = forms.IntegerField(min_value=1, label="Week", help_text="The week the change starts.")
    to_week = forms.IntegerField(
        min_value=1,
        required=False,
        label="Until week",
        help_text="Only for kg or % changes; empty means to the last week.",
    )
    amount = forms.DecimalField(
        required=False,
        max_digits=6,
        decimal_places=2,
        help_text="kg for a load or a change in kg (use - to remove); % for a change in % or "
        "a deload (e.g. 80).",
        widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
    )
    reason = MultilineField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Recorded in the plan's history with your name.",
    )

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_exercise"].queryset = programme.exercises.select_related("exercise")
        # Set after the fields are built, so the validators are added by hand too.
        for name in ("week", "to_week"):
            field = self.fields[name]
            field.max_value = programme.weeks
            field.validators.append(
                MaxValueValidator(
                    programme.weeks, f"The programme has weeks 1 to {programme.weeks}."
                )
            )
            field.widget.attrs["max"] = programme.weeks

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason for the change.")
        return reason

    def clean(self):
        data = super().clean()
        change, amount = data.get("change"), data.get("amount")
        if change in self.NEEDS_AMOUNT and amount is None and "amount" not in self.errors:
            self.add_error("amount", "Give the amount for this change.")
        elif (
            change == ChangeKind.SET_LOAD and amount is not None and not 0 <= amount <= MAX_LOAD_KG
        ):
            self.add_error("amount", f"A load is between 0 and {MAX_LOAD_KG} kg.")
        elif change == ChangeKind.DELOAD and amount is not None and not 0 < amount < 100:
            self.add_error("amount", "A deload week is 1 to 99 % of the previous week's load.")
        return data


class RetestForm(VersionForm):
    """A new strength test of one exercise: shown as a new plan first, confirmed second."""

    programme_exercise = forms.ModelChoiceField(queryset=None, label="Exercise", empty_label=None)
    tested_on = forms.DateField(widget=DateInput(), label="Date of the test")
    # No default: "at the week-6 visit" must be said, not assumed (the links from the visit and
    # the session form choose it).
    occasion = forms.ChoiceField(
        choices=[("", "Choose when the test was done"), *RetestOccasion.choices], label="When"
    )
    load_kg = load_field("Test load (kg)", minimum=Decimal("0.01"))
    reps = test_reps_field()
    note = MultilineField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Note (optional)",
        help_text="Recorded in the plan's history with your name.",
    )
    # What the shown new plan was worked out from: a confirmation of other values shows again.
    previewed = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme_exercise"].queryset = programme.exercises.select_related("exercise")
        self.fields["tested_on"].initial = timezone.localdate()
        self.fields["load_kg"].error_messages["min_value"] = "The test load must be more than 0 kg."

    def fingerprint(self) -> str:
        data = self.cleaned_data
        values = ("programme_exercise", "tested_on", "load_kg", "reps", "version")
        shown = [getattr(data[n], "pk", data[n]) for n in values]
        return "|".join(f"{v.normalize():f}" if isinstance(v, Decimal) else str(v) for v in shown)


# --- Pause, resume, complete, withdraw ---------------------------------------------------------


class StatusForm(VersionForm):
    on = forms.DateField(widget=DateInput(), label="Date")
    reason = MultilineField(max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Give the reason.")
        return reason


class SuggestionAcceptForm(VersionForm):
    """Accept a suggestion as proposed, or with the load or repetitions changed (and why); the
    service checks the numbers (proposals.proposal_problems)."""

    load_kg = forms.DecimalField(label="Load (kg)", max_digits=6, decimal_places=2, min_value=0)
    reps = forms.IntegerField(
        label="Target repetitions", min_value=1, max_value=strength.MAX_TARGET_REPS
    )
    reason = forms.CharField(max_length=300, required=False, label="Why changed (if changed)")

    @classmethod
    def for_suggestion(cls, suggestion, version, data=None):
        proposal = suggestion.proposal
        initial = {
            "version": version,
            "load_kg": proposal.load_kg.normalize(),
            "reps": proposal.reps,
        }
        return cls(data, initial=initial, prefix=f"s{suggestion.pk}")


class DismissForm(forms.Form):
    note = forms.CharField(max_length=300, required=False, label="Why (optional)")
