"""歧义检查 (issue 13): the words and constructions that leave a rule unclear, each with its sentence, why it is
unclear and what a precise wording would state.

001 asks for it: "政策条文也要表述得再明白些、具体些、严密些,尽量不要用容易产生歧义的词语或者是语句". The checks:
vague words (左右, 一定, 符合条件的, 相应, 原则上, 等, 较高, 酌情, 择优 …), 最高 without a basis for the amount
below it, thresholds whose boundary reading is unclear (岁 rather than 周岁, a range N至M, two boundary words),
amounts without a period, and durations without a start. Noise is kept down with jieba's segmentation (等 only
as a word of its own, never in 等级/等同; 一定 not in 一定要) and by checking only sentences that grant,
require or pay something."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .findings import find_all, words
from .text import Sentence, sentences

# A sentence that grants, requires or pays something: the only ones a vague word can make unclear as a rule.
RULE_SENTENCE = re.compile(r"给予|享受|补贴|资助|奖励|可申请|申报|发放|认定|纳入|符合|条件|不得|应当|须|支持")


@dataclass(frozen=True)
class Flag:
    sentence: Sentence
    start: int  # offsets in the whole text
    end: int
    words: str
    kind: str  # a short Chinese label
    why: str
    precise: str

    @property
    def anchor(self) -> str:
        return f"a{self.start}-{self.end}"


# word → (label, why, what a precise wording states); matched as jieba words of their own where ``word`` is set.
VAGUE: dict[str, tuple[str, str, str]] = {
    "左右": ("约数", "“左右”只给出约数，名额或金额的上下限不明，无法据此判断是否超额",
           "写明确切数字或上下限，如“不超过100名”“每人20万元”"),
    "一定": ("数额未定", "“一定的”未给出数额或标准，经办部门无据可依，申请人无法预期",
           "写明金额或计算标准，如“按留用人数每人给予X元”"),
    "相应": ("所指不明", "“相应”未写明对应哪一档标准或哪一条规定",
           "写明对应关系，如“A类人才享受第X条规定的待遇”"),
    "原则上": ("例外不明", "“原则上”意味着可有例外，但未写明例外的情形与决定者",
            "删去“原则上”，或写明“有下列情形之一的，经……批准可以……”"),
    "等": ("列举未尽", "“等”使列举的范围不封闭，哪些也包括在内无法确定",
          "列全适用范围，或写明“包括但不限于……，其他情形由……认定”"),
    "酌情": ("裁量无据", "“酌情”未写明裁量的标准与幅度", "写明考虑的因素与数额范围"),
    "适当": ("裁量无据", "“适当”未写明标准与幅度", "写明具体标准或数额范围"),
    "择优": ("标准不明", "“择优”未写明评选标准、名额或排序办法", "写明评审标准、名额和排序办法，或引用评审细则的条款"),
}
COMPARATIVES = re.compile(r"(?:较高|较大|较多|较强|较好|显著)(?=[^，,。；;]{0,8}的)")
# Where a vague word changes what someone gets: the sentence grants or pays something.
GRANTS = re.compile(r"给予|享受|可申请|纳入|适用|补贴|资助|奖励")
QUALIFIED = re.compile(r"符合(?:相关|规定)?条件的")
AGE_RANGE = re.compile(r"\d+\s*(?:至|到|—|-|~|～)\s*\d+\s*(?:周岁|岁)")
START = re.compile(r"(?:自|从)[^，,。；;]{0,20}(?:起|开始)|之日起|次月起|当月起")
BASIS = re.compile(r"按|根据|依据|分档|层次|标准|评审|择优|分别|视|每多|每增加")
NOT_VAGUE_AFTER = {"一定": ("要", "能", "会", "是", "得", "可以")}


def check(text: str) -> list[Flag]:
    """Every flag of a text, in order."""
    found: list[Flag] = []
    for sentence in sentences(text):
        found += check_sentence(text, sentence)
    return found


def check_sentence(text: str, sentence: Sentence) -> list[Flag]:
    if not RULE_SENTENCE.search(sentence.text):
        return []
    base, part = sentence.start, sentence.text
    flags: list[Flag] = []

    def add(start: int, end: int, kind: str, why: str, precise: str) -> None:
        flags.append(Flag(sentence, base + start, base + end, part[start:end], kind, why, precise))

    findings = find_all(text, sentence)
    grants = bool(GRANTS.search(part)) or any(f.kind == "amount" for f in findings)
    cut = words(part) if grants else []
    for i, (word, start, end) in enumerate(cut):
        if word not in VAGUE:
            continue
        following = cut[i + 1][0] if i + 1 < len(cut) else ""
        if following in NOT_VAGUE_AFTER.get(word, ()):
            continue
        if word == "等" and _in_title(part, start):
            continue
        if word == "等" and (following in ("级", "同", "于", "待", "候") or part[start:start + 2] in ("等级", "等同")):
            continue
        if word == "一定" and not (following == "的" or part[max(0, start - 2):start] in ("给予", "提供", "享受")):
            continue
        kind, why, precise = VAGUE[word]
        add(start, end, kind, why, precise)
    for m in QUALIFIED.finditer(part):
        if not re.search(r"《[^》]+》第", part[max(0, m.start() - 30):m.end()]):
            add(m.start(), m.end(), "条件未写明", "“符合条件的”未在本句写明条件，也未指明条件所在的文件和条款",
                "列出条件（学历、年龄、在本市就业、社保缴纳等），或写明“符合《……》第X条规定条件的”")
    for m in COMPARATIVES.finditer(part):
        add(m.start(), m.end(), "比较无界", f"“{m.group()}”没有数值界限，达到多少才算{m.group()}无法判断",
            "写明数值界限并说明是否含本数，如“留用率达到50%以上（含50%）”")
    for m in AGE_RANGE.finditer(part):
        add(m.start(), m.end(), "区间界限不明", "年龄区间未写明两端是否包括本数",
            "写为“年满N周岁、不满M周岁”或“N周岁以上、M周岁以下（均含本数）”")
    periodless = [f for f in findings if f.kind == "amount" and not f.period and f.op != ">=" and not f.cap]
    if periodless and re.search(r"给予|补贴|奖励|资助|发放", part):
        first = periodless[0]
        named = "、".join(f.words for f in periodless)
        add(first.start - base, first.end - base, "发放方式不明",
            f"本句金额（{named}）未写明是一次性发放、按月还是按年发放",
            f"写为“一次性给予{first.words}”或“每月{first.words}，最长发放N个月”")
    capped = [f for f in findings if f.kind == "amount" and f.cap and "最高" in part[:f.start - base]]
    if capped and not BASIS.search(part):
        first = capped[0]
        named = "、".join(f.words for f in capped)
        add(first.start - base, first.end - base, "上限无依据",
            f"本句只给出上限（最高{named}），未写明低于上限时按什么确定具体数额",
            "写明分档标准（如按层次、评审结果）以及由谁确定具体数额")
    for f in findings:
        s, e = f.start - base, f.end - base
        if f.kind == "threshold" and f.field == "age" and "周岁" not in f.words:
            add(s, e, "年龄计法不明", f"“{f.words}”以“岁”表述，未写明按周岁计算（周岁自出生之日起算）",
                f"写为“{f.words.replace('岁', '周岁')}”，并按《民法典》第一千二百五十九条写明是否含本数")
        if f.kind == "threshold" and f.extra.get("double"):
            add(s, e, "界限重复", f"“{f.words}”同时用了两个界限词，是否含本数自相矛盾",
                "只用一个界限词：“以上/以下”（含本数）或“超过/不满”（不含本数）")
        if f.kind == "duration" and grants and not START.search(part):
            add(s, e, "起算日不明", f"“{f.words}”未写明从何时起算（认定之日、入职之日还是申请之日）",
                f"写明起算日，如“自认定次月起{f.words}”")
    flags.sort(key=lambda f: (f.start, f.end))
    return _distinct(flags)


def _in_title(part: str, at: int) -> bool:
    """Inside a document's title 《…》: its words are the title's, not the rule's."""
    return part.rfind("《", 0, at) > part.rfind("》", 0, at)


def _distinct(flags: list[Flag]) -> list[Flag]:
    seen, out = set(), []
    for flag in flags:
        key = (flag.start, flag.end, flag.kind)
        if key not in seen:
            seen.add(key)
            out.append(flag)
    return out


def highlighted(sentence: Sentence, flags: list[Flag]) -> list[tuple[str, Flag | None]]:
    """The sentence cut into (text, flag or None) pieces, for showing the flagged words marked."""
    pieces: list[tuple[str, Flag | None]] = []
    at = sentence.start
    for flag in sorted(flags, key=lambda f: f.start):
        if flag.start < at:
            continue
        pieces.append((sentence.text[at - sentence.start:flag.start - sentence.start], None))
        pieces.append((flag.words, flag))
        at = flag.end
    pieces.append((sentence.text[at - sentence.start:], None))
    return [(t, f) for t, f in pieces if t]


def report_markdown(documents: list[tuple[str, str]]) -> str:
    """The ambiguity report of (title, text) documents as Markdown: a table of counts, then per document each
    flagged sentence with its words in bold, why and what a precise wording would state."""
    lines = ["# 歧义检查：五份文件的示例报告", "",
             "由 `rencai ambiguity_report` 生成（rencai/workbench/reader/ambiguity.py）。每条列出原句（问题词语加粗）、"
             "为什么不清楚、以及明确的写法应当写明什么。界限词按《民法典》第一千二百五十九条理解：“以上”“以下”“以内”"
             "“届满”包括本数，“不满”“超过”“以外”不包括本数。", ""]
    results = [(title, check(text)) for title, text in documents]
    kinds = sorted({f.kind for _t, flags in results for f in flags})
    lines += ["| 文件 | 合计 | " + " | ".join(kinds) + " |", "| --- | --- | " + " | ".join("---" for _ in kinds) + " |"]
    for title, flags in results:
        counts = [sum(1 for f in flags if f.kind == k) for k in kinds]
        lines.append(f"| {title} | {len(flags)} | " + " | ".join(str(c) for c in counts) + " |")
    for title, flags in results:
        lines += ["", f"## {title}", ""]
        if not flags:
            lines.append("未发现问题。")
        by_sentence: dict[int, list[Flag]] = {}
        for flag in flags:
            by_sentence.setdefault(flag.sentence.index, []).append(flag)
        for group in by_sentence.values():
            sentence = group[0].sentence
            marked = "".join(f"**{t}**" if f else t for t, f in highlighted(sentence, group))
            lines += [f"> {marked}", ""]
            alike: dict[tuple[str, str], list[Flag]] = {}
            for flag in group:
                alike.setdefault((flag.words, flag.kind), []).append(flag)
            for (words_, kind), same in alike.items():
                times = f"，本句{len(same)}处" if len(same) > 1 else ""
                lines.append(f"- **{words_}**（{kind}{times}）：{same[0].why}。明确的写法：{same[0].precise}。")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"
