from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from patients.access import clinic_admin_required, get_patient_for_user, staff_required
from patients.kept_pages import kept_page
from patients.views import render_form_page

from . import services
from .access import (
    exercises_for_user,
    get_exercise_for_user,
    get_programme_for_user,
    get_session_for_user,
    get_suggestion_for_user,
    get_template_for_user,
    templates_for_user,
)
from .attention import attention_programmes, flags_for_programmes
from .forms import (
    AssignChoiceForm,
    AssignForm,
    BaselineForm,
    DismissForm,
    ExerciseForm,
    PlanChangeForm,
    RetestForm,
    SessionForm,
    StatusForm,
    SuggestionAcceptForm,
    TemplateExerciseFormSet,
    TemplateForm,
)
from .models import (
    Arm,
    ExerciseSession,
    PlannedLoad,
    ProgrammeTemplate,
    SessionSource,
    TemplateExercise,
)
from .selectors import (
    clamp_week,
    current_programme,
    programme_page,
    programme_week,
    week_sheet,
    whole_plan,
)


def _show_errors(form, error: ValidationError) -> None:
    """Put a service's refusal next to the field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


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
            _show_errors(form, error)
        else:
            messages.success(request, f"Assigned {programme.name} to {patient.study_id}.")
            return redirect(programme)
    context = {"patient": patient, "template": template, "arm": arm, "form": form}
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


def _accept_forms(context, bound=None):
    """Each pending suggestion with its accept form: prefilled with the proposal, or the one
    just refused (with its errors at the fields)."""
    for suggestion in context.get("suggestions") or []:
        if bound is not None and suggestion.pk == bound[0].pk:
            suggestion.accept_form = bound[1]
        else:
            version = context["programme"].version
            suggestion.accept_form = SuggestionAcceptForm.for_suggestion(suggestion, version)
    return context


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
    if programme.arm == Arm.CONTROL:
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
            _show_errors(form, error)
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
    if programme.arm == Arm.CONTROL:
        messages.error(request, "A control-arm programme has no exercise plan to re-test.")
        return redirect(programme)
    asked = {"tested_on": _date_param(request), "occasion": request.GET.get("at")}
    asked["programme_exercise"] = request.GET.get("exercise")
    initial = {"version": programme.version} | {k: v for k, v in asked.items() if v}
    form = RetestForm(request.POST or None, programme=programme, initial=initial)
    plan = None
    if form.is_valid():
        data = form.cleaned_data
        test = {name: data[name] for name in ("programme_exercise", "tested_on", "load_kg", "reps")}
        confirmed = "confirm" in request.POST and data["previewed"] == form.fingerprint()
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
            _show_errors(form, error)
        else:
            form.data = form.data.copy()
            form.data["previewed"] = form.fingerprint()  # the plan below is this test's
    context = {"programme": programme, "patient": programme.patient, "form": form, "plan": plan}
    return render(request, "programmes/retest.html", context)


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
                _show_errors(form, error)
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
        _show_errors(form, error)
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


# --- Session logs ------------------------------------------------------------------------------


def _session_form(request, programme, *, day, logged=None, initial=None):
    """The session form with the targets of one programme week: the week of `day`, or, once
    posted, the week it was shown with. A date typed in another week is not saved: the form
    comes back with that week's targets, to be checked before saving again."""
    data = request.POST.copy() if request.method == "POST" else None
    week = _shown_week(data, programme) or _plan_week(programme, day)
    form = _session_form_for_week(programme, week, data, logged, initial)
    if form.is_valid():
        day = form.cleaned_data["date"]
        typed = programme_week(programme, day)
        # Dates outside the programme or in the future are the service's to refuse.
        if 1 <= typed <= programme.weeks and day <= timezone.localdate() and typed != week:
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


def _plan_week(programme, day):
    return min(max(programme_week(programme, day), 1), programme.weeks)


def _shown_week(data, programme):
    try:
        week = int((data or {}).get("targets_week", ""))
    except ValueError:
        return None
    return week if 1 <= week <= programme.weeks else None


def _session_form_for_week(programme, week, data, logged, initial):
    exercises = list(programme.exercises.select_related("exercise"))
    plan = {
        load.programme_exercise_id: load
        for load in PlannedLoad.objects.filter(programme_exercise__programme=programme, week=week)
    }
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
    if programme.arm == Arm.CONTROL:
        messages.error(request, "A control-arm programme has no exercise sessions.")
        return redirect(programme)
    day = _date_param(request) or timezone.localdate()
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
            _show_errors(form, error)
            existing = _existing_session(programme, error, day)
        else:
            messages.success(request, "Session recorded.")
            return redirect(programme)
    return _render_session(
        request, programme, form, week=week, title="Record a session", day=day, existing=existing
    )


def _date_param(request):
    try:
        return parse_date(request.GET.get("date", ""))
    except ValueError:
        return None


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
            _show_errors(form, error)
        else:
            messages.success(request, "Session corrected.")
            return redirect(programme)
    title = f"Correct the session of {session.date:%d %b %Y}"
    return _render_session(request, programme, form, week=week, title=title, day=session.date)


# --- Exercise library --------------------------------------------------------------------------


@staff_required
def exercise_list(request):
    exercises = exercises_for_user(request.user).order_by("retired_on", "muscle_group", "name")
    return render(request, "programmes/exercise_list.html", {"exercises": exercises})


@clinic_admin_required
def exercise_add(request):
    form = ExerciseForm(request.POST or None, clinic=request.user.clinic)
    if form.is_valid():
        exercise = services.exercise_create(
            clinic=request.user.clinic, by=request.user, **form.cleaned_data
        )
        messages.success(request, f"Added {exercise.name} to the clinic's library.")
        return redirect("programmes:exercise_list")
    return render_form_page(
        request, form, title="Add an exercise", submit="Add", cancel_url="programmes:exercise_list"
    )


@clinic_admin_required
def exercise_edit(request, public_id):
    exercise = get_exercise_for_user(request, public_id, to_edit=True)
    form = ExerciseForm(request.POST or None, instance=exercise, clinic=request.user.clinic)
    if form.is_valid():
        changed = {name: form.cleaned_data[name] for name in form.changed_data}
        if not changed:
            messages.success(request, "Nothing was changed.")
            return redirect("programmes:exercise_list")
        services.exercise_update(exercise=exercise, by=request.user, **changed)
        messages.success(
            request, f"Saved {exercise.name}. Programmes already assigned keep theirs."
        )
        return redirect("programmes:exercise_list")
    return render_form_page(
        request,
        form,
        title=f"Edit {exercise.name}",
        submit="Save changes",
        cancel_url="programmes:exercise_list",
    )


@require_POST
@clinic_admin_required
def exercise_retire(request, public_id):
    exercise = get_exercise_for_user(request, public_id, to_edit=True)
    retired = request.POST.get("retired") != "0"
    services.exercise_set_retired(exercise=exercise, by=request.user, retired=retired)
    state = "retired: it stays in the programmes that use it" if retired else "back in use"
    messages.success(request, f"{exercise.name} is {state}.")
    return redirect("programmes:exercise_list")


# --- Templates ---------------------------------------------------------------------------------


@staff_required
def template_list(request):
    templates = templates_for_user(request.user).order_by("retired_on", "clinic_id", "name")
    return render(request, "programmes/template_list.html", {"templates": templates})


@staff_required
def template_detail(request, public_id):
    template = get_template_for_user(request, public_id)
    rows = template.exercises.select_related("exercise")
    return render(request, "programmes/template_detail.html", {"template": template, "rows": rows})


def _template_page(request, template, *, title):
    exercises = exercises_for_user(request.user).in_use()
    if template.pk:
        used = TemplateExercise.objects.filter(template=template).values("exercise_id")
        exercises = (exercises | exercises_for_user(request.user).filter(pk__in=used)).distinct()
    form = TemplateForm(request.POST or None, instance=template)
    rows = TemplateExerciseFormSet(
        request.POST or None,
        queryset=template.exercises.select_related("exercise") if template.pk else
        TemplateExercise.objects.none(),
        form_kwargs={"exercises": exercises},
        prefix="rows",
    )  # fmt: skip
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        if template.pk and not form.has_changed() and not _rows_changed(rows):
            messages.success(request, "Nothing was changed.")
            return redirect(template)
        kept = [f for f in rows.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if f not in rows.deleted_forms]
        kept.sort(key=lambda f: (f.cleaned_data["order"], f.prefix))
        try:
            services.template_save(
                template=template,
                by=request.user,
                rows=[{**f.cleaned_data, "instance": f.instance if f.instance.pk else None}
                      for f in kept],
                removed=[f.instance for f in rows.deleted_forms if f.instance.pk],
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            _show_errors(form, error)
        else:
            messages.success(request, f"Saved the template {template.name}.")
            return redirect(template)
    context = {"form": form, "rows": rows, "title": title, "template": template}
    return render(request, "programmes/template_form.html", context)


def _rows_changed(rows) -> bool:
    return bool(rows.deleted_forms) or any(f.has_changed() for f in rows.forms)


@clinic_admin_required
def template_add(request):
    return _template_page(
        request, ProgrammeTemplate(clinic=request.user.clinic), title="New programme template"
    )


@clinic_admin_required
def template_edit(request, public_id):
    template = get_template_for_user(request, public_id, to_edit=True)
    return _template_page(request, template, title=f"Edit {template.name}")


@require_POST
@clinic_admin_required
def template_copy(request, public_id):
    template = get_template_for_user(request, public_id)
    copy = services.template_copy(template=template, clinic=request.user.clinic, by=request.user)
    messages.success(request, f"Copied: edit {copy.name} as the clinic needs.")
    return redirect("programmes:template_edit", public_id=copy.public_id)


@require_POST
@clinic_admin_required
def template_retire(request, public_id):
    template = get_template_for_user(request, public_id, to_edit=True)
    retired = request.POST.get("retired") != "0"
    services.template_set_retired(template=template, by=request.user, retired=retired)
    messages.success(request, f"{template.name} is {'retired' if retired else 'back in use'}.")
    return redirect("programmes:template_list")
