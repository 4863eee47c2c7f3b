"""The reader on real sentences of the five documents: amounts (Decimal yuan, per month / once / 最高), groups,
thresholds read per 《民法典》第一千二百五十九条 (以下/以上 include the number, 不满/超过 exclude it), Chinese
numerals, durations and graduation windows; and the draft rules it proposes, which load as catalog files."""

from decimal import Decimal

import pytest

from rencai.policies.documents import document_text
from rencai.policies.engine.catalog import load_catalog_texts
from rencai.workbench.reader import chinese_number, find_all, parse_number, propose, sentences
from rencai.workbench.reader.text import locate


def _sentence(key: str, words: str):
    text = document_text(key)
    start, _end = locate(text, words)
    sentence = next(s for s in sentences(text) if s.start <= start < s.end)
    return text, sentence


def _found(key: str, words: str, kind: str | None = None):
    text, sentence = _sentence(key, words)
    return [f for f in find_all(text, sentence) if kind is None or f.kind == kind]


@pytest.mark.parametrize(("text", "value"), [
    ("三", 3), ("五", 5), ("两", 2), ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("两千", 2000),
    ("三百六十", 360), ("年", None)])
def test_chinese_numerals(text, value):
    assert chinese_number(text) == value


def test_numbers_are_decimals():
    assert parse_number("1.5") == Decimal("1.5") and parse_number("1,200") == Decimal(1200)
    assert parse_number("三") == Decimal(3) and isinstance(parse_number("600"), Decimal)


def test_monthly_amounts_of_the_graduate_living_subsidy():
    amounts = _found("004", "本科毕业生每月600元", "amount")
    assert [(f.value, f.period, f.cap) for f in amounts] == [
        (Decimal(600), "monthly", False), (Decimal(1200), "monthly", False), (Decimal(2500), "monthly", False)]
    assert all(isinstance(f.value, Decimal) for f in amounts)
    duration = _found("004", "本科毕业生每月600元", "duration")
    assert [(f.words, f.value, f.cap) for f in duration] == [("最长三年", Decimal(36), True)]


def test_wan_yuan_once_and_per_month_after_the_amount():
    once = _found("004", "给予一次性购房补贴,55周岁以下高级技师10万元", "amount")
    assert [(f.value, f.period) for f in once] == [
        (Decimal(100000), "one_time"), (Decimal(300000), "one_time"), (Decimal(500000), "one_time")]
    per_month = _found("004", "免租补贴上限为A类人才5000元/月", "amount")
    assert [(f.value, f.period, f.cap) for f in per_month] == [
        (Decimal(5000), "monthly", True), (Decimal(3000), "monthly", True)]


def test_highest_is_a_cap_and_a_floor_is_not():
    loan = _found("002", "可享受最高10万元的财政贴息创业担保贷款", "amount")
    assert [(f.value, f.cap) for f in loan] == [(Decimal(100000), True), (Decimal(200000), True)]
    budget = _found("003", "每年安排不少于3000万元资金", "amount")[0]
    assert budget.value == Decimal(30000000) and budget.op == ">=" and not budget.cap
    assert "下限" in budget.reading


def test_decimal_wan_yuan():
    text = "对新引进的博士给予1.5万元安家补贴。"
    (amount,) = [f for f in find_all(text, sentences(text)[0]) if f.kind == "amount"]
    assert amount.value == Decimal(15000) and amount.words == "1.5万元"


def test_threshold_readings_per_article_1259():
    text = "年满18周岁、不满35周岁的本科毕业生，超过55周岁的除外；45周岁以下博士、60周岁以上专家另行规定。"
    found = [f for s in sentences(text) for f in find_all(text, s) if f.kind == "threshold"]
    readings = {f.words: (f.op, f.value) for f in found}
    assert readings == {"年满18周岁": (">=", 18), "不满35周岁": ("<", 35), "超过55周岁": (">", 55),
                        "45周岁以下": ("<=", 45), "60周岁以上": (">=", 60)}
    by_words = {f.words: f.reading for f in found}
    assert by_words["45周岁以下"].startswith("45周岁以下：含45周岁")
    assert by_words["不满35周岁"].startswith("不满35周岁：不含35周岁")
    assert by_words["超过55周岁"].startswith("超过55周岁：不含55周岁")


def test_age_thresholds_of_the_rent_subsidy_and_their_groups():
    found = _found("004", "45岁以下博士")
    ages = [(f.value, f.op) for f in found if f.kind == "threshold"]
    assert ages == [(Decimal(45), "<="), (Decimal(40), "<="), (Decimal(35), "<="), (Decimal(30), "<=")]
    groups = [(f.field, f.value) for f in found if f.kind == "group"]
    assert groups == [("talent_category", "D"), ("degree", "doctor"), ("degree", "master"), ("degree", "bachelor"),
                      ("degree", "junior_college")]
    assert [f.value for f in found if f.kind == "area"] == [Decimal(v) for v in (90, 75, 50, 40, 30)]


def test_graduation_window_in_chinese_numerals_includes_the_last_day():
    (window,) = _found("004", "对毕业五年内在我市就业创业首次购房的", "window")
    assert (window.field, window.op, window.value) == ("graduation_years", "<=", Decimal(5))
    assert "含5年" in window.reading
    (youth,) = _found("003", "应届或毕业两年内回国来通", "window")
    assert youth.value == Decimal(2)


def test_skill_levels_are_told_apart():
    found = _found("004", "高级工(国家三级)每月600元", "group")
    assert [f.value for f in found] == ["senior_worker", "technician", "senior_technician"]


def test_exclusivity_and_case_by_case():
    assert [f.words for f in _found("004", "自行选择人才公寓补贴或生活补贴,不可兼得", "exclusive")] == ["不可兼得"]
    assert [f.words for f in _found("004", "实行“一人一议”解决首套购房问题", "manual")] == ["一人一议"]


def test_a_year_is_no_duration():
    text = "《辽宁省人才服务全面振兴三年行动计划（2018—2020年）》提出，2022年起实施。"
    assert not [f for f in find_all(text, sentences(text)[0]) if f.kind in ("duration", "threshold")]


def test_sentences_keep_their_offsets():
    text = "第一句。第二句；\n第三句"
    items = sentences(text)
    assert [s.text for s in items] == ["第一句。", "第二句；", "第三句"]
    assert all(text[s.start:s.end] == s.text for s in items)


def _loads(proposal) -> None:
    load_catalog_texts({f"{proposal.policy_id}.yaml": proposal.yaml})


def test_proposal_of_the_graduate_living_subsidy():
    text, sentence = _sentence("004", "本科毕业生每月600元")
    proposal = propose(text, sentence, jurisdiction="210100", document="004_7b8a2565d53e5b61.txt")
    rows = [(r.when, r.value.value) for r in proposal.rows]
    assert rows == [('degree == "bachelor"', 600), ('degree == "master"', 1200), ('degree == "doctor"', 2500)]
    assert proposal.period == "monthly" and proposal.months.value == 36
    assert "monthly: subsidy" in proposal.yaml and "months: 36" in proposal.yaml
    _loads(proposal)


def test_proposal_pairs_respectively_and_keeps_case_by_case():
    text, sentence = _sentence("004", "B类、C类人才,分别给予150万元、100万元")
    proposal = propose(text, sentence)
    pairs = [(r.when, r.value.value if r.value else r.manual.words) for r in proposal.rows]
    assert pairs == [('talent_category == "A"', "一人一议"), ('talent_category == "B"', 1500000),
                     ('talent_category == "C"', 1000000)]
    assert any('"top_talent_award" in honors' == c.test for c in proposal.conditions)
    assert any("发放方式" in s for s in proposal.to_supply)  # 150万元 says neither monthly nor once
    _loads(proposal)


def test_proposal_with_age_and_cap():
    text, sentence = _sentence("004", "55周岁以下高级技师10万元")
    proposal = propose(text, sentence)
    assert proposal.rows[0].when == 'skill_level == "senior_technician" and age <= 55'
    assert ("age", "<=", Decimal(55)) in proposal.thresholds()
    _loads(proposal)
    text, sentence = _sentence("000", "对引进的创业团队,最高给予200万元奖励")
    capped = propose(text, sentence)
    assert capped.cap and "cap: true" in capped.yaml and capped.subject == "team"
    _loads(capped)


def test_tiers_without_a_group_are_left_to_the_officer():
    text, sentence = _sentence("004", "择优给予6万元、9万元、15万元、30万元奖励")
    proposal = propose(text, sentence)
    assert [r.value.value for r in proposal.rows] == [60000, 90000, 150000, 300000]
    assert all(r.when == "false" for r in proposal.rows)
    assert sum("适用于哪类对象" in s for s in proposal.to_supply) == 4
    _loads(proposal)


def test_a_number_the_text_does_not_give_is_never_invented():
    text, sentence = _sentence("003", "对于留用率较高的见习单位,给予一定的资金补贴")
    assert propose(text, sentence) is None
