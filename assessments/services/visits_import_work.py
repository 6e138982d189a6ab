"""One import's work, at bulk speed: what the clinic already has is read once for the whole
file (never once per row), each new patient, programme and visit is checked in Python as a save
would check it, and they are written by bulk inserts with their history rows.

The checks are the model's own (full_clean), less the look-ups it would make one row at a time
and this module makes once for the file: the related rows exist (they were read or just
written here), no other patient has the study ID, no other visit has the timepoint. The
database constraints stand behind every one of them. Why: docs/decisions/0006-bulk-import.md.
"""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from patients.models import Aetiology, Patient
from programmes.models import RECORDED_VISIT_FIELDS, Programme, ProgrammeStatus
from programmes.selectors import programme_end_date

from ..imports import ImportRow
from ..models import Timepoint, Visit
from .bulk_writes import CHUNK, create_with_history, in_chunks
from .visits import _set_tinetti
from .visits_import_rows import differences, how_to, messages

IMPORTED_NAME = "(imported)"
IMPORTED_PROGRAMME_NAME = "Imported past programme"
BATCH = 1000  # new visits held at a time before they are written: memory stays flat

# Related rows, read or written by this import: checking each again would be a query per row.
PATIENT_LINKS = ["clinic", "responsible_clinician"]
PROGRAMME_LINKS = ["clinic", "patient", "template", "created_by"]
VISIT_LINKS = ["clinic", "patient", "programme", "assessor"]


def _date_of_birth_for(age: int, on: date) -> date:
    """A date of birth giving exactly `age` on `on` (the birthday falls on that day)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:  # 29 February in a year that has none
        return on.replace(year=on.year - age, day=28)


class ImportWork:
    """One import's working state: the rows, what the clinic already has, and every error.

    Each step goes on after a refused row, so one pass lists every problem of the file; the
    caller's transaction throws away whatever was written when there is any."""

    def __init__(self, *, clinic, by, rows, filename, create_patients, sts_convention, via_command):
        self.clinic, self.by, self.rows = clinic, by, rows
        self.via_command = via_command
        self.filename, self.create_patients = filename, create_patients
        self.sts_convention = sts_convention
        self.errors: list[tuple[int, str]] = []
        self.patients_created = self.programmes_created = 0
        self.registered: set[str] = set()  # study IDs this import registered
        self.new_programmes: set[int] = set()  # their pks: they have no visits yet
        self.today = timezone.localdate()

    def say(self, choice: str) -> str:
        """How to make `choice` at the door the import came through."""
        return how_to(choice, via_command=self.via_command)

    def error(self, row: ImportRow, message: str) -> None:
        self.errors.append((row.line, message))

    # --- patients ----------------------------------------------------------------------------

    def patients(self) -> dict[str, Patient]:
        by_study_id = defaultdict(list)
        for row in self.rows:
            by_study_id[row.study_id].append(row)
        in_clinic = Patient.objects.filter(clinic=self.clinic)
        known = {p.study_id: p for p in in_chunks(in_clinic, "study_id", by_study_id)}
        new = []
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
            patient = self._new_patient(study_id, rows)
            if patient is not None:
                new.append(patient)
        for patient in create_with_history(Patient, new, by=self.by):
            known[patient.study_id] = patient
            self.registered.add(patient.study_id)
        self.patients_created = len(new)
        return known

    def _new_patient(self, study_id: str, rows: list[ImportRow]) -> Patient | None:
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
        notes = (
            f"Registered by the import of {self.filename} on {self.today:%Y-%m-%d}. "
            f"The names are placeholders and the date of birth is estimated from the age "
            f"({first.age}) at the first programme's start"
        )
        aetiology_other = ""
        if not values["aetiology"]:
            values["aetiology"], aetiology_other = Aetiology.OTHER, "Not in the imported file"
            notes += "; the aetiology was not in the file"
        patient = Patient(
            study_id=study_id,
            given_name=IMPORTED_NAME,
            family_name=IMPORTED_NAME,
            date_of_birth=_date_of_birth_for(first.age, first.assessed_on),
            aetiology_other=aetiology_other,
            notes=notes + ". Correct them from the clinical record.",
            responsible_clinician=self.by,  # as patient_register does for staff
            **values,
        )
        # Checked before it is given its clinic: with one, Patient.clean asks the database
        # whether the study ID is taken, which the look-up in patients() has answered for the
        # whole file (the unique constraints stand behind it).
        if not self._checked(patient, PATIENT_LINKS, first, f"Registering {study_id}"):
            return None
        patient.clinic = self.clinic
        return patient

    # --- programmes --------------------------------------------------------------------------

    def programmes(self, patients: dict[str, Patient]) -> dict[tuple[str, int], Programme]:
        existing = defaultdict(list)
        already = [p.pk for study_id, p in patients.items() if study_id not in self.registered]
        # Locked as a visit's save locks its programme (services.visits): the "visits due"
        # fields are set from the visits each programme has.
        ordered = Programme.objects.select_for_update(no_key=True).order_by("start_date", "pk")
        for programme in in_chunks(ordered, "patient_id", already):
            existing[programme.patient_id].append(programme)
        baselines, timepoints = {}, defaultdict(set)
        for row in self.rows:
            if row.timepoint == Timepoint.BASELINE:
                baselines.setdefault((row.study_id, row.programme), row)
            timepoints[(row.study_id, row.programme)].add(row.timepoint)
        found: dict[tuple[str, int], Programme] = {}
        new = []
        for row in self.rows:
            patient = patients.get(row.study_id)
            key = (row.study_id, row.programme)
            if patient is None or key in found:
                continue
            theirs = existing[patient.pk]
            if row.programme <= len(theirs):
                found[key] = theirs[row.programme - 1]
            elif row.study_id in self.registered:
                programme = self._new_programme(patient, row, baselines.get(key), timepoints[key])
                if programme is not None:
                    found[key] = programme
                    new.append(programme)
            else:
                self.error(
                    row,
                    f"{row.study_id} has no programme {row.programme} in this clinic (they "
                    f"have {len(theirs)}). Assign it in the app first.",
                )
        create_with_history(Programme, new, by=self.by)
        self.new_programmes = {programme.pk for programme in new}
        self.programmes_created = len(new)
        return found

    def _new_programme(self, patient, row, baseline, timepoints) -> Programme | None:
        """A closed programme in the row's arm, starting on its baseline visit's date."""
        if baseline is None:
            self.error(
                row,
                f"{row.study_id}'s programme {row.programme} has no baseline row: an imported "
                "programme starts on its baseline visit's date.",
            )
            return None
        programme = Programme(
            clinic=self.clinic,
            patient=patient,
            name=IMPORTED_PROGRAMME_NAME,
            arm=baseline.arm,
            start_date=baseline.assessed_on,
            status=ProgrammeStatus.COMPLETED,
            notes=f"Imported from {self.filename}: its visits only, no exercise plan.",
            created_by=self.by,
            # Which scheduled visits it has: those of the file, all saved or the import fails.
            **{field: t in timepoints for t, field in RECORDED_VISIT_FIELDS.items()},
        )
        # It ended with its last week (the programme's own length), or today if that is later.
        programme.ended_on = min(programme_end_date(programme), self.today)
        if not self._checked(programme, PROGRAMME_LINKS, row, f"Programme of {row.study_id}"):
            return None
        return programme

    def _checked(self, instance, links, row, what: str) -> bool:
        """The model's own checks, less the look-ups the import answers for the whole file (the
        links, uniqueness, the constraints' queries); each problem reported on `row`."""
        try:
            instance.full_clean(exclude=links, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in messages(error):
                self.error(row, f"{what}: {message}")
            return False
        return True

    # --- visits ------------------------------------------------------------------------------

    def visits(self, programmes, patients) -> tuple[int, int]:
        already = [p.pk for p in programmes.values() if p.pk not in self.new_programmes]
        existing = {}
        for visit in in_chunks(Visit.objects.all(), "programme_id", already):
            existing[_visit_key(visit.programme_id, visit.timepoint, visit.assessed_on)] = visit
        recorded = defaultdict(set)  # programme pk -> its timepoints, once the file is in
        for programme_id, timepoint, _ in existing:
            recorded[programme_id].add(timepoint)
        created = unchanged = 0
        batch = []
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
            visit = existing.get(_visit_key(programme.pk, row.timepoint, row.assessed_on))
            if visit is not None:
                found = differences(visit, row)
                if found:
                    self.error(
                        row,
                        f"{row.study_id}'s {visit.get_timepoint_display().lower()} visit is "
                        f"already recorded with other values ({'; '.join(found)}). "
                        "Correct it in the app, or the file.",
                    )
                else:
                    unchanged += 1
                continue
            visit = self._new_visit(row, programme, patients[row.study_id])
            if visit is None:
                continue
            created += 1
            recorded[programme.pk].add(row.timepoint)
            batch.append(visit)
            if len(batch) >= BATCH:
                self._write(batch)
                batch = []
        self._write(batch)
        self._note_scheduled_visits(programmes, recorded)
        return created, unchanged

    def _new_visit(self, row: ImportRow, programme: Programme, patient: Patient) -> Visit | None:
        """The visit as services.visit_record would save it, checked by the same full_clean."""
        measures = dict(row.measures)
        if measures.get("sts_seconds") is not None and not measures.get("sts_convention"):
            measures["sts_convention"] = self.sts_convention  # the file does not say
        visit = Visit(
            clinic_id=programme.clinic_id,
            patient=patient,
            programme=programme,
            timepoint=row.timepoint,
            assessed_on=row.assessed_on,
            assessor=self.by,
            deviation_reason=row.deviation_reason.strip(),
            **measures,
        )
        visit.duplicates_checked = True  # against the file (imports.parse) and `existing`
        try:
            _set_tinetti(visit, row.tinetti_lines)
            visit.full_clean(exclude=VISIT_LINKS, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for message in messages(error):
                self.error(row, message)
            return None
        return visit

    def _write(self, visits: list[Visit]) -> None:
        if visits and not self.errors:  # with an error nothing is kept: stop writing
            create_with_history(Visit, visits, by=self.by)

    def _note_scheduled_visits(self, programmes, recorded) -> None:
        """The has_*_visit fields of the programmes that were there before, as
        services.visits keeps them: one UPDATE per combination, not per programme."""
        fields = list(RECORDED_VISIT_FIELDS.values())
        changed = defaultdict(list)
        for programme in {p.pk: p for p in programmes.values()}.values():
            if programme.pk in self.new_programmes:
                continue  # created with them
            now = tuple(t in recorded[programme.pk] for t in RECORDED_VISIT_FIELDS)
            if now != tuple(getattr(programme, field) for field in fields):
                changed[now].append(programme.pk)
        for flags, pks in changed.items():
            for start in range(0, len(pks), CHUNK):
                Programme.objects.filter(pk__in=pks[start : start + CHUNK]).update(
                    **dict(zip(fields, flags, strict=True))
                )


def _visit_key(programme_id, timepoint, assessed_on) -> tuple:
    day = None if timepoint in ("baseline", "week6", "week12") else assessed_on
    return (programme_id, timepoint, day)
