"""Assigning a programme: the template and arm, the start, the baseline tests."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from patients.forms import DateInput, MultilineField

from ..models import Arm, Formula, ProgrammeTemplate
from ..progression import strength
from ..services import check_start_date, prescribed_plan
from ._common import load_field, test_reps_field


class AssignChoiceForm(forms.Form):
    """Step 1 (a GET form): which template and which arm."""

    template = forms.ModelChoiceField(queryset=ProgrammeTemplate.objects.none(), empty_label=None)
    arm = forms.ChoiceField(choices=Arm.choices, widget=forms.RadioSelect, initial=Arm.INTERVENTION)

    def __init__(self, *args, templates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["template"].to_field_name = "public_id"


class AssignForm(forms.Form):
    name = forms.CharField(
        max_length=120, help_text="As the clinic calls it; defaults to the template's."
    )
    start_date = forms.DateField(widget=DateInput())
    notes = MultilineField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, template, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].initial = template.name
        self.fields["start_date"].initial = timezone.localdate()

    def clean_start_date(self):
        # The service's rule, asked early so it shows with the baselines' errors.
        day = self.cleaned_data["start_date"]
        try:
            check_start_date(day)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["start_date"]) from error
        return day


class BaselineForm(forms.Form):
    """One exercise's baseline strength test: load lifted and repetitions to fatigue."""

    include = forms.BooleanField(required=False, initial=True, label="Include")
    load_kg = load_field("Test load (kg)", required=False, minimum=Decimal("0.01"))
    reps = test_reps_field(required=False)
    formula = forms.ChoiceField(choices=Formula.choices, initial=Formula.BRZYCKI)

    def __init__(self, *args, template_exercise, **kwargs):
        super().__init__(*args, prefix=f"ex{template_exercise.pk}", **kwargs)
        self.template_exercise = template_exercise
        self.summary_name = template_exercise.exercise.name  # whose test, in the error summary
        self.fields["load_kg"].error_messages["min_value"] = "The test load must be more than 0 kg."

    def clean(self):
        data = super().clean()
        if data.get("include"):
            for name, message in (
                ("load_kg", "Give the load lifted in the test."),
                ("reps", "Give the repetitions to fatigue."),
            ):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, message)
            self._check_plan(data)
        return data

    def _check_plan(self, data):
        """The plan this test gives must be achievable: said here, at the test load."""
        te = self.template_exercise
        try:
            one_rm = strength.estimate_one_rm(data["load_kg"], data["reps"], data["formula"])
            prescribed_plan(
                te,
                one_rm=one_rm,
                weeks=te.template.weeks,
                load_step=te.exercise.load_step_kg,
                formula=data["formula"],
            )
        except (KeyError, TypeError, ValueError):
            return  # an incomplete or refused test: its fields already say why
        except forms.ValidationError as error:
            self.add_error("load_kg", error)

    @property
    def estimate(self):
        """The 1RM shown beside a valid row when the page is redisplayed (JS shows it live)."""
        data = getattr(self, "cleaned_data", {})
        try:
            return strength.estimate_one_rm(data["load_kg"], data["reps"], data["formula"])
        except (KeyError, TypeError, ValueError):
            return None

    def baseline(self) -> dict:
        data = self.cleaned_data
        return {
            "template_exercise": self.template_exercise,
            "load_kg": data["load_kg"],
            "reps": data["reps"],
            "formula": data["formula"],
        }
