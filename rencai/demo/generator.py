"""A synthetic Shenyang talent pool that reproduces 004's published table, deterministic for a seed.

The categories are drawn for the whole pool (exact counts); everything else chunk by chunk, each chunk from its
own generator (seed, chunk number), column by column with numpy, then written (COPY on PostgreSQL, bulk inserts
elsewhere) while the next chunk is made: memory stays one chunk's whatever the size, and a seed gives the same
pool on either path. Names come from Faker's zh_CN provider lists.
"""

import datetime as dt
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from faker import Faker
from faker.providers.person.zh_CN import Provider as PersonProvider
from stdnum.cn import uscc

from rencai.core import crypto
from rencai.core.bulk import copy_frame, indexes_deferred
from rencai.core.masking import mask_id_number, mask_phone
from rencai.organizations.enums import EMPLOYER_TYPE_OF_KIND, Industry, OrganizationKind
from rencai.organizations.models import Organization
from rencai.talents import triggers as talent_triggers
from rencai.talents.enums import (
    Degree,
    EmploymentStatus,
    Gender,
    Honor,
    HousingStatus,
    IdType,
    ProfessionalTitle,
    SkillLevel,
    SocialInsurance,
    Source,
)
from rencai.talents.models import Education, Talent, TalentCount

from . import population as P

CHUNK = 50_000  # people drawn, made and written at a time (PostgreSQL: two COPY statements, one transaction)
DEFER_INDEXES_FROM = 100_000  # PostgreSQL: load into empty tables without secondary indexes, build them after
COUNT_ON_INSERT = "talent_count_insert"  # talents.triggers: the kept counts' insert trigger
TODAY = dt.date(2026, 11, 1)  # fixed, so that a seed gives the same pool on any day


@dataclass
class DemoResult:
    talents: int
    organizations: int
    seconds: float
    categories: dict[str, int]


def scaled_counts(size: int) -> tuple[dict[str, int], dict[str, int]]:
    """Category counts for a pool of ``size``: exactly the published table at the default size,
    proportional (largest remainder) otherwise."""
    if size == P.DEFAULT_SIZE:
        return dict(P.RECOGNISED), dict(P.RECOGNISED_2022)
    factor = size / P.DEFAULT_SIZE

    def scale(counts):
        raw = {k: v * factor for k, v in counts.items()}
        result = {k: int(v) for k, v in raw.items()}
        target = round(sum(raw.values()))
        for k in sorted(raw, key=lambda k: raw[k] - result[k], reverse=True)[: target - sum(result.values())]:
            result[k] += 1
        return result

    recognised = scale(P.RECOGNISED)
    in_2022 = {k: min(v, recognised[k]) for k, v in scale(P.RECOGNISED_2022).items()}
    return recognised, in_2022


def _org_code(rng: np.random.Generator, district: str, used: set[str]) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    while True:
        body = "91" + district + "".join(alphabet[i] for i in rng.integers(0, len(alphabet), 9))
        code = body + uscc.calc_check_digit(body + "0")
        if code not in used:
            used.add(code)
            return uscc.validate(code)


def _organizations(rng: np.random.Generator, fake: Faker, count: int) -> list[Organization]:
    districts = list(P.DISTRICT_WEIGHTS)
    weights = np.array(list(P.DISTRICT_WEIGHTS.values()), dtype=float)
    used: set[str] = set()
    orgs = []
    for kind, rows in ((OrganizationKind.UNIVERSITY, P.UNIVERSITIES), (OrganizationKind.INSTITUTE, P.INSTITUTES),
                       (OrganizationKind.HOSPITAL, P.HOSPITALS)):
        for name, district, industry in rows:
            orgs.append(Organization(name=name, uscc=_org_code(rng, district, used), kind=kind, industry=industry,
                                     district_id=district))
    industries = list(P.INDUSTRY_WORDS)
    names = {o.name for o in orgs}
    while len(orgs) < count:
        district = districts[rng.choice(len(districts), p=weights / weights.sum())]
        industry = industries[rng.integers(len(industries))]
        name = f"沈阳{fake.company_prefix()}{P.INDUSTRY_WORDS[industry]}有限公司"
        if name in names:
            name = f"沈阳{fake.company_prefix()}{fake.company_prefix()}{P.INDUSTRY_WORDS[industry]}有限公司"
            if name in names:
                continue
        names.add(name)
        orgs.append(Organization(name=name, uscc=_org_code(rng, district, used), kind=OrganizationKind.ENTERPRISE,
                                 industry=industry, district_id=district))
    return orgs


def _names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Surname by Faker's frequency weights; a given name from Faker's list (one or two characters),
    a single character doubled up half of the time."""
    surnames = list(PersonProvider.last_names)
    weights = np.array(list(PersonProvider.last_names.values()), dtype=float)
    given = np.array(PersonProvider.first_names)
    single = given[np.char.str_len(given) == 1]
    s = np.array(surnames)[rng.choice(len(surnames), n, p=weights / weights.sum())]
    g = given[rng.integers(0, len(given), n)]
    extra = single[rng.integers(0, len(single), n)]
    g = np.where((np.char.str_len(g) == 1) & (rng.random(n) < 0.5), np.char.add(g, extra), g)
    return np.char.add(s, g)


def demo_load(*, seed: int = 2023, size: int = P.DEFAULT_SIZE,
              progress: Callable[[str], None] = lambda _: None) -> DemoResult:
    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    recognised, in_2022 = scaled_counts(size)

    org_count = max(30, size // 50)
    with transaction.atomic():
        orgs = Organization.objects.bulk_create(_organizations(rng, fake, org_count), batch_size=2000)
    if orgs[0].pk is None:
        orgs = list(Organization.objects.filter(uscc__in=[o.uscc for o in orgs]))
    by_district: dict[str, list[Organization]] = {}
    for org in orgs:
        by_district.setdefault(org.district_id, []).append(org)
    progress(f"已生成用人单位 {len(orgs)} 家")

    # One category label per person ("" = not recognised), exact counts, shuffled.
    labels = np.concatenate([np.repeat(np.array(list(recognised), dtype="U1"), list(recognised.values())),
                             np.repeat(np.array([""], dtype="U1"), size - sum(recognised.values()))])
    rng.shuffle(labels)
    recognised_2022 = np.zeros(size, dtype=bool)
    for category, count in in_2022.items():
        idx = np.flatnonzero(labels == category)
        recognised_2022[rng.choice(idx, count, replace=False)] = True

    progress(f"已生成类别（{time.perf_counter() - started:.0f}秒）")
    bulk = _use_copy()
    used_ids = np.empty(0, dtype=np.int64)  # the 身份证 bodies drawn so far: unique across chunks

    def people(begin: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        """One chunk of people, drawn from its own generator (seed, chunk number): memory stays one chunk's
        whatever the size, and the pool is the same for a seed whatever writes it."""
        nonlocal used_ids
        end = min(begin + CHUNK, size)
        columns, used_ids = _people(np.random.default_rng([seed, begin // CHUNK]), labels[begin:end],
                                    recognised_2022[begin:end], by_district, orgs, used_ids)
        return _frames(columns)

    total = 0
    # The next chunk is drawn and its rows made (encrypted, hashed, masked: Python's work) in a second thread
    # while this one writes the current chunk (the database's work, waiting on the socket without the GIL).
    starts = iter(range(0, size, CHUNK))
    deferred = bulk and size >= DEFER_INDEXES_FROM
    # A large load is one transaction: killed half-way, it leaves no rows, and the indexes, constraints and
    # trigger it set aside are back as they were (PostgreSQL's DDL is transactional).
    with (transaction.atomic() if deferred else nullcontext()), _indexes_deferred(deferred), \
            ThreadPoolExecutor(max_workers=1) as maker:
        pending = maker.submit(people, next(starts))
        while pending is not None:
            talents, educations = pending.result()
            following = next(starts, None)
            pending = maker.submit(people, following) if following is not None else None
            if bulk:
                _copy_people(talents, educations)
            else:
                _insert_people(talents, educations)
            total += talents.height
            progress(f"已生成人才 {total}/{size}（{time.perf_counter() - started:.0f}秒）")
    progress(f"已写入并建好索引（{time.perf_counter() - started:.0f}秒）")
    if bulk:
        with connection.cursor() as cursor:
            # VACUUM sets the visibility map, so that counts and scoped lists are index-only scans from the
            # first request (not only after autovacuum has come by); inside a transaction only ANALYZE can run.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
            for model in (Talent, Education):
                cursor.execute(f"{verb} {model._meta.db_table}")

    counts = {c: int((labels == c).sum()) for c in "ABCD"}
    return DemoResult(talents=total, organizations=len(orgs), seconds=time.perf_counter() - started,
                      categories=counts)


def _people(rng: np.random.Generator, labels: np.ndarray, recognised_2022: np.ndarray, by_district, orgs,
            used_ids: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every column of one chunk of people (their categories given), and the 身份证 bodies used so far."""
    size = len(labels)
    skilled = (labels == "") & (rng.random(size) < 0.25)
    age_range = {"A": (55, 76), "B": (42, 66), "C": (37, 61), "D": (32, 55)}
    low, high = np.where(skilled, 30, 22), np.where(skilled, 56, 40)
    for category, (young, old) in age_range.items():
        low[labels == category], high[labels == category] = young, old
    ages_days = ((low + (high - low) * rng.random(size)) * 365.25).astype(int)
    birth_ordinals = TODAY.toordinal() - ages_days
    male = rng.random(size) < 0.6
    names = _names(rng, size)
    districts = np.array(list(P.DISTRICT_WEIGHTS))
    dweights = np.array(list(P.DISTRICT_WEIGHTS.values()), dtype=float)
    district_idx = rng.choice(len(districts), size, p=dweights / dweights.sum())
    u = rng.random(size)
    returnee_p = np.where(np.isin(labels, ["A", "B", "C"]), 0.4, np.where(skilled, 0.0, 0.15))
    returnee = u < returnee_p
    draw = rng.random((size, 8))
    phones = rng.integers(0, 10**8, size)
    phone_prefix = np.array(["135", "138", "139", "150", "158", "186", "189", "177", "199"])[
        rng.integers(0, 9, size)]
    recognised_days = np.where(recognised_2022, dt.date(2022, 1, 4).toordinal() + rng.integers(0, 360, size),
                               dt.date(2016, 6, 1).toordinal() + rng.integers(0, 5 * 365, size))
    return _columns(rng, labels, skilled, birth_ordinals, male, names, districts[district_idx], returnee, draw,
                    phones, phone_prefix, recognised_days, by_district, orgs, used_ids)


DEGREE_BY_CATEGORY = {
    "A": ([Degree.DOCTOR], [1.0]),
    "B": ([Degree.DOCTOR, Degree.MASTER], [0.9, 0.1]),
    "C": ([Degree.DOCTOR, Degree.MASTER, Degree.BACHELOR], [0.65, 0.25, 0.1]),
    "D": ([Degree.DOCTOR, Degree.MASTER, Degree.BACHELOR], [0.3, 0.45, 0.25]),
    "": ([Degree.MASTER, Degree.BACHELOR, Degree.JUNIOR_COLLEGE, Degree.DOCTOR], [0.25, 0.55, 0.15, 0.05]),
}
GRADUATION_AGE = {Degree.JUNIOR_COLLEGE: 21, Degree.BACHELOR: 22, Degree.MASTER: 25, Degree.DOCTOR: 29}
TITLE_BY_CATEGORY = {"A": ProfessionalTitle.SENIOR, "B": ProfessionalTitle.SENIOR,
                     "C": ProfessionalTitle.ASSOCIATE_SENIOR, "D": ProfessionalTitle.INTERMEDIATE}
SKILLS = [SkillLevel.SENIOR_WORKER, SkillLevel.TECHNICIAN, SkillLevel.SENIOR_TECHNICIAN, SkillLevel.SPECIAL_TECHNICIAN]
SKILL_P = [0.5, 0.3, 0.17, 0.03]


_EPOCH = dt.date(1970, 1, 1).toordinal()
_RIC_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])


def _days(ordinals: np.ndarray) -> np.ndarray:
    return (np.asarray(ordinals) - _EPOCH).astype("datetime64[D]")


def _ymd(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    years = days.astype("datetime64[Y]")
    months = days.astype("datetime64[M]")
    return (years.astype(int) + 1970, (months - years.astype("datetime64[M]")).astype(int) + 1,
            (days - months.astype("datetime64[D]")).astype(int) + 1)


def _add_years_days(days: np.ndarray, years: int | np.ndarray) -> np.ndarray:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    y, m, d = _ymd(days)
    month = ((y + years - 1970) * 12 + m - 1).astype("datetime64[M]")
    last = (month + 1).astype("datetime64[D]") - 1
    return np.minimum(month.astype("datetime64[D]") + (d - 1), last)


def _pick_many(options: list, weights: list[float], u: np.ndarray) -> np.ndarray:
    """For each draw u, the first option whose cumulative weight exceeds it (the last if none does)."""
    index = np.searchsorted(np.cumsum(weights), u, side="right")
    return np.array(options, dtype=object)[np.minimum(index, len(options) - 1)]


def _resident_ids(districts: np.ndarray, births: np.ndarray, male: np.ndarray, rng: np.random.Generator,
                  used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Valid 18-character 身份证 numbers (GB 11643 check character), all different from each other and from
    ``used`` (the bodies of earlier chunks): a sequence number drawn for everyone, drawn again for those whose
    number is already taken. Returns the numbers and ``used`` with theirs added (sorted)."""
    n = len(districts)
    y, m, d = _ymd(births)
    prefix = districts.astype(np.int64) * 10**11 + (y * 10000 + m * 100 + d).astype(np.int64) * 1000
    seq = rng.integers(0, 500, n) * 2 + male.astype(int)
    while True:
        _, first = np.unique(prefix + seq, return_index=True)
        taken = np.ones(n, dtype=bool)
        taken[first] = False
        taken |= np.isin(prefix + seq, used, assume_unique=False)
        if not taken.any():
            break
        seq[taken] = rng.integers(0, 500, int(taken.sum())) * 2 + male[taken].astype(int)
    body = prefix + seq
    used = np.union1d(used, body)
    digits = (body[:, None] // 10 ** np.arange(16, -1, -1, dtype=np.int64)) % 10
    check = np.array(list("10X98765432"))[(digits @ _RIC_WEIGHTS) % 11]
    return np.char.add(body.astype("U17"), check), used


def _columns(rng, labels, skilled, birth_ordinals, male, names, district, returnee, u, phones, phone_prefix,
             recognised_days, by_district, orgs, used_ids) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Every column of a chunk of people, drawn column by column with numpy."""
    size = len(labels)
    returnee = returnee & ~skilled
    births = _days(birth_ordinals)
    degree = np.empty(size, dtype=object)
    degree[skilled] = _pick_many([Degree.JUNIOR_COLLEGE, Degree.BACHELOR], [0.8, 0.2], u[skilled, 0])
    for category, (options, weights) in DEGREE_BY_CATEGORY.items():
        rows = (labels == category) & ~skilled
        degree[rows] = _pick_many(options, weights, u[rows, 0])
    grad_age = np.zeros(size, dtype=int)
    for value, age in GRADUATION_AGE.items():
        grad_age[degree == value] = age
    birth_year = _ymd(births)[0]
    graduation = ((birth_year + grad_age - 1970).astype("datetime64[Y]").astype("datetime64[M]") + 6
                  ).astype("datetime64[D]")
    today = np.datetime64(TODAY)
    graduation = np.where(graduation > today, np.datetime64(dt.date(TODAY.year - 1, 7, 1)), graduation)
    recognised = labels != ""
    floor = _add_years_days(births, 20)
    graduation = np.where(recognised, np.maximum(floor, np.minimum(graduation, _days(recognised_days - 365))),
                          graduation)

    overseas = np.array(P.OVERSEAS_SCHOOLS)
    school = np.array(P.DOMESTIC_SCHOOLS)[(u[:, 1] * len(P.DOMESTIC_SCHOOLS)).astype(int)].astype(object)
    country = np.full(size, "中国", dtype=object)
    pick = (u[:, 1] * len(overseas)).astype(int)
    school[returnee] = overseas[pick[returnee], 0]
    country[returnee] = overseas[pick[returnee], 1]
    school[skilled] = np.array(P.SKILLED_SCHOOLS)[(u[skilled, 1] * len(P.SKILLED_SCHOOLS)).astype(int)]

    org_id = np.empty(size, dtype=np.int64)
    org_industry = np.empty(size, dtype=object)
    employer_type = np.empty(size, dtype=object)
    for code in np.unique(district):
        rows = district == code
        local = by_district.get(str(code)) or orgs
        chosen = (u[rows, 2] * len(local)).astype(int)
        org_id[rows] = np.array([o.pk for o in local])[chosen]
        org_industry[rows] = np.array([o.industry or Industry.SERVICES for o in local], dtype=object)[chosen]
        employer_type[rows] = np.array([str(EMPLOYER_TYPE_OF_KIND[OrganizationKind(o.kind)]) for o in local],
                                       dtype=object)[chosen]
    employment_start = np.minimum(graduation + (60 + (u[:, 3] * 365 * 3).astype(int)), today)

    housing = _pick_many([HousingStatus.OWNS, HousingStatus.RENTING, HousingStatus.APARTMENT, HousingStatus.OTHER],
                         [0.55, 0.33, 0.07, 0.05], u[:, 4])
    renting = housing == HousingStatus.RENTING
    area = np.where(renting, 30 + (u[:, 5] * 90).astype(int), -1)
    rent = np.where(renting, area * (25 + (u[:, 6] * 30).astype(int)) // 100 * 100, -1)

    skill = np.full(size, "", dtype=object)
    skill[skilled] = _pick_many(SKILLS, SKILL_P, np.where(renting, u[:, 7], u[:, 5])[skilled])
    top = np.isin(labels, ["B", "C"]) & (u[:, 7] < 0.2)
    expert = np.isin(skill, [SkillLevel.SENIOR_TECHNICIAN, SkillLevel.SPECIAL_TECHNICIAN]) & (u[:, 6] < 0.05)
    craftsman = (skill == SkillLevel.SPECIAL_TECHNICIAN) & (u[:, 6] < 0.02)
    honors = np.full(size, "[]", dtype=object)
    flags = top * 4 + expert * 2 + craftsman
    for code in np.unique(flags[flags > 0]):
        chosen = [str(h) for h, bit in ((Honor.TOP_TALENT_AWARD, 4), (Honor.NATIONAL_TECHNICAL_EXPERT, 2),
                                        (Honor.LIAONING_CRAFTSMAN, 1)) if code & bit]
        honors[flags == code] = json.dumps(chosen)

    title = np.where(u[:, 6] < 0.3, ProfessionalTitle.JUNIOR, "").astype(object)
    for category, value in TITLE_BY_CATEGORY.items():
        title[labels == category] = value
    majors = np.empty(size, dtype=object)
    for industry in np.unique(org_industry):
        rows = org_industry == industry
        pool = np.array(P.MAJORS.get(industry, P.MAJORS["services"]))
        majors[rows] = pool[(u[rows, 6] * len(pool)).astype(int)]

    id_numbers, used_ids = _resident_ids(district, births, male, rng, used_ids)
    return {
        "name": names.astype(object), "gender": np.where(male, Gender.MALE, Gender.FEMALE).astype(object),
        "birth_date": births, "id_number": id_numbers,
        "phone": np.char.add(phone_prefix, np.char.zfill(phones.astype("U8"), 8)),
        "highest_degree": degree, "graduation_date": graduation, "returnee": returnee,
        "district_id": district.astype(object), "organization_id": org_id, "employer_type": employer_type,
        "employment_start": employment_start,
        "social_insurance": np.where(u[:, 3] < 0.95, SocialInsurance.PAYING, SocialInsurance.NOT_PAYING
                                     ).astype(object),
        "professional_title": title, "skill_level": skill, "honors": honors,
        "talent_category": labels.astype(object), "recognised_on": _days(recognised_days),
        "housing_status": housing, "monthly_rent": rent, "rent_area_sqm": area,
        "school": school, "country": country, "major": majors,
    }, used_ids


def _frames(part: dict[str, np.ndarray]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A chunk of the columns as the talents' and the educations' rows (encrypted, hashed and masked here)."""
    ids, phones = part["id_number"].tolist(), part["phone"].tolist()
    n = len(ids)
    recognised = part["talent_category"] != ""
    renting = part["monthly_rent"] >= 0
    talents = pl.DataFrame({
        "name": part["name"].astype(str), "id_type": np.full(n, IdType.RESIDENT_ID.value),
        "id_number_cipher": crypto.encrypt_many(ids),
        "id_number_hash": crypto.lookup_hashes(ids),
        "id_number_masked": [mask_id_number(v) for v in ids],
        "gender": part["gender"].astype(str), "birth_date": part["birth_date"], "nationality": np.full(n, "中国"),
        "phone_cipher": crypto.encrypt_many(phones), "phone_hash": crypto.lookup_hashes(phones),
        "phone_masked": [mask_phone(v) for v in phones], "email": np.full(n, ""),
        "highest_degree": part["highest_degree"].astype(str), "graduation_date": part["graduation_date"],
        "returnee": part["returnee"], "district_id": part["district_id"].astype(str),
        "organization_id": part["organization_id"], "employer_type": part["employer_type"].astype(str),
        "employment_start": part["employment_start"],
        "social_insurance": part["social_insurance"].astype(str),
        "employment_status": np.full(n, EmploymentStatus.CONFIRMED.value),  # the demo's employers know their staff
        "professional_title": part["professional_title"].astype(str), "skill_level": part["skill_level"].astype(str),
        "honors": part["honors"].astype(str), "talent_category": part["talent_category"].astype(str),
        "category_recognized_on": pl.Series(part["recognised_on"]).set(pl.Series(~recognised), None),
        "housing_status": part["housing_status"].astype(str),
        "monthly_rent": pl.Series(part["monthly_rent"]).set(pl.Series(~renting), None),
        "rent_area_sqm": pl.Series(part["rent_area_sqm"]).set(pl.Series(~renting), None),
        "source": np.full(n, Source.DEMO.value),
    })
    educations = pl.DataFrame({
        "degree": part["highest_degree"].astype(str), "school": part["school"].astype(str),
        "country": part["country"].astype(str), "overseas": part["country"] != "中国",
        "graduation_date": part["graduation_date"], "major": part["major"].astype(str),
    })
    return talents, educations


def _use_copy() -> bool:
    return connection.vendor == "postgresql"


def _insert_people(talents: pl.DataFrame, educations: pl.DataFrame) -> None:
    """The portable path (SQLite): model objects through bulk_create."""
    objects = []
    for row in talents.iter_rows(named=True):
        row["honors"] = json.loads(row["honors"])
        for key in ("monthly_rent", "rent_area_sqm"):
            row[key] = None if row[key] is None else Decimal(row[key])
        objects.append(Talent(**row))
    with transaction.atomic():
        Talent.objects.bulk_create(objects, batch_size=2000)
        if objects[0].pk is None:
            ids = dict(Talent.objects.filter(id_number_hash__in=[t.id_number_hash for t in objects])
                       .values_list("id_number_hash", "pk"))
            for t in objects:
                t.pk = ids[t.id_number_hash]
        Education.objects.bulk_create([Education(talent_id=t.pk, **row) for t, row in
                                       zip(objects, educations.iter_rows(named=True), strict=True)], batch_size=2000)


def _copy_people(talents: pl.DataFrame, educations: pl.DataFrame) -> None:
    """PostgreSQL: ids reserved from the sequence, then one COPY for the talents and one for their educations,
    in one transaction."""
    now = timezone.now()
    table = Talent._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, talents.height])
        ids = pl.Series("id", [row[0] for row in cursor.fetchall()], dtype=pl.Int64)
        copy_frame(cursor, table, talents.with_columns(id=ids, created_at=pl.lit(now), updated_at=pl.lit(now)))
        copy_frame(cursor, Education._meta.db_table, educations.with_columns(talent_id=ids))


@contextmanager
def _indexes_deferred(enabled: bool):
    """PostgreSQL, a large load into empty tables: the talents' and their educations' secondary indexes, unique
    and foreign-key constraints are made once after the COPY (core.bulk.indexes_deferred), and the kept talent
    counts (talents.triggers) are counted once from the loaded table instead of by their trigger at every COPY."""
    if not enabled or Talent.objects.exists():
        yield
        return
    table = Talent._meta.db_table
    with indexes_deferred([table, Education._meta.db_table]):
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER {COUNT_ON_INSERT}")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER {COUNT_ON_INSERT}")
                TalentCount.objects.all().delete()  # the talents were none: nothing was counted
                cursor.execute(talent_triggers.BACKFILL["postgresql"])
