"""Cost before publishing (发布前测算, issue 13): what a draft revision would change over the registry.

The catalog in force (``policies.published.effective``) is set against the catalog the draft would make
(``services.rule_check``), for the person policies whose compiled rule differs (``services.changed_policies``),
evaluated by the batch engine over the registry frame of the viewer's jurisdiction — the same comparison the
amount what-if counts with (``policies.whatif.compare_results``). Per policy and per district: people entitled
before and after, gained, lost, whose amount changes; money per month, this year and over the duration (none
where the documents set no end). The people who would lose it are kept, those who hold it today marked.

It runs in the background (job kind ``revision_cost``) and is kept in ``RuleRevision.cost``, one entry per
jurisdiction (``scope_key``), each with the key it was computed under (the catalog in force, the evaluation
day, the draft's text): a result computed under another key is shown as stale and computed again on demand.
Money is integer fen in the computation and in the kept JSON, Decimal yuan on screen.
"""

from __future__ import annotations

import base64
import datetime as dt
import io

import polars as pl
from django.db import transaction
from django.utils import timezone

from rencai.core.errors import NotFound
from rencai.core.paging import ListPage
from rencai.jobs.registry import job_kind
from rencai.policies.models import fen_to_yuan

from .models import RuleRevision

JOB_KIND = "revision_cost"
STATUS_AFTER = {0: "不符合", 2: "需人工审核", 3: "信息不足"}
MONEY = ("monthly", "this_year", "total")
COUNTS = ("people_before", "people_after", "people_gained", "people_lost", "people_amount_changed",
          "holders_before", "lost_holding")


# -- the key a result is computed under -----------------------------------------------------------------------

def scope_key(viewer) -> str:
    """The viewer's current jurisdiction as a key of ``RuleRevision.cost`` (letters first: a JSON key path
    never reads it as an array index)."""
    if viewer.is_administrator:
        return "all"
    department = getattr(viewer, "department", None)
    return f"r{department.region_id}" if department is not None else f"u{viewer.pk}"


def scope_label(viewer) -> str:
    if viewer.is_administrator:
        return "全部辖区"
    department = getattr(viewer, "department", None)
    return department.region.name if department is not None else "本人可见范围"


def cost_key(revision: RuleRevision, *, viewer, as_of: dt.date) -> dict:
    from rencai.policies.published import effective

    return {"catalog": effective().version, "as_of": as_of.isoformat(), "text": revision.content_hash,
            "scope": scope_key(viewer)}


# -- the computation ------------------------------------------------------------------------------------------

def _without(policy: str) -> pl.Expr:
    return pl.col("received").list.eval(pl.element().filter(pl.element() != policy))


def revision_cost(revision: RuleRevision, *, viewer, as_of: dt.date, progress=None) -> dict:
    """The draft's effect over the registry of the viewer's jurisdiction, as kept in ``RuleRevision.cost``:
    ``{"key", "summary": {...}, "losers": {policy: {"count", "holders", "monthly", "packed"}}}`` (``packed``:
    ``losers_pack``; read it with ``losers_frame``). A draft that
    no longer parses or type-checks against the catalog in force raises ``services.RuleError`` (Chinese)."""
    from rencai.accounts.permissions import talent_scope_q
    from rencai.policies.published import effective
    from rencai.policies.registry import registry_frame
    from rencai.policies.whatif import compare_results, evaluate_side
    from rencai.regions.models import Region
    from rencai.talents.models import Talent

    from .services import changed_policies, rule_check

    def step(done, total, message):
        if progress is not None:
            progress(done=done, total=total, message=message, force=True)

    key = cost_key(revision, viewer=viewer, as_of=as_of)
    before = effective().catalog
    after = rule_check(revision.file, revision.text).catalog
    changed = changed_policies(before, after)
    policies = [pid for pid in changed if (after.policies.get(pid) or before.policies[pid]).subject == "person"]
    others = [pid for pid in changed if pid not in policies]
    total = len(policies) + 1
    step(0, total, "正在读取人才信息库")
    frame = registry_frame(as_of=as_of, queryset=Talent.objects.filter(talent_scope_q(viewer))) if policies \
        else None
    districts = frame["district"] if frame is not None else pl.Series([], dtype=pl.String)
    names = dict(Region.objects.filter(code__in=districts.unique().to_list()).values_list("code", "name"))
    inputs = frame.drop("district") if frame is not None else None
    summary_policies, losers = [], {}
    for done, pid in enumerate(policies, start=1):
        title = (after.policies.get(pid) or before.policies[pid]).title
        step(done, total, f"正在测算：{title}")
        # Who holds it today (an active entitlement or an approved application: the frame's ``received``).
        # ``once_per_person`` makes a holder "not entitled" under both catalogs (已享受过, 不重复计算), so the
        # draft could never be seen to take it from them: each policy is evaluated with that policy alone taken
        # out of ``received`` (the other members of an exclusive group stay in, so 不可兼得 still holds). The
        # figures are then what the rule covers — those who hold it and those who could claim it — and a holder
        # entitled by the rule in force and not by the draft is among the losers, marked as holding it.
        holds = inputs["received"].list.contains(pid)
        rows = inputs.with_columns(_without(pid).alias("received"))
        result_before = evaluate_side(rows, as_of, [pid], before)
        result_after = evaluate_side(rows, as_of, [pid], after)
        figures = compare_results(result_before, result_after, [pid], as_of=as_of, before_catalog=before,
                                  after_catalog=after, by=districts)
        entitled_before = result_before[f"{pid}.status"] == 1
        lost = entitled_before & (result_after[f"{pid}.status"] != 1)
        extra = (pl.DataFrame({"group": districts, "holders_before": entitled_before & holds,
                               "lost_holding": lost & holds})
                 .group_by("group").agg(pl.col("holders_before").sum(), pl.col("lost_holding").sum()))
        extra_of = {row["group"]: row for row in extra.iter_rows(named=True)}
        by_district = []
        for row in figures.iter_rows(named=True):
            entry = {k: row[k] for k in ("people_before", "people_after", "people_gained", "people_lost",
                                         "people_amount_changed")}
            entry.update({f"{m}_fen_{side}": row[f"{m}_fen_{side}"] for m in MONEY for side in ("before", "after")})
            entry["holders_before"] = int(extra_of.get(row["group"], {}).get("holders_before") or 0)
            entry["lost_holding"] = int(extra_of.get(row["group"], {}).get("lost_holding") or 0)
            entry["district"] = names.get(row["group"], "其他")
            by_district.append(entry)
        by_district.sort(key=lambda e: (-e["people_before"] - e["people_after"], e["district"]))
        first = figures.row(0, named=True) if figures.height else None
        summary_policies.append({
            "policy": pid, "title": title, "months_this_year": first["months_this_year"] if first else None,
            "unbounded": any(e["total_fen_before"] is None or e["total_fen_after"] is None for e in by_district),
            "total": _sum_rows(by_district), "districts": by_district,
        })
        shape = before.policies.get(pid) or after.policies[pid]
        monthly = shape.amount is not None and shape.amount.monthly is not None
        amount_column = f"{pid}.monthly_fen" if monthly else f"{pid}.one_time_fen"
        gone = pl.DataFrame({
            "id": inputs["person_id"], "holds": holds,
            "amount": (result_before[amount_column] if amount_column in result_before.columns
                       else pl.Series([None] * inputs.height, dtype=pl.Int64)),
            "after": result_after[f"{pid}.status"].cast(pl.Int64),
        }).filter(lost).sort("id", descending=True)
        losers[pid] = {"count": gone.height, "holders": int(gone["holds"].sum()), "monthly": monthly,
                       "packed": losers_pack(gone)}
    step(total, total, "正在保存测算结果")
    summary = {
        "as_of": as_of.isoformat(), "computed_at": timezone.now().isoformat(), "scope_label": scope_label(viewer),
        "talents": inputs.height if inputs is not None else None, "policies": summary_policies,
        "not_person": [(after.policies.get(pid) or before.policies[pid]).title for pid in others],
    }
    return {"key": key, "summary": summary, "losers": losers}


def _sum_rows(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in COUNTS}
    for m in MONEY:
        for side in ("before", "after"):
            values = [r[f"{m}_fen_{side}"] for r in rows]
            total[f"{m}_fen_{side}"] = None if any(v is None for v in values) else sum(values)
    total["district"] = "合计"
    return total


# -- kept and run in the background ---------------------------------------------------------------------------

def cost_store(revision: RuleRevision, *, scope: str, result: dict) -> None:
    """Keep one jurisdiction's result in ``RuleRevision.cost`` (the others' stay)."""
    with transaction.atomic():
        locked = RuleRevision.objects.select_for_update().only("pk", "cost").get(pk=revision.pk)
        cost = dict(locked.cost or {})
        cost[scope] = result
        RuleRevision.objects.filter(pk=revision.pk).update(cost=cost)


def _dedupe_key(revision: RuleRevision, viewer, as_of: dt.date) -> str:
    return f"workbench:cost:{revision.pk}:{scope_key(viewer)}:{as_of.isoformat()}"


def cost_enqueue(*, revision: RuleRevision, viewer, as_of: dt.date):
    """Start computing the cost (or join the run already going for this revision, jurisdiction and day). The
    draft is checked first: one that no longer parses raises ``RuleError`` and nothing is started."""
    from django.urls import reverse

    from rencai.jobs.services import job_enqueue

    from .permissions import require_officer
    from .services import rule_check

    require_officer(viewer)
    rule_check(revision.file, revision.text)
    return job_enqueue(kind=JOB_KIND, title=f"发布前测算：{rule_title(revision)}第{revision.number}版", actor=viewer,
                       params={"revision": revision.pk, "as_of": as_of.isoformat()},
                       link=reverse("workbench:revision", args=[revision.pk]) + "#cost",
                       dedupe_key=_dedupe_key(revision, viewer, as_of))


@job_kind(JOB_KIND)
def cost_job(job, progress):
    """Compute and keep the cost for the jurisdiction of whoever started it. Safe to run twice (computed and
    kept again)."""
    from rencai.accounts.models import User

    viewer = User.objects.filter(pk=job.created_by_id).select_related("department__region").first()
    revision = RuleRevision.objects.filter(pk=job.params["revision"]).first()
    if viewer is None or revision is None:
        raise NotFound("测算所需的规则版本或用户已不存在")
    result = revision_cost(revision, viewer=viewer, as_of=dt.date.fromisoformat(job.params["as_of"]),
                           progress=progress)
    cost_store(revision, scope=scope_key(viewer), result=result)
    return {"policies": [p["policy"] for p in result["summary"]["policies"]]}


# -- read for the pages ---------------------------------------------------------------------------------------

def rule_title(revision: RuleRevision) -> str:
    """The rule's title as people read it (the policy's or the exclusive group's), never its id."""
    from rencai.policies.published import effective

    catalog = effective().catalog
    found = catalog.policies.get(revision.policy) or catalog.groups.get(revision.policy)
    return found.title if found is not None else "新规则"


def panel_url(revision: RuleRevision) -> str:
    from django.urls import reverse

    return reverse("workbench:revision_cost", args=[revision.pk])


def _kept(revision: RuleRevision, scope: str, part: str):
    """One part of one jurisdiction's kept result, without reading the others (the loser lists can be long)
    when the revision was read without its ``cost``."""
    if "cost" not in revision.get_deferred_fields():
        return (revision.cost or {}).get(scope, {}).get(part)
    return (RuleRevision.objects.filter(pk=revision.pk).values_list(f"cost__{scope}__{part}", flat=True)
            .first())


def _yuan_row(row: dict) -> dict:
    shown = {k: row[k] for k in ("district", *COUNTS)}
    for m in MONEY:
        before, after = fen_to_yuan(row[f"{m}_fen_before"]), fen_to_yuan(row[f"{m}_fen_after"])
        shown[f"{m}_before"], shown[f"{m}_after"] = before, after
        shown[f"{m}_change"] = None if before is None or after is None else after - before
    return shown


def cost_panel(revision: RuleRevision, viewer, *, as_of: dt.date | None = None) -> dict:
    """What ``workbench/_cost_panel.html`` shows (include it ``with panel=...``). Keys:

    - ``revision``: the revision; ``url``: where the panel is fetched (GET) and the run started (POST);
    - ``as_of``: the evaluation day asked for (default today); ``scope_label``: the viewer's jurisdiction;
    - ``result``: the kept result for this jurisdiction, or None — ``as_of``, ``computed_at`` (datetime),
      ``talents`` (how many were evaluated), ``not_person`` (changed policies the registry cannot cost: titles),
      ``policies``: per changed person policy ``policy``, ``title``, ``months_this_year``, ``unbounded`` (a side
      has no end: no duration total), ``total`` and ``districts`` (rows: ``district`` name, ``people_before``,
      ``people_after``, ``people_gained``, ``people_lost``, ``people_amount_changed``, ``holders_before``,
      ``lost_holding``, and Decimal yuan ``monthly_/this_year_/total_`` + ``before/after/change``, None where
      it cannot be given), ``losers_url``;
    - ``stale``: the kept result was computed under another catalog in force, day or text; ``stale_reasons``;
    - ``job``: the run going now (or the last one, failed), or None; ``running``: it is queued or running;
    - ``error``: the failed run's message (Chinese), or "".
    """
    from django.urls import reverse

    from rencai.jobs.models import ACTIVE, Job, JobStatus

    as_of = as_of or timezone.localdate()
    scope = scope_key(viewer)
    key = cost_key(revision, viewer=viewer, as_of=as_of)
    kept_key = _kept(revision, scope, "key")
    summary = _kept(revision, scope, "summary") if kept_key else None
    reasons = []
    if kept_key and summary:
        if kept_key.get("catalog") != key["catalog"]:
            reasons.append("计算之后有规则发布，现行规则已变化")
        if kept_key.get("as_of") != key["as_of"]:
            reasons.append(f"评估日为{kept_key.get('as_of')}，不是{key['as_of']}")
        if kept_key.get("text") != key["text"]:
            reasons.append("规则文本已变化")
    result = None
    if summary:
        losers_url = reverse("workbench:revision_losers", args=[revision.pk])
        result = {
            **summary, "computed_at": dt.datetime.fromisoformat(summary["computed_at"]),
            "as_of": dt.date.fromisoformat(summary["as_of"]),
            "policies": [{**p, "total": _yuan_row(p["total"]), "districts": [_yuan_row(r) for r in p["districts"]],
                          "losers_url": f"{losers_url}?policy={p['policy']}"}
                         for p in summary["policies"]],
        }
    job = Job.objects.filter(kind=JOB_KIND, dedupe_key=_dedupe_key(revision, viewer, as_of)).order_by("-id").first()
    computed_at = result["computed_at"] if result else None
    if job is not None and job.status not in ACTIVE and not (
            job.status == JobStatus.FAILED and (computed_at is None or job.finished_at > computed_at)):
        job = None
    return {
        "revision": revision, "url": panel_url(revision), "as_of": as_of,
        "scope_label": scope_label(viewer), "result": result, "stale": bool(reasons), "stale_reasons": reasons,
        "job": job, "running": job is not None and job.status in ACTIVE,
        "error": job.error if job is not None and job.status == JobStatus.FAILED else "",
    }


def losers_of(revision: RuleRevision, viewer, policy: str) -> tuple[dict, dict]:
    """(the kept summary, the kept list of one policy's losers) for the viewer's jurisdiction."""
    scope = scope_key(viewer)
    summary = _kept(revision, scope, "summary")
    losers = (_kept(revision, scope, "losers") or {}).get(policy) if summary else None
    if not summary or losers is None:
        raise NotFound("尚未测算这项政策，请先在规则版本页面点击“计算”")
    return summary, losers


def losers_pack(frame: pl.DataFrame) -> str:
    """The losers (id descending, holds, amount lost in fen, status under the draft) as kept in the JSON: ids
    as gaps, compressed (a million losers would be tens of megabytes as JSON lists; this is a few hundred
    kilobytes, and the revision's page reads it with its row)."""
    packed = frame.select(pl.col("id").diff().fill_null(pl.col("id").first()).alias("gap"), "holds", "amount",
                          pl.col("after").cast(pl.UInt8))
    buffer = io.BytesIO()
    packed.write_ipc(buffer, compression="zstd")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def losers_frame(losers: dict, *, holders_only: bool = False) -> pl.DataFrame:
    """The kept losers back: ``id`` (descending), ``holds``, ``amount`` (fen), ``after`` (status)."""
    packed = pl.read_ipc(io.BytesIO(base64.b64decode(losers["packed"])))
    frame = packed.select(pl.col("gap").cum_sum().alias("id"), "holds", "amount", pl.col("after").cast(pl.Int64))
    return frame.filter(pl.col("holds")) if holders_only else frame


def losers_page(losers: dict, *, viewer, params, holders_only: bool = False, per_page: int = 50) -> ListPage:
    """One page of the losers (ids descending, a keyset cursor as core.paging's), with their talents read
    through the viewer's scope: a talent who left the jurisdiction since is not shown."""
    from rencai.core.paging import _cursor_values, _page_number

    frame = losers_frame(losers, holders_only=holders_only)
    number = _page_number(params.get("page"))
    after = _cursor_values(params.get("after"), 1)
    before = _cursor_values(params.get("before"), 1) if after is None else None
    count = frame.height
    number = min(number, max(1, -(-count // per_page)))
    if after is not None:  # the ids below the cursor
        below = frame.filter(pl.col("id") < after[0])
        chosen, has_next = below.head(per_page), below.height > per_page
    elif before is not None:  # the ids above it, the nearest ones
        above = frame.filter(pl.col("id") > before[0])
        chosen, has_next = above.tail(per_page), True
        if above.height <= per_page:
            number = 1
    else:
        start = (number - 1) * per_page
        chosen, has_next = frame.slice(start, per_page), start + per_page < count
    ids = chosen["id"].to_list()
    rows = list(_rows(chosen, viewer=viewer, monthly=losers["monthly"]))
    return ListPage(object_list=rows, number=number, per_page=per_page, count=count, count_exact=True,
                    has_next=has_next, next_cursor=str(ids[-1]) if ids and has_next else "",
                    previous_cursor=str(ids[0]) if ids and number > 1 else "")


def _rows(chosen: pl.DataFrame, *, viewer, monthly: bool):
    from rencai.accounts.permissions import talent_scope_q
    from rencai.talents.models import Talent

    talents = {t.pk: t for t in Talent.objects.filter(talent_scope_q(viewer), pk__in=chosen["id"].to_list())
               .select_related("district")}
    for row in chosen.iter_rows(named=True):
        talent = talents.get(row["id"])
        if talent is not None:
            yield {"talent": talent, "holds": row["holds"], "amount": fen_to_yuan(row["amount"]), "monthly": monthly,
                   "after": STATUS_AFTER.get(row["after"], "不符合")}


def losers_rows(losers: dict, *, viewer, holders_only: bool = False, chunk: int = 2000):
    """Every loser the viewer may see, in id order descending, read a chunk at a time (the Excel export)."""
    frame = losers_frame(losers, holders_only=holders_only)
    for start in range(0, frame.height, chunk):
        yield from _rows(frame.slice(start, chunk), viewer=viewer, monthly=losers["monthly"])
