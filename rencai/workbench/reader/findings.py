"""What a sentence of a policy text says, as typed findings: each with its kind, value, unit and period, the
reading of its boundary (《民法典》第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外
exclude it), its [start, end) offsets in the whole text and its words.

Patterns find numbers with their units; a small lexicon of the catalog's groups (学历, 人才类别, 技能等级, 荣誉,
职称, 工作站 …) names the field and value each word stands for (rencai/policies/fields.py); jieba's segmentation
tells a word from a character inside another word (等 in 等级)."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from dataclasses import field as dc_field

from rencai.policies.fields import VALUE_LABELS

from .numerals import parse_number, plain, yuan_words
from .text import Sentence

NUM = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"


@dataclass
class Finding:
    # amount, area, percent, group, flag (a yes/no fact), threshold, duration, window, place, exclusive, manual
    kind: str
    start: int
    end: int
    words: str
    value: object = None  # Decimal (yuan, ㎡, months, years, a fraction for %), a group's value, a place's code
    unit: str = ""
    period: str = ""  # amounts: monthly, yearly, one_time, "" (not said)
    cap: bool = False  # 最高 / 上限 / 不超过: the amount is an upper limit
    field: str = ""  # the profile field a group or threshold is about (rencai/policies/fields.py)
    op: str = ""  # thresholds: >=, <=, <, >
    reading: str = ""  # in plain Chinese, e.g. "35周岁以下：含35周岁"
    extra: dict = dc_field(default_factory=dict)

    @property
    def anchor(self) -> str:
        return f"f{self.start}-{self.end}"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


KIND_LABELS = {
    "amount": "金额", "area": "面积", "percent": "比例", "group": "对象", "flag": "条件", "threshold": "界限",
    "duration": "期限", "window": "时间窗口", "place": "地点", "exclusive": "不可兼得", "manual": "一人一议",
}
PERIOD_LABELS = {"monthly": "每月", "yearly": "每年", "one_time": "一次性", "": "发放方式未写明"}

# -- segmentation ---------------------------------------------------------------------------------------

_lock = threading.Lock()
_jieba = None
# Words a policy text uses that jieba's dictionary cuts apart or glues to their neighbours.
POLICY_WORDS = ("不可兼得", "一人一议", "一事一议", "符合条件", "原则上", "高级技师", "特级技师", "高级工", "技术能手",
                "中华技能大奖", "辽宁工匠", "首套住房", "首次购房", "生活补贴", "购房补贴", "房租补贴", "轮候补贴",
                "博士后", "周岁", "以上", "以下", "以内", "不满", "超过", "届满", "以外")


def segmenter():
    """jieba's tokenizer, its dictionary loaded once per process (as rencai/matching/tokenizer.py does), with
    the policy words above; a tokenizer of its own, so that the matching's words stay as they are."""
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                from rencai.matching.tokenizer import jieba_with

                _jieba = jieba_with(POLICY_WORDS)
    return _jieba


def words(text: str) -> list[tuple[str, int, int]]:
    """(word, start, end) of every word of ``text``, by jieba's accurate mode."""
    return [(w, s, e) for w, s, e in segmenter().tokenize(text)]


def standalone(text: str, start: int, end: int, cut: list[tuple[str, int, int]] | None = None) -> bool:
    """Whether text[start:end] is a word of its own in jieba's segmentation (not a piece of 等级, 一定要 …)."""
    for _word, s, e in cut if cut is not None else words(text):
        if s == start and e == end:
            return True
    return False


# -- the lexicon of groups ------------------------------------------------------------------------------

# (pattern, field, value); the first pattern to match at a place wins, so longer words come first. A value
# of None marks words that look like a group but are not one (创新创业团队 is neither kind alone).
GROUPS: list[tuple[str, str, object]] = [
    ("博士后科研工作站", "organization.new_stations", "postdoc_workstation"),
    ("(?:省级)?博士后创新实践基地", "organization.new_stations", "postdoc_practice_base"),
    ("国家级高技能人才培训基地", "organization.new_stations", "skill_training_base_national"),
    ("国家级技能大师工作室", "organization.new_stations", "skill_master_studio_national"),
    ("省级技能大师工作站", "organization.new_stations", "skill_master_station_provincial"),
    ("院士工作站", "organization.new_stations", "academician_workstation"),
    ("博士后", "degree", "doctor"),
    ("博士", "degree", "doctor"),
    ("硕士", "degree", "master"),
    ("本科", "degree", "bachelor"),
    ("大专|专科", "degree", "junior_college"),
    ("高级技师", "skill_level", "senior_technician"),
    ("特级技师", "skill_level", "special_technician"),
    ("技师", "skill_level", "technician"),
    ("高级工(?!程|作|业)", "skill_level", "senior_worker"),
    ("全国技术能手", "honors", "national_technical_expert"),
    ("中华技能大奖", "honors", "china_skills_award"),
    ("辽宁工匠", "honors", "liaoning_craftsman"),
    ("高精尖优才奖励", "honors", "top_talent_award"),
    ("正高级(?:职称)?", "professional_title", "senior"),
    ("副高级(?:职称)?", "professional_title", "associate_senior"),
    ("中级职称", "professional_title", "intermediate"),
    ("初级职称", "professional_title", "junior"),
    ("(?<![A-Za-z])[A-D]类", "talent_category", None),  # the letter is the value
    # Words that stand for several values at once (a heading "高校毕业生:" is no group: see _groups).
    ("高校毕业生", "degree", ("junior_college", "bachelor", "master", "doctor")),
    ("创业引导培训", "certified_training", "startup_guidance"),
    ("创业指导培训", "certified_training", "startup_coaching"),
    ("创新创业团队", "", None),
    ("创业类", "team.kind", "startup"),
    ("创新类", "team.kind", "innovation"),
    ("创新团队", "team.kind", "innovation"),
    ("创业团队", "team.kind", "startup"),
    ("主导产业", "organization.industry_field", "leading"),
    ("新兴产业", "organization.industry_field", "emerging"),
    ("企业职工", "employment.employer_type", "enterprise"),
    ("创业者|自主创业", "employment.employer_type", "self_employed"),
]
# Yes/no facts of the profile a sentence states (the catalog tests them bare: ``returnee``).
FLAGS: list[tuple[str, str]] = [
    ("留学回国人员|留学归国人员|留学归国|归国留学|归国人才|留学人员|海归", "returnee"),
    ("首套住房|首套购房|首次购房", "purchase.first_home"),
    ("购房自住", "purchase.self_occupied"),
]
_GROUP_RE = re.compile("|".join(f"(?P<g{i}>{p})" for i, (p, _f, _v) in enumerate(GROUPS)))
_FLAG_RE = re.compile("|".join(f"(?P<f{i}>{p})" for i, (p, _f) in enumerate(FLAGS)))

# -- numbers with units ---------------------------------------------------------------------------------

_AMOUNT = re.compile(rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元)(?P<per>\s*/\s*(?:人\s*/\s*)?(?:月|年))?")
_AREA = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*(?:㎡|平方米|平米)")
_PERCENT = re.compile(r"(?P<num>\d+(?:\.\d+)?)\s*[%％]|百分之(?P<cn>[零〇一二两三四五六七八九十百]+)")
_PERIOD = re.compile(r"每人每月|每月|按月|月均|每人每年|每年|按年|年均|一次性")
_CAP = re.compile(r"最高|上限|封顶|最多|至多|不超过|不高于")
_FLOOR = re.compile(r"不少于|不低于|最低|至少")
PRE_OPS = {"不少于": ">=", "不低于": ">=", "年满": ">=", "届满": ">=", "满": ">=", "不超过": "<=", "不高于": "<=",
           "不足": "<", "不满": "<", "未满": "<", "低于": "<", "少于": "<", "超过": ">", "高于": ">", "多于": ">"}
POST_OPS = {"及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "内": "<=", "以外": ">"}
_THRESHOLD = re.compile(
    rf"(?P<pre>不少于|不低于|不超过|不高于|不足|不满|未满|年满|届满|超过|低于|高于|少于|多于)?\s*(?P<num>{NUM})\s*"
    r"(?P<unit>周岁|岁|万元|元|万人|人|名|家|个月|个|场|项|次|年|倍)"
    r"(?P<post>及以上|及以下|以上|以下|以内|以外|内(?![容部外地涵]))?")
_DURATION = re.compile(
    rf"(?P<pre>最长|最多|不超过|期限为?|为期|连续|延长)?(?:发放|享受|补贴|支付|给予)?\s*(?P<num>{NUM})\s*(?P<unit>年|个月)(?P<post>以内|内(?![容部外地涵]))?")
_PLACE = re.compile(r"沈阳|在沈|来沈|留沈|南通|来通|在通|郑州|来郑|辽宁|来辽|我省|全省|本省|省内外|我市|本市|全市")
_EXCLUSIVE = re.compile(r"不可兼得|不得兼得|不能兼得|不可同时享受|不得同时享受|不重复享受|不得重复享受|不可重复享受|"
                        r"择一享受|就高不重复")
_MANUAL = re.compile(r"一人一议|一事一议")
PLACE_CODES = {"沈": "210100", "南通": "320600", "通": "320600", "郑": "410100", "辽": "210000", "省": "210000"}

# 《民法典》第一千二百五十九条: 以上、以下、以内、届满 include the number; 不满、超过、以外 exclude it.
RULE_1259 = "《民法典》第一千二百五十九条：“以上”“以下”“以内”“届满”包括本数，“不满”“超过”“以外”不包括本数"


def reading(op: str, number: str, unit: str) -> str:
    """What a boundary includes, in plain Chinese: 含35周岁 / 不含35周岁."""
    amount = f"{number}{unit}"
    return {">=": f"含{amount}（{amount}及以上）", "<=": f"含{amount}（{amount}及以下）",
            "<": f"不含{amount}（低于{amount}）", ">": f"不含{amount}（高于{amount}）"}[op]


def group_label(name: str, value: object) -> str:
    if value is True:
        from rencai.policies.fields import ALL_FIELDS

        return ALL_FIELDS[name].label if name in ALL_FIELDS else name
    return VALUE_LABELS.get(name, {}).get(str(value), str(value))


def _year_like(num: str, unit: str) -> bool:
    return unit == "年" and num.isdigit() and len(num) == 4


def find_all(text: str, sentence: Sentence | None = None) -> list[Finding]:
    """Every finding of a sentence (or of the whole ``text`` when ``sentence`` is None), by start."""
    base = sentence.start if sentence else 0
    part = sentence.text if sentence else text
    found: list[Finding] = []
    found += _amounts(part, base)
    for m in _AREA.finditer(part):
        found.append(Finding("area", base + m.start(), base + m.end(), m.group(), parse_number(m["num"]), "㎡"))
    for m in _PERCENT.finditer(part):
        number = parse_number(m["num"] or m["cn"])
        if number is not None:
            found.append(Finding("percent", base + m.start(), base + m.end(), m.group(), number / 100, "%",
                                 reading=f"{plain(number)}%"))
    found += _groups(part, base)
    found += _thresholds(part, base)
    found += _durations(part, base, found)
    for m in _PLACE.finditer(part):
        code = next((c for key, c in PLACE_CODES.items() if key in m.group()), None)
        found.append(Finding("place", base + m.start(), base + m.end(), m.group(), code))
    for m in _EXCLUSIVE.finditer(part):
        found.append(Finding("exclusive", base + m.start(), base + m.end(), m.group(),
                             reading="同一人只能享受其中一项"))
    for m in _MANUAL.finditer(part):
        found.append(Finding("manual", base + m.start(), base + m.end(), m.group(),
                             reading="金额或待遇个别商定，文件未给出数额"))
    found.sort(key=lambda f: (f.start, -f.end))
    return found


def _amounts(part: str, base: int) -> list[Finding]:
    found: list[Finding] = []
    previous_end, period, cap = 0, "", False
    for m in _AMOUNT.finditer(part):
        number = parse_number(m["num"])
        if number is None:
            continue
        value = number * {"元": 1, "万元": 10000, "亿元": 100000000}[m["unit"]]
        gap = part[previous_end:m.start()]
        after = (m["per"] or "").replace(" ", "")
        periods = _PERIOD.findall(gap)
        if after:
            this_period = "monthly" if after.endswith("月") else "yearly"
        elif periods:
            last = periods[-1]
            this_period = "one_time" if last == "一次性" else "monthly" if "月" in last else "yearly"
        else:
            this_period = period  # 给予一次性购房补贴，…10万元、…30万元: the period carries to the next amounts
        this_cap = bool(_CAP.search(gap)) or cap
        floor = bool(_FLOOR.search(gap[-6:]))
        f = Finding("amount", base + m.start(), base + m.end(), m.group(), value, "元", this_period, this_cap and not
                    floor)
        f.reading = _amount_reading(f, floor)
        if floor:
            f.op = ">="
        found.append(f)
        previous_end, period, cap = m.end(), this_period, this_cap
    return found


def _amount_reading(f: Finding, floor: bool) -> str:
    text = f"{PERIOD_LABELS[f.period] if f.period else ''}{yuan_words(f.value)}"
    if f.cap:
        text = f"最高{text}（上限，非定额）"
    if floor:
        text = f"不少于{yuan_words(f.value)}（下限，含本数）"
    if not f.period:
        text += "；发放方式（每月或一次性）未写明"
    return text


def _groups(part: str, base: int) -> list[Finding]:
    found = []
    for m in _GROUP_RE.finditer(part):
        index = int(m.lastgroup[1:])
        _pattern, name, value = GROUPS[index]
        if not name:
            continue
        if value is None and name == "talent_category":
            value = m.group()[0]
        if isinstance(value, tuple):
            if part[m.end():m.end() + 1] in (":", "："):
                continue  # a heading: 高校毕业生:对符合条件的，本科毕业生…
            found += [Finding("group", base + m.start(), base + m.end(), m.group(), v, field=name,
                              reading=f"{m.group()}（{group_label(name, v)}）") for v in value]
            continue
        found.append(Finding("group", base + m.start(), base + m.end(), m.group(), value, field=name,
                             reading=group_label(name, value)))
    for m in _FLAG_RE.finditer(part):
        name = FLAGS[int(m.lastgroup[1:])][1]
        found.append(Finding("flag", base + m.start(), base + m.end(), m.group(), True, field=name,
                             reading=group_label(name, True)))
    return found


def _thresholds(part: str, base: int) -> list[Finding]:
    found = []
    for m in _THRESHOLD.finditer(part):
        pre, post, num, unit = m["pre"], m["post"], m["num"], m["unit"]
        if _year_like(num, unit):
            continue
        before = part[max(0, m.start() - 2):m.start()]
        if not pre and before.endswith("满") and unit in ("周岁", "岁", "年"):
            pre = "满"
        if not (pre or post):
            continue
        if unit in ("年", "个月") and not before.endswith("毕业") and (post in ("内", "以内") or not pre):
            continue  # a duration (最长三年, 三年内): see _durations
        number = parse_number(num)
        if number is None:
            continue
        op = PRE_OPS[pre] if pre else POST_OPS[post]
        if unit in ("周岁", "岁"):
            name = "age"
        elif before.endswith("毕业") and unit in ("年", "个月"):
            name = "graduation_years" if unit == "年" else "graduation_months"
        else:
            name = ""
        start = m.start() - (1 if pre == "满" and not m["pre"] else 0)
        words = part[start:m.end()].strip()
        f = Finding("window" if name.startswith("graduation") else "threshold", base + start, base + m.end(),
                    words, number, unit, field=name, op=op)
        f.reading = f"{words}：{reading(op, plain(number), unit)}"
        if name.startswith("graduation"):
            f.reading = (f"毕业{words}：自毕业之日起，{reading(op, plain(number), unit)}"
                         f"（截至毕业满{plain(number)}{unit}当日）")
        if pre and post:
            f.extra["double"] = True  # 超过…以上: two boundary words for one number
        found.append(f)
    return found


def _durations(part: str, base: int, so_far: list[Finding]) -> list[Finding]:
    found = []
    windows = [(f.start - base, f.end - base) for f in so_far if f.kind == "window"]
    for m in _DURATION.finditer(part):
        pre, post, num, unit = m["pre"], m["post"], m["num"], m["unit"]
        if _year_like(num, unit) or not (pre or post):
            continue
        if any(s <= m.start("num") < e for s, e in windows):
            continue
        if part[m.end():m.end() + 2] in ("行动", "计划", "规划") or part[max(0, m.start() - 1):m.start()] == "近":
            continue
        number = parse_number(num)
        if number is None or number == 0:
            continue
        months = number * 12 if unit == "年" else number
        f = Finding("duration", base + m.start(), base + m.end(), m.group().strip(), months, "个月",
                    cap=pre in ("最长", "最多", "不超过"))
        f.reading = f"{f.words}：{plain(months)}个月" + ("（上限）" if f.cap else "") + "；起算日未写明"
        found.append(f)
    return found
