"""Writes to the registry. Each service owns its transaction; views and the API only validate and call."""

from django.db import IntegrityError, transaction

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import can_reveal, require_staff, talent_scope_q
from rencai.core import crypto
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.regions.models import Region

from .enums import IdType, SensitiveField, Source
from .models import Education, SensitiveAccessLog, Talent
from .validation import TalentInput

DUPLICATE_MESSAGE = "该证件号码已在人才信息库中登记，同一人不能重复登记"


def talent_exists(*, id_number: str) -> bool:
    return Talent.objects.filter(id_number_hash=crypto.lookup_hash(id_number)).exists()


def talent_build(*, data: TalentInput, source: str, created_by: User | None = None,
                 user: User | None = None) -> Talent:
    """An unsaved Talent from cleaned input (shared by the single create and the bulk import)."""
    organization = data.organization
    talent = Talent(
        name=data.name,
        id_type=data.id_type,
        gender=data.gender,
        birth_date=data.birth_date,
        nationality=data.nationality,
        email=data.email,
        highest_degree=data.highest_degree,
        graduation_date=data.graduation_date,
        returnee=data.returnee,
        district=data.region,
        organization=organization,
        employer_type=data.employer_type or (organization.employer_type if organization else ""),
        employment_start=data.employment_start,
        social_insurance=data.social_insurance,
        professional_title=data.professional_title,
        skill_level=data.skill_level,
        honors=data.honors,
        talent_category=data.talent_category,
        category_recognized_on=data.category_recognized_on,
        housing_status=data.housing_status,
        monthly_rent=data.monthly_rent,
        rent_area_sqm=data.rent_area_sqm,
        source=source,
        created_by=created_by,
        user=user,
    )
    talent.set_id_number(data.id_number)
    talent.set_phone(data.phone)
    return talent


def education_build(*, talent: Talent, data: TalentInput) -> Education | None:
    if not (data.highest_degree and data.graduation_date):
        return None
    country = data.school_country or "中国"
    return Education(
        talent=talent,
        degree=data.highest_degree,
        school=data.school or "（未填写）",
        country=country,
        overseas=data.returnee or country not in ("中国", "中国大陆"),
        graduation_date=data.graduation_date,
        major=data.major,
    )


def talent_check_jurisdiction(actor: User, district: Region) -> None:
    if actor.is_administrator:
        return
    from rencai.regions.models import code_prefix

    if not district.code.startswith(code_prefix(actor.department.region_id)):
        raise PermissionDenied(f"{district.name}不在您的管辖范围内")


@transaction.atomic
def talent_create(*, actor: User, data: TalentInput) -> Talent:
    """Staff register a talent in their jurisdiction."""
    require_staff(actor)
    talent_check_jurisdiction(actor, data.region)
    return _talent_save(data=data, source=Source.STAFF, created_by=actor)


def _talent_save(*, data: TalentInput, source: str, created_by: User | None = None, user: User | None = None) -> Talent:
    if talent_exists(id_number=data.id_number):
        raise Conflict(DUPLICATE_MESSAGE, code="duplicate_person")
    talent = talent_build(data=data, source=source, created_by=created_by, user=user)
    try:
        with transaction.atomic():  # the unique hash still guards a concurrent duplicate
            talent.save()
    except IntegrityError as exc:
        raise Conflict(DUPLICATE_MESSAGE, code="duplicate_person") from exc
    education = education_build(talent=talent, data=data)
    if education:
        education.save()
    return talent


@transaction.atomic
def talent_self_register(*, username: str, password: str, data: TalentInput) -> Talent:
    """A person creates their own account and registry record in one step; both or neither."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError as DjangoValidationError

    errors = []
    if not username or len(username) > 150:
        errors.append(FieldError("username", "用户名不能为空，且不超过150个字符"))
    elif User.objects.filter(username=username).exists():
        errors.append(FieldError("username", f"用户名“{username}”已被使用"))
    try:
        validate_password(password)
    except DjangoValidationError as exc:
        errors.append(FieldError("password", "；".join(exc.messages)))
    if errors:
        raise ValidationFailed(errors)
    user = User.objects.create_user(username=username, password=password, role=Role.TALENT,
                                    display_name=data.name)
    return _talent_save(data=data, source=Source.SELF, user=user)


@transaction.atomic
def talent_reveal(*, actor: User, talent_id: int, field: str, reason: str, ip_address: str | None = None) -> str:
    """The clear ID or phone number, for an actor with the permission and the talent in their
    jurisdiction, with a stated reason; every call writes an access-log entry in the same transaction."""
    if field not in SensitiveField.values:
        raise ValidationFailed([FieldError("field", f"未知字段“{field}”，可选 id_number 或 phone")])
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationFailed([FieldError("reason", "请填写查看事由（至少2个字）")])
    if len(reason) > 200:
        raise ValidationFailed([FieldError("reason", "查看事由不能超过200个字")])
    talent = Talent.objects.filter(talent_scope_q(actor), pk=talent_id).first()
    if talent is None:
        raise NotFound()
    is_self = talent.user_id == actor.pk
    if not (is_self or can_reveal(actor)):
        raise PermissionDenied("您没有查看完整证件号码和手机号码的权限")
    cipher = talent.id_number_cipher if field == SensitiveField.ID_NUMBER else talent.phone_cipher
    if not cipher:
        raise NotFound("该人才未登记手机号码")
    SensitiveAccessLog.objects.create(actor=actor, talent=talent, field=field, reason=reason, ip_address=ip_address)
    return crypto.decrypt(cipher)


def id_type_label(value: str) -> str:
    return IdType(value).label
