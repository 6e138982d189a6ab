"""Helpers every programme service shares: the row lock with its version check, and the
plan's history record."""

from decimal import Decimal

from django.core.exceptions import ValidationError

from ..models import (
    PlanChange,
    Programme,
)
from ..progression import strength

STALE = "This programme was changed by someone else meanwhile: review and save again."
DUPLICATE_SESSION = "duplicate_session"


def _kg(value) -> Decimal:
    return Decimal(str(value)).quantize(strength.CENT)


def _lock(programme: Programme, version: int | None) -> Programme:
    locked = Programme.objects.select_for_update().select_related("patient").get(pk=programme.pk)
    if version is not None and locked.version != version:
        raise ValidationError(STALE, code="stale")
    return locked


def _record(
    programme: Programme,
    *,
    kind: str,
    by,
    reason: str,
    programme_exercise=None,
    from_week=None,
    to_week=None,
    loads=(),
    bump: bool = True,
) -> PlanChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Give the reason for the change."})
    if bump:
        programme.version += 1
        # update(), not save(): a version bump is bookkeeping, not a change worth a history row.
        Programme.objects.filter(pk=programme.pk).update(version=programme.version)
    return PlanChange.objects.create(
        programme=programme,
        kind=kind,
        programme_exercise=programme_exercise,
        from_week=from_week,
        to_week=to_week,
        loads=list(loads),
        reason=reason,
        changed_by=by,
        version=programme.version,
    )
