"""The living, rent and purchase subsidies as an OpenFisca tax and benefit system (openfisca-core 46.0.1).

Written as OpenFisca's documentation teaches a country package: one person entity; input variables
(enumerations for the degree, the city, the talent category, the title and the skill level); variables
with ``formula`` methods vectorised over the population, dated (``formula_2022_01_01``) from the day a
policy is in force; the amounts in a ``ParameterNode`` with dated values, indexed per person by an Enum
variable (``parameters(period).sy.living_subsidy.graduate[degree]``); ``where`` / ``select`` for the
conditions. Money is integer fen (int variables), like the engine's batch path; the rent formula widens to
int64 for its intermediate product.

Periods: every variable but the dates of birth, graduation and purchase is monthly, and the evaluation day
is the first day of the month being calculated (``period.start``), so ``as_of`` must be the 1st.
"""

from __future__ import annotations

import calendar

import numpy
from openfisca_core.entities import build_entity
from openfisca_core.model_api import ETERNITY, MONTH, Enum, ParameterNode, Variable, date, select, where
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem

Person = build_entity(key="person", plural="persons", label="人才 / a talent", is_person=True)

SY_FROM = "2022-01-01"  # 004: the housing, living and purchase subsidies in force in 2022
NT_FROM = "2025-08-25"  # 003: the reply's date


# -- enumerations ----------------------------------------------------------------------------------------
# Member order matters: the batch input gives each person the member's index (population.py codes).


class City(Enum):
    unknown = "未填写"
    shenyang = "沈阳市 210100"
    nantong = "南通市 320600"
    zhengzhou = "郑州市 410100"


class Degree(Enum):
    unknown = "未填写"
    junior_college = "专科"
    bachelor = "本科"
    master = "硕士"
    doctor = "博士"


class TalentCategory(Enum):
    none = "无"
    A = "A类（顶尖人才）"
    B = "B类（杰出人才）"
    C = "C类（领军人才）"
    D = "D类（拔尖人才）"


class ProfessionalTitle(Enum):
    none = "无"
    junior = "初级"
    intermediate = "中级"
    associate_senior = "副高级"
    senior = "正高级"


class SkillLevel(Enum):
    none = "无"
    senior_worker = "高级工（三级）"
    technician = "技师（二级）"
    senior_technician = "高级技师（一级）"
    special_technician = "特级技师"


# -- parameters ------------------------------------------------------------------------------------------


def _dated(value: int, since: str = SY_FROM, description: str = "", unit: str = "currency-CNY") -> dict:
    return {"description": description, "metadata": {"unit": unit}, "values": {since: {"value": value}}}


def _per(values: dict[str, int], since: str = SY_FROM, unit: str = "currency-CNY") -> dict:
    return {name: _dated(value, since, unit=unit) for name, value in values.items()}


PARAMETERS = {
    "sy": {
        "description": "沈阳市 (004_7b8a2565d53e5b61.txt)",
        "living_subsidy": {
            "graduate": _per({"unknown": 0, "junior_college": 0, "bachelor": 600, "master": 1200, "doctor": 2500}),
            "skilled": _per({"none": 0, "senior_worker": 600, "technician": 800, "senior_technician": 1000,
                             "special_technician": 0}),
            "months": _dated(36, description="发放期限最长三年", unit="month"),
        },
        "rent_subsidy": {
            "share": _dated(50, description="享受面积范围内实际房租的50%", unit="percent"),
            "area_cap": _per({"unknown": 0, "junior_college": 30, "bachelor": 40, "master": 50, "doctor": 75},
                             unit="m2"),
            "max_age": _per({"unknown": 0, "junior_college": 30, "bachelor": 35, "master": 40, "doctor": 45},
                            unit="year"),
            "area_cap_category_d": _dated(90, description="D类人才", unit="m2"),
        },
        "purchase_subsidy": {
            "graduate": _per({"unknown": 0, "junior_college": 0, "bachelor": 20000, "master": 40000,
                              "doctor": 70000}),
            "graduate_technician": _dated(20000, description="技师"),
            "graduate_years": _dated(5, description="毕业五年内", unit="year"),
            "skilled": {
                "china_skills_award": _dated(500000),
                "national_technical_expert": _dated(300000),
                "senior_technician": _dated(100000),
                "senior_technician_max_age": _dated(55, unit="year"),
            },
            # A: 一人一议 — decided case by case, no amount (0 here: never an entitlement).
            "high_level": _per({"none": 0, "A": 0, "B": 1500000, "C": 1000000, "D": 0}),
        },
    },
    "nt": {
        "description": "南通市 (003_003b1f2ec3abf07d.txt)",
        "returnee_purchase_subsidy": _per({"doctor_level": 300000, "master_level": 150000}, since=NT_FROM),
    },
}


# -- input variables -------------------------------------------------------------------------------------


class city(Variable):
    value_type = Enum
    possible_values = City
    default_value = City.unknown
    entity = Person
    label = "所在城市"
    definition_period = MONTH


class birth_date(Variable):
    value_type = date
    entity = Person
    label = "出生日期"
    definition_period = ETERNITY


class returnee(Variable):
    value_type = bool
    entity = Person
    label = "留学回国人员"
    definition_period = MONTH


class degree(Variable):
    value_type = Enum
    possible_values = Degree
    default_value = Degree.unknown
    entity = Person
    label = "学历"
    definition_period = MONTH


class graduation_date(Variable):
    value_type = date
    entity = Person
    label = "毕业时间"
    definition_period = ETERNITY


class talent_category(Variable):
    value_type = Enum
    possible_values = TalentCategory
    default_value = TalentCategory.none
    entity = Person
    label = "人才类别"
    definition_period = MONTH


class professional_title(Variable):
    value_type = Enum
    possible_values = ProfessionalTitle
    default_value = ProfessionalTitle.none
    entity = Person
    label = "职称"
    definition_period = MONTH


class skill_level(Variable):
    value_type = Enum
    possible_values = SkillLevel
    default_value = SkillLevel.none
    entity = Person
    label = "职业技能等级"
    definition_period = MONTH


class top_talent_award(Variable):
    value_type = bool
    entity = Person
    label = "高精尖优才奖励"
    definition_period = MONTH


class national_technical_expert(Variable):
    value_type = bool
    entity = Person
    label = "全国技术能手"
    definition_period = MONTH


class china_skills_award(Variable):
    value_type = bool
    entity = Person
    label = "中华技能大奖"
    definition_period = MONTH


class works_in_city(Variable):
    value_type = bool
    entity = Person
    label = "在本市就业创业"
    definition_period = MONTH


class renting(Variable):
    value_type = bool
    entity = Person
    label = "租房居住"
    definition_period = MONTH


class monthly_rent(Variable):
    value_type = int
    entity = Person
    label = "月租金（分）"
    definition_period = MONTH


class rent_area(Variable):
    value_type = int
    entity = Person
    label = "租赁面积（0.01㎡）"
    definition_period = MONTH


class has_purchase(Variable):
    value_type = bool
    entity = Person
    label = "在本市购房"
    definition_period = MONTH


class purchase_date(Variable):
    value_type = date
    entity = Person
    label = "购房日期"
    definition_period = ETERNITY


class first_home(Variable):
    value_type = bool
    entity = Person
    label = "首套住房"
    definition_period = MONTH


class self_occupied(Variable):
    value_type = bool
    entity = Person
    label = "购房自住"
    definition_period = MONTH


INPUTS = [
    city, birth_date, returnee, degree, graduation_date, talent_category, professional_title, skill_level,
    top_talent_award, national_technical_expert, china_skills_award, works_in_city,
    renting, monthly_rent, rent_area, has_purchase, purchase_date, first_home, self_occupied,
]


# -- formulas --------------------------------------------------------------------------------------------


class age(Variable):
    value_type = int
    entity = Person
    label = "年龄（周岁）on the first day of the period"
    definition_period = MONTH

    def formula(person, period, parameters):
        birth = person("birth_date", period)
        on = period.start
        birth_month = birth.astype("datetime64[M]")
        years = on.year - 1970 - birth.astype("datetime64[Y]").astype(int)
        day_of_month = (birth - birth_month.astype("datetime64[D]")).astype(int) + 1
        birthday = (birth_month.astype(int) % 12 + 1) * 100 + day_of_month
        if not calendar.isleap(on.year):
            birthday = where(birthday == 229, 228, birthday)  # 29 February counts as 28 February
        return years - (birthday > on.month * 100 + on.day)


class sy_living_subsidy_graduate_base(Variable):
    value_type = int
    entity = Person
    label = "高校毕业生生活补贴标准（分/月）by degree"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        degree = person("degree", period)
        return parameters(period).sy.living_subsidy.graduate[degree] * 100


class sy_living_subsidy_graduate_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受高校毕业生生活补贴"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        return in_shenyang * (person("sy_living_subsidy_graduate_base", period) > 0)


class sy_living_subsidy_graduate(Variable):
    value_type = int
    entity = Person
    label = "高校毕业生生活补贴（分/月）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        eligible = person("sy_living_subsidy_graduate_eligible", period)
        return where(eligible, person("sy_living_subsidy_graduate_base", period), 0)


class sy_living_subsidy_graduate_total(Variable):
    value_type = int
    entity = Person
    label = "高校毕业生生活补贴合计（分）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        months = parameters(period).sy.living_subsidy.months
        return person("sy_living_subsidy_graduate", period) * months


class sy_living_subsidy_skilled_base(Variable):
    value_type = int
    entity = Person
    label = "高技能人才生活补贴标准（分/月）by skill level"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        skill_level = person("skill_level", period)
        return parameters(period).sy.living_subsidy.skilled[skill_level] * 100


class sy_living_subsidy_skilled_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受高技能人才生活补贴"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        return in_shenyang * (person("sy_living_subsidy_skilled_base", period) > 0)


class sy_living_subsidy_skilled(Variable):
    value_type = int
    entity = Person
    label = "高技能人才生活补贴（分/月）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        eligible = person("sy_living_subsidy_skilled_eligible", period)
        return where(eligible, person("sy_living_subsidy_skilled_base", period), 0)


class sy_living_subsidy_skilled_total(Variable):
    value_type = int
    entity = Person
    label = "高技能人才生活补贴合计（分）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        months = parameters(period).sy.living_subsidy.months
        return person("sy_living_subsidy_skilled", period) * months


class sy_rent_subsidy_area_cap(Variable):
    value_type = int
    entity = Person
    label = "房租补贴面积上限（㎡）: D类 90, else by degree within the age limit"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        rent = parameters(period).sy.rent_subsidy
        degree = person("degree", period)
        within_age = person("age", period) <= rent.max_age[degree]
        by_degree = where(within_age, rent.area_cap[degree], 0)
        category_d = person("talent_category", period) == TalentCategory.D
        return where(category_d, rent.area_cap_category_d, by_degree)


class sy_rent_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受基础人才房租补贴"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        category = person("talent_category", period)
        high_level = (category == TalentCategory.A) + (category == TalentCategory.B) + (category == TalentCategory.C)
        has_cap = person("sy_rent_subsidy_area_cap", period) > 0
        return in_shenyang * numpy.logical_not(high_level) * person("renting", period) * has_cap


class sy_rent_subsidy(Variable):
    value_type = int
    entity = Person
    label = "基础人才房租补贴（分/月）: 50% of the rent within the area cap, rounded half up to the fen"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        share = parameters(period).sy.rent_subsidy.share
        rent = person("monthly_rent", period).astype(numpy.int64)  # fen; the products below exceed int32
        area = person("rent_area", period).astype(numpy.int64)  # hundredths of a ㎡
        cap = person("sy_rent_subsidy_area_cap", period).astype(numpy.int64) * 100
        within = area <= cap
        numerator = where(within, rent * share, rent * share * cap)
        denominator = where(within, 100, 100 * numpy.maximum(area, 1))
        amount = (2 * numerator + denominator) // (2 * denominator)
        return where(person("sy_rent_subsidy_eligible", period), amount, 0)


class sy_purchase_subsidy_graduate_deadline(Variable):
    value_type = date
    entity = Person
    label = "毕业五年内：the day five years after graduation (29 February → 28 February)"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        years = parameters(period).sy.purchase_subsidy.graduate_years
        graduated = person("graduation_date", period)
        month = graduated.astype("datetime64[M]")
        target = month + 12 * int(years)
        same_day = target.astype("datetime64[D]") + (graduated - month.astype("datetime64[D]"))
        return numpy.minimum(same_day, (target + 1).astype("datetime64[D]") - 1)


class sy_purchase_subsidy_graduate_base(Variable):
    value_type = int
    entity = Person
    label = "高校毕业生首次购房补贴标准（分）: by degree, else 技师"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        subsidy = parameters(period).sy.purchase_subsidy
        degree = person("degree", period)
        technician = person("skill_level", period) == SkillLevel.technician
        by_degree = subsidy.graduate[degree]
        # The degree rows come first: with no declared degree the table cannot be decided.
        return select(
            [degree == Degree.unknown, by_degree > 0, technician],
            [0, by_degree, subsidy.graduate_technician],
            default=0,
        ) * 100


class sy_purchase_subsidy_graduate_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受高校毕业生首次购房补贴"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        bought = person("purchase_date", period)
        within_five_years = (bought >= person("graduation_date", period)) * (
            bought <= person("sy_purchase_subsidy_graduate_deadline", period))
        return (in_shenyang * (person("sy_purchase_subsidy_graduate_base", period) > 0)
                * person("works_in_city", period) * person("has_purchase", period)
                * person("first_home", period) * within_five_years)


class sy_purchase_subsidy_graduate(Variable):
    value_type = int
    entity = Person
    label = "高校毕业生首次购房补贴（分）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        eligible = person("sy_purchase_subsidy_graduate_eligible", period)
        return where(eligible, person("sy_purchase_subsidy_graduate_base", period), 0)


class sy_purchase_subsidy_skilled_base(Variable):
    value_type = int
    entity = Person
    label = "高技能人才一次性购房补贴标准（分）: the highest that applies"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        skilled = parameters(period).sy.purchase_subsidy.skilled
        senior_technician = person("skill_level", period) == SkillLevel.senior_technician
        young_enough = person("age", period) <= skilled.senior_technician_max_age
        return select(
            [person("china_skills_award", period), person("national_technical_expert", period),
             senior_technician * young_enough],
            [skilled.china_skills_award, skilled.national_technical_expert, skilled.senior_technician],
            default=0,
        ) * 100


class sy_purchase_subsidy_skilled_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受高技能人才一次性购房补贴"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        return (in_shenyang * (person("sy_purchase_subsidy_skilled_base", period) > 0)
                * person("has_purchase", period) * person("first_home", period))


class sy_purchase_subsidy_skilled(Variable):
    value_type = int
    entity = Person
    label = "高技能人才一次性购房补贴（分）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        eligible = person("sy_purchase_subsidy_skilled_eligible", period)
        return where(eligible, person("sy_purchase_subsidy_skilled_base", period), 0)


class sy_purchase_subsidy_high_level_base(Variable):
    value_type = int
    entity = Person
    label = "高层次人才首套购房补贴标准（分）by talent category"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        category = person("talent_category", period)
        return parameters(period).sy.purchase_subsidy.high_level[category] * 100


class sy_purchase_subsidy_high_level_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受高层次人才首套购房补贴（B、C类; A类一人一议 is decided case by case）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        in_shenyang = person("city", period) == City.shenyang
        return (in_shenyang * person("top_talent_award", period)
                * (person("sy_purchase_subsidy_high_level_base", period) > 0)
                * person("has_purchase", period) * person("first_home", period))


class sy_purchase_subsidy_high_level(Variable):
    value_type = int
    entity = Person
    label = "高层次人才首套购房补贴（分）"
    definition_period = MONTH

    def formula_2022_01_01(person, period, parameters):
        eligible = person("sy_purchase_subsidy_high_level_eligible", period)
        return where(eligible, person("sy_purchase_subsidy_high_level_base", period), 0)


class nt_returnee_purchase_subsidy_base(Variable):
    value_type = int
    entity = Person
    label = "归国人才购房补贴标准（分）: 博士/正高/特级技师 30万, 硕士/副高/高级技师 15万"
    definition_period = MONTH

    def formula_2025_08_25(person, period, parameters):
        subsidy = parameters(period).nt.returnee_purchase_subsidy
        degree = person("degree", period)
        title = person("professional_title", period)
        skill = person("skill_level", period)
        doctor_level = (degree == Degree.doctor) + (title == ProfessionalTitle.senior) + (
            skill == SkillLevel.special_technician)
        master_level = (degree == Degree.master) + (title == ProfessionalTitle.associate_senior) + (
            skill == SkillLevel.senior_technician)
        # With no declared degree, only the title or the skill level can settle the first row.
        return select(
            [doctor_level, degree == Degree.unknown, master_level],
            [subsidy.doctor_level, 0, subsidy.master_level],
            default=0,
        ) * 100


class nt_returnee_purchase_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    label = "享受南通归国人才购房补贴"
    definition_period = MONTH

    def formula_2025_08_25(person, period, parameters):
        in_nantong = person("city", period) == City.nantong
        return (in_nantong * person("returnee", period) * (person("nt_returnee_purchase_subsidy_base", period) > 0)
                * person("has_purchase", period) * person("self_occupied", period))


class nt_returnee_purchase_subsidy(Variable):
    value_type = int
    entity = Person
    label = "南通归国人才购房补贴（分）"
    definition_period = MONTH

    def formula_2025_08_25(person, period, parameters):
        eligible = person("nt_returnee_purchase_subsidy_eligible", period)
        return where(eligible, person("nt_returnee_purchase_subsidy_base", period), 0)


FORMULAS = [
    age,
    sy_living_subsidy_graduate_base, sy_living_subsidy_graduate_eligible, sy_living_subsidy_graduate,
    sy_living_subsidy_graduate_total,
    sy_living_subsidy_skilled_base, sy_living_subsidy_skilled_eligible, sy_living_subsidy_skilled,
    sy_living_subsidy_skilled_total,
    sy_rent_subsidy_area_cap, sy_rent_subsidy_eligible, sy_rent_subsidy,
    sy_purchase_subsidy_graduate_deadline, sy_purchase_subsidy_graduate_base,
    sy_purchase_subsidy_graduate_eligible, sy_purchase_subsidy_graduate,
    sy_purchase_subsidy_skilled_base, sy_purchase_subsidy_skilled_eligible, sy_purchase_subsidy_skilled,
    sy_purchase_subsidy_high_level_base, sy_purchase_subsidy_high_level_eligible, sy_purchase_subsidy_high_level,
    nt_returnee_purchase_subsidy_base, nt_returnee_purchase_subsidy_eligible, nt_returnee_purchase_subsidy,
]

# Per catalog policy id: the variables a benchmark calculates (eligibility, amount in fen, total if bounded).
OUTPUTS: dict[str, tuple[str, ...]] = {
    "sy-living-subsidy-graduate": ("sy_living_subsidy_graduate_eligible", "sy_living_subsidy_graduate",
                                   "sy_living_subsidy_graduate_total"),
    "sy-living-subsidy-skilled": ("sy_living_subsidy_skilled_eligible", "sy_living_subsidy_skilled",
                                  "sy_living_subsidy_skilled_total"),
    "sy-rent-subsidy": ("sy_rent_subsidy_eligible", "sy_rent_subsidy"),
    "sy-purchase-subsidy-graduate": ("sy_purchase_subsidy_graduate_eligible", "sy_purchase_subsidy_graduate"),
    "sy-purchase-subsidy-skilled": ("sy_purchase_subsidy_skilled_eligible", "sy_purchase_subsidy_skilled"),
    "sy-purchase-subsidy-high-level": ("sy_purchase_subsidy_high_level_eligible",
                                       "sy_purchase_subsidy_high_level"),
    "nt-returnee-purchase-subsidy": ("nt_returnee_purchase_subsidy_eligible", "nt_returnee_purchase_subsidy"),
}


class TalentSubsidies(TaxBenefitSystem):
    """The subset of Shenyang's and Nantong's talent subsidies, as an OpenFisca country package would be."""

    def __init__(self) -> None:
        super().__init__([Person])
        self.add_variables(*INPUTS, *FORMULAS)
        self.parameters = ParameterNode("", data=PARAMETERS)


# -- simulations -----------------------------------------------------------------------------------------


def month_of(as_of) -> str:
    assert as_of.day == 1, "the OpenFisca model evaluates on the first day of a month"
    return f"{as_of.year:04d}-{as_of.month:02d}"


def build_simulation(tax_benefit_system: TaxBenefitSystem, arrays, as_of):
    """A simulation over a whole population from arrays (population.SubsetArrays), the documented way for
    data: create the entities, declare the persons, build, then ``set_input`` every input variable."""
    builder = SimulationBuilder()
    builder.create_entities(tax_benefit_system)
    builder.declare_person_entity("person", numpy.arange(len(arrays)))
    simulation = builder.build(tax_benefit_system)
    month = month_of(as_of)
    for variable in INPUTS:
        name = variable.__name__
        values = getattr(arrays, name)
        period = "ETERNITY" if variable.definition_period == ETERNITY else month
        simulation.set_input(name, period, values)
    return simulation


def calculate(simulation, as_of) -> dict[str, dict[str, numpy.ndarray]]:
    """Every output variable of the subset for the population: {policy id: {variable: array}}."""
    month = month_of(as_of)
    return {pid: {name: simulation.calculate(name, month) for name in names} for pid, names in OUTPUTS.items()}


RENT_INPUTS = {"monthly_rent", "rent_area"}
PURCHASE_INPUTS = {"purchase_date", "first_home", "self_occupied"}
ENUM_INPUTS = {"city": City, "degree": Degree, "talent_category": TalentCategory,
               "professional_title": ProfessionalTitle, "skill_level": SkillLevel}


def situation(arrays, index: int, as_of) -> dict:
    """One person's situation as OpenFisca's JSON test-case format ({"persons": {id: {variable: {period:
    value}}}}), from row `index` of the arrays; an undeclared category is left out (its default)."""
    month = month_of(as_of)
    person: dict[str, dict] = {}
    for variable in INPUTS:
        name = variable.__name__
        value = getattr(arrays, name)[index]
        if (name in RENT_INPUTS and not arrays.renting[index]) or (
                name in PURCHASE_INPUTS and not arrays.has_purchase[index]):
            continue  # as in the profile: no rent without renting, no purchase details without a purchase
        if name in ENUM_INPUTS:
            if value == 0:
                continue
            value = list(ENUM_INPUTS[name])[int(value)].name
        elif isinstance(value, numpy.datetime64):
            value = str(value)
        else:
            value = value.item()
        period = "ETERNITY" if variable.definition_period == ETERNITY else month
        person[name] = {period: value}
    return {"persons": {"talent": person}}
