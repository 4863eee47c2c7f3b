# ruff: noqa: S608  (SQL built from model table names and this module's constants; values are parameters)
"""政策找人 / 免申即享: evaluate the whole catalog for every talent, columnar, and store who is entitled to
what and has not received it. Runs in process, or partition by partition on a Dask cluster (distributed.py).

One result set is kept: the rows of the current run (``PolicyMatch.run``), never a copy per run. A run reads,
evaluates, then *stores the difference*: the rows that the talents it evaluated should have are compared with
the rows they have (in one transaction, the set's run locked), only the rows that changed are deleted and
inserted (COPY on PostgreSQL), and the run's figures are swapped into the set's record. A run is

- **incremental** when the catalog is the one the set was computed with and the evaluation day is the same:
  only the talents whose inputs changed since the set's last run are read and evaluated (``policies.changes``:
  the talent's ``updated_at``, moved forward by the database on any change of their recognitions, entitlements
  or applications too). A test proves it gives exactly what a full run gives.
- **full** otherwise, or when asked (``full=True``, ``rencai match --full``): everyone is evaluated; still only
  what changed is written, so a daily full run over a million talents writes thousands of rows, not millions.

A failed run keeps its error and changes nothing.
"""

import datetime as dt
import time
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

import polars as pl
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from rencai.core.bulk import copy_frame, indexes_deferred, read_frame, values_of_ids
from rencai.talents.models import Talent

from .batch import STATUS, choices_frame, evaluate_frame
from .calculator import default_catalog
from .changes import watermark
from .counts import COUNTS, KEY, SUMS, UPSERT_SET, match_counts_store
from .distributed import evaluate_distributed
from .models import MatchCount, MatchRun, PolicyMatch
from .registry import registry_frame

STORED = {STATUS[True]: PolicyMatch.Eligibility.ELIGIBLE, STATUS["manual"]: PolicyMatch.Eligibility.MANUAL}
INSERT_BATCH = 5_000
DELETE_BATCH = 50_000  # PostgreSQL: ids per DELETE … = ANY(array)
PROGRESS_EVERY = 50_000
DEFER_INDEXES_FROM = 100_000  # PostgreSQL: rows into an empty table above which indexes are made after the COPY
COUNT_DELTA_UP_TO = 200_000  # PostgreSQL: rows changed up to which the kept counts are moved, not recounted
ANALYZE_FROM = 100_000  # rows written: above this, fresh statistics (else the per-policy counts may nest-loop)
WRITER_LOCK = 7_351_104_211  # PostgreSQL advisory lock: one 政策找人 run reads, evaluates and stores at a time
KEEP_RUNS = 1  # finished runs kept: the current result set (a run in progress or failed changes nothing)
FIELDS = ("talent_id", "policy", "eligible", "decided_by", "monthly_fen", "one_time_fen", "total_fen",
          "exclusive_group", "alternative")
SCHEMA = {"id": pl.Int64, "talent_id": pl.Int64, "policy": pl.String, "eligible": pl.String,
          "decided_by": pl.String, "monthly_fen": pl.Int64, "one_time_fen": pl.Int64, "total_fen": pl.Int64,
          "exclusive_group": pl.String, "alternative": pl.Boolean}


def catalog_version() -> str:
    """A digest of the catalog the engine evaluates (every file of it, as in force): a set computed with
    another catalog is re-computed in full."""
    from .published import effective_version

    return effective_version()


def match_rows(inputs: pl.DataFrame, results: pl.DataFrame, catalog=None) -> pl.DataFrame:
    """Long format: one row per (person, policy) that is eligible or case-by-case and not yet received."""
    catalog = catalog or default_catalog()
    frames = []
    received = inputs.select("person_id", "received")
    for policy in catalog.person_policies():
        pid = policy.id
        if f"{pid}.status" not in results.columns:
            continue
        amounts = [
            (pl.col(column) if (column := f"{pid}.{name}") in results.columns else pl.lit(None, dtype=pl.Int64))
            .alias(name)
            for name in ("monthly_fen", "one_time_fen", "total_fen")
        ]
        frames.append(
            results.lazy()
            .filter(pl.col(f"{pid}.status").is_in(list(STORED)))
            .select(
                "person_id",
                pl.lit(pid).alias("policy"),
                pl.col(f"{pid}.status").alias("status"),
                pl.col(f"{pid}.code").cast(pl.String).alias("decided_by"),
                *amounts,
            )
        )
    if not frames:
        return pl.DataFrame()
    long = pl.concat(frames).collect()
    # Already granted (received) is excluded: 政策找人 looks for those who have not received it.
    granted = received.explode("received").drop_nulls().rename({"received": "policy"})
    return long.join(granted, on=["person_id", "policy"], how="anti")


def _choice_marks(inputs: pl.DataFrame, results: pl.DataFrame, as_of: dt.date, catalog=None) -> pl.DataFrame:
    """(person, policy) → its exclusive group and whether it is an option other than the recommended one."""
    return (choices_frame(inputs, results, as_of=as_of, catalog=catalog)
            .explode("options").rename({"options": "policy"})
            .select("person_id", "policy", "exclusive_group",
                    (pl.col("policy") != pl.col("recommended")).alias("alternative")))


def _stored_form(rows: pl.DataFrame) -> pl.DataFrame:
    """The evaluated rows as the table's columns (FIELDS), typed as SCHEMA."""
    if not rows.height:
        return pl.DataFrame(schema={f: SCHEMA[f] for f in FIELDS})
    return rows.select(
        pl.col("person_id").alias("talent_id"), "policy",
        pl.col("status").replace_strict({k: str(v) for k, v in STORED.items()}, return_dtype=pl.String)
        .alias("eligible"),
        pl.col("decided_by").fill_null(""), "monthly_fen", "one_time_fen", "total_fen", "exclusive_group",
        "alternative").cast({f: SCHEMA[f] for f in FIELDS})


def _existing(run_id: int, talent_ids: pl.Series | None, policies: list[str] | None = None) -> pl.DataFrame:
    """The set's rows (of ``talent_ids`` only, if given; of ``policies`` only, if given), with their ids."""
    table = PolicyMatch._meta.db_table
    if connection.vendor == "postgresql":
        columns = ", ".join(f"{f}::text" if f == "alternative" else f for f in SCHEMA)
        sql, params = f"SELECT {columns} FROM {table} WHERE run_id = %s", [run_id]
        if talent_ids is not None:
            sql, params = sql + " AND talent_id = ANY(%s)", [*params, talent_ids.to_list()]
        if policies is not None:
            sql, params = sql + " AND policy = ANY(%s)", [*params, list(policies)]
        with connection.cursor() as cursor:
            return read_frame(cursor, sql, params, SCHEMA)
    rows = PolicyMatch.objects.filter(run_id=run_id)
    if policies is not None:
        rows = rows.filter(policy__in=list(policies))
    found = (list(rows.values_list(*SCHEMA)) if talent_ids is None
             else values_of_ids(rows, "talent_id", talent_ids.to_list(), SCHEMA))
    return pl.DataFrame(found, schema=SCHEMA, orient="row")


_COUNTED = (f"INSERT INTO {COUNTS} AS c ({KEY}, {SUMS}) {{select}} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5 "
            f"ON CONFLICT ({KEY}) DO UPDATE SET {UPSERT_SET}")
_GONE = _COUNTED.format(select=(
    "SELECT m.run_id, m.policy, t.district_id, m.eligible, m.alternative, -count(*), -count(m.monthly_fen), "
    "-coalesce(sum(m.monthly_fen), 0), -count(m.total_fen), -coalesce(sum(m.total_fen), 0) "
    f"FROM {PolicyMatch._meta.db_table} m INNER JOIN {Talent._meta.db_table} t ON t.id = m.talent_id "
    "WHERE m.id = ANY(%s)"))
_ADDED = _COUNTED.format(select=(
    "SELECT %s::bigint, a.policy, t.district_id, a.eligible, a.alternative, count(*), count(a.monthly_fen), "
    "coalesce(sum(a.monthly_fen), 0), count(a.total_fen), coalesce(sum(a.total_fen), 0) "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::boolean[], %s::bigint[], %s::bigint[]) "
    "AS a(talent_id, policy, eligible, alternative, monthly_fen, total_fen) "
    f"INNER JOIN {Talent._meta.db_table} t ON t.id = a.talent_id"))


def _counts_from_rows(target: MatchRun, rows: pl.DataFrame, districts: pl.DataFrame) -> None:
    """A new set's kept counts (policies.counts) from its rows in memory and the talents' districts as read,
    grouped here: the few thousand buckets are written, the million rows are not read again."""
    buckets = (rows.join(districts.rename({"person_id": "talent_id"}), on="talent_id", how="inner")
               .group_by("policy", "district", "eligible", "alternative")
               .agg(n=pl.len(), monthly_n=pl.col("monthly_fen").count(), monthly_fen=pl.col("monthly_fen").sum(),
                    total_n=pl.col("total_fen").count(), total_fen=pl.col("total_fen").sum()))
    MatchCount.objects.filter(run=target).delete()
    MatchCount.objects.bulk_create([MatchCount(run=target, district_id=b.pop("district"), **b)
                                    for b in buckets.iter_rows(named=True)], batch_size=2000)


def _districts_now(districts: pl.DataFrame, *, read_from) -> pl.DataFrame:
    """``districts`` (as read with the registry) with the districts of the talents changed since
    ``read_from`` read again: a talent who moved while the run evaluated is counted where they are now."""
    changed = pl.DataFrame(list(Talent.objects.filter(updated_at__gte=read_from).values_list("pk", "district_id")),
                           schema={"person_id": pl.Int64, "now": districts.schema["district"]}, orient="row")
    if not changed.height:
        return districts
    return (districts.join(changed, on="person_id", how="left")
            .select("person_id", pl.coalesce("now", "district").alias("district")))


def _store(target: MatchRun, rows: pl.DataFrame, *, talent_ids: pl.Series | None, districts: pl.DataFrame,
           read_from, progress: Callable[[str], None], policies: list[str] | None = None,
           on_diff: Callable[[pl.DataFrame, pl.DataFrame], None] | None = None) -> tuple[int, int]:
    """Make the set's rows of the evaluated talents (all talents when ``talent_ids`` is None; of ``policies``
    only, if given: the other policies' rows are neither read nor touched) equal to ``rows``: delete the rows
    that are no longer right, insert the missing ones, and bring the kept counts (policies.counts) along: moved
    by the rows that changed (PostgreSQL, a few), else counted again. Returns (deleted, inserted).

    The counts follow the talents' districts at commit: on PostgreSQL, moves wait until the set is stored (a
    SHARE lock on the talents, taken before the matches' table is touched, so that a move's trigger, which
    reads that table, cannot deadlock with it; a first run's moves already waited for that table's rebuilt
    indexes); the districts of talents changed since the read are read again (``read_from``).
    ``on_diff(gone, added)``: told the rows that go (with their ids) and those that come, before they are
    written, in the caller's transaction."""
    clock = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Talent._meta.db_table} IN SHARE MODE")
    districts = _districts_now(districts, read_from=read_from)
    new = _stored_form(rows)
    old = _existing(target.pk, talent_ids, policies)
    progress(f"已读取现有结果 {old.height} 条（{time.perf_counter() - clock:.1f} 秒）")
    clock = time.perf_counter()
    if old.height:
        gone_rows = old.join(new, on=list(FIELDS), how="anti", nulls_equal=True)
        added = new.join(old.drop("id"), on=list(FIELDS), how="anti", nulls_equal=True)
    else:  # a first set: everything is new (the anti-join of three million rows with nothing costs a second)
        gone_rows, added = old, new
    gone = gone_rows.get_column("id")
    if on_diff is not None:
        on_diff(gone_rows, added)
    progress(f"对比完成：删除 {gone.len()} 条，新增 {added.height} 条，不变 {old.height - gone.len()} 条"
             f"（{time.perf_counter() - clock:.1f} 秒）")
    clock = time.perf_counter()
    table = PolicyMatch._meta.db_table
    if connection.vendor == "postgresql" and policies is not None:
        _store_in_place(target, gone_rows, added, districts, progress=progress)
        return gone.len(), added.height
    moved = (connection.vendor == "postgresql" and gone.len() + added.height <= COUNT_DELTA_UP_TO
             and MatchCount.objects.filter(run=target).exists())
    if moved:
        with connection.cursor() as cursor:
            if gone.len():
                cursor.execute(_GONE, [gone.to_list()])  # before the rows go: by the talents' current districts
            if added.height:
                cursor.execute(_ADDED, [target.pk, *(added.get_column(c).to_list() for c in (
                    "talent_id", "policy", "eligible", "alternative", "monthly_fen", "total_fen"))])
    if connection.vendor == "postgresql":
        # The first set of a large registry: indexes and constraints made once after the COPY.
        empty = added.height >= DEFER_INDEXES_FROM and not old.height and not PolicyMatch.objects.exists()
        with (indexes_deferred([table]) if empty else nullcontext()), connection.cursor() as cursor:
            for begin in range(0, gone.len(), DELETE_BATCH):
                cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)",
                               [gone.slice(begin, DELETE_BATCH).to_list()])
            if added.height:
                if empty:  # in the list index's order: its build after the COPY then finds its input presorted
                    added = added.sort(["policy", pl.col("total_fen").fill_null(-1),
                                        pl.col("monthly_fen").fill_null(-1), "talent_id"],
                                       descending=[False, True, True, True])
                copy_frame(cursor, table, added.with_columns(run_id=pl.lit(target.pk, dtype=pl.Int64)))
        progress(f"已写入（{time.perf_counter() - clock:.1f} 秒{'，含建索引' if empty else ''}）")
        clock = time.perf_counter()
        if gone.len() + added.height >= ANALYZE_FROM:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
    else:
        ids = gone.to_list()
        for begin in range(0, len(ids), 900):
            PolicyMatch.objects.filter(pk__in=ids[begin:begin + 900]).delete()
        written = 0
        for batch in added.iter_slices(INSERT_BATCH):
            PolicyMatch.objects.bulk_create([PolicyMatch(run_id=target.pk, **r) for r in batch.iter_rows(named=True)])
            written += batch.height
            if written % PROGRESS_EVERY < INSERT_BATCH or written == added.height:
                progress(f"已保存 {written}/{added.height} 条")
    if not moved and not old.height and talent_ids is None and policies is None:
        _counts_from_rows(target, added, districts)  # a whole new set: counted from the rows in hand
    elif not moved:
        match_counts_store(target, policies=policies)  # the kept counts that the pages read (policies.counts)
    progress(f"已更新统计（{time.perf_counter() - clock:.1f} 秒）")
    return gone.len(), added.height


_UPDATED = ("eligible", "decided_by", "monthly_fen", "one_time_fen", "total_fen", "exclusive_group", "alternative")


def _counts_shifted(target: MatchRun, gone: pl.DataFrame, added: pl.DataFrame, districts: pl.DataFrame) -> bool:
    """Move the kept counts by the rows that go and come, grouped here from the rows in hand and the talents'
    districts (current: read under the SHARE lock). False (nothing done) if a talent's district is unknown."""
    columns = ["talent_id", "policy", "eligible", "alternative", "monthly_fen", "total_fen"]
    signed = (pl.concat([gone.select(columns).with_columns(sign=pl.lit(-1, dtype=pl.Int64)),
                         added.select(columns).with_columns(sign=pl.lit(1, dtype=pl.Int64))])
              .join(districts.rename({"person_id": "talent_id"}), on="talent_id", how="left"))
    if signed.get_column("district").null_count():
        return False
    sign = pl.col("sign")
    buckets = (signed.group_by("policy", "district", "eligible", "alternative")
               .agg(n=sign.sum(), monthly_n=(sign * pl.col("monthly_fen").is_not_null().cast(pl.Int64)).sum(),
                    monthly_fen=(sign * pl.col("monthly_fen").fill_null(0)).sum(),
                    total_n=(sign * pl.col("total_fen").is_not_null().cast(pl.Int64)).sum(),
                    total_fen=(sign * pl.col("total_fen").fill_null(0)).sum())
               .filter(pl.any_horizontal([pl.col(c) != 0 for c in SUMS.split(", ")]))
               .sort("policy", "district", "eligible", "alternative"))  # one order: concurrent upserts never deadlock
    if buckets.height:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {COUNTS} AS c ({KEY}, {SUMS}) SELECT %s::bigint, b.* FROM unnest(%s::text[], %s::text[], "
                "%s::text[], %s::boolean[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[]) "
                f"AS b ON CONFLICT ({KEY}) DO UPDATE SET {UPSERT_SET}",
                [target.pk, *(buckets.get_column(c).to_list() for c in (
                    "policy", "district", "eligible", "alternative", "n", "monthly_n", "monthly_fen", "total_n",
                    "total_fen"))])
    return True


def _store_in_place(target: MatchRun, gone: pl.DataFrame, added: pl.DataFrame, districts: pl.DataFrame, *,
                    progress: Callable[[str], None]) -> None:
    """PostgreSQL, a run for some policies: a talent's row of a policy that stays but changes (an amount, a
    mark) is updated where it is — no delete, no insert and its foreign keys checked again at commit —; only
    the rows that go are deleted and those that come are copied in; the kept counts move by the rows in hand."""
    clock = time.perf_counter()
    table = PolicyMatch._meta.db_table
    key = ["talent_id", "policy"]
    updated = gone.select("id", *key).join(added, on=key, how="inner")
    deleted = gone.join(updated.select(key), on=key, how="anti").get_column("id")
    inserted = added.join(updated.select(key), on=key, how="anti")
    counted = MatchCount.objects.filter(run=target).exists()
    shifted = counted and _counts_shifted(target, gone, added, districts)
    with connection.cursor() as cursor:
        for begin in range(0, deleted.len(), DELETE_BATCH):
            cursor.execute(f"DELETE FROM {table} WHERE id = ANY(%s)", [deleted.slice(begin, DELETE_BATCH).to_list()])
        if updated.height:
            cursor.execute(f"CREATE TEMP TABLE match_updated (LIKE {table}) ON COMMIT DROP")
            copy_frame(cursor, "match_updated", updated.select("id", "talent_id", *_UPDATED, "policy").with_columns(
                run_id=pl.lit(target.pk, dtype=pl.Int64)))
            cursor.execute(f"UPDATE {table} m SET {', '.join(f'{c} = u.{c}' for c in _UPDATED)} "
                           "FROM match_updated u WHERE m.id = u.id")
            cursor.execute("DROP TABLE match_updated")
        if inserted.height:
            copy_frame(cursor, table, inserted.with_columns(run_id=pl.lit(target.pk, dtype=pl.Int64)))
        if gone.height + added.height >= ANALYZE_FROM:
            cursor.execute(f"ANALYZE {table}")
    progress(f"已写入：更新 {updated.height} 条，删除 {deleted.len()} 条，新增 {inserted.height} 条"
             f"（{time.perf_counter() - clock:.1f} 秒）")
    clock = time.perf_counter()
    if not counted:
        match_counts_store(target)
    elif not shifted:
        match_counts_store(target, policies=sorted(set(gone.get_column("policy")) | set(added.get_column("policy"))))
    progress(f"已更新统计（{time.perf_counter() - clock:.1f} 秒）")


@contextmanager
def one_writer():
    """One run — full, incremental or for some policies — reads, evaluates and stores at a time: on PostgreSQL
    a session advisory lock is held from before the read until the store has committed, and a second run waits
    for it (else a full run that read before a publication could store after the re-run of the published
    policies and put the old rule's rows back). SQLite has one writer anyway; its runs are not serialised."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [WRITER_LOCK])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITER_LOCK])
        except DatabaseError:  # the caller's transaction was aborted by the error in flight: the lock ends
            pass  # with the session (the error itself is what propagates)


def _current(*, lock: bool = False) -> MatchRun | None:
    runs = MatchRun.objects.filter(status=MatchRun.Status.FINISHED).order_by("-finished_at", "-pk")
    return (runs.select_for_update() if lock else runs).first()


def _incremental_base(as_of: dt.date, version: str) -> MatchRun | None:
    current = _current()
    if (current is not None and current.as_of == as_of and current.catalog_version == version
            and current.covers_until is not None):
        return current
    return None


def _changed_since(moment) -> QuerySet:
    """The talents whose inputs changed since ``moment``: their registry row (policies.changes), or what the
    data centre verified about them (datahub.Verification.changed_at)."""
    from rencai.datahub.models import Verification

    verified = Verification.objects.filter(changed_at__gte=moment).values("talent_id")
    return Talent.objects.filter(Q(updated_at__gte=moment) | Q(pk__in=verified))


def match_run(*, as_of: dt.date, actor=None, dask_address: str | None = None, queryset=None, full: bool = False,
              progress: Callable[[str], None] = lambda _: None) -> MatchRun:
    """Evaluate and store; returns the current result set's run. Incremental unless ``full`` or the catalog or
    the evaluation day differ from the set's (module docstring). ``queryset`` re-evaluates those talents only.
    Their rows change together when the run commits; a failed run keeps its error and changes nothing."""
    with one_writer():
        return _match_run(as_of=as_of, actor=actor, dask_address=dask_address, queryset=queryset, full=full,
                          progress=progress)


def _match_run(*, as_of: dt.date, actor, dask_address: str | None, queryset, full: bool,
               progress: Callable[[str], None]) -> MatchRun:
    version = catalog_version()
    run = MatchRun.objects.create(as_of=as_of, started_by=actor, catalog_version=version)
    seconds: dict[str, float] = {}
    try:
        base = None if full else _incremental_base(as_of, version)
        scope = queryset
        if base is not None and scope is None:
            scope = _changed_since(base.covers_until)
        covers_until = watermark(run.started_at)
        mode = MatchRun.Mode.INCREMENTAL if base is not None else MatchRun.Mode.FULL
        clock = time.perf_counter()
        inputs = registry_frame(as_of=as_of, queryset=scope)
        seconds["read"] = time.perf_counter() - clock
        progress(f"已读取人才 {inputs.height} 人（{'仅信息有变化的人才' if base else '全部人才'}，"
                 f"{seconds['read']:.1f} 秒）")
        clock = time.perf_counter()
        if not inputs.height and base is not None:
            rows = pl.DataFrame()  # nothing changed since the last run
        else:
            if dask_address:
                results = evaluate_distributed(inputs.drop("district"), as_of=as_of, address=dask_address)
            else:
                results = evaluate_frame(inputs.drop("district"), as_of=as_of)
            rows = (match_rows(inputs, results)
                    .join(_choice_marks(inputs.drop("district"), results, as_of), on=["person_id", "policy"],
                          how="left")
                    .with_columns(pl.col("exclusive_group").fill_null(""), pl.col("alternative").fill_null(False)))
        seconds["evaluate"] = time.perf_counter() - clock
        progress(f"计算完成，用时 {seconds['evaluate'] * 1000:.0f} 毫秒")
        result = _swap_in(run, rows, base=base, scoped=scope is not None,
                          districts=inputs.select("person_id", "district"), mode=mode, talents=inputs.height,
                          covers_until=covers_until, seconds=seconds, progress=progress)
    except Exception as exc:
        MatchRun.objects.filter(pk=run.pk).update(status=MatchRun.Status.FAILED, error=str(exc)[:2000],
                                                  finished_at=timezone.now(), seconds=seconds)
        raise
    return result


def _swap_in(run: MatchRun, rows: pl.DataFrame, *, base: MatchRun | None, scoped: bool, districts: pl.DataFrame,
             mode: str, talents: int, covers_until, seconds: dict, progress: Callable[[str], None]) -> MatchRun:
    """Store the difference into the current set and swap the run's figures in, in one transaction."""
    clock = time.perf_counter()
    with transaction.atomic():
        current = _current(lock=True)
        if base is not None and (current is None or current.pk != base.pk or current.as_of != run.as_of
                                 or current.catalog_version != run.catalog_version):
            raise RuntimeError("另一次政策找人已改变了结果，请重新运行")
        if current is not None and current.as_of == run.as_of and current.catalog_version == run.catalog_version:
            target = current
        elif current is not None and not scoped:
            target = current  # a full run over everyone: the whole set is compared, any day or catalog
        else:
            target = run  # the first set, or a scoped run that cannot build on the current one: a set of its own
        deleted, inserted = _store(target, rows, talent_ids=districts.get_column("person_id") if scoped else None,
                                   districts=districts, read_from=covers_until, progress=progress)
        seconds["store"] = time.perf_counter() - clock
        clock = time.perf_counter()
        matches = (target.matches if target.pk != run.pk else 0) - deleted + inserted
        registry = talents if not scoped else Talent.objects.count()
        figures = {"status": MatchRun.Status.FINISHED, "as_of": run.as_of, "talents": registry,
                   "matches": matches, "evaluation_ms": int(seconds["evaluate"] * 1000), "mode": mode,
                   "catalog_version": run.catalog_version, "reevaluated": talents, "started_by": run.started_by,
                   "started_at": run.started_at, "covers_until": covers_until, "finished_at": timezone.now(),
                   "error": ""}
        for name, value in figures.items():
            setattr(target, name, value)
        if target.pk != run.pk:
            run.delete()  # its figures now stand in the set's record
        target.save(update_fields=[*figures, "seconds"])
        # The runs the set replaces (a scoped first run, or the many runs an older version kept), and their rows.
        stale = [r.pk for r in MatchRun.objects.filter(status=MatchRun.Status.FINISHED).exclude(pk=target.pk)
                 .order_by("-finished_at", "-pk")[KEEP_RUNS - 1:]]
        PolicyMatch.objects.filter(run_id__in=stale).delete()
        MatchRun.objects.filter(pk__in=stale).delete()
    seconds["swap"] = time.perf_counter() - clock
    MatchRun.objects.filter(pk=target.pk).update(seconds={k: round(v, 3) for k, v in seconds.items()})
    target.seconds = {k: round(v, 3) for k, v in seconds.items()}
    progress(f"已保存（删除 {deleted} 条，新增 {inserted} 条，共 {matches} 条）；用时：读取 {seconds['read']:.1f} 秒，"
             f"计算 {seconds['evaluate']:.1f} 秒，保存 {seconds['store']:.1f} 秒，切换 {seconds['swap']:.1f} 秒")
    return target


class SetChanged(RuntimeError):
    """The result set is no longer the one a run for some policies was asked to build on."""


def policy_scope(policies, catalog=None) -> tuple[list[str], list[str]]:
    """What a run for ``policies`` re-computes: (the policies whose rows it replaces, those of them it
    evaluates). A policy's change can change which option of its exclusive group (不可兼得) is recommended to a
    person, and so the marks of the group's other members: every member of every group such a policy is in
    comes along (and of their groups in turn). A policy the catalog no longer has, or no longer evaluates per
    person, is replaced by nothing: its rows go."""
    catalog = catalog or default_catalog()
    wanted = set(policies)
    while True:
        more = {m for group in catalog.groups.values() if wanted & set(group.members) for m in group.members}
        if more <= wanted:
            break
        wanted |= more
    return sorted(wanted), [p.id for p in catalog.person_policies() if p.id in wanted]


CHANGE_VALUES = ("eligible", "monthly_fen", "one_time_fen", "total_fen")


def result_changes(gone: pl.DataFrame, added: pl.DataFrame) -> pl.DataFrame:
    """(talent_id, policy, change) for every talent whose result for a policy changed between the rows that
    went and those that came: ``gained``, ``lost``, or ``changed`` (eligible or case-by-case, an amount). A
    row that only moved to or from being an alternative option of its group is not a change of the result."""
    key = ["talent_id", "policy"]
    before = gone.select(*key, *CHANGE_VALUES).with_columns(was=pl.lit(True))
    after = added.select(*key, *CHANGE_VALUES).with_columns(now=pl.lit(True))
    both = before.join(after, on=key, how="full", coalesce=True, suffix="_new", nulls_equal=True)
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_new")) for c in CHANGE_VALUES])
    return (both.select(*key, pl.when(pl.col("was").is_null()).then(pl.lit("gained"))
                        .when(pl.col("now").is_null()).then(pl.lit("lost"))
                        .when(differs).then(pl.lit("changed")).alias("change"))
            .drop_nulls("change").sort(key))


def _touched(frame: pl.DataFrame, results: pl.DataFrame, *, as_of: dt.date, policies: list[str], before,
             after) -> pl.Series | None:
    """The talents for whom ``policies`` give another result (status, reason, any amount) under ``after`` than
    under ``before`` — the only ones whose rows of those policies, or of their exclusive groups' members, can
    differ, the other members' rules and the groups being the same in both. None when that cannot be known
    so (a policy or a group new, gone or changed in kind): then every talent's rows are compared."""
    groups = {g for g, group in {**before.groups, **after.groups}.items()
              if set(group.members) & set(policies)}
    if any(repr(before.groups.get(g)) != repr(after.groups.get(g)) for g in groups):  # compiled: compared as text
        return None
    persons = {p.id for p in before.person_policies()} & {p.id for p in after.person_policies()}
    if not set(policies) <= persons:
        return None
    old = evaluate_frame(frame, as_of=as_of, policies=policies, catalog=before)
    outputs = [c for c in old.columns if c != "person_id"]
    if set(outputs) != {c for c in results.columns if c.split(".")[0] in policies} or not outputs:
        return None

    def text(column: pl.Series) -> pl.Series:  # reasons are enums of each catalog's own codes: compared as text
        return column.cast(pl.String) if isinstance(column.dtype, pl.Enum | pl.Categorical) else column

    differs = pl.any_horizontal([text(results.get_column(c)).ne_missing(text(old.get_column(c))) for c in outputs])
    return results.filter(differs).get_column("person_id")


def match_policies(*, policies: list[str], as_of: dt.date, actor=None, expect_version: str | None = None,
                   move_version: bool = True, on_changed: Callable[[pl.DataFrame], None] | None = None,
                   before=None, in_force=None, progress: Callable[[str], None] = lambda _: None) -> MatchRun:
    """政策找人 for some policies only (after a rule is published): every talent is evaluated for those
    policies (and the members of their exclusive groups, ``policy_scope``), and only those policies' rows of
    the current set are replaced — the difference, as a full run stores it; the other policies' rows and counts
    are not touched. The set's catalog version then names the catalog in force (``move_version``: the caller
    knows that the set differed from it in these policies only), so the next run stays incremental.

    ``before``: the catalog the set was computed with, if known: then only the talents whose result for
    ``policies`` differs between it and the catalog in force (``_touched``) have their rows compared, instead
    of every row of those policies (a changed amount for doctors: their rows, not a million).
    ``in_force``: the catalog in force as the caller read it (``published.Effective``: its catalog and version;
    default: read now), evaluated and stamped as one — a publication after that read is its own job's.
    ``expect_version``: the catalog version the caller found the set computed with; another raises
    ``SetChanged``. ``on_changed(changes)``: the talents whose results changed (``result_changes``), in the
    store's transaction. No current set, or one of another evaluation day: a full run (nobody is told)."""
    with one_writer():
        current = _current()
        if current is None or current.as_of != as_of:
            progress("尚无同一评估日的政策找人结果，改为全量计算")
            return _match_run(as_of=as_of, actor=actor, dask_address=None, queryset=None, full=True,
                              progress=progress)
        if expect_version is not None and current.catalog_version != expect_version:
            raise SetChanged("另一次政策找人已改变了结果，请重新运行")
        if in_force is None:
            from .published import effective

            in_force = effective()
        catalog, version = in_force.catalog, in_force.version
        stored, evaluated = policy_scope(policies, catalog)
        seconds: dict[str, float] = {}
        read_from = watermark(timezone.now())
        clock = time.perf_counter()
        inputs = registry_frame(as_of=as_of)
        seconds["read"] = time.perf_counter() - clock
        progress(f"已读取人才 {inputs.height} 人（{seconds['read']:.1f} 秒）")
        clock = time.perf_counter()
        touched = None
        if evaluated:
            frame = inputs.drop("district")
            results = evaluate_frame(frame, as_of=as_of, policies=evaluated, catalog=catalog)
            if before is not None:
                touched = _touched(frame, results, as_of=as_of, policies=sorted(set(policies)), before=before,
                                   after=catalog)
            if touched is not None:
                inputs = inputs.filter(pl.col("person_id").is_in(touched.implode()))
                frame = inputs.drop("district")
                results = results.filter(pl.col("person_id").is_in(touched.implode()))
            rows = (match_rows(inputs, results, catalog)
                    .join(_choice_marks(frame, results, as_of, catalog), on=["person_id", "policy"], how="left")
                    .with_columns(pl.col("exclusive_group").fill_null(""), pl.col("alternative").fill_null(False)))
        else:
            rows = pl.DataFrame()
        seconds["evaluate"] = time.perf_counter() - clock
        progress(f"已计算 {len(evaluated)} 项政策（{seconds['evaluate'] * 1000:.0f} 毫秒）"
                 + ("" if touched is None else f"，结果有变化的人才 {touched.len()} 人"))
        clock = time.perf_counter()
        with transaction.atomic():
            target = _current(lock=True)
            if target is None or target.pk != current.pk or target.catalog_version != current.catalog_version:
                raise SetChanged("另一次政策找人已改变了结果，请重新运行")

            def told(gone: pl.DataFrame, added: pl.DataFrame) -> None:
                if on_changed is not None:
                    on_changed(result_changes(gone, added))

            deleted, inserted = _store(target, rows, talent_ids=touched,
                                       districts=inputs.select("person_id", "district"), read_from=read_from,
                                       progress=progress, policies=stored, on_diff=told)
            seconds["store"] = time.perf_counter() - clock
            target.matches = target.matches - deleted + inserted
            if move_version:
                target.catalog_version = version
            target.evaluation_ms = int(seconds["evaluate"] * 1000)
            target.seconds = {k: round(v, 3) for k, v in seconds.items()}
            target.save(update_fields=["matches", "catalog_version", "evaluation_ms", "seconds"])
        progress(f"已保存（{deleted} 条旧结果换为 {inserted} 条新结果，共 {target.matches} 条）；用时：读取 "
                 f"{seconds['read']:.1f} 秒，计算 {seconds['evaluate']:.1f} 秒，保存 {seconds['store']:.1f} 秒")
        return target
