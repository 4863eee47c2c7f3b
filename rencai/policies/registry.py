"""The registry as the engine's input, in its two shapes: one talent as a calculator profile (the contract's
input, for the talent's own page), and the whole registry as the batch frame (columns as batch.FRAME_SCHEMA,
read straight from the database in chunks). Both read the same facts; a test proves they agree."""

import datetime as dt
from decimal import Decimal

import polars as pl

from rencai.recognition.selectors import categories_on, category_on
from rencai.talents.enums import EmploymentStatus, HousingStatus, SkillLevel
from rencai.talents.models import Talent

from .batch import FRAME_SCHEMA


def talent_verification(talent: Talent):
    """What the data centre verified about the talent (datahub.Verification, with the facts it names), or None."""
    from rencai.datahub.verification import verified_of

    return verified_of([talent.pk]).get(talent.pk)


_READ = object()


def talent_profile(talent: Talent, *, as_of: dt.date, verification=_READ) -> dict:
    """Only what the registry knows; what it does not know stays out, so the engine answers "unknown"
    for it instead of guessing. A fact the data centre verified is taken over what was declared (issue 16):
    the highest verified degree, a returnee certificate, the highest verified skill level, a home registered,
    social insurance not paid in the city in the latest month the feed has (datahub.verification)."""
    verified = talent_verification(talent) if verification is _READ else verification
    profile: dict = {
        "as_of": as_of.isoformat(),
        "city": talent.district.parent_id,
        "birth_date": talent.birth_date.isoformat(),
        "returnee": talent.returnee,
        "honors": list(talent.honors),
        # Already received (active entitlements, approved applications): not offered again.
        "received": _received([talent.pk]).get(talent.pk, []),
    }
    if talent.pk in _awarded([talent.pk]):
        profile["challenge_awarded"] = True
    degree, graduated = talent.highest_degree, talent.graduation_date
    if verified is not None and verified.degree:
        degree, graduated = verified.degree, verified.graduation_date
    if degree:
        profile["degree"] = degree
    if graduated:
        profile["graduation_date"] = graduated.isoformat()
    if verified is not None and verified.returnee:
        profile["returnee"] = True
    # The category valid on the evaluation day: platform recognitions with their validity, or the one
    # recognised before the platform, from the day it was recognised.
    category = category_on(talent, as_of)
    if category:
        profile["talent_category"] = category
    if talent.professional_title:
        profile["professional_title"] = talent.professional_title
    skill = talent.skill_level
    if verified is not None and verified.skill_level:
        skill = verified.skill_level if verified.skill_level in SkillLevel.values else ""
    if skill:
        profile["skill_level"] = skill
    # Employment counts only once the employer (or staff) has confirmed it: a talent's claim is not enough.
    if talent.employer_type and talent.employment_confirmed:
        in_city = not (verified is not None and verified.insured_in_city is False)
        employment = {"employer_type": talent.employer_type, "in_city": in_city}
        if talent.employment_start:
            employment["start_date"] = talent.employment_start.isoformat()
        profile["employment"] = employment
    owns = verified is not None and verified.owns_home
    if talent.housing_status or owns:
        housing = {
            "owns_home_in_city": owns or talent.housing_status == HousingStatus.OWNS,
            "renting": not owns and talent.housing_status == HousingStatus.RENTING,
        }
        if talent.monthly_rent is not None:
            housing["monthly_rent"] = talent.monthly_rent
        if talent.rent_area_sqm is not None:
            housing["rent_area_sqm"] = talent.rent_area_sqm
        profile["housing"] = housing
    return profile


def _awarded(pks=None) -> set[int]:
    """The talents (of ``pks``, or all: a small set) awarded a 揭榜挂帅 challenge (opportunities/awards.py)."""
    from rencai.opportunities.awards import awarded_talent_ids

    return awarded_talent_ids(pks)


def _received(pks) -> dict[int, list[str]]:
    from rencai.fulfilment.selectors import received_for

    return received_for(pks)


COLUMNS = (
    "pk", "district_id", "district__parent_id", "birth_date", "returnee", "highest_degree", "graduation_date",
    "talent_category", "category_recognized_on", "professional_title", "skill_level", "honors", "employer_type",
    "employment_start", "housing_status", "monthly_rent", "rent_area_sqm", "employment_status",
    # What the data centre verified (datahub.Verification; no row → nothing verified).
    "verification__degree", "verification__graduation_date", "verification__returnee", "verification__skill_level",
    "verification__owns_home", "verification__insured_in_city",
)
# The registry's facts as stored, one row per talent, in COLUMNS' order: what both databases' readers produce
# and _derive turns into the batch frame. Amounts are scaled by 100 (fen, hundredths of a ㎡), as the engine's.
RAW_SCHEMA: dict[str, pl.DataType] = {
    "person_id": pl.Int64, "district": pl.String, "city": pl.String, "birth_date": pl.Date,
    "returnee": pl.Boolean, "degree": pl.String, "graduation_date": pl.Date, "category": pl.String,
    "recognized_on": pl.Date, "professional_title": pl.String, "skill_level": pl.String,
    "honors": pl.List(pl.String), "employer_type": pl.String, "employment_start": pl.Date,
    "housing_status": pl.String, "monthly_rent": pl.Int64, "rent_area_sqm": pl.Int64,
    "employment_status": pl.String,
    "v_degree": pl.String, "v_graduation_date": pl.Date, "v_returnee": pl.Boolean, "v_skill_level": pl.String,
    "v_owns_home": pl.Boolean, "v_insured_in_city": pl.Boolean,
}
_HONORS_SEPARATOR = "\x1f"  # a control character: never inside an honour's code
# PostgreSQL: the same columns computed by the database and read with one COPY (core.bulk.read_frame).
_RAW_SQL = (
    "SELECT t.id, t.district_id, r.parent_id, t.birth_date, CASE WHEN t.returnee THEN 'true' ELSE 'false' END, "
    "COALESCE(t.highest_degree, ''), "
    "t.graduation_date, COALESCE(t.talent_category, ''), t.category_recognized_on, "
    "COALESCE(t.professional_title, ''), COALESCE(t.skill_level, ''), "
    "CASE WHEN jsonb_array_length(t.honors) = 0 THEN '' ELSE (SELECT string_agg(DISTINCT h, E'\\x1f' ORDER BY h) "
    "FROM jsonb_array_elements_text(t.honors) AS h) END, COALESCE(t.employer_type, ''), t.employment_start, "
    "COALESCE(t.housing_status, ''), (t.monthly_rent * 100)::bigint, (t.rent_area_sqm * 100)::bigint, "
    "COALESCE(t.employment_status, ''), "
    "v.degree, v.graduation_date, CASE WHEN v.returnee THEN 'true' ELSE 'false' END, v.skill_level, "
    "CASE WHEN v.owns_home THEN 'true' ELSE 'false' END, "
    "CASE WHEN v.insured_in_city THEN 'true' WHEN NOT v.insured_in_city THEN 'false' END "
    "FROM talents_talent t JOIN regions_region r ON r.code = t.district_id "
    "LEFT JOIN datahub_verification v ON v.talent_id = t.id"
)
_RECEIVED_SQL = (
    "SELECT talent_id, policy FROM fulfilment_application WHERE status = %s{scope} "
    "UNION SELECT talent_id, policy FROM payments_entitlement WHERE status = %s{scope}"
)
CHUNK = 50_000


def _scaled(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def _raw_from_rows(rows: list[tuple]) -> pl.DataFrame:
    """ORM rows (values_list(*COLUMNS)) as RAW_SCHEMA: the embedded database's reader."""
    columns = [list(c) for c in zip(*rows, strict=True)] if rows else [[] for _ in RAW_SCHEMA]
    named = dict(zip(RAW_SCHEMA, columns, strict=True))
    named["honors"] = [sorted(set(h or [])) for h in named["honors"]]  # the batch frame holds distinct items
    named["monthly_rent"] = [_scaled(v) for v in named["monthly_rent"]]
    named["rent_area_sqm"] = [_scaled(v) for v in named["rent_area_sqm"]]
    return pl.DataFrame(named, schema=RAW_SCHEMA)


def _received_frame(received: dict[int, list[str]]) -> pl.DataFrame:
    return pl.DataFrame({"person_id": list(received), "received": [sorted(v) for v in received.values()]},
                        schema={"person_id": pl.Int64, "received": pl.List(pl.String)})


def _recognised_frame(recognised: dict[int, str]) -> pl.DataFrame:
    return pl.DataFrame({"person_id": list(recognised), "recognised": list(recognised.values())},
                        schema={"person_id": pl.Int64, "recognised": pl.String})


def _derive(raw: pl.DataFrame, as_of: dt.date, recognised: pl.DataFrame, received: pl.DataFrame,
            awarded: set[int] | frozenset[int] = frozenset()) -> pl.DataFrame:
    """RAW_SCHEMA → the batch frame (person_id, district and FRAME_SCHEMA's registry columns), exactly as
    talent_profile reads one talent. ``awarded``: the talents awarded a 揭榜挂帅 challenge."""
    employed = (pl.col("employer_type") != "") & (pl.col("employment_status") == EmploymentStatus.CONFIRMED)
    # As talent_profile: a verified fact over a declared one.
    degree_verified = pl.col("v_degree").fill_null("") != ""
    owns = pl.col("v_owns_home").fill_null(False)
    skill_verified = pl.col("v_skill_level").fill_null("") != ""
    housed = (pl.col("housing_status").fill_null("") != "") | owns
    columns = [
        "person_id", "district", "city", "birth_date",
        (pl.col("returnee") | pl.col("v_returnee").fill_null(False)).alias("returnee"),
        pl.when(degree_verified).then(pl.col("v_degree")).when(pl.col("degree") != "").then(pl.col("degree"))
        .alias("degree"),
        pl.when(degree_verified).then(pl.col("v_graduation_date")).otherwise(pl.col("graduation_date"))
        .alias("graduation_date"),
        # As talent_profile: the platform's recognitions valid that day where there are any, else the
        # registry's category from the day it was recognised.
        pl.when(pl.col("recognised").is_not_null()).then(pl.col("recognised"))
        .when((pl.col("category") != "") & (pl.col("recognized_on").is_null() | (pl.col("recognized_on") <= as_of)))
        .then(pl.col("category")).otherwise(pl.lit("")).alias("talent_category"),
        "professional_title",
        pl.when(skill_verified).then(pl.when(pl.col("v_skill_level").is_in(list(SkillLevel.values)))
                                     .then(pl.col("v_skill_level")).otherwise(pl.lit("")))
        .otherwise(pl.col("skill_level")).alias("skill_level"),
        "honors",
        # As talent_profile: an employment the employer (or staff) has not confirmed is not known.
        pl.when(employed).then(pl.col("employer_type")).alias("employment.employer_type"),
        pl.when(employed).then(pl.col("v_insured_in_city").fill_null(True)).alias("employment.in_city"),
        pl.when(employed).then(pl.col("employment_start")).alias("employment.start_date"),
        pl.when(housed).then(owns | (pl.col("housing_status") == HousingStatus.OWNS))
        .alias("housing.owns_home_in_city"),
        pl.when(housed).then(~owns & (pl.col("housing_status") == HousingStatus.RENTING)).alias("housing.renting"),
        pl.col("monthly_rent").alias("housing.monthly_rent"),
        pl.col("rent_area_sqm").alias("housing.rent_area_sqm"),
        pl.col("received").fill_null(pl.lit([], dtype=pl.List(pl.String))),
        pl.col("person_id").is_in(sorted(awarded)).alias("challenge_awarded"),
    ]
    frame = (raw.join(recognised, on="person_id", how="left").join(received, on="person_id", how="left")
             .select(columns))
    schema = {"person_id": pl.Int64, "district": pl.String,
              **{name: FRAME_SCHEMA[name] for name in frame.columns if name in FRAME_SCHEMA}}
    return frame.cast(schema)  # type: ignore[arg-type]


def _chunk_frame(rows: list[tuple], as_of: dt.date, recognised: dict[int, str],
                 received: dict[int, list[str]] | None = None, awarded: set[int] | None = None) -> pl.DataFrame:
    """ORM rows as the batch frame. ``received`` may be given by a caller that reads it set-based; else it is
    read for these talents."""
    raw = _raw_from_rows(rows)
    received = _received(raw["person_id"].to_list()) if received is None else received
    return _derive(raw, as_of, _recognised_frame(recognised), _received_frame(received),
                   _awarded() if awarded is None else awarded)


def _postgres_frame(queryset, as_of: dt.date, recognised: dict[int, str], *, with_received: bool = True
                    ) -> pl.DataFrame:
    from django.db import connection, transaction

    from rencai.core.bulk import read_frame
    from rencai.fulfilment.enums import Status
    from rencai.payments.models import EntitlementStatus

    scope_sql, scope_params = "", []
    if queryset is not None:
        ids = queryset.order_by().values("pk")
        inner, scope_params = ids.query.get_compiler(using=ids.db).as_sql()
        scope_sql = f" AND talent_id IN ({inner})"
        where = f" WHERE t.id IN ({inner})"
    else:
        where = ""
    # Without JIT and without ORDER BY (sorted here): the server's JIT compiles the expressions for a million
    # rows (0.5-1 s, more than it saves) and the sort spills to disk (0.3 s); the COPY of the benchmark database's
    # 1,000,000 talents 3.2 s → 1.9 s, this whole read 3.2-4.0 s → 2.8-3.1 s. SET LOCAL: until the (outer)
    # transaction ends, and undone with it.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        raw = read_frame(cursor, f"{_RAW_SQL}{where}", list(scope_params), {
            **RAW_SCHEMA, "honors": pl.String}).sort("person_id")
        received = read_frame(cursor, _RECEIVED_SQL.format(scope=scope_sql),
                              [Status.APPROVED, *scope_params, EntitlementStatus.ACTIVE, *scope_params],
                              {"person_id": pl.Int64, "policy": pl.String}) if with_received else None
    raw = raw.with_columns(pl.when(pl.col("honors").fill_null("") == "").then(pl.lit([], dtype=pl.List(pl.String)))
                           .otherwise(pl.col("honors").str.split(_HONORS_SEPARATOR)).alias("honors"))
    received = (_received_frame({}) if received is None else
                received.group_by("person_id").agg(pl.col("policy").unique().sort().alias("received")))
    return _derive(raw, as_of, _recognised_frame(recognised), received, _awarded())


def registry_frame(*, as_of: dt.date, queryset=None, with_received: bool = True) -> pl.DataFrame:
    """Every talent of ``queryset`` (default: the whole registry) as the batch input frame, plus
    ``person_id`` and ``district`` columns, in id order. On PostgreSQL the database computes the columns and
    one COPY reads them (a million talents in seconds); elsewhere the ORM reads them chunk by chunk.
    ``with_received=False``: the ``received`` column left empty, for a caller that supplies its own."""
    from django.db import connection

    recognised = categories_on(on=as_of)
    if connection.vendor == "postgresql":
        return _postgres_frame(queryset, as_of, recognised, with_received=with_received)
    return _orm_frame(queryset, as_of, recognised, with_received=with_received)


def _orm_frame(queryset, as_of: dt.date, recognised: dict[int, str], *, with_received: bool = True
               ) -> pl.DataFrame:
    rows_of = (queryset if queryset is not None else Talent.objects.all()).order_by("pk").values_list(*COLUMNS)
    frames, rows, awarded = [], [], _awarded()
    for row in rows_of.iterator(chunk_size=10_000):
        rows.append(row)
        if len(rows) == CHUNK:
            frames.append(_chunk_frame(rows, as_of, recognised, None if with_received else {}, awarded))
            rows = []
    if rows:
        frames.append(_chunk_frame(rows, as_of, recognised, None if with_received else {}, awarded))
    if not frames:
        return _derive(_raw_from_rows([]), as_of, _recognised_frame({}), _received_frame({}))
    return pl.concat(frames)
