"""The home-session form: one tap per exercise, then effort, pain and falls as big choices.

Messages are in the patient's words and language. The service checks the same rules again.
"""

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from patients.forms import DateInput, MultilineField
from programmes.models import Completion, ProgrammeStatus
from programmes.selectors import programme_week

CHOICE = {"class": "choice-input"}
SCALE = [(n, str(n)) for n in range(11)]


def _scale_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=SCALE,
        coerce=int,
        widget=forms.RadioSelect(attrs=CHOICE),
        error_messages={"required": gettext_lazy("Tap a number from 0 to 10.")},
    )


class HomeSessionForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Day of the session"),
        help_text=gettext_lazy("Today, unless you are reporting an earlier day."),
        widget=DateInput(),
        error_messages={"invalid": gettext_lazy("Write the date like 2026-03-31.")},
    )
    effort = _scale_field(
        gettext_lazy("How hard was it?"), gettext_lazy("0 = extremely easy, 10 = extremely hard.")
    )
    pain_after = _scale_field(
        gettext_lazy("How much pain do you have now?"),
        gettext_lazy("0 = no pain, 10 = the worst pain you can imagine."),
    )
    fall = forms.TypedChoiceField(
        label=gettext_lazy("Did you fall?"),
        choices=[("no", gettext_lazy("No")), ("yes", gettext_lazy("Yes"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs=CHOICE),
        error_messages={"required": gettext_lazy("Tap yes or no.")},
    )
    notes = MultilineField(
        label=gettext_lazy("Anything to tell the clinic? (you can leave this empty)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, programme, plan, **kwargs):
        """plan: the week's PlannedLoad rows, one per exercise, in the programme's order."""
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.today = timezone.localdate()
        self.fields["date"].widget.attrs.update(
            min=programme.start_date.isoformat(), max=self.today.isoformat()
        )
        self.exercise_fields = []
        for number, load in enumerate(plan, start=1):
            name = f"exercise_{number}"
            self.fields[name] = forms.ChoiceField(
                label=load.programme_exercise.exercise.name,
                choices=Completion.choices,
                widget=forms.RadioSelect(attrs=CHOICE),
                error_messages={"required": gettext_lazy("Tap done, partly or not done.")},
            )
            self.exercise_fields.append((name, load))
        self.order_fields(["date", *(n for n, _ in self.exercise_fields)])

    @property
    def exercise_questions(self):
        """(bound field, that week's plan) for each exercise, in the programme's order."""
        return [(self[name], load) for name, load in self.exercise_fields]

    def clean_date(self):
        day = self.cleaned_data["date"]
        programme = self.programme
        if day > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day < programme.start_date:
            raise forms.ValidationError(
                _("Your programme started on %(day)s: choose that day or a later one.")
                % {"day": date_format(programme.start_date, "j F Y")}
            )
        if programme_week(programme, day) > programme.weeks or (
            programme.ended_on and day > programme.ended_on
        ):
            raise forms.ValidationError(_("This day is after the end of your programme."))
        if programme.status == ProgrammeStatus.PAUSED and day >= programme.paused_on:
            raise forms.ValidationError(
                _("Your programme is paused. The clinic will tell you when to start again.")
            )
        return day

    def clean(self):
        cleaned = super().clean()
        answers = [cleaned.get(name) for name, _load in self.exercise_fields]
        if answers and all(answer == Completion.NOT_DONE for answer in answers):
            raise forms.ValidationError(
                _(
                    "You marked every exercise as not done, so there is no session to report. "
                    "If you are in pain or you fell, please call the clinic."
                )
            )
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "date": data["date"],
            "completions": {
                load.programme_exercise: data[name] for name, load in self.exercise_fields
            },
            "effort": data["effort"],
            "pain_after": data["pain_after"],
            "fall": data["fall"],
            "notes": data["notes"],
        }

    @classmethod
    def initial_from(cls, session, plan) -> dict:
        """A saved report as the form's initial values, for changing it."""
        by_exercise = {
            r.programme_exercise_id: r.completion for r in session.reported_exercises.all()
        }
        initial = {
            "date": session.date,
            "effort": session.effort,
            "pain_after": session.pain_after,
            "fall": "yes" if session.fall else "no",
            "notes": session.notes,
        }
        for number, load in enumerate(plan, start=1):
            initial[f"exercise_{number}"] = by_exercise.get(load.programme_exercise_id)
        return initial
