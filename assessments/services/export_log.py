"""The export log: every export is recorded before its first byte leaves."""

from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Clinic, User

from ..models import ExportLog


def export_log_start(
    *, clinic: Clinic, by: User | None, kind: str, filters: dict, deidentified: bool
) -> ExportLog:
    """Record an export before it is sent. Identified files are for clinic admins only (the
    command line, run by the installation's operator, has no user)."""
    if by is not None and not deidentified and not by.is_clinic_admin:
        raise ValidationError("Identified files are for clinic admins; choose de-identified.")
    if by is not None and by.clinic_id != clinic.pk:
        raise ValidationError("Staff export their own clinic's data only.")
    return ExportLog.objects.create(
        clinic=clinic,
        user=by,
        kind=kind,
        filters=filters,
        deidentified=deidentified,
        via_command=by is None,
    )


def export_log_finish(*, log: ExportLog, rows: int) -> ExportLog:
    """The export reached its last row: record how many were written."""
    log.rows, log.finished_at = rows, timezone.now()
    ExportLog.objects.filter(pk=log.pk).update(rows=rows, finished_at=log.finished_at)
    return log
