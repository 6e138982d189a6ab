"""Writes to assessment visits. Views, the demo and imports call these; nothing else writes visits.

Each validates the whole row (Visit.clean and the database constraints) before saving, and
computes the Tinetti subtotals from the lines with tinetti.score: nobody types a total.
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from patients.models import User
from programmes.models import RECORDED_VISIT_FIELDS, Programme

from .. import tinetti
from ..models import Visit

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


def _save_visit(visit: Visit, *, by: User | None) -> Visit:
    visit._history_user = by  # who made the change, also when no request is at hand
    visit.full_clean()
    try:
        with transaction.atomic():
            # One visit write at a time per programme: two visits recorded at once would each
            # see only itself when marking the programme's has_*_visit fields. FOR NO KEY
            # UPDATE, as the visit's own foreign key takes a key-share lock on the same row.
            Programme.objects.select_for_update(no_key=True).filter(
                pk=visit.programme_id
            ).values_list("pk").first()
            visit.save()
            _note_scheduled_visits(visit.programme_id)
    except IntegrityError:
        # Another request saved the same timepoint between our check and our write: report
        # it at the field like any other refusal (full_clean now sees the clash).
        visit.full_clean()
        raise
    return visit


def _note_scheduled_visits(programme_id: int) -> None:
    """Keep the programme's has_*_visit fields, which the "visits due" query reads, in step with
    the visits it has (a correction may move a visit to another timepoint)."""
    recorded = set(
        Visit.objects.filter(
            programme_id=programme_id, timepoint__in=RECORDED_VISIT_FIELDS
        ).values_list("timepoint", flat=True)
    )
    Programme.objects.filter(pk=programme_id).update(
        **{field: timepoint in recorded for timepoint, field in RECORDED_VISIT_FIELDS.items()}
    )


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
    deviation_reason: str = "",
    **measures,
) -> Visit:
    """Record a visit of `programme`'s patient; `tinetti_lines` None means no Tinetti test.
    A week-6 or week-12 visit after its window is saved only with `deviation_reason`."""
    visit = Visit(
        clinic_id=programme.clinic_id,
        patient_id=programme.patient_id,
        programme=programme,
        timepoint=timepoint,
        assessed_on=assessed_on,
        assessor=assessor or by,
        notes=notes.strip(),
        deviation_reason=deviation_reason.strip(),
        **measures,
    )
    _set_tinetti(visit, tinetti_lines)
    return _save_visit(visit, by=by)


def _stored_values(visit: Visit) -> dict:
    return {
        f.attname: f.value_from_object(visit)
        for f in Visit._meta.concrete_fields
        if f.attname not in ("updated_at",)
    }


@transaction.atomic
def visit_update(*, visit: Visit, by: User | None, tinetti_lines=UNCHANGED, **fields) -> Visit:
    """Correct a visit. History keeps every changed line: who, when, old and new value.

    Sets `visit.changed_fields` to the fields that differ; when none does, nothing is written
    (no save, no history row), so a form saved unchanged leaves no trace."""
    moved = {"clinic", "patient", "programme"} & set(fields)
    if moved:  # a visit belongs where it was recorded (its programme keeps which it has)
        raise ValueError(f"{', '.join(sorted(moved))}: a visit cannot be moved, only corrected")
    # Compared with the row as stored, not `visit`: a bound form has already set its values on
    # the instance it was given, which would make every correction look like no change.
    before = _stored_values(Visit.objects.get(pk=visit.pk))
    for name, value in fields.items():
        if name in tinetti.CODES or name.startswith("tinetti_"):
            raise ValueError(f"{name}: pass Tinetti lines as tinetti_lines, all 20 together")
        setattr(visit, name, value.strip() if name in ("notes", "deviation_reason") else value)
    if tinetti_lines is not UNCHANGED:
        _set_tinetti(visit, tinetti_lines)
    visit.full_clean()  # normalises too (e.g. the reason's spaces) before comparing
    after = _stored_values(visit)
    visit.changed_fields = [name for name, value in after.items() if before[name] != value]
    if not visit.changed_fields:
        return visit
    return _save_visit(visit, by=by)
