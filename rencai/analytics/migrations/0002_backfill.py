"""Every talent already registered gets an open spell and an origin from the record (analytics.backfill: two
INSERT … SELECT statements, seconds for a million talents on PostgreSQL). Reversed, it writes nothing: the rows
go with the tables when 0001 is reversed."""

from django.db import migrations


def forwards(apps, schema_editor):
    from rencai.analytics.backfill import history_backfill

    history_backfill(using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
