"""疑点: where a feed contradicts what the registry says (a talent's or an officer's declaration), and what the
registry becomes when staff accept the feed.

Each rule reads only the facts the load has just written (new or changed: a reload of the same rows writes none,
so raises none) joined to the talents they are about, and yields one discrepancy per (talent, field) with the
fact that is its evidence:

- 住房情况: declared renting (or 人才公寓), 不动产登记 shows a home (住宅) registered in the talent's name;
- 社保状态: declared paying social insurance in the city, the feed shows the month in arrears or stopped, or paid
  outside the city (参保地 not in the city); or the month the load completes has no row of the talent at all
  (``missing_months_raise``: a discrepancy whose evidence is the load and the month, not a fact);
- 最高学历: the highest degree verified by 学历学位认证 is not the declared one;
- 留学回国人员: declared not a returnee, a 留学回国人员证明 has been issued;
- 技能等级: the highest level verified by 职业技能等级 is not the declared one;
- 工作单位: the employer's 统一社会信用代码 is 注销 or 吊销 in 市场主体登记 (for each talent declaring it).

A discrepancy is raised once: not again for the same fact (a unique constraint), nor for another fact saying the
same thing about the same field (the same ``verified`` words), whatever became of the first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from rencai.talents.enums import DEGREE_RANK, Degree, HousingStatus, SkillLevel, SocialInsurance

from .enums import FactKind
from .presenting import period_text, value_text

SKILL_RANK = {"junior_worker": 1, "intermediate_worker": 2, SkillLevel.SENIOR_WORKER: 3, SkillLevel.TECHNICIAN: 4,
              SkillLevel.SENIOR_TECHNICIAN: 5, SkillLevel.SPECIAL_TECHNICIAN: 6}
SKILL_WORDS = {"junior_worker": "初级工（五级）", "intermediate_worker": "中级工（四级）"}
DECLARED_RENTING = (HousingStatus.RENTING, HousingStatus.APARTMENT)
FIELDS = ("housing_status", "social_insurance", "highest_degree", "returnee", "skill_level", "organization")


@dataclass
class Found:
    talent_id: int
    fact_id: int
    field: str
    declared: str
    verified: str


def city_prefix() -> str:
    """The first four digits of the city's district codes (a 参保地 outside them is outside the city)."""
    return str(getattr(settings, "RENCAI_CITY_CODE", "210100"))[:4]


def _where(feed, fact) -> str:
    return f"{feed.name}：{period_text(fact.kind, fact.period)}"


def _property(feed, facts):
    for f in (facts.filter(talent__housing_status__in=DECLARED_RENTING, value__use="residential")
              .select_related("talent").only("id", "kind", "period", "value", "talent_id",
                                              "talent__housing_status")):
        district = (f.value or {}).get("district")
        place = f"（{_region_name(district)}）" if district else ""
        yield Found(f.talent_id, f.pk, "housing_status", HousingStatus(f.talent.housing_status).label,
                    f"{feed.name}：{f.period:%Y年%-m月%-d日}登记住宅一套{place}")


def _social_insurance(feed, facts):
    prefix = city_prefix()
    for f in (facts.filter(talent__social_insurance=SocialInsurance.PAYING)
              .only("id", "kind", "period", "value", "talent_id")):
        value = f.value or {}
        status = value.get("status") or "paid"
        district = str(value.get("district") or "")
        if status in ("arrears", "stopped"):
            words = "欠费" if status == "arrears" else "暂停缴费"
            yield Found(f.talent_id, f.pk, "social_insurance", SocialInsurance.PAYING.label,
                        f"{_where(feed, f)}{words}")
        elif district and not district.startswith(prefix):
            yield Found(f.talent_id, f.pk, "social_insurance", SocialInsurance.PAYING.label,
                        f"{_where(feed, f)}在外地参保（{_region_name(district)}）")


def _top_per_talent(feed, facts, key: str, rank: dict):
    """For each talent touched by the load, their fact of the feed's kind with the highest rank of ``key``
    (over all their facts of that kind, not only this load's)."""
    from .models import Fact

    touched = set(facts.values_list("talent_id", flat=True))
    best: dict[int, object] = {}
    ids = sorted(touched)
    for start in range(0, len(ids), 500):
        for f in (Fact.objects.filter(kind=feed.kind, talent_id__in=ids[start:start + 500])
                  .only("id", "kind", "period", "value", "talent_id", "feed_id").order_by("period", "id")):
            level = rank.get((f.value or {}).get(key), 0)
            held = best.get(f.talent_id)
            if level and (held is None or level >= rank.get(held.value.get(key), 0)):
                best[f.talent_id] = f
    return best


def _declared(talent_ids, *fields):
    from rencai.talents.models import Talent

    return {t["pk"]: t for t in Talent.objects.filter(pk__in=talent_ids).values("pk", *fields)}


def _degree(feed, facts):
    best = _top_per_talent(feed, facts, "degree", DEGREE_RANK)
    declared = _declared(list(best), "highest_degree")
    for talent_id, f in best.items():
        said = declared.get(talent_id, {}).get("highest_degree") or ""
        verified = f.value.get("degree")
        if said != verified:
            yield Found(talent_id, f.pk, "highest_degree", Degree(said).label if said in Degree.values else "未填写",
                        f"{feed.name}：{Degree(verified).label}（{f.value.get('school') or '院校未注明'}，"
                        f"{period_text(f.kind, f.period)}毕业）")


def _returnee(feed, facts):
    for f in facts.filter(talent__returnee=False).only("id", "kind", "period", "value", "talent_id"):
        country = (f.value or {}).get("country") or ""
        yield Found(f.talent_id, f.pk, "returnee", "否",
                    f"{feed.name}：{period_text(f.kind, f.period)}出具留学回国人员证明"
                    + (f"（{country}）" if country else ""))


def skill_words(code: str) -> str:
    return SKILL_WORDS.get(code) or (SkillLevel(code).label if code in SkillLevel.values else "未填写")


def _skill(feed, facts):
    best = _top_per_talent(feed, facts, "level", SKILL_RANK)
    declared = _declared(list(best), "skill_level")
    for talent_id, f in best.items():
        said = declared.get(talent_id, {}).get("skill_level") or ""
        verified = f.value.get("level")
        if said == verified or (not said and verified not in SkillLevel.values):
            continue  # the registry cannot hold 初级工/中级工: nothing declared agrees with it
        yield Found(talent_id, f.pk, "skill_level", skill_words(said),
                    f"{feed.name}：{skill_words(verified)}（{period_text(f.kind, f.period)}发证）")


def _business(feed, facts):
    from rencai.talents.enums import EmploymentStatus
    from rencai.talents.models import Talent

    closed = {f.organization_id: f for f in (facts.filter(organization__isnull=False)
                                            .exclude(value__status="active")
                                            .only("id", "kind", "period", "value", "organization_id"))}
    if not closed:
        return
    for talent_id, org_id, org_name in (Talent.objects.filter(organization_id__in=list(closed))
                                        .exclude(employment_status=EmploymentStatus.REJECTED)
                                        .values_list("pk", "organization_id", "organization__name")):
        f = closed[org_id]
        yield Found(talent_id, f.pk, "organization", org_name,
                    f"{_where(feed, f)}{value_text(f.kind, {'status': f.value.get('status')})}")


RULES = {FactKind.PROPERTY: _property, FactKind.SOCIAL_INSURANCE: _social_insurance, FactKind.DEGREE: _degree,
         FactKind.RETURNEE: _returnee, FactKind.SKILL: _skill, FactKind.BUSINESS: _business}


def _region_name(code) -> str:
    from rencai.regions.models import Region

    region = Region.objects.filter(code=str(code)).first()
    return region.name if region else str(code)


def found_by_load(*, feed, load) -> list[Found]:
    """The contradictions among the facts this load wrote (new or changed ones: ``Fact.load`` is theirs)."""
    from .models import Fact

    rule = RULES.get(feed.kind)
    if rule is None:
        return []
    return list(rule(feed, Fact.objects.filter(feed=feed, load=load)))


def missing_words(feed, period) -> str:
    """The ``verified`` words of a month the 社保 feed delivered without the talent."""
    return f"{feed.name}：{period_text(feed.kind, period)}无本市缴费记录"


def missing_months_raise(*, feed, load, periods) -> int:
    """社保状态, a month missing: for each month this load of a 社保 feed completes — a month among ``periods``
    (the delivery's) that no earlier finished load of the feed delivered; a later file correcting a month completes
    nothing —, the city's talents declaring social insurance paid in the city (在本市缴纳) with no row of that
    month in any 社保 feed raise a discrepancy whose evidence is this load and the month. Once: not again for the
    same talent, feed and month (a unique constraint), nor where the talent already has one with the same words.

    Set-based, one INSERT … SELECT per month: the registry's declared payers anti-joined to the month's facts (the
    facts' (talent, kind, period) index), in the load's transaction. Returns how many were raised."""
    from django.db import connection
    from django.utils import timezone

    from rencai.talents.models import Talent

    from .enums import DiscrepancyStatus, LoadStatus
    from .models import Discrepancy, Fact, Load

    if feed.kind != FactKind.SOCIAL_INSURANCE or not periods:
        return 0
    delivered = list(Load.objects.filter(feed=feed, status=LoadStatus.DONE, period_min__lte=max(periods),
                                         period_max__gte=min(periods)).exclude(pk=load.pk)
                     .values_list("period_min", "period_max"))
    months = [p for p in sorted(set(periods)) if not any(low <= p <= high for low, high in delivered)]
    ops, now = connection.ops, connection.ops.adapt_datetimefield_value(timezone.now())
    talents, facts, found = Talent._meta.db_table, Fact._meta.db_table, Discrepancy._meta.db_table
    raised = 0
    with connection.cursor() as cursor:
        for period in months:
            day, words = ops.adapt_datefield_value(period), missing_words(feed, period)
            cursor.execute(f"""
                INSERT INTO {found} (talent_id, fact_id, feed_id, load_id, period, field, declared, verified,
                                     status, resolution, note, raised_at)
                SELECT t.id, NULL, %s, %s, %s, 'social_insurance', %s, %s, %s, '', '', %s FROM {talents} t
                WHERE t.social_insurance = %s AND t.district_id LIKE %s
                  AND NOT EXISTS (SELECT 1 FROM {facts} f
                                  WHERE f.talent_id = t.id AND f.kind = %s AND f.period = %s)
                  AND NOT EXISTS (SELECT 1 FROM {found} d
                                  WHERE d.talent_id = t.id AND d.field = 'social_insurance' AND d.verified = %s)
                ON CONFLICT DO NOTHING""",  # noqa: S608 — table names from the models; values are parameters
                [feed.pk, load.pk, day, str(SocialInsurance.PAYING.label), words, str(DiscrepancyStatus.OPEN), now,
                 str(SocialInsurance.PAYING), f"{city_prefix()}%", str(FactKind.SOCIAL_INSURANCE), day, words])
            raised += max(cursor.rowcount, 0)
    return raised


# --- what accepting the feed writes to the registry -------------------------------------------------------------

def correction(discrepancy) -> dict:
    """The registry's new values when staff accept the feed: {attribute: value} (attributes of Talent)."""
    fact, field = discrepancy.fact, discrepancy.field
    value = (fact.value if fact is not None else None) or {}
    if field == "housing_status":
        return {"housing_status": HousingStatus.OWNS, "monthly_rent": None, "rent_area_sqm": None}
    if field == "social_insurance":
        return {"social_insurance": SocialInsurance.NOT_PAYING}
    if field == "highest_degree":
        return {"highest_degree": value.get("degree", ""), "graduation_date": fact.period}
    if field == "returnee":
        return {"returnee": True}
    if field == "skill_level":
        level = value.get("level", "")
        return {"skill_level": level if level in SkillLevel.values else ""}
    if field == "organization":
        return {"organization": None, "employer_type": "", "employment_start": None}
    return {}
