"""rencai rotate_field_key: re-encrypt every encrypted column with the current field key (RENCAI_FIELD_KEY).

Rotation, step by step (README: Security):
1. set RENCAI_FIELD_KEY to the new key and RENCAI_FIELD_KEYS_OLD to the old one, restart: new values are sealed
   with the new key, old ones still open;
2. run this command; it re-encrypts in batches, each committed on its own, so it can be stopped at any moment
   and run again: it picks up what is still sealed with another key (every ciphertext names its key);
3. when it reports nothing left (``--check``), remove the old key from RENCAI_FIELD_KEYS_OLD.

A row changed by the application while the command runs is left as the application wrote it (already sealed
with the new key). Look-up digests (RENCAI_HASH_KEY) are not touched."""

from cryptography.exceptions import InvalidTag
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction

from rencai.core import crypto


def encrypted_columns() -> list[tuple[type[models.Model], str]]:
    """Every encrypted column of every installed model: text fields named ``*_cipher``."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField | models.CharField) and field.name.endswith(crypto.CIPHER_SUFFIX)
    ]


def _stale(model, name: str):
    """Rows of a column whose value is sealed with another key than the current one (or with no key id)."""
    return (model._default_manager.exclude(**{f"{name}__isnull": True}).exclude(**{name: ""})
            .exclude(**{f"{name}__startswith": crypto.current_prefix()}))


class Command(BaseCommand):
    help = "用当前的 RENCAI_FIELD_KEY 重新加密所有加密字段（可中断后重新运行续做） / re-encrypt every encrypted column"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="rows per transaction (default 500)")
        parser.add_argument("--limit", type=int, default=None,
                            help="stop after re-encrypting this many values (spread the work over several runs)")
        parser.add_argument("--check", action="store_true",
                            help="only count what is still sealed with another key; exit 1 if anything is")

    def handle(self, *args, batch_size: int, limit: int | None, check: bool, **options):
        if batch_size < 1 or (limit is not None and limit < 0):
            raise CommandError("--batch-size must be at least 1 and --limit not negative")
        columns = encrypted_columns()
        if check:
            remaining = {f"{m._meta.label}.{n}": _stale(m, n).count() for m, n in columns}
            for column, count in remaining.items():
                self.stdout.write(f"{column}: 尚有 {count} 条未用当前密钥加密 / {count} left")
            if any(remaining.values()):
                raise CommandError("轮换尚未完成，请继续运行 rencai rotate_field_key / rotation not finished")
            self.stdout.write(f"全部已用当前密钥（{crypto.current_key_id()}）加密 / all sealed with the current key")
            return

        done = 0
        for model, name in columns:
            last_pk = None
            while limit is None or done < limit:
                rows = _stale(model, name).order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                size = batch_size if limit is None else min(batch_size, limit - done)
                batch = list(rows.values_list("pk", name)[:size])
                if not batch:
                    break
                try:
                    with transaction.atomic():
                        for pk, old in batch:
                            new = crypto.encrypt(crypto.decrypt(old))
                            # Only if unchanged since read: a concurrent write by the application wins.
                            done += model._default_manager.filter(pk=pk, **{name: old}).update(**{name: new})
                except (ValueError, InvalidTag) as exc:
                    raise CommandError(f"{model._meta.label}.{name}: {exc or '密钥不符 / wrong key'}") from exc
                last_pk = batch[-1][0]
                self.stdout.write(f"{model._meta.label}.{name}: 已重新加密至第 {last_pk} 行 / up to pk {last_pk}")
        left = sum(_stale(m, n).count() for m, n in columns)
        self.stdout.write(f"本次重新加密 {done} 条，尚余 {left} 条 / re-encrypted {done}, {left} left")
