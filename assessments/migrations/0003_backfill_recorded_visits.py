from django.db import migrations

# A frozen copy of programmes.models.RECORDED_VISIT_FIELDS (migrations never import app code
# that may change later).
FIELDS = {
    "baseline": "has_baseline_visit",
    "week6": "has_week6_visit",
    "week12": "has_week12_visit",
}


def backfill(apps, schema_editor):
    """Mark each programme's recorded scheduled visits: one UPDATE per timepoint."""
    Programme = apps.get_model("programmes", "Programme")
    Visit = apps.get_model("assessments", "Visit")
    for timepoint, field in FIELDS.items():
        recorded = Visit.objects.filter(timepoint=timepoint).values("programme_id")
        Programme.objects.filter(pk__in=recorded).update(**{field: True})


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0002_exports_and_imports"),
        ("programmes", "0006_programme_recorded_visits"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
