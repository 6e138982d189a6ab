from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class PatientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patients"
    verbose_name = "Clinics, staff and patients"

    def ready(self):
        from .middleware import session_started_at_login

        user_logged_in.connect(session_started_at_login, dispatch_uid="legwork-session-at-login")
