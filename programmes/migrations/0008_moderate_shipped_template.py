"""The shipped template at moderate intensity (issue 13): 3 x 10 rising to 15 by double
progression, 50 % of 1RM +5 % every 3 weeks to at most 65 %, and a description that says what
comes from the trial and what is the clinic's default.

Only the shipped template (clinic = NULL) changes: clinics' copies and assigned programmes keep
their own numbers and plans. The numbers are frozen here (shipped.py holds the same).
"""

from decimal import Decimal

from django.db import migrations

NAME = "Lower-limb PRE, 12 weeks"
DESCRIPTION = (
    "From the trial (Yakasai et al. 2021): supervised progressive resistance exercise, three "
    "sessions of about 40 minutes a week for 12 weeks, strengthening the gluteals, "
    "hamstrings, quadriceps, anterior tibialis and calves, with the load raised over time, "
    "at moderate intensity. The numbers are a default for the clinic to review, not the "
    "trial's published dose (its summaries do not report it): 3 x 10 from 50 % of the "
    "estimated 1RM, +5 % every 3 weeks to at most 65 % (moderate: 50-69 %), always leaving "
    "at least 2 repetitions in reserve; where the equipment's step would raise the load by "
    "more than 10 %, the repetitions rise first (up to 15), then the load by one step."
)
PRESCRIPTION = {
    "sets": 3,
    "target_reps": 10,
    "max_reps": 15,
    "start_pct": Decimal(50),
    "ceiling_pct": Decimal(65),
    "increase_pct": Decimal(5),
    "every_n_weeks": 3,
    "performance_increase_pct": Decimal(5),
}


def moderate(apps, schema_editor):
    ProgrammeTemplate = apps.get_model("programmes", "ProgrammeTemplate")
    TemplateExercise = apps.get_model("programmes", "TemplateExercise")
    for template in ProgrammeTemplate.objects.filter(clinic=None, name=NAME):
        template.description = DESCRIPTION
        template.save(update_fields=["description"])
        TemplateExercise.objects.filter(template=template).update(**PRESCRIPTION)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_repetition_range")]

    operations = [
        migrations.RunPython(moderate, migrations.RunPython.noop, elidable=False),
    ]
