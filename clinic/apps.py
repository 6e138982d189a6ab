from django.apps import AppConfig


class ClinicConfig(AppConfig):
    """Pages composed from several apps: the clinician's home and the patient's page.

    This app sits on top: it imports patients, programmes and assessments, and nothing imports
    it (docs/decisions/0002-composed-pages.md).
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "clinic"
    verbose_name = "Clinic pages"
