# Issue 14 ("Also"): the audit log is the one record of reveals. Existing reveal-log entries move into it (as
# written: who, whose, which number, why, from where, when); the old table is dropped.

from django.db import migrations

LABELS = {"id_number": "证件号码", "phone": "手机号码"}


def move_reveals(apps, schema_editor):
    SensitiveAccessLog = apps.get_model("talents", "SensitiveAccessLog")
    AuditEvent = apps.get_model("audit", "AuditEvent")
    batch = []
    for log in (SensitiveAccessLog.objects.select_related("actor", "talent", "actor__department")
                .order_by("at", "pk").iterator(chunk_size=2000)):
        actor = log.actor
        batch.append(AuditEvent(
            at=log.at, actor_id=actor.pk, actor_name=actor.username[:150], actor_role=actor.role[:10],
            action="reveal", object_type="talents.talent", object_id=str(log.talent_id),
            region_code=log.talent.district_id or "", ip_address=log.ip_address,
            summary=f"查看 {log.talent.name} 的完整{LABELS.get(log.field, log.field)}，事由：{log.reason}"[:500],
            details={"field": log.field, "reason": log.reason}, filters={},
        ))
        if len(batch) >= 2000:
            AuditEvent.objects.bulk_create(batch)
            batch = []
    if batch:
        AuditEvent.objects.bulk_create(batch)


class Migration(migrations.Migration):

    dependencies = [
        ("talents", "0004_remask_numbers"),
        ("audit", "0002_auditevent_details"),
    ]

    operations = [
        migrations.RunPython(move_reveals, migrations.RunPython.noop),
        migrations.DeleteModel(name="SensitiveAccessLog"),
    ]
