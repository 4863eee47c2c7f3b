"""Form fields for rendering and reading; all checking happens in validation.talent_input_validate."""

from django import forms

from rencai.organizations.enums import EmployerType

from .enums import Degree, Gender, HousingStatus, IdType, ProfessionalTitle, SkillLevel, SocialInsurance, TalentCategory
from .validation import LABELS


def _choices(enum):
    return [("", "—"), *enum.choices]


class TalentForm(forms.Form):
    name = forms.CharField(label=LABELS["name"], required=False)
    id_type = forms.ChoiceField(label=LABELS["id_type"], choices=IdType.choices, required=False)
    id_number = forms.CharField(label=LABELS["id_number"], required=False)
    gender = forms.ChoiceField(label=LABELS["gender"] + "（持护照时必填）", choices=_choices(Gender), required=False)
    birth_date = forms.CharField(label=LABELS["birth_date"] + "（持护照时必填）", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    phone = forms.CharField(label=LABELS["phone"], required=False)
    email = forms.CharField(label=LABELS["email"], required=False)
    district = forms.CharField(label=LABELS["district"] + "（名称或代码）", required=False)
    organization_uscc = forms.CharField(label=LABELS["organization_uscc"], required=False)
    employer_type = forms.ChoiceField(label=LABELS["employer_type"], choices=_choices(EmployerType), required=False)
    employment_start = forms.CharField(label=LABELS["employment_start"], required=False,
                                       widget=forms.DateInput(attrs={"type": "date"}))
    social_insurance = forms.ChoiceField(label=LABELS["social_insurance"], choices=SocialInsurance.choices,
                                         required=False)
    highest_degree = forms.ChoiceField(label=LABELS["highest_degree"], choices=_choices(Degree), required=False)
    school = forms.CharField(label=LABELS["school"], required=False)
    school_country = forms.CharField(label=LABELS["school_country"], required=False)
    graduation_date = forms.CharField(label=LABELS["graduation_date"], required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    major = forms.CharField(label=LABELS["major"], required=False)
    returnee = forms.ChoiceField(label=LABELS["returnee"], choices=[("", "按毕业国家判断"), ("是", "是"), ("否", "否")],
                                 required=False)
    professional_title = forms.ChoiceField(label=LABELS["professional_title"], choices=_choices(ProfessionalTitle),
                                           required=False)
    skill_level = forms.ChoiceField(label=LABELS["skill_level"], choices=_choices(SkillLevel), required=False)
    housing_status = forms.ChoiceField(label=LABELS["housing_status"], choices=_choices(HousingStatus),
                                       required=False)
    monthly_rent = forms.CharField(label=LABELS["monthly_rent"] + "（元）", required=False)
    rent_area_sqm = forms.CharField(label=LABELS["rent_area_sqm"] + "（㎡）", required=False)


class StaffTalentForm(TalentForm):
    talent_category = forms.ChoiceField(label=LABELS["talent_category"], choices=_choices(TalentCategory),
                                        required=False)
    category_recognized_on = forms.CharField(label=LABELS["category_recognized_on"], required=False,
                                             widget=forms.DateInput(attrs={"type": "date"}))


class RegisterForm(TalentForm):
    username = forms.CharField(label="用户名", required=False)
    password = forms.CharField(label="密码（至少8位）", required=False, widget=forms.PasswordInput)

    field_order = ["username", "password"]


def raw_talent_data(form: forms.Form) -> dict:
    """The submitted values of the talent fields, untouched, for talent_input_validate."""
    return {key: form.data.get(key, "") for key in LABELS if key in form.fields}


def apply_errors(form: forms.Form, errors) -> None:
    """Show the service's errors beside their fields (add_error needs the form's own check to have run)."""
    form.is_valid()
    for error in errors:
        form.add_error(error.field if error.field in form.fields else None, error.message)
