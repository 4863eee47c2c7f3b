"""歧义检查: the vague words and constructions are flagged with why and what a precise wording states; the same
characters inside other words (等级, 同等, 一定要) and sentences that grant nothing are not; the example report
names the documents by their titles."""

import pytest

from rencai.policies.documents import DOCUMENTS, document_text
from rencai.workbench.reader.ambiguity import check, report_markdown


def _kinds(text: str) -> dict[str, str]:
    return {f.words: f.kind for f in check(text)}


@pytest.mark.parametrize(("text", "words", "kind"), [
    ("重点引进100名左右高精尖外国专家,由省财政给予每人20万元资助。", "左右", "约数"),
    ("对于留用率较高的见习单位,给予一定的资金补贴。", "一定", "数额未定"),
    ("对于留用率较高的见习单位,给予一定的资金补贴。", "较高", "比较无界"),
    ("对符合条件的高校毕业生，给予每月600元生活补贴，最长三年。", "符合条件的", "条件未写明"),
    ("人才认定后可享受相应政策待遇。", "相应", "所指不明"),
    ("原则上给予每人5万元一次性奖励。", "原则上", "例外不明"),
    ("对引进的博士、博士后等人才给予每月2000元补贴，最长三年。", "等", "列举未尽"),
    ("对引进的创业团队,最高给予200万元奖励。", "200万元", "上限无依据"),
    ("35岁以下本科毕业生给予每月600元补贴，最长三年。", "35岁以下", "年龄计法不明"),
    ("对博士毕业生给予7万元购房补贴。", "7万元", "发放方式不明"),
    ("对硕士毕业生每月给予1200元生活补贴，发放期限最长三年。", "最长三年", "起算日不明"),
])
def test_flagged(text, words, kind):
    flags = [f for f in check(text) if f.words == words]
    assert [f.kind for f in flags] == [kind]
    assert flags[0].why and flags[0].precise and flags[0].sentence.text.startswith(text[:6])
    assert text[flags[0].start:flags[0].end] == words


@pytest.mark.parametrize("text", [
    "对技能等级达到高级工的人员给予每月600元生活补贴，自取得证书次月起最长发放三年。",
    "在同等条件下可优先推荐评选，给予一次性奖励5万元。",
    "各部门一定要落实好补贴政策。",
    "2022年全市新增高校毕业生等人才10万人。",  # grants nothing: a statistic
    "35周岁以下（含35周岁）的本科毕业生，每月给予600元补贴，自认定次月起最长发放36个月。",
])
def test_not_flagged(text):
    assert check(text) == [], [(f.words, f.kind) for f in check(text)]


def test_a_cap_with_a_basis_is_not_flagged():
    text = "每多增加1人,给予团队20万元资助,资助总额最高为100万元。"
    assert "上限无依据" not in _kinds(text).values()


def test_the_example_report_names_documents_by_title():
    report = report_markdown([(d.title, document_text(d.key)) for d in DOCUMENTS.values()])
    for document in DOCUMENTS.values():
        assert f"## {document.title}" in report and document.file not in report
    assert "**左右**" in report and "**一定**" in report and "明确的写法" in report


def test_the_committed_example_report_is_current():
    from pathlib import Path

    from django.conf import settings

    committed = (Path(settings.BASE_DIR) / "docs" / "ambiguity-report.md").read_text(encoding="utf-8")
    assert committed == report_markdown([(d.title, document_text(d.key)) for d in DOCUMENTS.values()]), \
        "请运行 rencai ambiguity_report 重新生成 docs/ambiguity-report.md"
