"""Sources are cited by title, issuer and date, and link to the document's text with the quote marked."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from rencai.policies.calculator import default_catalog
from rencai.policies.documents import DOCUMENTS, document_text, highlighted


def test_every_cited_file_is_a_known_document_with_title_and_issuer():
    catalog = default_catalog()
    files = {p.source.document for p in catalog.policies.values()}
    files |= {s.document for p in catalog.policies.values() for s in p.also_sources}
    assert files <= set(DOCUMENTS), files - set(DOCUMENTS)
    for document in DOCUMENTS.values():
        assert document.title and document.issuer
        assert document.file not in document.citation


def test_every_catalog_quote_is_found_and_marked_in_its_document():
    for policy in default_catalog().policies.values():
        document = DOCUMENTS[policy.source.document]
        html, found = highlighted(document_text(document.key), policy.source.quote)
        assert found, policy.id
        assert html.count('<mark id="quote">') == 1


def test_a_quote_typed_with_full_width_punctuation_is_still_found():
    text = "第一句。博士毕业生每月2500元,发放期限最长三年。下一句"
    html, found = highlighted(text, "博士毕业生每月2500元，发放期限最长三年")
    assert found and '<mark id="quote">博士毕业生每月2500元,发放期限最长三年</mark>' in html


def test_document_text_is_escaped():
    html, found = highlighted("<script>alert(1)</script>引用", "引用")
    assert found and "<script>" not in html and "&lt;script&gt;" in html


def test_cite_shows_title_issuer_and_date_never_the_file_name():
    policy = default_catalog().policies["sy-living-subsidy-graduate"]
    html = Template("{% load policy_tags %}{% cite source %}").render(Context({"source": policy.source}))
    assert policy.source.document not in html
    assert "沈阳市人力资源和社会保障局" in html and "2023年3月8日" in html
    assert f"“{policy.source.quote}”" in html
    link = re.search(r'href="([^"]+)"', html).group(1)
    assert link.startswith(reverse("policies:document", args=["004"]))


@pytest.mark.django_db
def test_document_page_marks_the_quote_and_unknown_documents_are_404(client):
    quote = default_catalog().policies["sy-living-subsidy-graduate"].source.quote
    response = client.get(reverse("policies:document", args=["004"]), {"q": quote})
    assert response.status_code == 200
    assert f'<mark id="quote">{quote}</mark>' in response.content.decode()
    assert client.get(reverse("policies:document", args=["999"])).status_code == 404
    page = client.get(reverse("policies:document", args=["004"]), {"q": "文件里没有的一句话"}).content.decode()
    assert "未在原文中找到所引用的语句" in page and "<mark" not in page


def test_every_deciding_code_reads_in_words_without_internal_names():
    from rencai.core.tests.test_page_walk import internal_names
    from rencai.policies.presenting import decision_label

    for code in default_catalog().codes:
        label = decision_label(code)
        assert label and label != "—", code
        assert not internal_names(label), (code, label)


def test_generic_reason_never_leaves_a_placeholder():
    from rencai.core.templatetags.rencai_tags import generic_reason

    assert generic_reason("{talent_category} → 每月1500元") == "相应人才类别 → 每月1500元"
    assert generic_reason("博士，年龄{age}周岁 ≤ 45") == "博士，年龄N周岁 ≤ 45"
