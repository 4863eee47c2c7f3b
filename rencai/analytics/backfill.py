# ruff: noqa: S608  (SQL built from this module's constants and the database vendor; values are parameters)
"""The history of talents registered before it was recorded (or written by the demo's COPY): every talent
without a spell gets an open one from their current record (from the employment start, else the day they were
registered), every talent without an origin the one the registry tells (services.origin_inferred, the same rule
in SQL). Two INSERT … SELECT statements, on both databases: no row travels through Python, so a million talents
take seconds on PostgreSQL. Safe to run twice (only talents without rows are written). No move is invented: when a
backfilled talent arrived in the district is not known, so flows count from the recorded moves only."""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection, transaction
from django.utils import timezone

from rencai.core.bulk import indexes_deferred

from .enums import PROVINCES, Channel, HistoryReason, OriginKind
from .services import CHINA, UNFILLED_SCHOOL, _city4


def _created_day(vendor: str) -> tuple[str, list]:
    """SQL for the local day of ``t.created_at``."""
    if vendor == "postgresql":
        return "CAST(t.created_at AT TIME ZONE %s AS date)", [timezone.get_current_timezone_name()]
    offset = timezone.localtime().utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return "date(t.created_at, %s)", [f"{hours:+d} hours"]


def history_backfill(using=None) -> tuple[int, int]:
    """(spells written, origins written)."""
    from django.db import connections

    conn = connections[using] if using else connection
    vendor = conn.vendor
    now = timezone.now()
    created, created_params = _created_day(vendor)
    true = "TRUE" if vendor == "postgresql" else "1"
    false = "FALSE" if vendor == "postgresql" else "0"
    spells_sql = f"""
        INSERT INTO analytics_employmentspell (talent_id, organization_id, district_id, industry, started_on,
                                               ended_on, reason, recorded_at)
        SELECT t.id, CASE WHEN t.employment_status = 'rejected' THEN NULL ELSE t.organization_id END,
               t.district_id,
               CASE WHEN t.employment_status = 'rejected' THEN '' ELSE COALESCE(o.industry, '') END,
               COALESCE(t.employment_start, {created}), NULL, %s, %s
        FROM talents_talent t LEFT JOIN organizations_organization o ON o.id = t.organization_id
        WHERE NOT EXISTS (SELECT 1 FROM analytics_employmentspell s WHERE s.talent_id = t.id)"""
    provinces = ", ".join(f"'{code[:2]}'" for code in PROVINCES)  # constants of this module, not input
    overseas = f"(t.returnee = {true} OR COALESCE(e.overseas, {false}) = {true})"
    resident = f"(t.id_type = 'resident_id' AND substr(t.id_number_masked, 1, 2) IN ({provinces}))"
    origins_sql = f"""
        INSERT INTO analytics_origin (talent_id, kind, province_code, country, university, channel, inferred,
                                      updated_at)
        SELECT t.id,
               CASE WHEN {overseas} THEN %s
                    WHEN {resident} AND substr(t.id_number_masked, 1, 4) = %s THEN %s
                    WHEN {resident} THEN %s ELSE %s END,
               CASE WHEN NOT {overseas} AND {resident} THEN substr(t.id_number_masked, 1, 2) || '0000'
                    ELSE '' END,
               CASE WHEN {overseas} AND e.country IS NOT NULL AND e.country NOT IN (%s, %s) THEN e.country
                    ELSE '' END,
               CASE WHEN e.school IS NULL OR e.school = %s THEN '' ELSE e.school END,
               %s, {true}, %s
        FROM talents_talent t
        LEFT JOIN (SELECT talent_id, school, country, overseas,
                          ROW_NUMBER() OVER (PARTITION BY talent_id ORDER BY graduation_date DESC, id DESC) AS rn
                   FROM talents_education) e ON e.talent_id = t.id AND e.rn = 1
        WHERE NOT EXISTS (SELECT 1 FROM analytics_origin x WHERE x.talent_id = t.id)"""
    origin_params = [OriginKind.OVERSEAS.value, _city4(), OriginKind.LOCAL.value, OriginKind.DOMESTIC.value,
                     OriginKind.UNKNOWN.value, *CHINA, UNFILLED_SCHOOL, Channel.UNKNOWN.value, now]
    with transaction.atomic(using=conn.alias), _deferred_when_empty(conn):
        with conn.cursor() as cursor:
            cursor.execute(spells_sql, [*created_params, HistoryReason.BACKFILL.value, now])
            spells = cursor.rowcount
            cursor.execute(origins_sql, origin_params)
            origins = cursor.rowcount
    return spells, origins


@contextmanager
def _deferred_when_empty(conn):
    """The first backfill of a large registry on PostgreSQL (the history's tables empty): their indexes and
    constraints made once after the inserts, not a row at a time (core.bulk.indexes_deferred)."""
    if conn.vendor != "postgresql" or conn.alias != "default":
        yield
        return
    with conn.cursor() as cursor:
        cursor.execute("SELECT EXISTS (SELECT 1 FROM analytics_employmentspell) "
                       "OR EXISTS (SELECT 1 FROM analytics_origin)")
        if cursor.fetchone()[0]:
            yield
            return
        # Checks still pending in this transaction are made now (a table with pending trigger events cannot be
        # altered); they are Django's deferred foreign keys, deferred again after.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with indexes_deferred(["analytics_employmentspell", "analytics_origin"]):
        yield
    with conn.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
