"""Reads of the in-site inbox: a user sees only their own messages."""

from django.db.models import QuerySet

from .models import Notification


def inbox_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_count(user) -> int:
    return inbox_for(user, unread_only=True).count() if user.is_authenticated else 0
