from django.apps import AppConfig, apps
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_init, post_save, pre_save


class PatientsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "patients"
    verbose_name = "Clinics, staff and patients"

    def ready(self):
        from .kept_pages import (
            MOVABLE,
            record_about_to_move,
            record_loaded,
            record_saved_or_deleted,
        )
        from .middleware import session_started_at_login

        user_logged_in.connect(session_started_at_login, dispatch_uid="legwork-session-at-login")
        post_save.connect(record_saved_or_deleted, dispatch_uid="legwork-kept-pages-save")
        post_delete.connect(record_saved_or_deleted, dispatch_uid="legwork-kept-pages-delete")
        pre_save.connect(record_about_to_move, dispatch_uid="legwork-kept-pages-move")
        for label in MOVABLE:
            post_init.connect(
                record_loaded, sender=apps.get_model(label), dispatch_uid=f"legwork-{label}"
            )
