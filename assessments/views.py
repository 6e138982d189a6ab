from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone

from patients.access import staff_required

from . import services, tinetti
from . import timepoints as schedule
from .access import get_programme_for_user, get_visit_for_user, visits_for_user
from .forms import VisitForm
from .models import Timepoint
from .selectors import due_visits, programme_schedule, visit_history, visit_page_context


def _add_model_errors(form, error: ValidationError) -> None:
    """A refusal from the service (e.g. a race on the same timepoint) shown at its field."""
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _form_page(request, form, *, programme, title, submit, cancel_url):
    statuses = programme_schedule(
        programme, set(programme.visits.values_list("timepoint", flat=True)), timezone.localdate()
    )
    context = {
        "form": form,
        "programme": programme,
        "patient": programme.patient,
        "schedule": statuses,
        "title": title,
        "submit": submit,
        "cancel_url": cancel_url,
        "tinetti": tinetti,
    }
    return render(request, "assessments/visit_form.html", context)


def _suggested_timepoint(request, programme) -> str:
    asked = request.GET.get("timepoint")
    if asked in Timepoint.values:
        return asked
    done = set(programme.visits.values_list("timepoint", flat=True))
    upcoming = schedule.next_due(programme_schedule(programme, done, timezone.localdate()))
    return upcoming.timepoint if upcoming else Timepoint.FOLLOWUP


@staff_required
def visit_record(request, public_id):
    programme = get_programme_for_user(request, public_id)
    initial = {"timepoint": _suggested_timepoint(request, programme), "assessor": request.user}
    form = VisitForm(request.POST or None, programme=programme, initial=initial)
    if form.is_valid():
        try:
            visit = services.visit_record(
                programme=programme, by=request.user, **form.visit_fields()
            )
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, f"{visit.get_timepoint_display()} visit saved.")
            return redirect(visit)
    patient = programme.patient
    return _form_page(
        request,
        form,
        programme=programme,
        title=f"Record a visit · {patient.study_id}",
        submit="Save the visit",
        cancel_url=patient.get_absolute_url(),
    )


@staff_required
def visit_edit(request, public_id):
    visit = get_visit_for_user(request, public_id)
    form = VisitForm(request.POST or None, instance=visit, programme=visit.programme)
    if form.is_valid():
        if not form.has_changed():
            messages.info(request, "Nothing was changed.")
            return redirect(visit)
        try:
            services.visit_update(visit=visit, by=request.user, **form.visit_fields())
        except ValidationError as error:
            _add_model_errors(form, error)
        else:
            messages.success(request, "Corrections saved; the history below keeps the old values.")
            return redirect(visit)
    return _form_page(
        request,
        form,
        programme=visit.programme,
        title=f"Correct the {visit.get_timepoint_display().lower()} visit"
        f" · {visit.patient.study_id}",
        submit="Save corrections",
        cancel_url=visit.get_absolute_url(),
    )


@staff_required
def visit_detail(request, public_id):
    visit = get_visit_for_user(request, public_id)
    context = {**visit_page_context(visit), "history": visit_history(visit)}
    return render(request, "assessments/visit_detail.html", context)


@staff_required
def due_list(request):
    due = due_visits(request.user, timezone.localdate())
    return render(request, "assessments/due.html", {"due": due})


@staff_required
def visit_list(request):
    """The clinic's most recent visits, for finding one to open or correct."""
    visits = (
        visits_for_user(request.user)
        .select_related("patient", "assessor")
        .order_by("-assessed_on", "-created_at")
    )
    page = Paginator(visits, settings.LEGWORK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "assessments/visit_list.html", {"page": page})
