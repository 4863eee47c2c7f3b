"""What each kind of feed carries: its columns (the file's or the push's headers, in Chinese), which column names
the subject (a person by 证件号码, an organization by 统一社会信用代码), which one the period, and how a fact's
value reads in Chinese.

A feed's file has one header row; the headers are these labels (or a listed alias, or the feed's own name for a
column: ``Feed.columns``). A file with a missing required column or an unknown one is refused whole, before
anything is written. Values are kept in a fact as JSON under the column keys: money in fen (an integer), dates
as ``YYYY-MM-DD``, choices as their codes, regions as their GB/T 2260 codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rencai.talents.enums import Degree, SkillLevel

from .enums import Cadence, FactKind, SubjectType

# Column types (validation.py reads each, vectorised).
ID, USCC, NAME, MONTH, YEAR, DATE, MONEY, DECIMAL, CHOICE, TEXT, REGION = (
    "id", "uscc", "name", "month", "year", "date", "money", "decimal", "choice", "text", "region")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    type: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()  # (code, label) pairs
    aliases: tuple[str, ...] = ()  # other headers departments use for this column
    default: str | None = None  # the code a blank cell means (choices only)
    max_length: int = 100

    @property
    def choice_words(self) -> dict[str, str]:
        """Every accepted spelling of a choice (its label, its code, the label without a parenthesis) → code."""
        words: dict[str, str] = {}
        for code, label in self.choices:
            for word in (code, label, label.split("（")[0], *_EXTRA_WORDS.get(code, ())):
                words.setdefault(word.strip().lower(), code)
        return words


_EXTRA_WORDS = {
    "paid": ("正常", "已缴费", "缴费"), "arrears": ("欠缴",), "stopped": ("停保", "暂停", "中断"),
    "residential": ("住房", "住宅用房"), "non_residential": ("商业", "办公", "商服"),
    "active": ("在业", "开业", "存续（在营、开业、在册）"), "cancelled": ("已注销",), "revoked": ("已吊销",),
    "hukou": ("户籍人口", "常住户口"), "permit": ("居住证持有人",),
    "junior_worker": ("五级", "初级工"), "intermediate_worker": ("四级", "中级工"),
    "senior_worker": ("三级", "高级工"), "technician": ("二级", "技师"),
    "senior_technician": ("一级", "高级技师"), "special_technician": ("特级技师",),
    "junior_college": ("大专", "专科（高职）"), "bachelor": ("大学本科", "学士"), "master": ("研究生", "硕士研究生"),
    "doctor": ("博士研究生",),
}

NAME_COLUMN = Column("name", "姓名", NAME, required=False, aliases=("人员姓名",), max_length=50)
ID_COLUMN = Column("id_number", "证件号码", ID, aliases=("身份证号码", "身份证号", "公民身份号码", "居民身份证号码"))
USCC_COLUMN = Column("uscc", "统一社会信用代码", USCC, aliases=("社会信用代码", "单位统一社会信用代码"))
ORG_NAME_COLUMN = Column("org_name", "单位名称", TEXT, required=False, aliases=("企业名称", "市场主体名称"),
                         max_length=200)
DEGREES = tuple((str(c), str(label)) for c, label in Degree.choices)
SKILL_LEVELS = (("junior_worker", "初级工（五级）"), ("intermediate_worker", "中级工（四级）"),
                *((str(c), str(label)) for c, label in SkillLevel.choices))


@dataclass(frozen=True)
class KindSpec:
    kind: FactKind
    subject: SubjectType
    period: str  # the key of the period column
    unit: str  # MONTH, YEAR or DATE: what a period is
    columns: tuple[Column, ...]
    cadence: Cadence = Cadence.MONTHLY
    department: str = ""  # the department that usually owns such a feed (for the standard feeds)
    note: str = ""
    value_keys: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        skip = {self.subject_column.key, self.period, "name"}
        object.__setattr__(self, "value_keys", tuple(sorted(c.key for c in self.columns if c.key not in skip)))

    @property
    def subject_column(self) -> Column:
        return self.columns[1] if self.subject == SubjectType.PERSON else self.columns[0]

    @property
    def period_column(self) -> Column:
        return self.column(self.period)

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


SPECS: dict[str, KindSpec] = {s.kind: s for s in [
    KindSpec(FactKind.SOCIAL_INSURANCE, SubjectType.PERSON, "month", MONTH, (
        NAME_COLUMN, ID_COLUMN,
        Column("month", "缴费月份", MONTH, aliases=("费款所属期", "所属月份")),
        Column("status", "缴费状态", CHOICE, required=False, default="paid",
               choices=(("paid", "正常缴费"), ("arrears", "欠费"), ("stopped", "暂停缴费"))),
        Column("employer_uscc", "参保单位统一社会信用代码", USCC, required=False),
        Column("district", "参保地", REGION, required=False, aliases=("参保地区划",)),
        Column("base", "缴费基数（元）", MONEY, required=False, aliases=("缴费基数",)),
    ), department="人力资源和社会保障局", note="每人每月一行；缴费状态空白视为正常缴费"),
    KindSpec(FactKind.INCOME_TAX, SubjectType.PERSON, "month", MONTH, (
        NAME_COLUMN, ID_COLUMN,
        Column("month", "税款所属期", MONTH, aliases=("所属期", "所属月份")),
        Column("withholder_uscc", "扣缴义务人统一社会信用代码", USCC, required=False),
        Column("income", "收入额（元）", MONEY, required=False, aliases=("收入额",)),
        Column("tax", "已缴税额（元）", MONEY, aliases=("已缴税额", "实缴税额")),
    ), department="税务局", note="每人每月一行"),
    KindSpec(FactKind.ENTERPRISE_TAX, SubjectType.ORGANIZATION, "year", YEAR, (
        USCC_COLUMN, ORG_NAME_COLUMN,
        Column("year", "纳税年度", YEAR, aliases=("所属年度",)),
        Column("tax", "纳税总额（元）", MONEY, aliases=("纳税总额", "实缴税额")),
    ), cadence=Cadence.YEARLY, department="税务局", note="每个单位每年一行"),
    KindSpec(FactKind.PROPERTY, SubjectType.PERSON, "date", DATE, (
        NAME_COLUMN, ID_COLUMN,
        Column("date", "登记日期", DATE, aliases=("登簿日期",)),
        Column("district", "房屋坐落区县", REGION, required=False, aliases=("坐落区县",)),
        Column("use", "房屋用途", CHOICE, required=False, default="residential",
               choices=(("residential", "住宅"), ("non_residential", "非住宅"))),
        Column("area", "建筑面积（平方米）", DECIMAL, required=False, aliases=("建筑面积",)),
    ), cadence=Cadence.MONTHLY, department="自然资源局", note="每次登记一行；房屋用途空白视为住宅"),
    KindSpec(FactKind.DEGREE, SubjectType.PERSON, "graduation_date", DATE, (
        NAME_COLUMN, ID_COLUMN,
        Column("degree", "学历", CHOICE, choices=DEGREES, aliases=("学历层次",)),
        Column("school", "毕业院校", TEXT, aliases=("院校名称",)),
        Column("graduation_date", "毕业日期", DATE),
        Column("country", "国家/地区", TEXT, required=False, max_length=50),
        Column("certificate", "认证编号", TEXT, required=False, aliases=("报告编号",), max_length=60),
    ), cadence=Cadence.ON_CHANGE, department="教育局", note="每个学历一行"),
    KindSpec(FactKind.RETURNEE, SubjectType.PERSON, "issued", DATE, (
        NAME_COLUMN, ID_COLUMN,
        Column("issued", "出具日期", DATE),
        Column("country", "留学国家/地区", TEXT, max_length=50),
        Column("degree", "所获学位", CHOICE, required=False, choices=DEGREES),
        Column("returned", "回国日期", DATE, required=False),
        Column("certificate", "证明编号", TEXT, required=False, max_length=60),
    ), cadence=Cadence.ON_CHANGE, department="留学服务中心", note="每份证明一行"),
    KindSpec(FactKind.BUSINESS, SubjectType.ORGANIZATION, "month", MONTH, (
        USCC_COLUMN, Column("org_name", "单位名称", TEXT, aliases=("企业名称", "市场主体名称"), max_length=200),
        Column("month", "数据月份", MONTH),
        Column("status", "登记状态", CHOICE,
               choices=(("active", "存续"), ("cancelled", "注销"), ("revoked", "吊销"))),
        Column("industry", "所属行业", TEXT, required=False, aliases=("行业",)),
        Column("district", "住所区县", REGION, required=False),
        Column("established", "成立日期", DATE, required=False),
    ), department="市场监督管理局", note="每月报送在册单位的状态，每个单位一行"),
    KindSpec(FactKind.RESIDENCE, SubjectType.PERSON, "month", MONTH, (
        NAME_COLUMN, ID_COLUMN,
        Column("month", "数据月份", MONTH),
        Column("type", "类别", CHOICE, choices=(("hukou", "户籍"), ("permit", "居住证"))),
        Column("district", "所在区县", REGION),
    ), department="公安局", note="每月报送一次，每人一行"),
    KindSpec(FactKind.SKILL, SubjectType.PERSON, "issued", DATE, (
        NAME_COLUMN, ID_COLUMN,
        Column("level", "技能等级", CHOICE, choices=SKILL_LEVELS, aliases=("职业技能等级",)),
        Column("occupation", "职业（工种）", TEXT, required=False, aliases=("职业", "工种")),
        Column("issued", "发证日期", DATE),
        Column("certificate", "证书编号", TEXT, required=False, max_length=60),
    ), cadence=Cadence.ON_CHANGE, department="人力资源和社会保障局", note="每张证书一行"),
]}


def spec_of(kind: str) -> KindSpec:
    return SPECS[kind]
