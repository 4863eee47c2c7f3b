# The unique key leads with the talent and stands in for the talent's own index (one index less to build after
# a first run's COPY of three million rows); the new key is made before the old one goes.

import django.db.models.deletion
from django.db import migrations, models

from rencai.policies import counts


def drop_sqlite_trigger(apps, schema_editor):
    """SQLite rebuilds the table for these changes, which the kept counts' trigger on talents refers to."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in counts.SQLITE_DROP:
            schema_editor.execute(statement, params=None)


def make_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in counts.SQLITE_CREATE:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('policies', '0007_match_run_policy_index_covered'),
        ('talents', '0007_claims_pending_index'),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_trigger, make_sqlite_trigger),
        migrations.AddConstraint(
            model_name='policymatch',
            constraint=models.UniqueConstraint(fields=('talent', 'run', 'policy'), name='match_unique_per_talent'),
        ),
        migrations.RemoveConstraint(
            model_name='policymatch',
            name='match_unique_per_run',
        ),
        migrations.AlterField(
            model_name='policymatch',
            name='talent',
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name='policy_matches', to='talents.talent'),
        ),
        migrations.RunPython(make_sqlite_trigger, drop_sqlite_trigger),
    ]
