# The data centre (issue 16): feeds, loads, verified facts and discrepancies.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('accounts', '0004_alter_user_role'),
        ('jobs', '0001_initial'),
        ('organizations', '0001_initial'),
        ('talents', '0006_talent_counts'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Feed',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, unique=True, verbose_name='数据源名称')),
                ('kind', models.CharField(choices=[('social_insurance', '社会保险缴纳'), ('income_tax', '个人所得税'), ('enterprise_tax', '企业纳税'), ('property', '不动产登记'), ('degree', '学历学位认证'), ('returnee', '留学回国人员证明'), ('business', '市场主体登记'), ('residence', '户籍/居住证'), ('skill', '职业技能等级')], max_length=20, verbose_name='核验事项')),
                ('columns', models.JSONField(blank=True, default=dict, help_text='本数据源自己的列名，如 {"id_number": "身份证号"}；留空则用标准列名', verbose_name='列名')),
                ('description', models.TextField(blank=True, verbose_name='说明')),
                ('cadence', models.CharField(choices=[('monthly', '按月报送'), ('yearly', '按年报送'), ('on_change', '不定期（有变化时报送）')], default='monthly', max_length=10, verbose_name='报送周期')),
                ('due_working_day', models.PositiveSmallIntegerField(default=10, help_text='按月报送：上月数据应在本月第几个工作日前报送；按年报送：上年数据应在报送月份第几个工作日前报送', verbose_name='报送时限（第几个工作日）')),
                ('due_month', models.PositiveSmallIntegerField(default=3, help_text='按年报送时，上年数据在次年几月报送', verbose_name='按年报送的月份')),
                ('active', models.BooleanField(default=True, verbose_name='启用')),
                ('token_digest', models.CharField(blank=True, editable=False, max_length=64, verbose_name='推送令牌摘要')),
                ('token_hint', models.CharField(blank=True, editable=False, max_length=8, verbose_name='推送令牌末四位')),
                ('token_rotated_at', models.DateTimeField(blank=True, editable=False, null=True, verbose_name='令牌生成时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='登记时间')),
                ('department', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='feeds', to='accounts.department', verbose_name='数据提供部门')),
                ('token_rotated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='令牌生成人')),
            ],
            options={
                'verbose_name': '数据源',
                'verbose_name_plural': '数据源',
                'ordering': ['pk'],
            },
        ),
        migrations.CreateModel(
            name='Load',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('source', models.CharField(choices=[('file', '文件上传'), ('push', '接口推送'), ('command', '命令行装载')], max_length=10, verbose_name='方式')),
                ('file_name', models.CharField(blank=True, max_length=200, verbose_name='文件名')),
                ('sha256', models.CharField(max_length=64, verbose_name='内容摘要（SHA-256）')),
                ('size', models.BigIntegerField(default=0, verbose_name='大小（字节）')),
                ('idempotency_key', models.CharField(blank=True, max_length=100, null=True, verbose_name='幂等键')),
                ('stored', models.CharField(blank=True, editable=False, max_length=100, verbose_name='暂存文件')),
                ('status', models.CharField(choices=[('queued', '待装载'), ('running', '装载中'), ('done', '已装载'), ('failed', '装载失败')], default='queued', max_length=10, verbose_name='状态')),
                ('attempts', models.PositiveIntegerField(default=0, verbose_name='执行次数')),
                ('total_rows', models.PositiveIntegerField(default=0, verbose_name='数据行数')),
                ('rejected_rows', models.PositiveIntegerField(default=0, verbose_name='错误行数')),
                ('facts_new', models.PositiveIntegerField(default=0, verbose_name='新增')),
                ('facts_changed', models.PositiveIntegerField(default=0, verbose_name='更新')),
                ('facts_unchanged', models.PositiveIntegerField(default=0, verbose_name='未变化')),
                ('unmatched_rows', models.PositiveIntegerField(default=0, verbose_name='未匹配')),
                ('rematched', models.PositiveIntegerField(default=0, help_text='此前未匹配、本次装载时已能匹配的记录', verbose_name='补匹配')),
                ('period_min', models.DateField(blank=True, null=True, verbose_name='最早期间')),
                ('period_max', models.DateField(blank=True, null=True, verbose_name='最晚期间')),
                ('errors', models.JSONField(blank=True, default=list, verbose_name='逐行报告')),
                ('error_count', models.PositiveIntegerField(default=0, verbose_name='错误数')),
                ('failure', models.CharField(blank=True, max_length=500, verbose_name='失败原因')),
                ('seconds', models.JSONField(blank=True, default=dict, verbose_name='各步用时（秒）')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='提交时间')),
                ('started_at', models.DateTimeField(blank=True, null=True, verbose_name='开始时间')),
                ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='完成时间')),
                ('actor', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='装载人')),
                ('feed', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='loads', to='datahub.feed', verbose_name='数据源')),
                ('job', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='jobs.job', verbose_name='后台任务')),
            ],
            options={
                'verbose_name': '数据装载',
                'verbose_name_plural': '数据装载',
                'ordering': ['-pk'],
            },
        ),
        migrations.CreateModel(
            name='Fact',
            fields=[
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('kind', models.CharField(choices=[('social_insurance', '社会保险缴纳'), ('income_tax', '个人所得税'), ('enterprise_tax', '企业纳税'), ('property', '不动产登记'), ('degree', '学历学位认证'), ('returnee', '留学回国人员证明'), ('business', '市场主体登记'), ('residence', '户籍/居住证'), ('skill', '职业技能等级')], max_length=20, verbose_name='核验事项')),
                ('subject_key', models.CharField(editable=False, max_length=64, verbose_name='主体标识')),
                ('subject_masked', models.CharField(editable=False, max_length=32, verbose_name='证件号码')),
                ('subject_name', models.CharField(blank=True, max_length=200, verbose_name='姓名（名称）')),
                ('period', models.DateField(verbose_name='期间')),
                ('value', models.JSONField(verbose_name='内容')),
                ('digest', models.BigIntegerField(editable=False, verbose_name='内容摘要')),
                ('as_of', models.DateField(verbose_name='核验日期')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='首次写入')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='最近更新')),
                ('organization', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='facts', to='organizations.organization', verbose_name='单位')),
                ('talent', models.ForeignKey(blank=True, db_constraint=False, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='facts', to='talents.talent', verbose_name='人才')),
                ('feed', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='facts', to='datahub.feed', verbose_name='数据源')),
                ('load', models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='datahub.load', verbose_name='最近写入批次')),
            ],
            options={
                'verbose_name': '核验数据',
                'verbose_name_plural': '核验数据',
            },
        ),
        migrations.CreateModel(
            name='Discrepancy',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=40, verbose_name='申报事项')),
                ('declared', models.CharField(max_length=200, verbose_name='申报内容')),
                ('verified', models.CharField(max_length=300, verbose_name='核验内容')),
                ('status', models.CharField(choices=[('open', '待处理'), ('resolved', '已处理')], default='open', max_length=10, verbose_name='状态')),
                ('resolution', models.CharField(blank=True, choices=[('registry_corrected', '已按核验数据更正登记信息'), ('declaration_upheld', '经核实，申报信息属实'), ('feed_referred', '已转数据来源部门核查')], max_length=20, verbose_name='处理结果')),
                ('note', models.TextField(blank=True, verbose_name='处理说明')),
                ('raised_at', models.DateTimeField(auto_now_add=True, verbose_name='发现时间')),
                ('resolved_at', models.DateTimeField(blank=True, null=True, verbose_name='处理时间')),
                ('resolved_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='处理人')),
                ('talent', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='discrepancies', to='talents.talent', verbose_name='人才')),
                ('fact', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='discrepancies', to='datahub.fact', verbose_name='核验数据')),
            ],
            options={
                'verbose_name': '数据疑点',
                'verbose_name_plural': '数据疑点',
                'ordering': ['-raised_at', '-id'],
                'indexes': [models.Index(fields=['status', 'talent'], name='discrepancy_status')],
                'constraints': [models.UniqueConstraint(fields=('talent', 'fact', 'field'), name='discrepancy_once_per_fact_field'), models.CheckConstraint(condition=models.Q(models.Q(('resolution', ''), ('resolved_at__isnull', True), ('status', 'open')), models.Q(('resolved_at__isnull', False), ('status', 'resolved'), models.Q(('resolution', ''), _negated=True)), _connector='OR'), name='discrepancy_resolution_matches_status')],
            },
        ),
        migrations.AddConstraint(
            model_name='feed',
            constraint=models.UniqueConstraint(condition=models.Q(('token_digest', ''), _negated=True), fields=('token_digest',), name='feed_token_digest_unique'),
        ),
        migrations.AddConstraint(
            model_name='feed',
            constraint=models.CheckConstraint(condition=models.Q(('due_working_day__gte', 1), ('due_working_day__lte', 23)), name='feed_due_working_day_range'),
        ),
        migrations.AddConstraint(
            model_name='feed',
            constraint=models.CheckConstraint(condition=models.Q(('due_month__gte', 1), ('due_month__lte', 12)), name='feed_due_month_range'),
        ),
        migrations.AddIndex(
            model_name='load',
            index=models.Index(fields=['feed', 'status', '-id'], name='load_feed_status'),
        ),
        migrations.AddConstraint(
            model_name='load',
            constraint=models.UniqueConstraint(fields=('feed', 'idempotency_key'), name='load_one_per_idempotency_key'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(condition=models.Q(('talent__isnull', False)), fields=['talent', 'kind', 'period'], name='fact_talent_kind'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(condition=models.Q(('organization__isnull', False)), fields=['organization', 'kind', 'period'], name='fact_organization_kind'),
        ),
        migrations.AddIndex(
            model_name='fact',
            index=models.Index(condition=models.Q(('organization__isnull', True), ('talent__isnull', True)), fields=['feed', 'id'], name='fact_unmatched'),
        ),
        migrations.AddConstraint(
            model_name='fact',
            constraint=models.UniqueConstraint(fields=('feed', 'period', 'subject_key'), name='fact_one_per_feed_period_subject'),
        ),
    ]
