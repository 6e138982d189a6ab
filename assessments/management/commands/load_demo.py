from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.demo import load_demo_assessments
from district.services import district_create
from patients.demo import DEMO_PASSWORD, load_demo_clinic
from patients.models import Role, User
from programmes.demo import load_demo_programmes


class Command(BaseCommand):
    help = "Load the demo clinic (once; running it again keeps the data) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Load even with DEBUG off (never on real data)."
        )
        parser.add_argument(
            "--url",
            default="",
            help="The address the server will answer at, to print (make demo passes its own).",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError("The demo data is for development: DEBUG is off, so it refuses.")
        with transaction.atomic():
            clinic, staff, created = load_demo_clinic()
            if created:
                load_demo_programmes(clinic, staff)
                load_demo_assessments(clinic, staff)
                _, lead = district_create(
                    name="Demo District",
                    clinic_slugs=[clinic.slug],
                    lead_username="district",
                    lead_password=DEMO_PASSWORD,
                )
            else:
                lead = User.objects.filter(role=Role.DISTRICT_LEAD, district=clinic.district_id)
                lead = lead.first()
            if lead is not None:
                staff[lead.username] = lead
        verb = "Loaded" if created else "Kept the existing"
        self.stdout.write(self.style.SUCCESS(f"{verb} demo clinic: {clinic.name}."))
        self.stdout.write(f"Logins (password for all: {DEMO_PASSWORD}):")
        for username, member in staff.items():
            self.stdout.write(f"  {username:<12} {member.get_role_display()}")
        if options["url"]:
            self.stdout.write(f"Open {options['url']} and log in.")
        else:
            self.stdout.write("Start the server (make demo does), open its address and log in.")
