"""After a rule is published: 政策找人 again for the policies whose rule changed, in the background, and the
talents whose results changed are told (issue 13).

The job reads the catalog in force afresh, works out which policies differ from the catalog the current result
set was computed with (rebuilt from the shipped files and the publication history: a publication that came
after this job was queued, or one whose own job failed, is included), and runs ``policies.matching.
match_policies`` for those only, on the set's evaluation day. If the set's catalog cannot be rebuilt (the
shipped files changed since), the published policies are re-computed but the set keeps its old catalog mark,
so the next scheduled run is a full one. No set yet: a full run, and nobody is told (nothing to compare with).

The talents whose result for one of those policies changed — newly entitled, no longer listed, or eligibility
or amount changed — get one message each. Who is told what is decided in the transaction that stores the rows
and kept there as a second job (``policy_rematch_tell``), which writes the messages after the commit: the set
is not held for the writing of a hundred thousand messages, and nothing is lost (a rolled-back store leaves no
job; a job whose task was lost is queued again by the worker's sweep; run twice, it writes each message once).
Talents without an account on the platform (no user) are not told: there is nobody to write to; their officers
see the change in 政策找人.
"""

import time

import polars as pl
from django.urls import reverse
from django.utils import timezone

from rencai.core.errors import AppError
from rencai.jobs.registry import job_kind

KIND = "policy_rematch"
TELL_KIND = "policy_rematch_tell"
NOTICE_KIND = "policy_rematch"
ATTEMPTS = 3  # another run may replace the set between the look and the store: look again


def _titles(ids, catalog) -> dict[str, str]:
    """Policy id → its title in Chinese (a policy no longer in the catalog: the title it was last loaded with)."""
    from rencai.policies.models import PolicyRecord

    titles = {pid: catalog.policies[pid].title for pid in ids if pid in catalog.policies}
    missing = [pid for pid in ids if pid not in titles]
    if missing:
        titles.update(PolicyRecord.objects.filter(policy__in=missing).values_list("policy", "title"))
    return {pid: titles.get(pid, "一项已停用的政策") for pid in ids}


def rematch_title(policies: list[str]) -> str:
    from rencai.policies.published import effective

    names = list(_titles(policies, effective().catalog).values())
    shown = "、".join(names[:3]) + (f"等{len(names)}项政策" if len(names) > 3 else "")
    return f"政策更新后重新匹配：{shown}" if names else "政策更新后重新匹配"


def rematch_enqueue(*, policies: list[str], actor):
    """A background job: 政策找人 again for ``policies`` (those whose rule a publication changed)."""
    from rencai.jobs.services import job_enqueue

    return job_enqueue(kind=KIND, title=rematch_title(policies), params={"policies": sorted(policies)},
                       actor=actor, link=reverse("policies:matches"))


_BUILT: dict = {}  # version → catalog, the few this process has rebuilt (a catalog is immutable once loaded)


def catalog_at(version: str):
    """The catalog whose version is ``version`` among those that have been in force — the shipped files, then
    after each publication in turn — or None (e.g. the shipped files have changed since)."""
    from rencai.policies.engine.catalog import load_catalog_texts
    from rencai.policies.published import _digest, _shipped, effective, shipped_texts

    now = effective()
    if now.version == version:
        return now.catalog
    if _shipped().version == version:
        return _shipped().catalog
    if version in _BUILT:
        return _BUILT[version]
    from .models import RevisionState, RuleRevision

    texts = dict(shipped_texts())
    history = (RuleRevision.objects.filter(state=RevisionState.PUBLISHED, published_at__isnull=False)
               .order_by("published_at", "pk").values_list("file", "text"))
    for file, text in history:
        texts[file] = text
        if _digest(texts) == version:
            if len(_BUILT) >= 4:
                _BUILT.clear()
            _BUILT[version] = load_catalog_texts(texts)
            return _BUILT[version]
    return None


def _accounts_of(talent_ids: list[int]) -> pl.DataFrame:
    """(talent_id, user_id) of those of ``talent_ids`` with an account. Only the changed talents are read (a
    million may have an account; 140,000 changed); on PostgreSQL by one query with the ids as one array (the
    ORM's IN lists of 5,000 parameters took 2.9 s for 140,738 ids on the benchmark database, this 0.6 s)."""
    from django.db import connection

    from rencai.core.bulk import read_frame, values_of_ids
    from rencai.talents.models import Talent

    schema = {"talent_id": pl.Int64, "user_id": pl.Int64}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            return read_frame(cursor, f"SELECT id, user_id FROM {Talent._meta.db_table} "  # noqa: S608
                              "WHERE user_id IS NOT NULL AND id = ANY(%s)", [talent_ids], schema)
    return pl.DataFrame(values_of_ids(Talent.objects.filter(user__isnull=False), "pk", talent_ids, ("pk", "user_id")),
                        schema=schema, orient="row")


def _teller(key: str, catalog, told: dict):
    """What tells the talents whose results changed (``policies.matching.result_changes``): one message
    each, naming the policies, no amounts; only talents with an account. Called in the store's transaction: the
    messages, grouped by their text, become a ``policy_rematch_tell`` job there."""

    def tell(changes: pl.DataFrame) -> None:
        from rencai.jobs.services import job_enqueue

        clock = time.perf_counter()
        told["talents"] = changes.get_column("talent_id").n_unique() if changes.height else 0
        if not changes.height:
            return
        # Talents without an account (no user) are not told: nobody to write to on the platform.
        accounts = _accounts_of(changes.get_column("talent_id").unique().sort().to_list())
        per_user = (changes.join(accounts, on="talent_id", how="inner")
                    .group_by("user_id", "change").agg(pl.col("policy").unique().sort())
                    .sort("user_id", "change"))
        titles = _titles(per_user.get_column("policy").explode().unique().sort().to_list(), catalog)
        link = reverse("talents:me") + "#maybe-eligible"
        words = {"gained": "新符合", "lost": "不再列入", "changed": "条件或金额有调整"}
        parts: dict[int, list[str]] = {}
        for user_id, change, policies in per_user.iter_rows():
            parts.setdefault(user_id, []).append(f"{words[change]}：{'、'.join(titles[p] for p in policies)}")
        recipients: dict[str, list[int]] = {}  # a message's text → who gets it (a few texts, many recipients)
        for user_id, said in parts.items():
            body = (f"政策规则已更新，您的政策匹配结果随之变化——{'；'.join(said)}。"
                    "请打开“我的档案”查看您可能符合的政策和详情。")
            recipients.setdefault(body, []).append(user_id)
        if recipients:
            job_enqueue(kind=TELL_KIND, title="通知政策匹配结果有变化的人才", params={
                "key": key, "link": link, "messages": [{"body": b, "to": to} for b, to in recipients.items()]})
        told["told"] = len(parts)
        told["seconds"] = round(time.perf_counter() - clock, 3)

    return tell


@job_kind(TELL_KIND)
def tell_job(job, progress):
    """The messages a re-match decided on, written (``notify_many``: once per recipient and key)."""
    from rencai.notifications.services import Message, notify_many

    params = job.params
    messages = [Message(recipient_id=user_id, title="您可享受的政策有变化", body=group["body"],
                        link=params["link"], key=params["key"])
                for group in params["messages"] for user_id in group["to"]]
    progress(total=len(messages), message=f"正在通知 {len(messages)} 名人才", force=True)
    clock = time.perf_counter()
    notify_many(messages, kind=NOTICE_KIND)
    return {"told": len(messages), "seconds": round(time.perf_counter() - clock, 3)}


@job_kind(KIND)
def rematch_job(job, progress):
    from rencai.accounts.models import User
    from rencai.policies.matching import SetChanged, _current, match_policies
    from rencai.policies.published import catalog_changed

    from .services import changed_policies

    def say(message: str) -> None:
        progress(message=message, force=True)

    now = catalog_changed()  # the rules in force now, whatever this process read before
    actor = User.objects.filter(pk=job.created_by_id).first()
    for _attempt in range(ATTEMPTS):
        current = _current()
        published = list(job.params.get("policies", []))
        before = None
        if current is None:
            policies, move, as_of = published, True, timezone.localdate()
        else:
            as_of = current.as_of  # the set's evaluation day: the set stays one day's result
            before = catalog_at(current.catalog_version)
            if before is None:
                say("现有结果所依据的政策目录已无法还原：只重新匹配本次发布的政策，其余政策待下次全量计算")
                policies, move = published, False
            else:
                policies, move = changed_policies(before, now.catalog), True
                if current.catalog_version == now.version:
                    say("政策找人结果已按现行规则计算，无需重新匹配")
                    return {"policies": [], "talents_changed": 0, "told": 0}
        if policies:
            say(f"正在重新匹配：{'、'.join(_titles(policies, now.catalog).values())}")
        else:  # no policy decides differently (a note or a title edited): only the set's catalog mark moves
            say("规则已更新，但没有政策的判定结果因此改变：只记下结果所依据的政策目录版本")
        told: dict = {"talents": 0, "told": 0}
        try:
            run = match_policies(policies=policies, as_of=as_of, actor=actor, before=before, in_force=now,
                                 expect_version=current.catalog_version if current else None, move_version=move,
                                 on_changed=_teller(f"policy-rematch-{job.pk}", now.catalog, told), progress=say)
        except SetChanged:
            continue
        say(f"重新匹配完成：{told['talents']} 名人才的结果有变化，其中有平台账号的 {told['told']} 人将收到站内消息")
        return {"run_id": run.pk, "policies": policies, "as_of": as_of.isoformat(),
                "talents_changed": told["talents"], "told": told["told"], "tell_seconds": told.get("seconds", 0)}
    raise AppError("政策找人的结果正被其他计算反复更新，请稍后在政策找人页面重新计算")
