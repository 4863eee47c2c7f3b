"""人才服务 (一件事)'s API (django-ninja), mounted at ``/api/services``: the same services and selectors as the pages.
The catalog with what the talent may request (and why not, for the rest); a talent's requests (list, detail,
create: an item or a bundle, for oneself — or, for specialists and window staff, for a talent they serve); a
department's transition of a part (the page's ``part_transition``: a stale version is a 409). Every list and
record is scoped through the talent's current record (another jurisdiction's request is a 404)."""

import datetime as dt
from typing import Literal

from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from rencai.accounts.enums import Role
from rencai.core.api_schemas import ERRORS, ID_PATH, MAX_ID, StrictIn, page_number, paginate
from rencai.core.errors import FieldError, NotFound, ValidationFailed
from rencai.fulfilment.services import kind_label

from . import selectors, services
from .enums import PartAction
from .models import RequestPart, ServiceRequest

router = Router(tags=["人才服务"], auth=django_auth)

PAGE_SIZE = 50


# -- what goes out ---------------------------------------------------------------------------------------------


class ServiceItemOut(Schema):
    key: str = Field(description="事项编号")
    title: str
    summary: str
    department: str = Field(description="承办部门")
    level: str
    level_label: str
    deadline_days: int | None = Field(description="承诺时限（工作日）；0 为即时办结；空为由窗口设定")
    deadline_text: str
    materials: list[str] = Field(description="所需材料")
    requestable: bool = Field(description="可在线申请")
    may_request: bool = Field(description="当前人才可以申请")
    why_not: list[str] = Field(description="不能申请的原因（人才本人查看时）")


class ServiceBundleOut(Schema):
    key: str
    title: str
    summary: str
    items: list[str] = Field(description="包含事项的编号")


class ServiceCatalogOut(Schema):
    items: list[ServiceItemOut]
    bundles: list[ServiceBundleOut]


class ServicePartOut(Schema):
    id: int
    item: str = Field(description="事项编号")
    title: str
    department: str
    level: str
    level_label: str
    status: str
    status_label: str
    handled_by: str | None
    treatment: str = Field(description="适用待遇")
    promised_due: dt.date | None = Field(description="承诺办结日（工作日计算）")
    late: bool = Field(description="已超过承诺办结日仍未办结")
    escalation: str
    escalation_label: str
    outcome: str = Field(description="办理结果或不予办理的理由")
    decided_at: dt.datetime | None
    version: int = Field(description="办理时须带上，过期则为409")
    may_act: bool = Field(description="当前用户可以办理该事项")


class ServiceRequestRow(Schema):
    id: int
    number: str
    title: str
    bundle: str | None = Field(description="一件事编号")
    talent_id: int
    talent_name: str
    origin: str
    origin_label: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    finished_at: dt.datetime | None


class ServiceRequestOut(ServiceRequestRow):
    note: str
    parts: list[ServicePartOut]


class ServiceRequestPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ServiceRequestRow]


# -- what comes in ----------------------------------------------------------------------------------------------


class ServiceRequestIn(StrictIn):
    item: str = Field("", max_length=60, description="单项服务的事项编号（与 bundle 二选一）")
    bundle: str = Field("", max_length=60, description="一件事编号（与 item 二选一）")
    items: list[str] = Field([], max_length=20, description="一件事中选择的事项编号（省略则为全部）")
    talent_id: int | None = Field(None, ge=1, le=MAX_ID,
                                  description="服务对象：人才本人省略；服务专员和窗口工作人员必填")
    note: str = Field("", max_length=500, description="说明")


class ServicePartActionIn(StrictIn):
    action: Literal["assign", "complete", "decline", "cancel"] = Field(
        description="assign：受理并分派；complete：办结；decline：不予办理；cancel：撤销")
    version: int = Field(ge=1, le=MAX_ID, description="读取时的版本号")
    note: str = Field("", max_length=500, description="办理结果、不予办理的理由或撤销原因")
    handled_by: int | None = Field(None, ge=1, le=MAX_ID, description="承办人（受理时，默认为本人）")


# -- helpers ----------------------------------------------------------------------------------------------------


def _deadline_text(days: int | None) -> str:
    if days is None:
        return "由窗口设定"
    return "即时办结" if days == 0 else f"{days}个工作日"


def _row(r: ServiceRequest) -> dict:
    return {"id": r.pk, "number": r.number, "title": r.title, "bundle": r.bundle.key if r.bundle_id else None,
            "talent_id": r.talent_id, "talent_name": r.talent.name, "origin": r.origin,
            "origin_label": r.get_origin_display(), "status": r.status, "status_label": r.get_status_display(),
            "submitted_at": r.submitted_at, "finished_at": r.finished_at}


def _part(p: RequestPart, user, today: dt.date) -> dict:
    return {"id": p.pk, "item": p.service_item.key, "title": p.title, "department": p.department,
            "level": p.level, "level_label": p.get_level_display(), "status": p.status,
            "status_label": p.get_status_display(), "handled_by": str(p.handled_by) if p.handled_by_id else None,
            "treatment": p.treatment, "promised_due": p.promised_due,
            "late": bool(p.is_open and p.promised_due and p.promised_due < today), "escalation": p.escalation,
            "escalation_label": p.get_escalation_display(), "outcome": p.outcome, "decided_at": p.decided_at,
            "version": p.version, "may_act": p.is_open and services.department_member(user, p)}


def _detail(user, request_id: int) -> dict:
    """The request as its page shows it, read again through the scoped selector."""
    r = selectors.request_get(user=user, request_id=request_id)
    today = timezone.localdate()
    parts = selectors.request_parts(r)
    return {**_row(r), "note": r.note, "parts": [_part(p, user, today) for p in parts]}


# -- the catalog --------------------------------------------------------------------------------------------------


@router.get("/catalog", response={200: ServiceCatalogOut, **ERRORS},
            summary="服务目录：各服务事项和一件事；人才本人查看时标明能否申请及不能申请的原因")
def catalog(request):
    user = request.auth
    talent = selectors.talent_for_request(user=user, talent_id=None) if user.role == Role.TALENT else None
    today = timezone.localdate()
    items = []
    for item in selectors.catalog_items():
        why = services.eligibility(item, talent, on=today) if talent is not None else []
        items.append({"key": item.key, "title": item.title, "summary": item.summary, "department": item.department,
                      "level": item.level, "level_label": item.get_level_display(),
                      "deadline_days": item.deadline_days, "deadline_text": _deadline_text(item.deadline_days),
                      "materials": [kind_label(k) for k in item.materials or []], "requestable": item.requestable,
                      "may_request": item.requestable and not why, "why_not": why})
    bundles = [{"key": b.key, "title": b.title, "summary": b.summary,
                "items": sorted(i.key for i in b.items.all())} for b in selectors.catalog_bundles()]
    return {"items": items, "bundles": bundles}


# -- requests ---------------------------------------------------------------------------------------------------


@router.get("/requests", response={200: ServiceRequestPage, **ERRORS},
            summary="服务请求：人才本人的；工作人员为管辖范围内的（最新的在前）")
def request_list(request, page: int | None = None):
    user = request.auth
    rows = selectors.my_requests(user=user) if user.role == Role.TALENT else selectors.requests_visible(user)
    meta, found = paginate(rows.select_related("talent", "bundle").order_by("-submitted_at", "-id"),
                           page_number(page), PAGE_SIZE)
    return {**meta, "results": [_row(r) for r in found]}


@router.post("/requests", response={201: ServiceRequestOut, **ERRORS},
             summary="申请一项服务或一件事（各事项同时分送承办部门）；不符合条件的说明原因（422），"
                     "已有办理中的同一事项为409")
def request_create(request, payload: ServiceRequestIn):
    user = request.auth
    if bool(payload.item) == bool(payload.bundle):
        raise ValidationFailed([FieldError("items", "请选择一个服务事项或一项一件事服务")])
    if payload.item and payload.items:
        raise ValidationFailed([FieldError("items", "单项服务不能再选择包含事项")])
    talent = selectors.talent_for_request(user=user, talent_id=payload.talent_id)
    if talent is None:
        if user.role != Role.TALENT and payload.talent_id is None:
            raise ValidationFailed([FieldError("talent", "请指定服务对象（人才）")])
        raise NotFound("未找到该人才，或其不在您服务或管辖的范围内")
    created = services.request_create(actor=user, talent_id=talent.pk,
                                      item_keys=[payload.item] if payload.item else payload.items,
                                      bundle_key=payload.bundle, note=payload.note)
    return Status(201, _detail(user, created.pk))


@router.get("/requests/{int:request_id}", response={200: ServiceRequestOut, **ERRORS},
            summary="服务请求详情：各事项的承办部门、状态、承诺办结日和办理结果")
def request_detail(request, request_id: int = ID_PATH):
    return _detail(request.auth, request_id)


@router.post("/parts/{int:part_id}/transition", response={200: ServiceRequestOut, **ERRORS},
             summary="办理一个事项（承办部门工作人员：受理分派、办结、不予办理；申请人也可撤销）；"
                     "version 已过期（他人刚刚办理）为409")
def part_transition(request, payload: ServicePartActionIn, part_id: int = ID_PATH):
    user = request.auth
    part = services.part_transition(actor=user, part_id=part_id, action=PartAction(payload.action),
                                    version=payload.version, note=payload.note,
                                    assignee_id=payload.handled_by)
    return _detail(user, part.request_id)
