"""决策预警's API (django-ninja), mounted at ``/api/earlywarning``: the same selectors and transition as the pages.
The list (filters by kind, state and district; scoped by the viewer's current jurisdiction), a warning with its
history, and the owners' transition (a stale version is a 409, a missing reason a 422 naming 原因)."""

import datetime as dt
from typing import Literal

from ninja import Router, Schema
from ninja.security import django_auth
from pydantic import Field

from rencai.core.api_schemas import ERRORS, ID_PATH, MAX_ID, StrictIn, page_number, paginate

from . import selectors, services
from .models import EarlyWarning

router = Router(tags=["决策预警"], auth=django_auth)

PAGE_SIZE = 50


class WarningRow(Schema):
    id: int
    kind: str
    kind_label: str
    title: str = Field(description="预警内容")
    talent_id: int | None
    talent_name: str | None
    district: str | None = Field(description="所涉区县（人才的当前区县，或预警所涉区域）")
    state: str
    state_label: str
    raised_at: dt.datetime
    closed_at: dt.datetime | None


class WarningEventOut(Schema):
    action: str
    action_label: str
    from_state: str
    to_state: str
    actor: str
    at: dt.datetime
    note: str = Field(description="原因")


class WarningOut(WarningRow):
    rule: str = Field(description="预警规则")
    department: str = Field(description="责任部门")
    detail: str
    reason: str = Field(description="解决或排除的原因")
    version: int = Field(description="处置时须带上，过期则为409")
    may_act: bool = Field(description="当前用户可以处置该预警")
    history: list[WarningEventOut]


class WarningPage(Schema):
    count: int
    page: int
    pages: int
    results: list[WarningRow]


class WarningActionIn(StrictIn):
    action: Literal["acknowledge", "resolve", "dismiss"] = Field(
        description="acknowledge：确认并处理；resolve：已解决；dismiss：排除")
    version: int = Field(ge=1, le=MAX_ID, description="读取时的版本号")
    reason: str = Field("", max_length=500, description="原因：已解决、排除时必填")


def _row(w: EarlyWarning) -> dict:
    place = w.place.name if w.place_id else (w.talent.district.name if w.talent_id else None)
    return {"id": w.pk, "kind": w.kind, "kind_label": w.get_kind_display(), "title": w.title,
            "talent_id": w.talent_id, "talent_name": w.talent.name if w.talent_id else None, "district": place,
            "state": w.state, "state_label": w.get_state_display(), "raised_at": w.raised_at,
            "closed_at": w.closed_at}


def _detail(user, warning_id: int) -> dict:
    w = selectors.warning_get(user=user, warning_id=warning_id)
    history = [{"action": e.action, "action_label": e.get_action_display(), "from_state": e.from_state,
                "to_state": e.to_state, "actor": e.actor_label, "at": e.at, "note": e.note}
               for e in selectors.warning_history(w)]
    return {**_row(w), "rule": w.rule.name, "department": w.rule.department, "detail": w.detail,
            "reason": w.reason, "version": w.version, "may_act": w.is_open and services.may_act(user, w),
            "history": history}


@router.get("/warnings", response={200: WarningPage, **ERRORS},
            summary="决策预警列表：管辖范围内的（默认未关闭的，最新的在前）")
def warning_list(request, kind: str = "", state: str = "open", district: str = "", page: int | None = None):
    rows = selectors.warning_list(user=request.auth, kind=kind, state=state, district=district)
    meta, found = paginate(rows.order_by("-raised_at", "-id"), page_number(page), PAGE_SIZE)
    return {**meta, "results": [_row(w) for w in found]}


@router.get("/warnings/{int:warning_id}", response={200: WarningOut, **ERRORS},
            summary="预警详情：内容、责任部门、状态和处置记录")
def warning_detail(request, warning_id: int = ID_PATH):
    return _detail(request.auth, warning_id)


@router.post("/warnings/{int:warning_id}/transition", response={200: WarningOut, **ERRORS},
             summary="处置预警（责任部门工作人员）：确认并处理、已解决、排除（后两者须写明原因）；"
                     "version 已过期（他人刚刚处置）为409")
def warning_transition(request, payload: WarningActionIn, warning_id: int = ID_PATH):
    user = request.auth
    services.warning_transition(actor=user, warning_id=warning_id, action=payload.action,
                                version=payload.version, reason=payload.reason)
    return _detail(user, warning_id)
