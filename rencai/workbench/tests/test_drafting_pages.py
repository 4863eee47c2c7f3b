"""起草辅助 and 歧义检查 pages: an officer pastes or uploads a text (.txt, a real .docx, a real PDF with a text
layer) and sees the findings, their readings and the proposals with each value linked to its words, the
catalog's rule beside a sentence it encodes, and starts a draft revision from a proposal; a PDF without a text
layer, a wrong file type, an empty or too large text are refused in Chinese with a 4xx; a non-officer gets 403."""

import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.policies.documents import document_text

pytestmark = pytest.mark.django_db

GRADUATE = "高校毕业生:对符合条件的,本科毕业生每月600元、硕士毕业生每月1200元、博士毕业生每月2500元,发放期限最长三年。"
NEW_TEXT = "对新引进的全日制博士研究生，给予每人每月3000元生活补贴，最长发放三年；40周岁以下的硕士每月1500元。"


@pytest.fixture
def drafter(make_user):
    """A policy officer (staff given workbench.edit_rules)."""
    user = make_user("drafter", Role.STAFF, "210100")
    user.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    return User.objects.get(pk=user.pk)


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.setFont("STSong-Light", 11)
    for i, line in enumerate(lines):
        page.drawString(40, 800 - 20 * i, line)
    page.save()
    return out.getvalue()


def _pdf_without_text() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.rect(40, 700, 300, 80, fill=1)  # a drawing, as a scan is a picture: no text layer
    page.save()
    return out.getvalue()


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def _visible(html: str) -> str:
    """What a reader sees before opening anything: folded parts (the rule text in the catalog's own language,
    an editor) left out."""
    return _text(re.sub(r"<details.*?</details>|<textarea.*?</textarea>", "", html, flags=re.S))


def test_pasted_text_shows_findings_readings_and_linked_proposals(drafter, client):
    client.force_login(drafter)
    response = client.post(reverse("workbench:drafting"), {"text": GRADUATE + "\n" + NEW_TEXT})
    html = response.content.decode()
    assert response.status_code == 200
    # the words are marked in place, each with its anchor; the proposal's values link to them
    amount = re.search(r'<mark id="(f\d+-\d+)" class="k-amount"[^>]*>1200元</mark>', html)
    assert amount and f'href="#{amount[1]}">1200元</a>' in html
    assert "40周岁以下：含40周岁" in html and "最长三年" in html
    assert 'degree == &quot;master&quot; and age &lt;= 40' in html  # the row the new text proposes
    assert "规则文本已用政策目录的加载器检查，可以载入" in html
    # the graduate subsidy's sentence is the catalog's: shown beside it, item by item
    assert "与政策目录对照：高校毕业生生活补贴" in html
    assert "sy-living-subsidy-graduate" not in _visible(html) and "degree" not in _visible(html)
    assert "规则文本并排" in html


def test_a_seed_document_by_its_title_and_the_comparison_page(drafter, client):
    client.force_login(drafter)
    html = client.get(reverse("workbench:drafting"), {"document": "004"}).content.decode()
    assert "的答复报告" in html and "004_7b8a2565d53e5b61" not in _visible(html)
    compare = client.get(reverse("workbench:drafting_compare"), {"document": "004"}).content.decode()
    assert "高技能人才一次性购房补贴" in compare and "一致" in compare
    assert client.get(reverse("workbench:drafting"), {"document": "999"}).status_code == 404


def test_upload_a_real_docx_and_a_pdf_with_a_text_layer(drafter, client):
    client.force_login(drafter)
    upload = SimpleUploadedFile("政策.docx", _docx(["关于人才生活补贴的通知", NEW_TEXT]))
    html = client.post(reverse("workbench:drafting"), {"file": upload}).content.decode()
    assert "每人每月3000元" in _text(html) and "40周岁以下：含40周岁" in html
    lines = ["对新引进的全日制博士研究生，给予每人每月3000元生活补贴，", "最长发放三年。"]
    pdf = SimpleUploadedFile("政策.pdf", _pdf(lines))
    html = client.post(reverse("workbench:drafting"), {"file": pdf}).content.decode()
    assert "3000元" in html and "36个月" in html


@pytest.mark.parametrize(("name", "content", "status", "words"), [
    ("扫描件.pdf", "scan", 400, "没有文字层"),
    ("政策.exe", b"MZ\x90\x00", 400, "只接受"),
    ("政策.docx", b"not a zip", 400, "Word"),
    ("空白.txt", b"   \n", 400, "内容为空"),
])
def test_bad_uploads_are_refused_in_chinese(drafter, client, name, content, status, words):
    client.force_login(drafter)
    data = _pdf_without_text() if content == "scan" else content
    response = client.post(reverse("workbench:drafting"), {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == status and words in response.content.decode()


def test_empty_and_too_long_text(drafter, client, settings):
    client.force_login(drafter)
    empty = client.post(reverse("workbench:drafting"), {"text": "  "})
    assert empty.status_code == 400 and "内容为空" in empty.content.decode()
    too_long = client.post(reverse("workbench:ambiguity"), {"text": "补" * 200_001})
    assert too_long.status_code == 413 and "超过上限" in too_long.content.decode()
    settings.RENCAI_MAX_UPLOAD_BYTES = 1000
    big = client.post(reverse("workbench:drafting"), {"file": SimpleUploadedFile("大.txt", "补".encode() * 1000)})
    assert big.status_code == 413 and "超过上限" in big.content.decode()


@pytest.mark.parametrize("name", ["workbench:drafting", "workbench:drafting_compare", "workbench:ambiguity",
                                  "workbench:ambiguity_example"])
def test_only_officers(make_user, client, name):
    client.force_login(make_user("plain_staff", Role.STAFF, "210100"))
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse("workbench:drafting_start"), {"file": "sy-x.yaml", "text": "id: x"}).status_code == 403
    client.logout()
    assert client.get(reverse(name)).status_code == 302  # to the login page


def test_start_a_draft_revision_from_a_proposal(drafter, client):
    from rencai.workbench.drafting import read_text
    from rencai.workbench.models import RuleRevision

    read = read_text(document_text("004"))
    proposal = next(s.draft for s in read["sentences"] if s.draft and "本科毕业生每月600元" in s.sentence.text)
    client.force_login(drafter)
    response = client.post(reverse("workbench:drafting_start"), {"file": proposal["file"], "text": proposal["yaml"],
                                                                  "note": "按起草辅助的建议"})
    revision = RuleRevision.objects.get()
    assert response.status_code == 302 and revision.file == proposal["file"] and revision.state == "draft"
    assert revision.created_by == drafter and "本科毕业生每月600元" in revision.text
    broken = client.post(reverse("workbench:drafting_start"), {"file": proposal["file"], "text": "id: [",
                                                                "note": ""})
    assert broken.status_code == 422 and "第" in broken.content.decode()
    assert RuleRevision.objects.count() == 1


def test_ambiguity_pages(drafter, client):
    client.force_login(drafter)
    text = "对于留用率较高的见习单位，给予一定的资金补贴。对符合条件的人才原则上给予5万元奖励。"
    html = client.post(reverse("workbench:ambiguity"), {"text": text}).content.decode()
    for words in ("较高", "一定", "符合条件的", "原则上", "5万元"):
        assert f"<strong>{words}</strong>" in html
    assert "明确的写法" in html
    example = client.get(reverse("workbench:ambiguity_example")).content.decode()
    assert "辽宁省人才服务全面振兴三年行动计划" in example and ".txt" not in _text(example)
