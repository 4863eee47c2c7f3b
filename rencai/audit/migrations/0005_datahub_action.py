# The audit log names the data centre's acts (数据中心: loads, push tokens, discrepancies).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_document_action'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('talent_create', '登记人才'), ('talent_update', '修改人才信息'), ('talent_import', '批量导入人才'), ('employment', '任职确认'), ('reveal', '查看完整号码'), ('export', '导出个人信息'), ('recognition', '认定办理'), ('decision', '认定决定'), ('authorization', '自主认定授权'), ('document', '材料上传与核验'), ('fulfilment', '政策兑现办理'), ('fulfil_decision', '政策兑现决定'), ('denied', '越权操作被拒绝'), ('datahub', '数据中心')], db_index=True, max_length=20, verbose_name='操作'),
        ),
    ]
