"""Where each registry field of a talent comes from: declared (by whom, when) or verified (by which feed, for
which period, as of when).

A field is verified when the talent's latest fact of the kind that vouches for it says the same as the registry
(社保: the latest month paid in the city; 学历: a certificate of the declared degree; 留学回国: a certificate; 技能
等级: a certificate of the declared level; 住房: a home registered when the registry says 自有住房; 工作单位: the
employer 存续 in 市场主体登记; 所在区县: 户籍/居住证 in that district). Otherwise it is declared — by the talent, the
employer or staff, as the change log or the record's source says — and, where a feed contradicts it, the open
discrepancy is named.

The registry pages show these beside each field (``talent_provenance``); the policy engine's profile reads the
same verified facts (``policies/profile.py``)."""

from __future__ import annotations

from dataclasses import dataclass

from rencai.talents.enums import HousingStatus, SocialInsurance

from .discrepancies import city_prefix
from .enums import DiscrepancyStatus, FactKind
from .presenting import period_text

FIELDS = ("district", "organization", "social_insurance", "highest_degree", "returnee", "skill_level",
          "housing_status")
SHORT = (("国家税务总局沈阳市税务局", "税务局"), ("辽宁省留学服务中心沈阳分中心", "留学服务中心"), ("沈阳市", ""),
         ("人力资源和社会保障局", "人社局"), ("市场监督管理局", "市场监管局"))


def short_department(name: str) -> str:
    """沈阳市人力资源和社会保障局 → 人社局 (the words an explanation uses for a feed's department)."""
    for long, short in SHORT:
        name = name.replace(long, short)
    return name or "数据提供部门"


@dataclass
class Source:
    verified: bool
    text: str  # 已核验：社会保险缴费数据（人社局），2026年10月，2026-11-05核验 | 本人填报（2026-03-01）
    feed: str = ""
    department: str = ""
    period: str = ""  # the fact's period in words
    as_of: object = None
    discrepancy_id: int | None = None

    @property
    def short(self) -> str:
        """社保缴纳：人社局数据，截至2026年10月 — the words of an explanation (without the field's label)."""
        if not self.verified:
            return "本人或单位申报"
        return f"{self.department}数据，截至{self.period}"


def _verified(fact) -> Source:
    department = short_department(fact.feed.department.name if fact.feed.department_id else "")
    period = period_text(fact.kind, fact.period)
    return Source(True, f"已核验：{fact.feed.name}（{department}），{period}，{fact.as_of:%Y-%m-%d}核验",
                  feed=fact.feed.name, department=department, period=period, as_of=fact.as_of)


def agrees(field: str, talent, fact) -> bool:
    """Whether a fact vouches for the registry's value of the field."""
    value = fact.value or {}
    if field == "social_insurance":
        return (talent.social_insurance == SocialInsurance.PAYING and (value.get("status") or "paid") == "paid"
                and str(value.get("district") or city_prefix()).startswith(city_prefix()))
    if field == "highest_degree":
        return bool(talent.highest_degree) and value.get("degree") == talent.highest_degree
    if field == "returnee":
        return bool(talent.returnee)
    if field == "skill_level":
        return bool(talent.skill_level) and value.get("level") == talent.skill_level
    if field == "housing_status":
        return talent.housing_status == HousingStatus.OWNS and (value.get("use") or "residential") == "residential"
    if field == "organization":
        return bool(talent.organization_id) and value.get("status") == "active"
    if field == "district":
        return str(value.get("district") or "") == str(talent.district_id)
    return False


KIND_OF = {"social_insurance": FactKind.SOCIAL_INSURANCE, "highest_degree": FactKind.DEGREE,
           "returnee": FactKind.RETURNEE, "skill_level": FactKind.SKILL, "housing_status": FactKind.PROPERTY,
           "district": FactKind.RESIDENCE, "organization": FactKind.BUSINESS}
LATEST_ONLY = {"social_insurance", "organization", "district"}  # a state by month: only the latest counts


def _declared(talent) -> dict[str, str]:
    """Who declared each field last: the change log's latest entry naming it, else the record's source."""
    from rencai.accounts.enums import Role

    source = {"self": "本人填报", "staff": "工作人员登记", "import": "Excel批量导入", "demo": "演示数据"}.get(
        talent.source, talent.get_source_display())
    base = f"{source}（{talent.created_at:%Y-%m-%d}）" if talent.created_at else source
    by = dict.fromkeys(FIELDS, base)
    found: set[str] = set()
    for change in talent.changes.select_related("actor", "actor__department").order_by("-pk")[:200]:
        actor = change.actor
        if actor.pk == talent.user_id:
            who = "本人修改"
        elif actor.role == Role.EMPLOYER:
            who = "单位填报"
        elif actor.role == Role.STAFF:
            who = f"工作人员修改（{actor.department.name}）" if actor.department_id else "工作人员修改"
        else:
            who = "系统管理员修改"
        for key in (change.changes or {}):
            field = "highest_degree" if key == "education" else key
            if field in by and field not in found:
                found.add(field)
                by[field] = f"{who}（{change.at:%Y-%m-%d}）"
    return by


def talent_provenance(talent) -> dict[str, Source]:
    """field → Source, for the registry pages (a handful of indexed queries per talent)."""
    from .models import Discrepancy, Fact

    facts: dict[str, list] = {}
    for fact in (Fact.objects.filter(talent_id=talent.pk).select_related("feed", "feed__department")
                 .order_by("-period", "-id")[:500]):
        facts.setdefault(fact.kind, []).append(fact)
    if talent.organization_id:
        business = (Fact.objects.filter(organization_id=talent.organization_id, kind=FactKind.BUSINESS)
                    .select_related("feed", "feed__department").order_by("-period", "-id").first())
        facts[FactKind.BUSINESS] = [business] if business else []
    open_ = dict(Discrepancy.objects.filter(talent_id=talent.pk, status=DiscrepancyStatus.OPEN)
                 .order_by("pk").values_list("field", "pk"))
    declared = _declared(talent)
    out = {}
    for field in FIELDS:
        candidates = facts.get(KIND_OF[field], [])
        if field in LATEST_ONLY:
            candidates = candidates[:1]
        match = next((f for f in candidates if agrees(field, talent, f)), None)
        if match is not None and field not in open_:
            out[field] = _verified(match)
        else:
            out[field] = Source(False, f"申报：{declared[field]}", discrepancy_id=open_.get(field))
    return out
