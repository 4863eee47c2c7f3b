"""The command display's page (issue 10): for leaders and government staff, each within their jurisdiction.
The whole page renders every panel of ``panels.PANELS``; ``?panel=<key>`` renders one panel alone, which the page
asks for every ``COMMAND_REFRESH_SECONDS`` by htmx polling (no inline script: the CSP allows none)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rencai.accounts.permissions import require_government
from rencai.core.errors import NotFound

from .boundaries import boundaries_for
from .panels import BY_KEY, PANELS
from .selectors import districts_of

DEFAULT_REFRESH_SECONDS = 60


def refresh_seconds() -> int:
    return int(getattr(settings, "RENCAI_COMMAND_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS))


def _map_url() -> str:
    try:
        return reverse("analytics:map")
    except NoReverseMatch:  # 人才地图's pages not installed
        return ""


def _rendered(spec, user, today, now) -> dict:
    return {"key": spec.key, "title": spec.title, "template": spec.template,
            "data": spec.read(user=user, today=today), "as_of": now}


@login_required
def display(request):
    user = request.user
    require_government(user)
    now = timezone.localtime()
    today = now.date()
    context = {"refresh": refresh_seconds(), "map_url": _map_url(),
               "scope": user.department.region.name if user.department_id else "全部地区"}
    key = request.GET.get("panel")
    if key is not None:
        spec = BY_KEY.get(key)
        if spec is None:
            raise NotFound("没有这个展示板块")
        return render(request, "analytics/command/_panel.html",
                      {**context, "panel": _rendered(spec, user, today, now)})
    panels = [_rendered(spec, user, today, now) for spec in PANELS]
    has_map = any(p["key"] == "districts" and p["data"].get("map") for p in panels)
    return render(request, "analytics/command/display.html", {
        **context, "panels": panels, "as_of": now, "screen": request.GET.get("screen") == "1",
        # the boundaries, sent once with the page (the districts panel's refreshes carry only the figures)
        "geojson": boundaries_for(districts_of(user)) if has_map else None})
