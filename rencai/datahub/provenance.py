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
    words: str = ""  # the short words where they are not "<department>数据，截至<period>"

    @property
    def short(self) -> str:
        """社保缴纳：人社局数据，截至2026年10月 — the words of an explanation (without the field's label)."""
        if self.words:
            return self.words
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


# --- the engine's profile: which facts decide a policy, and where each comes from -------------------------------

@dataclass(frozen=True)
class FactGroup:
    """Profile inputs that one source vouches for together (学历 = degree + graduation date, …)."""

    key: str
    label: str  # the words before the source in an explanation: 社保缴纳：人社局数据，截至2026年10月
    inputs: tuple[str, ...]


PROFILE_GROUPS = (
    FactGroup("degree", "学历", ("degree", "graduation_date")),
    FactGroup("returnee", "留学回国", ("returnee",)),
    FactGroup("skill", "技能等级", ("skill_level",)),
    FactGroup("employment", "社保缴纳", ("employment.employer_type", "employment.in_city", "employment.start_date")),
    FactGroup("city", "所在城市", ("city",)),
    FactGroup("birth", "出生日期", ("birth_date",)),
    FactGroup("housing", "住房情况", ("housing.owns_home_in_city", "housing.renting", "housing.monthly_rent",
                                  "housing.rent_area_sqm")),
    FactGroup("category", "人才类别", ("talent_category",)),
    FactGroup("title", "职称", ("professional_title",)),
    FactGroup("honors", "荣誉", ("honors",)),
    FactGroup("purchase", "购房情况", ("purchase", "purchase.date", "purchase.first_home", "purchase.self_occupied")),
    FactGroup("training", "创业培训", ("training",)),
)
GROUP_OF = {name: group for group in PROFILE_GROUPS for name in group.inputs}
# Not facts about the person: the evaluation day, what the platform already granted, the city's apartments.
NOT_FACTS = frozenset({"as_of", "received", "housing.apartment_available"})


def deciding_groups(inputs) -> list[FactGroup]:
    """The fact groups behind a policy's inputs (engine.evaluate.policy_inputs), in PROFILE_GROUPS' order."""
    keys = {GROUP_OF[name].key for name in inputs if name not in NOT_FACTS and name in GROUP_OF}
    return [group for group in PROFILE_GROUPS if group.key in keys]


def _category_recognitions(talent_ids, on):
    from rencai.recognition.models import Recognition

    valid = (Recognition.objects.filter(talent_id__in=list(talent_ids), valid_from__lte=on, valid_until__gte=on)
             .exclude(ended_on__lte=on).order_by("talent_id", "-valid_until"))
    return {r.talent_id: r for r in valid}


def _resident_in_city(verification) -> bool:
    return bool(verification.resident_district) and str(verification.resident_district).startswith(city_prefix())


def _verified_keys(verification, recognition) -> set[str]:
    """The groups the feeds (or the platform's own recognition) vouch for, for one talent."""
    keys = set()
    if verification is not None:
        if verification.degree:
            keys.add("degree")
        if verification.returnee:
            keys.add("returnee")
        if verification.skill_level:
            keys.add("skill")
        if verification.owns_home:
            keys.add("housing")
        if verification.insured_fact_id and verification.insured_in_city is not None:
            keys.add("employment")
        if _resident_in_city(verification) or verification.insured_in_city:
            keys.add("city")
        if verification.resident_fact_id:
            keys.add("birth")
    if recognition is not None:  # the platform's own decision, valid that day: the profile's category is its
        keys.add("category")
    return keys


def verified_groups(talent_ids, *, on) -> dict[int, set[str]]:
    """{talent id: the fact groups verified for them}, for many talents at once (two queries per 500)."""
    from .verification import verified_of

    talent_ids = list(talent_ids)
    out: dict[int, set[str]] = {}
    for start in range(0, len(talent_ids), 500):
        ids = talent_ids[start:start + 500]
        rows = verified_of(ids, with_facts=False)
        recognitions = _category_recognitions(ids, on)
        for pk in ids:
            out[pk] = _verified_keys(rows.get(pk), recognitions.get(pk))
    return out


_READ = object()


def profile_sources(talent, *, on, verification=_READ) -> dict[str, Source]:
    """{group key: Source} for one talent's profile: verified (which feed, for which period) or declared (by
    whom) — what the calculator's explanation and a frozen application name beside each deciding fact.
    ``verification``: the talent's row as already read (policies.registry.talent_verification)."""
    from .verification import verified_of

    if verification is _READ:
        verification = verified_of([talent.pk]).get(talent.pk)
    recognition = _category_recognitions([talent.pk], on).get(talent.pk)
    keys = _verified_keys(verification, recognition)
    declared = _declared(talent)
    by_group = {"degree": "highest_degree", "returnee": "returnee", "skill": "skill_level",
                "housing": "housing_status", "employment": "organization", "city": "district", "birth": "district"}
    facts = {"degree": "degree_fact", "returnee": "returnee_fact", "skill": "skill_fact", "housing": "home_fact",
             "employment": "insured_fact", "birth": "resident_fact"}
    out: dict[str, Source] = {}
    for group in PROFILE_GROUPS:
        if group.key in keys and group.key == "category":
            until = f"{recognition.valid_until:%Y年%-m月%-d日}"
            out[group.key] = Source(True, f"已核验：本平台人才认定，有效期至{until}",
                                    words=f"本平台认定，有效期至{until}")
            continue
        if group.key in keys:
            name = facts.get(group.key)
            if group.key == "city":
                name = "resident_fact" if _resident_in_city(verification) else "insured_fact"
            out[group.key] = _verified(getattr(verification, name))
            continue
        who = declared.get(by_group.get(group.key, ""), "") or declared["district"]
        words = ""
        if group.key == "employment" and talent.employment_confirmed:
            who, words = "用人单位确认", "用人单位确认，尚无社保数据核验"
        out[group.key] = Source(False, f"申报：{who}", words=words)
    return out


def _deciding(policy_id: str) -> list[FactGroup] | None:
    """The fact groups the policy's result depends on (None for a policy not in the catalog)."""
    from rencai.policies.calculator import default_catalog
    from rencai.policies.engine.evaluate import policy_inputs

    policy = default_catalog().policies.get(policy_id)
    return None if policy is None else deciding_groups(policy_inputs(policy))


def fact_lines(policy_id: str, sources: dict[str, Source]) -> list[dict]:
    """The deciding facts of one policy's result with their sources, as an explanation shows them:
    [{"label": "学历", "source": "教育局数据，截至2024年6月", "verified": True}, …] (JSON, for a frozen snapshot)."""
    return [{"label": group.label, "source": sources[group.key].short, "verified": sources[group.key].verified}
            for group in _deciding(policy_id) or [] if group.key in sources]


def attach_fact_sources(calculation: dict, sources: dict[str, Source]) -> dict:
    """Each result of a calculation on a talent's registry profile gains ``facts`` (fact_lines)."""
    for result in calculation.get("results", []):
        result["facts"] = fact_lines(result["policy"], sources)
    return calculation


def all_verified(policy_id: str, verified: set[str]) -> bool:
    """Whether every deciding fact of the policy is verified (免申即享 offers need it)."""
    groups = _deciding(policy_id)
    return groups is not None and all(g.key in verified for g in groups)
