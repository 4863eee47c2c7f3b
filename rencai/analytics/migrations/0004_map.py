"""人才地图: the kept district counts (their triggers, analytics.triggers, and a first count of the talents and
origins already there) and a jurisdiction's district boundaries."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from rencai.analytics import triggers


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0003_labels'),
        ('regions', '0001_initial'),
        ('talents', '0007_claims_pending_index'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Boundaries',
            fields=[
                ('region', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='+', serialize=False, to='regions.region', verbose_name='管辖区域')),
                ('geojson', models.JSONField(verbose_name='区县边界')),
                ('districts', models.PositiveSmallIntegerField(verbose_name='区县数')),
                ('provenance', models.CharField(max_length=200, verbose_name='数据来源说明')),
                ('loaded_at', models.DateTimeField(auto_now=True, verbose_name='载入时间')),
                ('loaded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='载入人')),
            ],
            options={
                'verbose_name': '区县边界',
                'verbose_name_plural': '区县边界',
            },
        ),
        migrations.CreateModel(
            name='DistrictCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('dimension', models.CharField(max_length=12, verbose_name='统计维度')),
                ('value', models.CharField(blank=True, max_length=100, verbose_name='取值')),
                ('n', models.BigIntegerField(default=0, verbose_name='人数')),
                ('district', models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='regions.region', verbose_name='所在区县')),
            ],
            options={
                'verbose_name': '区县人才分项统计',
                'verbose_name_plural': '区县人才分项统计',
                'indexes': [models.Index(fields=['dimension', 'district'], name='district_count_dimension')],
                'constraints': [models.UniqueConstraint(fields=('district', 'dimension', 'value'), name='district_count_unique_bucket')],
            },
        ),
        migrations.RunPython(triggers.install, triggers.uninstall),
    ]
