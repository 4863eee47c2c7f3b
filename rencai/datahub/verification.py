# ruff: noqa: S608  (SQL built from model table names and this module's constants; values are parameters)
"""核验结果: what the feeds vouch for about each talent now, one ``Verification`` row per talent, kept up to date
by every load (``refresh``, in the load's transaction) and rebuilt from all facts by ``rebuild``.

Per kind of fact, the value the engine takes over a declaration:

- 学历学位认证: the highest verified degree and its graduation date (a talent may have several certificates);
- 留学回国人员证明: a certificate issued → a returnee;
- 职业技能等级: the highest verified level (初级工/中级工 too: the registry cannot hold them, and the engine then
  reads "no qualifying level");
- 不动产登记: a home (住宅) registered in the talent's name → owns a home in the city;
- 社会保险缴纳: the latest month the feed has for the talent, and whether it was paid in the city;
- 户籍/居住证: the latest month, and the district.

A fact whose discrepancy staff closed as "申报信息属实" (the feed was wrong) vouches for nothing.

Monthly kinds keep the row of the latest month: a load's row replaces the kept one when its month is the same or
later. The other kinds are worked out again from all the talent's facts of the kind. ``changed_at`` moves only
when a value the engine reads changes — the first verification included, not another month saying the same — so
that 政策找人's incremental run re-evaluates just those talents (matching.match_run reads it beside the
registry's ``updated_at``).
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import connection
from django.db.models.fields.json import KT
from django.utils import timezone

from rencai.core.bulk import read_frame, values_of_ids
from rencai.talents.enums import DEGREE_RANK

from .discrepancies import SKILL_RANK, city_prefix
from .enums import FactKind, Resolution
from .models import Discrepancy, Fact, Verification

MONTHLY = (FactKind.SOCIAL_INSURANCE, FactKind.RESIDENCE)
# kind → (the value keys read, the Verification columns it sets)
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    FactKind.DEGREE: (("degree",), ("degree", "graduation_date", "degree_fact_id")),
    FactKind.RETURNEE: ((), ("returnee", "returnee_fact_id")),
    FactKind.SKILL: (("level",), ("skill_level", "skill_fact_id")),
    FactKind.PROPERTY: (("use",), ("owns_home", "home_fact_id")),
    FactKind.SOCIAL_INSURANCE: (("status", "district"), ("insured_month", "insured_in_city", "insured_fact_id")),
    FactKind.RESIDENCE: (("district",), ("resident_month", "resident_district", "resident_fact_id")),
}
# What the engine reads: a change of one of these moves changed_at.
DECISIVE = ("degree", "graduation_date", "returnee", "skill_level", "owns_home", "insured_in_city",
            "resident_district")
COLUMN_TYPES: dict[str, pl.DataType] = {
    "degree": pl.String, "graduation_date": pl.Date, "degree_fact_id": pl.Int64, "returnee": pl.Boolean,
    "returnee_fact_id": pl.Int64, "skill_level": pl.String, "skill_fact_id": pl.Int64, "owns_home": pl.Boolean,
    "home_fact_id": pl.Int64, "insured_month": pl.Date, "insured_in_city": pl.Boolean, "insured_fact_id": pl.Int64,
    "resident_month": pl.Date, "resident_district": pl.String, "resident_fact_id": pl.Int64,
}
DEFAULTS = {"degree": "", "returnee": False, "skill_level": "", "owns_home": False, "resident_district": ""}
STAGE = "datahub_verification_stage"
# kind → (the value key ranked, code → rank): the kinds whose best fact counts (Polars and SQL alike).
_RANK = {
    FactKind.DEGREE: ("degree", {str(k): v for k, v in DEGREE_RANK.items()}),
    FactKind.SKILL: ("level", {str(k): v for k, v in SKILL_RANK.items()}),
}


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _facts(queryset, keys: tuple[str, ...]) -> pl.DataFrame:
    """(talent_id, fact_id, period, v_<key>…) of the facts, on PostgreSQL by one COPY."""
    annotated = queryset.annotate(**{f"v_{k}": KT(f"value__{k}") for k in keys}).order_by()
    names = ["talent_id", "id", "period", *(f"v_{k}" for k in keys)]
    schema = {"talent_id": pl.Int64, "fact_id": pl.Int64, "period": pl.Date, **{f"v_{k}": pl.String for k in keys}}
    rows = annotated.values_list(*names)
    if _postgres():
        sql, params = rows.query.get_compiler(using=rows.db).as_sql()
        with connection.cursor() as cursor:
            return read_frame(cursor, sql, list(params), schema)
    return pl.DataFrame(list(rows.iterator(chunk_size=20_000)), schema=schema, orient="row")


def _best(kind: str, facts: pl.DataFrame) -> pl.DataFrame:
    """Per talent, the fact of the highest rank (_RANK: degree, skill level), the latest among equals."""
    key, ranks = _RANK[kind]
    ranked = facts.with_columns(pl.col(f"v_{key}").replace_strict(ranks, default=0, return_dtype=pl.Int64)
                                .alias("rank"))
    return (ranked.filter(pl.col("rank") > 0).sort(["talent_id", "rank", "period", "fact_id"])
            .group_by("talent_id", maintain_order=True).last())


def _candidates(kind: str, facts: pl.DataFrame) -> pl.DataFrame:
    """One row per talent: the Verification columns of ``kind`` from their facts (the best or the latest)."""
    if kind == FactKind.DEGREE:
        return _best(kind, facts).select("talent_id", pl.col("v_degree").alias("degree"),
                                         pl.col("period").alias("graduation_date"),
                                         pl.col("fact_id").alias("degree_fact_id"))
    if kind == FactKind.SKILL:
        return _best(kind, facts).select("talent_id", pl.col("v_level").alias("skill_level"),
                                         pl.col("fact_id").alias("skill_fact_id"))
    if kind == FactKind.RETURNEE:
        first = facts.sort(["talent_id", "period", "fact_id"]).group_by("talent_id", maintain_order=True).first()
        return first.select("talent_id", pl.lit(True).alias("returnee"), pl.col("fact_id").alias("returnee_fact_id"))
    if kind == FactKind.PROPERTY:
        homes = facts.filter(pl.col("v_use").fill_null("residential") == "residential")
        latest = homes.sort(["talent_id", "period", "fact_id"]).group_by("talent_id", maintain_order=True).last()
        return latest.select("talent_id", pl.lit(True).alias("owns_home"), pl.col("fact_id").alias("home_fact_id"))
    latest = facts.sort(["talent_id", "period", "fact_id"]).group_by("talent_id", maintain_order=True).last()
    if kind == FactKind.SOCIAL_INSURANCE:
        paid = pl.col("v_status").fill_null("paid") == "paid"
        here = pl.col("v_district").fill_null("").str.starts_with(city_prefix()) | (
            pl.col("v_district").fill_null("") == "")
        return latest.select("talent_id", pl.col("period").alias("insured_month"),
                             (paid & here).alias("insured_in_city"), pl.col("fact_id").alias("insured_fact_id"))
    return latest.select("talent_id", pl.col("period").alias("resident_month"),
                         pl.col("v_district").fill_null("").alias("resident_district"),
                         pl.col("fact_id").alias("resident_fact_id"))


def _usable(queryset):
    """Facts matched to a talent, without those staff found wrong (a discrepancy closed as 申报信息属实)."""
    # (A discrepancy of a month missing has no fact: a NULL in NOT IN would set every fact aside.)
    upheld = Discrepancy.objects.filter(resolution=Resolution.DECLARATION_UPHELD, fact__isnull=False).values("fact_id")
    return queryset.filter(talent__isnull=False).exclude(pk__in=upheld)


def _existing(talent_ids: pl.Series) -> pl.DataFrame:
    schema = {"talent_id": pl.Int64, **{c: COLUMN_TYPES[c] for c in DECISIVE}, **{
        "insured_month": pl.Date, "resident_month": pl.Date, "changed_at": pl.Datetime("us", "UTC")}}
    names = list(schema)
    ids = talent_ids.to_list()
    if _postgres():
        # COPY writes booleans as t/f: spelled out for the reader.
        selected = [f"CASE WHEN {n} THEN 'true' WHEN NOT {n} THEN 'false' END" if schema[n] == pl.Boolean else n
                    for n in names]
        with connection.cursor() as cursor:
            return read_frame(cursor, f"SELECT {', '.join(selected)} FROM {Verification._meta.db_table} "
                                      "WHERE talent_id = ANY(%s)", [ids], schema)
    return pl.DataFrame(values_of_ids(Verification.objects.all(), "talent_id", ids, names), schema=schema,
                        orient="row")


def _merge(kind: str, candidates: pl.DataFrame, now: dt.datetime) -> pl.DataFrame:
    """The rows to write for ``kind``: the candidates (monthly kinds: unless the kept month is later), with
    changed_at moved where a decisive value differs from the kept one (or there was no row)."""
    columns = KINDS[kind][1]
    existing = _existing(candidates.get_column("talent_id"))
    joined = candidates.join(existing, on="talent_id", how="left", suffix="_old")
    if kind in MONTHLY:
        month = columns[0]
        joined = joined.filter(pl.col(f"{month}_old").is_null() | (pl.col(month) >= pl.col(f"{month}_old")))
    decisive = [c for c in columns if c in DECISIVE]
    new_row = pl.col("changed_at").is_null()
    differs = pl.any_horizontal([pl.col(c).ne_missing(pl.col(f"{c}_old")) for c in decisive])
    changed = new_row | differs
    return joined.select("talent_id", *columns,
                         pl.when(changed).then(pl.lit(now)).otherwise(pl.col("changed_at")).alias("changed_at"))


def _write(kind: str, rows: pl.DataFrame, now: dt.datetime) -> None:
    """Upsert the kind's columns of ``rows`` (other columns keep their values; a new row gets the defaults)."""
    if rows.is_empty():
        return
    columns = KINDS[kind][1]
    table = Verification._meta.db_table
    every = ["talent_id", *COLUMN_TYPES, "changed_at", "updated_at"]
    full = rows.with_columns(pl.lit(now).alias("updated_at"), *(
        (pl.lit(DEFAULTS.get(c), dtype=t) if c in DEFAULTS else pl.lit(None, dtype=t)).alias(c)
        for c, t in COLUMN_TYPES.items() if c not in columns)).select(every)
    update = ", ".join(f"{c} = excluded.{c}" for c in (*columns, "changed_at", "updated_at"))
    with connection.cursor() as cursor:
        if _postgres():
            from rencai.core.bulk import copy_frame

            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
            cursor.execute(f"CREATE TEMPORARY TABLE {STAGE} (LIKE {table} INCLUDING DEFAULTS) ON COMMIT DROP")
            copy_frame(cursor, STAGE, full)
            cursor.execute(f"INSERT INTO {table} ({', '.join(every)}) SELECT {', '.join(every)} FROM {STAGE} "
                           f"ON CONFLICT (talent_id) DO UPDATE SET {update}")
            cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{STAGE}")
            return
        ops = connection.ops
        dates = {c for c, t in COLUMN_TYPES.items() if t == pl.Date}
        values = [[ops.adapt_datetimefield_value(row[c]) if c in ("changed_at", "updated_at")
                   else ops.adapt_datefield_value(row[c]) if c in dates else row[c] for c in every]
                  for row in full.iter_rows(named=True)]
        marks = ", ".join(["%s"] * len(every))
        cursor.executemany(f"INSERT INTO {table} ({', '.join(every)}) VALUES ({marks}) "
                           f"ON CONFLICT (talent_id) DO UPDATE SET {update}", values)


def _apply(kind: str, facts: pl.DataFrame, now: dt.datetime) -> int:
    if facts.is_empty():
        return 0
    rows = _merge(kind, _candidates(kind, facts), now)
    _write(kind, rows, now)
    return rows.height


# --- PostgreSQL: one INSERT … SELECT DISTINCT ON … ON CONFLICT per load, in the database -------------------------

def _sql_columns(kind: str) -> dict[str, str]:
    """The Verification columns of ``kind`` as SQL over a fact ``f`` (PostgreSQL)."""
    if kind == FactKind.DEGREE:
        return {"degree": "f.value->>'degree'", "graduation_date": "f.period", "degree_fact_id": "f.id"}
    if kind == FactKind.RETURNEE:
        return {"returnee": "true", "returnee_fact_id": "f.id"}
    if kind == FactKind.SKILL:
        return {"skill_level": "f.value->>'level'", "skill_fact_id": "f.id"}
    if kind == FactKind.PROPERTY:
        return {"owns_home": "true", "home_fact_id": "f.id"}
    if kind == FactKind.SOCIAL_INSURANCE:
        prefix = city_prefix()
        return {"insured_month": "f.period", "insured_fact_id": "f.id", "insured_in_city": (
            "(COALESCE(f.value->>'status', 'paid') = 'paid' AND (COALESCE(f.value->>'district', '') = '' "
            f"OR f.value->>'district' LIKE '{int(prefix)}%%'))")}
    return {"resident_month": "f.period", "resident_district": "COALESCE(f.value->>'district', '')",
            "resident_fact_id": "f.id"}


def _rank_sql(kind: str) -> str:
    key, ranks = _RANK[kind]
    cases = " ".join(f"WHEN '{code}' THEN {int(rank)}" for code, rank in ranks.items())
    return f"(CASE f.value->>'{key}' {cases} ELSE 0 END)"


def _postgres_refresh(kind: str, *, feed_id: int, staged: bool, fact_ids: list[int], now, rows: int = 0) -> int:
    """The kind's columns of the talents the load's facts are about, worked out and written by the database.
    ``rows``: how many the load wrote — a large delivery is joined to the facts by hashing (the facts it has just
    written are not in the planner's statistics yet, and a million index probes took three times as long)."""
    from .loading import STAGE

    facts, table = Fact._meta.db_table, Verification._meta.db_table
    parts, params = [], []
    if staged:  # the load's new and changed rows, found by the facts' unique index (feed, period, subject)
        parts.append(f"""SELECT f.* FROM pg_temp.{STAGE} s JOIN {facts} f ON f.feed_id = %s
                         AND f.period = s.period AND f.subject_key = s.subject_key COLLATE "C" """)
        params.append(feed_id)
    if fact_ids:  # facts of earlier loads matched now (someone registered since)
        parts.append(f"SELECT f.* FROM {facts} f WHERE f.id = ANY(%s)")
        params.append(list(fact_ids))
    if not parts:
        return 0
    written = " UNION ALL ".join(parts)  # the facts the load wrote, as a table
    upheld = (f"SELECT fact_id FROM {Discrepancy._meta.db_table} "
              f"WHERE resolution = '{Resolution.DECLARATION_UPHELD.value}' AND fact_id IS NOT NULL")
    columns = _sql_columns(kind)
    if kind in MONTHLY:  # the load's rows: the latest month of each talent, if not older than the kept one
        source = f"({written}) f WHERE f.talent_id IS NOT NULL"
        order = "f.period DESC, f.id DESC"
        month = next(iter(columns))
        only_newer = f" WHERE v.{month} IS NULL OR EXCLUDED.{month} >= v.{month}"
    else:  # every fact of the kind of the talents the load is about: the best (or first) again
        source = (f"{facts} f WHERE f.kind = '{kind}' AND f.talent_id IN "
                  f"(SELECT w.talent_id FROM ({written}) w WHERE w.talent_id IS NOT NULL)")
        order = {FactKind.RETURNEE: "f.period, f.id"}.get(kind, "f.period DESC, f.id DESC")
        if kind in _RANK:
            source += f" AND {_rank_sql(kind)} > 0"
            order = f"{_rank_sql(kind)} DESC, {order}"
        if kind == FactKind.PROPERTY:
            source += " AND COALESCE(f.value->>'use', 'residential') = 'residential'"
        only_newer = ""
    every = list(COLUMN_TYPES)
    selected = [columns[c] if c in columns else ("NULL" if c not in DEFAULTS else
                                                  {str: "''", bool: "false"}[type(DEFAULTS[c])]) for c in every]
    decisive = [c for c in columns if c in DECISIVE]
    changed = (f"({', '.join(f'v.{c}' for c in decisive)}) IS DISTINCT FROM "
               f"({', '.join(f'EXCLUDED.{c}' for c in decisive)})") if len(decisive) > 1 else \
        f"v.{decisive[0]} IS DISTINCT FROM EXCLUDED.{decisive[0]}"
    update = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns)
    from .loading import LARGE

    with connection.cursor() as cursor:
        if rows >= LARGE:
            cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"""
            INSERT INTO {table} AS v (talent_id, {', '.join(every)}, changed_at, updated_at)
            SELECT DISTINCT ON (f.talent_id) f.talent_id, {', '.join(selected)}, %s, %s
            FROM {source} AND f.id NOT IN ({upheld})
            ORDER BY f.talent_id, {order}
            ON CONFLICT (talent_id) DO UPDATE SET {update},
                changed_at = CASE WHEN {changed} THEN EXCLUDED.changed_at ELSE v.changed_at END,
                updated_at = EXCLUDED.updated_at{only_newer}""", [now, now, *params])
        count = max(cursor.rowcount, 0)
        if rows >= LARGE:
            cursor.execute("SET LOCAL enable_nestloop = on")
        return count


def refresh(*, feed, load, written=None, periods: list | None = None) -> int:
    """After ``load`` wrote facts of ``feed`` (in its transaction): the Verification rows of the talents those
    facts are about. ``written`` (loading.Written): on PostgreSQL the new and changed rows are still in the
    staging table and the rematched facts' ids are known, so only they are read; elsewhere the facts the load
    wrote are found by their load (``periods``: the load's periods). Returns the rows written."""
    if feed.kind not in KINDS:
        return 0
    now = timezone.now()
    if _postgres() and written is not None:
        return _postgres_refresh(feed.kind, feed_id=feed.pk, staged=written.staged,
                                 fact_ids=written.rematched_ids, now=now, rows=written.new + written.changed)
    keys = KINDS[feed.kind][0]
    rematched = written is not None and written.rematched
    loaded = Fact.objects.filter(feed_id=feed.pk, load_id=load.pk)
    if periods is not None and not rematched:  # a rematch writes facts of any period
        loaded = loaded.filter(period__in=periods)
    if feed.kind in MONTHLY:
        return _apply(feed.kind, _facts(_usable(loaded), keys), now)
    touched = _usable(loaded).values("talent_id")
    return _apply(feed.kind, _facts(_usable(Fact.objects.filter(kind=feed.kind, talent_id__in=touched)), keys), now)


def refresh_talent(*, talent_id: int, kind: str) -> None:
    """One talent's row for one kind, from all their facts of it (after staff decided a discrepancy)."""
    if kind not in KINDS:
        return
    facts = _facts(_usable(Fact.objects.filter(kind=kind, talent_id=talent_id)), KINDS[kind][0])
    now = timezone.now()
    if facts.is_empty():  # nothing vouches any more: the kind's values go back to "not verified"
        columns = KINDS[kind][1]
        Verification.objects.filter(talent_id=talent_id).update(
            **{c: DEFAULTS.get(c) for c in columns}, changed_at=now, updated_at=now)
        return
    rows = _candidates(kind, facts)
    if kind in MONTHLY:  # all their facts: the latest is the row, whatever the kept one says
        rows = rows.with_columns(pl.lit(now).alias("changed_at"))
        _write(kind, rows, now)
        return
    _write(kind, _merge(kind, rows, now), now)


def rebuild() -> int:
    """Every talent's row again from all facts (``rencai datahub_verify``). Returns the rows kept."""
    Verification.objects.all().delete()
    now = timezone.now()
    for kind, (keys, _columns) in KINDS.items():
        _apply(kind, _facts(_usable(Fact.objects.filter(kind=kind)), keys), now)
    return Verification.objects.count()


def verified_of(talent_ids, *, with_facts: bool = True) -> dict[int, Verification]:
    """The rows of these talents, with the facts (and feeds) they name."""
    rows = Verification.objects.filter(talent_id__in=list(talent_ids))
    if with_facts:
        rows = rows.select_related(*(f"{name}__feed__department" for name in (
            "degree_fact", "returnee_fact", "skill_fact", "home_fact", "insured_fact", "resident_fact")))
    return {v.talent_id: v for v in rows}

