from django.conf import settings

from .errors import AppError


def check_upload(upload, *, field: str, label: str, extensions: tuple[str, ...]) -> None:
    """Refuse a missing, oversized or wrongly typed upload with a message naming the field."""
    if upload is None:
        raise AppError(f"{label}：请选择要上传的文件", code="missing_file", status=400)
    limit = settings.RENCAI_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise AppError(
            f"{label}：文件大小{upload.size / 1048576:.1f}MB，超过上限{limit / 1048576:.0f}MB",
            code="file_too_large", status=413,
        )
    name = (upload.name or "").lower()
    if not name.endswith(extensions):
        raise AppError(f"{label}：只接受{'、'.join(extensions)}格式的文件", code="bad_file_type", status=400)
