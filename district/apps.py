from django.apps import AppConfig


class DistrictConfig(AppConfig):
    """A district lead's page: the district's clinics side by side, figures only.

    It sits on top, like the clinic app: it reads patients, programmes and assessments, and
    nothing imports it.
    """

    default_auto_field = "django.db.models.BigAutoField"
    name = "district"
    verbose_name = "District"
