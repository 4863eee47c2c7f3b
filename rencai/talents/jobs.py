"""The talent Excel import as a background job (a large file; a small one is imported in the request)."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files import File

from rencai.accounts.models import User
from rencai.core.errors import AppError
from rencai.core.kept_uploads import upload_keep
from rencai.jobs.registry import job_kind

from . import excel

UPLOAD_DIR = "import-uploads"  # under MEDIA_ROOT: outside the web root, deleted when the job ends
KEPT_PURPOSE = "talent_import"  # a checked file kept for 只导入正确的行 (core.kept_uploads)


def import_file_save(upload) -> str:
    """Keep an uploaded workbook until its job has read it; returns its name (the job's parameter)."""
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{uuid.uuid4().hex}.xlsx"
    with open(folder / name, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


@job_kind("talent_import")
def talent_import_job(job, progress):
    path = Path(settings.MEDIA_ROOT) / UPLOAD_DIR / Path(job.params["stored"]).name
    actor = User.objects.filter(pk=job.params.get("actor_id")).first()
    if actor is None:
        raise AppError("发起导入的账号已不存在")
    if not path.exists():
        raise AppError("导入文件已不存在（可能已处理过），请重新上传")
    progress(message="正在检查每一行", force=True)
    kept = ""
    try:
        with open(path, "rb") as fh:
            upload = File(fh, name=job.params.get("file_name") or "导入.xlsx")
            result = excel.talent_import(actor=actor, upload=upload, only_valid=bool(job.params.get("only_valid")),
                                         progress=progress)
            if result.errors and not result.imported_rows and result.valid_rows:
                # Nothing written: kept for its uploader, so that 只导入正确的行 needs no second pick of the file.
                kept = upload_keep(upload, user=actor, purpose=KEPT_PURPOSE)
    finally:
        path.unlink(missing_ok=True)  # personal data: not kept once read (a kept copy expires in an hour)
    return {"batch_id": result.batch.pk, "total_rows": result.total_rows, "imported_rows": result.imported_rows,
            "error_rows": result.error_rows, "valid_rows": result.valid_rows, "kept": kept}
