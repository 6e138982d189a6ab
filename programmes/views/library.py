"""The exercise library and the programme templates."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from patients.access import clinic_admin_required, staff_required
from patients.view_helpers import render_form_page, show_refusal

from .. import services
from ..access import (
    exercises_for_user,
    get_exercise_for_user,
    get_template_for_user,
    templates_for_user,
)
from ..forms import ExerciseForm, TemplateExerciseFormSet, TemplateForm
from ..models import ProgrammeTemplate, TemplateExercise

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
            show_refusal(form, error)
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
