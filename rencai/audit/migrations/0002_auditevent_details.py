from django.db import migrations, models

from rencai.audit import triggers


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="details",
            field=models.JSONField(blank=True, default=dict, verbose_name="详情"),
        ),
        # SQLite adds this column by rebuilding the table, which drops its triggers: put the guard back.
        migrations.RunPython(triggers.install, migrations.RunPython.noop),
    ]
