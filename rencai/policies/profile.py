"""Checking one person's profile (the calculator contract's input) and flattening it into the field values
the condition language reads (fields.py). Bad input raises ProfileError naming the field, in Chinese and
English; nothing here raises anything else for any JSON-like input.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc as uscc_std

from rencai.policies.engine.expr import full_years
from rencai.policies.fields import (
    CITY_LABELS,
    CITY_NAMES,
    FIELDS,
    NO_VALUE,
    OBJECT_KEYS,
    ORGANIZATION_FIELDS,
    SUBJECT_LABELS,
    SUBJECTS,
    TEAM_FIELDS,
    TOP_LEVEL_KEYS,
)

# Upper bounds keep the batch path's exact integer arithmetic far from int64 overflow.
MAX_RENT = Decimal(1_000_000)  # yuan a month
MAX_AREA = Decimal(100_000)  # ㎡
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TRAINING_KINDS = ("startup_guidance", "startup_coaching")


class ProfileError(ValueError):
    """Bad input: which field, and what is wrong with it, in Chinese and in English."""

    def __init__(self, field: str, message_zh: str, message_en: str):
        self.field = field
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.field}：{self.message_zh} / {self.field}: {self.message_en}"

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message_zh": self.message_zh, "message_en": self.message_en}


def parse_date(value: object, name: str) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ProfileError(name, f"日期格式有误（应为 YYYY-MM-DD 的有效日期）：{value!r}",
                       f"malformed date (expected a valid YYYY-MM-DD): {value!r}")


def _bool(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise ProfileError(name, f"应为 true 或 false：{value!r}", f"must be true or false: {value!r}")
    return value


def _choice(value: object, name: str, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        raise ProfileError(name, f"未知取值 {value!r}，可用：{'、'.join(allowed)}",
                           f"unknown value {value!r}; expected one of {', '.join(allowed)}")
    return value


def _amount(value: object, name: str, *, positive: bool, limit: Decimal) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ProfileError(name, f"应为数字：{value!r}", f"must be a number: {value!r}")
    try:
        # repr() of a float is its shortest exact decimal, so 3200.5 stays 3200.5 (no binary noise).
        number = Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        raise ProfileError(name, f"应为数字：{value!r}", f"must be a number: {value!r}") from None
    if not number.is_finite():
        raise ProfileError(name, "应为有限数字", "must be a finite number")
    if number < 0:
        raise ProfileError(name, f"不能为负数：{value}", f"must not be negative: {value}")
    if positive and number == 0:
        raise ProfileError(name, "应大于0", "must be greater than 0")
    if number > limit:
        raise ProfileError(name, f"数值过大（上限{limit}）：{value}", f"too large (limit {limit}): {value}")
    if number != number.quantize(Decimal("0.01")):
        raise ProfileError(name, f"最多两位小数：{value}", f"at most two decimal places: {value}")
    return Fraction(number)


def _object(profile: Mapping, key: str, keys: dict[str, tuple[str, ...]] = OBJECT_KEYS) -> Mapping | None:
    value = profile.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ProfileError(key, "应为对象（JSON object）", "must be an object")
    for sub in value:
        if sub not in keys[key]:
            raise ProfileError(f"{key}.{sub}", f"未知字段，可用：{'、'.join(keys[key])}",
                               f"unknown field; expected one of {', '.join(keys[key])}")
    return value


def _list(profile: Mapping, key: str) -> list:
    value = profile.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ProfileError(key, "应为列表（JSON array）", "must be a list")
    return value


def _kind_items(profile: Mapping, key: str, kinds: tuple[str, ...], flag: str, meaning: str) -> list[tuple[str, bool]]:
    """A list of ``{kind, <flag>}`` objects (a person's training: certified; an organization's stations: new),
    each item checked and named by its index."""
    found: list[tuple[str, bool]] = []
    for index, item in enumerate(_list(profile, key)):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            raise ProfileError(where, f"应为对象（kind, {flag}）", f"must be an object with kind and {flag}")
        for sub in item:
            if sub not in ("kind", flag):
                raise ProfileError(f"{where}.{sub}", f"未知字段，可用：kind、{flag}",
                                   f"unknown field; expected kind or {flag}")
        kind = _choice(item.get("kind"), f"{where}.kind", kinds)
        if item.get(flag) is None:
            raise ProfileError(f"{where}.{flag}", f"缺少 {flag}（{meaning}）", f"{flag} is required")
        found.append((kind, _bool(item[flag], f"{where}.{flag}")))
    return found


def city_code(value: object) -> str:
    if isinstance(value, str):
        code = CITY_NAMES.get(value.lower(), value)
        if code in CITY_LABELS:
            return code
    names = "、".join([*CITY_NAMES, *CITY_LABELS])
    raise ProfileError("city", f"未知城市 {value!r}，可用：{names}", f"unknown city {value!r}; expected one of "
                       f"{', '.join([*CITY_NAMES, *CITY_LABELS])}")


def profile_subject(profile: object) -> str:
    """Whom a profile describes: ``subject`` (person, team, organization); a profile without one is a person's."""
    if not isinstance(profile, Mapping):
        raise ProfileError("(profile)", "档案应为 JSON 对象", "the profile must be a JSON object")
    subject = profile.get("subject", "person")
    if not isinstance(subject, str) or subject not in SUBJECTS:
        names = "、".join(f"{s}（{SUBJECT_LABELS[s]}）" for s in SUBJECTS)
        raise ProfileError("subject", f"未知的申报主体 {subject!r}，可用：{names}",
                           f"unknown subject {subject!r}; expected one of {', '.join(SUBJECTS)}")
    return subject


def _check_keys(profile: Mapping, allowed: tuple[str, ...]) -> None:
    for key in profile:
        if key not in allowed:
            raise ProfileError(str(key), f"未知字段，可用：{'、'.join(allowed)}",
                               f"unknown field; expected one of {', '.join(allowed)}")


def _where_and_when(profile: Mapping, ctx: dict[str, object], as_of: dt.date | None) -> dt.date:
    """as_of (the profile's, or the one given, which wins) and the city with its province: every subject's."""
    if as_of is None:
        if profile.get("as_of") is None:
            raise ProfileError("as_of", "缺少评估日（as_of 或 --as-of）", "as_of is required (or --as-of)")
        as_of = parse_date(profile["as_of"], "as_of")
    else:
        as_of = parse_date(as_of, "as_of")
        if profile.get("as_of") is not None:
            parse_date(profile["as_of"], "as_of")  # still reject a malformed one
    ctx["as_of"] = as_of
    if profile.get("city") is not None:
        ctx["city"] = city_code(profile["city"])
        ctx["province"] = ctx["city"][:2] + "0000"  # type: ignore[index]
    return as_of


def _received(profile: Mapping, policy_ids: Iterable[str]) -> frozenset[str]:
    known = set(policy_ids)
    received = set()
    for item in _list(profile, "received"):
        if not isinstance(item, str) or (known and item not in known):
            raise ProfileError("received", f"未知政策 {item!r}", f"unknown policy id {item!r}")
        received.add(item)
    return frozenset(received)


def normalize(profile: object, *, as_of: dt.date | None = None,
              policy_ids: Iterable[str] = ()) -> dict[str, object]:
    """The profile as field values (fields.py names); None marks an unknown value. A team's or an
    organization's profile (``subject``) is read by its own reader, into its own table's fields."""
    subject = profile_subject(profile)
    assert isinstance(profile, Mapping)
    if subject == "team":
        return normalize_team(profile, as_of=as_of, policy_ids=policy_ids)
    if subject == "organization":
        return normalize_organization(profile, as_of=as_of, policy_ids=policy_ids)
    _check_keys(profile, TOP_LEVEL_KEYS)
    ctx: dict[str, object] = dict.fromkeys(FIELDS)
    as_of = _where_and_when(profile, ctx, as_of)
    if profile.get("birth_date") is not None:
        birth = parse_date(profile["birth_date"], "birth_date")
        if birth > as_of:
            raise ProfileError("birth_date", f"出生日期{birth}晚于评估日{as_of}",
                               f"birth date {birth} is after as_of {as_of}")
        ctx["birth_date"] = birth
        ctx["age"] = full_years(birth, as_of)
    if profile.get("returnee") is not None:
        ctx["returnee"] = _bool(profile["returnee"], "returnee")
    if profile.get("degree") is not None:
        ctx["degree"] = _choice(profile["degree"], "degree", FIELDS["degree"].domain)
    if profile.get("graduation_date") is not None:
        graduated = parse_date(profile["graduation_date"], "graduation_date")
        if ctx["birth_date"] is not None and graduated < ctx["birth_date"]:  # type: ignore[operator]
            raise ProfileError("graduation_date", "毕业时间早于出生日期", "graduation date is before birth date")
        ctx["graduation_date"] = graduated
    for name in ("talent_category", "professional_title", "skill_level"):
        value = profile.get(name)
        ctx[name] = NO_VALUE if value is None else _choice(value, name, FIELDS[name].domain)
    ctx["honors"] = frozenset(
        _choice(item, "honors", FIELDS["honors"].domain) for item in _list(profile, "honors"))

    employment = _object(profile, "employment")
    if employment is not None:
        if employment.get("employer_type") is not None:
            ctx["employment.employer_type"] = _choice(employment["employer_type"], "employment.employer_type",
                                                      FIELDS["employment.employer_type"].domain)
        if employment.get("in_city") is not None:
            ctx["employment.in_city"] = _bool(employment["in_city"], "employment.in_city")
        if employment.get("start_date") is not None:
            ctx["employment.start_date"] = parse_date(employment["start_date"], "employment.start_date")

    housing = _object(profile, "housing")
    if housing is not None:
        for name in ("owns_home_in_city", "renting", "apartment_available"):
            if housing.get(name) is not None:
                ctx[f"housing.{name}"] = _bool(housing[name], f"housing.{name}")
        if housing.get("monthly_rent") is not None:
            ctx["housing.monthly_rent"] = _amount(housing["monthly_rent"], "housing.monthly_rent",
                                                  positive=False, limit=MAX_RENT)
        if housing.get("rent_area_sqm") is not None:
            ctx["housing.rent_area_sqm"] = _amount(housing["rent_area_sqm"], "housing.rent_area_sqm",
                                                   positive=True, limit=MAX_AREA)

    purchase = _object(profile, "purchase")
    ctx["has_purchase"] = purchase is not None
    if purchase is not None:
        if purchase.get("date") is not None:
            bought = parse_date(purchase["date"], "purchase.date")
            if bought > as_of:
                raise ProfileError("purchase.date", f"购房日期{bought}晚于评估日{as_of}",
                                   f"purchase date {bought} is after as_of {as_of}")
            ctx["purchase.date"] = bought
        for name in ("first_home", "self_occupied"):
            if purchase.get(name) is not None:
                ctx[f"purchase.{name}"] = _bool(purchase[name], f"purchase.{name}")

    training = _kind_items(profile, "training", TRAINING_KINDS, "certified", "是否合格并取得证书")
    ctx["certified_training"] = frozenset(kind for kind, certified in training if certified)

    ctx["received"] = _received(profile, policy_ids)
    awarded = profile.get("challenge_awarded")
    ctx["challenge_awarded"] = False if awarded is None else _bool(awarded, "challenge_awarded")
    return ctx


# -- a team's and an organization's profile (issue 8) ------------------------------------------------------

TEAM_KEYS = ("subject", "as_of", "city", "team", "lead", "received")
TEAM_OBJECT_KEYS = {"team": ("level", "kind", "introduced", "added_members"), "lead": ("returnee",)}
ORGANIZATION_KEYS = ("subject", "as_of", "city", "organization", "stations", "award_tier", "received")
ORGANIZATION_OBJECT_KEYS = {"organization": ("type", "uscc", "industry_field", "key_enterprise", "internship_unit",
                                             "internship_retention_rate")}
MAX_MEMBERS = 10_000


def _count(value: object, name: str, *, limit: int) -> int:
    if (isinstance(value, bool) or not isinstance(value, (int, Decimal))
            or (isinstance(value, Decimal) and not value.is_finite()) or value != int(value)):
        raise ProfileError(name, f"应为整数：{value!r}", f"must be a whole number: {value!r}")
    if value < 0:
        raise ProfileError(name, f"不能为负数：{value}", f"must not be negative: {value}")
    if value > limit:
        raise ProfileError(name, f"数值过大（上限{limit}）：{value}", f"too large (limit {limit}): {value}")
    return int(value)


def normalize_team(profile: Mapping, *, as_of: dt.date | None = None,
                   policy_ids: Iterable[str] = ()) -> dict[str, object]:
    """A team's profile (``subject: "team"``) as the team table's field values (fields.TEAM_FIELDS)."""
    _check_keys(profile, TEAM_KEYS)
    ctx: dict[str, object] = dict.fromkeys(TEAM_FIELDS)
    _where_and_when(profile, ctx, as_of)
    team = _object(profile, "team", TEAM_OBJECT_KEYS) or {}
    level = team.get("level")
    ctx["team.level"] = NO_VALUE if level is None else _choice(level, "team.level", TEAM_FIELDS["team.level"].domain)
    if team.get("kind") is not None:
        ctx["team.kind"] = _choice(team["kind"], "team.kind", TEAM_FIELDS["team.kind"].domain)
    if team.get("introduced") is not None:
        ctx["team.introduced"] = _bool(team["introduced"], "team.introduced")
    if team.get("added_members") is not None:
        ctx["team.added_members"] = _count(team["added_members"], "team.added_members", limit=MAX_MEMBERS)
    lead = _object(profile, "lead", TEAM_OBJECT_KEYS) or {}
    if lead.get("returnee") is not None:
        ctx["lead.returnee"] = _bool(lead["returnee"], "lead.returnee")
    ctx["received"] = _received(profile, policy_ids)
    return ctx


def uscc_check(value: object, name: str = "organization.uscc") -> str:
    """A 统一社会信用代码 checked as the organizations app checks it (its check character included)."""
    if not isinstance(value, str):
        raise ProfileError(name, f"应为18位统一社会信用代码：{value!r}", f"must be an 18-character USCC: {value!r}")
    try:
        return uscc_std.validate(value)
    except stdnum_errors.ValidationError:
        raise ProfileError(name, f"统一社会信用代码无效（位数、字符或校验位不对）：{value}",
                           f"invalid unified social credit code: {value}") from None


def normalize_organization(profile: Mapping, *, as_of: dt.date | None = None,
                           policy_ids: Iterable[str] = ()) -> dict[str, object]:
    """An organization's profile (``subject: "organization"``) as its table's field values
    (fields.ORGANIZATION_FIELDS)."""
    _check_keys(profile, ORGANIZATION_KEYS)
    ctx: dict[str, object] = dict.fromkeys(ORGANIZATION_FIELDS)
    _where_and_when(profile, ctx, as_of)
    org = _object(profile, "organization", ORGANIZATION_OBJECT_KEYS) or {}
    for key in ("type", "industry_field"):
        name = f"organization.{key}"
        if org.get(key) is not None:
            ctx[name] = _choice(org[key], name, ORGANIZATION_FIELDS[name].domain)
    if org.get("uscc") is not None:
        ctx["organization.uscc"] = uscc_check(org["uscc"])
    for key in ("key_enterprise", "internship_unit"):
        if org.get(key) is not None:
            ctx[f"organization.{key}"] = _bool(org[key], f"organization.{key}")
    if org.get("internship_retention_rate") is not None:
        ctx["organization.internship_retention_rate"] = _amount(
            org["internship_retention_rate"], "organization.internship_retention_rate", positive=False,
            limit=Decimal(100))
    stations = _kind_items(profile, "stations", ORGANIZATION_FIELDS["organization.stations"].domain, "new",
                           "是否为新设立")
    ctx["organization.stations"] = frozenset(kind for kind, _new in stations)
    ctx["organization.new_stations"] = frozenset(kind for kind, new in stations if new)
    tier = profile.get("award_tier")
    tiers = ORGANIZATION_FIELDS["award_tier"].domain
    ctx["award_tier"] = NO_VALUE if tier is None else _choice(tier, "award_tier", tiers)
    ctx["received"] = _received(profile, policy_ids)
    return ctx
