"""The exercise library and the programme templates."""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms import modelformset_factory

from patients.forms import MultilineField

from ..models import (
    EXERCISE_NAME_UNIQUE,
    PRESCRIPTION_FIELDS,
    PRESCRIPTION_LIMITS,
    Exercise,
    ProgrammeTemplate,
    TemplateExercise,
    parse_weeks,
)
from ..services import prescription_problem

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
        # The prescription's own fields (one list, on the model), with the exercise after order.
        fields = ["order", "exercise", *[f for f in PRESCRIPTION_FIELDS if f != "order"]]

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
