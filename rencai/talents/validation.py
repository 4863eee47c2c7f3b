"""One validation of a talent record, shared by the form, the API and the Excel import.

Every problem is collected and reported together, each naming its field in Chinese.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

from rencai.core.errors import FieldError, ValidationFailed
from rencai.core.masking import mask_id_number, mask_phone
from rencai.core.parsing import (
    FieldErrors,
    is_blank,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
)
from rencai.core.stdnum_reasons import stdnum_reason
from rencai.organizations.enums import EmployerType
from rencai.organizations.models import Organization
from rencai.regions.models import Region
from rencai.regions.selectors import district_resolve

from .enums import (
    Degree,
    Gender,
    Honor,
    HousingStatus,
    IdType,
    ProfessionalTitle,
    SkillLevel,
    SocialInsurance,
    TalentCategory,
)

LABELS = {
    "name": "姓名",
    "id_type": "证件类型",
    "id_number": "证件号码",
    "gender": "性别",
    "birth_date": "出生日期",
    "nationality": "国籍",
    "phone": "手机号码",
    "email": "电子邮箱",
    "district": "所在区县",
    "organization_uscc": "工作单位统一社会信用代码",
    "employer_type": "单位性质",
    "employment_start": "入职日期",
    "social_insurance": "社保状态",
    "highest_degree": "最高学历",
    "school": "毕业院校",
    "school_country": "毕业国家/地区",
    "graduation_date": "毕业日期",
    "major": "专业",
    "returnee": "是否留学回国",
    "professional_title": "职称",
    "skill_level": "技能等级",
    "honors": "荣誉",
    "housing_status": "住房情况",
    "monthly_rent": "月租金",
    "rent_area_sqm": "租住面积",
    "talent_category": "人才类别",
    "category_recognized_on": "认定日期",
}

FIELDS = tuple(LABELS)
CHINA_NAMES = {"中国", "中国大陆", "china", "cn", ""}
MAX_RENT = Decimal("1000000")
MAX_AREA = Decimal("10000")


@dataclass
class TalentInput:
    name: str
    id_type: str
    id_number: str
    gender: str
    birth_date: dt.date
    district: str
    nationality: str = "中国"
    phone: str = ""
    email: str = ""
    organization_uscc: str = ""
    employer_type: str = ""
    employment_start: dt.date | None = None
    social_insurance: str = SocialInsurance.UNKNOWN
    highest_degree: str = ""
    school: str = ""
    school_country: str = ""
    graduation_date: dt.date | None = None
    major: str = ""
    returnee: bool = False
    professional_title: str = ""
    skill_level: str = ""
    honors: list[str] = field(default_factory=list)
    housing_status: str = ""
    monthly_rent: Decimal | None = None
    rent_area_sqm: Decimal | None = None
    talent_category: str = ""
    category_recognized_on: dt.date | None = None
    # Resolved links: the district's Region and the employer's Organization.
    region: Region | None = None
    organization: Organization | None = None


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    return "" if is_blank(value) else str(value).strip()


def _resident_id_reason(exc: StdnumError) -> str:
    return stdnum_reason(exc, InvalidLength="应为18位", InvalidFormat="格式错误（前17位应为数字）",
                         InvalidComponent="出生日期或地区码无效")


PROVINCE_PREFIXES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82",
}


def resident_id_validate(number: str) -> str:
    """Length, digits, check digit and birth date, by python-stdnum. Unlike ``ric.validate`` it does not
    require the county code to be in stdnum's table, which lacks counties created or renamed since
    (210115 辽中区, 210181 新民市 ...): the code is where a person was first registered, and real numbers
    carry such codes. The province part must still exist."""
    number = ric.compact(number)
    if len(number) != 18:
        raise InvalidLength()
    if not number[:17].isdigit():
        raise InvalidFormat()
    if number[-1] != ric.calc_check_digit(number):
        raise InvalidChecksum()
    ric.get_birth_date(number)
    if number[:2] not in PROVINCE_PREFIXES:
        raise InvalidComponent()
    return number


def _honors(value, errors: FieldErrors) -> list[str]:
    if is_blank(value):
        return []
    items = value if isinstance(value, list | tuple) else str(value).replace("，", ",").replace("、", ",").split(",")
    result = []
    for item in items:
        code = parse_choice(item, Honor, field="honors", label="荣誉", errors=errors)
        if code and code not in result:
            result.append(code)
    return result


def _link(cache: dict, key: tuple, find):
    """Look a district or an organization up once per distinct value (an import repeats them)."""
    if key not in cache:
        try:
            cache[key] = (find(), None)
        except ValidationFailed as exc:
            cache[key] = (None, exc.errors)
    return cache[key]


def _find_organization(uscc: str) -> Organization:
    organization = Organization.objects.filter(uscc=uscc).first()
    if organization is None:
        raise ValidationFailed([FieldError("organization_uscc", f"未登记的用人单位（统一社会信用代码{uscc}）")])
    return organization


IDENTITY_FIELDS = ("id_type", "id_number", "gender", "birth_date")


def _identity(raw: dict, errors: FieldErrors) -> tuple[str, str, str, dt.date | None]:
    """ID type and number; gender and birth date, derived from a 身份证 and checked against what was given."""
    id_type = parse_choice(raw.get("id_type") or IdType.RESIDENT_ID, IdType, field="id_type",
                           label="证件类型", errors=errors)
    id_number = _text(raw, "id_number").upper().replace(" ", "")
    gender = parse_choice(raw.get("gender"), Gender, field="gender", label="性别", errors=errors)
    birth_date = parse_date(raw.get("birth_date"), field="birth_date", label="出生日期", errors=errors)

    if not id_number:
        errors.add("id_number", "证件号码不能为空")
    elif id_type == IdType.RESIDENT_ID:
        try:
            id_number = resident_id_validate(id_number)
        except StdnumError as exc:
            errors.add("id_number", f"居民身份证号码“{mask_id_number(id_number)}”无效：{_resident_id_reason(exc)}")
        else:
            derived_birth = ric.get_birth_date(id_number)
            derived_gender = Gender.MALE if int(id_number[16]) % 2 else Gender.FEMALE
            if birth_date and birth_date != derived_birth:
                errors.add("birth_date", f"出生日期与身份证号码不一致（身份证为{derived_birth:%Y-%m-%d}）")
            if gender and gender != derived_gender:
                errors.add("gender", f"性别与身份证号码不一致（身份证为{derived_gender.label}）")
            birth_date, gender = derived_birth, derived_gender
    elif id_type == IdType.PASSPORT:
        if not (5 <= len(id_number) <= 20 and id_number.isalnum()):
            errors.add("id_number", "护照号码应为5至20位字母或数字")
        if not gender:
            errors.add("gender", "持护照登记时必须填写性别")
        if not birth_date and "birth_date" not in {e.field for e in errors}:
            errors.add("birth_date", "持护照登记时必须填写出生日期")

    return id_type, id_number, gender, birth_date


def talent_raw(talent) -> dict:
    """A registry record as the raw input it would have been registered with (identity numbers left out:
    they stay encrypted), so that a change of some fields is checked against the rest."""
    education = talent.educations.order_by("-graduation_date").first()
    return {
        "name": talent.name, "nationality": talent.nationality, "email": talent.email,
        "district": talent.district_id,
        "organization_uscc": talent.organization.uscc if talent.organization_id else "",
        "employer_type": talent.employer_type, "employment_start": talent.employment_start,
        "social_insurance": talent.social_insurance, "highest_degree": talent.highest_degree,
        "school": education.school if education else "", "school_country": education.country if education else "",
        "graduation_date": talent.graduation_date, "major": education.major if education else "",
        "returnee": talent.returnee, "professional_title": talent.professional_title,
        "skill_level": talent.skill_level, "honors": list(talent.honors), "housing_status": talent.housing_status,
        "monthly_rent": talent.monthly_rent, "rent_area_sqm": talent.rent_area_sqm,
        "talent_category": talent.talent_category, "category_recognized_on": talent.category_recognized_on,
    }


def talent_input_validate(raw: dict, *, today: dt.date | None = None, cache: dict | None = None,
                          existing=None) -> TalentInput:
    """Check a talent record given as a dict of the FIELDS keys, including that its district and employer
    exist; raise ValidationFailed listing every problem at once, or return the cleaned TalentInput.
    ``cache`` lets a caller validating many records look each district and employer up once.
    With ``existing`` (a Talent), ``raw`` holds changes to that record: identity cannot change, and the
    changes are checked together with the fields they leave as they are."""
    today = today or dt.date.today()
    cache = {} if cache is None else cache
    errors = FieldErrors()
    unknown = sorted(set(raw) - set(FIELDS))
    for key in unknown:
        errors.add(key, f"未知字段“{key}”")

    if existing is not None:
        for key in sorted(set(raw) & set(IDENTITY_FIELDS)):
            errors.add(key, f"{LABELS[key]}不能修改；如登记有误，请联系所在区人社部门核实更正")
        raw = {**talent_raw(existing), **{k: v for k, v in raw.items() if k not in IDENTITY_FIELDS}}

    name = _text(raw, "name")
    if not name:
        errors.add("name", "姓名不能为空")
    elif len(name) > 50:
        errors.add("name", "姓名不能超过50个字")

    if existing is None:
        id_type, id_number, gender, birth_date = _identity(raw, errors)
    else:
        id_type, id_number, gender, birth_date = existing.id_type, "", existing.gender, existing.birth_date

    if birth_date and birth_date > today:
        errors.add("birth_date", f"出生日期{birth_date:%Y-%m-%d}晚于今天")
    elif birth_date and birth_date.year < 1900:
        errors.add("birth_date", "出生日期不能早于1900年")

    phone = _text(raw, "phone").replace(" ", "").replace("-", "")
    if phone and not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
        errors.add("phone", f"手机号码“{mask_phone(phone)}”应为以1开头的11位数字")
    email = _text(raw, "email")
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            errors.add("email", f"电子邮箱“{email}”格式不正确")

    district = _text(raw, "district")
    region = None
    if not district:
        errors.add("district", "所在区县不能为空")
    else:
        region, problems = _link(cache, ("district", district), lambda: district_resolve(value=district))
        errors.extend(problems or [])
    organization_uscc = _text(raw, "organization_uscc").upper()
    organization = None
    if organization_uscc:
        organization, problems = _link(cache, ("uscc", organization_uscc),
                                       lambda: _find_organization(organization_uscc))
        errors.extend(problems or [])

    graduation_date = parse_date(raw.get("graduation_date"), field="graduation_date", label="毕业日期",
                                 errors=errors)
    if graduation_date and graduation_date > today:
        errors.add("graduation_date", "毕业日期不能晚于今天")
    if graduation_date and birth_date and graduation_date <= birth_date:
        errors.add("graduation_date", "毕业日期应晚于出生日期")
    employment_start = parse_date(raw.get("employment_start"), field="employment_start", label="入职日期",
                                  errors=errors)
    if employment_start and birth_date and employment_start <= birth_date:
        errors.add("employment_start", "入职日期应晚于出生日期")
    recognized_on = parse_date(raw.get("category_recognized_on"), field="category_recognized_on",
                               label="认定日期", errors=errors)
    if recognized_on and recognized_on > today:
        errors.add("category_recognized_on", "认定日期不能晚于今天")

    highest_degree = parse_choice(raw.get("highest_degree"), Degree, field="highest_degree", label="最高学历",
                                  errors=errors)
    if highest_degree and not graduation_date and "graduation_date" not in {e.field for e in errors}:
        errors.add("graduation_date", "填写最高学历时必须填写毕业日期")
    school_country = _text(raw, "school_country")
    returnee = parse_bool(raw.get("returnee"), field="returnee", label="是否留学回国", errors=errors)
    if returnee is None:
        returnee = bool(school_country) and school_country.lower() not in CHINA_NAMES

    talent_category = parse_choice(raw.get("talent_category"), TalentCategory, field="talent_category",
                                   label="人才类别", errors=errors)
    monthly_rent = parse_decimal(raw.get("monthly_rent"), field="monthly_rent", label="月租金", errors=errors)
    if monthly_rent is not None and monthly_rent > MAX_RENT:
        errors.add("monthly_rent", "月租金超过100万元，请核对")
    rent_area = parse_decimal(raw.get("rent_area_sqm"), field="rent_area_sqm", label="租住面积", errors=errors)
    if rent_area is not None and rent_area > MAX_AREA:
        errors.add("rent_area_sqm", "租住面积超过10000㎡，请核对")

    cleaned = TalentInput(
        name=name,
        id_type=id_type,
        id_number=id_number,
        gender=gender,
        birth_date=birth_date,
        district=district,
        nationality=_text(raw, "nationality") or "中国",
        phone=phone,
        email=email,
        organization_uscc=organization_uscc,
        employer_type=parse_choice(raw.get("employer_type"), EmployerType, field="employer_type",
                                   label="单位性质", errors=errors),
        employment_start=employment_start,
        social_insurance=parse_choice(raw.get("social_insurance"), SocialInsurance, field="social_insurance",
                                      label="社保状态", errors=errors) or SocialInsurance.UNKNOWN,
        highest_degree=highest_degree,
        school=_text(raw, "school"),
        school_country=school_country,
        graduation_date=graduation_date,
        major=_text(raw, "major"),
        returnee=returnee,
        professional_title=parse_choice(raw.get("professional_title"), ProfessionalTitle,
                                        field="professional_title", label="职称", errors=errors),
        skill_level=parse_choice(raw.get("skill_level"), SkillLevel, field="skill_level", label="技能等级",
                                 errors=errors),
        honors=_honors(raw.get("honors"), errors),
        housing_status=parse_choice(raw.get("housing_status"), HousingStatus, field="housing_status",
                                    label="住房情况", errors=errors),
        monthly_rent=monthly_rent,
        rent_area_sqm=rent_area,
        talent_category=talent_category,
        category_recognized_on=recognized_on,
        region=region,
        organization=organization,
    )
    if errors:
        raise ValidationFailed(list(errors))
    return cleaned
