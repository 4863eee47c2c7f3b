"""The command display's page (issue 10): for leaders and government staff, each within their jurisdiction.
The whole page renders every panel of ``panels.PANELS``; ``?panel=<key>`` renders one panel alone, which the page
asks for every ``COMMAND_REFRESH_SECONDS`` by htmx polling (no inline script: the CSP allows none)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from rencai.accounts.permissions import require_government
from rencai.core.errors import NotFound

from .panels import BY_KEY, PANELS

DEFAULT_REFRESH_SECONDS = 60


def refresh_seconds() -> int:
    return int(getattr(settings, "RENCAI_COMMAND_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


def _rendered(spec, user, today, now) -> dict:
    return {"key": spec.key, "title": spec.title, "template": spec.template,
            "data": spec.read(user=user, today=today), "as_of": now}


@login_required
def display(request):
    user = request.user
    require_government(user)
    now = timezone.localtime()
    today = now.date()
    context = {"refresh": refresh_seconds(),
               "scope": user.department.region.name if user.department_id else "全部地区"}
    key = request.GET.get("panel")
    if key is not None:
        spec = BY_KEY.get(key)
        if spec is None:
            raise NotFound("没有这个展示板块")
        return render(request, "analytics/command/_panel.html",
                      {**context, "panel": _rendered(spec, user, today, now)})
    return render(request, "analytics/command/display.html",
                  {**context, "panels": [_rendered(spec, user, today, now) for spec in PANELS], "as_of": now})
