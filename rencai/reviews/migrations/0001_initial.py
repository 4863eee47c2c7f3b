"""The expert pool moves here from recognition: the model only (``SeparateDatabaseAndState``), so its table
``recognition_expert`` and every row stay where they are; recognition.0007 points recognition at it. New:
specialties as data and declared conflicts."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("organizations", "0001_initial"),
        ("recognition", "0006_standard_review_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Expert",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("name", models.CharField(max_length=50, verbose_name="姓名")),
                        ("affiliation", models.CharField(blank=True, max_length=200, verbose_name="工作单位")),
                        ("specialty", models.CharField(blank=True, max_length=100, verbose_name="专业领域")),
                        ("active", models.BooleanField(default=True, verbose_name="在库")),
                        ("organization", models.ForeignKey(blank=True, null=True,
                                                           on_delete=django.db.models.deletion.PROTECT,
                                                           to="organizations.organization",
                                                           verbose_name="所在单位（用于回避）")),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                      related_name="expert", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "评审专家",
                        "verbose_name_plural": "评审专家",
                        "ordering": ["name", "id"],
                        "db_table": "recognition_expert",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="Specialty",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="名称")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="排序")),
            ],
            options={"verbose_name": "专业领域", "verbose_name_plural": "专业领域", "ordering": ["position", "name"]},
        ),
        migrations.AddField(
            model_name="expert",
            name="specialties",
            field=models.ManyToManyField(blank=True, db_table="reviews_expert_specialties", related_name="experts",
                                         to="reviews.specialty", verbose_name="专业领域（用于遴选）"),
        ),
        migrations.CreateModel(
            name="ConflictDeclaration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=60, verbose_name="对象类型")),
                ("object_id", models.PositiveBigIntegerField(verbose_name="对象编号")),
                ("reason", models.CharField(max_length=200, verbose_name="回避理由")),
                ("declared_at", models.DateTimeField(verbose_name="申报时间")),
                ("declared_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                                  to=settings.AUTH_USER_MODEL, verbose_name="申报人")),
                ("expert", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="conflicts",
                                             to="reviews.expert")),
            ],
            options={
                "verbose_name": "专家回避申报",
                "verbose_name_plural": "专家回避申报",
                "ordering": ["-declared_at", "-id"],
                "indexes": [models.Index(fields=["kind", "object_id"], name="conflict_subject")],
                "constraints": [models.UniqueConstraint(fields=("expert", "kind", "object_id"),
                                                        name="conflict_unique_per_subject")],
            },
        ),
    ]
