"""The portal calculator's questions: only what a talent can answer, in plain words, each with 不知道.

``CalculatorForm.profile()`` turns the answers into the calculator contract's profile. An answer of 不知道 (or
a blank) leaves the field out, so the engine reports a policy that needs it as "unknown" and names it. For the
few fields the contract reads as "none" when absent (a recognised category, a title, a skill level, honours,
certified training, a home bought), 不知道 is not the same as 没有: ``unknown_fields()`` names them so that
``calculate(..., unknown=...)`` treats them as unknown too, while 没有 leaves them out as the contract means.

A talent is never asked what only an office knows (whether a talent apartment can be allocated now): the
result says who decides it (``presenting.UNANSWERABLE``).
"""

import datetime as dt

from django import forms
from django.utils import timezone

from rencai.policies.fields import CITY_LABELS, CITY_NAMES, VALUE_LABELS
from rencai.policies.profile import MAX_AREA, MAX_RENT

UNKNOWN = ("", "不知道")
NONE = "none"  # 没有: the contract's absent-means-none fields are left out
YES_NO = [UNKNOWN, ("yes", "是"), ("no", "不是")]
CITIES = [(name, f"{CITY_LABELS[code]}（含{VALUE_LABELS['province'][code[:2] + '0000']}的政策）")
          for name, code in CITY_NAMES.items()]
DATE_HELP = "不知道可不填"
CHOICE_ERRORS = {"invalid_choice": "请从列表中选择一项"}


class DateField(forms.DateField):
    """A date picker that loads and sends yyyy-MM-dd (what <input type=date> reads), whatever the locale."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    input_formats = ["%Y-%m-%d", "%Y/%m/%d"]
    default_error_messages = {"invalid": "请填写有效日期，格式为“年-月-日”，例如 1990-05-01"}


def _choice(label, choices, *, help_text="", none_label=None):
    options = [UNKNOWN, *([(NONE, none_label)] if none_label else []), *choices]
    return forms.ChoiceField(label=label, choices=options, required=False, help_text=help_text,
                             error_messages=CHOICE_ERRORS)


def _labels(name):
    return list(VALUE_LABELS[name].items())


def _amount(label, *, maximum, positive, what):
    minimum = "应大于0" if positive else "不能为负数"
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_value=maximum, decimal_places=2, max_digits=12,
        help_text="不租房或不知道可不填", widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"min_value": f"{what}{minimum}", "max_value": f"{what}不能超过{maximum}",
                        "invalid": f"{what}应为数字", "max_decimal_places": f"{what}最多两位小数",
                        "max_digits": f"{what}数值过大", "max_whole_digits": f"{what}数值过大"})


# The questions, in the order and groups the page shows them.
FIELDSETS = [
    ("基本情况", ["city", "birth_date", "returnee"]),
    ("学历、资格和荣誉", ["degree", "graduation_date", "talent_category", "professional_title", "skill_level",
                      "honors", "training"]),
    ("工作", ["employer_type"]),
    ("住房", ["renting", "monthly_rent", "rent_area_sqm", "bought_home", "purchase_date", "first_home",
            "self_occupied"]),
    ("计算日期", ["as_of"]),
]


# The question that answers a profile field the engine found missing (fields.py names).
QUESTION_OF = {
    "city": "city", "province": "city", "birth_date": "birth_date", "age": "birth_date", "returnee": "returnee",
    "degree": "degree", "graduation_date": "graduation_date", "talent_category": "talent_category",
    "professional_title": "professional_title", "skill_level": "skill_level", "honors": "honors",
    "training": "training", "certified_training": "training", "employment.employer_type": "employer_type",
    "employment.in_city": "employer_type", "housing.renting": "renting", "housing.monthly_rent": "monthly_rent",
    "housing.rent_area_sqm": "rent_area_sqm", "purchase": "bought_home", "has_purchase": "bought_home",
    "purchase.date": "purchase_date", "purchase.first_home": "first_home",
    "purchase.self_occupied": "self_occupied",
}


# Each question's short name: in the list of what a result still needs, and in the error summary.
SHORT_LABELS = {
    "city": "工作或生活的城市", "birth_date": "出生日期", "returnee": "是否留学回国人员", "degree": "最高学历",
    "graduation_date": "毕业日期", "talent_category": "人才类别", "professional_title": "职称",
    "skill_level": "职业技能等级", "honors": "获得的荣誉", "training": "创业培训", "employer_type": "工作单位类型",
    "renting": "是否租房", "monthly_rent": "每月房租", "rent_area_sqm": "租住面积", "bought_home": "是否买过住房",
    "purchase_date": "购房日期", "first_home": "是否首套住房", "self_occupied": "是否自住",
    "as_of": "计算日期",
}


class CalculatorForm(forms.Form):
    city = forms.ChoiceField(label="您在哪个城市工作或生活？", choices=[*CITIES, ("", "其他城市或不确定")],
                             required=False, error_messages=CHOICE_ERRORS)
    birth_date = DateField(label="您的出生日期", required=False, help_text=DATE_HELP)
    returnee = _choice("您是留学回国人员吗？", YES_NO[1:], help_text="在国（境）外取得学位后回国")
    degree = _choice("您的最高学历", _labels("degree"))
    graduation_date = DateField(label="最高学历的毕业日期", required=False, help_text=DATE_HELP)
    talent_category = _choice("您被认定的人才类别", _labels("talent_category"), none_label="没有认定过",
                              help_text="人才认定后发放的人才卡上写明类别")
    professional_title = _choice("您的职称", _labels("professional_title"), none_label="没有职称")
    skill_level = _choice("您的职业技能等级", _labels("skill_level"), none_label="没有")
    honors = forms.MultipleChoiceField(
        label="您获得过以下荣誉吗？（可多选）", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[*_labels("honors"), (NONE, "以上都没有")], help_text="不确定可都不选",
        error_messages={"invalid_choice": "请从列表中选择"})
    training = _choice("您参加过创业培训并合格取得证书吗？", [*_labels("certified_training"), ("both", "两种都有")],
                       none_label="没有")
    employer_type = _choice("您在该城市的工作单位是", [
        ("enterprise", "企业"), ("institution", "事业单位（学校、医院、科研院所等）"), ("government", "机关"),
        ("self_employed", "自己创业（个体、合伙等）")])
    renting = _choice("您在该城市租房住吗？", YES_NO[1:])
    monthly_rent = _amount("每月房租（元）", maximum=MAX_RENT, positive=False, what="每月房租")
    rent_area_sqm = _amount("租住面积（平方米）", maximum=MAX_AREA, positive=True, what="租住面积")
    bought_home = _choice("您在该城市买过住房吗？", [("yes", "买过"), ("no", "没有买过")])
    purchase_date = DateField(label="购房日期", required=False, help_text="买过房才填；不知道可不填")
    first_home = _choice("是您的第一套住房吗？", YES_NO[1:])
    self_occupied = _choice("是自己住吗？", YES_NO[1:])
    as_of = DateField(label="按哪一天的政策计算", required=False, help_text="默认今天")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate(), "city": "shenyang"})
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("as_of"):  # the day computed on is shown, never a blank date
            self.data = self.data.copy()
            self.data["as_of"] = f"{timezone.localdate():%Y-%m-%d}"

    def question(self, name: str) -> tuple[str, str] | None:
        """(anchor, words) of the question that answers the profile field ``name``, if one is asked."""
        field = QUESTION_OF.get(name)
        if field is None:
            return None
        return f"q-{field}", SHORT_LABELS[field]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in FIELDSETS]

    def clean(self):
        """The checks between answers, all at once and each next to its question."""
        data = super().clean()
        day = data.get("as_of") or timezone.localdate()
        birth, graduated, bought = data.get("birth_date"), data.get("graduation_date"), data.get("purchase_date")
        if birth and birth > day:
            self.add_error("birth_date", f"出生日期不能晚于计算日期（{day:%Y-%m-%d}）")
        if birth and graduated and graduated < birth:
            self.add_error("graduation_date", "毕业日期不能早于出生日期")
        if bought and bought > day:
            self.add_error("purchase_date", f"购房日期不能晚于计算日期（{day:%Y-%m-%d}）")
        if bought and data.get("bought_home") == "no":
            self.add_error("purchase_date", "您选了“没有买过”住房，却填写了购房日期：请改其中一项")
        if NONE in data.get("honors", []) and len(data["honors"]) > 1:
            self.add_error("honors", "选了“以上都没有”就不能再选其他荣誉")
        if data.get("rent_area_sqm") == 0:
            self.add_error("rent_area_sqm", "租住面积应大于0")
        return data

    def profile(self) -> dict:
        """The contract's profile from the cleaned answers: 不知道 and blanks are left out."""
        data = self.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        def put(target: dict, key: str, value):
            if value not in (None, "", NONE, []):
                target[key] = value.isoformat() if isinstance(value, dt.date) else value

        profile: dict = {"as_of": (data.get("as_of") or timezone.localdate()).isoformat()}
        put(profile, "city", data.get("city"))
        for key in ("birth_date", "degree", "graduation_date", "talent_category", "professional_title",
                    "skill_level"):
            put(profile, key, data.get(key))
        put(profile, "returnee", yes_no("returnee"))
        honors = [h for h in data.get("honors", []) if h != NONE]
        put(profile, "honors", honors)
        training = {"both": ["startup_guidance", "startup_coaching"]}.get(data.get("training") or "",
                                                                         [data.get("training") or ""])
        put(profile, "training", [{"kind": kind, "certified": True} for kind in training if kind not in ("", NONE)])
        if data.get("employer_type"):
            # The person works in the city they said they work or live in.
            profile["employment"] = {"employer_type": data["employer_type"], "in_city": True}
        housing: dict = {}
        put(housing, "renting", yes_no("renting"))
        put(housing, "monthly_rent", data.get("monthly_rent"))
        put(housing, "rent_area_sqm", data.get("rent_area_sqm"))
        if housing:
            profile["housing"] = housing
        if data.get("bought_home") == "yes" or (data.get("purchase_date") and not data.get("bought_home")):
            purchase: dict = {}
            put(purchase, "date", data.get("purchase_date"))
            put(purchase, "first_home", yes_no("first_home"))
            put(purchase, "self_occupied", yes_no("self_occupied"))
            profile["purchase"] = purchase
        return profile

    def unknown_fields(self) -> list[str]:
        """The absent-means-none fields answered 不知道 (engine field names), for ``calculate(unknown=...)``."""
        data = self.cleaned_data
        unknown = [name for name in ("talent_category", "professional_title", "skill_level")
                   if not data.get(name)]
        if not data.get("honors"):
            unknown.append("honors")
        if not data.get("training"):
            unknown.append("certified_training")
        if not data.get("bought_home") and not data.get("purchase_date"):
            unknown.append("has_purchase")
        return unknown


class PolicyFilterForm(forms.Form):
    """The policy list's filter: one city's policies and its province's, or all."""

    city = forms.ChoiceField(label="地区", required=False, error_messages=CHOICE_ERRORS,
                             choices=[("", "全部地区"), *CITIES])


# -- a team's and an organization's questions (issue 8) ----------------------------------------------------
# The same page asks them when 团队 or 单位 is chosen; the answers become the contract's team or organization
# profile (docs/contracts/calculator.md, "team and organization profiles"). 不知道 and blanks are left out.

SUBJECT_CHOICES = [("person", "个人"), ("team", "团队"), ("organization", "单位")]
STATION_CHOICES = list(VALUE_LABELS["organization.new_stations"].items())


class _SubjectForm(forms.Form):
    """What the team and organization forms share: the hidden subject, the city, the day, and turning the
    engine's field names back into the question that answers them."""

    SUBJECT = ""
    FIELDSETS: list = []
    QUESTION_OF: dict[str, str] = {}

    subject = forms.CharField(widget=forms.HiddenInput, required=False)
    city = forms.ChoiceField(label="所在城市", choices=[*CITIES, ("", "其他城市或不确定")], required=False,
                             error_messages=CHOICE_ERRORS)
    as_of = DateField(label="按哪一天的政策计算", required=False, help_text="默认今天")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate(), "city": "shenyang", "subject": self.SUBJECT})
        super().__init__(*args, **kwargs)
        if self.is_bound and not self.data.get("as_of"):
            self.data = self.data.copy()
            self.data["as_of"] = f"{timezone.localdate():%Y-%m-%d}"

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def short_label(self, name: str) -> str:
        return str(self.fields[name].label).rstrip("？?")

    def question_field(self, name: str) -> str | None:
        """The form field that answers an engine field (``team.level`` → ``team_level``)."""
        return self.QUESTION_OF.get(name)

    def question(self, name: str) -> tuple[str, str] | None:
        field = self.question_field(name)
        return None if field is None else (f"q-{field}", self.short_label(field))

    def _base(self) -> dict:
        data = self.cleaned_data
        profile: dict = {"subject": self.SUBJECT, "as_of": (data.get("as_of") or timezone.localdate()).isoformat()}
        if data.get("city"):
            profile["city"] = data["city"]
        return profile

    def unknown_fields(self) -> list[str]:
        return []


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


class TeamCalculatorForm(_SubjectForm):
    SUBJECT = "team"
    FIELDSETS = [
        ("团队情况", ["city", "team_kind", "team_introduced", "team_level", "team_added_members"]),
        ("团队带头人", ["lead_returnee"]),
        ("计算日期", ["as_of"]),
    ]
    QUESTION_OF = {"city": "city", "province": "city", "team.kind": "team_kind", "team.introduced": "team_introduced",
                   "team.level": "team_level", "team.added_members": "team_added_members",
                   "lead.returnee": "lead_returnee"}

    team_kind = _choice("团队类型", _labels("team.kind"))
    team_introduced = _choice("是引进的团队吗？", YES_NO[1:], help_text="从外地引进（“带土移植”）的团队")
    team_level = _choice("评审确定的团队层次", _labels("team.level"), none_label="尚未评定",
                         help_text="尚未评审的选“尚未评定”，结果会列出各层次的资助金额")
    team_added_members = forms.IntegerField(
        label="随同引进并经认定的增加成员人数", required=False, min_value=0, max_value=10_000,
        help_text="随团队引进、经认定为团队成员并切实参与研发的人数；不知道可不填",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "增加成员人数应为整数", "min_value": "增加成员人数不能为负数",
                        "max_value": "增加成员人数不能超过10000"})
    lead_returnee = _choice("团队带头人是留学回国人员吗？", YES_NO[1:])

    def profile(self) -> dict:
        data = self.cleaned_data
        profile = self._base()
        team: dict = {}
        if data.get("team_kind"):
            team["kind"] = data["team_kind"]
        if _yes_no(data.get("team_introduced")) is not None:
            team["introduced"] = _yes_no(data["team_introduced"])
        if data.get("team_level") not in (None, "", NONE):
            team["level"] = data["team_level"]
        if data.get("team_added_members") is not None:
            team["added_members"] = data["team_added_members"]
        if team:
            profile["team"] = team
        if _yes_no(data.get("lead_returnee")) is not None:
            profile["lead"] = {"returnee": _yes_no(data["lead_returnee"])}
        return profile


class OrganizationCalculatorForm(_SubjectForm):
    SUBJECT = "organization"
    FIELDSETS = [
        ("单位情况", ["city", "org_type", "org_uscc", "org_industry_field", "org_key_enterprise"]),
        ("工作站、基地", ["stations_new", "stations_held"]),
        ("见习", ["org_internship_unit", "org_internship_retention_rate"]),
        ("急需紧缺人才奖励", ["award_tier"]),
        ("计算日期", ["as_of"]),
    ]
    QUESTION_OF = {"city": "city", "province": "city", "organization.type": "org_type",
                   "organization.uscc": "org_uscc", "organization.industry_field": "org_industry_field",
                   "organization.key_enterprise": "org_key_enterprise", "organization.new_stations": "stations_new",
                   "organization.stations": "stations_held", "stations": "stations_new",
                   "organization.internship_unit": "org_internship_unit",
                   "organization.internship_retention_rate": "org_internship_retention_rate",
                   "award_tier": "award_tier"}

    org_type = _choice("单位类型", _labels("organization.type"))
    org_uscc = forms.CharField(label="统一社会信用代码", required=False, max_length=18, help_text="18位，可不填",
                               error_messages={"max_length": "统一社会信用代码应为18位"})
    org_industry_field = _choice("所属产业领域", _labels("organization.industry_field"))
    org_key_enterprise = _choice("是重点企业吗？", YES_NO[1:])
    stations_new = forms.MultipleChoiceField(
        label="新设立的工作站、基地（可多选）", required=False, widget=forms.CheckboxSelectMultiple,
        choices=STATION_CHOICES, error_messages={"invalid_choice": "请从列表中选择"})
    stations_held = forms.MultipleChoiceField(
        label="以前已有的工作站、基地（可多选）", required=False, widget=forms.CheckboxSelectMultiple,
        choices=STATION_CHOICES, error_messages={"invalid_choice": "请从列表中选择"})
    org_internship_unit = _choice("是见习单位吗？", YES_NO[1:])
    org_internship_retention_rate = _amount("见习留用率（%）", maximum=100, positive=False, what="见习留用率")
    award_tier = _choice("评审确定的急需紧缺人才奖励档次", _labels("award_tier"), none_label="尚未评审",
                         help_text="为引进的一名人才申报时填写；尚未评审的结果会列出各档次")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_internship_retention_rate"].help_text = "不是见习单位或不知道可不填"

    def clean(self):
        data = super().clean()
        both = set(data.get("stations_new") or []) & set(data.get("stations_held") or [])
        if both:
            names = "、".join(VALUE_LABELS["organization.new_stations"][k] for k in sorted(both))
            self.add_error("stations_held", f"{names}不能既是新设立的又是以前已有的：请只选一处")
        return data

    def profile(self) -> dict:
        data = self.cleaned_data
        profile = self._base()
        org: dict = {}
        for key in ("type", "industry_field"):
            if data.get(f"org_{key}"):
                org[key] = data[f"org_{key}"]
        if data.get("org_uscc"):
            org["uscc"] = data["org_uscc"].strip().upper()
        for key in ("key_enterprise", "internship_unit"):
            if _yes_no(data.get(f"org_{key}")) is not None:
                org[key] = _yes_no(data[f"org_{key}"])
        if data.get("org_internship_retention_rate") is not None:
            org["internship_retention_rate"] = data["org_internship_retention_rate"]
        if org:
            profile["organization"] = org
        stations = [{"kind": k, "new": True} for k in data.get("stations_new") or []]
        stations += [{"kind": k, "new": False} for k in data.get("stations_held") or []]
        if stations:
            profile["stations"] = stations
        if data.get("award_tier") not in (None, "", NONE):
            profile["award_tier"] = data["award_tier"]
        return profile


SUBJECT_FORMS = {"team": TeamCalculatorForm, "organization": OrganizationCalculatorForm}
