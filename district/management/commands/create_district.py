import getpass
import os
import secrets
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from district.services import district_create


class Command(BaseCommand):
    help = (
        "Create a health district, assign clinics to it by short name, and create its district "
        "lead (who sees the clinics' figures side by side, never a patient)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The district's name.")
        parser.add_argument(
            "--clinic",
            action="append",
            default=[],
            dest="clinics",
            metavar="SLUG",
            help="A clinic's short name; repeat for each clinic of the district.",
        )
        parser.add_argument("--lead-username", required=True)
        parser.add_argument("--lead-email", default="")
        parser.add_argument(
            "--password-from-env",
            metavar="VARIABLE",
            help="Read the lead's password from this environment variable (for scripts).",
        )
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Do not ask for a password: generate one and print it once.",
        )

    def handle(self, *args, **options):
        password, generated = self._password(options)
        try:
            district, lead = district_create(
                name=options["name"],
                clinic_slugs=options["clinics"],
                lead_username=options["lead_username"],
                lead_email=options["lead_email"],
                lead_password=password,
            )
        except ValidationError as error:
            raise CommandError("; ".join(_messages(error))) from error
        clinics = ", ".join(c.slug for c in district.clinics.order_by("slug")) or "none yet"
        self.stdout.write(self.style.SUCCESS(f"Created district {district.name}: {clinics}."))
        if generated:
            self.stdout.write(f"District lead: {lead.username}  password: {password}")
            self.stdout.write("Log in and change the password at once (top right, your username).")
        else:
            self.stdout.write(f"District lead: {lead.username}")

    def _password(self, options) -> tuple[str, bool]:
        """The password and whether it was generated (and so must be printed)."""
        variable = options["password_from_env"]
        if variable:
            password = os.environ.get(variable, "")
            if not password:
                raise CommandError(f"The environment variable {variable} is empty or not set.")
            return password, False
        if not options["no_input"] and sys.stdin.isatty():
            password = getpass.getpass("Password for the district lead: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")
            return password, False
        return secrets.token_urlsafe(12), True


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return error.messages
