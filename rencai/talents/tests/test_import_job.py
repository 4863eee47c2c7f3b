"""A large workbook is imported by a background job: the page shows its progress, then the same report."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from rencai.jobs.models import Job, JobStatus
from rencai.talents.jobs import UPLOAD_DIR
from rencai.talents.models import ImportBatch, Talent
from rencai.talents.tests.test_excel import mixed_rows, workbook

pytestmark = pytest.mark.django_db


@override_settings(RENCAI_IMPORT_INLINE_BYTES=0)  # every file counts as large here
def test_a_large_import_runs_in_the_background_with_progress(client, heping_staff, hunnan_staff,
                                                             django_capture_on_commit_callbacks):
    client.force_login(heping_staff)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post("/talents/import/", {"file": workbook(mixed_rows()), "only_valid": "1"})
    job = Job.objects.get(kind="talent_import")
    assert response.status_code == 302 and response["Location"] == f"/talents/import/?job={job.pk}"
    assert not Talent.objects.exists() and job.status == JobStatus.QUEUED
    stored = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / job.params["stored"]
    assert stored.exists() and "heping" not in str(job.params)  # ids and a file name only

    waiting = client.get(f"/talents/import/?job={job.pk}").content.decode()
    assert "排队中" in waiting and f"/jobs/{job.pk}/progress/?refresh=1" in waiting

    for callback in queued:  # the commit: the task runs (the tests' task backend runs it at once)
        callback()
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result["imported_rows"] == 2 and job.total == 6  # six non-blank rows checked
    assert not stored.exists()  # the uploaded personal data is not kept
    assert Talent.objects.count() == 2
    batch = ImportBatch.objects.get()
    assert batch.actor == heping_staff

    page = client.get(f"/talents/import/?job={job.pk}").content.decode()
    assert "共 6 行，已导入 2 行" in page and "未知的区县“火星区”" in page and 'id="import-errors"' in page
    assert heping_staff.notifications.get().link == f"/talents/import/?job={job.pk}"

    client.force_login(hunnan_staff)  # someone else's import is not theirs to see
    assert client.get(f"/talents/import/?job={job.pk}").status_code == 404


@override_settings(RENCAI_IMPORT_INLINE_BYTES=0)
def test_a_bad_upload_is_refused_before_any_job(client, heping_staff):
    client.force_login(heping_staff)
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/talents/import/", {"file": SimpleUploadedFile("人才.csv", b"a,b")})
    assert response.status_code == 400 and "导入文件" in response.content.decode()
    assert not Job.objects.exists()


def test_a_small_import_still_answers_at_once(client, heping_staff):
    client.force_login(heping_staff)
    response = client.post("/talents/import/", {"file": workbook(mixed_rows()), "only_valid": "1"})
    assert response.status_code == 200 and "已导入 2 行" in response.content.decode()
    assert not Job.objects.exists()
