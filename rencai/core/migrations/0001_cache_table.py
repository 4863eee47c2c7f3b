"""The table of Django's database cache (settings.CACHES), made by `rencai migrate` like every other table, so
that no deployment step is forgotten. ``createcachetable`` makes only what is missing."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop, elidable=False)]
