import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from patients.services import clinic_create


class Command(BaseCommand):
    help = "Create a clinic and its first admin (the clinic's lead), on a real installation."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The clinic's name.")
        parser.add_argument("--slug", required=True, help="Short name used in exports.")
        parser.add_argument("--time-zone", default="UTC", help="e.g. Africa/Lagos")
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-email", default="")
        parser.add_argument(
            "--no-input",
            action="store_true",
            help="Do not ask for a password: generate one and print it once.",
        )

    def handle(self, *args, **options):
        password = None
        if not options["no_input"] and sys.stdin.isatty():
            password = getpass.getpass("Password for the clinic admin: ")
            if password != getpass.getpass("Password again: "):
                raise CommandError("The two passwords differ.")
        try:
            clinic, admin, password = clinic_create(
                name=options["name"],
                slug=options["slug"],
                time_zone=options["time_zone"],
                admin_username=options["admin_username"],
                admin_email=options["admin_email"],
                admin_password=password,
            )
        except ValidationError as error:
            raise CommandError("; ".join(_messages(error))) from error
        self.stdout.write(self.style.SUCCESS(f"Created clinic {clinic.name} ({clinic.slug})."))
        self.stdout.write(f"Clinic admin: {admin.username}  password: {password}")
        self.stdout.write("Log in and change the password at once (top right, your username).")


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "message_dict"):
        return [f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items()]
    return error.messages
