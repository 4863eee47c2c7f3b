"""The migration that moves recognition's evidence onto the document store carries existing attachment files
over: one document per talent and content, the file where it was, a returned attachment's document 已退回 with
its reason."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rencai.recognition import selectors

from .conftest import create

BEFORE = [("recognition", "0003_recognition_card_token")]
AFTER = [("recognition", "0005_attachment_document_required")]

# Migrating back and forth across every app that depends on it costs half a minute a run and grows with each
# migration added; this data migration ran on deployments' PostgreSQL, so it is tested there (.ci/run's second run).
on_postgresql_only = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="数据迁移测试在 PostgreSQL 上运行（.ci/run 的第二轮）")


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_existing_attachments_become_documents(talent_user, settings):
    application = create(talent_user, category="C", item_code="C03")
    requirements = {r.label: r for r in selectors.requirements_for(application)}
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE[0]).apps
        Attachment = old.get_model("recognition", "Attachment")
        root = settings.MEDIA_ROOT / "recognition" / str(application.pk)
        root.mkdir(parents=True)
        rows = [("身份证件", "a.pdf", "aaa", ""), ("在沈工作证明", "b.pdf", "bbb", "合同已过期"),
                ("政府特殊津贴证书", "c.pdf", "aaa", "")]  # the same file twice: one document
        for label, name, sha, problem in rows:
            (root / name).write_bytes(b"%PDF-1.4 " + sha.encode())
            Attachment.objects.create(application_id=application.pk, requirement_id=requirements[label].pk,
                                      file=f"recognition/{application.pk}/{name}", original_name=f"原{name}",
                                      content_type="application/pdf", size=12, sha256=sha * 21 + "a",
                                      uploaded_by_id=talent_user.pk, problem=problem)
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    from rencai.documents.models import Document
    from rencai.recognition.models import Attachment as Current

    documents = {d.sha256[:3]: d for d in Document.objects.filter(talent__user=talent_user)}
    assert set(documents) == {"aaa", "bbb"}
    first, returned = documents["aaa"], documents["bbb"]
    assert (first.kind, first.status, first.original_name, first.file.name) == (
        "id_document", "pending", "原a.pdf", f"recognition/{application.pk}/a.pdf")
    assert (returned.kind, returned.status, returned.review_reason) == ("work_proof", "rejected", "合同已过期")
    attachments = {a.requirement.label: a for a in Current.objects.filter(application=application)}
    assert attachments["身份证件"].document == attachments["政府特殊津贴证书"].document == first
    assert attachments["在沈工作证明"].problem == "合同已过期"
    with attachments["身份证件"].file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.4 aaa"
