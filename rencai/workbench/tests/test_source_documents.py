"""依据文件 (issue 13): an officer stores a new policy text as a source document; 起草辅助's proposals then cite it,
a draft made from one is kept (its quote checked verbatim against the stored text, a quote not in it refused),
the document page shows it with the quote highlighted, a citation links to it. Officers only; the same text
twice is one document; bad input is refused in Chinese with a 4xx."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.core.errors import AppError, PermissionDenied
from rencai.policies.documents import BY_KEY, document_for, document_text
from rencai.workbench.models import RuleRevision, SourceDocument
from rencai.workbench.sources import source_document_add

pytestmark = pytest.mark.django_db

TEXT = ("关于进一步加强青年人才引进工作的通知\n"
        "一、对新引进的全日制博士研究生，给予每人每月3000元生活补贴，最长发放三年。\n"
        "二、40周岁以下的硕士研究生每月1500元。\n")
QUOTE = "对新引进的全日制博士研究生，给予每人每月3000元生活补贴，最长发放三年"


def _add(officer, text=TEXT, **fields):
    return source_document_add(actor=officer, text=text, **{"title": "关于进一步加强青年人才引进工作的通知",
                                                             "issuer": "某市人力资源和社会保障局",
                                                             "date": "2026年5月10日", **fields})


def _proposal(key: str) -> dict:
    from rencai.workbench.drafting import read_text

    read = read_text(document_text(key))
    return next(s.draft for s in read["sentences"] if s.draft and "3000元" in s.sentence.text)


def test_store_a_text_and_save_a_draft_citing_it(officer, client):
    from rencai.workbench.services import RuleError, rule_check

    client.force_login(officer)
    page = client.post(reverse("workbench:drafting"), {"text": TEXT}).content.decode()
    assert 'id="source-document-form"' in page and "999_0000000000000000.txt" in page  # the placeholder, for now
    response = client.post(reverse("workbench:source_document_add"), {
        "text": TEXT.replace("\n", "\r\n"), "title": " 关于进一步加强青年人才引进工作的通知 ",
        "issuer": "某市人力资源和社会保障局", "date": "2026年5月10日"})
    document = SourceDocument.objects.get()
    digest = hashlib.sha256(TEXT.encode()).hexdigest()
    assert response.status_code == 302 and response["Location"].endswith(f"?document={document.number}#result")
    assert document.number == 100 and document.file == f"100_{digest[:16]}.txt" and document.text == TEXT
    assert document.title == "关于进一步加强青年人才引进工作的通知" and document.added_by == officer
    # reading it again: the proposals cite the stored file, the save form is gone
    page = client.get(response["Location"]).content.decode()
    assert "已保存为依据文件《关于进一步加强青年人才引进工作的通知》" in page
    assert 'id="source-document"' in page and 'id="source-document-form"' not in page
    assert document.file in page and "999_0000000000000000.txt" not in page
    assert re.search(r'id="stored-documents".*?\?document=100">关于进一步加强青年人才引进工作的通知</a>', page, re.S)
    proposal = _proposal(str(document.number))
    assert f"document: {document.file}" in proposal["yaml"]
    started = client.post(reverse("workbench:drafting_start"), {"file": proposal["file"], "text": proposal["yaml"],
                                                                 "note": "按新收录的文件起草"})
    revision = RuleRevision.objects.get()
    assert started.status_code == 302 and revision.state == "draft" and document.file in revision.text
    # the quote is checked verbatim against the stored text: words not in it are refused
    rule_check(proposal["file"], proposal["yaml"])
    altered = proposal["yaml"].replace("每月3000元", "每月3500元", 1)
    assert altered != proposal["yaml"]
    with pytest.raises(RuleError) as refused:
        rule_check(proposal["file"], altered)
    assert "依据原文" in refused.value.message
    # and a quote of a seed document cited as this one is refused too
    seed = proposal["yaml"].replace(QUOTE, "本科毕业生每月600元", 1)
    with pytest.raises(RuleError):
        rule_check(proposal["file"], seed)


def test_the_document_page_and_the_citation(officer, client):
    from rencai.policies.templatetags.policy_tags import cite

    document = _add(officer).document
    key = str(document.number)
    assert key in BY_KEY and BY_KEY[key].title == document.title and document_text(key) == TEXT
    assert document_for(document.file).citation == \
        "《关于进一步加强青年人才引进工作的通知》（某市人力资源和社会保障局，2026年5月10日）"
    response = client.get(reverse("policies:document", args=[key]), {"q": QUOTE})
    html = response.content.decode()
    assert response.status_code == 200 and "关于进一步加强青年人才引进工作的通知" in html and "2026年5月10日" in html
    assert re.search(r'<mark id="quote">' + re.escape(QUOTE) + "</mark>", html)
    missing = client.get(reverse("policies:document", args=[key]), {"q": "本科毕业生每月600元"}).content.decode()
    assert "未在原文中找到所引用的语句" in missing
    link = str(cite({"document": document.file, "quote": QUOTE}))
    assert reverse("policies:document", args=[key]) in link and "某市人力资源和社会保障局" in link
    assert client.get(reverse("policies:document", args=["101"])).status_code == 404
    assert "101" not in BY_KEY and document_for("101_0123456789abcdef.txt").title == "101_0123456789abcdef.txt"


def test_the_same_text_twice_is_one_document_and_numbers_go_on(officer):
    first = _add(officer)
    again = _add(officer, text=TEXT.replace("\n", "\r\n"), title="另一个标题")
    assert first.created and not again.created and again.document.pk == first.document.pk
    assert again.document.title == "关于进一步加强青年人才引进工作的通知" and SourceDocument.objects.count() == 1
    second = _add(officer, text=TEXT + "三、本通知自发布之日起施行。\n", title="第二份", issuer="", date="")
    assert second.created and second.document.number == 101
    assert document_for(second.document.file).citation == "《第二份》"
    # the database guards the text's digest and the file name, whatever the service does
    with pytest.raises(IntegrityError), transaction.atomic():
        SourceDocument.objects.create(number=102, file="102_" + first.document.file[4:], title="重复",
                                      text_sha256=first.document.text_sha256, text=TEXT, added_by=officer)


def test_officers_only(make_user, officer, client):
    staff = make_user("plain_staff", Role.STAFF, "210100")
    with pytest.raises(PermissionDenied):
        _add(staff)
    client.force_login(staff)
    assert client.post(reverse("workbench:source_document_add"), {"text": TEXT, "title": "标题"}).status_code == 403
    client.logout()
    assert client.post(reverse("workbench:source_document_add"), {"text": TEXT, "title": "标题"}).status_code == 302
    assert not SourceDocument.objects.exists()


@pytest.mark.parametrize(("fields", "status", "words"), [
    ({"title": "  "}, 422, "标题不能为空"),
    ({"title": "题" * 301}, 422, "标题不能超过300字"),
    ({"issuer": "机关" * 101}, 422, "发文机关不能超过200字"),
    ({"date": "日" * 51}, 422, "成文日期不能超过50字"),
    ({"text": " \n "}, 400, "正文：内容为空"),
    ({"text": "no chinese at all"}, 400, "正文：没有读到中文内容"),
    ({"text": "补贴" * 100_001}, 413, "正文：共200,002字，超过上限200,000字"),
])
def test_bad_input_is_refused_in_chinese(officer, fields, status, words):
    with pytest.raises(AppError) as refused:
        _add(officer, **fields)
    assert refused.value.status == status and words in refused.value.message
    assert not SourceDocument.objects.exists()


def test_a_seed_text_and_the_refusal_on_the_page(officer, client):
    client.force_login(officer)
    seed = document_text("004")
    with pytest.raises(AppError) as refused:
        _add(officer, text=seed)
    assert refused.value.status == 409 and "已收录的依据文件" in refused.value.message
    assert 'id="source-document-form"' not in client.get(reverse("workbench:drafting"), {"document": "004"}
                                                         ).content.decode()
    response = client.post(reverse("workbench:source_document_add"), {"text": TEXT, "title": ""})
    html = response.content.decode()
    assert response.status_code == 422 and 'id="source-document-error"' in html and "标题不能为空" in html
    assert "3000元" in html and not SourceDocument.objects.exists()  # the text read again, the form kept


def test_an_uploaded_text_can_be_stored(officer, client):
    client.force_login(officer)
    upload = SimpleUploadedFile("通知.txt", TEXT.encode("gb18030"), content_type="text/plain")
    html = client.post(reverse("workbench:drafting"), {"file": upload}).content.decode()
    body = re.search(r'<textarea name="text" hidden aria-hidden="true">\n(.*?)</textarea>', html, re.S)
    assert 'id="source-document-form"' in html and body and body[1] == TEXT
    response = client.post(reverse("workbench:source_document_add"), {"text": body[1], "title": "通知"})
    assert response.status_code == 302 and SourceDocument.objects.get().text == TEXT
