"""台账's kept figures: the district counts gain ``graduated`` (talents by the year of their highest degree, in
their current district) and ``returned`` (a returnee's move into a district from outside the registry, by the
district moved into and the move's year); the triggers are replaced (a moves' trigger added) and every bucket
recounted."""

from django.db import migrations

from rencai.analytics import triggers


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0004_map'),
    ]

    operations = [
        migrations.RunPython(triggers.reinstall, triggers.reinstall),
    ]
