"""Forms: each field carries its rule, so a refusal shows next to the field and nothing is saved.

The services check the same rules again (every door gets them); these forms only make the message
appear where the clinician typed.
"""

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import modelformset_factory
from django.utils import timezone

from patients.forms import DateInput, MultilineField

from .models import (
    EXERCISE_NAME_UNIQUE,
    MAX_LOAD_KG,
    MAX_LOGGED_REPS,
    PRESCRIPTION_LIMITS,
    Arm,
    ChangeKind,
    Exercise,
    Formula,
    ProgrammeTemplate,
    RetestOccasion,
    TemplateExercise,
    parse_weeks,
)
from .progression import strength
from .services import PLAN_CHANGE_KINDS, prescribed_plan, prescription_problem

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


# --- Assigning ---------------------------------------------------------------------------------


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
        day = self.cleaned_data["start_date"]
        today = timezone.localdate()
        if abs((day - today).days) > 366:
            raise forms.ValidationError("The start date must be within a year of today.")
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
    occasion = forms.ChoiceField(choices=RetestOccasion.choices, label="When")
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


# --- Session logs ------------------------------------------------------------------------------


class SessionForm(forms.Form):
    """A supervised session: one row per set of each exercise, prefilled from the plan."""

    date = forms.DateField(widget=DateInput())
    effort = score_field("Effort (OMNI-RES 0-10)", "0 extremely easy, 10 extremely hard.")
    pain_before = score_field("Pain before (0-10)", "0 no pain, 10 worst imaginable.")
    pain_after = score_field("Pain after (0-10)")
    fall = forms.BooleanField(required=False, label="Fall")
    dizziness = forms.BooleanField(required=False, label="Dizziness")
    new_foot_wound = forms.BooleanField(required=False, label="New foot wound")
    other_adverse_event = forms.CharField(
        max_length=300, required=False, label="Other adverse event"
    )
    notes = MultilineField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # The programme week whose targets the form was shown with (see views._session_form).
    targets_week = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, exercises, plan, logged=None, **kwargs):
        """exercises: the programme's; plan: {pe.pk: PlannedLoad of the week}; logged: sets."""
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        logged = {(s.programme_exercise_id, s.set_number): s for s in (logged or [])}
        self.rows = []
        for pe in exercises:
            planned = plan.get(pe.pk)
            sets = []
            for n in range(1, (planned.sets if planned else pe.sets) + 1):
                done = logged.get((pe.pk, n))
                reps_name, load_name = f"reps_{pe.pk}_{n}", f"load_{pe.pk}_{n}"
                self.fields[reps_name] = forms.IntegerField(
                    required=False,
                    min_value=1,
                    max_value=MAX_LOGGED_REPS,
                    label=f"Set {n}: repetitions",
                    initial=done.reps_done if done else None,
                    error_messages={
                        "min_value": "Leave it empty for a set not done; otherwise 1 or more.",
                        "max_value": f"Over {MAX_LOGGED_REPS} repetitions is not plausible.",
                    },
                    widget=forms.NumberInput(
                        attrs={"min": 1, "max": MAX_LOGGED_REPS, "inputmode": "numeric"}
                    ),
                )
                self.fields[load_name] = load_field(
                    f"Set {n}: load (kg)",
                    required=False,
                    initial=done.load_kg if done else (planned.load_kg if planned else None),
                )
                # The error summary lists every set of every exercise: say whose set it is.
                for name in (reps_name, load_name):
                    field = self.fields[name]
                    field.summary_label = (
                        f"{pe.exercise.name}, {field.label[0].lower()}{field.label[1:]}"
                    )
                sets.append((n, reps_name, load_name))
            self.rows.append({"pe": pe, "planned": planned, "sets": sets})

    def set_rows(self):
        """For the template: each exercise with its (set number, reps field, load field)."""
        return [
            {
                "pe": row["pe"],
                "planned": row["planned"],
                "sets": [(n, self[r], self[load]) for n, r, load in row["sets"]],
            }
            for row in self.rows
        ]

    def clean(self):
        data = super().clean()
        done = 0
        for row in self.rows:
            for _n, reps_name, load_name in row["sets"]:
                if data.get(reps_name) is None:
                    continue
                done += 1
                if data.get(load_name) is None and load_name not in self.errors:
                    self.add_error(load_name, "Give the load used (0 for none).")
        if not done and not any(name.startswith("reps_") for name in self.errors):
            raise forms.ValidationError(
                "Record the repetitions of at least one set (leave sets not done empty)."
            )
        return data

    def session_fields(self) -> dict:
        names = ["effort", "pain_before", "pain_after", "fall", "dizziness", "new_foot_wound"]
        names += ["other_adverse_event", "notes"]
        return {name: self.cleaned_data[name] for name in names}

    def sets(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "programme_exercise": row["pe"],
                "set_number": n,
                "reps_done": data[reps_name],
                "load_kg": data[load_name],
            }
            for row in self.rows
            for n, reps_name, load_name in row["sets"]
            if data.get(reps_name) is not None
        ]


# --- Exercise library and templates ------------------------------------------------------------


class ExerciseForm(forms.ModelForm):
    class Meta:
        model = Exercise
        fields = [
            "name",
            "muscle_group",
            "equipment",
            "laterality",
            "load_step_kg",
            "instructions",
            "safety_cues",
        ]
        field_classes = {"instructions": MultilineField, "safety_cues": MultilineField}
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 4}),
            "safety_cues": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        self.instance.clinic = clinic

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def _post_clean(self):
        super()._post_clean()
        # The clinic is no field of this form, so Django leaves out the constraints naming it:
        # the database's name rule is checked here, to be shown at the name field.
        if "name" not in self.errors:
            try:
                EXERCISE_NAME_UNIQUE.validate(Exercise, self.instance)
            except forms.ValidationError as error:
                self.add_error("name", error)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = ProgrammeTemplate
        fields = ["name", "weeks", "sessions_per_week", "description"]
        field_classes = {"description": MultilineField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    # The length and sessions per week are checked by the model's field validators.


class TemplateExerciseForm(forms.ModelForm):
    class Meta:
        model = TemplateExercise
        fields = [
            "order",
            "exercise",
            "sets",
            "target_reps",
            "max_reps",
            "start_pct",
            "ceiling_pct",
            "increase_pct",
            "every_n_weeks",
            "performance_increase_pct",
            "deload_weeks",
            "deload_pct",
        ]

    def __init__(self, *args, exercises, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["exercise"].queryset = exercises
        # The model's limits, checked by the form field too so its inputs say them (min, max).
        for name, (low, high) in PRESCRIPTION_LIMITS.items():
            field = self.fields[name]
            field.min_value, field.max_value = low, high
            field.validators += [MinValueValidator(low), MaxValueValidator(high)]
            field.widget.attrs.update({"min": low, "max": high})

    def has_changed(self):
        # An added row with no exercise chosen is the spare empty row: ignore it.
        if self.instance.pk is None and not self.data.get(self.add_prefix("exercise")):
            return False
        return super().has_changed()

    def clean_deload_weeks(self):
        text = self.cleaned_data["deload_weeks"]
        try:
            weeks = parse_weeks(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        if 1 in weeks:
            raise forms.ValidationError("Week 1 cannot be a deload week.")
        return ", ".join(str(w) for w in weeks)

    def clean(self):
        data = super().clean()
        start, ceiling = data.get("start_pct"), data.get("ceiling_pct")
        if start is not None and ceiling is not None and ceiling < start:
            self.add_error(
                "ceiling_pct",
                f"The ceiling cannot be below the starting intensity ({start.normalize():f} %).",
            )
        names = ("sets", "target_reps", "max_reps", "ceiling_pct")
        if all(data.get(name) is not None for name in names) and not any(
            name in self.errors for name in names
        ):
            problem = prescription_problem({name: data[name] for name in names})
            if problem:
                self.add_error(*problem)
        return data


# A template holds a handful of exercises; a posted form count beyond this is refused at once
# instead of building up to Django's default of 1,000 forms (seconds a request).
MAX_TEMPLATE_EXERCISES = 30


class _TemplateExerciseRows(forms.BaseModelFormSet):
    default_error_messages = {
        "too_many_forms": f"A template holds at most {MAX_TEMPLATE_EXERCISES} exercises.",
    }


TemplateExerciseFormSet = modelformset_factory(
    TemplateExercise,
    form=TemplateExerciseForm,
    formset=_TemplateExerciseRows,
    extra=1,
    can_delete=True,
    max_num=MAX_TEMPLATE_EXERCISES,
    absolute_max=MAX_TEMPLATE_EXERCISES,
    validate_max=True,
)
