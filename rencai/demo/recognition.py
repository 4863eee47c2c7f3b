"""Demo data for recognition: an expert pool, the demo employer authorised for 自主认定, and applications
waiting at each step: in 和平区's queue (materials to check), returned to the employer for correction, and
before review panels on which every demo expert has a score to give. Nothing here is approved, so the registry
keeps 004's published category counts; approving them in the demo is the visitor's job. Deterministic (the
employer's first unrecognised employees by id) and safe to run twice."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.organizations.models import Organization
from rencai.recognition import review, selectors, services
from rencai.recognition.enums import CATEGORY_RANK, OPEN_STATUSES
from rencai.recognition.models import (
    Application,
    ApplicationEvent,
    Attachment,
    EmployerAuthorization,
    Recognition,
)
from rencai.reviews.models import Assignment, ConflictDeclaration, Expert, Panel
from rencai.talents.models import Talent

from .accounts import DEMO_PASSWORD, HEPING, demo_password_hash

EXPERTS = [
    ("expert1", "周立新", "东北大学", "university", "智能制造"),
    ("expert2", "孙雅琴", "中国科学院沈阳自动化研究所", "institute", "机器人与自动化"),
    ("expert3", "郑国华", "中国医科大学附属第一医院", "hospital", "临床医学"),
    ("expert4", "冯卫东", "沈阳工业大学", "university", "材料与冶金"),
    ("expert5", "陈思远", None, "employer", "企业管理"),  # works at the demo employer: stands aside for its staff
]
# Example criteria for the demo employer's authorisation (not from 004, which gives none): shown as such.
EXAMPLE_CRITERIA = ("演示数据（示例）：以年薪、年缴个人所得税和创造的市场价值为衡量指标；"
                    "C类年薪不低于50万元且年缴个税不低于10万元，D类年薪不低于20万元。")


def _pdf(title: str) -> SimpleUploadedFile:
    """A small real PDF standing for a scanned document."""
    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.setFont("STSong-Light", 14)
    pdf.drawString(72, 760, f"演示材料：{title}")
    pdf.drawString(72, 736, "本文件为演示数据，不是真实证明材料。")
    pdf.save()
    return SimpleUploadedFile(f"{title}.pdf", buffer.getvalue(), content_type="application/pdf")


def _attach_required(actor: User, application: Application) -> None:
    for requirement in selectors.requirements_for(application):
        if requirement.required:
            services.attachment_add(actor=actor, application_id=application.pk, requirement_id=requirement.pk,
                                    upload=_pdf(requirement.label))


def _user(username: str, role: str, display_name: str, **fields) -> User:
    user, _ = User.objects.update_or_create(username=username,
                                            defaults={"role": role, "display_name": display_name, **fields})
    user.password = demo_password_hash()
    user.save()
    return user


def _experts(employer_org: Organization | None) -> list[Expert]:
    experts = []
    for username, name, affiliation, kind, specialty in EXPERTS:
        organization = (employer_org if kind == "employer"
                        else Organization.objects.filter(name=affiliation).first()
                        or Organization.objects.filter(kind=kind).order_by("pk").first())
        user = _user(username, Role.EXPERT, name)  # the header adds the role: 周立新（评审专家）
        expert, _ = Expert.objects.update_or_create(
            user=user, defaults={"name": name, "organization": organization, "specialty": specialty,
                                 "affiliation": organization.name if organization else affiliation})
        experts.append(expert)
    return experts


def _create(actor: User, **fields) -> Application:
    return services.application_create(actor=actor, data=services.ApplicationInput(**fields))


@transaction.atomic
def recognition_demo_load() -> list[tuple[str, str, str]]:
    """(username, password, description) of the expert accounts; the rest is loaded once."""
    employer = User.objects.filter(username="employer", role=Role.EMPLOYER).first()
    employer_org = employer.organization if employer else None
    loaded = Expert.objects.exists()
    experts = _experts(employer_org)
    rows = [(e.user.username, DEMO_PASSWORD, f"评审专家：{e.name}（{e.affiliation}）") for e in experts]
    if loaded:
        return rows
    city = User.objects.filter(username="city_staff").first()
    admin = User.objects.filter(username="admin").first()
    today = selectors.today()

    if employer_org and admin:
        services.employer_authorize(
            actor=admin, organization_id=employer_org.pk, valid_from=dt.date(today.year, 1, 1),
            valid_until=dt.date(today.year, 12, 31), criteria=EXAMPLE_CRITERIA,
            quotas=[services.QuotaInput("C", 2, 500000, 100000), services.QuotaInput("D", 10, 200000, None)])

    # The demo talent asks for an upgrade by review recognition: the panel, expert5 among it, has not scored.
    talent_user = User.objects.filter(username="talent", role=Role.TALENT).first()
    talent = Talent.objects.filter(user=talent_user).first() if talent_user else None
    if talent and talent.talent_category != "A" and city:
        held = selectors.category_on(talent, today)
        target = "C" if not held or CATEGORY_RANK[held] > CATEGORY_RANK["C"] else "A"
        application = _create(talent_user, way="review", category=target,
                              statement="入选“兴辽英才计划”，主持省级重点研发项目两项，现申请认定升级（演示数据）")
        _attach_required(talent_user, application)
        services.application_submit(actor=talent_user, application_id=application.pk)
        services.application_accept(actor=city, application_id=application.pk)
        _panel(city, application, first="expert5")

    # The employer (a 和平区 enterprise, demo.accounts) applies for its unrecognised employees: one review
    # recognition with the panel half-way through its scores and one not yet scored (so that every expert has
    # a score to give), two direct recognitions waiting in 和平区's queue for the materials check, and one
    # returned for correction (一次性告知) for the employer to answer.
    heping = User.objects.filter(username="heping_staff").first()
    if employer and city and heping:
        free = (Talent.objects.filter(organization=employer_org, talent_category="", user__isnull=True)
                .exclude(recognition_applications__status__in=OPEN_STATUSES).order_by("pk"))
        candidates = list(free[:5])
        plan = [("review", "D", "", "从事数控加工十二年，主持产线改造三项，年薪高于同岗位水平（演示数据）",
                 "half-scored"),
                ("direct", "D", "D02", "具有正高级专业技术职称（演示数据）", "waiting"),
                ("direct", "D", "D02", "具有正高级专业技术职称，主持市级科研项目（演示数据）", "returned"),
                ("review", "D", "", "主持企业研发中心工作，获省级科技进步奖（演示数据）", "unscored"),
                ("direct", "D", "D02", "具有正高级专业技术职称，获授权发明专利五项（演示数据）", "waiting")]
        for candidate, (way, category, item, statement, then) in zip(candidates, plan, strict=False):
            # 和平区's officer where the employer is in 和平区 (demo.accounts picks one if it can), else the city's
            office = heping if candidate.district_id == HEPING else city
            application = _create(employer, way=way, category=category, item_code=item, talent_id=candidate.pk,
                                  statement=statement)
            _attach_required(employer, application)
            services.application_submit(actor=employer, application_id=application.pk)
            if then == "returned":
                first = selectors.requirements_for(application)[0]
                services.application_return(
                    actor=office, application_id=application.pk,
                    problems={first.pk: "扫描件不清晰，请上传清晰完整的原件扫描件"},
                    note="请补充近三年主持项目的立项文件和验收材料（演示数据）")
            elif way == "review":
                services.application_accept(actor=office, application_id=application.pk)
                panel = _panel(office, application)
                if then == "half-scored":
                    for expert, total in zip(panel[:2], (16, 15), strict=False):
                        assignment = Assignment.objects.get(panel__kind=review.KIND,
                                                            panel__object_id=application.pk, expert=expert)
                        services.review_score_submit(
                            actor=expert.user, assignment_id=assignment.pk, comment="演示评分",
                            scores=dict.fromkeys(("professional", "potential", "experience", "contribution",
                                                  "remuneration"), total))
    return rows


def _panel(actor: User, application: Application, first: str = "") -> list[Expert]:
    """Form the application's panel from the experts who need not stand aside: ``first`` (a user name) if
    available, then those with nothing left to score, so that every demo expert has a score to give."""
    available = selectors.experts_available(application)
    busy = set(Assignment.objects.filter(scored_at__isnull=True).values_list("expert_id", flat=True))
    available.sort(key=lambda e: (e.user.username != first, e.pk in busy, e.name, e.pk))
    panel = available[:application.standard.review_panel_size]
    if len(panel) < application.standard.review_panel_size:
        return []
    services.application_panel_form(actor=actor, application_id=application.pk, expert_ids=[e.pk for e in panel])
    return panel


@transaction.atomic
def recognition_demo_clear() -> None:
    """Remove every recognition record (before `rencai demo --reset` deletes talents and organizations)."""
    Attachment.objects.all().delete()
    from .documents import documents_demo_clear  # the files are the documents'

    documents_demo_clear()
    Panel.objects.all().delete()  # with their assignments and scores: the pool goes below
    ApplicationEvent.objects.all().delete()
    Recognition.objects.filter(superseded_by__isnull=False).update(superseded_by=None)
    Recognition.objects.all().delete()
    Application.objects.all().delete()
    EmployerAuthorization.objects.all().delete()
    experts = list(Expert.objects.values_list("user_id", flat=True))
    ConflictDeclaration.objects.all().delete()
    Expert.objects.all().delete()
    User.objects.filter(pk__in=experts).delete()
