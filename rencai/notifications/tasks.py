"""Background tasks of the notifications (they take ids and are safe to run twice)."""

from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> str:
    from .services import notification_send_email

    return notification_send_email(notification_id)


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """The e-mails of many messages (notify_many); each is claimed before it is sent, so never twice."""
    from .services import notification_send_email

    return sum(notification_send_email(pk) == "sent" for pk in notification_ids)


@task()
def email_sweep() -> int:
    from .services import notifications_email_sweep

    return notifications_email_sweep()
