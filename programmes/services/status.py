"""Pause, resume, complete and withdraw: with a reason and a date, nothing deleted."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients import services as patient_services
from patients.services import save_with_history

from ..models import (
    ChangeKind,
    ProgrammeStatus,
    Suggestion,
    SuggestionStatus,
)
from ..selectors import current_programme
from ._common import _lock, _record

# --- Pause, resume, complete, withdraw ---------------------------------------------------------


def _check_day(programme, on: date, *, today: date, not_before: date | None = None):
    if on > today:
        raise ValidationError({"on": "The date cannot be in the future."})
    earliest = max(programme.start_date, not_before or programme.start_date)
    if on < earliest:
        raise ValidationError({"on": f"The date cannot be before {earliest:%d %b %Y}."})


def _close_pause(programme, on: date) -> None:
    """The pause joins the programme's record of pauses; later weeks move on by its length."""
    programme.paused_days += (on - programme.paused_on).days
    programme.pauses = [*programme.pauses, [programme.paused_on.isoformat(), on.isoformat()]]
    programme.paused_on = None


@transaction.atomic
def programme_pause(*, programme, by, reason: str, on: date, version: int | None = None):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise ValidationError("Only an active programme can be paused.")
    _check_day(programme, on, today=today)
    last = programme.sessions.order_by("-date").values_list("date", flat=True).first()
    if last and on <= last:
        raise ValidationError({"on": f"A session is recorded on {last:%d %b %Y}: pause after it."})
    programme.status, programme.paused_on = ProgrammeStatus.PAUSED, on
    save_with_history(programme, by=by)
    _record(programme, kind=ChangeKind.PAUSED, by=by, reason=reason, from_week=None)
    return programme


@transaction.atomic
def programme_resume(*, programme, by, reason: str, on: date, version: int | None = None):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if programme.status != ProgrammeStatus.PAUSED:
        raise ValidationError("Only a paused programme can be resumed.")
    _check_day(programme, on, today=today, not_before=programme.paused_on)
    _close_pause(programme, on)
    programme.status = ProgrammeStatus.ACTIVE
    save_with_history(programme, by=by)
    _record(programme, kind=ChangeKind.RESUMED, by=by, reason=reason)
    return programme


def _end(programme, *, status, kind, by, reason, on, version):
    today = timezone.localdate()
    programme = _lock(programme, version)
    if not programme.is_open:
        raise ValidationError(f"The programme is already {programme.get_status_display().lower()}.")
    _check_day(programme, on, today=today, not_before=programme.paused_on)
    last = programme.sessions.order_by("-date").values_list("date", flat=True).first()
    if last and on < last:
        raise ValidationError({"on": f"A session is recorded on {last:%d %b %Y}: end after it."})
    if programme.status == ProgrammeStatus.PAUSED:
        _close_pause(programme, on)
    programme.status, programme.ended_on = status, on
    save_with_history(programme, by=by)
    # Pending suggestions end with the programme: nobody is left to decide them.
    Suggestion.objects.filter(
        programme_exercise__programme=programme, status=SuggestionStatus.PENDING
    ).update(
        status=SuggestionStatus.DISMISSED,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note="The programme ended.",
    )
    _record(programme, kind=kind, by=by, reason=reason)
    return programme


@transaction.atomic
def programme_complete(*, programme, by, reason: str, on: date, version: int | None = None):
    return _end(
        programme, status=ProgrammeStatus.COMPLETED, kind=ChangeKind.COMPLETED, by=by,
        reason=reason, on=on, version=version,
    )  # fmt: skip


@transaction.atomic
def programme_withdraw(*, programme, by, reason: str, on: date, version: int | None = None):
    return _end(
        programme, status=ProgrammeStatus.WITHDRAWN, kind=ChangeKind.WITHDRAWN, by=by,
        reason=reason, on=on, version=version,
    )  # fmt: skip


@transaction.atomic
def patient_withdraw_from_programme(*, patient, by, reason: str, on: date):
    """Withdraw the patient (patients.services) and end their open programme the same day, so
    a withdrawn patient leaves the flags, the visits due and the session forms. All or nothing."""
    patient_services.patient_withdraw(patient=patient, by=by, reason=reason, on=on)
    programme = current_programme(patient)
    if programme is not None:
        programme_withdraw(programme=programme, by=by, reason=reason, on=on)
    return patient
