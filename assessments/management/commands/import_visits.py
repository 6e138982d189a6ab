import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments import imports, services
from assessments.models import StsConvention
from patients.models import Clinic, Role, User


class Command(BaseCommand):
    help = (
        "Import past visits from a long CSV (the long export's format) into a clinic: all rows "
        "or none. Importing the same file again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The long CSV file (UTF-8).")
        parser.add_argument("--clinic", required=True, help="The clinic's short name (slug).")
        parser.add_argument(
            "--create-patients",
            action="store_true",
            help="Register unknown study IDs (placeholder names, date of birth from the age) "
            "with a past programme in the row's arm, starting on its baseline date.",
        )
        parser.add_argument(
            "--sts-convention",
            choices=StsConvention.values,
            default="",
            help=(
                "When the sit-to-stand timer was stopped, for rows with a time but no "
                "sts_convention of their own (older files)."
            ),
        )
        parser.add_argument(
            "--user",
            help="Username recorded as the assessor and author (default: the clinic's first "
            "active admin).",
        )

    def handle(self, *args, **options):
        clinic = Clinic.objects.filter(slug=options["clinic"]).first()
        if clinic is None:
            raise CommandError(f"No clinic with the short name {options['clinic']!r}.")
        by = self._user(clinic, options["user"])
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from error
        try:
            rows = imports.parse(imports.read_text(raw), clinic_slug=clinic.slug)
            run = services.visits_import(
                clinic=clinic,
                by=by,
                rows=rows,
                filename=path.name,
                sha256=hashlib.sha256(raw).hexdigest(),
                create_patients=options["create_patients"],
                sts_convention=options["sts_convention"],
                via_command=True,
            )
        except imports.ImportRefused as refused:
            for line, message in refused.errors:
                self.stderr.write(f"line {line}: {message}" if line else message)
            raise CommandError(
                f"Nothing was imported: {len(refused.errors)} problem(s) to correct."
            ) from refused
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(self.style.SUCCESS(run.summary))

    def _user(self, clinic, username) -> User:
        staff = User.objects.filter(
            clinic=clinic, is_active=True, role__in=[Role.ADMIN, Role.CLINICIAN]
        )
        if username:
            user = staff.filter(username=username).first()
            if user is None:
                raise CommandError(f"{username!r} is not an active member of {clinic}'s staff.")
            return user
        user = staff.filter(role=Role.ADMIN).order_by("date_joined", "pk").first()
        if user is None:
            raise CommandError(f"{clinic} has no active admin: name the importer with --user.")
        return user
