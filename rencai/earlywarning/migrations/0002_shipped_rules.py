"""The shipped rules (rules.py), missing ones only: an administrator's edits stay."""

from django.db import migrations


def forwards(apps, schema_editor):
    from rencai.earlywarning.rules import rules_setup

    rules_setup(apps.get_model("earlywarning", "WarningRule"))


class Migration(migrations.Migration):
    dependencies = [("earlywarning", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
