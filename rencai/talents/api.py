import datetime as dt
from decimal import Decimal

from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import django_auth
from pydantic import ConfigDict, Field, create_model

from rencai.accounts.permissions import can_see_birth_date
from rencai.core.paging import list_page
from rencai.core.parsing import MAX_PAGE, bounded_int

from . import excel, selectors, services
from .validation import talent_input_validate

router = Router(tags=["人才信息库"], auth=django_auth)

PAGE_SIZE = 50


class TalentIn(Schema):
    """A talent record; values may be the code (doctor) or the Chinese label (博士)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    id_number: str
    district: str
    id_type: str | None = None
    gender: str | None = None
    birth_date: str | None = None
    nationality: str | None = None
    phone: str | None = None
    email: str | None = None
    organization_uscc: str | None = None
    employer_type: str | None = None
    employment_start: str | None = None
    social_insurance: str | None = None
    highest_degree: str | None = None
    school: str | None = None
    school_country: str | None = None
    graduation_date: str | None = None
    major: str | None = None
    returnee: bool | None = None
    professional_title: str | None = None
    skill_level: str | None = None
    honors: list[str] | None = None
    housing_status: str | None = None
    monthly_rent: Decimal | None = None
    rent_area_sqm: Decimal | None = None
    talent_category: str | None = None
    category_recognized_on: str | None = None


class TalentOut(Schema):
    id: int
    name: str
    id_type: str
    id_number_masked: str
    phone_masked: str
    gender: str
    birth_date: dt.date | None = Field(
        None, description="出生日期：仅对可查看完整号码的工作人员提供，其他角色为空（见 birth_year）")
    birth_year: int
    district_code: str
    district_name: str
    organization_name: str | None
    talent_category: str
    highest_degree: str
    graduation_date: dt.date | None
    returnee: bool
    professional_title: str
    skill_level: str
    honors: list[str]
    source: str

    @staticmethod
    def resolve_birth_date(obj, context):
        request = (context or {}).get("request")
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        return obj.birth_date if user is not None and can_see_birth_date(user) else None

    @staticmethod
    def resolve_birth_year(obj):
        return obj.birth_date.year

    @staticmethod
    def resolve_district_code(obj):
        return obj.district_id

    @staticmethod
    def resolve_district_name(obj):
        return obj.district.name

    @staticmethod
    def resolve_organization_name(obj):
        return obj.organization.name if obj.organization_id else None


class TalentPage(Schema):
    count: int = Field(description="总人数；count_exact 为 false 时为下限（按姓名查询超过上限时不再计数）")
    count_exact: bool = True
    page: int
    pages: int
    next_after: int | None = Field(None, description="下一页：以此值作为 after 参数（按编号倒序的游标，适合深翻页）")
    results: list[TalentOut]


class _Strict(Schema):
    model_config = ConfigDict(extra="forbid")


# Changes to a record (信息维护): the fields staff may change (services.STAFF_EDITABLE), each optional and
# typed as on registration; only the fields given change, identity and category cannot.
TalentPatch = create_model(
    "TalentPatch", __base__=_Strict,
    **{name: (TalentIn.model_fields[name].annotation | None, None) for name in services.STAFF_EDITABLE},
)


class RevealIn(Schema):
    model_config = ConfigDict(extra="forbid")
    field: str
    reason: str


class RevealOut(Schema):
    field: str
    value: str


class RowErrorOut(Schema):
    row: int
    field: str
    message: str


class ImportOut(Schema):
    batch_id: int
    status: str
    total_rows: int
    valid_rows: int
    imported_rows: int
    errors: list[RowErrorOut]


class ErrorOut(Schema):
    code: str
    message: str
    errors: list[dict]


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut, 422: ErrorOut}


@router.get("", response={200: TalentPage, **ERRORS}, summary="人才列表（管辖范围内，号码脱敏）")
def talent_list(request, name: str = "", district: str = "", category: str = "", degree: str = "",
                returnee: bool | None = None, page: int = 1, after: int | None = None):
    page = bounded_int(page, field="page", label="页码", minimum=1, maximum=MAX_PAGE)
    params = {"page": page}
    if after is not None:
        params["after"] = str(bounded_int(after, field="after", label="翻页游标", minimum=1,
                                          maximum=2**63 - 1))
    filters = selectors.TalentFilters(name=name, district=district, category=category, degree=degree,
                                      returnee=returnee)
    queryset = selectors.talent_list(user=request.auth, filters=filters)
    result = list_page(queryset, params=params, per_page=PAGE_SIZE, keys=["id"], clamp=False,
                       count=selectors.talent_count(user=request.auth, filters=filters))
    return {"count": result.count, "count_exact": result.count_exact, "page": result.number,
            "pages": result.num_pages, "next_after": int(result.next_cursor) if result.next_cursor else None,
            "results": result.object_list}


@router.get("/{int:talent_id}", response={200: TalentOut, **ERRORS}, summary="人才详情（号码脱敏）")
def talent_detail(request, talent_id: int):
    return selectors.talent_get(user=request.auth, talent_id=talent_id)


@router.post("", response={201: TalentOut, **ERRORS}, summary="登记人才（政府工作人员）")
def talent_create(request, payload: TalentIn):
    data = talent_input_validate(payload.model_dump(exclude_none=True))
    talent = services.talent_create(actor=request.auth, data=data)
    return Status(201, selectors.talent_get(user=request.auth, talent_id=talent.pk))


@router.patch("/{int:talent_id}", response={200: TalentOut, **ERRORS},
              summary="维护人才信息（本人或管辖范围内的工作人员）")
def talent_update(request, talent_id: int, payload: TalentPatch):
    services.talent_update(actor=request.auth, talent_id=talent_id, changes=payload.model_dump(exclude_unset=True))
    return selectors.talent_get(user=request.auth, talent_id=talent_id)


@router.post("/{int:talent_id}/reveal", response={200: RevealOut, **ERRORS},
             summary="查看完整证件号码或手机号码（需权限和事由，记录在案）")
def talent_reveal(request, talent_id: int, payload: RevealIn):
    value = services.talent_reveal(actor=request.auth, talent_id=talent_id, field=payload.field,
                                   reason=payload.reason, ip_address=request.META.get("REMOTE_ADDR"))
    return {"field": payload.field, "value": value}


@router.post("/import", response={200: ImportOut, **ERRORS}, summary="Excel批量导入人才")
def talent_import(request, file: File[UploadedFile] = None, only_valid: Form[bool] = False):
    result = excel.talent_import(actor=request.auth, upload=file, only_valid=only_valid)
    return {
        "batch_id": result.batch.pk,
        "status": result.batch.status,
        "total_rows": result.total_rows,
        "valid_rows": result.valid_rows,
        "imported_rows": result.imported_rows,
        "errors": [e.__dict__ for e in result.errors],
    }
