"""Assigning a programme, its page, the attention list and the printouts."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone, translation

from patients.access import get_patient_for_user, staff_required
from patients.kept_pages import kept_page
from patients.view_helpers import show_refusal

from .. import services
from ..access import get_programme_for_user, templates_for_user
from ..attention import attention_programmes, flags_for_programmes
from ..forms import AssignChoiceForm, AssignForm, BaselineForm
from ..models import Arm
from ..selectors import clamp_week, current_programme, programme_page, week_sheet, whole_plan
from ._common import _accept_forms

# --- Assigning and the programme page ----------------------------------------------------------


@staff_required
def programme_assign(request, public_id):
    patient = get_patient_for_user(request, public_id)
    existing = current_programme(patient)
    if existing is not None:
        messages.error(request, "This patient already has an active programme.")
        return redirect(existing)
    templates = templates_for_user(request.user).in_use()
    choice = AssignChoiceForm(request.GET or None, templates=templates)
    if not choice.is_valid():
        context = {"patient": patient, "choice": choice}
        return render(request, "programmes/assign_choose.html", context)
    template, arm = choice.cleaned_data["template"], choice.cleaned_data["arm"]
    form = AssignForm(request.POST or None, template=template)
    rows = [] if arm == Arm.CONTROL else template.exercises.select_related("exercise")
    baselines = [BaselineForm(request.POST or None, template_exercise=row) for row in rows]
    if request.method == "POST" and form.is_valid() and all(b.is_valid() for b in baselines):
        try:
            programme = services.programme_assign(
                patient=patient,
                template=template,
                arm=arm,
                by=request.user,
                baselines=[b.baseline() for b in baselines if b.cleaned_data["include"]],
                **form.cleaned_data,
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"Assigned {programme.name} to {patient.study_id}.")
            return redirect(programme)
    context = {"patient": patient, "template": template, "arm": arm, "form": form}
    context["is_control"] = arm == Arm.CONTROL
    context |= {"baselines": baselines, "choice": choice}
    context["forms_with_errors"] = [b for b in baselines if b.is_bound and b.errors]
    return render(request, "programmes/assign.html", context)


@staff_required
@kept_page
def programme_detail(request, public_id):
    programme = get_programme_for_user(request, public_id)
    context = {"programme": programme, "patient": programme.patient, "today": timezone.localdate()}
    context |= programme_page(programme, context["today"], request.GET.get("page") or 1)
    return render(request, "programmes/detail.html", _accept_forms(context))


@staff_required
@kept_page
def attention(request):
    """Every flagged programme of the clinic, most urgent first, a page at a time."""
    today = timezone.localdate()
    programmes = attention_programmes(request.user, today)
    page = Paginator(programmes, settings.LEGWORK_PAGE_SIZE).get_page(request.GET.get("page"))
    flags = flags_for_programmes(page.object_list, today)
    return render(request, "programmes/attention.html", {"page": page, "flags": flags})


# --- Printouts for the patient (the same templates as the patient's own print pages) ---------


def _printable(request, programme):
    if programme.is_control:
        messages.error(request, "A control-arm programme has no exercises to print.")
        return False
    return True


def _print(request, programme, template, context):
    """Rendered in the patient's language: the sheet is for them, not for the clinician."""
    patient = programme.patient
    context = {"patient": patient, "clinic": programme.clinic, "programme": programme, **context}
    context["back_url"] = programme.get_absolute_url()
    with translation.override(patient.language):
        return render(request, template, context)


@staff_required
def print_week(request, public_id, week):
    programme = get_programme_for_user(request, public_id)
    if not _printable(request, programme):
        return redirect(programme)
    shown = clamp_week(programme, week)
    if shown != week:
        messages.info(request, f"The programme has weeks 1 to {programme.weeks}: week {shown}.")
        return redirect("programmes:print_week", public_id=programme.public_id, week=shown)
    sheet = week_sheet(programme, week, timezone.localdate())
    return _print(request, programme, "programmes/print_week.html", sheet)


@staff_required
def print_handout(request, public_id):
    programme = get_programme_for_user(request, public_id)
    if not _printable(request, programme):
        return redirect(programme)
    return _print(request, programme, "programmes/print_handout.html", whole_plan(programme))
