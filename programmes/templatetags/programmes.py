from decimal import Decimal

from django import template
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from patients.kept_fragments import kept_fragment, url_maker

register = template.Library()


@register.filter
def kg(value) -> str:
    """17.50 -> '17.5', 20.00 -> '20': loads as a clinician writes them."""
    if value is None or value == "":
        return "—"
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


@register.filter
def pct(value) -> str:
    return kg(value)


@register.filter
def sets_done(sets) -> str:
    """'12 @ 20, 11 @ 20': one exercise's logged sets (reps @ kg). A filter rather than a loop
    in the template, which drew every set of every session shown on the programme page."""
    return ", ".join(f"{logged.reps_done} @ {kg(logged.load_kg)}" for logged in sets)


@register.simple_tag
def plan_cell(cell, change_url="") -> str:
    """One exercise's load in one week of the plan table, a link to change it when the programme
    is open (change_url given). A tag: the table draws 60 of these, an include or nested ifs
    per cell cost the page more than everything else on it."""
    if cell is None:
        return "—"
    dose = f"{cell.sets} × {cell.reps} @ {kg(cell.load_kg)} kg"
    html = (
        format_html(
            '<a class="cell-link" href="{}?exercise={}&amp;week={}">{}</a>',
            change_url,
            cell.programme_exercise_id,
            cell.week,
            dose,
        )
        if change_url
        else conditional_escape(dose)
    )
    if cell.is_deload:
        html += mark_safe(' <span class="badge text-bg-secondary">deload</span>')  # noqa: S308
    if cell.too_light:
        html += mark_safe(' <span class="badge text-bg-warning">too light</span>')  # noqa: S308
    return html


@register.simple_tag
def dose(load) -> str:
    """One exercise's dose in the patient's words: "3 sets × 10 times @ 12.5 kg, each leg in
    turn", for the patient's pages and the printouts (the same translations as the template it
    replaces). A tag, not an included template: the week page draws one per exercise."""
    exercise = load.programme_exercise.exercise
    sets = ngettext("%(sets)s set", "%(sets)s sets", load.sets) % {"sets": load.sets}
    reps = ngettext("%(reps)s time", "%(reps)s times", load.reps) % {"reps": load.reps}
    if exercise.equipment == "body_weight":
        weight = gettext("body weight")
    elif not load.load_kg:
        weight = gettext("no added weight")
    else:
        weight = f"{kg(load.load_kg)} kg"
    if exercise.laterality == "each_leg":
        legs = gettext("each leg in turn")
    else:
        legs = gettext("both legs together")
    return f"{sets} × {reps} @ {weight}, {legs}"


@register.simple_tag
def plan_table(programme, plan_rows, exercises) -> str:
    """The programme page's plan table, kept for the clinic by what it shows: a write
    elsewhere in the clinic (another patient's session) does not draw its 60 cells again."""
    public_id = programme.public_id
    sheet_url = reverse("programmes:print_week", args=[public_id, 1])
    shown = {
        "is_open": programme.is_open,
        "change_url": reverse("programmes:plan_change", args=[public_id])
        if programme.is_open
        else "",
        "sheet_url": sheet_url.removesuffix("1/"),
        "sessions_per_week": programme.sessions_per_week,
        "exercise_names": [pe.exercise.name for pe in exercises],
        "plan_rows": plan_rows,  # plain: the cells are selectors.PlanCell
    }
    return kept_fragment("programmes/_plan_table.html", shown, clinic_id=programme.clinic_id)


@register.simple_tag
def sessions_table(sessions, programme) -> str:
    """The programme page's sessions (a page of them), kept for the clinic by what it shows:
    each session's sets are drawn once, not after every write in the clinic."""
    edit_url = url_maker("programmes:session_edit", "00000000-0000-0000-0000-000000000000")
    rows = [
        {
            "date": format_date(s.date, "D j M Y"),
            "week": s.week,
            "is_home": s.is_home,
            "reported": [
                {
                    "name": r.programme_exercise.exercise.name,
                    "completion": r.completion_label.lower(),
                    "target_sets": r.target_sets,
                    "target_reps": r.target_reps,
                    "target_load": kg(r.target_load_kg),
                }
                for r in s.reported
            ],
            "set_groups": [
                {
                    "name": pe.exercise.name,
                    "done": sets_done(sets),
                    "target_reps": sets[0].target_reps,
                    "target_load": kg(sets[0].target_load_kg),
                }
                for pe, sets in s.set_groups
            ],
            "notes": s.notes,
            "effort": s.effort,
            "pain_before": s.pain_before,
            "pain_after": s.pain_after,
            "adverse_events": s.adverse_events,
            "recorded_by": str(s.recorded_by) if s.recorded_by else "—",
            "edit_url": edit_url.format(s.public_id),
        }
        for s in sessions
    ]
    return kept_fragment(
        "programmes/_sessions_table.html", {"sessions": rows}, clinic_id=programme.clinic_id
    )
