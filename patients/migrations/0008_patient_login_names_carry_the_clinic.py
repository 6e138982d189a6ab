"""Patients' login names were their bare study ID, shared by every clinic of the installation;
they become "study ID@clinic short name" ("KAN-0042@kano").

Nobody is locked out: each renamed patient keeps the bare name as `old_login_name`, which the
login page still accepts (patients.backends). Old names were unique across the installation, so
each still means one patient; one that differs from another only by case is not kept, since it
could mean two. The rule is copied here, frozen, so this migration never reads today's code.
"""

from django.db import migrations
from django.utils import timezone

CHANGE_REASON = "Login name now carries the clinic's short name (migration 0008)"


def _login_name(study_id: str, clinic_slug: str) -> str:
    return f"{study_id.strip().upper()}@{clinic_slug.strip().lower()}"


def rename_patient_logins(apps, schema_editor):
    User = apps.get_model("patients", "User")
    HistoricalUser = apps.get_model("patients", "HistoricalUser")
    logins = (
        User.objects.filter(role="patient")
        .exclude(username__contains="@")
        .select_related("patient__clinic")
        .order_by("pk")
    )
    old_names = [name.upper() for name in logins.values_list("username", flat=True)]
    copied = [
        f.attname for f in HistoricalUser._meta.concrete_fields if not f.name.startswith("history_")
    ]
    now = timezone.now()
    for login in logins:
        patient = login.patient
        name = base = _login_name(patient.study_id, patient.clinic.slug)
        suffix = 1
        # Only an account made before staff names were kept apart could hold the name.
        while User.objects.filter(username__iexact=name).exclude(pk=login.pk).exists():
            suffix += 1
            name = f"{base}{suffix}"
        ambiguous = old_names.count(login.username.upper()) > 1
        login.old_login_name = "" if ambiguous else login.username
        login.username = name
        login.save(update_fields=["username", "old_login_name"])
        HistoricalUser.objects.create(
            **{attname: getattr(login, attname) for attname in copied},
            history_date=now,
            history_type="~",
            history_change_reason=CHANGE_REASON,
            history_user=None,
        )


def restore_bare_names(apps, schema_editor):
    User = apps.get_model("patients", "User")
    for login in User.objects.filter(role="patient").exclude(old_login_name=""):
        login.username, login.old_login_name = login.old_login_name, ""
        login.save(update_fields=["username", "old_login_name"])


class Migration(migrations.Migration):
    dependencies = [("patients", "0007_portal_logins_per_clinic")]

    operations = [migrations.RunPython(rename_patient_logins, restore_bare_names)]
