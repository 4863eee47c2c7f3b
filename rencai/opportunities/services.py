"""Writes of 人才对接: opportunities (every kind) and the applications talent make to them.

One transition function per state machine: ``opportunity_transition`` (draft/returned → pending → published /
returned, closed) and ``application_transition`` (a table per kind). Each owns its transaction, locks the row it
moves, checks who may act, writes the move and tells people after the commit. A hire writes the registry
(organization, employer type, start, district; employment confirmed by the hiring employer) with its history."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, staff_over
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.parsing import (
    FieldErrors,
    is_blank,
    optional_int,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
)
from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

from .enums import (
    APPLIABLE_KINDS,
    FINAL_STATES,
    ApplicationState,
    CatalogStatus,
    ChallengeField,
    OpportunityKind,
    OpportunityStatus,
    Seeking,
)
from .models import Application, ApplicationStep, Opportunity, ShortageEntry

Kind = OpportunityKind
Status = OpportunityStatus
State = ApplicationState

EMPLOYMENT_KINDS = (Kind.JOB, Kind.INTERNSHIP)
STAFF_KINDS = (Kind.CHALLENGE, Kind.PROJECT, Kind.RESULT)
SALARY_LIMIT = Decimal("99999999.99")
FUNDING_LIMIT = Decimal("999999999999.99")
DUPLICATE_MESSAGE = "您已申请过该机会，不能重复申请（如已撤回，可重新申请）"
CLOSED_MESSAGE = "该机会已关闭或已过截止日期，不能再申请"
NOTIFY_KIND = "opportunities"
MY_APPLICATIONS_LINK = "/opportunities/mine/"


# --- who may act -----------------------------------------------------------------------------------------------

def is_staff(user: User) -> bool:
    return user.is_authenticated and (user.role == Role.STAFF or user.is_administrator)


def staff_covers(user: User, district_id: str) -> bool:
    """Staff whose jurisdiction holds the district (a district officer their district, city staff the city)."""
    if not is_staff(user):
        return False
    return user.is_administrator or str(district_id) in jurisdiction_codes(user)


def is_publisher(user: User, opportunity: Opportunity) -> bool:
    """The organization's HR for an employer's opportunity; for one the office publishes itself (a sponsor
    name, no organization), its author and staff over its district."""
    if not user.is_authenticated:
        return False
    if opportunity.organization_id:
        return user.role == Role.EMPLOYER and user.organization_id == opportunity.organization_id
    return user.pk == opportunity.created_by_id or staff_covers(user, opportunity.district_id)


def opportunity_is_open(opportunity: Opportunity, today: dt.date | None = None) -> bool:
    """Published and not past its closing date (an expired one counts as closed before the sweep closes it)."""
    today = today or timezone.localdate()
    return opportunity.status == Status.PUBLISHED and opportunity.closes_on >= today


# --- opportunities: input ----------------------------------------------------------------------------------------

LABELS = {f.name: str(f.verbose_name) for f in Opportunity._meta.fields}
EDITABLE = ("title", "description", "sponsor_name", "district", "industry", "majors", "degree_min",
            "overseas_wanted", "targeted_returnee", "salary_min", "salary_max", "positions", "closes_on",
            "challenge_field", "funding", "seeking", "shortage_entry")


def _text(data: dict, key: str, errors: FieldErrors, *, required: bool = False, limit: int | None = None) -> str:
    value = data.get(key)
    text = "" if is_blank(value) else str(value).strip()
    if required and not text:
        errors.add(key, f"请填写{LABELS[key]}")
    limit = limit or getattr(Opportunity._meta.get_field(key), "max_length", None)
    if limit and len(text) > limit:
        errors.add(key, f"{LABELS[key]}不能超过{limit}个字")
    return text


def _district(actor: User, value, organization, errors: FieldErrors):
    from rencai.regions.models import Region

    if is_blank(value):
        if organization is not None:
            return organization.district
        errors.add("district", "请选择所在区县")
        return None
    code = value.pk if isinstance(value, Region) else str(value).strip()
    region = Region.objects.filter(pk=code).first()
    if region is None:
        errors.add("district", "所在区县无效，请从列表中选择")
        return None
    if is_staff(actor) and not staff_covers(actor, region.pk):
        errors.add("district", "所在区县不在您的管辖范围内")
        return None
    return region


def _shortage_entry(value, errors: FieldErrors):
    if is_blank(value):
        return None
    pk = value.pk if isinstance(value, ShortageEntry) else optional_int(value)
    entry = ShortageEntry.objects.filter(pk=pk, catalog__status=CatalogStatus.PUBLISHED).first() if pk else None
    if entry is None:
        errors.add("shortage_entry", "对应急需紧缺目录岗位无效，请从已发布的目录中选择")
    return entry


def opportunity_input_validate(actor: User, kind: str, data: dict, *, organization=None,
                               today: dt.date | None = None) -> dict:
    """Every field of an opportunity of ``kind`` checked at once; the values to write (kind-foreign fields
    cleared), or ValidationFailed naming each bad field in Chinese."""
    today = today or timezone.localdate()
    errors = FieldErrors()
    values: dict = {
        "title": _text(data, "title", errors, required=True),
        "description": _text(data, "description", errors, required=True, limit=5000),
        "industry": parse_choice(data.get("industry"), Industry, field="industry", label=LABELS["industry"],
                                 errors=errors),
        "majors": _text(data, "majors", errors),
        "degree_min": parse_choice(data.get("degree_min"), Degree, field="degree_min", label=LABELS["degree_min"],
                                   errors=errors),
    }
    values["district"] = _district(actor, data.get("district"), organization, errors)
    values["sponsor_name"] = "" if organization is not None else _text(data, "sponsor_name", errors, required=True)
    closes_on = parse_date(data.get("closes_on"), field="closes_on", label=LABELS["closes_on"], errors=errors)
    if closes_on is None and not any(e.field == "closes_on" for e in errors):
        errors.add("closes_on", "请填写截止日期")
    elif closes_on is not None and closes_on < today:
        errors.add("closes_on", "截止日期不能早于今天")
    values["closes_on"] = closes_on
    for key in ("overseas_wanted", "targeted_returnee"):
        values[key] = bool(parse_bool(data.get(key), field=key, label=LABELS[key], errors=errors))
    values.update(salary_min=None, salary_max=None, positions=1, challenge_field="", funding=None, seeking="",
                  shortage_entry=None)

    if kind in EMPLOYMENT_KINDS:
        low = parse_decimal(data.get("salary_min"), field="salary_min", label=LABELS["salary_min"], errors=errors)
        high = parse_decimal(data.get("salary_max"), field="salary_max", label=LABELS["salary_max"], errors=errors)
        for key, number in (("salary_min", low), ("salary_max", high)):
            if number is not None and number > SALARY_LIMIT:
                errors.add(key, f"{LABELS[key]}超出可填写的范围")
        if low is not None and high is not None and high < low:
            errors.add("salary_max", "月薪上限不能低于月薪下限")
        values.update(salary_min=low, salary_max=high)
        raw = data.get("positions")
        number = optional_int(raw) if not is_blank(raw) else 1
        if number is None or not 1 <= number <= 100000:
            errors.add("positions", "招聘人数应为1到100000之间的整数")
        values["positions"] = number or 1
        values["shortage_entry"] = _shortage_entry(data.get("shortage_entry"), errors)
    else:
        values["overseas_wanted"] = values["overseas_wanted"] if kind == Kind.CHALLENGE else False
        values["targeted_returnee"] = False
    if kind in (Kind.CHALLENGE, Kind.PROJECT, Kind.RESULT):
        funding = parse_decimal(data.get("funding"), field="funding", label=LABELS["funding"], errors=errors)
        if funding is not None and funding > FUNDING_LIMIT:
            errors.add("funding", "榜单金额/资金需求超出可填写的范围")
        values["funding"] = funding
    if kind == Kind.CHALLENGE:
        values["challenge_field"] = parse_choice(data.get("challenge_field"), ChallengeField, field="challenge_field",
                                                 label=LABELS["challenge_field"], errors=errors)
        if not values["challenge_field"] and not any(e.field == "challenge_field" for e in errors):
            errors.add("challenge_field", "请选择榜单领域")
        if values["funding"] is None and not any(e.field == "funding" for e in errors):
            errors.add("funding", "请填写榜单金额（奖励或资助，元）")
    if kind in (Kind.PROJECT, Kind.RESULT):
        values["seeking"] = parse_choice(data.get("seeking"), Seeking, field="seeking", label=LABELS["seeking"],
                                         errors=errors)
        if not values["seeking"] and not any(e.field == "seeking" for e in errors):
            errors.add("seeking", "请选择寻求合作伙伴还是资金")
    if errors:
        raise ValidationFailed(list(errors))
    return values


def _publisher_for_create(actor: User, kind: str, data: dict):
    """The organization that publishes (an employer's own), or None for one the office publishes by sponsor."""
    if actor.role == Role.EMPLOYER:
        if not actor.organization_id:
            raise PermissionDenied("您的账号未关联用人单位，不能发布")
        return actor.organization
    if is_staff(actor):
        if kind in EMPLOYMENT_KINDS:
            raise PermissionDenied("就业岗位和见习岗位由用人单位发布")
        organization_id = optional_int(data.get("organization"))
        if organization_id:
            from rencai.organizations.models import Organization

            organization = Organization.objects.filter(pk=organization_id).first()
            if organization is None:
                raise ValidationFailed([FieldError("organization", "发布单位无效，请从列表中选择")])
            return organization
        return None
    if actor.is_authenticated and actor.role == Role.TALENT and kind == Kind.RESULT:
        return None  # a talent lists their own technology result, by name (opportunity_create)
    raise PermissionDenied("只有用人单位和政府工作人员可以发布对接机会（人才本人可推介自己的科技成果）")


@transaction.atomic
def opportunity_create(actor: User, data: dict) -> Opportunity:
    """A new opportunity (draft) of ``data["kind"]``: an employer's HR for its organization (every kind), staff
    for challenges, projects and results with a sponsor name (or a named organization). Submit it for review
    with ``opportunity_transition(..., "pending")``."""
    kind = str(data.get("kind") or "")
    if kind not in Kind.values:
        raise ValidationFailed([FieldError("kind", "请选择类别：" + "、".join(Kind.labels))])
    organization = _publisher_for_create(actor, kind, data)
    if actor.role == Role.TALENT:
        talent = _talent_of(actor)  # their own result: their name, their district
        data = {**data, "sponsor_name": talent.name, "district": talent.district_id}
    values = opportunity_input_validate(actor, kind, data, organization=organization)
    return Opportunity.objects.create(kind=kind, organization=organization, created_by=actor,
                                      status=Status.DRAFT, **values)


@transaction.atomic
def opportunity_update(actor: User, opportunity_id: int, data: dict) -> Opportunity:
    """Change a draft or returned opportunity (its publisher only); everything checked again, all or nothing."""
    opportunity = Opportunity.objects.select_for_update().filter(pk=opportunity_id).first()
    if opportunity is None or not (is_publisher(actor, opportunity) or staff_covers(actor, opportunity.district_id)):
        raise NotFound("未找到该对接机会，或不在您的管辖范围内")
    if not is_publisher(actor, opportunity):
        raise PermissionDenied("只有发布单位可以修改")
    if opportunity.status not in (Status.DRAFT, Status.RETURNED):
        raise Conflict(f"该对接机会{opportunity.get_status_display()}，只有草稿或已退回的可以修改")
    merged = {key: getattr(opportunity, key) for key in EDITABLE}
    merged["district"] = opportunity.district_id
    merged["shortage_entry"] = opportunity.shortage_entry_id
    merged.update({k: v for k, v in data.items() if k in EDITABLE})
    values = opportunity_input_validate(actor, opportunity.kind, merged, organization=opportunity.organization)
    for key, value in values.items():
        setattr(opportunity, key, value)
    opportunity.save()
    return opportunity


# --- opportunities: the one transition -----------------------------------------------------------------------

# target → the statuses it may leave from
OPPORTUNITY_MOVES = {
    Status.PENDING: (Status.DRAFT, Status.RETURNED),
    Status.PUBLISHED: (Status.PENDING,),
    Status.RETURNED: (Status.PENDING,),
    Status.CLOSED: (Status.DRAFT, Status.PENDING, Status.RETURNED, Status.PUBLISHED),
}
MOVE_WORDS = {Status.PENDING: "提交审核", Status.PUBLISHED: "审核通过", Status.RETURNED: "退回",
              Status.CLOSED: "关闭"}


@transaction.atomic
def opportunity_transition(actor: User, opportunity_id: int, target: str, reason: str = "") -> Opportunity:
    """The one move of an opportunity's status. submit (draft/returned → pending): its publisher, closing date
    not passed; approve (→ published) and return (→ returned, reason required): staff over its district (or the
    city); close (→ closed): its publisher or staff over its district."""
    opportunity = Opportunity.objects.select_for_update().filter(pk=opportunity_id).first()
    publisher = opportunity is not None and is_publisher(actor, opportunity)
    reviewer = opportunity is not None and staff_covers(actor, opportunity.district_id)
    if opportunity is None or not (publisher or reviewer):
        raise NotFound("未找到该对接机会，或不在您的管辖范围内")
    if target not in OPPORTUNITY_MOVES:
        raise ValidationFailed([FieldError("target", "无效的操作")])
    if opportunity.status not in OPPORTUNITY_MOVES[target]:
        raise Conflict(f"该对接机会{opportunity.get_status_display()}，不能{MOVE_WORDS[target]}")
    reason = (reason or "").strip()
    now = timezone.now()
    fields = ["status", "updated_at"]
    if target == Status.PENDING:
        if not publisher:
            raise PermissionDenied("只有发布单位可以提交审核")
        if opportunity.closes_on < timezone.localdate():
            raise ValidationFailed([FieldError("closes_on", "截止日期已过，请修改截止日期后再提交")])
    elif target in (Status.PUBLISHED, Status.RETURNED):
        if not reviewer:
            raise PermissionDenied("只有所在区县或市级的政府工作人员可以审核")
        if target == Status.RETURNED:
            if not reason:
                raise ValidationFailed([FieldError("reason", "请填写退回理由")])
            if len(reason) > 200:
                raise ValidationFailed([FieldError("reason", "退回理由不能超过200个字")])
            opportunity.review_reason = reason
        else:
            if opportunity.closes_on < timezone.localdate():
                raise ValidationFailed([FieldError("closes_on", "截止日期已过，不能发布，请退回修改")])
            opportunity.review_reason = ""
            opportunity.published_at = now
            fields.append("published_at")
        opportunity.reviewed_by, opportunity.reviewed_at = actor, now
        fields += ["review_reason", "reviewed_by", "reviewed_at"]
    elif target == Status.CLOSED:
        opportunity.closed_at = now
        fields.append("closed_at")
    opportunity.status = target
    opportunity.save(update_fields=fields)
    _tell_about_opportunity(opportunity, target, actor)
    return opportunity


def _tell_about_opportunity(opportunity: Opportunity, target: str, actor: User) -> None:
    link = f"/opportunities/{opportunity.pk}/"
    if target == Status.PENDING:
        ids = staff_over(opportunity.district_id)
        title = f"待审核：{opportunity.get_kind_display()}“{opportunity.title}”"
    elif target in (Status.PUBLISHED, Status.RETURNED):
        ids = [opportunity.created_by_id] if opportunity.created_by_id != actor.pk else []
        title = (f"“{opportunity.title}”已审核通过并发布" if target == Status.PUBLISHED
                 else f"“{opportunity.title}”被退回：{opportunity.review_reason}")
    else:
        return
    key = f"opportunity:{opportunity.pk}:{target}:{timezone.now():%Y%m%d%H%M%S%f}"
    _tell(ids, key=key, title=title, link=link)


def _handlers_link(opportunity: Opportunity) -> str:
    """Where a publisher reads the applications: a challenge's proposals, a job's applicants."""
    if opportunity.kind == Kind.CHALLENGE:
        return f"/opportunities/challenges/{opportunity.pk}/proposals/"
    return f"/opportunities/jobs/{opportunity.pk}/applicants/"


def _tell(ids, *, key: str, title: str, body: str = "", link: str = "") -> None:
    from rencai.notifications.services import notify

    ids = [pk for pk in ids if pk]
    if ids:
        transaction.on_commit(lambda: notify(recipients=ids, kind=NOTIFY_KIND, title=title, body=body, link=link,
                                             key=key), robust=True)


def opportunities_close_expired(today: dt.date | None = None) -> int:
    """The daily sweep: published opportunities past their closing date are closed. Safe to run twice."""
    today = today or timezone.localdate()
    with transaction.atomic():
        return Opportunity.objects.filter(status=Status.PUBLISHED, closes_on__lt=today).update(
            status=Status.CLOSED, closed_at=timezone.now(), updated_at=timezone.now())


# --- applications ------------------------------------------------------------------------------------------------

def _talent_of(actor: User):
    from rencai.talents.models import Talent

    if not actor.is_authenticated or actor.role != Role.TALENT:
        raise PermissionDenied("只有人才本人可以申请")
    talent = Talent.objects.filter(user_id=actor.pk).first()
    if talent is None:
        raise PermissionDenied("请先在人才信息库中登记个人信息，再申请")
    return talent


def application_apply(actor: User, opportunity_id: int, cover_note: str = "", team: str = "",
                      document_ids=()) -> Application:
    """A talent applies to a published, unexpired job, internship or challenge with their registry profile and
    documents of their own; 定向 jobs only for returnees. A second live application is refused (the database's
    partial unique constraint decides, also when two arrive at once): 409, nothing written."""
    talent = _talent_of(actor)
    errors = FieldErrors()
    cover_note = (cover_note or "").strip()
    team = (team or "").strip()
    if len(cover_note) > 5000:
        errors.add("cover_note", "求职说明/揭榜方案不能超过5000个字")
    if len(team) > 500:
        errors.add("team", "团队成员不能超过500个字")
    ids = {optional_int(i) for i in (document_ids or ())}
    if None in ids:
        errors.add("documents", "附带材料无效，请从您已上传的材料中选择")
    try:
        with transaction.atomic():
            opportunity = Opportunity.objects.filter(pk=opportunity_id).select_related("organization").first()
            if opportunity is None or opportunity.status in (Status.DRAFT, Status.PENDING, Status.RETURNED):
                raise NotFound("未找到该对接机会")
            if opportunity.kind not in APPLIABLE_KINDS:
                raise Conflict(f"{opportunity.get_kind_display()}不接受个人申请，请表达合作意向")
            if not opportunity_is_open(opportunity):
                raise Conflict(CLOSED_MESSAGE, code="closed")
            if opportunity.targeted_returnee and not talent.returnee:
                raise Conflict("该岗位是定向岗位，仅面向留学回国人员", code="targeted")
            if opportunity.kind == Kind.CHALLENGE and not cover_note:
                errors.add("cover_note", "请填写揭榜方案")
            documents = list(talent.documents.filter(pk__in=[i for i in ids if i is not None]))
            if len(documents) != len([i for i in ids if i is not None]):
                errors.add("documents", "只能附带您本人已上传的材料")
            if errors:
                raise ValidationFailed(list(errors))
            if Application.objects.filter(opportunity=opportunity, talent=talent).exclude(
                    state=State.WITHDRAWN).exists():
                raise Conflict(DUPLICATE_MESSAGE, code="duplicate")
            application = Application.objects.create(opportunity=opportunity, talent=talent, cover_note=cover_note,
                                                     team=team, created_by=actor)
            if documents:
                application.documents.set(documents)
            ApplicationStep.objects.create(application=application, from_state="", to_state=State.RECEIVED,
                                           actor=actor)
            _tell(_handlers(opportunity), key=f"application:{application.pk}:received",
                  title=f"新的申请：{opportunity.title}", link=_handlers_link(opportunity))
    except IntegrityError as exc:
        raise Conflict(DUPLICATE_MESSAGE, code="duplicate") from exc
    return application


def _handlers(opportunity: Opportunity) -> list[int]:
    """Who acts on an opportunity's applications: its organization's HR, or for a sponsor's one its author."""
    if opportunity.organization_id:
        return list(User.objects.filter(role=Role.EMPLOYER, organization_id=opportunity.organization_id,
                                        is_active=True).values_list("pk", flat=True))
    return [opportunity.created_by_id]


# (kind group, from state) → the states it may move to (withdrawn and declined from any open state as well)
APPLICATION_MOVES = {
    "employment": {State.RECEIVED: (State.INTERVIEW,), State.INTERVIEW: (State.OFFER,),
                   State.OFFER: (State.HIRED,)},
    "challenge": {State.RECEIVED: (State.SHORTLISTED,), State.SHORTLISTED: (State.AWARDED,)},
}
STATE_WORDS = {State.INTERVIEW: "通知面试", State.OFFER: "拟录用", State.HIRED: "录用", State.SHORTLISTED: "入围",
               State.AWARDED: "揭榜成功", State.DECLINED: "不予录用", State.WITHDRAWN: "撤回"}


def application_allowed_targets(application: Application) -> list[str]:
    """The states an open application may move to next (the decision side: without withdrawn)."""
    if application.state in FINAL_STATES:
        return []
    group = "challenge" if application.opportunity.kind == Kind.CHALLENGE else "employment"
    return [*APPLICATION_MOVES[group].get(application.state, ()), State.DECLINED]


def may_handle(actor: User, opportunity: Opportunity) -> bool:
    """The publisher organization's HR, staff over the district; for a sponsor's challenge, its author too."""
    if opportunity.organization_id and actor.role == Role.EMPLOYER:
        return actor.organization_id == opportunity.organization_id
    if not opportunity.organization_id and actor.pk == opportunity.created_by_id:
        return True
    return staff_covers(actor, opportunity.district_id)


@transaction.atomic
def application_transition(actor: User, application_id: int, target: str, note: str = "",
                           award_amount=None) -> Application:
    """The one move of an application. Jobs and 见习: received → interview → offer → hired; challenges: received
    → shortlisted → awarded; declined from any open state — by the publisher's HR or staff over the district
    (challenges: the sponsor). The talent may withdraw any open application. An award needs an amount > 0 and
    keeps the challenge's awards within its funding (the challenge's row locked). Every move is a step; the
    talent is told after the commit; a hire writes the registry."""
    application = (Application.objects.select_for_update().select_related("opportunity", "talent")
                   .filter(pk=application_id).first())
    if application is None:
        raise NotFound("未找到该申请，或不在您的管辖范围内")
    opportunity = application.opportunity
    own = actor.is_authenticated and application.talent.user_id == actor.pk
    handler = may_handle(actor, opportunity)
    if not (own or handler):
        raise NotFound("未找到该申请，或不在您的管辖范围内")
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationFailed([FieldError("note", "说明不能超过300个字")])
    if target not in STATE_WORDS:
        raise ValidationFailed([FieldError("target", "无效的操作")])
    if application.state in FINAL_STATES:
        raise Conflict(f"该申请{application.get_state_display()}，不能再{STATE_WORDS[target]}")
    if target == State.WITHDRAWN:
        if not own:
            raise PermissionDenied("只有申请人本人可以撤回")
    else:
        if not handler:
            raise PermissionDenied("只有发布单位或主管部门可以处理申请")
        if target not in application_allowed_targets(application):
            raise Conflict(f"该申请{application.get_state_display()}，不能直接{STATE_WORDS[target]}")
    fields = ["state", "updated_at"]
    if target == State.AWARDED:
        application.award_amount = _award_checked(opportunity, application, award_amount)
        fields.append("award_amount")
    elif award_amount not in (None, ""):
        raise ValidationFailed([FieldError("award_amount", "只有揭榜成功时才填写揭榜奖励")])
    before = application.state
    application.state = target
    application.save(update_fields=fields)
    ApplicationStep.objects.create(application=application, from_state=before, to_state=target, actor=actor,
                                   note=note)
    if target == State.HIRED:
        _registry_hire(actor, application)
    elif target == State.AWARDED:
        # the engine reads an award (challenge_awarded): 政策找人's incremental run re-reads talents whose row moved
        from rencai.talents.models import Talent

        Talent.objects.filter(pk=application.talent_id).update(updated_at=timezone.now())
    if target == State.WITHDRAWN:
        _tell(_handlers(opportunity), key=f"application:{application.pk}:withdrawn",
              title=f"申请已撤回：{opportunity.title}", link=_handlers_link(opportunity))
    elif application.talent.user_id:
        body = note if note else ""
        _tell([application.talent.user_id], key=f"application:{application.pk}:{target}",
              title=f"“{opportunity.title}”：{application.get_state_display()}", body=body,
              link=MY_APPLICATIONS_LINK)
    return application


def _award_checked(opportunity: Opportunity, application: Application, award_amount) -> Decimal:
    errors = FieldErrors()
    amount = parse_decimal(award_amount, field="award_amount", label="揭榜奖励", errors=errors)
    if errors:
        raise ValidationFailed(list(errors))
    if amount is None or amount <= 0:
        raise ValidationFailed([FieldError("award_amount", "揭榜奖励应大于0")])
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    awarded = sum((a for a in Application.objects.filter(opportunity=locked, state=State.AWARDED)
                   .exclude(pk=application.pk).values_list("award_amount", flat=True) if a), Decimal(0))
    funding = locked.funding or Decimal(0)
    if awarded + amount > funding:
        raise ValidationFailed([FieldError(
            "award_amount", f"揭榜奖励合计不能超过榜单金额{funding:,.2f}元（已奖励{awarded:,.2f}元）")])
    return amount


def _registry_hire(actor: User, application: Application) -> None:
    """A hire (job or 见习): the talent's employment becomes the opportunity's organization — its type, its
    district, from today — confirmed by the hiring employer (or staff), with its history and a change entry."""
    from rencai.analytics import services as history
    from rencai.analytics.enums import HistoryReason
    from rencai.talents.enums import EmploymentStatus
    from rencai.talents.models import Talent, TalentChange

    organization = application.opportunity.organization
    if organization is None:
        return
    talent = Talent.objects.select_for_update(of=("self",)).select_related("organization", "district").get(
        pk=application.talent_id)
    before = history.history_snapshot(talent)
    today = timezone.localdate()
    old = {"organization": str(talent.organization or "—"), "district": str(talent.district or "—"),
           "employer_type": talent.get_employer_type_display() or "—",
           "employment_start": str(talent.employment_start or "—")}
    talent.organization = organization
    talent.employer_type = organization.employer_type
    talent.employment_start = today
    talent.district = organization.district
    talent.employment_status = EmploymentStatus.CONFIRMED
    talent.employment_confirmed_by, talent.employment_confirmed_at = actor, timezone.now()
    talent.save()
    history.history_record(talent, before=before, on=today, reason=HistoryReason.MAINTENANCE)
    new = {"organization": organization.name, "district": str(organization.district),
           "employer_type": talent.get_employer_type_display() or "—", "employment_start": str(today)}
    labels = {"organization": "工作单位", "district": "所在区县", "employer_type": "单位性质",
              "employment_start": "入职日期"}
    changes = {key: {"label": labels[key], "from": old[key], "to": new[key]} for key in labels if old[key] != new[key]}
    changes["hire"] = {"label": "人才对接录用", "from": "—",
                       "to": f"{application.opportunity.get_kind_display()}“{application.opportunity.title}”"}
    TalentChange.objects.create(talent=talent, actor=actor, changes=changes)


@transaction.atomic
def internship_end(actor: User, application_id: int, ended_on, retained) -> Application:
    """见习 ended: the day, and whether the unit kept the trainee (003: "留用率较高的见习单位"). The hired trainee
    of a 见习 position only; by the unit's HR or staff over its district; may be corrected."""
    application = (Application.objects.select_for_update().select_related("opportunity")
                   .filter(pk=application_id).first())
    if application is None or not may_handle(actor, application.opportunity):
        raise NotFound("未找到该申请，或不在您的管辖范围内")
    if application.opportunity.kind != Kind.INTERNSHIP or application.state != State.HIRED:
        raise Conflict("只有已录用的见习人员可以登记见习结束")
    errors = FieldErrors()
    ended = parse_date(ended_on, field="internship_ended_on", label="见习结束日期", errors=errors)
    kept = parse_bool(retained, field="retained", label="见习期满留用", errors=errors)
    if ended is None and not errors:
        errors.add("internship_ended_on", "请填写见习结束日期")
    elif ended is not None and ended > timezone.localdate():
        errors.add("internship_ended_on", "见习结束日期不能晚于今天")
    if kept is None and not any(e.field == "retained" for e in errors):
        errors.add("retained", "请选择见习期满是否留用")
    if errors:
        raise ValidationFailed(list(errors))
    application.internship_ended_on, application.retained = ended, kept
    application.save(update_fields=["internship_ended_on", "retained", "updated_at"])
    ApplicationStep.objects.create(application=application, from_state=State.HIRED, to_state=State.HIRED,
                                   actor=actor, note=f"见习结束（{ended}），{'留用' if kept else '未留用'}")
    return application
