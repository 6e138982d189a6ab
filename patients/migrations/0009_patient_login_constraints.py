import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    # Apart from 0008's renames: PostgreSQL refuses to alter a table with row changes pending
    # in the same transaction.
    dependencies = [("patients", "0008_patient_login_names_carry_the_clinic")]

    operations = [
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Upper("username"),
                condition=models.Q(("role", "patient")),
                name="user_patient_login_unique_any_case",
            ),
        ),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("role", "patient"), _negated=True),
                    ("username__contains", "@"),
                    _connector="OR",
                ),
                name="user_patient_login_names_a_clinic",
            ),
        ),
    ]
