import uuid

from django.db import migrations, models


def one_version_each(apps, schema_editor):
    """AddField gives every existing clinic the same value: each gets its own."""
    Clinic = apps.get_model("patients", "Clinic")
    for clinic in Clinic.objects.only("pk"):
        Clinic.objects.filter(pk=clinic.pk).update(data_version=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0004_patient_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="data_version",
            field=models.UUIDField(default=uuid.uuid4, editable=False),
        ),
        migrations.RunPython(one_version_each, migrations.RunPython.noop),
    ]
