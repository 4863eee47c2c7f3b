"""The home page's reads: for each role, what to do now (``home_for``; core.views.home renders it).

Every count and list is scoped by the viewer's *current* jurisdiction through the apps' own scope functions
(``accounts.permissions``, ``recognition.selectors.application_scope_q``, the apps' queue selectors), so a
和平区 officer never counts a 浑南区 item. Registry figures come from the kept counts (TalentCount, MatchCount),
never from a count of the talents, and each role's page is a fixed number of queries however much work waits
(core/tests/test_home.py pins them): the page stays fast at 1,000,000 talents (bench/pages.py times it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Min, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.core.errors import NotFound
from rencai.core.templatetags.money_tags import yuan_short

# Shown on every list: no more lines than this on a home page, the rest behind the list's own page.
SHOWN = 5


@dataclass
class Task:
    """One line of a home page: what to do (or what is under way), how many, and where to do it."""

    key: str  # stable: the line's id on the page (tests and anchors)
    title: str
    link: str = ""
    count: int | None = None
    detail: str = ""
    overdue: int = 0  # how many of ``count`` are past a deadline
    overdue_text: str = ""
    overdue_link: str = ""
    anchor: str = ""  # the element's id where another page's test or link expects one (else task-<key>)


@dataclass
class Home:
    role: str
    tasks: list[Task] = field(default_factory=list)  # what to do now, most pressing first
    under_way: list[Task] = field(default_factory=list)  # what waits on someone else
    extra: dict = field(default_factory=dict)  # the role's own figures (money, quotas, headline figures ...)


def home_for(*, user: User) -> Home | None:
    """The signed-in user's home: None for an anonymous visitor (the portal's welcome)."""
    if not user.is_authenticated:
        return None
    if user.is_administrator:
        return admin_home(user=user)
    builder = {Role.TALENT: talent_home, Role.EMPLOYER: employer_home, Role.STAFF: office_home,
               Role.LEADER: leader_home, Role.EXPERT: expert_home, Role.AUDITOR: auditor_home}.get(user.role)
    return builder(user=user) if builder else Home(role=user.role)


def _today() -> dt.date:
    return timezone.localdate()


def _date(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d}" if isinstance(value, dt.datetime) else f"{value:%Y-%m-%d}"


def _money(fen: int | None) -> Decimal | None:
    from rencai.payments.models import fen_to_yuan

    return fen_to_yuan(fen)


# --- talent ---------------------------------------------------------------------------------------------

# The policy profile's fields a talent fills in on 维护我的信息 (talents.services.SELF_EDITABLE), by the
# profile key the calculator names when one is missing. Only these are asked of a talent: what a talent cannot
# know (e.g. whether an apartment is available) is never put to them.
SELF_FIELDS = {
    "housing.renting": "housing_status", "housing.owns_home_in_city": "housing_status",
    "housing.monthly_rent": "monthly_rent", "housing.rent_area_sqm": "rent_area_sqm",
    "professional_title": "professional_title", "skill_level": "skill_level",
}


def _profile_gaps(talent, unknown_results: list[dict]) -> list[str]:
    """The Chinese labels of what the talent should add to their record: contact and housing when empty, and
    every self-editable field a policy could not be decided without."""
    from rencai.talents.enums import HousingStatus
    from rencai.talents.models import Talent

    fields = []
    if not talent.phone_masked:
        fields.append("phone_masked")
    if not talent.housing_status:
        fields.append("housing_status")
    elif talent.housing_status == HousingStatus.RENTING:
        fields += [f for f in ("monthly_rent", "rent_area_sqm") if getattr(talent, f) is None]
    for result in unknown_results:
        for key in result.get("missing") or []:
            name = SELF_FIELDS.get(key)
            if name and not getattr(talent, name) and name not in fields:
                fields.append(name)
    return [str(Talent._meta.get_field(f).verbose_name) for f in fields]


def _programme_lines(user: User) -> list[Task]:
    """项目申报 for a talent or an employer (one query): team invitations or endorsements to answer, milestone
    reports owed; only what there is."""
    from rencai.programmes.selectors import home_counts

    counts = home_counts(user)
    link = reverse("programmes:index")
    lines = []
    if counts.get("invitations"):
        lines.append(Task("programme-invitations", "项目申报：确认是否加入团队", f"{link}#invitations",
                          count=counts["invitations"]))
    if counts.get("endorsements"):
        lines.append(Task("programme-endorsements", "项目申报：待本单位推荐的申报", f"{link}#endorsements",
                          count=counts["endorsements"]))
    if counts.get("reports"):
        lines.append(Task("programme-reports", "项目申报：提交中期检查或验收材料", f"{link}#reports-due",
                          count=counts["reports"]))
    return lines


def talent_home(*, user: User) -> Home:
    """The talent's next steps (answer a returned application, confirm an offer, upload a returned document,
    give a bank account, apply for a policy they qualify for, complete the record, apply for recognition) and
    their money (entitlements, last and next payment, amounts)."""
    from rencai.documents.enums import DocumentKind, DocumentStatus
    from rencai.documents.models import Document
    from rencai.fulfilment.enums import OPEN_STATUSES as FULFILMENT_OPEN
    from rencai.fulfilment.enums import OfferStatus
    from rencai.fulfilment.models import Application as Claim
    from rencai.fulfilment.models import Offer
    from rencai.payments.models import BankAccount, EntitlementStatus
    from rencai.payments.selectors import talent_schedules
    from rencai.policies.selectors import policies_for_talent
    from rencai.recognition.enums import OPEN_STATUSES, Status
    from rencai.recognition.models import Application
    from rencai.talents.selectors import talent_for_user

    home = Home(role=Role.TALENT)
    talent = talent_for_user(user=user)
    home.extra["talent"] = talent
    if talent is None:
        return home
    tasks, under_way = home.tasks, home.under_way

    recognitions = list(Application.objects.filter(talent=talent, status__in=OPEN_STATUSES).order_by("-id"))
    for application in recognitions:
        link = reverse("recognition:detail", args=[application.pk])
        if application.status == Status.RETURNED:
            tasks.append(Task(f"recognition-returned-{application.pk}", f"补正人才认定申请 {application.number}",
                              link, detail="工作人员已一次性告知需要补正的材料，请补齐后重新提交"))
        elif application.status == Status.DRAFT:
            tasks.append(Task(f"recognition-draft-{application.pk}", f"提交人才认定申请 {application.number}",
                              link, detail="申请尚未提交，上传材料后提交"))
        else:
            under_way.append(Task(f"recognition-{application.pk}",
                                  f"人才认定申请 {application.number}（{application.get_category_display()}）",
                                  link, detail=application.get_status_display()))

    offers = list(Offer.objects.filter(talent=talent, status=OfferStatus.PENDING).order_by("-recommended", "pk"))
    for offer in offers:
        amount = yuan_short(_money(offer.monthly_fen)) if offer.monthly_fen else None
        tasks.append(Task(f"offer-{offer.pk}", f"确认享受“{offer.policy_title}”（免申即享）",
                          reverse("fulfilment:mine"),
                          detail=f"无需申请，确认后即可享受{f'，每月 {amount} 元' if amount else ''}"))

    documents = list(Document.objects.filter(talent=talent).values_list("kind", "status", "review_reason")
                     .order_by("-uploaded_at", "-id"))
    usable = {kind for kind, status, _ in documents if status != DocumentStatus.REJECTED}
    returned: dict[str, str] = {}
    for kind, status, reason in documents:
        if status == DocumentStatus.REJECTED and kind not in usable and kind not in returned:
            returned[kind] = reason
    for kind, reason in returned.items():
        label = DocumentKind(kind).label if kind in DocumentKind.values else "材料"
        tasks.append(Task(f"document-{kind}", f"重新上传{label}", reverse("documents:mine"),
                          detail=f"退回理由：{reason}" if reason else "工作人员已退回，请重新上传"))

    claims = {c.policy: c for c in Claim.objects.filter(talent=talent).select_related("current_step")}
    for claim in claims.values():
        if claim.status in FULFILMENT_OPEN:
            step = claim.current_step
            due = f"，承诺 {step.promised_due:%Y-%m-%d} 前办结" if step and step.promised_due else ""
            under_way.append(Task(f"fulfilment-{claim.pk}", f"政策兑现申请：{claim.policy_title}",
                                  reverse("fulfilment:detail", args=[claim.pk]),
                                  detail=f"{claim.get_status_display()}{f'（{step.title}）' if step else ''}{due}"))

    under_way += _talent_service_lines(talent)

    schedules = talent_schedules(talent=talent)
    active = [s for s in schedules if s.entitlement.status == EntitlementStatus.ACTIVE]
    if active and not BankAccount.objects.filter(talent=talent).exists():
        tasks.append(Task("bank-account", "填写收款银行账户", reverse("payments:mine"),
                          detail="您有待遇按月发放，填写本人银行账户后才能到账"))

    found = policies_for_talent(talent=talent)
    # 免申即享 policies come as offers, not as forms; a policy already applied for is under way above.
    # A policy offered (免申即享, confirmed above) is not applied for as well.
    offered = {offer.policy for offer in offers}
    applicable = [r for r in found["groups"]["eligible"]
                  if r["kind"] == "entitlement" and not r["no_application"] and r["policy"] not in claims
                  and r["policy"] not in offered]
    for result in applicable[:SHOWN]:
        amount = (f"每月 {yuan_short(result['monthly_amount'])} 元" if result["monthly_amount"]
                  else f"{yuan_short(result['one_time_amount'])} 元" if result["one_time_amount"] else "")
        tasks.append(Task(f"apply-{result['policy']}", f"申请“{result['title']}”",
                          reverse("fulfilment:apply", args=[result["policy"]]),
                          detail=f"按您档案中的信息，您符合这项政策{f'（{amount}）' if amount else ''}"))

    gaps = _profile_gaps(talent, found["groups"]["unknown"])
    if gaps:
        tasks.append(Task("profile", "完善个人档案", reverse("talents:me_edit"),
                          detail=f"请补充：{'、'.join(gaps)}。信息完整后才能判断您是否符合更多政策"))

    if not talent.talent_category and not recognitions:
        tasks.append(Task("recognition-apply", "申请人才认定（A–D类）", reverse("recognition:apply"),
                          detail="符合认定标准的，可申请认定为顶尖、杰出、领军或拔尖人才，享受相应待遇"))
    tasks += _programme_lines(user)

    home.extra["money"] = _talent_money(schedules)
    return home


def _talent_service_lines(talent) -> list[Task]:
    """The talent's open 一件事 requests (the latest few, each with how many of its parts are done) and their
    服务专员 by name: two queries."""
    from rencai.services.enums import CLOSED_PART_STATUSES, RequestStatus
    from rencai.services.models import ServiceRequest, SpecialistAssignment

    lines = []
    closed = Q(parts__status__in=CLOSED_PART_STATUSES)
    requests = (ServiceRequest.objects.filter(talent=talent, status=RequestStatus.OPEN)
                .annotate(parts_n=Count("parts"), closed=Count("parts", filter=closed),
                          due=Min("parts__promised_due", filter=~closed))
                .order_by("-submitted_at", "-id")[:SHOWN])
    for r in requests:
        due = f"，最早承诺 {r.due:%Y-%m-%d} 前办结" if r.due else ""
        lines.append(Task(f"service-request-{r.pk}", f"服务请求：{r.title}（{r.number}）",
                          reverse("services:detail", args=[r.pk]),
                          detail=f"办理中，{r.parts_n}项中已办结{r.closed}项{due}"))
    assignment = (SpecialistAssignment.objects.filter(talent=talent)
                  .select_related("specialist__user", "specialist__user__department").first())
    if assignment is not None:
        officer = assignment.specialist.user
        where = f"（{officer.department.name}）" if officer.department_id else ""
        lines.append(Task("specialist", f"您的服务专员：{officer.display_name or officer.get_username()}{where}",
                          reverse("services:mine"), detail="一对一为您服务，可以在线留言"))
    return lines


@dataclass
class Money:
    active: list  # payments.selectors.ScheduleView of the active entitlements
    monthly: Decimal  # what the active entitlements pay a month
    paid_this_year: Decimal
    paid_total: Decimal
    last: object | None  # the latest payment (month, amount, status)
    next_month: dt.date | None
    next_amount: Decimal | None


def _talent_money(schedules) -> Money:
    from rencai.payments.models import EntitlementStatus, PaymentStatus

    active = [s for s in schedules if s.entitlement.status == EntitlementStatus.ACTIVE]
    year = _today().year
    payments = [p for s in schedules for p in s.paid]
    paid = [p for p in payments if p.status == PaymentStatus.PAID]
    upcoming = sorted((s.next_month, s.next_amount) for s in active if s.next_month)
    next_month = upcoming[0][0] if upcoming else None
    return Money(
        active=active,
        monthly=_money(sum(s.entitlement.monthly_fen or 0 for s in active)),
        paid_this_year=_money(sum(p.amount_fen for p in paid if p.month.year == year)),
        paid_total=_money(sum(p.amount_fen for p in paid)),
        last=max(payments, key=lambda p: (p.month, p.pk), default=None),
        next_month=next_month,
        next_amount=sum((a for m, a in upcoming if m == next_month), Decimal("0.00")) if upcoming else None,
    )


# --- the office (district and city staff, administrators) -----------------------------------------------

def office_tasks(*, user: User) -> list[Task]:
    """The officer's queues with their counts and what is overdue, each a link to the queue: for the talent
    office recognition applications, documents to check and employment claims; for every department the
    政策兑现 steps waiting for it (working-day deadlines) and 公示 objections; payment batches to approve
    (finance)."""
    from rencai.fulfilment import selectors as fulfilment
    from rencai.payments.selectors import batches_waiting

    tasks = []
    if is_talent_office(user):
        tasks += _talent_office_tasks(user)
    today = _today()
    steps = fulfilment.queue(user=user).aggregate(
        n=Count("pk"), promised=Count("pk", filter=Q(current_step__promised_due__lt=today)),
        statutory=Count("pk", filter=Q(current_step__statutory_due__lt=today)),
        due_soon=Min("current_step__promised_due", filter=Q(current_step__promised_due__gte=today)))
    fulfilment_queue = reverse("fulfilment:queue")
    tasks.append(Task(
        "fulfilment", "政策兑现：待本部门审批", fulfilment_queue, count=steps["n"], overdue=steps["promised"],
        overdue_text=(f"超过承诺时限 {steps['promised']} 件（其中超过法定时限 {steps['statutory']} 件）"
                      if steps["promised"] else ""),
        overdue_link=f"{fulfilment_queue}?overdue=promised",
        detail=f"其余最早 {steps['due_soon']:%Y-%m-%d} 到期（承诺时限，按工作日计）" if steps["due_soon"] else ""))
    objections = fulfilment.objections_open(user=user).count()
    tasks.append(Task("objections", "公示异议：待答复", f"{fulfilment_queue}#objections", count=objections))
    batches = batches_waiting(user=user)
    if batches is not None:
        tasks.append(Task("batches", "资金发放：待审批的发放批次", reverse("payments:overview"), count=batches))
    tasks += _service_tasks(user, today)
    tasks += _programme_office_tasks(user)
    tasks += _warning_tasks(user)
    return tasks


def _warning_tasks(user: User) -> list[Task]:
    """决策预警: the warnings of the officer's department within the jurisdiction still open (one query); for the
    leader every open warning of the jurisdiction, by kind."""
    from rencai.earlywarning import selectors as warnings

    counts = warnings.counts(user=user, owned=user.role != Role.LEADER)
    link = reverse("earlywarning:list")
    kinds = "、".join(f"{label} {n}" for _kind, label, n in counts["by_kind"][:4])
    title = "决策预警：待处置" if user.role != Role.LEADER else "决策预警：未关闭的预警"
    waiting = f"待处理 {counts['open']} 条（处理中 {counts['acknowledged']} 条）" if counts["open"] else ""
    return [Task("warnings", title, link, count=counts["total"], overdue=counts["open"], overdue_text=waiting,
                 overdue_link=f"{link}?state=open", detail=kinds)]


def _programme_office_tasks(user: User) -> list[Task]:
    """项目申报: applications to check and milestone reports to decide (one query)."""
    from rencai.programmes.selectors import home_counts

    if user.role == Role.LEADER:
        return []
    counts = home_counts(user)
    link = reverse("programmes:index")
    return [Task("programmes", "项目申报：待形式审查", link, count=counts["to_check"]),
            Task("programme-reports", "项目申报：待审核的中期检查和验收", f"{link}#reports-to-check",
                 count=counts["reports"])]


def _service_tasks(user: User, today: dt.date) -> list[Task]:
    """一件事 parts waiting for the officer's department (overdue: past the promised day, counted in working
    days when the part was routed), questions to answer (past their answer day), and for supervisors the open
    差评 follow-ups and complaints (overdue: the call-back day passed). One aggregate each."""
    from rencai.feedback import selectors as feedback
    from rencai.feedback.enums import CaseStatus, ConsultationStatus
    from rencai.feedback.supervisors import is_supervisor
    from rencai.services import selectors as services

    queue = reverse("services:queue")
    parts = services.department_queue(user=user).order_by().aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(promised_due__lt=today)),
        due_soon=Min("promised_due", filter=Q(promised_due__gte=today)))
    tasks = [Task(
        "services", "一件事：待本部门办理的服务事项", queue, count=parts["n"], overdue=parts["late"],
        overdue_text=f"超过承诺办结日 {parts['late']} 项" if parts["late"] else "",
        overdue_link=f"{queue}?escalated=breached",
        detail=f"其余最早 {parts['due_soon']:%Y-%m-%d} 到期（承诺时限，按工作日计）" if parts["due_soon"] else "")]
    questions = feedback.consultation_queue(user=user, status=ConsultationStatus.OPEN).order_by().aggregate(
        n=Count("pk"), late=Count("pk", filter=Q(due_on__lt=today)))
    tasks.append(Task("questions", "政策咨询：待答复", reverse("feedback:queue"), count=questions["n"],
                      overdue=questions["late"],
                      overdue_text=f"超过答复期限 {questions['late']} 件" if questions["late"] else ""))
    if is_supervisor(user) or user.is_administrator:
        cases = feedback.cases_queue(user=user).order_by().aggregate(
            n=Count("pk"), late=Count("pk", filter=Q(status=CaseStatus.OPEN, callback_due__lt=today)),
            resolve_late=Count("pk", filter=Q(resolve_due__lt=today)))
        tasks.append(Task(
            "feedback-cases", "差评回访与监督反馈：待办结", reverse("feedback:cases"), count=cases["n"],
            overdue=cases["late"] + cases["resolve_late"],
            overdue_text=(f"超过回访期限 {cases['late']} 件，超过办结期限 {cases['resolve_late']} 件"
                          if cases["late"] or cases["resolve_late"] else ""),
            detail="回访须在1个工作日内，办结须在15个工作日内"))
    return tasks


# The talent office (人力资源和社会保障局, the word the approval routes match a department by): recognition,
# the document check and employment claims are its work; other departments (finance, housing) see their own
# approval steps and, for finance, the payment batches.
TALENT_OFFICE = "人力资源和社会保障局"


def is_talent_office(user: User) -> bool:
    return user.is_administrator or (user.role == Role.STAFF and user.department_id is not None
                                     and TALENT_OFFICE in user.department.name)


def _talent_office_tasks(user: User) -> list[Task]:
    from rencai.documents.selectors import review_queue
    from rencai.recognition.enums import Status
    from rencai.recognition.models import Application
    from rencai.recognition.selectors import application_scope_q
    from rencai.talents.selectors import employment_claims

    tasks = []
    rows = {r["status"]: r for r in Application.objects.filter(application_scope_q(user))
            .filter(status__in=[Status.SUBMITTED, Status.COMPLETE, Status.IN_REVIEW])
            .values("status").annotate(n=Count("pk"), oldest=Min("submitted_at")).order_by()}
    queue = reverse("recognition:queue")
    for status, title in ((Status.SUBMITTED, "人才认定：待核验材料"), (Status.COMPLETE, "人才认定：材料齐全，待决定"),
                          (Status.IN_REVIEW, "人才认定：专家评审中")):
        row = rows.get(status, {"n": 0, "oldest": None})
        tasks.append(Task(f"recognition-{status}", title, f"{queue}?status={status}", count=row["n"],
                          detail=f"最早一件提交于 {_date(row['oldest'])}" if row["oldest"] else ""))
    documents = review_queue(user=user).aggregate(n=Count("pk"), oldest=Min("uploaded_at"))
    tasks.append(Task("documents", "材料核验：人才上传的证书、合同等", reverse("documents:queue"),
                      count=documents["n"], anchor="document-queue",
                      detail=f"最早一份上传于 {_date(documents['oldest'])}" if documents["oldest"] else ""))
    tasks.append(Task("claims", "任职确认：待确认", reverse("talents:claims"),
                      count=employment_claims(user=user).count()))
    return tasks


def office_home(*, user: User) -> Home:
    from rencai.talents.selectors import registry_overview

    home = Home(role=Role.STAFF, tasks=office_tasks(user=user))
    home.extra["overview"] = registry_overview(user=user)
    home.extra["matches"] = match_headline(user=user)
    return home


def match_headline(*, user: User) -> dict | None:
    """政策找人 in one line: as of when, how many entitled have not received a benefit (person × policy) and what
    it would cost a month, within the jurisdiction (the run's kept counts)."""
    from rencai.policies.selectors import match_run_latest, policy_match_summary

    run = match_run_latest()
    if run is None:
        return None
    summaries = policy_match_summary(user=user, run=run)
    return {"run": run, "eligible": sum(s.eligible for s in summaries if s.kind == "entitlement"),
            "monthly": sum((s.monthly for s in summaries if s.monthly is not None), Decimal("0.00")),
            "policies": sum(1 for s in summaries if s.kind == "entitlement" and s.eligible)}


# --- employer -------------------------------------------------------------------------------------------

def employer_home(*, user: User) -> Home:
    """The employer's recognition applications (returned ones first), its 自主认定 quota used and left, the
    employment claims to confirm and its 政策兑现 applications under way."""
    from rencai.fulfilment.enums import OPEN_STATUSES as FULFILMENT_OPEN
    from rencai.fulfilment.selectors import applications_visible
    from rencai.recognition.enums import DECIDED_STATUSES, Status
    from rencai.recognition.selectors import applications_of_user, authorization_in_force
    from rencai.talents.selectors import employment_claims

    home = Home(role=Role.EMPLOYER)
    applications = applications_of_user(user=user)
    counts = dict(applications.order_by().values_list("status").annotate(n=Count("pk")))
    first = (applications.exclude(status__in=[*DECIDED_STATUSES, Status.WITHDRAWN])
             .annotate(rank=Case(When(status=Status.RETURNED, then=Value(0)),
                                 When(status=Status.DRAFT, then=Value(1)), default=Value(2),
                                 output_field=IntegerField()))
             .order_by("rank", "-id")[:SHOWN])
    for application in first:
        link = reverse("recognition:detail", args=[application.pk])
        title = f"{application.number} {application.talent.name}（{application.get_category_display()}，" \
                f"{application.get_way_display()}）"
        if application.status == Status.RETURNED:
            home.tasks.append(Task(f"recognition-{application.pk}", f"补正：{title}", link,
                                   detail="退回补正：按工作人员一次性告知的问题补齐材料后重新提交"))
        elif application.status == Status.DRAFT:
            home.tasks.append(Task(f"recognition-{application.pk}", f"提交：{title}", link, detail="草稿，尚未提交"))
        else:
            home.under_way.append(Task(f"recognition-{application.pk}", title, link,
                                       detail=application.get_status_display()))
    home.extra["recognition_counts"] = {
        "returned": counts.get(Status.RETURNED, 0),
        "open": sum(n for s, n in counts.items() if s not in (*DECIDED_STATUSES, Status.WITHDRAWN)),
        "approved": counts.get(Status.APPROVED, 0), "total": sum(counts.values())}
    authorization = authorization_in_force(organization_id=user.organization_id)
    home.extra["authorization"] = authorization
    home.extra["quotas"] = list(authorization.quotas.all()) if authorization else []
    claims = employment_claims(user=user).count()
    if claims:  # first: until confirmed, the person is not the employer's to apply for
        home.tasks.insert(0, Task("claims", "任职确认：声明在本单位任职、待确认的人员", reverse("talents:claims"),
                                  count=claims))
    home.tasks += _programme_lines(user)
    fulfilment_open = applications_visible(user).filter(status__in=FULFILMENT_OPEN).count()
    home.under_way.append(Task("fulfilment", "政策兑现：本单位人员在办的申请", reverse("fulfilment:mine"),
                               count=fulfilment_open))
    return home


# --- expert ---------------------------------------------------------------------------------------------

def expert_home(*, user: User) -> Home:
    """The expert's assignments still to score, of every kind (rencai.reviews), each with the day it falls due
    (overdue first)."""
    from rencai.reviews import selectors as reviews

    home = Home(role=Role.EXPERT)
    rows = reviews.tasks_of_expert(user=user, open_only=True)
    today = _today()
    rows.sort(key=lambda t: (t.due or dt.date.max, t.assignment.pk))
    for task in rows:
        assignment, item = task.assignment, task.item
        late = task.due is not None and task.due < today
        home.tasks.append(Task(
            f"score-{assignment.pk}",
            f"评分：{item.number} {item.applicant}（{item.detail}）" if item else f"评分：{task.kind_label}",
            task.url, overdue=int(late),
            detail=(f"{'已超过' if late else '请于'} {task.due:%Y-%m-%d} {'的评分期限' if late else '前完成评分'}"
                    if task.due else "分配于 " + _date(assignment.assigned_at))))
    home.extra["scored"] = reviews.scored_count(user=user)
    home.extra["is_expert"] = bool(rows) or hasattr(user, "expert")  # an assignment is an expert's
    return home


# --- leader ---------------------------------------------------------------------------------------------

def leader_home(*, user: User) -> Home:
    """Headline figures within the leader's jurisdiction: talents and the recognised by class (kept counts),
    money paid this year against the budget, applications in progress and overdue, 政策找人 in one line."""
    from rencai.fulfilment import selectors as fulfilment
    from rencai.payments.selectors import budget_year_totals
    from rencai.recognition.enums import Status
    from rencai.recognition.models import Application
    from rencai.recognition.selectors import application_scope_q
    from rencai.talents.selectors import registry_overview

    home = Home(role=Role.LEADER)
    home.extra["overview"] = registry_overview(user=user)
    home.extra["budget"] = budget_year_totals(user=user, year=_today().year)
    recognition = (Application.objects.filter(application_scope_q(user))
                   .filter(status__in=[Status.SUBMITTED, Status.RETURNED, Status.COMPLETE, Status.IN_REVIEW])
                   .count())
    steps = fulfilment.overdue_counts(user=user)
    home.under_way += [
        Task("recognition", "人才认定：办理中的申请", reverse("recognition:queue"), count=recognition),
        Task("fulfilment", "政策兑现：审批中的申请", f"{reverse('fulfilment:queue')}?status=reviewing",
             count=sum(s["total"] for s in steps), overdue=sum(s["promised"] for s in steps),
             overdue_text=(f"超过承诺时限 {sum(s['promised'] for s in steps)} 件（其中超过法定时限 "
                           f"{sum(s['statutory'] for s in steps)} 件）") if any(s["promised"] for s in steps) else "",
             overdue_link=f"{reverse('fulfilment:queue')}?status=all&overdue=promised"),
    ]
    home.extra["matches"] = match_headline(user=user)
    home.under_way.append(_satisfaction_line(user))
    home.under_way += _warning_tasks(user)
    from rencai.programmes.models import Call

    awaiting = Call.objects.filter(ranked_at__isnull=False, approved_at__isnull=True).count()
    if awaiting:  # the leader's own act: the award lists to approve
        home.tasks.append(Task("programme-approvals", "项目申报：待审批的立项名单", reverse("programmes:index"),
                               count=awaiting))
    return home


def _satisfaction_line(user: User) -> Task:
    """好差评 this year within the leader's jurisdiction: the share of ratings 满意 or better (非常满意, 满意),
    with the 差评; one aggregate."""
    from rencai.accounts.permissions import scope_related
    from rencai.feedback.enums import POOR_GRADES, Grade
    from rencai.feedback.models import Rating

    year = _today().year
    row = Rating.objects.filter(scope_related(user, "talent"), created_at__year=year).aggregate(
        n=Count("pk"), good=Count("pk", filter=Q(grade__in=(Grade.VERY_SATISFIED, Grade.SATISFIED))),
        poor=Count("pk", filter=Q(grade__in=POOR_GRADES)))
    share = f"满意及以上占 {100 * row['good'] / row['n']:.1f}%" if row["n"] else "今年尚无评价"
    return Task("satisfaction", f"好差评：{year}年满意度", reverse("feedback:satisfaction"), count=row["n"],
                detail=f"{share}（共 {row['n']} 条评价，差评 {row['poor']} 条）")


# --- auditor and administrator --------------------------------------------------------------------------

AUDIT_DAYS = 7


def audit_tasks(*, user: User) -> list[Task]:
    """The last week of the audit log within the auditor's scope: every act, and the ones an auditor looks at
    first (reveals of full numbers, exports of personal data, refused attempts), each a link to the log."""
    from rencai.audit.enums import AuditAction
    from rencai.audit.models import AuditEvent
    from rencai.audit.selectors import audit_scope_q

    since = _today() - dt.timedelta(days=AUDIT_DAYS - 1)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    watched = (AuditAction.REVEAL, AuditAction.EXPORT, AuditAction.DENIED)
    counts = AuditEvent.objects.filter(audit_scope_q(user), at__gte=start).aggregate(
        total=Count("pk"), **{str(a): Count("pk", filter=Q(action=a)) for a in watched})
    log = reverse("audit:events")
    tasks = [Task("audit-all", f"近{AUDIT_DAYS}天的全部操作记录", f"{log}?date_from={since:%Y-%m-%d}",
                  count=counts["total"])]
    titles = {AuditAction.REVEAL: "查看完整证件号码", AuditAction.EXPORT: "导出个人信息",
              AuditAction.DENIED: "越权操作被拒绝"}
    for action in watched:
        tasks.append(Task(f"audit-{action}", f"近{AUDIT_DAYS}天{titles[action]}",
                          f"{log}?action={action}&date_from={since:%Y-%m-%d}", count=counts[str(action)]))
    return tasks


def auditor_home(*, user: User) -> Home:
    return Home(role=Role.AUDITOR, tasks=audit_tasks(user=user))


def admin_tasks() -> list[Task]:
    """What only an administrator can do: the working-day calendar of this and next year (missing or
    provisional), background jobs that failed this week, 自主认定 authorisations ending within 30 days, and the
    example data still standing in for the city's own (the recognition standard, 免申即享 markings)."""
    from rencai.fulfilment.models import PolicySetting
    from rencai.jobs.models import Job, JobStatus
    from rencai.recognition.models import EmployerAuthorization
    from rencai.recognition.selectors import standard_in_force
    from rencai.workdays.services import CalendarMissing, year_calendar

    today = _today()
    tasks = []
    calendar = reverse("admin:workdays_holidayyear_changelist")
    for year in (today.year, today.year + 1):
        try:
            provisional = year_calendar(year).provisional
        except CalendarMissing:
            tasks.append(Task(f"calendar-{year}", f"录入{year}年放假安排", calendar,
                              detail="尚未录入，办理时限无法按工作日计算"))
            continue
        if provisional:
            tasks.append(Task(f"calendar-{year}", f"核定{year}年放假安排", calendar,
                              detail="目前为暂定（只含法定节假日，未含调休），国务院办公厅通知发布后请录入"))
    failed = Job.objects.filter(status=JobStatus.FAILED, finished_at__gte=timezone.now() - dt.timedelta(days=7))
    latest = failed.order_by("-finished_at", "-pk").first()
    if latest is not None:
        tasks.append(Task("jobs-failed", "近7天失败的后台任务", reverse("jobs:job", args=[latest.pk]),
                          count=failed.count(), detail=f"最近一次：{latest.title}"))
    ending = EmployerAuthorization.objects.filter(revoked=False, valid_until__gte=today,
                                                  valid_until__lte=today + dt.timedelta(days=30)).count()
    if ending:
        tasks.append(Task("authorizations-ending", "30天内到期的自主认定授权", reverse("recognition:authorizations"),
                          count=ending))
    try:
        standard = standard_in_force()
    except NotFound:  # no standard at all: the same task
        standard = None
    if standard is None or standard.is_example:
        tasks.append(Task("standard-example", "以本市正式发布的人才认定标准替换示例标准",
                          reverse("admin:recognition_standard_changelist"),
                          detail="当前施行的认定条目、有效期和分数线为示例数据"))
    examples = PolicySetting.objects.filter(example=True).count()
    if examples:
        tasks.append(Task("settings-example", "核定标为演示示例的政策兑现设置（如免申即享）",
                          reverse("admin:fulfilment_policysetting_changelist"), count=examples))
    return tasks


def admin_home(*, user: User) -> Home:
    """The administrator's own tasks, then what every office sees (the queues, city-wide) and the audit log."""
    from rencai.talents.selectors import registry_overview

    home = Home(role=Role.ADMIN, tasks=admin_tasks())
    home.extra["office"] = office_tasks(user=user)
    home.extra["audit"] = audit_tasks(user=user)
    home.extra["overview"] = registry_overview(user=user)
    return home
