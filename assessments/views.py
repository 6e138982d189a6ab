import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from patients.access import clinic_admin_required, get_patient_for_user, staff_required
from patients.kept_fragments import kept_fragment, kept_html
from patients.kept_pages import kept_page
from patients.view_helpers import show_refusal
from programmes.access import get_programme_for_user

from . import exports, imports, outcomes, selectors, services, stats, tinetti
from . import timepoints as schedule
from .access import get_visit_for_user, visits_for_user
from .forms import ImportForm, OutcomeFilterForm, VisitForm
from .models import ExportKind, ExportLog, ImportRun, Timepoint
from .outcome_filters import OutcomeFilters
from .selectors import due_visits, programme_schedule
from .visit_page import visit_history, visit_page_context


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
            show_refusal(form, error)
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
        try:
            # The service compares what is stored, so a form saved as it was writes nothing
            # (the form's own has_changed() is fooled by e.g. "12" for a stored 12.0).
            visit = services.visit_update(visit=visit, by=request.user, **form.visit_fields())
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if not visit.changed_fields:
                messages.info(request, "Nothing was changed.")
            else:
                messages.success(
                    request, "Corrections saved; the history below keeps the old values."
                )
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


# --- outcomes, exports, import and the printable report ----------------------------------------


def _filters(request):
    """The filter form from the query string; an invalid one shows its errors and filters
    nothing rather than something other than what was asked."""
    form = OutcomeFilterForm(request.GET or None, clinic=request.user.clinic)
    if form.is_bound and form.is_valid():
        return form, form.filters(), request.GET.copy()
    return form, OutcomeFilters(), None


@staff_required
@kept_page
def outcomes_page(request):
    form, filters, query = _filters(request)
    clinic = request.user.clinic
    results = outcomes.clinic_results(clinic, filters)
    if query is not None:
        query.pop("identified", None)
    counts = outcomes.programme_counts(clinic, filters)
    shown = {
        "filters": {
            "describe": filters.describe(),
            "without_deviations": filters.without_deviations,
        },
        "arms": [
            {"value": arm, "label": label, "rows": results.table(arm), "n": counts.get(arm, 0)}
            for arm, label in outcomes.ARMS
        ],
        "columns": [outcomes.COLUMN_LABELS[c] for c in outcomes.COLUMNS],
        "deviations": outcomes.deviation_count(clinic, filters),
        "chart": outcomes.arms_chart(results),
        "method_note": stats.METHOD_NOTE,
    }
    context = {
        "form": form,
        "filter_fields": _filter_fields(request, form),
        "results": kept_fragment("assessments/_outcome_results.html", shown, clinic_id=clinic.pk),
        "downloads": _downloads(query.urlencode() if query else ""),
    }
    return render(request, "assessments/outcomes.html", context)


def _filter_fields(request, form):
    """The filter form's fields, kept by what they show: the query and the template choices."""
    choices = [(str(value), label) for value, label in form.fields["template"].choices]
    # Drawn from the same list when not kept: one query either way (tests/test_query_budgets).
    form.fields["template"].choices = choices
    shown = (sorted(request.GET.lists()), choices)
    return kept_html(
        "assessments/_outcome_filter_fields.html",
        shown,
        lambda: render_to_string("assessments/_outcome_filter_fields.html", {"form": form}),
        request.user.clinic_id,
    )


def _downloads(query: str) -> list[dict]:
    """Each file's links: de-identified for all staff, identified (shown to admins only)."""
    links = []
    for kind, label in ExportKind.choices:
        url = reverse(f"assessments:export_{kind}")
        links.append(
            {
                "label": label,
                "deidentified": f"{url}?{query}" if query else url,
                "identified": f"{url}?{query + '&' if query else ''}identified=1",
            }
        )
    return links


@staff_required
def export_download(request, kind):
    form, filters, query = _filters(request)
    if form.is_bound and query is None:
        messages.error(request, "Correct the filters before downloading.")
        return redirect("assessments:outcomes")
    deidentified = request.GET.get("identified") != "1"  # de-identified unless asked otherwise
    if not deidentified and not request.user.is_clinic_admin:
        raise PermissionDenied("Identified files are for clinic admins.")
    clinic = request.user.clinic
    log = services.export_log_start(
        clinic=clinic,
        by=request.user,
        kind=kind,
        filters=filters.as_json(),
        deidentified=deidentified,
    )
    name = exports.filename(kind, clinic, deidentified)
    if kind == ExportKind.XLSX:
        handle, rows = exports.xlsx_tempfile(
            clinic=clinic, filters=filters, deidentified=deidentified
        )
        services.export_log_finish(log=log, rows=rows)
        response = FileResponse(handle, as_attachment=True, filename=name)
    else:
        lines = exports.csv_lines(
            kind,
            clinic=clinic,
            filters=filters,
            deidentified=deidentified,
            on_finish=lambda rows: services.export_log_finish(log=log, rows=rows),
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # clinical data stays out of shared caches
    return response


@clinic_admin_required
def export_log(request):
    """Who took which data out of the clinic, and which imports put visits in."""
    clinic_id = request.user.clinic_id
    logs = ExportLog.objects.filter(clinic_id=clinic_id).select_related("user")
    page = Paginator(logs, settings.LEGWORK_PAGE_SIZE).get_page(request.GET.get("page"))
    imports = ImportRun.objects.filter(clinic_id=clinic_id).select_related("user")[:20]
    return render(request, "assessments/export_log.html", {"page": page, "imports": imports})


@clinic_admin_required
def visits_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = None
    if form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read()
        try:
            rows = imports.parse(
                imports.read_text(raw),
                clinic_slug=request.user.clinic.slug,
                max_rows=imports.PAGE_MAX_ROWS,  # what completes well within a worker's timeout
            )
            run = services.visits_import(
                clinic=request.user.clinic,
                by=request.user,
                rows=rows,
                filename=upload.name,
                sha256=hashlib.sha256(raw).hexdigest(),
                create_patients=form.cleaned_data["create_patients"],
                sts_convention=form.cleaned_data["sts_convention"],
            )
        except imports.ImportRefused as refused:
            errors = refused.errors
        else:
            messages.success(request, run.summary)
            return redirect("assessments:import")
    context = {"form": form, "errors": errors, "seconds": imports.PAGE_SECONDS}
    return render(request, "assessments/import.html", context)


@staff_required
def patient_report(request, public_id):
    patient = get_patient_for_user(request, public_id)
    context = selectors.patient_report(patient, timezone.localdate())
    return render(request, "assessments/report.html", context)
