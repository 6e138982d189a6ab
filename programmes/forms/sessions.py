"""A supervised session's form: one row per set, prefilled from the plan."""

from django import forms
from django.utils import timezone

from patients.forms import DateInput, MultilineField

from ..models import MAX_LOGGED_REPS
from ._common import load_field, score_field


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
    # The programme week whose targets the form was shown with (see views.sessions._session_form).
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
