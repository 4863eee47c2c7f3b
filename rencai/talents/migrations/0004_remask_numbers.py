"""Re-mask the stored display copies of personal numbers with the mask that cannot be rebuilt
(core.masking: the 身份证's first four digits and check character only), and mask the numbers that earlier
import batches stored in clear in their error lists. Idempotent and done in chunks: safe to run again."""

from django.db import migrations

CHUNK = 2000


def _clear(cipher: str) -> str | None:
    from rencai.core import crypto

    try:
        return crypto.decrypt(cipher) if cipher else None
    except Exception:
        return None


def _from_old_mask(old: str) -> str:
    """The new 身份证 mask keeps a subset of what the old one kept (first four, last one), so it can be made
    from the old mask when the number cannot be decrypted here."""
    return old[:4] + "*" * 13 + old[-1] if len(old) == 18 else old


def remask_talents(apps, schema_editor):
    from rencai.core.masking import mask_id_number, mask_phone

    Talent = apps.get_model("talents", "Talent")
    last = 0
    while True:
        rows = list(Talent.objects.filter(pk__gt=last).order_by("pk")
                    .only("pk", "id_number_cipher", "id_number_masked", "phone_cipher", "phone_masked")[:CHUNK])
        if not rows:
            break
        last = rows[-1].pk
        changed = []
        for talent in rows:
            number = _clear(talent.id_number_cipher)
            id_masked = mask_id_number(number) if number else _from_old_mask(talent.id_number_masked)
            phone = _clear(talent.phone_cipher)
            phone_masked = mask_phone(phone) if phone else talent.phone_masked
            if (id_masked, phone_masked) != (talent.id_number_masked, talent.phone_masked):
                talent.id_number_masked, talent.phone_masked = id_masked, phone_masked
                changed.append(talent)
        Talent.objects.bulk_update(changed, ["id_number_masked", "phone_masked"], batch_size=CHUNK)


def mask_import_errors(apps, schema_editor):
    from rencai.core.masking import mask_numbers_in_text

    ImportBatch = apps.get_model("talents", "ImportBatch")
    for batch in ImportBatch.objects.iterator(chunk_size=CHUNK):
        errors = [{**e, "message": mask_numbers_in_text(str(e.get("message", "")))}
                  if isinstance(e, dict) and e.get("field") != "工作单位统一社会信用代码" else e
                  for e in batch.errors or []]
        if errors != batch.errors:
            batch.errors = errors
            batch.save(update_fields=["errors"])


class Migration(migrations.Migration):
    dependencies = [("talents", "0003_employment_status")]

    operations = [
        migrations.RunPython(remask_talents, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(mask_import_errors, migrations.RunPython.noop, elidable=True),
    ]
