"""notify(): the one way any part of the platform tells a user something (站内消息 + e-mail).

The in-site message is written in the caller's transaction, so it exists exactly when the act that caused it
was committed (a rolled-back act leaves no message); a unique constraint on (recipient, key) makes a second
notify() with the same key a no-op. The e-mail is handed to the background queue only after the commit
(``transaction.on_commit``) and is claimed by a conditional UPDATE before it is sent, so it goes out at most
once however often the task runs; a message whose task was lost (a crash between commit and enqueue) is picked
up by the periodic sweep (``notifications_email_sweep``).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from rencai.core.errors import AppError, FieldError, NotFound, ValidationFailed

from .models import EmailState, Notification

logger = logging.getLogger(__name__)


def _recipient_ids(recipients) -> list[int]:
    if recipients is None:
        return []
    if not isinstance(recipients, Iterable) or isinstance(recipients, str | bytes):
        recipients = [recipients]
    ids: list[int] = []
    for r in recipients:
        if r is None:
            continue
        pk = getattr(r, "pk", r)
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise TypeError(f"notify(): a recipient must be a User or a user id, not {r!r}")
        if pk not in ids:
            ids.append(pk)
    return ids


def _check_link(link: str) -> None:
    # Only links inside the platform: a message must never send its reader elsewhere (or run javascript:).
    if link and (not link.startswith("/") or link.startswith("//") or "\\" in link):
        raise ValueError(f"notify(): link must be a path on this site, not {link!r}")


def notify(*, recipients, kind: str, title: str, body: str = "", link: str = "", key: str) -> None:
    """Tell ``recipients`` (User objects or ids) something: one in-site message per (recipient, ``key``), never
    two, and an e-mail after the commit (the console backend by default), never two either."""
    ids = _recipient_ids(recipients)
    if not key or not kind or not title:
        raise ValueError("notify(): kind, title and key are required")
    _check_link(link)
    if not ids:
        return
    rows = [Notification(recipient_id=pk, kind=kind[:64], title=title[:200], body=body, link=link, key=key[:200])
            for pk in ids]
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    transaction.on_commit(lambda: _enqueue_emails(ids, key[:200]), robust=True)


@dataclass(frozen=True)
class Message:
    """One message of notify_many: to one user, once per ``key``."""

    recipient_id: int
    title: str
    body: str
    link: str
    key: str


COPY_FROM = 1000  # PostgreSQL: from this many messages on, written by COPY (140,000 by bulk_create took 6.8 s)


def notify_many(messages: Iterable[Message], *, kind: str, batch: int = 2000) -> None:
    """notify() for many users at once (a monthly run telling thousands why a month was stopped): the same
    once-per-key messages, written in batches (on PostgreSQL, many of them by one COPY), and their e-mails handed
    to the queue after the commit, a few hundred per task."""
    if not kind:
        raise ValueError("notify_many(): kind is required")
    columns: dict[str, list] = {"recipient_id": [], "title": [], "body": [], "link": [], "key": []}
    for m in messages:
        if not m.key or not m.title:
            raise ValueError("notify_many(): title and key are required")
        _check_link(m.link)
        columns["recipient_id"].append(m.recipient_id)
        columns["title"].append(m.title[:200])
        columns["body"].append(m.body or "")
        columns["link"].append(m.link or "")
        columns["key"].append(m.key[:200])
    if not columns["key"]:
        return
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(columns["key"]) >= COPY_FROM:
            _insert_by_copy(kind[:64], columns)
        else:
            Notification.objects.bulk_create(
                [Notification(kind=kind[:64], **dict(zip(columns, row, strict=True)))
                 for row in zip(*columns.values(), strict=True)], ignore_conflicts=True, batch_size=batch)
    keys = sorted(set(columns["key"]))
    transaction.on_commit(lambda: _enqueue_many(keys), robust=True)


def _insert_by_copy(kind: str, columns: dict[str, list]) -> None:
    """The messages into a temporary table by one COPY, then into the messages' table with one INSERT that skips
    those already there (the same once-per-key rule as bulk_create's ignore_conflicts)."""
    import polars as pl

    from rencai.core.bulk import copy_frame

    frame = pl.DataFrame(columns, schema={"recipient_id": pl.Int64, "title": pl.String, "body": pl.String,
                                          "link": pl.String, "key": pl.String})
    table = Notification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.notify_incoming")
        cursor.execute("CREATE TEMP TABLE notify_incoming (recipient_id bigint, title text, body text, link text,"
                       " key text) ON COMMIT DROP")
        copy_frame(cursor, "notify_incoming", frame)
        cursor.execute(f"""INSERT INTO {table} (recipient_id, kind, title, body, link, key, created_at, email_state,
                                                email_error)
                           SELECT recipient_id, %s, title, body, link, key, %s, %s, '' FROM notify_incoming
                           ON CONFLICT (recipient_id, key) DO NOTHING""",  # noqa: S608 (the model's table name)
                       [kind, timezone.now(), EmailState.PENDING.value])
        cursor.execute("DROP TABLE notify_incoming")


def _enqueue_many(keys: list[str], per_task: int = 500) -> None:
    from . import tasks

    pending: list[int] = []
    for start in range(0, len(keys), per_task):
        pending += Notification.objects.filter(key__in=keys[start:start + per_task],
                                               email_state=EmailState.PENDING).values_list("id", flat=True)
    for start in range(0, len(pending), per_task):  # one key may have thousands of recipients (a re-match)
        tasks.send_notification_emails.enqueue(pending[start:start + per_task])


def _enqueue_emails(recipient_ids: list[int], key: str) -> None:
    from . import tasks

    pending = list(Notification.objects.filter(recipient_id__in=recipient_ids, key=key,
                                               email_state=EmailState.PENDING).values_list("id", flat=True))
    for pk in pending:
        tasks.send_notification_email.enqueue(pk)


def notification_send_email(notification_id: int) -> str:
    """Send the e-mail of one message, at most once: the row is claimed (pending → sending) by a conditional
    UPDATE first, so a second run of the same task, or a concurrent one, finds nothing to do."""
    claimed = Notification.objects.filter(pk=notification_id, email_state=EmailState.PENDING).update(
        email_state=EmailState.SENDING)
    if not claimed:
        return "already handled"
    n = Notification.objects.select_related("recipient").get(pk=notification_id)
    address = (n.recipient.email or "").strip()
    if not address or not n.recipient.is_active:
        Notification.objects.filter(pk=n.pk).update(email_state=EmailState.SKIPPED)
        return "no address"
    text = n.body
    if n.link:
        text = f"{text}\n\n{settings.RENCAI_SITE_URL.rstrip('/')}{n.link}".strip()
    try:
        send_mail(subject=f"【人才服务数字化平台】{n.title}", message=text or n.title,
                  from_email=None, recipient_list=[address])
    except Exception as exc:  # the mail server said no: recorded, not retried (never twice)
        logger.warning("notification %s: e-mail failed: %s", n.pk, type(exc).__name__)
        Notification.objects.filter(pk=n.pk).update(email_state=EmailState.FAILED,
                                                    email_error=type(exc).__name__[:300])
        return "failed"
    Notification.objects.filter(pk=n.pk).update(email_state=EmailState.SENT, emailed_at=timezone.now())
    return "sent"


def notifications_email_sweep(*, older_than_seconds: int = 300) -> int:
    """Hand to the queue the e-mails of messages still pending after ``older_than_seconds`` (their task was
    lost). Sending stays at most once: the task claims the row."""
    from . import tasks

    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    ids = list(Notification.objects.filter(email_state=EmailState.PENDING, created_at__lt=cutoff)
               .values_list("id", flat=True)[:1000])
    for pk in ids:
        tasks.send_notification_email.enqueue(pk)
    return len(ids)


def notification_mark_read(*, user, notification_id) -> Notification:
    try:
        pk = int(notification_id)
    except (TypeError, ValueError):
        raise ValidationFailed([FieldError("notification", "消息编号无效")]) from None
    n = Notification.objects.filter(pk=pk, recipient=user).first()
    if n is None:
        raise NotFound("未找到该消息")
    if n.read_at is None:
        Notification.objects.filter(pk=n.pk, read_at__isnull=True).update(read_at=timezone.now())
        n.refresh_from_db(fields=["read_at"])
    return n


def notification_mark_all_read(*, user) -> int:
    if not user.is_authenticated:
        raise AppError("请先登录", code="forbidden", status=403)
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
