from django.db.models import Q

from rencai.core.errors import FieldError, ValidationFailed

from .models import Region, RegionLevel, code_prefix


def region_get(*, code: str, field: str = "region") -> Region:
    """The region with this code, or a 422 naming the field."""
    region = Region.objects.filter(code=str(code).strip()).first()
    if region is None:
        raise ValidationFailed([FieldError(field, f"未知的行政区划代码“{code}”")])
    return region


def district_resolve(*, value: str, field: str = "district") -> Region:
    """A district by code (210102) or by name (和平区, 沈阳市和平区); a 422 naming the field otherwise."""
    value = str(value or "").strip()
    districts = Region.objects.filter(level=RegionLevel.DISTRICT)
    if value.isdigit():
        region = districts.filter(code=value).first()
    else:
        matches = [r for r in districts.select_related("parent") if value in (r.name, f"{r.parent.name}{r.name}")]
        region = matches[0] if len(matches) == 1 else None
    if region is None:
        raise ValidationFailed([FieldError(field, f"未知的区县“{value}”，请填写区县名称或六位行政区划代码")])
    return region


def region_codes_under(*, code: str) -> list[str]:
    """The codes of the region ``code`` and of every region under it, as a plain list: a filter
    ``district_id IN (…)`` that the database answers from an index on the district (a prefix LIKE on the
    joined region's code is a join and a string test per row)."""
    prefix = code_prefix(code)
    if prefix == code:  # a district: nothing below it
        return [code]
    return list(Region.objects.filter(code__startswith=prefix).order_by("code").values_list("code", flat=True))


def districts_under(*, code: str):
    return Region.objects.filter(level=RegionLevel.DISTRICT, code__startswith=code_prefix(code))


def region_q(*, code: str, field: str = "district__code") -> Q:
    """A filter for rows whose district lies within the region ``code``."""
    return Q(**{f"{field}__startswith": code_prefix(code)})
