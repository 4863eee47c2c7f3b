# Issue 14, item 3: 政策找人 no longer copies the talent's district; lists are scoped by the talent's current one.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("policies", "0003_policymatch_alternative_policymatch_exclusive_group"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="policymatch", name="match_run_policy_district"),
        migrations.RemoveField(model_name="policymatch", name="district"),
        migrations.AddIndex(model_name="policymatch",
                            index=models.Index(fields=["run", "policy"], name="match_run_policy")),
    ]
