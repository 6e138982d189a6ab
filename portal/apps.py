from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The patient's own pages: this week's exercises, home sessions and printouts.

    Imports flow portal -> assessments -> programmes -> patients; nothing imports portal.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Patient portal"
