"""The in-site inbox (站内消息): every signed-in user's own messages."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox_for(request.user, unread_only=unread_only), PAGE_SIZE).get_page(
        (request.GET.get("page") or "1")[:7])
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "unread_total": selectors.unread_count(request.user)})


@login_required
@require_POST
def open_message(request, notification_id: int):
    """Mark one message read and go to what it is about (a link on this site, or back to the inbox)."""
    n = services.notification_mark_read(user=request.user, notification_id=notification_id)
    return redirect(n.link or "notifications:inbox")


@login_required
@require_POST
def read_all(request):
    services.notification_mark_all_read(user=request.user)
    return redirect("notifications:inbox")
