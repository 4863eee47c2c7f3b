"""Writes to the registry. Each service owns its transaction; views and the API only validate and call."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import can_reveal, require_staff, talent_scope_q
from rencai.analytics import services as history
from rencai.analytics.enums import HistoryReason
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core import crypto
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.masking import mask_phone
from rencai.organizations.enums import EmployerType
from rencai.regions.models import Region

from .enums import (
    Degree,
    EmploymentStatus,
    Honor,
    HousingStatus,
    IdType,
    ProfessionalTitle,
    SensitiveField,
    SkillLevel,
    SocialInsurance,
    Source,
)
from .models import Education, Talent, TalentChange
from .validation import LABELS, TalentInput, talent_input_validate

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
    if source in (Source.STAFF, Source.IMPORT, Source.DEMO):
        # Staff wrote the employment (or imported it): confirmed by staff. A self-registration is a claim that
        # waits for the employer (employment_confirm).
        talent.employment_status = EmploymentStatus.CONFIRMED
        talent.employment_confirmed_by = created_by
        talent.employment_confirmed_at = timezone.now()
    else:
        talent.employment_status = EmploymentStatus.CLAIMED
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
    talent = _talent_save(data=data, source=Source.STAFF, created_by=actor)
    audit_record(actor=actor, action=AuditAction.TALENT_CREATE, obj=talent,
                 summary=f"登记人才 {talent.name}（{talent.id_number_masked}）")
    return talent


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
    history.history_record(talent, before=None, on=timezone.localdate(), education=education,
                           reason=HistoryReason.REGISTRATION if source == Source.SELF else HistoryReason.STAFF)
    return talent


def account_input_errors(*, username: str, password: str) -> list[FieldError]:
    """Every problem of a new account's user name and password (Django's password rules, in Chinese), so that a
    registration form reports them with the record's own problems, all at once."""
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
    return errors


@transaction.atomic
def talent_self_register(*, username: str, password: str, data: TalentInput) -> Talent:
    """A person creates their own account and registry record in one step; both or neither."""
    if talent_exists(id_number=data.id_number):  # the same person first: a duplicate is a 409, however raced
        raise Conflict(DUPLICATE_MESSAGE, code="duplicate_person")
    errors = account_input_errors(username=username, password=password)
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():  # the unique username still guards a concurrent registration
            user = User.objects.create_user(username=username, password=password, role=Role.TALENT,
                                            display_name=data.name)
    except IntegrityError as exc:
        raise Conflict(f"用户名“{username}”刚刚已被他人注册，请换一个用户名", code="duplicate_username") from exc
    return _talent_save(data=data, source=Source.SELF, user=user)


@transaction.atomic
def talent_reveal(*, actor: User, talent_id: int, field: str, reason: str, ip_address: str | None = None) -> str:
    """The clear ID or phone number, for an actor with the permission and the talent in their
    jurisdiction, with a stated reason; every call writes an audit event in the same transaction."""
    if field not in SensitiveField.values:
        raise ValidationFailed([FieldError("field", "请选择要查看的号码：证件号码或手机号码")])
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
    # The audit log is the one record of reveals (who, whose, which number, when, why, from where).
    audit_record(actor=actor, action=AuditAction.REVEAL, obj=talent, ip_address=ip_address,
                 summary=f"查看 {talent.name} 的完整{SensitiveField(field).label}，事由：{reason}",
                 details={"field": field, "reason": reason})
    return crypto.decrypt(cipher)


# 信息维护: what each role may change. Identity never changes here, and the category only through
# recognition (rencai.recognition), so that every category has a decision behind it.
SELF_EDITABLE = ("phone", "email", "housing_status", "monthly_rent", "rent_area_sqm", "professional_title",
                 "skill_level")
STAFF_EDITABLE = (*SELF_EDITABLE, "name", "nationality", "district", "organization_uscc", "employer_type",
                  "employment_start", "social_insurance", "highest_degree", "school", "school_country",
                  "graduation_date", "major", "returnee", "honors")
EDUCATION_FIELDS = ("highest_degree", "school", "school_country", "graduation_date", "major")


def talent_editable_fields(*, actor: User, talent: Talent) -> tuple[str, ...]:
    if actor.role == Role.STAFF or actor.is_administrator:
        return STAFF_EDITABLE
    if talent.user_id == actor.pk:
        return SELF_EDITABLE
    return ()


CHOICES_OF = {
    "housing_status": HousingStatus, "highest_degree": Degree, "professional_title": ProfessionalTitle,
    "skill_level": SkillLevel, "social_insurance": SocialInsurance, "employer_type": EmployerType, "honors": Honor,
}


def _shown(field: str, value) -> str:
    """A value as the change log shows it: labels rather than codes, numbers masked."""
    if value in (None, "", []):
        return "—"
    if field == "phone":
        return mask_phone(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = CHOICES_OF.get(field)
    if isinstance(value, list):
        return "、".join(choices(v).label if choices and v in choices.values else v for v in value)
    if choices and value in choices.values:
        return choices(value).label
    return str(value)


@transaction.atomic
def talent_update(*, actor: User, talent_id: int, changes: dict) -> Talent:
    """信息维护: the talent changes their own contact, housing and qualifications; staff change the record
    of a talent in their jurisdiction (not identity, not category). Checked with the rest of the record,
    all or nothing, and written to the change log."""
    talent = Talent.objects.select_for_update().filter(talent_scope_q(actor), pk=talent_id).first()
    if talent is None:
        raise NotFound()
    allowed = talent_editable_fields(actor=actor, talent=talent)
    if not allowed:
        raise PermissionDenied("您没有修改该人才信息的权限")
    refused = [FieldError(key, f"{LABELS.get(key, key)}不能由您修改") for key in changes
               if key in LABELS and key not in allowed]
    if refused:
        raise ValidationFailed(refused)
    data = talent_input_validate(changes, existing=talent)
    before = history.history_snapshot(talent)
    if "district" in changes and not actor.is_administrator:
        talent_check_jurisdiction(actor, data.region)

    links = {"district": ("district", data.region), "organization_uscc": ("organization", data.organization)}
    applied: dict[str, dict] = {}
    for key in changes:
        if key in ("school", "school_country", "major"):
            continue  # they belong to the education row below
        if key == "phone":
            if (crypto.lookup_hash(data.phone) if data.phone else "") != talent.phone_hash:
                applied[key] = {"label": LABELS[key], "from": talent.phone_masked or "—", "to": _shown(key, data.phone)}
                talent.set_phone(data.phone)
            continue
        attribute, new = links.get(key, (key, getattr(data, key)))
        old = getattr(talent, attribute)
        if old != new:
            setattr(talent, attribute, new)
            applied[attribute] = {"label": LABELS[key], "from": _shown(key, old), "to": _shown(key, new)}
    if "organization" in applied and "employer_type" not in changes and data.organization:
        talent.employer_type = data.organization.employer_type
    if (actor.role == Role.STAFF or actor.is_administrator) and applied.keys() & EMPLOYMENT_FIELDS:
        # Staff wrote the employment: it is confirmed by staff.
        talent.employment_status = EmploymentStatus.CONFIRMED
        talent.employment_confirmed_by, talent.employment_confirmed_at = actor, timezone.now()
    written = None
    if any(key in changes for key in EDUCATION_FIELDS):
        education = education_build(talent=talent, data=data)
        latest = talent.educations.order_by("-graduation_date").first()
        if education and (latest is None or (latest.degree, latest.school, latest.graduation_date, latest.major)
                          != (education.degree, education.school, education.graduation_date, education.major)):
            education.save()
            written = education
            applied["education"] = {"label": "教育经历", "from": str(latest or "—"), "to": str(education)}
    if applied:
        talent.save()
        history.history_record(talent, before=before, on=timezone.localdate(), reason=HistoryReason.MAINTENANCE,
                               education=written)
        TalentChange.objects.create(talent=talent, actor=actor, changes=applied)
        audit_record(actor=actor, action=AuditAction.TALENT_UPDATE, obj=talent,
                     summary=f"修改 {talent.name} 的" + "、".join(c["label"] for c in applied.values()))
    return talent


# --- employment confirmed by the employer (or staff) ---------------------------------------------------

EMPLOYMENT_FIELDS = {"organization", "employer_type", "employment_start"}


def _employment_locked(actor: User, talent_id: int) -> Talent:
    """The talent whose employment the actor may decide, locked: an employer's own claimant (a claim names
    the employer, so the employer may see it before confirming), or for staff a talent in their jurisdiction."""
    if actor.role == Role.EMPLOYER and actor.organization_id:
        qs = Talent.objects.filter(organization_id=actor.organization_id)
    elif actor.role == Role.STAFF or actor.is_administrator:
        qs = Talent.objects.filter(talent_scope_q(actor))
    else:
        raise PermissionDenied("只有用人单位和政府工作人员可以确认任职")
    talent = qs.select_for_update().filter(pk=talent_id).first()
    if talent is None or talent.organization_id is None:
        raise NotFound("未找到该任职申报，或不在您的管辖范围内")
    return talent


def _employment_decide(*, actor: User, talent_id: int, target: str, reason: str = "") -> Talent:
    talent = _employment_locked(actor, talent_id)
    if talent.employment_status == target:
        return talent  # the same decision twice (a double click, a race) changes nothing
    if actor.role == Role.EMPLOYER and talent.employment_status != EmploymentStatus.CLAIMED:
        raise Conflict(f"该任职已{talent.get_employment_status_display()}，不能再更改；如有变化请联系人社部门",
                       code="employment_decided")
    previous = talent.get_employment_status_display()
    talent.employment_status = target
    talent.employment_confirmed_by, talent.employment_confirmed_at = actor, timezone.now()
    talent.save(update_fields=["employment_status", "employment_confirmed_by", "employment_confirmed_at",
                               "updated_at"])
    history.history_employment_decided(talent)
    label = EmploymentStatus(target).label
    TalentChange.objects.create(talent=talent, actor=actor, changes={"employment_status": {
        "label": "任职确认", "from": previous, "to": label + (f"（{reason}）" if reason else "")}})
    because = f"，理由：{reason}" if reason else ""
    audit_record(actor=actor, action=AuditAction.EMPLOYMENT, obj=talent,
                 summary=f"{talent.name} 在{talent.organization}的任职：{label}{because}")
    return talent


@transaction.atomic
def employment_confirm(*, actor: User, talent_id: int) -> Talent:
    """The employer (or staff) confirms that the talent works there: from now on the employer sees the person
    and policies rely on the employment."""
    return _employment_decide(actor=actor, talent_id=talent_id, target=EmploymentStatus.CONFIRMED)


@transaction.atomic
def employment_reject(*, actor: User, talent_id: int, reason: str = "") -> Talent:
    """The employer (or staff) states that the talent does not work there."""
    reason = (reason or "").strip()
    if len(reason) > 200:
        raise ValidationFailed([FieldError("reason", "不予确认的理由不能超过200个字")])
    return _employment_decide(actor=actor, talent_id=talent_id, target=EmploymentStatus.REJECTED, reason=reason)


def id_type_label(value: str) -> str:
    return IdType(value).label
