"""Reads of 决策预警, scoped by the viewer's *current* jurisdiction: a warning about a talent through the talent's
current record (``scope_related``), one about a place by its region — within the viewer's jurisdiction, or a
region above it (a policy or budget of the city or the province applies to its districts). Staff, leaders and
administrators read them; other roles none (403).

``open_warnings(*, user, limit)`` and ``counts(*, user)`` are what the command display and the home pages read."""

from __future__ import annotations

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.lookups import Contains

from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, require_government, scope_related
from rencai.core.errors import NotFound

from .enums import OPEN_STATES, RuleKind, State
from .models import EarlyWarning, WarningEvent


def _ancestors(code: str) -> set[str]:
    return {code[:4] + "00", code[:2] + "0000"} - {code}


def scope_q(user: User) -> Q:
    if user.is_administrator:
        return Q()
    codes = jurisdiction_codes(user)
    places = set(codes) | _ancestors(user.department.region_id)
    return scope_related(user, "talent") | Q(talent__isnull=True, place_id__in=places) | Q(place_id__in=codes)


def warnings_visible(user: User) -> QuerySet[EarlyWarning]:
    require_government(user)
    return EarlyWarning.objects.filter(scope_q(user))


def warning_list(*, user: User, kind: str = "", state: str = "", district: str = "") -> QuerySet[EarlyWarning]:
    """The list's rows: ``state`` "open" (待处理 and 处理中, the default), "all" or one state; ``kind`` one rule
    kind; ``district`` one district of the jurisdiction (the talent's current district, or the region)."""
    rows = warnings_visible(user)
    if kind in RuleKind.values:
        rows = rows.filter(kind=kind)
    if state in ("", "open"):
        rows = rows.filter(state__in=OPEN_STATES)
    elif state in State.values:
        rows = rows.filter(state=state)
    if district:
        rows = rows.filter(Q(place_id=district) | Q(place__isnull=True, talent__district_id=district))
    return rows.select_related("rule", "talent", "talent__district", "place")


def warning_pk(value) -> int:
    """An id from a URL or a form: a number in the database's range, else 0 (found nowhere: a 404)."""
    try:
        pk = int(str(value).strip())
    except ValueError:
        return 0
    return pk if 0 < pk < 2**63 else 0


def warning_get(*, user: User, warning_id) -> EarlyWarning:
    pk = warning_pk(warning_id)
    warning = (warnings_visible(user).filter(pk=pk).select_related("rule", "talent", "talent__district", "place")
               .first())
    if warning is None:
        raise NotFound("未找到该预警，或不在您的管辖范围内")
    return warning


def warning_history(warning: EarlyWarning) -> list[WarningEvent]:
    return list(warning.events.order_by("at", "id"))


def open_warnings(*, user: User, limit: int = 10) -> list[EarlyWarning]:
    """The latest open warnings (待处理 first, then 处理中) within the user's jurisdiction: one query."""
    return list(warnings_visible(user).filter(state__in=OPEN_STATES)
                .select_related("rule", "talent", "place").order_by("state", "-raised_at", "-id")[:limit])


def owned_q(user: User) -> Q:
    """The warnings the user's department owns: its rule names a word of the department's name (as 政策兑现's
    routes name departments); administrators own all. A condition in SQL, no query of its own."""
    if user.is_administrator:
        return Q()
    if user.department is None:
        return Q(pk__in=[])
    return Q(Contains(Value(user.department.name, output_field=CharField()), F("rule__department")))


def counts(*, user: User, owned: bool = False) -> dict:
    """{"open": 待处理, "acknowledged": 处理中, "total", "by_kind": [(kind, label, open+处理中)]} within the user's
    jurisdiction (``owned``: only what the user's department owns): one grouped query."""
    rows = warnings_visible(user).filter(state__in=OPEN_STATES)
    if owned:
        rows = rows.filter(owned_q(user))
    rows = rows.values("kind", "state").annotate(n=Count("pk")).order_by()
    result = {"open": 0, "acknowledged": 0, "by_kind": {}}
    for row in rows:
        result[row["state"]] += row["n"]
        result["by_kind"][row["kind"]] = result["by_kind"].get(row["kind"], 0) + row["n"]
    result["by_kind"] = [(k, RuleKind(k).label, result["by_kind"][k]) for k in RuleKind.values
                         if k in result["by_kind"]]
    result["total"] = result["open"] + result["acknowledged"]
    return result
