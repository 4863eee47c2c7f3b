"""A synthetic Shenyang talent pool that reproduces 004's published table, deterministic for a seed.

Columns are drawn with numpy in one go; rows are written in chunks with bulk inserts, so that 1,000,000
talents take minutes. Names come from Faker's zh_CN provider lists.
"""

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.db import transaction
from faker import Faker
from faker.providers.person.zh_CN import Provider as PersonProvider
from stdnum.cn import ric, uscc

from rencai.organizations.enums import EMPLOYER_TYPE_OF_KIND, Industry, OrganizationKind
from rencai.organizations.models import Organization
from rencai.talents.enums import (
    Degree,
    EmploymentStatus,
    Gender,
    Honor,
    HousingStatus,
    ProfessionalTitle,
    SkillLevel,
    SocialInsurance,
    Source,
)
from rencai.talents.models import Education, Talent

from . import population as P

CHUNK = 20_000
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


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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

    skilled = (labels == "") & (rng.random(size) < 0.25)
    age_range = {"A": (55, 76), "B": (42, 66), "C": (37, 61), "D": (32, 55)}
    low = np.array([age_range.get(c, (30, 56) if s else (22, 40))[0] for c, s in zip(labels, skilled, strict=True)])
    high = np.array([age_range.get(c, (30, 56) if s else (22, 40))[1] for c, s in zip(labels, skilled, strict=True)])
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

    used_ids: set[str] = set()
    total = 0
    for start in range(0, size, CHUNK):
        stop = min(size, start + CHUNK)
        talents, educations = [], []
        for i in range(start, stop):
            talent, education = _person(i, labels, skilled, birth_ordinals, male, names, districts[district_idx[i]],
                                        returnee[i], draw[i], phones[i], phone_prefix[i], recognised_days[i],
                                        by_district, orgs, used_ids, rng)
            talents.append(talent)
            educations.append(education)
        with transaction.atomic():
            Talent.objects.bulk_create(talents, batch_size=2000)
            if talents[0].pk is None:
                ids = dict(Talent.objects.filter(id_number_hash__in=[t.id_number_hash for t in talents])
                           .values_list("id_number_hash", "pk"))
                for t in talents:
                    t.pk = ids[t.id_number_hash]
            for t, e in zip(talents, educations, strict=True):
                e.talent_id = t.pk
            Education.objects.bulk_create(educations, batch_size=2000)
        total += len(talents)
        progress(f"已生成人才 {total}/{size}（{time.perf_counter() - started:.0f}秒）")

    counts = {c: int((labels == c).sum()) for c in "ABCD"}
    return DemoResult(talents=total, organizations=len(orgs), seconds=time.perf_counter() - started,
                      categories=counts)


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


def _pick(options, weights, u: float):
    acc = 0.0
    for option, weight in zip(options, weights, strict=True):
        acc += weight
        if u < acc:
            return option
    return options[-1]


def _resident_id(district: str, birth: dt.date, male: bool, rng, used: set[str]) -> str:
    while True:
        seq = int(rng.integers(0, 500)) * 2 + (1 if male else 0)
        body = f"{district}{birth:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if number not in used:
            used.add(number)
            return number


def _person(i, labels, skilled, birth_ordinals, male, names, district, returnee, u, phone, phone_prefix,
            recognised_day, by_district, orgs, used_ids, rng):
    category = str(labels[i])
    is_skilled = bool(skilled[i])
    birth = dt.date.fromordinal(int(birth_ordinals[i]))
    if is_skilled:
        degree = _pick([Degree.JUNIOR_COLLEGE, Degree.BACHELOR], [0.8, 0.2], u[0])
    else:
        degree = _pick(*DEGREE_BY_CATEGORY[category], u[0])
    graduation = _add_years(birth, GRADUATION_AGE[degree]).replace(month=7, day=1)
    if graduation > TODAY:
        graduation = dt.date(TODAY.year - 1, 7, 1)
    if category:  # recognised people graduated at least a year before their recognition
        graduation = max(_add_years(birth, 20), min(graduation, dt.date.fromordinal(int(recognised_day) - 365)))
    if returnee and not is_skilled:
        school, country = P.OVERSEAS_SCHOOLS[int(u[1] * len(P.OVERSEAS_SCHOOLS))]
    elif is_skilled:
        school, country = P.SKILLED_SCHOOLS[int(u[1] * len(P.SKILLED_SCHOOLS))], "中国"
    else:
        school, country = P.DOMESTIC_SCHOOLS[int(u[1] * len(P.DOMESTIC_SCHOOLS))], "中国"
    local_orgs = by_district.get(district) or orgs
    org = local_orgs[int(u[2] * len(local_orgs))]
    start = graduation + dt.timedelta(days=60 + int(u[3] * 365 * 3))
    start = min(start, TODAY)
    housing = _pick([HousingStatus.OWNS, HousingStatus.RENTING, HousingStatus.APARTMENT, HousingStatus.OTHER],
                    [0.55, 0.33, 0.07, 0.05], u[4])
    rent = area = None
    if housing == HousingStatus.RENTING:
        area = Decimal(30 + int(u[5] * 90))
        rent = Decimal(int(area * Decimal(25 + int(u[6] * 30))) // 100 * 100)
    honors = []
    if category in ("B", "C") and u[7] < 0.2:
        honors.append(Honor.TOP_TALENT_AWARD)
    skill = ""
    if is_skilled:
        skill = _pick(SKILLS, SKILL_P, u[5] if housing != HousingStatus.RENTING else u[7])
        if skill in (SkillLevel.SENIOR_TECHNICIAN, SkillLevel.SPECIAL_TECHNICIAN) and u[6] < 0.05:
            honors.append(Honor.NATIONAL_TECHNICAL_EXPERT)
        if skill == SkillLevel.SPECIAL_TECHNICIAN and u[6] < 0.02:
            honors.append(Honor.LIAONING_CRAFTSMAN)
    talent = Talent(
        name=str(names[i]),
        gender=Gender.MALE if male[i] else Gender.FEMALE,
        birth_date=birth,
        phone_cipher="",
        highest_degree=degree,
        graduation_date=graduation,
        returnee=bool(returnee and not is_skilled),
        district_id=district,
        organization=org,
        employer_type=EMPLOYER_TYPE_OF_KIND[OrganizationKind(org.kind)],
        employment_start=start,
        employment_status=EmploymentStatus.CONFIRMED,  # the demo's employers know their staff
        social_insurance=SocialInsurance.PAYING if u[3] < 0.95 else SocialInsurance.NOT_PAYING,
        professional_title=TITLE_BY_CATEGORY.get(category, ProfessionalTitle.JUNIOR if u[6] < 0.3 else ""),
        skill_level=skill,
        honors=honors,
        talent_category=category,
        category_recognized_on=dt.date.fromordinal(int(recognised_day)) if category else None,
        housing_status=housing,
        monthly_rent=rent,
        rent_area_sqm=area,
        source=Source.DEMO,
    )
    talent.set_id_number(_resident_id(district, birth, bool(male[i]), rng, used_ids))
    talent.set_phone(f"{phone_prefix}{int(phone):08d}")
    major_pool = P.MAJORS.get(org.industry or Industry.SERVICES, P.MAJORS["services"])
    education = Education(degree=degree, school=school, country=country, overseas=country != "中国",
                          graduation_date=graduation, major=major_pool[int(u[6] * len(major_pool))])
    return talent, education
