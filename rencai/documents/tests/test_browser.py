"""In Chromium: a talent puts a document on file, a 和平区 officer returns it from the review queue with a reason,
the talent reads the reason and uploads a corrected file, which the officer verifies."""

import pytest

from rencai.browser import confirm, login, menu
from rencai.documents.models import Document

from .conftest import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def put_on_file(page, name: str, content: bytes) -> None:
    page.select_option("#doc-kind", "degree")
    page.set_input_files("#doc-file", files=[{"name": name, "mimeType": "application/pdf", "buffer": content}])
    page.click("#upload-form button:has-text('上传')")
    page.wait_for_load_state()


def test_upload_return_with_reason_and_verify(page, talent_user, heping_staff):
    login(page, "zhangsan")
    menu(page, "我的档案")
    page.click("#my-documents")
    put_on_file(page, "学位证书.pdf", PDF + b"first")
    assert "已上传：学位证书" in page.inner_text("main")
    assert "等待工作人员核验" in page.inner_text("#documents")

    login(page, "heping")
    page.click("#document-queue")
    page.click("#queue a")
    page.click("summary:has-text('退回')")
    page.fill("#review-reason", "学位证书缺少背面，请补充扫描")
    page.click("#reject-form button:has-text('确认退回')")
    confirm(page, expect="学位证书缺少背面，请补充扫描")
    assert "已退回" in page.inner_text("#doc-status")

    login(page, "zhangsan")
    page.goto(page.base_url + "/me/documents/")
    assert "退回理由：学位证书缺少背面，请补充扫描" in page.inner_text("#documents")
    put_on_file(page, "学位证书（补正）.pdf", PDF + b"second")

    login(page, "heping")
    page.click("#document-queue")
    assert page.locator("#queue tbody tr").count() == 1
    page.click("#queue a")
    page.check("#verify-confirm")
    page.click("#verify-form button:has-text('核验通过')")
    confirm(page, expect="不再重复核验")
    assert "已核验" in page.inner_text("#doc-status")
    assert sorted(Document.objects.values_list("status", flat=True)) == ["rejected", "verified"]
