from datetime import date

from django.core.management.base import BaseCommand, CommandError

from assessments import exports, services
from assessments.models import ExportKind
from assessments.outcome_filters import DEVIATION_CHOICES, DEVIATIONS_INCLUDED, OutcomeFilters
from patients.models import Aetiology, Clinic
from programmes.models import ProgrammeStatus


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"{text!r} is not a date written as YYYY-MM-DD.") from error


class Command(BaseCommand):
    help = (
        "Export a clinic's outcomes (for scheduled jobs): the long, wide, summary or sessions "
        "CSV, the data dictionary, or the workbook with all of them. Recorded in the export log."
    )

    def add_arguments(self, parser):
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument("--format", required=True, choices=ExportKind.values, dest="kind")
        parser.add_argument(
            "--deidentified",
            action="store_true",
            help="No dates (study day and week instead), ages of 90 and over as 90+.",
        )
        parser.add_argument("--output", help="File to write; standard output when not given.")
        parser.add_argument("--start-from", type=_day, help="Programmes started on or after.")
        parser.add_argument("--start-to", type=_day, help="Programmes started on or before.")
        parser.add_argument("--aetiology", choices=Aetiology.values, default="")
        parser.add_argument("--status", choices=ProgrammeStatus.values, default="")
        parser.add_argument(
            "--deviations",
            choices=[value for value, _ in DEVIATION_CHOICES],
            default=DEVIATIONS_INCLUDED,
            help="Late week-6/12 visits (protocol deviations): include (default) or exclude.",
        )

    def handle(self, *args, **options):
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic with the short name {options['clinic']!r}.")
        filters = OutcomeFilters(
            start_from=options["start_from"],
            start_to=options["start_to"],
            aetiology=options["aetiology"],
            status=options["status"],
            deviations=options["deviations"],
        )
        kind, deidentified = options["kind"], options["deidentified"]
        log = services.export_log_start(
            clinic=clinic, by=None, kind=kind, filters=filters.as_json(), deidentified=deidentified
        )
        if kind == ExportKind.XLSX:
            handle, rows = exports.xlsx_tempfile(
                clinic=clinic, filters=filters, deidentified=deidentified
            )
            with handle:
                self._write_binary(handle, options["output"])
        else:
            lines = exports.csv_lines(
                kind, clinic=clinic, filters=filters, deidentified=deidentified
            )
            rows = self._write_text(lines, options["output"])
        services.export_log_finish(log=log, rows=rows)
        if options["output"]:
            self.stderr.write(f"Wrote {rows} rows to {options['output']}.")

    def _write_text(self, lines, output) -> int:
        """Write line by line (the file is never held whole); returns the data rows."""
        count = -1  # the header is not a data row
        target = open(output, "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
        try:
            for line in lines:
                (target or self.stdout._out).write(line)
                count += 1
        finally:
            if target is not None:
                target.close()
        return count

    def _write_binary(self, handle, output) -> None:
        if output:
            with open(output, "wb") as target:
                while chunk := handle.read(64 * 1024):
                    target.write(chunk)
            return
        out = getattr(self.stdout._out, "buffer", None)
        if out is None:
            raise CommandError("Standard output takes no binary data here: use --output FILE.")
        while chunk := handle.read(64 * 1024):
            out.write(chunk)
        out.flush()
