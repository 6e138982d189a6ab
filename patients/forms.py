from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import services, study_ids
from .models import STAFF_ROLES, Patient, PatientStatus, Role, User


class DateInput(forms.DateInput):
    input_type = "date"  # the phone's or browser's own date picker; plain text where absent

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultilineField(forms.CharField):
    """A textarea's text. Browsers send its line breaks as CRLF, so a note stored with LF
    would count as changed when posted back untouched: compare and store them as LF."""

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n") if value else value

    def has_changed(self, initial, data):
        return super().has_changed(self.to_python(initial) if initial else initial, data)


class PatientForm(forms.ModelForm):
    """Register or edit a patient. Rules live on the model (Patient.clean and constraints)."""

    class Meta:
        model = Patient
        fields = [
            "study_id",
            "given_name",
            "family_name",
            "date_of_birth",
            "sex",
            "phone",
            "language",
            "aetiology",
            "aetiology_other",
            "art_start_date",
            "has_diabetes",
            "research_consent",
            "consent_date",
            "responsible_clinician",
            "notes",
        ]
        widgets = {
            "date_of_birth": DateInput(),
            "art_start_date": DateInput(),
            "consent_date": DateInput(),
            # Renders the stored True/False/None as selected (a plain Select would look for
            # "True" among "true"/"false" and show Unknown, saving it back unasked).
            "has_diabetes": forms.NullBooleanSelect(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"notes": MultilineField}

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic
        self.fields["has_diabetes"] = forms.NullBooleanField(
            required=False, label="Diabetes", widget=self.Meta.widgets["has_diabetes"]
        )
        # The current clinician stays choosable after deactivation, or saving the form
        # unchanged would silently clear them.
        self.fields["responsible_clinician"].queryset = User.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.responsible_clinician_id),
            clinic=clinic,
            role__in=STAFF_ROLES,
        )
        # Left out (e.g. an installation with one language): keep the record's own, or English.
        self.fields["language"].required = False
        # A language the installation no longer offers stays selected, for the same reason.
        language = self.fields["language"]
        stored = self.instance.language
        if stored and stored not in {code for code, _name in language.choices}:
            language.choices = [*language.choices, (stored, f"{stored} (no longer offered)")]

    def _get_validation_exclusions(self):
        # A language no longer offered may stay as it is (only a new choice must be offered).
        excluded = super()._get_validation_exclusions()
        if "language" not in self.changed_data:
            excluded.add("language")
        return excluded

    def clean_study_id(self):
        # Checked as typed, then stored as normalised (the model and the import use the same
        # rule, patients.study_ids): "KANß-1" is refused, not saved as "KANSS-1".
        typed = self.cleaned_data["study_id"]
        if problem := study_ids.problem(typed):
            raise forms.ValidationError(problem)
        return study_ids.normalise(typed)

    def clean_language(self):
        return self.cleaned_data["language"] or self.instance.language or "en"


class WithdrawForm(forms.Form):
    reason = MultilineField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Give the reason for the withdrawal."},
    )
    withdrawn_on = forms.DateField(widget=DateInput(), label="Date of withdrawal")

    def __init__(self, *args, patient, **kwargs):
        super().__init__(*args, **kwargs)
        self.patient = patient
        self.fields["withdrawn_on"].initial = timezone.localdate()

    def clean_withdrawn_on(self):
        day = self.cleaned_data["withdrawn_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The withdrawal date cannot be in the future.")
        return day

    def clean(self):
        if self.patient.is_withdrawn:
            raise forms.ValidationError("This patient has already been withdrawn.")
        return super().clean()


class PatientSearchForm(forms.Form):
    q = forms.CharField(required=False, label="Name or study ID")
    status = forms.ChoiceField(required=False, choices=[("", "Any status"), *PatientStatus.choices])


STAFF_ROLE_CHOICES = [(role.value, role.label) for role in STAFF_ROLES]


class StaffForm(forms.ModelForm):
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "role"]

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.clinic = clinic
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True


class NewStaffForm(StaffForm):
    # Most new staff are clinicians; making an admin is the choice that needs a decision.
    role = forms.ChoiceField(choices=STAFF_ROLE_CHOICES, initial=Role.CLINICIAN)
    password1 = forms.CharField(label="Initial password", widget=forms.PasswordInput)
    password2 = forms.CharField(label="Initial password again", widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ.")
        elif first:
            probe = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


def submitted(request):
    """The posted data, or None on GET. (`request.POST or None` would treat an empty
    submission as no submission, and skip its "this field is required" messages.)"""
    return request.POST if request.method == "POST" else None


class ChoosePasswordForm(forms.Form):
    """The patient chooses their own password, checked by the same validators as staff's."""

    password1 = forms.CharField(
        label=_("Choose a password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters. Not only numbers, not a common word."),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, access_lookup, **kwargs):
        super().__init__(*args, **kwargs)
        self._access_lookup = access_lookup
        self.access = None

    def clean(self):
        cleaned = super().clean()
        try:
            self.access = self._access_lookup(cleaned)
        except services.AccessRefused as refusal:
            self.add_error("code" if "code" in self.fields else None, refusal.messages)
            return cleaned
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            patient = self.access.patient
            probe = User(
                username=services.patient_login_name(patient),
                first_name=patient.given_name,
                last_name=patient.family_name,
            )
            try:
                validate_password(first, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ActivateWithCodeForm(ChoosePasswordForm):
    # The field keeps its name (study_id); a bare study ID, as on sheets printed before login
    # names carried the clinic, works too (services.portal_access_find).
    study_id = forms.CharField(
        label=_("Your login name"),
        max_length=100,
        help_text=_(
            "As printed on your sheet, e.g. KAN-0042@kano. Your study ID alone also works."
        ),
    )
    code = forms.CharField(
        label=_("Your code"), max_length=20, help_text=_("As printed, e.g. ABCD-2345.")
    )

    field_order = ["study_id", "code", "password1", "password2"]
