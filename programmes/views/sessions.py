"""Recording and correcting supervised sessions."""

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone

from patients.access import staff_required
from patients.view_helpers import date_param, show_refusal

from .. import services
from ..access import get_programme_for_user, get_session_for_user
from ..forms import SessionForm
from ..models import ExerciseSession, SessionSource
from ..selectors import other_targets_week, targets_week, week_targets


def _session_form(request, programme, *, day, logged=None, initial=None):
    """The session form with the targets of one programme week: the week of `day`, or, once
    posted, the week it was shown with. A date typed in another week is not saved: the form
    comes back with that week's targets, to be checked before saving again."""
    data = request.POST.copy() if request.method == "POST" else None
    week = _shown_week(data, programme) or targets_week(programme, day)
    form = _session_form_for_week(programme, week, data, logged, initial)
    if form.is_valid():
        day = form.cleaned_data["date"]
        typed = other_targets_week(programme, day, week, timezone.localdate())
        if typed is not None:
            data["targets_week"] = typed
            _refill_untouched_sets(data, programme, week, typed, logged, initial)
            form = _session_form_for_week(programme, typed, data, logged, initial)
            form.is_valid()
            form.add_error(
                "date",
                f"This date is in week {typed}; the targets shown were week {week}'s. They now "
                f"show week {typed}'s: check the sets and loads, then save again.",
            )
            week = typed
    return form, week


def _refill_untouched_sets(data, programme, shown, typed, logged, initial):
    """Sets still holding the shown week's prefilled values take the typed week's: a second
    click on Save must not record one week's plan against another's targets. What the
    clinician typed stays as typed."""
    before = _session_form_for_week(programme, shown, None, logged, initial)
    after = _session_form_for_week(programme, typed, None, logged, initial)
    for name in after.fields:
        is_set = name.startswith(("reps_", "load_")) and name in before.fields
        if is_set and _same_number(data.get(name), before[name].value()):
            value = after[name].value()
            data[name] = "" if value is None else str(value)


def _same_number(posted, prefilled) -> bool:
    if prefilled in (None, ""):
        return (posted or "").strip() == ""
    try:
        return Decimal((posted or "").strip()) == Decimal(str(prefilled))
    except InvalidOperation:
        return False


def _shown_week(data, programme):
    try:
        week = int((data or {}).get("targets_week", ""))
    except ValueError:
        return None
    return week if 1 <= week <= programme.weeks else None


def _session_form_for_week(programme, week, data, logged, initial):
    exercises = list(programme.exercises.select_related("exercise"))
    plan = week_targets(programme, week)
    initial = {**(initial or {}), "targets_week": week}
    return SessionForm(data, exercises=exercises, plan=plan, logged=logged, initial=initial)


def _render_session(request, programme, form, *, week, title, day, existing=None):
    context = {"programme": programme, "patient": programme.patient, "form": form}
    context |= {"week": week, "title": title, "existing": existing, "day": day}
    return render(request, "programmes/session_form.html", context)


def _existing_session(programme, error, day):
    errors = error.error_dict.get("date", []) if hasattr(error, "error_dict") else []
    if any(e.code == services.DUPLICATE_SESSION for e in errors):
        return ExerciseSession.objects.filter(
            programme=programme, date=day, source=SessionSource.SUPERVISED
        ).first()
    return None


@staff_required
def session_record(request, public_id):
    programme = get_programme_for_user(request, public_id)
    if programme.is_control:
        messages.error(request, "A control-arm programme has no exercise sessions.")
        return redirect(programme)
    day = date_param(request) or timezone.localdate()
    form, week = _session_form(request, programme, day=day, initial={"date": day})
    existing = None
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.session_record(
                programme=programme,
                by=request.user,
                date=day,
                sets=form.sets(),
                **form.session_fields(),
            )
        except ValidationError as error:
            show_refusal(form, error)
            existing = _existing_session(programme, error, day)
        else:
            messages.success(request, "Session recorded.")
            return redirect(programme)
    return _render_session(
        request, programme, form, week=week, title="Record a session", day=day, existing=existing
    )


@staff_required
def session_edit(request, public_id):
    session = get_session_for_user(request, public_id)
    programme = session.programme
    if session.source == SessionSource.HOME:
        # The patient's own words: the clinic reads them, only the patient changes them.
        messages.info(request, "A home session is the patient's report: only they can change it.")
        return redirect(programme)
    initial = {"date": session.date, **{f: getattr(session, f) for f in services.SESSION_FIELDS}}
    form, week = _session_form(
        request, programme, day=session.date, logged=list(session.sets.all()), initial=initial
    )
    # The hidden week the targets were shown for is bookkeeping, not a change of the session.
    if form.is_valid() and not [name for name in form.changed_data if name != "targets_week"]:
        messages.success(request, "Nothing was changed.")
        return redirect(programme)
    if form.is_valid():
        try:
            services.session_update(
                session=session,
                by=request.user,
                date=form.cleaned_data["date"],
                sets=form.sets(),
                **form.session_fields(),
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Session corrected.")
            return redirect(programme)
    title = f"Correct the session of {session.date:%d %b %Y}"
    return _render_session(request, programme, form, week=week, title=title, day=session.date)
