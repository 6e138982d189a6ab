"""Writes to assessment visits. Views, the demo and imports call these; nothing else writes visits.

Each validates the whole row (Visit.clean and the database constraints) before saving, and
computes the Tinetti subtotals from the lines with tinetti.score: nobody types a total.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from patients.models import User
from programmes.models import Programme

from . import tinetti
from .models import Visit

# Passed as `tinetti_lines` to keep a visit's Tinetti test as it is.
UNCHANGED = object()


def _set_tinetti(visit: Visit, lines: Mapping[str, int] | None) -> None:
    """Store the 20 lines and their subtotals, or clear them all (test not done)."""
    if lines is None:
        for code in tinetti.CODES:
            setattr(visit, code, None)
        visit.tinetti_balance = visit.tinetti_gait = visit.tinetti_total = None
        return
    try:
        result = tinetti.score(lines)
    except ValueError as error:
        code = str(error).split(":", 1)[0]
        field = code if code in tinetti.ITEMS_BY_CODE else "__all__"
        raise ValidationError({field: str(error)}) from error
    for code in tinetti.CODES:
        setattr(visit, code, lines[code])
    visit.tinetti_balance, visit.tinetti_gait = result.balance, result.gait
    visit.tinetti_total = result.total


def _save(visit: Visit, *, by: User | None) -> Visit:
    visit._history_user = by  # who made the change, also when no request is at hand
    visit.full_clean()
    try:
        with transaction.atomic():
            visit.save()
    except IntegrityError:
        # Another request saved the same timepoint between our check and our write: report
        # it at the field like any other refusal (full_clean now sees the clash).
        visit.full_clean()
        raise
    return visit


@transaction.atomic
def visit_record(
    *,
    programme: Programme,
    by: User | None,
    timepoint: str,
    assessed_on,
    assessor: User | None = None,
    tinetti_lines: Mapping[str, int] | None = None,
    notes: str = "",
    **measures,
) -> Visit:
    """Record a visit of `programme`'s patient; `tinetti_lines` None means no Tinetti test."""
    visit = Visit(
        clinic_id=programme.clinic_id,
        patient_id=programme.patient_id,
        programme=programme,
        timepoint=timepoint,
        assessed_on=assessed_on,
        assessor=assessor or by,
        notes=notes.strip(),
        **measures,
    )
    _set_tinetti(visit, tinetti_lines)
    return _save(visit, by=by)


@transaction.atomic
def visit_update(*, visit: Visit, by: User | None, tinetti_lines=UNCHANGED, **fields) -> Visit:
    """Correct a visit. History keeps every changed line: who, when, old and new value."""
    for name, value in fields.items():
        if name in tinetti.CODES or name.startswith("tinetti_"):
            raise ValueError(f"{name}: pass Tinetti lines as tinetti_lines, all 20 together")
        setattr(visit, name, value.strip() if name == "notes" else value)
    if tinetti_lines is not UNCHANGED:
        _set_tinetti(visit, tinetti_lines)
    return _save(visit, by=by)
