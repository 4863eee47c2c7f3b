import json
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models


def load_regions(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    rows = json.loads((Path(__file__).resolve().parents[1] / "data" / "regions.json").read_text())
    for code, name, parent in rows:
        level = "province" if code.endswith("0000") else "city" if code.endswith("00") else "district"
        Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Region",
            fields=[
                ("code", models.CharField(max_length=6, primary_key=True, serialize=False, verbose_name="行政区划代码")),
                ("name", models.CharField(max_length=50, verbose_name="名称")),
                ("level", models.CharField(choices=[("province", "省"), ("city", "市"), ("district", "区县")], max_length=10, verbose_name="层级")),
                ("parent", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="children", to="regions.region")),
            ],
            options={"ordering": ["code"], "verbose_name": "行政区划", "verbose_name_plural": "行政区划"},
        ),
        migrations.RunPython(load_regions, migrations.RunPython.noop),
    ]
