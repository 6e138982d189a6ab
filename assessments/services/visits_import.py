"""Importing past visits from the long CSV (imports.parse checks each row first): every row
saved, or none."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from patients import services as patient_services
from patients.models import Aetiology, Clinic, Patient, User
from programmes.models import Programme, ProgrammeStatus
from programmes.selectors import programme_end_date

from ..imports import ImportRefused, ImportRow
from ..models import LATE_VISIT, ImportRun, StsConvention, Timepoint, Visit
from .visits import visit_record

IMPORTED_NAME = "(imported)"
IMPORTED_PROGRAMME_NAME = "Imported past programme"


def _date_of_birth_for(age: int, on: date) -> date:
    """A date of birth giving exactly `age` on `on` (the birthday falls on that day)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - age, day=28)


def _messages(error: ValidationError) -> list[str]:
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    found = []
    for name, errors in error.error_dict.items():
        prefix = "" if name == "__all__" else f"{name}: "
        for each in errors:
            if each.code == LATE_VISIT:  # the file's way to give the reason, not the form's
                message = f"{each.params['late']} Give it in the deviation_reason column."
            else:
                message = next(iter(each))
            found.append(f"{prefix}{message}")
    return found


class _Import:
    """One import's working state: the rows, what the clinic already has, and every error."""

    def __init__(self, *, clinic, by, rows, filename, create_patients, sts_convention, via_command):
        self.clinic, self.by, self.rows = clinic, by, rows
        self.via_command = via_command
        self.filename, self.create_patients = filename, create_patients
        self.sts_convention = sts_convention
        self.errors: list[tuple[int, str]] = []
        self.patients_created = self.programmes_created = 0
        self.registered: set[str] = set()  # study IDs this import registered

    def say(self, choice: str) -> str:
        """How to make `choice` at the door the import came through."""
        return _how_to(choice, via_command=self.via_command)

    def error(self, row: ImportRow, message: str) -> None:
        self.errors.append((row.line, message))

    def patients(self) -> dict[str, Patient]:
        by_study_id = defaultdict(list)
        for row in self.rows:
            by_study_id[row.study_id].append(row)
        known = {
            p.study_id: p
            for p in Patient.objects.filter(clinic=self.clinic, study_id__in=list(by_study_id))
        }
        for study_id, rows in by_study_id.items():
            if study_id in known:
                continue
            if not self.create_patients:
                for row in rows:
                    self.error(
                        row,
                        f"Study ID {study_id} is not registered in this clinic. Register the "
                        f"patient first, or {self.say('create_patients')}.",
                    )
                continue
            patient = self._register(study_id, rows)
            if patient is not None:
                known[study_id] = patient
        return known

    def _register(self, study_id: str, rows: list[ImportRow]) -> Patient | None:
        """The patient with that study ID alone: placeholders, clearly marked, for the rest."""
        first = min(
            rows, key=lambda r: (r.programme, r.timepoint != Timepoint.BASELINE, r.assessed_on)
        )
        values = {}
        for name in ("sex", "aetiology"):
            found = {getattr(r, name) for r in rows if getattr(r, name)}
            if len(found) > 1:
                self.error(first, f"The rows of {study_id} disagree on {name}: {sorted(found)}.")
                return None
            values[name] = found.pop() if found else ""
        if not values["sex"]:
            self.error(first, f"sex is needed to register {study_id} (the record requires it).")
            return None
        if first.age is None or first.timepoint != Timepoint.BASELINE:
            self.error(
                first,
                f"To register {study_id}, their first programme needs a baseline row with the "
                "age (the record needs a date of birth, estimated from the age at the start).",
            )
            return None
        born = _date_of_birth_for(first.age, first.assessed_on)
        notes = (
            f"Registered by the import of {self.filename} on {timezone.localdate():%Y-%m-%d}. "
            f"The names are placeholders and the date of birth is estimated from the age "
            f"({first.age}) at the first programme's start"
        )
        aetiology_other = ""
        if not values["aetiology"]:
            values["aetiology"], aetiology_other = Aetiology.OTHER, "Not in the imported file"
            notes += "; the aetiology was not in the file"
        try:
            with transaction.atomic():
                patient = patient_services.patient_register(
                    clinic=self.clinic,
                    by=self.by,
                    study_id=study_id,
                    given_name=IMPORTED_NAME,
                    family_name=IMPORTED_NAME,
                    date_of_birth=born,
                    aetiology_other=aetiology_other,
                    notes=notes + ". Correct them from the clinical record.",
                    **values,
                )
        except ValidationError as error:
            for message in _messages(error):
                self.error(first, f"Registering {study_id}: {message}")
            return None
        self.patients_created += 1
        self.registered.add(study_id)
        return patient

    def programmes(self, patients: dict[str, Patient]) -> dict[tuple[str, int], Programme]:
        existing = defaultdict(list)
        for programme in Programme.objects.filter(patient__in=list(patients.values())).order_by(
            "start_date", "pk"
        ):
            existing[programme.patient_id].append(programme)
        found: dict[tuple[str, int], Programme] = {}
        for row in self.rows:
            patient = patients.get(row.study_id)
            key = (row.study_id, row.programme)
            if patient is None or key in found:
                continue
            theirs = existing[patient.pk]
            if row.programme <= len(theirs):
                found[key] = theirs[row.programme - 1]
            elif row.study_id in self.registered:
                programme = self._historical_programme(patient, row)
                if programme is not None:
                    found[key] = programme
            else:
                self.error(
                    row,
                    f"{row.study_id} has no programme {row.programme} in this clinic (they "
                    f"have {len(theirs)}). Assign it in the app first.",
                )
        return found

    def _historical_programme(self, patient: Patient, row: ImportRow) -> Programme | None:
        """A closed programme in the row's arm, starting on its baseline visit's date."""
        baseline = next(
            (
                r
                for r in self.rows
                if r.study_id == row.study_id
                and r.programme == row.programme
                and r.timepoint == Timepoint.BASELINE
            ),
            None,
        )
        if baseline is None:
            self.error(
                row,
                f"{row.study_id}'s programme {row.programme} has no baseline row: an imported "
                "programme starts on its baseline visit's date.",
            )
            return None
        start = baseline.assessed_on
        programme = Programme(
            clinic=self.clinic,
            patient=patient,
            name=IMPORTED_PROGRAMME_NAME,
            arm=baseline.arm,
            start_date=start,
            status=ProgrammeStatus.COMPLETED,
            notes=f"Imported from {self.filename}: its visits only, no exercise plan.",
            created_by=self.by,
        )
        # It ended with its last week (the programme's own length), or today if that is later.
        programme.ended_on = min(programme_end_date(programme), timezone.localdate())
        programme._history_user = self.by
        try:
            programme.full_clean()
        except ValidationError as error:
            for message in _messages(error):
                self.error(row, f"Programme of {row.study_id}: {message}")
            return None
        programme.save()
        self.programmes_created += 1
        return programme

    def visits(self, programmes) -> tuple[int, int]:
        existing = {}
        for visit in Visit.objects.filter(programme__in=list(programmes.values())):
            existing[_visit_key(visit.programme_id, visit.timepoint, visit.assessed_on)] = visit
        created = unchanged = 0
        for row in self.rows:
            programme = programmes.get((row.study_id, row.programme))
            if programme is None:
                continue
            if programme.arm != row.arm:
                self.error(
                    row,
                    f"arm {row.arm!r}, but {row.study_id}'s programme {row.programme} is in "
                    f"the {programme.arm} arm.",
                )
                continue
            measures = dict(row.measures)
            if measures.get("sts_seconds") is not None and not measures.get("sts_convention"):
                measures["sts_convention"] = self.sts_convention  # the file does not say
            visit = existing.get(_visit_key(programme.pk, row.timepoint, row.assessed_on))
            if visit is not None:
                differences = _differences(visit, row)
                if differences:
                    self.error(
                        row,
                        f"{row.study_id}'s {visit.get_timepoint_display().lower()} visit is "
                        f"already recorded with other values ({'; '.join(differences)}). "
                        "Correct it in the app, or the file.",
                    )
                else:
                    unchanged += 1
                continue
            try:
                visit_record(
                    programme=programme,
                    by=self.by,
                    timepoint=row.timepoint,
                    assessed_on=row.assessed_on,
                    tinetti_lines=row.tinetti_lines,
                    deviation_reason=row.deviation_reason,
                    **measures,
                )
            except ValidationError as error:
                for message in _messages(error):
                    self.error(row, message)
            else:
                created += 1
        return created, unchanged


# Each choice an import needs, as each door offers it: the command's flags, the page's controls.
_HOW_TO = {
    "create_patients": (
        "import with --create-patients",
        "tick “Register unknown patients” on this page and import again",
    ),
    "sts_convention": (
        "choose it for the whole file with --sts-convention fifth_stand or fifth_sit",
        "choose “Sit-to-stand timing in this file” on this page for the whole file",
    ),
}


def _how_to(choice: str, *, via_command: bool) -> str:
    command, page = _HOW_TO[choice]
    return command if via_command else page


def _visit_key(programme_id, timepoint, assessed_on) -> tuple:
    day = None if timepoint in ("baseline", "week6", "week12") else assessed_on
    return (programme_id, timepoint, day)


def _differences(visit: Visit, row: ImportRow) -> list[str]:
    """What the file says that the recorded visit does not (the file's columns only)."""
    found = []
    if visit.assessed_on != row.assessed_on:
        found.append(f"assessed_on {row.assessed_on} here, {visit.assessed_on} recorded")
    if visit.tinetti_answers != row.tinetti_lines:
        found.append(
            f"Tinetti total {_total(row.tinetti_lines)} here, "
            f"{visit.tinetti_total if visit.tinetti_total is not None else 'not done'} recorded"
        )
    if visit.deviation_reason != row.deviation_reason:
        found.append(
            f"deviation_reason {_shown(row.deviation_reason or None)!s} here, "
            f"{_shown(visit.deviation_reason or None)} recorded"
        )
    recorded = {
        "walk_distance_m": visit.walk_distance_m,
        "chair_stands": visit.chair_score,
        "sts_seconds": visit.sts_seconds,
        "pain_nrs": visit.pain_nrs,
        "height_cm": visit.height_cm,
        "weight_kg": visit.weight_kg,
    }
    for name, value in recorded.items():
        if value != row.measures.get(name):
            found.append(f"{name} {_shown(row.measures.get(name))} here, {_shown(value)} recorded")
    # How the measures were taken: only when the file says (an older file has no such columns).
    for name in ("sts_convention", "chair_arms_needed", "walk_aid"):
        if name in row.measures and row.measures[name] != getattr(visit, name):
            found.append(
                f"{name} {_shown(row.measures[name])} here, {_shown(getattr(visit, name))} recorded"
            )
    return found


def _total(lines) -> str:
    return str(sum(lines.values())) if lines else "not done"


def _shown(value) -> str:
    return "empty" if value is None else str(value)


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
                    f"{_how_to('sts_convention', via_command=via_command)}.",
                )
                for row in needs_convention
            ]
        )
    # One import per clinic at a time: a second (a double-submitted upload, a scheduled job
    # running twice) waits here, then finds the visits recorded and adds nothing. The unique
    # constraints on visits stand behind this should anything else write at the same time.
    Clinic.objects.select_for_update().filter(pk=clinic.pk).first()
    work = _Import(
        clinic=clinic,
        by=by,
        rows=rows,
        filename=filename,
        create_patients=create_patients,
        sts_convention=sts_convention,
        via_command=via_command,
    )
    patients = work.patients()
    programmes = work.programmes(patients)
    created, unchanged = work.visits(programmes)
    if work.errors:
        raise ImportRefused(work.errors)  # the transaction rolls everything back
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
