"""Background tasks of the notifications (they take ids and are safe to run twice)."""

from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> str:
    from .services import notification_send_email

    return notification_send_email(notification_id)


@task()
def email_sweep() -> int:
    from .services import notifications_email_sweep

    return notifications_email_sweep()
