"""The 2-for-2 suggestions: made after a session, accepted (as proposed or changed) or
dismissed."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..models import (
    ChangeKind,
    ExerciseSession,
    LoggedSet,
    Programme,
    ProgrammeExercise,
    Suggestion,
    SuggestionStatus,
)
from ..progression import proposals, strength
from ._common import _kg, _lock, _record
from .plan import _apply, _first_unlogged_week, _plan_of


def _suggest_if_two_for_two(pe: ProgrammeExercise) -> Suggestion | None:
    """After a session: when the 2-for-2 rule is met for this exercise, suggest the next
    sessions' load or repetitions (proposals.propose)."""
    if pe.performance_increase_pct <= 0 or pe.suggestions.filter(status="pending").exists():
        return None
    sessions = ExerciseSession.objects.filter(sets__programme_exercise=pe).distinct()
    last = pe.suggestions.select_related("session").order_by("-session__date").first()
    if last is not None:
        # Sessions before the last suggestion were already judged; wait for two new ones.
        sessions = sessions.filter(date__gt=last.session.date)
    latest_two = list(sessions.order_by("-date")[: proposals.TWO_FOR_TWO_SESSIONS])
    if len(latest_two) < proposals.TWO_FOR_TWO_SESSIONS:
        return None
    last_sets = []
    for session in reversed(latest_two):  # oldest first
        last_set = (
            LoggedSet.objects.filter(session=session, programme_exercise=pe)
            .order_by("-set_number")
            .first()
        )
        last_sets.append(last_set)
    if not proposals.two_for_two_met([(s.target_reps, s.reps_done) for s in last_sets]):
        return None
    current, reps = last_sets[-1].load_kg, last_sets[-1].target_reps
    # The suggestion applies from the first week with nothing logged; where that week's plan
    # already asks for more than the sessions did (double progression adds repetitions week by
    # week), it is the starting point: a suggestion must add to the plan, not repeat it.
    from_week = _first_unlogged_week(pe.programme, timezone.localdate(), latest_two[0].week)
    planned = pe.planned_loads.filter(week=from_week).first()
    if planned is None:
        return None  # no week left to apply anything to
    ahead = (planned.load_kg, planned.reps) > (current, reps)
    if ahead:
        current, reps = planned.load_kg, planned.reps
    proposal = proposals.propose(
        current,
        min(max(reps, 1), strength.MAX_TARGET_REPS),
        increase_pct=pe.performance_increase_pct,
        load_step=pe.load_step_kg,
        ceiling_kg=pe.ceiling_kg,
        one_rm=pe.one_rm_kg,
        formula=pe.formula,
        bottom_reps=pe.target_reps,
        top_reps=pe.max_reps or pe.target_reps,
    )
    if proposal is None:
        return None  # at the ceiling and the top of the range: nothing to suggest
    return Suggestion.objects.create(
        programme_exercise=pe,
        session=latest_two[0],
        current_load_kg=current,
        current_reps=reps,
        planned_week=from_week if ahead else None,
        increase_pct=pe.performance_increase_pct,
        suggested_load_kg=proposal.load_kg,
        suggested_reps=proposal.reps,
        why=proposal.why,
    )


def _pending(suggestion: Suggestion) -> Suggestion:
    locked = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if locked.status != SuggestionStatus.PENDING:
        raise ValidationError(f"This suggestion was already {locked.get_status_display().lower()}.")
    return locked


@transaction.atomic
def suggestion_accept(
    *,
    suggestion: Suggestion,
    by,
    version: int,
    today: date | None = None,
    load_kg=None,
    reps: int | None = None,
    reason: str = "",
):
    """Apply a suggestion, as proposed or as the clinician changed it (load_kg, reps; a change
    needs its reason), from the first week with nothing logged on. A changed proposal is
    checked like the proposal itself: refused at its field, with the numbers; nothing saved."""
    today = today or timezone.localdate()
    pe = suggestion.programme_exercise
    programme = _lock(pe.programme, version)
    suggestion = _pending(suggestion)
    rows = _plan_of(programme, pe)
    proposed = suggestion.proposal
    load = _kg(load_kg) if load_kg is not None else proposed.load_kg
    reps = reps if reps is not None else proposed.reps
    changed = (load, reps) != (proposed.load_kg, proposed.reps)
    problems = proposals.proposal_problems(
        suggestion.current_load_kg, load_kg=load, reps=reps, sets=pe.sets,
        load_step=pe.load_step_kg, ceiling_kg=pe.ceiling_kg, one_rm=pe.one_rm_kg,
        formula=pe.formula, loaded=pe.exercise.is_loaded,
    )  # fmt: skip
    if changed and not reason.strip():
        problems.setdefault("reason", "Say why you changed the proposal.")
    if problems:
        raise ValidationError({f: f"{m} Nothing was saved." for f, m in problems.items()})
    from_week = _first_unlogged_week(programme, today, suggestion.session.week)
    if from_week > programme.weeks:
        raise ValidationError(
            f"Week {programme.weeks}, the programme's last, already has sessions logged: "
            "there is no week left to apply this to. Nothing was saved."
        )
    new = proposals.accept_proposal(
        [(row.load_kg, row.reps) for row in rows],
        from_week=from_week,
        load_kg=load,
        reps=reps,
        ceiling_kg=pe.ceiling_kg,
    )
    text = suggestion.message
    if changed:
        label = proposals.proposal_label(
            suggestion.current_load_kg, suggestion.reps_before,
            proposals.Proposal(load, reps), sets=pe.sets,
        )  # fmt: skip
        text += f"; changed to {label}: {reason.strip()}"
    _apply(
        programme, pe, rows, [n[0] for n in new], kind=ChangeKind.SUGGESTION, by=by,
        reason=f"{text} (from week {from_week})", from_week=from_week, to_week=programme.weeks,
        allow_no_change=True, field="load_kg", new_reps=[n[1] for n in new],
    )  # fmt: skip
    suggestion.status = SuggestionStatus.ACCEPTED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = reason.strip()[:300]
    suggestion.save()
    suggestion.applied_from = from_week  # for the page's message; not stored
    return suggestion


@transaction.atomic
def suggestion_dismiss(*, suggestion: Suggestion, by, note: str = ""):
    suggestion = _pending(suggestion)
    programme = Programme.objects.get(pk=suggestion.programme_exercise.programme_id)
    suggestion.status = SuggestionStatus.DISMISSED
    suggestion.decided_by = by
    suggestion.decided_at = timezone.now()
    suggestion.decision_note = note.strip()
    suggestion.save()
    reason = suggestion.message + (f". {suggestion.decision_note}" if note.strip() else "")
    _record(
        programme,
        kind=ChangeKind.DISMISSED,
        by=by,
        reason=reason,
        programme_exercise=suggestion.programme_exercise,
        bump=False,  # the plan did not change
    )
    return suggestion
