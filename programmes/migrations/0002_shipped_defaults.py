"""The shipped exercise library and default template (clinic = NULL: every clinic's)."""

from django.db import migrations


def add_shipped_defaults(apps, schema_editor):
    from programmes import shipped

    Exercise = apps.get_model("programmes", "Exercise")
    ProgrammeTemplate = apps.get_model("programmes", "ProgrammeTemplate")
    TemplateExercise = apps.get_model("programmes", "TemplateExercise")
    by_name = {}
    for row in shipped.EXERCISES:
        by_name[row["name"]], _ = Exercise.objects.get_or_create(
            clinic=None, name=row["name"], defaults=row
        )
    template, created = ProgrammeTemplate.objects.get_or_create(
        clinic=None, name=shipped.TEMPLATE["name"], defaults=shipped.TEMPLATE
    )
    if created:
        for order, name in enumerate(shipped.TEMPLATE_EXERCISES, start=1):
            TemplateExercise.objects.create(
                template=template,
                exercise=by_name[name],
                order=order,
                **shipped.TEMPLATE_PRESCRIPTION,
            )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [
        migrations.RunPython(add_shipped_defaults, migrations.RunPython.noop, elidable=False),
    ]
