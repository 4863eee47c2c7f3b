from django.db import IntegrityError, transaction
from stdnum.cn import uscc as uscc_std
from stdnum.exceptions import ValidationError as StdnumError

from rencai.core.errors import Conflict, FieldError, ValidationFailed
from rencai.core.stdnum_reasons import stdnum_reason
from rencai.regions.selectors import district_resolve

from .enums import Industry, OrganizationKind
from .models import Organization


def uscc_validate(value: str, *, field: str = "uscc") -> str:
    try:
        return uscc_std.validate(value)
    except StdnumError as exc:
        raise ValidationFailed([FieldError(field, f"统一社会信用代码“{value}”无效（{stdnum_reason(exc)}）")]) from exc


@transaction.atomic
def organization_create(*, name: str, uscc: str, kind: str, district: str, industry: str = "") -> Organization:
    errors = []
    if not name.strip():
        errors.append(FieldError("name", "单位名称不能为空"))
    if kind not in OrganizationKind.values:
        errors.append(FieldError("kind", f"未知的单位类型“{kind}”"))
    if industry and industry not in Industry.values:
        errors.append(FieldError("industry", f"未知的产业“{industry}”"))
    if errors:
        raise ValidationFailed(errors)
    code = uscc_validate(uscc)
    region = district_resolve(value=district)
    if Organization.objects.filter(uscc=code).exists():
        raise Conflict(f"统一社会信用代码 {code} 已登记", code="duplicate_uscc")
    try:
        with transaction.atomic():  # the unique code still guards a concurrent registration of the same employer
            return Organization.objects.create(name=name.strip(), uscc=code, kind=kind, industry=industry,
                                               district=region)
    except IntegrityError as exc:
        raise Conflict(f"统一社会信用代码 {code} 已登记", code="duplicate_uscc") from exc
