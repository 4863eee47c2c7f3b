"""Excel in and out for the registry: the import template, the import itself, and the list export."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff
from rencai.analytics.services import history_record_bulk
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core import crypto
from rencai.core.errors import AppError, Conflict, ValidationFailed
from rencai.core.excel import Sheet, xlsx_bytes
from rencai.core.masking import birth_year_shown, mask_id_number, mask_numbers_in_text, mask_phone
from rencai.core.uploads import check_upload, xlsx_rows

from .enums import Source
from .models import Education, ImportBatch, Talent
from .services import education_build, talent_build, talent_check_jurisdiction
from .validation import LABELS, TalentInput, talent_input_validate

MAX_IMPORT_ROWS = 50_000
REQUIRED_COLUMNS = ("name", "id_number", "district")
HEADER_TO_FIELD = {label: key for key, label in LABELS.items()}
EXAMPLE_ROW = {
    "name": "张三", "id_type": "居民身份证", "id_number": "210102199001011237", "phone": "13800138000",
    "district": "和平区", "highest_degree": "博士", "school": "东北大学", "school_country": "中国",
    "graduation_date": "2021-07-01", "major": "材料科学与工程", "returnee": "否", "employer_type": "企业",
    "employment_start": "2021-09-01", "social_insurance": "在本市缴纳", "housing_status": "租房",
    "monthly_rent": 3200, "rent_area_sqm": 80,
}


@dataclass
class RowError:
    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    batch: ImportBatch
    total_rows: int
    valid_rows: int
    imported_rows: int
    errors: list[RowError] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({e.row for e in self.errors})


def import_template() -> bytes:
    notes = [
        ["姓名、证件号码、所在区县", "必填"],
        ["证件类型", "居民身份证（默认）或护照；持护照须填写性别和出生日期"],
        ["所在区县", "区县名称（如 和平区）或六位行政区划代码（如 210102）"],
        ["最高学历", "专科、本科、硕士、博士"],
        ["日期", "YYYY-MM-DD，例如 2021-07-01"],
        ["是否留学回国", "是 / 否"],
        ["荣誉", "多项用顿号分隔：高精尖优才奖励、全国技术能手、中华技能大奖、辽宁工匠"],
    ]
    return xlsx_bytes([
        Sheet("人才信息", list(LABELS.values()), [[EXAMPLE_ROW.get(key, "") for key in LABELS]], column_width=18),
        Sheet("填写说明", ["列名", "说明"], notes, column_width=18),
    ])


def _read_rows(upload) -> tuple[list[str], Iterable[tuple]]:
    rows = xlsx_rows(upload, label="导入文件")  # a damaged or hostile file is a 400, here or while reading rows
    header = next(rows, None)
    if not header:
        raise AppError("导入文件：第1行应为列名，文件为空", code="empty_file", status=400)
    return [str(h).strip() if h is not None else "" for h in header], rows


def _masked_message(message: str, raw: dict, field: str = "") -> str:
    """A row's error as stored on the batch and shown: the row's ID and phone number masked wherever they
    appear (as typed, even when short or malformed), and any other run of seven or more digits too — but for
    an employer's 统一社会信用代码, which is public and needed to correct the row."""
    for key, mask in (("id_number", mask_id_number), ("phone", mask_phone)):
        value = "" if raw.get(key) is None else str(raw[key]).strip()
        if len(value) >= 6:
            for typed in {value, value.upper().replace(" ", "")}:
                message = message.replace(typed, mask(typed))
    return message if field == "organization_uscc" else mask_numbers_in_text(message)


def talent_import(*, actor: User, upload, only_valid: bool = False, progress=None) -> ImportResult:
    """Import talents from an .xlsx file. Every bad row is reported with its row number and reason;
    nothing is written unless every row is good, or the user asked to import only the good rows.
    ``progress(done=, message=)`` is told how far the check is (a background import: talents/jobs.py)."""
    require_staff(actor)
    check_upload(upload, field="file", label="导入文件", extensions=(".xlsx",))
    header, rows = _read_rows(upload)

    columns: dict[int, str] = {}
    header_errors = []
    for index, title in enumerate(header):
        if not title:
            continue
        key = HEADER_TO_FIELD.get(title)
        if key is None:
            header_errors.append(f"未知列“{title}”")
        else:
            columns[index] = key
    missing = [LABELS[k] for k in REQUIRED_COLUMNS if k not in columns.values()]
    if missing:
        header_errors.append(f"缺少必填列：{'、'.join(missing)}")
    if header_errors:
        raise AppError("导入文件：" + "；".join(header_errors), code="bad_header", status=400)

    errors: list[RowError] = []
    good: list[tuple[int, TalentInput]] = []
    lookups: dict = {}
    seen_hashes: dict[str, int] = {}
    total = 0
    for row_number, values in enumerate(rows, start=2):
        if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        total += 1
        if progress is not None and total % 500 == 0:
            progress(done=total, message=f"已检查{total}行")
        if total > MAX_IMPORT_ROWS:
            raise AppError(f"导入文件：超过{MAX_IMPORT_ROWS}行的上限，请拆分后导入", code="too_many_rows", status=400)
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        try:
            data = talent_input_validate(raw, cache=lookups)
            talent_check_jurisdiction(actor, data.region)
        except ValidationFailed as exc:
            errors += [RowError(row_number, LABELS.get(e.field, e.field), _masked_message(e.message, raw, e.field))
                       for e in exc.errors]
            continue
        except AppError as exc:
            errors.append(RowError(row_number, LABELS["district"], _masked_message(exc.message, raw)))
            continue
        digest = crypto.lookup_hash(data.id_number)
        if digest in seen_hashes:
            errors.append(RowError(row_number, LABELS["id_number"], f"与第{seen_hashes[digest]}行是同一人"))
            continue
        seen_hashes[digest] = row_number
        good.append((row_number, data))

    existing = set(
        Talent.objects.filter(id_number_hash__in=list(seen_hashes)).values_list("id_number_hash", flat=True)
    )
    for row_number, data in good:
        if crypto.lookup_hash(data.id_number) in existing:
            errors.append(RowError(row_number, LABELS["id_number"], "该证件号码已在人才信息库中登记"))
    good = [(n, data) for n, data in good if crypto.lookup_hash(data.id_number) not in existing]
    errors.sort(key=lambda e: e.row)

    write = not errors or only_valid
    if progress is not None:
        progress(done=total, total=total, message="检查完毕，正在写入" if write and good else "检查完毕", force=True)
    with transaction.atomic():
        imported = 0
        if write and good:
            talents = [talent_build(data=data, source=Source.IMPORT, created_by=actor) for _, data in good]
            try:
                with transaction.atomic():
                    Talent.objects.bulk_create(talents, batch_size=1000)
            except IntegrityError as exc:  # the same people imported at the same moment by another request
                raise Conflict("导入文件：其中有人员刚刚由他人同时登记或导入，本次未写入任何数据，请重新导入",
                               code="duplicate_person") from exc
            if talents[0].pk is None:  # backends that do not return keys from bulk inserts
                ids = dict(Talent.objects.filter(id_number_hash__in=[t.id_number_hash for t in talents])
                           .values_list("id_number_hash", "pk"))
                for talent in talents:
                    talent.pk = ids[talent.id_number_hash]
            educations = [education_build(talent=t, data=d) for t, (_, d) in zip(talents, good, strict=True)]
            Education.objects.bulk_create([e for e in educations if e], batch_size=1000)
            history_record_bulk(talents, educations=educations, on=timezone.localdate())
            imported = len(talents)
        status = (ImportBatch.Status.REJECTED if not write
                  else ImportBatch.Status.PARTIAL if errors else ImportBatch.Status.IMPORTED)
        batch = ImportBatch.objects.create(
            file_name=(upload.name or "")[:200], actor=actor, status=status, total_rows=total,
            imported_rows=imported, errors=[e.__dict__ for e in errors],
        )
        audit_record(actor=actor, action=AuditAction.TALENT_IMPORT, obj=batch, row_count=imported,
                     summary=f"导入文件“{batch.file_name}”：共{total}行，导入{imported}行，错误{len(errors)}处"
                             f"（{batch.get_status_display()}）")
    return ImportResult(batch=batch, total_rows=total, valid_rows=len(good), imported_rows=imported, errors=errors)


EXPORT_COLUMNS = [
    ("姓名", lambda t: t.name),
    ("证件类型", lambda t: t.get_id_type_display()),
    ("证件号码", lambda t: t.id_number_masked),
    ("性别", lambda t: t.get_gender_display()),
    ("出生日期", lambda t: t.birth_date),
    ("手机号码", lambda t: t.phone_masked),
    ("所在区县", lambda t: t.district.name),
    ("工作单位", lambda t: t.organization.name if t.organization else ""),
    ("人才类别", lambda t: t.get_talent_category_display()),
    ("最高学历", lambda t: t.get_highest_degree_display()),
    ("毕业日期", lambda t: t.graduation_date),
    ("留学回国", lambda t: "是" if t.returnee else "否"),
    ("职称", lambda t: t.get_professional_title_display()),
    ("技能等级", lambda t: t.get_skill_level_display()),
    ("来源", lambda t: t.get_source_display()),
]
# For a viewer who may not see the full birth date (accounts.permissions.can_see_birth_date): the year only.
BIRTH_YEAR_COLUMN = ("出生年份", lambda t: birth_year_shown(t.birth_date))
MAX_EXPORT_ROWS = 200_000


def talents_export(queryset, *, full_birth_date: bool = False) -> Sheet:
    """The staff list's sheet, numbers masked as on screen, the birth date as the viewer's role allows; its
    rows are read as the workbook is streamed (core.excel.xlsx_streaming_response), 2,000 at a time."""
    columns = [c if c[0] != "出生日期" or full_birth_date else BIRTH_YEAR_COLUMN for c in EXPORT_COLUMNS]
    rows = ([getter(t) for _, getter in columns] for t in queryset[:MAX_EXPORT_ROWS].iterator(chunk_size=2000))
    return Sheet("人才信息", [title for title, _ in columns], rows)
