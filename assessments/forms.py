from django import forms
from django.utils import timezone

from patients.forms import DateInput, MultilineField
from patients.models import STAFF_ROLES, Aetiology, User
from programmes.models import ProgrammeStatus, ProgrammeTemplate

from . import imports, tinetti
from .models import (
    DERIVED_FIELDS,
    DEVIATION_REASON_MAX_CHARS,
    MEASURE_RANGES,
    NOTES_MAX_CHARS,
    WALK_DETAIL_FIELDS,
    StsConvention,
    Timepoint,
    Visit,
    range_validators,
)
from .outcome_filters import DEVIATION_CHOICES, DEVIATIONS_INCLUDED, OutcomeFilters

LINE_REQUIRED = "Score this line: 0 if the patient could not do the task."
TINETTI_DONE = "yes"
TINETTI_NOT_DONE = "no"

FORM_MEASURE_FIELDS = [
    "walk_distance_m",
    "walk_aid",
    *WALK_DETAIL_FIELDS,
    "chair_stands",
    "chair_arms_needed",
    "sts_seconds",
    "sts_convention",
    "pain_nrs",
    "height_cm",
    "weight_kg",
]


class GroupRadioSelect(forms.RadioSelect):
    """Radios whose group has an id to link to: the error summary links each refused field to
    `id_for_label`, which Django leaves empty for a radio group; the first radio is where a
    keyboard user starts choosing."""

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class LineRadioSelect(GroupRadioSelect):
    """No HTML `required` on the line radios: with "Not done" chosen the browser must still
    submit; the server refuses a missing line when the test was scored."""

    def use_required_attribute(self, initial):
        return False


def line_label(item: tinetti.Item) -> str:
    """ "Balance 4 of 10 · Balance in the first 5 s of standing", numbered as on the paper form."""
    section = tinetti.BALANCE_ITEMS if item.section == tinetti.BALANCE else tinetti.GAIT_ITEMS
    number = section.index(item) + 1
    return f"{item.section.capitalize()} {number} of {len(section)} · {item.task}"


class VisitForm(forms.ModelForm):
    """Record or correct a visit: the Tinetti lines as radio groups in the paper form's order
    (their labels are the descriptors, from tinetti.py), then the other measures, each optional.
    The rules live on the model (Visit.clean and its constraints), so every door reports them."""

    tinetti_done = forms.ChoiceField(
        label="Tinetti POMA",
        choices=[
            (TINETTI_DONE, "Scored at this visit"),
            (TINETTI_NOT_DONE, "Not done at this visit (any lines ticked are not saved)"),
        ],
        initial=TINETTI_DONE,
        widget=GroupRadioSelect,
    )
    deviation_confirmed = forms.BooleanField(
        label="Record as a protocol deviation",
        required=False,
        help_text="Only for a week-6 or week-12 visit after its window closed: it is kept, "
        "marked as a deviation with your reason, in the patient's record and the exports.",
    )

    class Meta:
        model = Visit
        fields = [
            "timepoint",
            "assessed_on",
            "deviation_reason",
            "assessor",
            *tinetti.CODES,
            *FORM_MEASURE_FIELDS,
            "notes",
        ]
        field_classes = {"deviation_reason": MultilineField, "notes": MultilineField}
        widgets = {
            "assessed_on": DateInput(),
            "deviation_reason": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "sts_seconds": forms.NumberInput(attrs={"step": "0.1"}),
            "height_cm": forms.NumberInput(attrs={"step": "0.1"}),
            "weight_kg": forms.NumberInput(attrs={"step": "0.1"}),
        }

    field_order = [
        "timepoint",
        "assessed_on",
        "deviation_confirmed",
        "deviation_reason",
        "assessor",
        "tinetti_done",
        *tinetti.CODES,
    ]

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        visit = self.instance
        visit.programme, visit.patient, visit.clinic = (
            programme,
            programme.patient,
            programme.clinic,
        )
        if visit.pk is None:
            self.fields["assessed_on"].initial = timezone.localdate()
        else:
            self.initial["tinetti_done"] = (
                TINETTI_DONE if visit.tinetti_answers is not None else TINETTI_NOT_DONE
            )
            self.initial["deviation_confirmed"] = bool(visit.deviation_reason)
        staff = User.objects.filter(clinic_id=programme.clinic_id, role__in=STAFF_ROLES)
        keep = [visit.assessor_id] if visit.assessor_id else []
        self.fields["assessor"].queryset = staff.filter(is_active=True) | staff.filter(pk__in=keep)
        self.fields["timepoint"].choices = Timepoint.choices
        not_done = self.data.get(self.add_prefix("tinetti_done")) == TINETTI_NOT_DONE
        for item in tinetti.ITEMS:
            self.fields[item.code] = forms.TypedChoiceField(
                label=line_label(item),
                choices=[(value, item.label(value)) for value, _ in item.choices],
                coerce=int,
                empty_value=None,
                required=not not_done,
                error_messages={"required": LINE_REQUIRED},
                widget=LineRadioSelect(attrs={"data-tinetti-section": item.section}),
            )
        for name, (low, high, _) in MEASURE_RANGES.items():
            # One message per range, the model's, instead of the generic "Ensure this value...".
            self.fields[name].validators = range_validators(name)
            self.fields[name].widget.attrs.update(min=low, max=high)
        self.fields[
            "chair_stands"
        ].help_text += " If the arms were needed the protocol scores 0: type 0 or leave it empty."
        # Text limits shown by the browser too (the model refuses longer text at every door).
        self.fields["notes"].widget.attrs["maxlength"] = NOTES_MAX_CHARS
        self.fields["deviation_reason"].widget.attrs["maxlength"] = DEVIATION_REASON_MAX_CHARS

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("tinetti_done") == TINETTI_NOT_DONE:
            for code in tinetti.CODES:
                cleaned[code] = None
        reason = (cleaned.get("deviation_reason") or "").strip()
        confirmed = cleaned.get("deviation_confirmed")
        if confirmed and not reason and "deviation_reason" not in self.errors:
            self.add_error("deviation_reason", "Give the reason for the deviation.")
        elif reason and not confirmed:
            # Never drop typed text silently, nor save a deviation nobody confirmed.
            self.add_error(
                "deviation_confirmed",
                "Tick this to record the visit as a protocol deviation, or clear the reason.",
            )
        return cleaned

    def visit_fields(self) -> dict:
        """The cleaned form as keyword arguments of services.visit_record / visit_update."""
        data = dict(self.cleaned_data)
        data.pop("deviation_confirmed", None)
        done = data.pop("tinetti_done") == TINETTI_DONE
        lines = {code: data.pop(code) for code in tinetti.CODES}
        for name in DERIVED_FIELDS:
            data.pop(name, None)
        return {**data, "tinetti_lines": lines if done else None}


# --- outcomes, exports and import -------------------------------------------------------------

ANY = [("", "Any")]
MAX_IMPORT_BYTES = imports.PAGE_MAX_BYTES  # the page's; the command takes bigger files


class OutcomeFilterForm(forms.Form):
    """The programmes the results table and every download cover (a GET form: a filtered page
    is a link that can be shared or bookmarked)."""

    start_from = forms.DateField(label="Programme started from", required=False, widget=DateInput())
    start_to = forms.DateField(label="Programme started by", required=False, widget=DateInput())
    aetiology = forms.ChoiceField(choices=ANY + Aetiology.choices, required=False)
    template = forms.ModelChoiceField(
        queryset=ProgrammeTemplate.objects.none(), required=False, empty_label="Any"
    )
    status = forms.ChoiceField(
        label="Programme status", choices=ANY + ProgrammeStatus.choices, required=False
    )
    deviations = forms.ChoiceField(
        label="Late week-6/12 visits (protocol deviations)",
        choices=DEVIATION_CHOICES,
        required=False,
        help_text="Included unless you choose otherwise; the downloads follow this choice.",
    )

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = ProgrammeTemplate.objects.for_clinic(clinic.pk)
        # Templates are chosen by their public ID in the link, not the database's.
        self.fields["template"].to_field_name = "public_id"

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("start_from"), cleaned.get("start_to")
        if first and last and first > last:
            self.add_error("start_to", "The end of the date range is before its beginning.")
        return cleaned

    def filters(self) -> OutcomeFilters:
        data = self.cleaned_data
        return OutcomeFilters(
            start_from=data.get("start_from"),
            start_to=data.get("start_to"),
            aetiology=data.get("aetiology", ""),
            template=data.get("template"),
            status=data.get("status", ""),
            deviations=data.get("deviations") or DEVIATIONS_INCLUDED,
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Long CSV file",
        help_text=(
            "The long export's columns (identified: with assessed_on), UTF-8; up to "
            f"{imports.PAGE_MAX_ROWS:,} visits and {imports.PAGE_MAX_BYTES // 2**20} MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    create_patients = forms.BooleanField(
        label="Register unknown patients",
        required=False,
        help_text="A study ID the clinic does not have is registered with placeholder names "
        "and a date of birth estimated from the age, and given a past programme in the row's "
        "arm starting on its baseline date. Otherwise an unknown study ID is an error.",
    )
    sts_convention = forms.ChoiceField(
        label="Sit-to-stand timing in this file",
        choices=[
            ("", "Not needed: no times, or every time has its sts_convention"),
            *StsConvention.choices,
        ],
        required=False,
        help_text="For times without their own sts_convention (a file written before that "
        "column, or an empty cell); a row's own sts_convention is kept as it is.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_IMPORT_BYTES // 2**20} MB, the most this page "
                f"imports at once: {imports.FOR_THE_COMMAND}."
            )
        return upload
