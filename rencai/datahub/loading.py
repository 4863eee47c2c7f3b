# ruff: noqa: S608  (SQL built from model table names and this module's constants; values are parameters)
"""Writing a load's valid rows as facts, set-based, inside the caller's transaction (services.load_run).

1. Facts of the feed that were unmatched are matched again (a person or employer registered since): one UPDATE
   joining the registry by the keyed hash (or the 统一社会信用代码), on the partial index of unmatched facts.
2. The feed's facts for the delivery's periods are read as (subject key, period, id, digest, matched) — on
   PostgreSQL by COPY into Polars — and compared with the delivery: rows with no fact are new, rows whose
   value's digest differs are changed, the rest unchanged. A reload of the same rows therefore writes nothing.
3. New and changed rows go into a temporary staging table (COPY on PostgreSQL, batched inserts on SQLite); one
   INSERT … SELECT joins the new ones to the registry (the talent by ``id_number_hash``, the employer by
   ``uscc``) and writes them; one UPDATE … FROM writes the changed ones. The unique constraint (feed, period,
   subject key) is the guard behind the comparison.

Everything runs in the caller's transaction: a load is written whole or not at all.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import polars as pl
from django.db import connection
from django.utils import timezone

from rencai.organizations.models import Organization
from rencai.talents.models import Talent

from .enums import SubjectType
from .models import Fact

STAGE = "datahub_stage"
EXISTING_SCHEMA = {"subject_key": pl.String, "period": pl.Date, "fact_id": pl.Int64, "old_digest": pl.Int64,
                   "matched": pl.Boolean}


@dataclass
class Written:
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    unmatched: int = 0
    rematched: int = 0
    rematched_ids: list = field(default_factory=list)
    staged: bool = False  # PostgreSQL: the new and changed rows are in the staging table until the commit
    seconds: dict = field(default_factory=dict)


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _registry(subject: str) -> tuple[str, str, str]:
    """(table, key column, fact column) of the registry a subject is matched in."""
    if subject == SubjectType.PERSON:
        return Talent._meta.db_table, "id_number_hash", "talent_id"
    return Organization._meta.db_table, "uscc", "organization_id"


def rematch(cursor, feed, load=None) -> list[int]:
    """Facts of the feed left unmatched, matched now to whoever has registered since; returns their ids. They
    count as written by ``load`` (their verification and discrepancies are worked out with its own facts)."""
    table, key, column = _registry(feed.spec.subject)
    facts = Fact._meta.db_table
    if _postgres():  # probe the registry's unique index for each unmatched fact, never scan a million talents
        cursor.execute("SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off")
    # The facts' key compares bytes (COLLATE "C", migration 0002); the registry's index is in the default collation.
    subject = f'{facts}.subject_key COLLATE "default"' if _postgres() else f"{facts}.subject_key"
    written_by = f", load_id = {int(load.pk)}" if load is not None else ""
    cursor.execute(f"""UPDATE {facts} SET {column} = r.id{written_by} FROM {table} r
                       WHERE {facts}.feed_id = %s AND {facts}.talent_id IS NULL AND {facts}.organization_id IS NULL
                         AND r.{key} = {subject} RETURNING {facts}.id""", [feed.pk])
    matched = [row[0] for row in cursor.fetchall()]
    if _postgres():
        cursor.execute("SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on")
    return matched


LARGE = 100_000


def after_large_write(written: Written) -> None:
    """After a load that wrote many facts has committed (PostgreSQL, outside any transaction): VACUUM ANALYZE the
    facts, so that the next read of them neither sets a million hint bits first nor guesses their number."""
    if not _postgres() or connection.in_atomic_block or written.new + written.changed < LARGE:
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {Fact._meta.db_table}")
    written.seconds["vacuum"] = round(time.perf_counter() - started, 2)


def _existing(cursor, feed, periods: list) -> pl.DataFrame:
    facts = Fact._meta.db_table
    if _postgres():
        from rencai.core.bulk import read_frame

        frame = read_frame(cursor, f"""SELECT subject_key, period, id, digest,
                                              (talent_id IS NOT NULL OR organization_id IS NOT NULL)::int
                                       FROM {facts} WHERE feed_id = %s AND period = ANY(%s)""",
                           [feed.pk, periods], EXISTING_SCHEMA | {"matched": pl.Int8})
        return frame.with_columns(pl.col("matched").cast(pl.Boolean))
    rows = []
    for start in range(0, len(periods), 200):
        rows += list(Fact.objects.filter(feed=feed, period__in=periods[start:start + 200]).values_list(
            "subject_key", "period", "id", "digest", "talent_id", "organization_id").iterator(chunk_size=20_000))
    return pl.DataFrame([(k, p, i, d, t is not None or o is not None) for k, p, i, d, t, o in rows],
                        schema=EXISTING_SCHEMA, orient="row")


def _stage(cursor, frame: pl.DataFrame) -> None:
    columns = ["subject_key", "subject_masked", "subject_name", "period", "value", "digest", "fact_id"]
    if _postgres():
        from rencai.core.bulk import copy_frame

        cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")  # a load earlier in the same transaction
        cursor.execute(f"""CREATE TEMPORARY TABLE {STAGE} (subject_key text, subject_masked text, subject_name text,
                           period date, value text, digest bigint, fact_id bigint) ON COMMIT DROP""")
        copy_frame(cursor, STAGE, frame.select(columns))
        cursor.execute(f"ANALYZE {STAGE}")
        return
    cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
    cursor.execute(f"""CREATE TEMPORARY TABLE {STAGE} (subject_key text, subject_masked text, subject_name text,
                       period date, value text, digest bigint, fact_id bigint)""")
    rows = frame.select(pl.col("subject_key"), "subject_masked", "subject_name",
                        pl.col("period").cast(pl.String), "value", "digest", "fact_id").rows()
    for start in range(0, len(rows), 5000):
        cursor.executemany(f"INSERT INTO {STAGE} VALUES (%s, %s, %s, %s, %s, %s, %s)", rows[start:start + 5000])


def facts_write(*, feed, load, valid: pl.DataFrame, as_of, say=lambda message: None) -> Written:
    """Write ``valid`` (validation.Checked.valid) as the feed's facts, in the caller's transaction."""
    result = Written()
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        result.seconds[name] = round(now - clock, 2)
        clock = now

    facts = Fact._meta.db_table
    table, key, _column = _registry(feed.spec.subject)
    as_json = "s.value::jsonb" if _postgres() else "s.value"
    with connection.cursor() as cursor:
        if _postgres():
            cursor.execute("SET LOCAL work_mem = '256MB'")
        result.rematched_ids = rematch(cursor, feed, load)
        result.rematched = len(result.rematched_ids)
        lap("rematch")
        if valid.is_empty():
            return result
        periods = valid.get_column("period").unique().sort().to_list()
        say("正在与已有数据比对")
        existing = _existing(cursor, feed, periods)
        lap("read_existing")
        joined = valid.join(existing, on=["subject_key", "period"], how="left")
        is_new = pl.col("fact_id").is_null()
        is_changed = pl.col("fact_id").is_not_null() & (pl.col("digest") != pl.col("old_digest"))
        todo = joined.filter(is_new | is_changed)
        result.new = todo.filter(is_new).height
        result.changed = todo.height - result.new
        result.unchanged = joined.height - todo.height
        result.unmatched = joined.filter(pl.col("fact_id").is_not_null() & ~pl.col("matched")).height
        lap("compare")
        if todo.is_empty():
            return result
        say(f"正在写入{todo.height}条核验数据")
        _stage(cursor, todo)
        lap("stage")
        ops = connection.ops
        now, day = ops.adapt_datetimefield_value(timezone.now()), ops.adapt_datefield_value(as_of)
        if result.new:
            person = feed.spec.subject == SubjectType.PERSON
            cursor.execute(f"""
                INSERT INTO {facts} (feed_id, kind, subject_key, subject_masked, subject_name, talent_id,
                                     organization_id, period, value, digest, load_id, as_of, created_at, updated_at)
                SELECT %s, %s, s.subject_key, s.subject_masked, s.subject_name, {"r.id" if person else "NULL"},
                       {"NULL" if person else "r.id"}, s.period, {as_json}, s.digest, %s, %s, %s, %s
                FROM {STAGE} s LEFT JOIN {table} r ON r.{key} = s.subject_key
                WHERE s.fact_id IS NULL""", [feed.pk, feed.kind, load.pk, day, now, now])
            cursor.execute(f"""SELECT count(*) FROM {STAGE} s WHERE s.fact_id IS NULL
                               AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.{key} = s.subject_key)""")
            result.unmatched += cursor.fetchone()[0]
            lap("insert")
        if result.changed:
            # Fingerprints differ: the values themselves decide (a row whose value is the same only gets the new
            # fingerprint, and counts as unchanged).
            differs = f"{facts}.value IS DISTINCT FROM {as_json}" if _postgres() else f"{facts}.value IS NOT s.value"
            cursor.execute(f"""
                UPDATE {facts} SET value = {as_json}, digest = s.digest, subject_name = s.subject_name,
                                   load_id = %s, as_of = %s, updated_at = %s
                FROM {STAGE} s WHERE {facts}.id = s.fact_id AND {differs}""", [load.pk, day, now])
            changed = max(cursor.rowcount, 0)
            cursor.execute(f"""UPDATE {facts} SET digest = s.digest FROM {STAGE} s
                               WHERE {facts}.id = s.fact_id AND {facts}.digest <> s.digest""")
            result.unchanged += result.changed - changed
            result.changed = changed
            lap("update")
        if _postgres():  # kept for verification.refresh, in this transaction (ON COMMIT DROP)
            result.staged = True
        else:
            cursor.execute(f"DROP TABLE IF EXISTS temp.{STAGE}")
    return result
