"""Writes of 项目申报. Each service owns its transaction and checks who may act.

- Calls: ``call_create`` (staff: window, tiers with target and most places and money, the call's money, the budget
  year, materials, endorsement, review plan, stages), ``call_publish``.
- Applications: ``application_create`` (a talent, a team lead naming members from the registry, an employer for
  itself or for a talent it brought in; pre-filled from the registry and the documents on file),
  ``application_document_add``, ``application_shortage_entry_set`` (the 急需紧缺目录 position a declaration
  names), ``member_answer`` (a member confirms), ``application_endorse`` (单位推荐), and
  ``application_transition`` — the one way an application changes status (submit, return, accept, reject,
  withdraw, panel, score; and, from the call's services, rank, award, not_award).
- Awards: ``ranking_finalise`` (one staff member wins; the other gets a 409), ``award_propose`` (within the
  tier's most places and the call's money), ``award_cancel``, ``awards_approve`` (a leader: every stage committed
  on the budget line, every award on 公示), then, from the notice: ``award_cleared`` (granted; the first stage
  scheduled through payments) or ``award_upheld`` (an objection upheld: withdrawn, budget released).
- Follow-up: ``report_submit`` (the grantee), ``report_decide`` (staff: accepted → the stages it releases are
  scheduled; failed → the later stages cancelled and released, the grant stopped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff, talent_scope_q
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import optional_int
from rencai.documents.enums import DocumentKind
from rencai.notifications.services import notify
from rencai.payments.budgets import budget_commit, budget_release
from rencai.payments.models import add_months, fen_to_yuan, yuan_to_fen
from rencai.reviews import services as reviews
from rencai.reviews.enums import Stage
from rencai.reviews.models import Sheet
from rencai.talents.models import Talent

from . import eligibility, review, selectors
from .enums import (
    Action,
    AwardStatus,
    MemberStatus,
    Milestone,
    ReportStatus,
    StageStatus,
    StageTrigger,
    Status,
    Subject,
)
from .models import Application, ApplicationEvent, Award, Call, GrantStage, Report, TeamMember, Tier

TEXT_MAX = 4000
MEMBERS_MAX = 50
NOTICE_KIND = "programmes.award"
PROGRAMME_SHEET = "programme-review"


today = selectors.today  # one clock for the app


def is_call_office(user: User) -> bool:
    """A call is the city's (or the province's): opening it, fixing its ranking and proposing its awards are for
    staff of a city or provincial department (or administrators); a district's staff check and review the
    applications of their district."""
    from rencai.regions.models import RegionLevel, level_of

    if not user.is_authenticated:
        return False
    if user.is_administrator:
        return True
    return (user.role == Role.STAFF and user.department_id is not None
            and level_of(user.department.region_id) != RegionLevel.DISTRICT)


def require_call_office(actor: User) -> None:
    if not is_call_office(actor):
        raise PermissionDenied("申报通知、排名和立项由市级人社部门办理")


# --- calls ------------------------------------------------------------------------------------------------------

@dataclass
class TierInput:
    label: str
    places: int
    places_max: int | None = None
    amount: Decimal | str = ""
    value: str = ""


@dataclass
class CallInput:
    policy: str
    year: int
    opens_on: dt.date | None
    closes_on: dt.date | None
    money: Decimal | str
    tiers: list[TierInput]
    title: str = ""
    body: str = ""
    budget_year: int | None = None
    materials: list[str] = field(default_factory=list)
    endorsement_required: bool = False
    panel_size: int = 3
    review_days: int = 10
    defence: bool = False
    defence_weight: Decimal | str = "0"
    # Each stage: {"trigger": "award" | "midterm" | "final", "percent": whole number}; together 100.
    stages: list[dict] = field(default_factory=lambda: [{"trigger": "award", "percent": 100}])
    payee: str = "talent"
    notice_days: int = 5
    midterm_months: int | None = None
    final_months: int = 24
    sheet_id: int | str | None = None  # a scoring sheet kept as data (reviews.Sheet); none: the example sheet


def _yuan(value, name: str, label: str, errors: list[FieldError]) -> int | None:
    if isinstance(value, float):
        value = str(value)
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        errors.append(FieldError(name, f"{label}应为金额（元，最多两位小数）"))
        return None
    if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")) \
            or amount > Decimal("100000000000"):
        errors.append(FieldError(name, f"{label}应大于0、最多两位小数且不超过1000亿元"))
        return None
    return yuan_to_fen(amount)


def programme_sheet() -> Sheet:
    """The scoring sheet a call uses unless the office keeps another: an example of four criteria out of 100 (the
    documents give no criteria for these programmes; administrators edit it as data before it is used)."""
    return reviews.sheet_ensure(
        code=PROGRAMME_SHEET, name="项目评审评分表（示例）",
        note="文件未规定项目评审的评分标准，此为示例，可由管理员在使用前修改",
        criteria=[reviews.CriterionSpec("innovation", "创新性和技术水平", 30),
                  reviews.CriterionSpec("foundation", "申报主体基础和能力", 25),
                  reviews.CriterionSpec("impact", "预期成效和带动作用", 25),
                  reviews.CriterionSpec("fit", "与本地产业契合度", 20)])


def _call_errors(data: CallInput) -> tuple[list[FieldError], dict]:
    from rencai.policies.calculator import default_catalog

    errors: list[FieldError] = []
    values: dict = {}
    policy = default_catalog().policies.get((data.policy or "").strip())
    if policy is None or policy.kind != "program":
        errors.append(FieldError("policy", "请选择政策目录中的人才项目"))
    else:
        values.update(policy=policy.id, policy_title=policy.title, subject=policy.subject or "person")
    year = optional_int(data.year)
    if year is None or not 2000 <= year <= 2100:
        errors.append(FieldError("year", "年度应为2000至2100之间的年份"))
    budget_year = optional_int(data.budget_year) if data.budget_year not in (None, "") else year
    if budget_year is None or not 2000 <= budget_year <= 2100:
        errors.append(FieldError("budget_year", "预算年度应为2000至2100之间的年份"))
    if not isinstance(data.opens_on, dt.date):
        errors.append(FieldError("opens_on", "请填写申报开始日期"))
    if not isinstance(data.closes_on, dt.date):
        errors.append(FieldError("closes_on", "请填写申报截止日期"))
    elif isinstance(data.opens_on, dt.date) and data.closes_on < data.opens_on:
        errors.append(FieldError("closes_on", "申报截止日期不能早于开始日期"))
    money = _yuan(data.money, "money", "本批资金总额", errors)
    tiers = []
    if not data.tiers:
        errors.append(FieldError("tiers", "请至少设置一个档次（名额和每项资助金额）"))
    labels = set()
    for i, tier in enumerate(data.tiers or [], start=1):
        label = (tier.label or "").strip()[:60]
        if not label or label in labels:
            errors.append(FieldError("tiers", f"第{i}档：请填写档次名称（不能重复）"))
        labels.add(label)
        places = optional_int(tier.places)
        most = optional_int(tier.places_max) if tier.places_max not in (None, "") else places
        if places is None or not 1 <= places <= 10000:
            errors.append(FieldError("tiers", f"第{i}档：计划名额应为1至10000的整数"))
        elif most is None or most < places or most > 10000:
            errors.append(FieldError("tiers", f"第{i}档：名额上限应为不少于计划名额的整数"))
        amount = _yuan(tier.amount, "tiers", f"第{i}档每项资助金额", errors)
        tiers.append(Tier(position=i, label=label, value=(tier.value or "").strip()[:40], places=places or 1,
                          places_max=most or 1, amount_fen=amount or 1))
    materials = [m for m in dict.fromkeys(data.materials or [])]
    unknown = [m for m in materials if m not in DocumentKind.values]
    if unknown:
        errors.append(FieldError("materials", "申报材料中有未知的材料类型"))
    size, days = optional_int(data.panel_size), optional_int(data.review_days)
    if size is None or not 1 <= size <= 15:
        errors.append(FieldError("panel_size", "评审专家人数应为1至15人"))
    if days is None or not 1 <= days <= 60:
        errors.append(FieldError("review_days", "评审期限应为1至60个工作日"))
    try:
        weight = Decimal(str(data.defence_weight or "0"))
    except InvalidOperation:
        weight = Decimal(-1)
    if not (0 <= weight <= 1) or (weight and not data.defence):
        errors.append(FieldError("defence_weight", "答辩成绩权重应在0至1之间，且仅在安排答辩时填写"))
    stages = []
    for stage in data.stages or []:
        trigger, percent = stage.get("trigger"), optional_int(stage.get("percent"))
        if trigger not in StageTrigger.values or percent is None or not 1 <= percent <= 100:
            errors.append(FieldError("stages", "拨付安排中每期须写明拨付条件和比例（1至100的整数）"))
            break
        stages.append({"trigger": trigger, "percent": percent})
    if stages and sum(s["percent"] for s in stages) != 100:
        errors.append(FieldError("stages", "各期拨付比例合计应为100%"))
    if not stages:
        errors.append(FieldError("stages", "请设置拨付安排"))
    final = optional_int(data.final_months)
    midterm = optional_int(data.midterm_months) if data.midterm_months not in (None, "") else None
    if final is None or not 1 <= final <= 120:
        errors.append(FieldError("final_months", "结题验收时间应为立项后1至120个月"))
    if data.midterm_months not in (None, "") and (midterm is None or not 1 <= midterm < (final or 0)):
        errors.append(FieldError("midterm_months", "中期检查时间应早于结题验收"))
    if any(s["trigger"] == StageTrigger.MIDTERM for s in stages) and midterm is None:
        errors.append(FieldError("stages", "拨付安排含“中期检查通过后拨付”，请设置中期检查时间"))
    if data.payee not in ("talent", "employer"):
        errors.append(FieldError("payee", "请选择收款方"))
    notice = optional_int(data.notice_days)
    if notice is None or not 1 <= notice <= 30:
        errors.append(FieldError("notice_days", "公示期应为1至30个工作日"))
    sheet = None
    if data.sheet_id not in (None, ""):
        sheet = Sheet.objects.filter(pk=optional_int(data.sheet_id) or 0).first()
        if sheet is None:
            errors.append(FieldError("sheet", "请选择评分表"))
    values["sheet"] = sheet
    title = (data.title or "").strip()[:200]
    if not title and "policy_title" in values:
        title = f"{year}年度{values['policy_title']}申报通知"
    values.update(year=year, budget_year=budget_year, title=title, body=(data.body or "").strip()[:TEXT_MAX],
                  opens_on=data.opens_on, closes_on=data.closes_on, money_fen=money, materials=materials,
                  endorsement_required=bool(data.endorsement_required), panel_size=size, review_days=days,
                  defence=bool(data.defence), defence_weight=weight if weight >= 0 else Decimal(0), stages=stages,
                  payee=data.payee, notice_days=notice, midterm_months=midterm, final_months=final, tiers=tiers)
    return errors, values


@transaction.atomic
def call_create(*, actor: User, data: CallInput, publish: bool = False) -> Call:
    """A call for a programme and year (one per programme and year: a second is a 409). Every problem at once,
    nothing written."""
    require_call_office(actor)
    errors, values = _call_errors(data)
    if errors:
        raise ValidationFailed(errors)
    tiers = values.pop("tiers")
    values["sheet"] = values["sheet"] or programme_sheet()
    try:
        with transaction.atomic():
            call = Call.objects.create(**values, created_by=actor, published=publish)
    except IntegrityError:
        raise Conflict(f"{values['policy_title']}{values['year']}年度已有申报通知", code="call_exists") from None
    for tier in tiers:
        tier.call = call
    Tier.objects.bulk_create(tiers)
    audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=call,
                 summary=f"发布{call.title}" if publish else f"起草{call.title}")
    return call


@transaction.atomic
def call_publish(*, actor: User, call_id) -> Call:
    require_call_office(actor)
    call = Call.objects.select_for_update().filter(pk=optional_int(call_id) or 0).first()
    if call is None:
        raise NotFound("未找到该申报通知")
    if not call.published:
        call.published = True
        call.save(update_fields=["published"])
        audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=call, summary=f"发布{call.title}")
    return call


# --- applications -----------------------------------------------------------------------------------------------

@dataclass
class MemberInput:
    name: str
    id_number: str
    duty: str = ""


@dataclass
class ApplicationInput:
    call_id: int | str
    project_title: str
    summary: str = ""
    tier_id: int | str | None = None
    talent_id: int | str | None = None  # an employer declaring a talent it brought in
    shortage_entry_id: int | str | None = None  # …for a 急需紧缺目录 position (eligibility.SHORTAGE_NAMED)
    team_name: str = ""
    team_kind: str = ""
    team_introduced: bool | None = None
    added_members: int | str | None = None
    members: list[MemberInput] = field(default_factory=list)


def _window_check(call: Call) -> None:
    on = today()
    if not call.published:
        raise NotFound("未找到该申报通知")
    if not call.opens_on <= on <= call.closes_on:
        when = "尚未开始" if on < call.opens_on else "已截止"
        window = f"{call.opens_on:%Y年%m月%d日}至{call.closes_on:%Y年%m月%d日}"
        raise Conflict(f"{call.title}申报{when}（申报期为{window}），不能申报", code="call_closed")


def _members(data: ApplicationInput, lead: Talent, errors: list[FieldError]) -> list[tuple[Talent, str]]:
    from rencai.core import crypto

    found: list[tuple[Talent, str]] = []
    if len(data.members) > MEMBERS_MAX:
        errors.append(FieldError("members", f"团队成员最多{MEMBERS_MAX}人"))
        return found
    for i, member in enumerate(data.members, start=1):
        name, number = (member.name or "").strip(), (member.id_number or "").strip().upper()
        if not name or not number:
            errors.append(FieldError("members", f"第{i}位成员：请填写姓名和证件号码"))
            continue
        talent = Talent.objects.filter(id_number_hash=crypto.lookup_hash(number)).first()
        if talent is None or talent.name != name:
            errors.append(FieldError("members", f"第{i}位成员{name}不在人才信息库中（姓名与证件号码不符或未登记），"
                                                f"请其先登记"))
            continue
        if talent.pk == lead.pk or any(t.pk == talent.pk for t, _ in found):
            errors.append(FieldError("members", f"第{i}位成员{name}重复填写"))
            continue
        found.append((talent, (member.duty or "").strip()[:60]))
    return found


@transaction.atomic
def application_create(*, actor: User, data: ApplicationInput) -> Application:
    """A new application (填写中), pre-filled from the registry and the documents on file. Refused outside the
    window (409) and for a member not in the registry (422, every member at once)."""
    call = Call.objects.filter(pk=optional_int(data.call_id) or 0).first()
    if call is None:
        raise NotFound("未找到该申报通知")
    _window_check(call)
    errors: list[FieldError] = []
    talent = organization = None
    if call.subject in (Subject.PERSON, Subject.TEAM):
        if actor.role != Role.TALENT:
            raise PermissionDenied("本项目由人才本人（团队由带头人）申报")
        talent = Talent.objects.filter(user=actor).select_related("organization").first()
        if talent is None:
            raise PermissionDenied("您的账号尚未关联人才信息，请先登记")
        organization = talent.organization
    else:
        if actor.role != Role.EMPLOYER or actor.organization_id is None:
            raise PermissionDenied("本项目由用人单位申报")
        organization = actor.organization
        if eligibility.PERSON_SIDE.get(call.policy) or data.talent_id not in (None, ""):
            talent = Talent.objects.filter(talent_scope_q(actor), pk=optional_int(data.talent_id) or 0).first()
            if talent is None:
                errors.append(FieldError("talent", "请选择本单位引进的人才（须为本单位已确认的在职人员）"))
    shortage_entry = _shortage_entry(call, organization, data.shortage_entry_id, errors)
    title = (data.project_title or "").strip()
    if not 2 <= len(title) <= 200:
        errors.append(FieldError("project_title", "请填写项目名称（2至200字）"))
    summary = (data.summary or "").strip()
    if len(summary) > TEXT_MAX:
        errors.append(FieldError("summary", f"项目简介不能超过{TEXT_MAX}字"))
    tier = None
    if data.tier_id not in (None, ""):
        tier = Tier.objects.filter(call=call, pk=optional_int(data.tier_id) or 0).first()
        if tier is None:
            errors.append(FieldError("tier", "请选择本通知设置的档次"))
    members: list[tuple[Talent, str]] = []
    team = {}
    if call.subject == Subject.TEAM:
        if not 2 <= len((data.team_name or "").strip()) <= 120:
            errors.append(FieldError("team_name", "请填写团队名称（2至120字）"))
        if data.team_kind not in ("innovation", "startup"):
            errors.append(FieldError("team_kind", "请选择团队类型（创新团队或创业团队）"))
        added = optional_int(data.added_members) if data.added_members not in (None, "") else None
        if data.added_members not in (None, "") and (added is None or not 0 <= added <= 1000):
            errors.append(FieldError("added_members", "增加成员人数应为0至1000的整数"))
        if talent is not None:
            members = _members(data, talent, errors)
        if not data.members:
            errors.append(FieldError("members", "请填写团队成员（须为人才信息库中的人才）"))
        team = {"team_name": (data.team_name or "").strip()[:120], "team_kind": data.team_kind or "",
                "team_introduced": data.team_introduced, "added_members": added}
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call, subject=call.subject, talent=talent, organization=organization, applicant=actor,
                project_title=title, summary=summary, tier=tier, shortage_entry=shortage_entry, **team)
    except IntegrityError:
        existing = Application.objects.filter(call=call, talent=talent) if talent else \
            Application.objects.filter(call=call, organization=organization, talent__isnull=True)
        found = existing.first()
        raise Conflict(f"已申报过{call.title}（{found.number if found else ''}），不能重复申报",
                       code="already_applied") from None
    TeamMember.objects.bulk_create([TeamMember(application=application, talent=t, duty=duty) for t, duty in members])
    _attach_on_file(application)
    _event(application, actor=actor, action=Action.CREATE, from_status="", to_status=Status.DRAFT)
    for member, _duty in members:
        _tell_users([member.user_id], key=f"programme-member-{application.pk}-{member.pk}",
                    title=f"邀请您加入团队申报：{call.policy_title}",
                    body=f"{talent.name}将您列为“{application.team_name}”的成员，请确认",
                    link=reverse("programmes:application", args=[application.pk]))
    return application


def _shortage_entry(call: Call, organization, entry_id, errors: list[FieldError]):
    """The 急需紧缺人才需求目录 position a declaration names (only where the programme asks for one): one of a
    published catalog of the employer's chain, of the call's year or the year before; blank is allowed on a draft
    (submission refuses it)."""
    if call.policy not in eligibility.SHORTAGE_NAMED or entry_id in (None, ""):
        return None
    from rencai.opportunities.shortage import declarable_entries

    entry = declarable_entries(organization=organization, call_year=call.year).filter(
        pk=optional_int(entry_id) or 0).first()
    if entry is None:
        errors.append(FieldError("shortage_entry", eligibility.SHORTAGE_MISSING))
    return entry


@transaction.atomic
def application_shortage_entry_set(*, actor: User, application_id, entry_id) -> Application:
    """Name (or change) the catalog position of a declaration still in the applicant's hands."""
    application = _lock(actor, application_id)
    _require_applicant(actor, application)
    if application.call.policy not in eligibility.SHORTAGE_NAMED:
        raise ValidationFailed([FieldError("shortage_entry", "本项目不需要填写按目录引进的岗位")])
    if application.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict("申报已提交，不能再修改", code="wrong_status")
    errors: list[FieldError] = []
    entry = _shortage_entry(application.call, application.organization, entry_id, errors)
    if errors or entry is None:
        raise ValidationFailed(errors or [FieldError("shortage_entry", eligibility.SHORTAGE_MISSING)])
    application.shortage_entry = entry
    application.save(update_fields=["shortage_entry"])
    return application


def _material_owner(application: Application) -> Talent | None:
    return application.talent


def _attach_on_file(application: Application) -> None:
    """Materials already on file (the document store) are attached, not asked for again."""
    from rencai.documents.selectors import documents_on_file

    owner = _material_owner(application)
    if owner is None or not application.call.materials:
        return
    found = documents_on_file(talent=owner, kinds=application.call.materials)
    if found:
        application.documents = {**(application.documents or {}), **{k: d.pk for k, d in found.items()}}
        application.save(update_fields=["documents"])


@transaction.atomic
def application_document_add(*, actor: User, application_id, kind: str, upload) -> Application:
    from rencai.documents.services import document_upload

    application = _lock(actor, application_id)
    _require_applicant(actor, application)
    if application.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict("申报已提交，不能再更换材料", code="wrong_status")
    if kind not in application.call.materials:
        raise ValidationFailed([FieldError("kind", "本通知不要求这种材料")])
    owner = _material_owner(application)
    if owner is None:
        raise ValidationFailed([FieldError("kind", "单位自身申报的材料请在形式审查时向经办人员提交")])
    document = document_upload(actor=actor, talent=owner, kind=kind, upload=upload, authorized=True)
    application.documents = {**(application.documents or {}), kind: document.pk}
    application.save(update_fields=["documents"])
    return application


@transaction.atomic
def member_answer(*, actor: User, application_id, accept: bool) -> TeamMember:
    """A team member confirms (or declines) being on the team; the lead submits once everyone has confirmed."""
    member = (TeamMember.objects.select_for_update().filter(application_id=optional_int(application_id) or 0,
                                                            talent__user=actor).select_related("application").first()
              if actor.is_authenticated and actor.role == Role.TALENT else None)
    if member is None:
        raise NotFound("未找到邀请您加入的团队申报")
    if member.application.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict("该团队申报已提交或已结束，不能再更改确认", code="wrong_status")
    status = MemberStatus.CONFIRMED if accept else MemberStatus.DECLINED
    if member.status != status:
        member.status, member.answered_at = status, timezone.now()
        member.save(update_fields=["status", "answered_at"])
        lead = member.application.talent
        _tell_users([lead.user_id if lead else None], key=f"programme-answer-{member.pk}-{status}",
                    title=f"团队成员{member.talent.name}{'已确认' if accept else '已拒绝'}加入",
                    link=reverse("programmes:application", args=[member.application_id]))
    return member


@transaction.atomic
def application_endorse(*, actor: User, application_id) -> Application:
    """单位推荐: the applicant's employer endorses (once; again changes nothing)."""
    application = _lock(actor, application_id)
    if actor.role != Role.EMPLOYER or actor.organization_id != application.organization_id:
        raise PermissionDenied("只有申报人所在单位可以推荐")
    if application.status not in (Status.DRAFT, Status.RETURNED, Status.SUBMITTED):
        raise Conflict(f"申报当前状态为“{application.get_status_display()}”，不能再推荐", code="wrong_status")
    if application.endorsed_at is None:
        application.endorsed_by, application.endorsed_at = actor, timezone.now()
        application.save(update_fields=["endorsed_by", "endorsed_at"])
        _event(application, actor=actor, action=Action.ENDORSE, from_status=application.status,
               to_status=application.status)
    return application


# --- the application's state machine -----------------------------------------------------------------------------

class _NoChange(Exception):  # control flow: the step is already done
    pass


@dataclass
class Outcome:
    target: str | None = None
    reason: str = ""
    data: dict | None = None
    fields: tuple[str, ...] = ()


def _lock(actor: User, application_id) -> Application:
    pk = optional_int(application_id) or 0
    if not selectors.applications_visible(actor).filter(pk=pk).exists():
        raise NotFound("未找到该项目申报，或您无权查看")
    return Application.objects.select_for_update().select_related("call").get(pk=pk)


def _require_applicant(actor: User, application: Application) -> None:
    if not selectors.is_applicant(actor, application):
        raise PermissionDenied("只有申报人（团队带头人、申报单位）可以办理此操作")


def _require_office(actor: User, application: Application) -> None:
    require_staff(actor)


def _require_expert(actor: User, application: Application) -> None:
    if actor.role != Role.EXPERT:
        raise PermissionDenied("只有本申报的评审专家可以评分")


def _submit(application: Application, actor: User, payload: dict) -> Outcome:
    _window_check(application.call)
    errors: list[FieldError] = []
    # A member who declined is not on the team; one who has not answered holds the submission.
    waiting = list(application.members.filter(status=MemberStatus.INVITED).select_related("talent"))
    if waiting:
        names = "、".join(f"{m.talent.name}（{m.get_status_display()}）" for m in waiting)
        errors.append(FieldError("members", f"团队成员尚未全部确认：{names}"))
    if application.subject == Subject.TEAM and not application.members.filter(
            status=MemberStatus.CONFIRMED).exists():
        errors.append(FieldError("members", "团队至少须有一名已确认的成员"))
    labels = dict(DocumentKind.choices)
    missing = selectors.missing_materials(application)
    if missing:
        errors.append(FieldError("documents", "缺少申报材料：" + "、".join(labels[k] for k in missing)))
    if application.call.endorsement_required and application.subject != Subject.ORGANIZATION \
            and application.endorsed_at is None:
        errors.append(FieldError("endorsement", "本通知要求单位推荐，请所在单位在其账号中推荐后再提交"
                                 if application.organization_id else "本通知要求单位推荐，您尚无确认的工作单位"))
    snapshot = eligibility.evaluate(application, as_of=today())
    errors += eligibility.eligibility_errors(application, snapshot)
    if errors:
        raise ValidationFailed(errors)
    application.snapshot = snapshot
    application.submitted_at = timezone.now()
    application.problems = {}
    return Outcome(fields=("snapshot", "submitted_at", "problems"))


def _return(application: Application, actor: User, payload: dict) -> Outcome:
    problems = {str(k)[:40]: str(v).strip()[:300] for k, v in (payload.get("problems") or {}).items()
                if str(v).strip()}
    note = (payload.get("note") or "").strip()[:500]
    if not problems and len(note) < 2:
        raise ValidationFailed([FieldError("note", "请写明需要补正的内容")])
    application.problems = {**problems, **({"note": note} if note else {})}
    return Outcome(reason=note or "；".join(problems.values()), fields=("problems",))


def _reject(application: Application, actor: User, payload: dict) -> Outcome:
    reason = (payload.get("reason") or "").strip()
    if not 2 <= len(reason) <= 500:
        raise ValidationFailed([FieldError("reason", "请填写形式审查不通过的理由（2至500字）")])
    return Outcome(reason=reason)


def _withdraw(application: Application, actor: User, payload: dict) -> Outcome:
    return Outcome(reason=(payload.get("reason") or "").strip()[:500])


def _panel(application: Application, actor: User, payload: dict) -> Outcome:
    stage = payload.get("stage") or Stage.REVIEW
    if stage == Stage.DEFENCE and not application.call.defence:
        raise ValidationFailed([FieldError("stage", "本通知未安排答辩")])
    if stage not in Stage.values:
        raise ValidationFailed([FieldError("stage", "未知的评审环节")])
    call = application.call
    panel, created = reviews.panel_form(actor=actor, item=review.ref(application), parties=review.parties(application),
                                        expert_ids=payload.get("expert_ids") or [], sheet=call.sheet,
                                        size=call.panel_size, review_days=call.review_days, stage=stage)
    if not created:
        raise _NoChange
    assignments = list(panel.assignments.select_related("expert").order_by("id"))
    names = [a.expert.name for a in assignments]
    for assignment in assignments:  # each expert told of the task, with its page and period
        _tell_users([assignment.expert.user_id], key=f"programme-panel-{assignment.pk}",
                    title=f"评审任务：{call.policy_title} {application.number}",
                    body=f"请在{call.review_days}个工作日内完成{Stage(stage).label}评分",
                    link=reverse("programmes:score", args=[assignment.pk]))
    return Outcome(reason=f"{Stage(stage).label}专家{len(names)}人", data={"experts": names, "stage": stage})


def _score(application: Application, actor: User, payload: dict) -> Outcome:
    stage = payload.get("stage") or Stage.REVIEW
    assignment, created = reviews.score_submit(actor=actor, item=review.ref(application),
                                               scores=payload.get("scores") or {},
                                               comment=payload.get("comment") or "",
                                               stage=stage if stage in Stage.values else Stage.REVIEW)
    if not created:
        raise _NoChange
    return Outcome(data={"assignment": assignment.pk, "total": str(assignment.total), "stage": stage})


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str | None  # None: stays where it is
    who: Callable[[User, Application], None]
    handler: Callable | None = None


STEPS: dict[str, Step] = {
    Action.SUBMIT: Step((Status.DRAFT, Status.RETURNED), Status.SUBMITTED, _require_applicant, _submit),
    Action.RETURN: Step((Status.SUBMITTED,), Status.RETURNED, _require_office, _return),
    Action.ACCEPT: Step((Status.SUBMITTED,), Status.REVIEWING, _require_office),
    Action.REJECT: Step((Status.SUBMITTED,), Status.REJECTED, _require_office, _reject),
    Action.WITHDRAW: Step((Status.DRAFT, Status.SUBMITTED, Status.RETURNED), Status.WITHDRAWN, _require_applicant,
                          _withdraw),
    Action.PANEL: Step((Status.REVIEWING,), None, _require_office, _panel),
    Action.SCORE: Step((Status.REVIEWING,), None, _require_expert, _score),
}


@transaction.atomic
def application_transition(*, actor: User, application_id, action: str, payload: dict | None = None
                           ) -> Application:
    """The one way an application changes status at its own pace. The same step posted twice changes nothing;
    a step from a status it does not start from is a 409."""
    step = STEPS.get(action)
    if step is None:
        raise ValidationFailed([FieldError("action", "未知的操作")])
    application = _lock(actor, application_id)
    step.who(actor, application)
    if application.status not in step.sources:
        last = application.events.order_by("-at", "-id").first()
        if last and last.actor_id == actor.pk and last.action == action:
            return application
        raise Conflict(f"申报当前状态为“{application.get_status_display()}”，不能{Action(action).label}",
                       code="wrong_status")
    try:
        outcome = step.handler(application, actor, payload or {}) if step.handler else Outcome()
    except _NoChange:
        return application
    _move(application, actor=actor, action=action, target=step.target or application.status, outcome=outcome)
    return application


def _move(application: Application, *, actor: User | None, action: str, target: str,
          outcome: Outcome | None = None) -> None:
    """Write a step: the status, the fields its handler changed, the timeline, the audit log, the applicant told.
    Only this function writes an application's status."""
    outcome = outcome or Outcome()
    from_status = application.status
    application.status = target
    application.save(update_fields=["status", *outcome.fields])
    _event(application, actor=actor, action=action, from_status=from_status, to_status=target,
           reason=outcome.reason, data=outcome.data)


def _event(application: Application, *, actor: User | None, action: str, from_status: str, to_status: str,
           reason: str = "", data: dict | None = None) -> None:
    ApplicationEvent.objects.create(application=application, actor=actor, action=action, from_status=from_status,
                                    to_status=to_status, at=timezone.now(), reason=reason[:2000], data=data or {})
    if actor is not None and actor.role in (Role.STAFF, Role.LEADER, Role.ADMIN):
        because = f"，理由：{reason[:200]}" if reason else ""
        audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=application,
                     region_code=_region(application),
                     summary=f"{application.number}（{application.call.policy_title}）：{Action(action).label}，"
                             f"状态为{Status(to_status).label}{because}")
    if from_status != to_status and action not in (Action.CREATE,):
        users = _applicant_users(application)
        _tell_users(users, key=f"programme-{application.pk}-{action}-{to_status}",
                    title=f"项目申报{application.number}：{Status(to_status).label}",
                    body=f"{application.call.title}。{reason[:300]}",
                    link=reverse("programmes:application", args=[application.pk]))


def _region(application: Application) -> str:
    if application.talent_id:
        return str(Talent.objects.filter(pk=application.talent_id).values_list("district_id", flat=True).first())
    return str(application.organization.district_id) if application.organization_id else ""


def _applicant_users(application: Application) -> list[int]:
    if application.subject == Subject.ORGANIZATION:
        return list(User.objects.filter(role=Role.EMPLOYER, organization_id=application.organization_id,
                                        is_active=True).values_list("pk", flat=True))
    return [application.applicant_id]


def _tell_users(user_ids, *, key: str, title: str, body: str = "", link: str = "") -> None:
    ids = [pk for pk in user_ids if pk]
    if ids:
        transaction.on_commit(lambda: notify(recipients=ids, kind="programmes", title=title, body=body, link=link,
                                             key=key))


# --- thin wrappers, one per step, for views and the API ---------------------------------------------------------

def application_submit(*, actor: User, application_id) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.SUBMIT)


def application_return(*, actor: User, application_id, problems: dict | None = None, note: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.RETURN,
                                  payload={"problems": problems or {}, "note": note})


def application_accept(*, actor: User, application_id) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.ACCEPT)


def application_reject(*, actor: User, application_id, reason: str) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.REJECT,
                                  payload={"reason": reason})


def application_withdraw(*, actor: User, application_id, reason: str = "") -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.WITHDRAW,
                                  payload={"reason": reason})


def application_panel_form(*, actor: User, application_id, expert_ids: list, stage: str = Stage.REVIEW
                           ) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.PANEL,
                                  payload={"expert_ids": expert_ids, "stage": stage})


def review_score_submit(*, actor: User, application_id, scores: dict, comment: str = "",
                        stage: str = Stage.REVIEW) -> Application:
    return application_transition(actor=actor, application_id=application_id, action=Action.SCORE,
                                  payload={"scores": scores, "comment": comment, "stage": stage})


# --- ranking and awards ------------------------------------------------------------------------------------------

def _call_locked(actor: User, call_id) -> Call:
    call = Call.objects.select_for_update().filter(pk=optional_int(call_id) or 0).first()
    if call is None:
        raise NotFound("未找到该申报通知")
    return call


def _in_scope(actor: User, call: Call, statuses) -> list[Application]:
    return list(selectors.applications_visible(actor).filter(call=call, status__in=statuses)
                .select_related("call", "talent", "organization").order_by("id"))


@transaction.atomic
def ranking_finalise(*, actor: User, call_id) -> Call:
    """Fix the call's ranking from the panels' results: every application in review must have its panel's scores
    (and defence's, where it weighs). Only one can finalise: the second, at once or later, gets a 409."""
    require_call_office(actor)
    call = _call_locked(actor, call_id)
    if call.ranked_at is not None:
        raise Conflict(f"本批排名已由{call.ranked_by}于{timezone.localtime(call.ranked_at):%Y-%m-%d %H:%M}确定，"
                       f"不能再次确定", code="already_ranked")
    if today() <= call.closes_on:
        raise Conflict(f"申报截止（{call.closes_on:%Y年%m月%d日}）后才能确定排名", code="call_open")
    pending = Application.objects.filter(call=call, status=Status.SUBMITTED).count()
    if pending:
        raise Conflict(f"还有{pending}份申报未完成形式审查，不能确定排名", code="checks_pending")
    applications = {a.pk: a for a in Application.objects.filter(call=call, status=Status.REVIEWING)
                    .select_related("call")}
    if not applications:
        raise Conflict("本批没有进入专家评审的申报，无可排名", code="nothing_to_rank")
    ranked = selectors.reviews.ranking(review.KIND, list(applications), defence_weight=call.defence_weight)
    waiting = [r for r in ranked if r.rank is None]
    if waiting:
        numbers = "、".join(applications[r.item.id].number for r in waiting[:10])
        raise Conflict(f"还有{len(waiting)}份申报未完成评分：{numbers}", code="scores_missing")
    # The guard: one conditional update. A second finaliser waits for this row and then updates nothing.
    if not Call.objects.filter(pk=call.pk, ranked_at__isnull=True).update(ranked_at=timezone.now(), ranked_by=actor):
        raise Conflict("本批排名已由他人确定", code="already_ranked")
    for row in ranked:
        application = applications[row.item.id]
        application.rank, application.review_total = row.rank, row.final
        _move(application, actor=actor, action=Action.RANK, target=Status.RANKED,
              outcome=Outcome(reason=f"综合得分{row.final}，排名第{row.rank}", fields=("rank", "review_total")))
    call.refresh_from_db()
    return call


def award_amount_fen(application: Application, tier: Tier) -> int:
    """What an award of ``tier`` pays: the engine's amount with the tier decided (a team's level and added members,
    an organization's 奖励档次) where the engine computes one, never more than the call's money per place of the
    tier; else the tier's money per place."""
    if tier.value:
        snapshot = eligibility.evaluate(application, as_of=application.call.closes_on, tier_value=tier.value)
        computed = eligibility.amount_fen(snapshot)
        if computed:
            return min(computed, tier.amount_fen)
    return tier.amount_fen


@transaction.atomic
def award_propose(*, actor: User, call_id, application_id, tier_id, amount: Decimal | str | None = None) -> Award:
    """Propose an award (拟立项) from the ranking: within the tier's most places and the call's money (the call row
    locked, so that two proposals at once cannot together exceed them)."""
    require_call_office(actor)
    call = _call_locked(actor, call_id)
    application = selectors.applications_visible(actor).filter(
        pk=optional_int(application_id) or 0, call=call).select_related("call", "talent", "organization").first()
    if application is None:
        raise NotFound("未找到该项目申报，或您无权查看")
    if call.approved_at is not None:
        raise Conflict("本批立项已经领导审批，不能再增加", code="approved")
    if application.status != Status.RANKED:
        raise Conflict(f"申报当前状态为“{application.get_status_display()}”，确定排名后才能拟立项",
                       code="wrong_status")
    tier = Tier.objects.filter(call=call, pk=optional_int(tier_id) or 0).first()
    if tier is None:
        raise ValidationFailed([FieldError("tier", "请选择本通知设置的档次")])
    if Award.objects.filter(application=application).exclude(status=AwardStatus.WITHDRAWN).exists():
        raise Conflict(f"{application.number}已拟立项", code="already_proposed")
    most = award_amount_fen(application, tier)
    if amount in (None, ""):
        fen = most
    else:
        errors: list[FieldError] = []
        fen = _yuan(amount, "amount", "资助金额", errors)
        if errors:
            raise ValidationFailed(errors)
        if fen > most:
            raise ValidationFailed([FieldError("amount", f"资助金额不能超过该档次可资助的{fen_to_yuan(most)}元")])
    live = Award.objects.filter(call=call).exclude(status=AwardStatus.WITHDRAWN)
    in_tier = live.filter(tier=tier).count()
    if in_tier >= tier.places_max:
        raise Conflict(f"“{tier.label}”名额上限{tier.places_max}项已满（计划{tier.places}项）", code="places_full")
    used = live.aggregate(s=Sum("amount_fen"))["s"] or 0
    if used + fen > call.money_fen:
        raise Conflict(f"超出本批资金：本批资金{call.money}元，已拟立项{fen_to_yuan(used)}元，"
                       f"剩余{fen_to_yuan(call.money_fen - used)}元，不足本项{fen_to_yuan(fen)}元", code="over_money")
    award = Award.objects.create(application=application, call=call, tier=tier, amount_fen=fen, proposed_by=actor,
                                 proposed_at=timezone.now())
    audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=application, region_code=_region(application),
                 summary=f"{application.number}拟立项：{tier.label}，{fen_to_yuan(fen)}元")
    return award


@transaction.atomic
def award_cancel(*, actor: User, award_id) -> None:
    require_call_office(actor)
    award = Award.objects.select_for_update().filter(pk=optional_int(award_id) or 0).first()
    if award is None or not selectors.applications_visible(actor).filter(pk=award.application_id).exists():
        raise NotFound("未找到该拟立项")
    if award.status != AwardStatus.PROPOSED:
        raise Conflict("已经领导审批的立项不能在此撤销", code="approved")
    award.delete()


def _stages_of(call: Call, award: Award) -> list[GrantStage]:
    stages, given = [], 0
    for position, stage in enumerate(call.stages, start=1):
        fen = award.amount_fen - given if position == len(call.stages) else award.amount_fen * stage["percent"] // 100
        given += fen
        stages.append(GrantStage(award=award, position=position, trigger=stage["trigger"], amount_fen=fen))
    return [s for s in stages if s.amount_fen > 0]


def _require_leader(actor: User) -> None:
    if not (actor.is_authenticated and (actor.role == Role.LEADER or actor.is_administrator)):
        raise PermissionDenied("立项须由领导审批")


@transaction.atomic
def awards_approve(*, actor: User, call_id) -> Call:
    """A leader approves the proposed awards of a call at once: every stage committed on the programme's budget line
    of the call's budget year (the database's guard: beyond the line, a 409 and nothing written), each award on 公示,
    and the ranked applications without an award not chosen (未入选)."""
    from rencai.fulfilment.services import notice_publish

    _require_leader(actor)
    call = _call_locked(actor, call_id)
    if call.approved_at is not None:
        raise Conflict(f"本批立项已由{call.approved_by}审批", code="approved")
    awards = list(Award.objects.filter(call=call, status=AwardStatus.PROPOSED)
                  .select_related("application__talent", "application__organization", "tier"))
    if not awards:
        raise Conflict("本批还没有拟立项的申报", code="nothing_proposed")
    for award in awards:
        stages = _stages_of(call, award)
        GrantStage.objects.bulk_create(stages)
        for stage in stages:
            budget_commit(policy_id=call.policy, year=call.budget_year, amount=stage.amount,
                          reference=stage.reference)
        award.status = AwardStatus.NOTICE
        award.save(update_fields=["status"])
        application = award.application
        notice_publish(kind=NOTICE_KIND, subject_id=award.pk, masked_name=_masked(application),
                               title=f"{call.policy_title}（{call.year}年度）· {award.tier.label}",
                               amount_text=f"{award.amount}元", days=call.notice_days)
    for application in Application.objects.filter(call=call, status=Status.RANKED).exclude(
            award__status=AwardStatus.NOTICE).select_related("call"):
        _move(application, actor=actor, action=Action.NOT_AWARD, target=Status.NOT_AWARDED,
              outcome=Outcome(reason="未列入本批立项"))
    Call.objects.filter(pk=call.pk).update(approved_at=timezone.now(), approved_by=actor)
    audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=call,
                 summary=f"审批{call.title}立项{len(awards)}项，合计{fen_to_yuan(sum(a.amount_fen for a in awards))}元")
    call.refresh_from_db()
    return call


def _masked(application: Application) -> str:
    """公示 names a person by surname (as 政策兑现's notices do), a team by its lead's, a unit in full."""
    from rencai.fulfilment.notices import mask_to_surname

    if application.subject == Subject.ORGANIZATION and application.talent_id is None:
        return application.organization.name[:20]
    return mask_to_surname(application.talent.name) if application.talent_id else ""


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _payee(award: Award) -> dict:
    application, call = award.application, award.call
    if call.payee == "employer" or application.talent_id is None:
        return {"organization": application.organization, "talent": application.talent, "payee": "employer"}
    return {"talent": application.talent, "payee": "talent"}


def _schedule(stage: GrantStage, actor: User | None) -> None:
    from rencai.payments.grants import grant_stage_schedule

    month = _month(today())
    grant_stage_schedule(reference=stage.reference, policy_id=stage.award.call.policy, amount=stage.amount,
                         month=month, actor=actor, **_payee(stage.award))
    stage.status, stage.month = StageStatus.SCHEDULED, month
    stage.save(update_fields=["status", "month"])


def award_cleared(notice, actor: User | None) -> None:
    """The notice period ended with no objection standing: the award is granted, its first stages are scheduled
    for payment, and its milestones fall due."""
    award = Award.objects.select_for_update().select_related("call", "application__call").get(pk=notice.subject_id)
    if award.status != AwardStatus.NOTICE:
        return
    award.status, award.granted_at = AwardStatus.GRANTED, timezone.now()
    award.save(update_fields=["status", "granted_at"])
    for stage in award.stages.filter(trigger=StageTrigger.AWARD, status=StageStatus.WAITING):
        _schedule(stage, actor)
    start = today()
    reports = [Report(award=award, milestone=Milestone.FINAL, due_on=_months_after(start, award.call.final_months))]
    if award.call.midterm_months:
        reports.append(Report(award=award, milestone=Milestone.MIDTERM,
                              due_on=_months_after(start, award.call.midterm_months)))
    Report.objects.bulk_create(reports, ignore_conflicts=True)
    _move(award.application, actor=actor, action=Action.AWARD, target=Status.AWARDED,
          outcome=Outcome(reason=f"公示期满无异议，立项：{award.tier.label}，资助{award.amount}元"))


def _months_after(day: dt.date, months: int) -> dt.date:
    first = add_months(_month(day), months)
    return first.replace(day=min(day.day, 28))


def _release(award: Award, *, stages) -> None:
    for stage in stages:
        budget_release(policy_id=award.call.policy, year=award.call.budget_year, reference=stage.reference)


def award_upheld(notice, objection, actor: User | None) -> None:
    """An objection to the award was upheld: the award is withdrawn, its budget given back, the application not
    chosen."""
    award = Award.objects.select_for_update().select_related("call", "application__call").get(pk=notice.subject_id)
    if award.status != AwardStatus.NOTICE:
        return
    stages = list(award.stages.all())
    _release(award, stages=stages)
    GrantStage.objects.filter(award=award).update(status=StageStatus.CANCELLED)
    award.status, award.reason = AwardStatus.WITHDRAWN, f"公示异议成立：{(objection.answer or '')[:200]}"
    award.save(update_fields=["status", "reason"])
    _move(award.application, actor=actor, action=Action.NOT_AWARD, target=Status.NOT_AWARDED,
          outcome=Outcome(reason=award.reason))


# --- milestones and acceptance -----------------------------------------------------------------------------------

def _report_locked(actor: User, report_id) -> Report:
    report = (Report.objects.select_for_update().filter(pk=optional_int(report_id) or 0)
              .select_related("award__call", "award__application__call").first())
    if report is None or not selectors.applications_visible(actor).filter(pk=report.award.application_id).exists():
        raise NotFound("未找到该检查或验收")
    return report


@transaction.atomic
def report_submit(*, actor: User, report_id, text: str) -> Report:
    report = _report_locked(actor, report_id)
    _require_applicant(actor, report.award.application)
    if report.award.status != AwardStatus.GRANTED:
        raise Conflict("该项目不在执行期，不能提交", code="wrong_status")
    text = (text or "").strip()
    if not 10 <= len(text) <= TEXT_MAX:
        raise ValidationFailed([FieldError("text", f"请填写进展情况（10至{TEXT_MAX}字）")])
    if report.status not in (ReportStatus.DUE, ReportStatus.CHANGES):
        if report.status == ReportStatus.SUBMITTED and report.text == text:
            return report
        raise Conflict(f"{report.get_milestone_display()}当前为“{report.get_status_display()}”，不能再提交",
                       code="wrong_status")
    report.text, report.submitted_at, report.status = text, timezone.now(), ReportStatus.SUBMITTED
    report.save(update_fields=["text", "submitted_at", "status"])
    return report


DECISIONS = {"accept": ReportStatus.ACCEPTED, "changes": ReportStatus.CHANGES, "fail": ReportStatus.FAILED}


@transaction.atomic
def report_decide(*, actor: User, report_id, decision: str, reason: str = "") -> Report:
    """Staff decide a milestone: accepted (the stages it releases are scheduled; the final one finishes the grant),
    changes asked for, or failed (every stage not yet scheduled is cancelled and its budget given back; the grant
    is stopped)."""
    require_staff(actor)
    report = _report_locked(actor, report_id)
    target = DECISIONS.get(decision)
    if target is None:
        raise ValidationFailed([FieldError("decision", "请选择审核结果")])
    reason = (reason or "").strip()
    if target != ReportStatus.ACCEPTED and not 2 <= len(reason) <= 500:
        raise ValidationFailed([FieldError("reason", "请填写审核意见（2至500字）")])
    if report.status != ReportStatus.SUBMITTED:
        if report.status == target and report.decided_by_id == actor.pk:
            return report
        raise Conflict(f"{report.get_milestone_display()}当前为“{report.get_status_display()}”，不能审核",
                       code="wrong_status")
    award = Award.objects.select_for_update().select_related("call", "application__call").get(pk=report.award_id)
    report.status, report.decided_by, report.decided_at, report.reason = target, actor, timezone.now(), reason[:500]
    report.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    application = award.application
    if target == ReportStatus.ACCEPTED:
        for stage in award.stages.filter(trigger=report.milestone, status=StageStatus.WAITING):
            _schedule(stage, actor)
        if report.milestone == Milestone.FINAL:
            award.status = AwardStatus.FINISHED
            award.save(update_fields=["status"])
    elif target == ReportStatus.FAILED:
        later = list(award.stages.filter(status=StageStatus.WAITING))
        _release(award, stages=later)
        GrantStage.objects.filter(pk__in=[s.pk for s in later]).update(status=StageStatus.CANCELLED)
        # Stages already scheduled were earned by a milestone passed before: they are paid as scheduled.
        award.status, award.reason = AwardStatus.STOPPED, f"{report.get_milestone_display()}未通过：{reason[:200]}"
        award.save(update_fields=["status", "reason"])
    audit_record(actor=actor, action=AuditAction.PROGRAMME, obj=application, region_code=_region(application),
                 summary=f"{application.number}{report.get_milestone_display()}：{report.get_status_display()}"
                         + (f"，意见：{reason[:200]}" if reason else ""))
    _tell_users(_applicant_users(application), key=f"programme-report-{report.pk}-{target}",
                title=f"{application.call.policy_title}{report.get_milestone_display()}：{report.get_status_display()}",
                body=reason[:300], link=reverse("programmes:application", args=[application.pk]))
    return report
