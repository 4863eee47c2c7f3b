"""政策找人 / 免申即享: evaluate the whole catalog for every talent, columnar, and store who is entitled to
what and has not received it. Runs in process, or partition by partition on a Dask cluster (distributed.py)."""

import datetime as dt
import time
from collections.abc import Callable

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from rencai.core.bulk import copy_frame

from .batch import STATUS, choices_frame, evaluate_frame
from .calculator import default_catalog
from .counts import match_counts_store
from .distributed import evaluate_distributed
from .models import MatchRun, PolicyMatch
from .registry import registry_frame

STORED = {STATUS[True]: PolicyMatch.Eligibility.ELIGIBLE, STATUS["manual"]: PolicyMatch.Eligibility.MANUAL}
INSERT_BATCH = 5_000
PROGRESS_EVERY = 50_000
KEEP_RUNS = 1  # finished runs kept: the current one (a run in progress or failed changes nothing)


def match_rows(inputs: pl.DataFrame, results: pl.DataFrame) -> pl.DataFrame:
    """Long format: one row per (person, policy) that is eligible or case-by-case and not yet received."""
    catalog = default_catalog()
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


def _choice_marks(inputs: pl.DataFrame, results: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """(person, policy) → its exclusive group and whether it is an option other than the recommended one."""
    return (choices_frame(inputs, results, as_of=as_of)
            .explode("options").rename({"options": "policy"})
            .select("person_id", "policy", "exclusive_group",
                    (pl.col("policy") != pl.col("recommended")).alias("alternative")))


def _store(run: MatchRun, rows: pl.DataFrame, progress: Callable[[str], None]) -> None:
    """The run's rows: one COPY on PostgreSQL (psycopg 3's cursor.copy), bulk inserts elsewhere."""
    if not rows.height:
        return
    frame = rows.select(
        pl.lit(run.pk, dtype=pl.Int64).alias("run_id"), pl.col("person_id").alias("talent_id"), "policy",
        pl.col("status").replace_strict({k: str(v) for k, v in STORED.items()}, return_dtype=pl.String)
        .alias("eligible"),
        pl.col("decided_by").fill_null(""), "monthly_fen", "one_time_fen", "total_fen", "exclusive_group",
        "alternative")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            copy_frame(cursor, PolicyMatch._meta.db_table, frame)
        with connection.cursor() as cursor:  # fresh statistics: millions of new rows (else a nested loop per row)
            cursor.execute(f"ANALYZE {PolicyMatch._meta.db_table}")
        progress(f"已保存 {rows.height} 条")
        return
    written = 0
    for batch in frame.iter_slices(INSERT_BATCH):
        PolicyMatch.objects.bulk_create([PolicyMatch(**r) for r in batch.iter_rows(named=True)])
        written += batch.height
        if written % PROGRESS_EVERY < INSERT_BATCH or written == rows.height:
            progress(f"已保存 {written}/{rows.height} 条")


def match_run(*, as_of: dt.date, actor=None, dask_address: str | None = None, queryset=None,
              progress: Callable[[str], None] = lambda _: None) -> MatchRun:
    """Evaluate and store. The run's rows become visible together when it finishes; a failed run keeps
    its error and leaves the previous run's results in place."""
    run = MatchRun.objects.create(as_of=as_of, started_by=actor)
    try:
        inputs = registry_frame(as_of=as_of, queryset=queryset)
        progress(f"已读取人才 {inputs.height} 人")
        started = time.perf_counter()
        if dask_address:
            results = evaluate_distributed(inputs.drop("district"), as_of=as_of, address=dask_address)
        else:
            results = evaluate_frame(inputs.drop("district"), as_of=as_of)
        evaluation_ms = int((time.perf_counter() - started) * 1000)
        progress(f"计算完成，用时 {evaluation_ms} 毫秒")
        rows = (match_rows(inputs, results)
                .join(_choice_marks(inputs.drop("district"), results, as_of), on=["person_id", "policy"], how="left")
                .with_columns(pl.col("exclusive_group").fill_null(""), pl.col("alternative").fill_null(False)))
        with transaction.atomic():
            _store(run, rows, progress)
            match_counts_store(run)  # the kept counts that the pages read (policies.counts)
            run.status = MatchRun.Status.FINISHED
            run.talents, run.matches, run.evaluation_ms = inputs.height, rows.height, evaluation_ms
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "talents", "matches", "evaluation_ms", "finished_at"])
            # The new run is swapped in by this commit; the rows of the runs it replaces go with it.
            stale = [r.pk for r in MatchRun.objects.filter(status=MatchRun.Status.FINISHED)
                     .order_by("-finished_at", "-pk")[KEEP_RUNS:]]
            PolicyMatch.objects.filter(run_id__in=stale).delete()
            MatchRun.objects.filter(pk__in=stale).delete()
    except Exception as exc:
        run.status, run.error, run.finished_at = MatchRun.Status.FAILED, str(exc)[:2000], timezone.now()
        run.save(update_fields=["status", "error", "finished_at"])
        raise
    return run
