"""Changing the plan, re-testing, the programme's status, and the 2-for-2 suggestions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from patients.access import staff_required
from patients.view_helpers import date_param, render_form_page, show_refusal

from .. import services
from ..access import get_programme_for_user, get_suggestion_for_user
from ..forms import DismissForm, PlanChangeForm, RetestForm, StatusForm, SuggestionAcceptForm
from ..selectors import programme_page
from ._common import _accept_forms

# --- Changing the plan -------------------------------------------------------------------------


@staff_required
def plan_change(request, public_id):
    programme = get_programme_for_user(request, public_id)
    initial = {"version": programme.version, "week": request.GET.get("week") or None}
    initial["programme_exercise"] = request.GET.get("exercise") or None
    form = PlanChangeForm(request.POST or None, programme=programme, initial=initial)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.plan_change(
                kind=data["change"],
                programme=programme,
                programme_exercise=data["programme_exercise"],
                week=data["week"],
                to_week=data["to_week"],
                amount=data["amount"],
                reason=data["reason"],
                by=request.user,
                version=data["version"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "The plan was changed; the change is in its history.")
            return redirect(programme)
    return render_form_page(
        request,
        form,
        title=f"Change the plan: {programme.patient.study_id}",
        submit="Save the change",
        cancel_url=programme.get_absolute_url(),
        intro="Loads are rounded down to the equipment's step, never go above the exercise's "
        "ceiling, and never below one step (0 kg would read as no added weight).",
    )


@staff_required
def programme_retest(request, public_id):
    """A new strength test: the new 1RM and the re-planned weeks shown, then confirmed."""
    programme = get_programme_for_user(request, public_id)
    if programme.is_control:
        messages.error(request, "A control-arm programme has no exercise plan to re-test.")
        return redirect(programme)
    asked = {"tested_on": date_param(request), "occasion": request.GET.get("at")}
    asked["programme_exercise"] = request.GET.get("exercise")
    initial = {"version": programme.version} | {k: v for k, v in asked.items() if v}
    form = RetestForm(request.POST or None, programme=programme, initial=initial)
    plan, changed = None, False
    if form.is_valid():
        data = form.cleaned_data
        test = {name: data[name] for name in ("programme_exercise", "tested_on", "load_kg", "reps")}
        confirmed = "confirm" in request.POST and data["previewed"] == form.fingerprint()
        changed = "confirm" in request.POST and not confirmed
        try:
            if confirmed:
                retest = services.strength_retest(
                    programme=programme, **test, occasion=data["occasion"], note=data["note"],
                    by=request.user, version=data["version"],
                )  # fmt: skip
                messages.success(request, f"{retest.plan.summary()}: saved in the plan's history.")
                return redirect(programme)
            plan = services.retest_plan(programme=programme, **test)
        except ValidationError as error:
            show_refusal(form, error)
        else:
            form.data = form.data.copy()
            form.data["previewed"] = form.fingerprint()  # the plan below is this test's
    context = {"programme": programme, "patient": programme.patient, "form": form, "plan": plan}
    return render(request, "programmes/retest.html", context | {"changed": changed})


STATUS_ACTIONS = {
    "pause": (services.programme_pause, "Pause the programme", "Paused."),
    "resume": (services.programme_resume, "Resume the programme", "Resumed."),
    "complete": (services.programme_complete, "Complete the programme", "Completed."),
    "withdraw": (services.programme_withdraw, "Withdraw from the programme", "Withdrawn."),
}


def _status_view(action):
    service, title, done = STATUS_ACTIONS[action]

    @staff_required
    def view(request, public_id):
        programme = get_programme_for_user(request, public_id)
        form = StatusForm(request.POST or None, initial={"version": programme.version})
        if form.is_valid():
            try:
                service(programme=programme, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                show_refusal(form, error)
            else:
                messages.success(request, f"{done} The programme and its records are kept.")
                return redirect(programme)
        return render_form_page(
            request,
            form,
            title=f"{title}: {programme.patient.study_id}",
            submit=title.split()[0],
            cancel_url=programme.get_absolute_url(),
            intro="Nothing is deleted: the plan, sessions and history stay with the programme.",
        )

    view.__name__ = f"programme_{action}"
    return view


programme_pause = _status_view("pause")
programme_resume = _status_view("resume")
programme_complete = _status_view("complete")
programme_withdraw = _status_view("withdraw")


# --- Suggestions -------------------------------------------------------------------------------


@require_POST
@staff_required
def suggestion_accept(request, public_id):
    """Accept as proposed or changed; a refused change comes back on the programme page, at its
    field, with what was typed."""
    suggestion = get_suggestion_for_user(request, public_id)
    programme = suggestion.programme_exercise.programme
    form = SuggestionAcceptForm.for_suggestion(suggestion, programme.version, request.POST)
    try:
        if not form.is_valid():
            if "version" in form.errors:
                raise ValidationError(services.STALE)
            raise ValidationError({})  # the form's own errors, shown below
        data = form.cleaned_data
        suggestion = services.suggestion_accept(
            suggestion=suggestion, by=request.user, version=data["version"],
            load_kg=data["load_kg"], reps=data["reps"], reason=data["reason"],
        )  # fmt: skip
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # a stale page or a closed plan: above the page
            messages.error(request, " ".join(error.messages))
            return redirect(programme)
        show_refusal(form, error)
        programme.refresh_from_db()
        today = timezone.localdate()
        context = {"programme": programme, "patient": programme.patient, "today": today}
        context |= programme_page(programme, today, 1)
        context = _accept_forms(context, bound=(suggestion, form))
        return render(request, "programmes/detail.html", context)
    week = suggestion.applied_from
    messages.success(request, f"Accepted: {suggestion.message}. The plan changes from week {week}.")
    return redirect(programme)


@require_POST
@staff_required
def suggestion_dismiss(request, public_id):
    suggestion = get_suggestion_for_user(request, public_id)
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.suggestion_dismiss(suggestion=suggestion, by=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Suggestion dismissed; the plan is unchanged.")
    return redirect(suggestion.programme_exercise.programme)
