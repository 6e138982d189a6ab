from django.core.management.base import BaseCommand

from patients.kept_pages import clinic_records_changed


class Command(BaseCommand):
    help = (
        "Give every clinic a new data version, so no kept page is served again: after editing "
        "the database by hand (psql) or restoring a backup."
    )

    def handle(self, *args, **options):
        clinic_records_changed()
        self.stdout.write("Every clinic's kept pages are renewed.")
