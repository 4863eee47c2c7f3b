"""The portal calculator's short form: every answer optional, only what is filled goes into the profile."""

import datetime as dt

from django import forms

from rencai.organizations.enums import EmployerType
from rencai.talents.enums import Degree, Honor, ProfessionalTitle, SkillLevel, TalentCategory

YES_NO_UNKNOWN = [("", "不清楚"), ("yes", "是"), ("no", "否")]
CITIES = [("shenyang", "沈阳市"), ("nantong", "南通市"), ("zhengzhou", "郑州市")]


def _blank(choices):
    return [("", "—"), *choices]


class DateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date"})
    default_error_messages = {"invalid": "请按 YYYY-MM-DD 填写有效日期"}


class CalculatorForm(forms.Form):
    as_of = DateField(label="计算日期", required=False, help_text="默认今天")
    city = forms.ChoiceField(label="工作和生活的城市", choices=CITIES)
    birth_date = DateField(label="出生日期", required=False)
    returnee = forms.ChoiceField(label="留学回国人员", choices=YES_NO_UNKNOWN, required=False)
    degree = forms.ChoiceField(label="最高学历", choices=_blank(Degree.choices), required=False)
    graduation_date = DateField(label="最高学历毕业日期", required=False)
    talent_category = forms.ChoiceField(label="已认定的人才类别", choices=_blank(TalentCategory.choices),
                                        required=False)
    professional_title = forms.ChoiceField(label="职称", choices=_blank(ProfessionalTitle.choices), required=False)
    skill_level = forms.ChoiceField(label="职业技能等级", choices=_blank(SkillLevel.choices), required=False)
    honors = forms.MultipleChoiceField(label="荣誉", choices=Honor.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)
    employer_type = forms.ChoiceField(label="单位性质", choices=_blank(EmployerType.choices), required=False)
    employment_start = DateField(label="入职日期", required=False)
    owns_home_in_city = forms.ChoiceField(label="在本市有自有住房", choices=YES_NO_UNKNOWN, required=False)
    renting = forms.ChoiceField(label="在本市租房", choices=YES_NO_UNKNOWN, required=False)
    monthly_rent = forms.DecimalField(label="月租金（元）", required=False, min_value=0, decimal_places=2,
                                      error_messages={"min_value": "月租金不能为负数", "invalid": "月租金应为数字"})
    rent_area_sqm = forms.DecimalField(label="租住面积（㎡）", required=False, min_value=0, decimal_places=2,
                                       error_messages={"min_value": "租住面积不能为负数", "invalid": "面积应为数字"})
    apartment_available = forms.ChoiceField(label="目前可分配人才公寓", choices=YES_NO_UNKNOWN, required=False)
    purchase_date = DateField(label="在本市购房日期（如有）", required=False)
    first_home = forms.ChoiceField(label="首套住房", choices=YES_NO_UNKNOWN, required=False)
    self_occupied = forms.ChoiceField(label="自住", choices=YES_NO_UNKNOWN, required=False)

    def profile(self) -> dict:
        """The contract's profile from the cleaned answers; unanswered questions are left out."""
        data = self.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        def put(target: dict, key: str, value):
            if value not in (None, "", []):
                target[key] = value.isoformat() if isinstance(value, dt.date) else value

        profile: dict = {"as_of": (data.get("as_of") or dt.date.today()).isoformat(), "city": data["city"]}
        for key in ("birth_date", "degree", "graduation_date", "talent_category", "professional_title",
                    "skill_level", "honors"):
            put(profile, key, data.get(key))
        put(profile, "returnee", yes_no("returnee"))
        employment: dict = {}
        put(employment, "employer_type", data.get("employer_type"))
        if employment:
            employment["in_city"] = True
            put(employment, "start_date", data.get("employment_start"))
            profile["employment"] = employment
        housing: dict = {}
        for key in ("owns_home_in_city", "renting", "apartment_available"):
            put(housing, key, yes_no(key))
        put(housing, "monthly_rent", data.get("monthly_rent"))
        put(housing, "rent_area_sqm", data.get("rent_area_sqm"))
        if housing:
            profile["housing"] = housing
        if data.get("purchase_date"):
            purchase = {"date": data["purchase_date"].isoformat()}
            put(purchase, "first_home", yes_no("first_home"))
            put(purchase, "self_occupied", yes_no("self_occupied"))
            profile["purchase"] = purchase
        return profile
