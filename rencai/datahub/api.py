"""The data centre's API (django-ninja), mounted at ``/api/datahub``.

- ``POST /feeds/{feed_id}/rows``: a department's system pushes rows of its feed, authenticated by the feed's own
  token (``Authorization: Bearer rcdh_…``; generated and rotated by staff on the feed's page, kept only as a
  digest). The token pushes to its feed and nothing else: used for another feed it is refused (403) and logged,
  and it reads nothing (every read below needs a signed-in session). The rows are checked and loaded like a
  file; the same push again (the same ``Idempotency-Key`` header, or the same content without one) answers
  with the load already made and writes nothing.
- ``GET /feeds``, ``GET /loads/{load_id}``: the dashboard's figures and a load's report, for signed-in
  government users (a load's rows only for the feed's owner department, city level and administrators).
"""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Path, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from rencai.core.api_schemas import ERRORS, MAX_ID
from rencai.core.errors import AppError

from . import selectors, services
from .enums import LoadStatus
from .models import Load
from .presenting import period_text

router = Router(tags=["数据中心"])
Id = Path(..., ge=1, le=MAX_ID)
REPORT_ROWS = 200


class LoadRowErrorOut(Schema):
    row: int = Field(description="行号（文件的列名行为第1行；推送为第几行数据）")
    field: str = Field(description="列名")
    message: str = Field(description="原因（证件号码已脱敏）")


class LoadOut(Schema):
    id: int
    feed_id: int
    feed_name: str
    source: str
    source_label: str
    status: str = Field(description="queued 待装载、running 装载中、done 已装载、failed 装载失败")
    status_label: str
    file_name: str
    sha256: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    total_rows: int = Field(description="数据行数")
    rejected_rows: int = Field(description="有错误未装载的行数")
    new: int = Field(description="新增的核验数据")
    changed: int = Field(description="内容有变化而更新的核验数据")
    unchanged: int = Field(description="与已有数据相同、未改动的行数")
    unmatched: int = Field(description="在人才信息库（或单位名录）中未找到的行数（保留待匹配）")
    match_rate: str | None = Field(description="匹配率（百分比，一位小数），无有效行时为空")
    failure: str
    errors: list[LoadRowErrorOut] = Field(description="逐行报告（前200处）")
    error_count: int


class PushOut(LoadOut):
    replayed: bool = Field(description="同一推送的重复提交：返回已有的装载，未重复写入")
    message: str


class PushIn(Schema):
    rows: list[dict[str, Any]] = Field(description="数据行：每行一个对象，键为数据源的列名（如“证件号码”“缴费月份”）")


class FeedOut(Schema):
    id: int
    name: str
    department: str
    kind: str
    kind_label: str
    cadence_label: str
    freshness: str = Field(description="ok 按时、late 逾期、waiting 未到报送时限、irregular 不定期、unknown 无法判断")
    freshness_label: str
    latest_period: str | None = Field(description="已装载的最近期间")
    last_load: LoadOut | None
    unmatched: int = Field(description="未匹配的记录数")


def _match_rate(load) -> str | None:
    rate = load.match_rate
    return None if rate is None else f"{rate:.1f}"


def _load(load, *, errors: bool = True) -> dict:
    return {
        "id": load.pk, "feed_id": load.feed_id, "feed_name": load.feed.name, "source": load.source,
        "source_label": load.get_source_display(), "status": load.status, "status_label": load.get_status_display(),
        "file_name": load.file_name, "sha256": load.sha256, "created_at": load.created_at,
        "finished_at": load.finished_at, "total_rows": load.total_rows, "rejected_rows": load.rejected_rows,
        "new": load.facts_new, "changed": load.facts_changed, "unchanged": load.facts_unchanged,
        "unmatched": load.unmatched_rows, "match_rate": _match_rate(load), "failure": load.failure,
        "errors": (load.errors or [])[:REPORT_ROWS] if errors else [], "error_count": load.error_count,
    }


def _bearer(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AppError("请在 Authorization 请求头中提供数据源令牌（Bearer）", code="unauthenticated", status=401)
    return token.strip()


@router.post("/feeds/{feed_id}/rows", response={200: PushOut, 202: PushOut, **ERRORS}, auth=None,
             summary="推送数据（数据源令牌）",
             openapi_extra={"parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                            "schema": {"type": "string", "maxLength": 100},
                                            "description": "幂等键：同一键的重复推送只装载一次"}]})
def push_rows(request, payload: PushIn, feed_id: int = Id):
    """A department's system pushes rows of its feed. 202: accepted (loaded in the background; with the
    immediate task backend already loaded); 200: the same push again, nothing written."""
    token = _bearer(request)
    load, created = services.load_push(feed_id=feed_id, token=token, raw=request.body,
                                       idempotency_key=request.headers.get("Idempotency-Key"))
    load = Load.objects.select_related("feed").get(pk=load.pk)
    if not created:
        message = f"重复推送：与第{load.pk}批相同，未重复装载"
    elif load.status == LoadStatus.DONE:
        message = (f"已装载第{load.pk}批：新增{load.facts_new}条，更新{load.facts_changed}条，"
                   f"未变化{load.facts_unchanged}条，未匹配{load.unmatched_rows}条，错误{load.rejected_rows}行")
    else:
        message = f"已接收第{load.pk}批，正在后台装载"
    return Status(202 if created else 200, {**_load(load), "replayed": not created, "message": message})


@router.get("/feeds", response={200: list[FeedOut], **ERRORS}, auth=django_auth, summary="数据源及其时效")
def feeds(request):
    rows = selectors.feeds_overview(user=request.user)
    return Status(200, [{
        "id": r.feed.pk, "name": r.feed.name, "department": r.feed.department.name, "kind": r.feed.kind,
        "kind_label": r.feed.get_kind_display(), "cadence_label": r.feed.get_cadence_display(),
        "freshness": r.freshness.status, "freshness_label": r.freshness.label,
        "latest_period": period_text(r.feed.kind, r.freshness.latest) if r.freshness.latest else None,
        "last_load": _load(r.last_load, errors=False) if r.last_load else None,
        "unmatched": r.unmatched,
    } for r in rows])


@router.get("/loads/{load_id}", response={200: LoadOut, **ERRORS}, auth=django_auth, summary="一次数据装载及其逐行报告")
def load_detail(request, load_id: int = Id):
    return Status(200, _load(selectors.load_get(user=request.user, load_id=load_id)))
