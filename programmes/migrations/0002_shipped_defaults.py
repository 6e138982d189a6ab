"""The shipped exercise library and default template (clinic = NULL: every clinic's)."""

from decimal import Decimal

from django.db import migrations

# The template as first shipped, frozen here: shipped.py now holds the current numbers, which a
# later data migration (0008) applies; this one must still run on a new database.
TEMPLATE = {
    "name": "Lower-limb PRE, 12 weeks",
    "weeks": 12,
    "sessions_per_week": 3,
    "description": (
        "The trial's supervised progressive resistance programme for lower-limb strength "
        "(gluteals, hamstrings, quadriceps, anterior tibialis, calves): three sessions of about "
        "40 minutes a week for 12 weeks, starting at 50 % of the estimated 1RM and rising by "
        "5 % every two weeks to at most 80 %."
    ),
}
TEMPLATE_EXERCISES = [
    "Standing hip extension",
    "Hamstring curl",
    "Knee extension on a quadriceps bench",
    "Ankle dorsiflexion against resistance",
    "Standing calf raise",
]
TEMPLATE_PRESCRIPTION = {
    "sets": 3,
    "target_reps": 10,
    "start_pct": Decimal(50),
    "ceiling_pct": Decimal(80),
    "increase_pct": Decimal(5),
    "every_n_weeks": 2,
    "performance_increase_pct": Decimal(5),
    "deload_weeks": "",
    "deload_pct": Decimal(80),
}


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
        clinic=None, name=TEMPLATE["name"], defaults=TEMPLATE
    )
    if created:
        for order, name in enumerate(TEMPLATE_EXERCISES, start=1):
            TemplateExercise.objects.create(
                template=template,
                exercise=by_name[name],
                order=order,
                **TEMPLATE_PRESCRIPTION,
            )


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [
        migrations.RunPython(add_shipped_defaults, migrations.RunPython.noop, elidable=False),
    ]
