"""The patient's own pages. Each view reads only request.user's patient's rows, in their language.

There are no patient or programme IDs in these URLs: nothing here can reach another patient.
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assessments.selectors import open_or_latest_programme
from patients.access import patient_user_required
from patients.forms import submitted
from patients.kept_pages import kept_page
from patients.view_helpers import date_param, show_refusal
from programmes import services
from programmes.models import Arm, SessionSource
from programmes.selectors import clamp_week, programme_week, week_plan, week_sheet, whole_plan

from .forms import HomeSessionForm
from .selectors import next_visit, week_page


def portal_page(view):
    """A patient's own page: their patient row is passed in, and their language is active."""

    @patient_user_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        patient = request.user.patient
        with translation.override(patient.language):
            return view(request, patient, *args, **kwargs)

    return wrapped


def _render(request, template, patient, context):
    context = {"patient": patient, "clinic": request.user.clinic, **context}
    return render(request, template, context)


@portal_page
@kept_page
def this_week(request, patient):
    programme = open_or_latest_programme(patient)
    if programme is None:
        return _render(request, "portal/no_programme.html", patient, {})
    week = clamp_week(programme, programme_week(programme, timezone.localdate()))
    return _week(request, patient, programme, week)


@portal_page
@kept_page
def week(request, patient, week):
    programme = open_or_latest_programme(patient)
    if programme is None:
        return redirect("portal:this_week")
    shown = clamp_week(programme, week)
    if shown != week:
        messages.info(
            request,
            _("Your programme has weeks 1 to %(weeks)s. Here is week %(week)s.")
            % {"weeks": programme.weeks, "week": shown},
        )
        return redirect("portal:week", week=shown)
    return _week(request, patient, programme, week)


def _week(request, patient, programme, week):
    context = {"programme": programme, **week_page(programme, week, timezone.localdate())}
    return _render(request, "portal/week.html", patient, context)


def _exercise_programme(request, patient):
    """The programme a home session belongs to, or None with a message for the patient."""
    programme = open_or_latest_programme(patient)
    if programme is None or not programme.is_open or programme.arm == Arm.CONTROL:
        messages.info(request, _("You have no exercise programme running, so nothing to report."))
        return None
    return programme


def _refused(form, error):
    """Put the service's refusal next to the field; a same-day report is offered for changing."""
    dates = error.error_dict.get("date", []) if hasattr(error, "error_dict") else []
    if any(e.code == services.DUPLICATE_SESSION for e in dates):
        day = form.cleaned_data["date"]
        form.add_error(
            "date",
            _("You already reported a session on %(day)s.") % {"day": date_format(day, "j F Y")},
        )
        return reverse("portal:session_edit", kwargs={"day": day})
    if getattr(error, "code", None) == services.NOTHING_DONE:
        form.add_error(None, _("You marked every exercise as not done."))
    else:
        show_refusal(form, error)
    return None


@portal_page
def session_report(request, patient):
    programme = _exercise_programme(request, patient)
    if programme is None:
        return redirect("portal:this_week")
    today = timezone.localdate()
    plan = week_plan(programme, clamp_week(programme, programme_week(programme, today)))
    day = date_param(request) or today
    form = HomeSessionForm(
        submitted(request), programme=programme, plan=plan, initial={"date": day}
    )
    edit_url = None
    if form.is_valid():
        try:
            session = services.home_session_report(
                programme=programme, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            edit_url = _refused(form, error)
        else:
            messages.success(request, _("Thank you. Your session is saved."))
            return redirect("portal:week", week=session.week)
    context = {"form": form, "edit_url": edit_url, "title": _("Report a session done at home")}
    return _render(request, "portal/session_form.html", patient, context)


@portal_page
def session_edit(request, patient, day):
    programme = _exercise_programme(request, patient)
    if programme is None:
        return redirect("portal:this_week")
    session = get_object_or_404(
        programme.sessions.prefetch_related("reported_exercises"),
        source=SessionSource.HOME,
        date=day,
    )
    plan = week_plan(programme, session.week)
    form = HomeSessionForm(
        submitted(request),
        programme=programme,
        plan=plan,
        initial=HomeSessionForm.initial_from(session, plan),
    )
    if form.is_valid() and not form.has_changed():
        # Saved as it was: nothing to store, and no new entry in the report's history.
        messages.success(request, _("Nothing was changed."))
        return redirect("portal:week", week=session.week)
    if form.is_valid():
        try:
            session = services.home_session_update(
                session=session, by=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Thank you. Your report is changed."))
            return redirect("portal:week", week=session.week)
    title = _("Change your report of %(day)s") % {"day": date_format(session.date, "j F Y")}
    return _render(request, "portal/session_form.html", patient, {"form": form, "title": title})


@portal_page
def print_week(request, patient, week):
    programme = open_or_latest_programme(patient)
    if programme is None or programme.arm == Arm.CONTROL:
        return redirect("portal:this_week")
    shown = clamp_week(programme, week)
    if shown != week:
        return redirect("portal:print_week", week=shown)
    today = timezone.localdate()
    context = week_sheet(programme, week, today) | {
        "next_visit": next_visit(programme, today) if programme.is_open else None,
        "back_url": reverse("portal:week", kwargs={"week": week}),
    }
    return _render(request, "programmes/print_week.html", patient, context)


@portal_page
def print_handout(request, patient):
    programme = open_or_latest_programme(patient)
    if programme is None or programme.arm == Arm.CONTROL:
        return redirect("portal:this_week")
    context = {"programme": programme, "back_url": reverse("portal:this_week")}
    context |= whole_plan(programme)
    return _render(request, "programmes/print_handout.html", patient, context)
