"""The expert's pages: the task list across every kind of reviewed item (each kind's own page scores it)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from . import selectors


@login_required
def assignments(request):
    """评审任务: the expert's assignments of every kind, unscored first, each with its due day."""
    return render(request, "reviews/assignments.html", {
        "tasks": selectors.tasks_of_expert(user=request.user), "today": timezone.localdate()})
