"""咨询与评价 demo data (`rencai demo`), deterministic for the registry it runs on (talents and applications taken
in id order, fixed words): answered questions (some published as the policy's FAQ), a question waiting, ratings of
finished 政策兑现 applications with a few 差评 whose follow-ups are open, called back, resolved (and rated again)
and one past its call-back day (flipped by the daily check), and a complaint.

The rated applications' talents are given accounts (no usable password: the demo rates on their behalf, as a
talent would from their own page); the demo talent's own account asks, rates and complains. Supervisors: one of
和平区's and one of the city's 人社局 (浑南区 has none, so its cases go up to the city's: the routing shown)."""

import datetime as dt

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.demo.accounts import DEMO_PASSWORD, demo_password_hash
from rencai.talents.models import Talent

from . import services
from .enums import Grade
from .models import Case, CaseEvent, Consultation, Rating
from .supervisors import supervisors_q

RENT = "sy-rent-subsidy"
SUPERVISORS = [  # (user name, department, region, the person's name, what the account is for)
    ("heping_lead", "和平区人力资源和社会保障局", "210102", "李文博", "和平区人社局主管（差评回访、监督反馈、满意度）"),
    ("city_lead", "沈阳市人力资源和社会保障局", "210100", "高雅琴", "市人社局主管（差评回访、监督反馈、满意度）"),
    # 政策兑现's last step is the finance department's (资金拨付): a 差评 about it goes to its own supervisor.
    ("finance_lead", "沈阳市财政局", "210100", "周建华", "市财政局主管（财政环节的差评回访、监督反馈）"),
]
QUESTIONS = [  # (policy, question, answer, published as an FAQ)
    (RENT, "房租补贴需要提供哪些材料？租房合同需要备案吗？",
     "需提供劳动合同和租房合同，租房合同须在住建部门备案。材料已在材料库核验过的，无需再次提交。", True),
    (RENT, "房租补贴每月什么时候发放？", "审批通过后按月发放，每月初随当月发放批次拨付到本人银行账户。", True),
    ("", "高层次人才服务窗口在哪里办公？", "市行政审批大厅一楼高层次人才服务窗口，工作日办公。", True),
    (RENT, "我下个月换工作单位，房租补贴会停吗？",
     "更换单位后请在“我的档案”中更新任职信息，新单位在本市的，补贴继续发放。", False),
]
# (grade, comment, the follow-up's state: "", "open", "late", "called_back", "resolved")
RATINGS = [
    (Grade.DISSATISFIED, "不予通过的原因没有说清楚，打电话也没人接。", "resolved"),
    (Grade.VERY_SATISFIED, "办理很快，工作人员很耐心。", ""),
    (Grade.VERY_DISSATISFIED, "等了一个多月没有结果。", "called_back"),
    (Grade.SATISFIED, "", ""),
    (Grade.DISSATISFIED, "要求补充的材料之前已经交过。", "late"),
    (Grade.BASIC, "材料要求可以一次说清楚。", ""),
    (Grade.DISSATISFIED, "答复和窗口的说法不一致。", "open"),
    (Grade.SATISFIED, "", ""),
    (Grade.VERY_SATISFIED, "", ""),
]


def _supervisors() -> list[tuple[str, str, str]]:
    permission = Permission.objects.get(codename="supervise", content_type__app_label="feedback")
    rows = []
    for username, department_name, region, name, description in SUPERVISORS:
        department, _ = Department.objects.get_or_create(name=department_name, region_id=region)
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": Role.STAFF, "department": department, "display_name": name})
        user.password = demo_password_hash()
        user.save()
        user.user_permissions.add(permission)
        rows.append((username, DEMO_PASSWORD, description))
    return rows


def _account(talent: Talent) -> User:
    """The talent's account (made without a usable password if they have none)."""
    if talent.user_id:
        return talent.user
    user = User.objects.create(username=f"talent{talent.pk}", role=Role.TALENT, display_name=talent.name)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    Talent.objects.filter(pk=talent.pk).update(user=user)
    talent.user = user
    return user


def _age(case: Case, days: int) -> None:
    """Move a case's history back by ``days`` calendar days (its deadlines recomputed in working days)."""
    delta = dt.timedelta(days=days)
    opened = case.opened_at - delta
    day = timezone.localdate(opened)
    Case.objects.filter(pk=case.pk).update(
        opened_at=opened, callback_due=services.add_working_days(day, services.CALLBACK_DAYS),
        resolve_due=services.add_working_days(day, services.RESOLVE_DAYS))
    for event in CaseEvent.objects.filter(case=case):
        CaseEvent.objects.filter(pk=event.pk).update(at=event.at - delta)


def _staff(region: str) -> User | None:
    return (User.objects.filter(role=Role.STAFF, department__region_id=region, is_active=True)
            .exclude(supervisors_q()).order_by("pk").first())


def _questions(talent_user: User) -> None:
    answerer = {"210102": _staff("210102"), "210112": _staff("210112")}
    askers = [talent_user] if talent_user else []
    for district, n in (("210102", 2), ("210112", 1)):  # both demo districts' offices have questions
        askers += [_account(t) for t in Talent.objects.filter(district_id=district, user__isnull=True)
                   .order_by("pk")[:n]]
    for index, (policy, question, answer, publish) in enumerate(QUESTIONS):
        asker = askers[index % len(askers)]
        consultation = services.consultation_ask(actor=asker, question=question, policy_id=policy)
        staff = answerer.get(asker.talent.district_id)
        if staff is None:
            continue
        services.consultation_transition(actor=staff, consultation_id=consultation.pk, action="answer", answer=answer)
        if publish:
            services.consultation_transition(actor=staff, consultation_id=consultation.pk, action="publish",
                                             faq_question=question, faq_answer=answer)
    if talent_user:  # one waiting for its answer
        services.consultation_ask(actor=talent_user, question="博士生活补贴和房租补贴可以同时享受吗？")


def _ratings() -> None:
    """The finished applications, then the answered questions of talents other than the demo talent's (whose
    answer is left for its account to rate), rated in the order of RATINGS."""
    from rencai.fulfilment.enums import Status
    from rencai.fulfilment.models import Application

    finished = [("fulfilment.application", a.pk, a.talent) for a in Application.objects.filter(
        status__in=(Status.APPROVED, Status.REJECTED)).select_related("talent").order_by("pk")]
    finished += [("feedback.consultation", c.pk, c.talent) for c in Consultation.objects.filter(
        status="answered").exclude(talent__user__username="talent").select_related("talent").order_by("pk")]
    for (kind, pk, talent), (grade, comment, state) in zip(finished, RATINGS, strict=False):
        user = _account(talent)
        rating = services.rating_give(actor=user, subject_kind=kind, subject_id=pk, grade=grade, comment=comment)
        if not state:
            continue
        case = rating.case
        _age(case, {"open": 0, "late": 6, "called_back": 5, "resolved": 12}[state])
        case.refresh_from_db()
        if state in ("called_back", "resolved"):
            services.case_transition(actor=case.assignee, case_id=case.pk, action="call_back",
                                     note="已电话联系申请人，说明了办理情况并致歉。")
        if state == "resolved":
            services.case_transition(actor=case.assignee, case_id=case.pk, action="resolve",
                                     note="已向申请人书面说明不予通过的依据和补正方法，并对承办人进行了提醒。")
            services.rating_give(actor=user, subject_kind=kind, subject_id=pk, grade=Grade.SATISFIED,
                                 comment="回访及时，问题说清楚了。")


@transaction.atomic
def feedback_demo_load() -> list[tuple[str, str, str]]:
    """Idempotent: once the demo's questions exist, only the supervisor accounts are returned again."""
    rows = _supervisors()
    if Consultation.objects.exists() or Rating.objects.exists() or not Talent.objects.exists():
        return rows
    talent_user = User.objects.filter(username="talent", talent__isnull=False).first()
    _questions(talent_user)
    _ratings()
    if talent_user:
        department = Department.objects.filter(region_id=talent_user.talent.district_id).order_by("pk").first()
        if department is not None:
            services.complaint_file(actor=talent_user, about_kind="department", department_id=department.pk,
                                    text="工作日下午多次拨打咨询电话无人接听，希望公布可以接通的咨询方式。")
    services.feedback_check()  # the case past its call-back day is flagged as the daily check would
    return rows


def feedback_demo_clear() -> None:
    """Before the registry is replaced (`rencai demo --reset`): everything here refers to talents."""
    CaseEvent.objects.all().delete()
    Case.objects.all().delete()
    Rating.objects.all().delete()
    Consultation.objects.all().delete()
    User.objects.filter(username__regex=r"^talent[0-9]+$", role=Role.TALENT).delete()

