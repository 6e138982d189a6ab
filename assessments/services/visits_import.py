"""Importing past visits from the long CSV (imports.parse checks each row first): every row
saved, or none, at bulk speed (visits_import_work; docs/decisions/0006-bulk-import.md)."""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from patients.kept_pages import clinic_records_changed
from patients.models import Clinic, User

from ..imports import ImportRefused, ImportRow
from ..models import ImportRun, StsConvention
from .visits_import_rows import how_to
from .visits_import_work import IMPORTED_NAME, IMPORTED_PROGRAMME_NAME, ImportWork

__all__ = ["IMPORTED_NAME", "IMPORTED_PROGRAMME_NAME", "ANOTHER_IMPORT_RUNNING", "visits_import"]

# The first key of the PostgreSQL advisory lock an import holds on its clinic (the second is
# the clinic's pk): any number no other lock of the app uses.
IMPORT_LOCK = 16_0001
ANOTHER_IMPORT_RUNNING = (
    "Another import into this clinic is running. Nothing was saved from this file: wait for "
    "the other import to finish, then import this file again (visits it has already recorded "
    "are left as they are)."
)
CHANGED_MEANWHILE = (
    "The clinic's records changed while this file was imported ({detail}). Nothing was "
    "saved: import the file again."
)


def _one_import_at_a_time(clinic: Clinic) -> None:
    """Refuse a second import into the clinic while one runs (a double-submitted upload, a
    scheduled job started twice). A lock of its own, held to the end of the transaction:
    locking the clinic's row would hold up every other write in the clinic meanwhile. SQLite
    lets one transaction write at a time in any case."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [IMPORT_LOCK, clinic.pk])
        (taken,) = cursor.fetchone()
    if not taken:
        raise ImportRefused([(0, ANOTHER_IMPORT_RUNNING)])


@transaction.atomic
def visits_import(
    *,
    clinic: Clinic,
    by: User,
    rows: list[ImportRow],
    filename: str,
    sha256: str,
    create_patients: bool = False,
    sts_convention: str = "",
    via_command: bool = False,
) -> ImportRun:
    """Import checked rows (imports.parse) into the clinic: all of them, or nothing.

    Raises ImportRefused listing every row that cannot be saved, with its line and the reason.
    A visit already recorded with the same values is left as it is, so a file can be imported
    again without duplicating anything.
    """
    if not (by.is_clinic_staff and by.clinic_id == clinic.pk):
        raise ValidationError("The import must be made by a member of this clinic's staff.")
    if sts_convention and sts_convention not in StsConvention.values:
        raise ValidationError(f"Unknown sit-to-stand timing {sts_convention!r}.")
    needs_convention = [
        r
        for r in rows
        if r.measures.get("sts_seconds") is not None and not r.measures.get("sts_convention")
    ]
    if needs_convention and not sts_convention:
        raise ImportRefused(
            [
                (
                    row.line,
                    "sts5_s needs its timing convention, which the file does not say: "
                    f"{how_to('sts_convention', via_command=via_command)}.",
                )
                for row in needs_convention
            ]
        )
    _one_import_at_a_time(clinic)
    work = ImportWork(
        clinic=clinic,
        by=by,
        rows=rows,
        filename=filename,
        create_patients=create_patients,
        sts_convention=sts_convention,
        via_command=via_command,
    )
    try:
        patients = work.patients()
        programmes = work.programmes(patients)
        created, unchanged = work.visits(programmes, patients)
    except IntegrityError as error:
        # The checks above let through only what another writer put in meanwhile (the
        # constraints stand behind them): a patient registered, a visit recorded.
        detail = str(error).strip().splitlines()[0][:200]
        raise ImportRefused([(0, CHANGED_MEANWHILE.format(detail=detail))]) from error
    if work.errors:
        raise ImportRefused(work.errors)  # the transaction rolls everything back
    # Bulk inserts send no signals: say once, after commit, that the clinic's pages are stale.
    transaction.on_commit(partial(clinic_records_changed, clinic.pk), robust=True)
    return ImportRun.objects.create(
        clinic=clinic,
        user=by,
        filename=filename[:255],
        sha256=sha256,
        rows=len(rows),
        visits_created=created,
        visits_unchanged=unchanged,
        patients_created=work.patients_created,
        programmes_created=work.programmes_created,
        via_command=via_command,
    )
