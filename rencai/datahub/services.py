"""The data centre's writes: push tokens, loads (submitted from the page, pushed by a department's system, or
given to `rencai datahub_load`), the load itself, the freshness warnings and discrepancies.

A load is written whole or not at all for its valid rows: the delivery is kept on disk (``RENCAI_MEDIA_ROOT``,
outside the web root) until its load has committed, and ``load_run`` reads, checks and writes it in one go — the
write in one transaction holding the load's and the feed's row locks. A process killed part-way leaves nothing
written; running the load again (the worker re-runs a job whose worker died; `rencai datahub_load --resume`)
completes it. A finished load is never run twice.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import secrets
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.bulk import values_of_ids
from rencai.core.errors import AppError, Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.uploads import check_upload

from . import access, reading
from .enums import DiscrepancyStatus, LoadSource, LoadStatus, Resolution
from .models import Discrepancy, Fact, Feed, Load

logger = logging.getLogger(__name__)

STORE_DIR = "datahub-loads"  # under MEDIA_ROOT; a delivery is removed once loaded
MAX_REPORTED_ERRORS = 2000  # rows of the report kept on the load (all are counted)
TOKEN_PREFIX = "rcdh_"  # noqa: S105 — the visible prefix of every push token, not a secret
JOB_KIND = "datahub_load"


# --- push tokens --------------------------------------------------------------------------------------------

def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_rotate(*, actor, feed_id: int) -> str:
    """A new push token for the feed (the old one stops working at once). Returned once, in clear; only its
    SHA-256 is kept. Staff of the owner department, city-level staff and administrators."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None:
        raise NotFound("未找到该数据源")
    if not access.may_load(actor, feed):
        audit_record(actor=actor, action=AuditAction.DENIED, obj=feed,
                     summary=f"无权生成数据源“{feed.name}”的推送令牌，已拒绝")
        raise PermissionDenied("只有数据提供部门、市级工作人员和系统管理员可以生成推送令牌")
    with transaction.atomic():
        feed = Feed.objects.select_for_update().get(pk=feed.pk)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        first = not feed.token_digest
        feed.token_digest, feed.token_hint = token_digest(token), token[-4:]
        feed.token_rotated_at, feed.token_rotated_by = timezone.now(), actor
        feed.save(update_fields=["token_digest", "token_hint", "token_rotated_at", "token_rotated_by"])
        audit_record(actor=actor, action=AuditAction.DATAHUB, obj=feed,
                     summary=f"{'生成' if first else '更换'}数据源“{feed.name}”的推送令牌（原令牌即时失效）")
    return token


def feed_for_token(token: str) -> Feed | None:
    """The feed a push token belongs to, or None (compared by digest, in constant time)."""
    if not token or not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    digest = token_digest(token)
    feed = Feed.objects.filter(token_digest=digest).first()
    return feed if feed is not None and hmac.compare_digest(feed.token_digest, digest) else None


# --- submitting a load ----------------------------------------------------------------------------------------

def _store(raw: bytes, fmt: str) -> str:
    folder = Path(settings.MEDIA_ROOT) / STORE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}{fmt}"
    (folder / name).write_bytes(raw)
    return name


def _stored_path(load: Load) -> Path:
    return Path(settings.MEDIA_ROOT) / STORE_DIR / Path(load.stored).name


def _unlink(name: str) -> None:
    (Path(settings.MEDIA_ROOT) / STORE_DIR / Path(name).name).unlink(missing_ok=True)


def _load_create(*, feed: Feed, source: str, raw: bytes, fmt: str, file_name: str, actor=None,
                 idempotency_key: str | None = None, background: bool = True) -> Load:
    """Keep the delivery on disk, record the load and hand it to the queue (after the commit)."""
    stored = _store(raw, fmt)
    try:
        with transaction.atomic():
            load = Load.objects.create(
                feed=feed, source=source, actor=actor if getattr(actor, "pk", None) else None,
                file_name=file_name[:200], sha256=hashlib.sha256(raw).hexdigest(), size=len(raw),
                idempotency_key=idempotency_key, stored=stored)
            if background:
                from rencai.jobs.services import job_enqueue

                job = job_enqueue(kind=JOB_KIND, title=f"数据装载：{feed.name}（第{load.pk}批）", actor=actor,
                                  params={"load_id": load.pk}, link=f"/datahub/loads/{load.pk}/")
                Load.objects.filter(pk=load.pk).update(job=job)
                load.job = job
            what = {".csv": "CSV文件", ".xlsx": "Excel文件"}.get(fmt)
            what = f"{what}“{Path(file_name).stem}”" if what else "接口推送的数据"
            audit_record(actor=actor, action=AuditAction.DATAHUB, obj=load,
                         summary=f"提交数据源“{feed.name}”的{what}（{len(raw)}字节，第{load.pk}批）")
    except BaseException:
        _unlink(stored)
        raise
    return load


def _feed_for_loading(actor, feed_id) -> Feed:
    feed = Feed.objects.select_related("department").filter(pk=feed_id).first()
    if feed is None or not feed.active:
        raise NotFound("未找到该数据源，或该数据源已停用")
    if not access.may_load(actor, feed):
        audit_record(actor=actor, action=AuditAction.DENIED, obj=feed,
                     summary=f"无权装载数据源“{feed.name}”的数据，已拒绝")
        raise PermissionDenied("只有数据提供部门、市级工作人员和系统管理员可以装载该数据源")
    return feed


def load_submit(*, actor, feed_id: int, upload) -> Load:
    """A file (.xlsx or .csv) uploaded on the feed's page: its columns are checked at once (a wrong file is refused
    before anything is stored or written), then it is loaded in the background."""
    feed = _feed_for_loading(actor, feed_id)
    check_upload(upload, field="file", label="数据文件", extensions=reading.FORMATS)
    raw = b"".join(upload.chunks()) if hasattr(upload, "chunks") else upload.read()
    fmt = Path((upload.name or "").lower()).suffix
    reading.columns_map(feed, reading.headers_of(raw, fmt))
    return _load_create(feed=feed, source=LoadSource.FILE, raw=raw, fmt=fmt, file_name=upload.name or "",
                        actor=actor)


def load_push(*, feed_id: int, token: str, raw: bytes, idempotency_key: str | None = None) -> tuple[Load, bool]:
    """A department's system pushes rows (JSON) with its feed's token. Returns (load, created): the same push
    again — the same idempotency key, or without one the same content — is the load already made (nothing
    written twice). A token of another feed is refused (403) and logged; an unknown token is a 401."""
    token_feed = feed_for_token(token)
    if token_feed is None:
        logger.warning("datahub push to feed %s with an unknown token", feed_id)
        raise AppError("数据源令牌无效或已更换", code="unauthenticated", status=401)
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None or not feed.active:
        raise NotFound("未找到该数据源，或该数据源已停用")
    if feed.pk != token_feed.pk:
        audit_record(actor=None, action=AuditAction.DENIED, obj=feed,
                     summary=f"数据源“{token_feed.name}”的推送令牌被用于数据源“{feed.name}”，已拒绝")
        raise PermissionDenied("该令牌只能用于它所属的数据源")
    sha = hashlib.sha256(raw).hexdigest()
    key = (idempotency_key or "").strip()[:100] or f"sha256:{sha}"
    existing = Load.objects.filter(feed=feed, idempotency_key=key).first()
    if existing is not None:
        if existing.sha256 != sha:
            raise Conflict("该幂等键已用于内容不同的另一次推送", code="idempotency_key_reused")
        return existing, False
    reading.columns_map(feed, reading.headers_of(raw, ".json"))
    try:
        load = _load_create(feed=feed, source=LoadSource.PUSH, raw=raw, fmt=".json", file_name="接口推送",
                            idempotency_key=key)
    except IntegrityError:  # the same push at the same moment: the other one made the load
        existing = Load.objects.filter(feed=feed, idempotency_key=key).first()
        if existing is None:
            raise
        return existing, False
    return load, True


def load_from_path(*, feed_id: int, path: str, actor=None) -> Load:
    """`rencai datahub_load`: a department's file given on the command line, recorded as a load to be run at once
    in this process (``load_run``). The columns are checked before anything is written."""
    return load_from_bytes(feed_id=feed_id, raw=Path(path).read_bytes(), file_name=Path(path).name, actor=actor)


def load_from_bytes(*, feed_id: int, raw: bytes, file_name: str, actor=None) -> Load:
    """A delivery handed over in this process (the command line, the demo), recorded as a load for ``load_run``;
    its columns checked first."""
    feed = Feed.objects.filter(pk=feed_id).first()
    if feed is None or not feed.active:
        raise NotFound(f"未找到编号为{feed_id}的数据源，或该数据源已停用")
    fmt = Path(file_name.lower()).suffix
    if fmt not in reading.FORMATS:
        raise AppError("数据文件：只接受.xlsx、.csv格式的文件", code="bad_file_type")
    reading.columns_map(feed, reading.headers_of(raw, fmt))
    return _load_create(feed=feed, source=LoadSource.COMMAND, raw=raw, fmt=fmt, file_name=file_name, actor=actor,
                        background=False)


# --- running a load -------------------------------------------------------------------------------------------

def _fail(load_id: int, message: str) -> None:
    Load.objects.filter(pk=load_id).exclude(status=LoadStatus.DONE).update(
        status=LoadStatus.FAILED, failure=message[:500], finished_at=timezone.now())


def _say(progress):
    def say(message: str, **counts) -> None:
        if progress is not None:
            progress(message=message, force=True, **counts)
    return say


def load_run(*, load_id: int, progress=None) -> Load:
    """Read, check and write one load (safe to run twice, or again after a crash; a finished load is left as it
    is). ``progress(message=, done=, total=, force=)`` is the job's (jobs.services.Progress) or None."""
    say = _say(progress)
    load = Load.objects.select_related("feed").filter(pk=load_id).first()
    if load is None:
        raise NotFound("未找到该数据装载")
    if load.status == LoadStatus.DONE:
        return load
    Load.objects.filter(pk=load.pk).update(status=LoadStatus.RUNNING, started_at=timezone.now(),
                                           attempts=F("attempts") + 1, failure="")
    clock, seconds = time.perf_counter(), {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = round(now - clock, 2)
        clock = now

    path = _stored_path(load)
    if not load.stored or not path.exists():
        _fail(load.pk, "暂存的数据文件已不存在，请重新提交")
        raise AppError("暂存的数据文件已不存在，请重新提交")
    say("正在读取数据")
    try:
        previous = _same_as_last(load)
        repeated = _load_repeat(load, previous, say) if previous is not None else None
        return repeated or _load_write(load, path, say, lap, seconds)
    except AppError as exc:
        _fail(load.pk, exc.message)
        raise
    except Exception:
        logger.exception("datahub load %s failed", load.pk)
        _fail(load.pk, "装载出错，已记录；未写入任何数据，可重新装载")
        raise


def _load_write(load: Load, path: Path, say, lap, seconds: dict) -> Load:
    from . import loading, validation

    feed = load.feed
    frame = reading.delivery_frame(path.read_bytes(), path.suffix, feed)
    lap("read")
    if frame.height == 0:
        raise AppError("数据文件：只有表头，没有数据行；未写入任何数据", code="no_rows")
    say(f"正在逐行检查（共{frame.height}行）", total=frame.height)
    checked = validation.rows_validate(frame, feed=feed)
    lap("check")
    as_of = timezone.localdate()
    with transaction.atomic():
        locked = Load.objects.select_for_update().get(pk=load.pk)
        if locked.status == LoadStatus.DONE:  # another run finished it meanwhile
            return locked
        Feed.objects.select_for_update().filter(pk=feed.pk).first()  # one load of a feed writes at a time
        written = loading.facts_write(feed=feed, load=locked, valid=checked.valid, as_of=as_of,
                                      say=lambda message: say(message, done=checked.total_rows))
        seconds.update(written.seconds)
        if written.new + written.changed + written.rematched:
            from . import verification

            verification.refresh(feed=feed, load=locked, written=written,
                                 periods=checked.valid.get_column("period").unique().to_list())
            lap("verify")
        raised = discrepancies_raise(feed=feed, load=locked, written=written,
                                     periods=checked.valid.get_column("period").unique().to_list())
        pause = float(os.environ.get("RENCAI_DATAHUB_TEST_PAUSE", "0") or 0)
        if pause:  # tests: a process killed here, inside the write, must leave nothing behind
            mark = os.environ.get("RENCAI_DATAHUB_TEST_MARK")
            if mark:
                Path(mark).write_text(str(load.pk))
            time.sleep(pause)
        errors = checked.errors
        periods = checked.valid.get_column("period")
        Load.objects.filter(pk=load.pk).update(
            status=LoadStatus.DONE, total_rows=checked.total_rows, rejected_rows=checked.rejected_rows,
            facts_new=written.new, facts_changed=written.changed, facts_unchanged=written.unchanged,
            unmatched_rows=written.unmatched, rematched=written.rematched,
            period_min=periods.min() if len(periods) else None, period_max=periods.max() if len(periods) else None,
            errors=errors.head(MAX_REPORTED_ERRORS).to_dicts(), error_count=errors.height, stored="",
            finished_at=timezone.now(), seconds=seconds)
        audit_record(actor=load.actor, action=AuditAction.DATAHUB, obj=load,
                     summary=f"数据源“{feed.name}”第{load.pk}批装载完成：共{checked.total_rows}行，"
                             f"新增{written.new}、更新{written.changed}、未变化{written.unchanged}，"
                             f"未匹配{written.unmatched}，错误{checked.rejected_rows}行"
                             + (f"，发现疑点{raised}条" if raised else ""),
                     row_count=checked.total_rows)
        stored = load.stored
        transaction.on_commit(lambda: _unlink(stored))
        if feed.kind == "social_insurance":  # 流失预警 reads the 社保 facts: evaluated after the commit
            from rencai.earlywarning.services import facts_loaded

            facts_loaded()
    loading.after_large_write(written)
    if "vacuum" in written.seconds:
        Load.objects.filter(pk=load.pk).update(seconds=seconds | {"vacuum": written.seconds["vacuum"]})
    say("装载完成", done=checked.total_rows)
    return Load.objects.select_related("feed").get(pk=load.pk)


def _same_as_last(load: Load) -> Load | None:
    """The feed's last finished load, when it had exactly this content (the same SHA-256 and size): nothing can
    have changed its facts since (only the feed's own loads write them, one at a time)."""
    last = Load.objects.filter(feed_id=load.feed_id, status=LoadStatus.DONE).order_by("-pk").first()
    if last is not None and last.sha256 == load.sha256 and last.size == load.size and last.pk != load.pk:
        return last
    return None


def _load_repeat(load: Load, previous: Load, say) -> Load:
    """The same content as the feed's last load: recorded as a load of its own (who, when, what), its facts
    left as they are — every row unchanged — without reading the file again. Facts left unmatched are
    matched again (someone registered since), as by every load."""
    from . import loading

    started = time.perf_counter()
    with transaction.atomic():
        locked = Load.objects.select_for_update().get(pk=load.pk)
        if locked.status == LoadStatus.DONE:
            return locked
        Feed.objects.select_for_update().filter(pk=load.feed_id).first()
        if _same_as_last(locked) is None:  # another load of the feed came in between: do it the long way
            transaction.set_rollback(True)
            return None
        from django.db import connection

        with connection.cursor() as cursor:
            rematched_ids = loading.rematch(cursor, load.feed, locked)
        rematched = len(rematched_ids)
        if rematched:
            from . import verification

            verification.refresh(feed=load.feed, load=locked,
                                 written=loading.Written(rematched=rematched, rematched_ids=rematched_ids))
        unmatched = Fact.objects.filter(feed_id=load.feed_id, talent__isnull=True, organization__isnull=True,
                                        period__gte=previous.period_min, period__lte=previous.period_max
                                        ).count() if previous.period_min else 0
        Load.objects.filter(pk=load.pk).update(
            status=LoadStatus.DONE, total_rows=previous.total_rows, rejected_rows=previous.rejected_rows,
            facts_new=0, facts_changed=0, facts_unchanged=previous.valid_rows,
            unmatched_rows=min(unmatched, previous.valid_rows), rematched=rematched,
            period_min=previous.period_min, period_max=previous.period_max, errors=previous.errors,
            error_count=previous.error_count, stored="", finished_at=timezone.now(),
            seconds={"same_as": previous.pk, "write": round(time.perf_counter() - started, 2)})
        audit_record(actor=load.actor, action=AuditAction.DATAHUB, obj=load, row_count=previous.total_rows,
                     summary=f"数据源“{load.feed.name}”第{load.pk}批与第{previous.pk}批内容相同（SHA-256一致），"
                             f"数据未变化，未重复写入")
        stored = load.stored
        transaction.on_commit(lambda: _unlink(stored))
    say("装载完成：与上一批内容相同，数据未变化", done=previous.total_rows)
    return Load.objects.select_related("feed").get(pk=load.pk)


def loads_resume(*, load_id: int | None = None, progress=None) -> list[Load]:
    """Run again the loads that did not finish (killed, failed while their file is still kept): one, or all."""
    pending = Load.objects.exclude(status=LoadStatus.DONE).exclude(stored="").order_by("pk")
    if load_id is not None:
        pending = pending.filter(pk=load_id)
    return [load_run(load_id=pk, progress=progress) for pk in pending.values_list("pk", flat=True)]


# --- discrepancies ---------------------------------------------------------------------------------------------

def discrepancies_raise(*, feed: Feed, load: Load, written=None, periods=()) -> int:
    """疑点 found by this load, in its transaction (the rules: datahub/discrepancies.py). Raised once: not for a
    fact already raised on that field, nor where the talent already has one saying the same about the field
    (open or resolved). A load that wrote nothing new raises nothing. ``periods``: the delivery's, for the months
    a 社保 load completes (a talent declaring payment absent from one)."""
    from . import discrepancies

    if written is not None and written.new + written.changed + written.rematched == 0:
        return 0
    missing = discrepancies.missing_months_raise(feed=feed, load=load, periods=list(periods))
    found = discrepancies.found_by_load(feed=feed, load=load)
    if not found:
        return missing
    have: set[tuple[int, str, str]] = set()
    seen_facts: set[tuple[int, str]] = set()
    talent_ids = sorted({f.talent_id for f in found})
    for talent_id, fact_id, field, verified in values_of_ids(Discrepancy.objects.all(), "talent_id", talent_ids,
                                                            ("talent_id", "fact_id", "field", "verified")):
        have.add((talent_id, field, verified))
        seen_facts.add((fact_id, field))
    fresh, keys = [], set()
    for f in found:
        key = (f.talent_id, f.field, f.verified[:300])
        if key in have or (f.fact_id, f.field) in seen_facts or key in keys:
            continue
        keys.add(key)
        fresh.append(Discrepancy(talent_id=f.talent_id, fact_id=f.fact_id, feed=feed, load=load, field=f.field,
                                 declared=f.declared[:200], verified=f.verified[:300]))
    Discrepancy.objects.bulk_create(fresh, ignore_conflicts=True, batch_size=2000)
    return len(fresh) + missing


def _region_name(code) -> str:
    from .discrepancies import _region_name as name

    return name(code)


NOTE_REQUIRED = {Resolution.DECLARATION_UPHELD, Resolution.FEED_REFERRED}


def discrepancy_transition(*, actor, discrepancy_id: int, resolution: str, note: str = "") -> Discrepancy:
    """The one transition of a discrepancy: open → resolved, by staff of the talent's current jurisdiction (or an
    administrator), with the evidence seen. Accepting the feed (已按核验数据更正登记信息) corrects the registry
    field to what the feed says — in the talent's change log and the audit log —; keeping the declaration or
    referring it to the department needs the reason. A second decision is a 409."""
    from rencai.accounts.permissions import require_staff, scope_related
    from rencai.analytics import services as history
    from rencai.analytics.enums import HistoryReason
    from rencai.talents.models import Talent, TalentChange
    from rencai.talents.services import _shown

    from . import discrepancies

    require_staff(actor)
    errors = []
    if resolution not in Resolution.values:
        errors.append(FieldError("resolution", "请选择处理结果"))
    elif resolution in NOTE_REQUIRED and not (note or "").strip():
        errors.append(FieldError("note", "请填写处理说明（保留申报信息或转部门核查的理由）"))
    with transaction.atomic():
        item = (Discrepancy.objects.select_for_update(of=("self",)).filter(scope_related(actor, "talent"))
                .select_related("fact", "feed").filter(pk=discrepancy_id).first())
        if item is None:
            raise NotFound("未找到该疑点，或不在您的管辖范围内")
        if errors:
            raise ValidationFailed(errors)
        if item.status != DiscrepancyStatus.OPEN:
            raise Conflict("该疑点已处理", code="already_resolved")
        if resolution == Resolution.REGISTRY_CORRECTED:
            talent = Talent.objects.select_for_update().get(pk=item.talent_id)
            before = history.history_snapshot(talent)
            applied = {}
            for attribute, value in discrepancies.correction(item).items():
                old = getattr(talent, attribute)
                if old != value:
                    label = Talent._meta.get_field(attribute).verbose_name
                    shown_old = str(old) if attribute == "organization" and old else _shown(attribute, old)
                    applied[attribute] = {"label": str(label), "from": shown_old,
                                          "to": "—" if value is None else _shown(attribute, value)}
                    setattr(talent, attribute, value)
            if applied:
                talent.save()
                # an employer 注销 ends the spell there; a 留学回国 certificate makes the origin overseas
                history.history_record(talent, before=before, on=timezone.localdate(),
                                       reason=HistoryReason.VERIFICATION)
                TalentChange.objects.create(talent=talent, actor=actor, changes=applied)
                audit_record(actor=actor, action=AuditAction.TALENT_UPDATE, obj=talent,
                             summary=f"按{item.feed.name}的核验数据更正 {talent.name} 的"
                                     + "、".join(c["label"] for c in applied.values()))
        item.status, item.resolution = DiscrepancyStatus.RESOLVED, resolution
        item.note = (note or "").strip()[:2000] or "已按核验数据更正"
        item.resolved_by, item.resolved_at = actor, timezone.now()
        item.save(update_fields=["status", "resolution", "note", "resolved_by", "resolved_at"])
        if resolution == Resolution.DECLARATION_UPHELD and item.fact_id:
            from . import verification

            # The feed was wrong about this: its fact no longer vouches for anything the engine reads.
            verification.refresh_talent(talent_id=item.talent_id, kind=item.fact.kind)
        audit_record(actor=actor, action=AuditAction.DATAHUB, obj=item.talent,
                     summary=f"处理数据疑点（申报：{item.declared}；核验：{item.verified}）："
                             f"{item.get_resolution_display()}")
    return item


def discrepancy_resolve(*, actor, discrepancy_id: int, resolution: str, note: str) -> Discrepancy:
    """Kept for callers of the first version: the same transition."""
    return discrepancy_transition(actor=actor, discrepancy_id=discrepancy_id, resolution=resolution, note=note)


# --- freshness ------------------------------------------------------------------------------------------------

def feeds_check_freshness(*, today: dt.date | None = None) -> list[Feed]:
    """Warn each late feed's owner department once per missing period (notifications: one message per user and
    key). Returns the late feeds. Run daily by the worker's schedule (`rencai datahub_check`)."""
    from rencai.accounts.enums import Role
    from rencai.accounts.models import User
    from rencai.notifications.services import notify

    from .selectors import feed_freshness

    today = today or timezone.localdate()
    late = []
    for feed in Feed.objects.filter(active=True).select_related("department"):
        fresh = feed_freshness(feed, today=today)
        if not fresh.late:
            continue
        late.append(feed)
        owners = list(User.objects.filter(department=feed.department, role=Role.STAFF, is_active=True)
                      .values_list("pk", flat=True))
        with transaction.atomic():
            notify(recipients=owners, kind="datahub", key=f"datahub-late:{feed.pk}:{fresh.expected:%Y-%m-%d}",
                   title=f"数据源“{feed.name}”逾期未报送{fresh.expected_label}的数据",
                   body=f"应于{fresh.due:%Y年%-m月%-d日}前报送，已逾期{fresh.late_days}个工作日。"
                        f"请尽快在数据中心上传或推送。",
                   link=f"/datahub/feeds/{feed.pk}/")
    return late
