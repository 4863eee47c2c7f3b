"""咨询与评价's API (django-ninja), mounted at ``/api/feedback``: the same services and selectors as the pages. A
talent asks a question (政策咨询), rates a finished item (好差评: once a round; a 差评 opens a follow-up case for a
supervisor), files a complaint (监督反馈), and lists their questions, what they may rate (with their ratings) and
their cases. Refusals: 422 naming the field in Chinese, 409 for an unfinished item or a second rating, 404 for
anything not the talent's own."""

import datetime as dt

from ninja import Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field

from rencai.core.api_schemas import ERRORS, ID_PATH, MAX_ID, StrictIn

from . import selectors, services
from .enums import AboutKind
from .models import Case, Consultation, Rating

router = Router(tags=["咨询与评价"], auth=django_auth)

LIST_LIMIT = 200


# -- what goes out ---------------------------------------------------------------------------------------------


class FeedbackQuestionOut(Schema):
    id: int
    number: str
    policy: str = Field(description="政策编号（综合咨询为空）")
    policy_title: str
    question: str
    status: str
    status_label: str
    department: str = Field(description="承办部门")
    due_on: dt.date = Field(description="答复期限（工作日计算）")
    asked_at: dt.datetime
    answer: str
    answered_at: dt.datetime | None


class FeedbackRatingOut(Schema):
    id: int
    subject_kind: str
    subject_id: int
    subject_title: str
    round: int = Field(description="评价轮次：差评回访办结后可再次评价")
    grade: str
    grade_label: str
    comment: str
    created_at: dt.datetime
    case_id: int | None = Field(description="差评的回访案件")
    case_status_label: str | None


class FeedbackRateableOut(Schema):
    subject_kind: str
    subject_kind_label: str
    subject_id: int
    title: str
    finished: bool
    may_rate: bool
    why_not: str = Field(description="现在不能评价的原因")
    ratings: list[FeedbackRatingOut]


class FeedbackCaseOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    about_kind: str
    about_kind_label: str
    subject_title: str
    about_department: str | None
    text: str
    status: str
    status_label: str
    deadline_state_label: str
    opened_at: dt.datetime
    callback_due: dt.date = Field(description="回访期限（1个工作日）")
    resolve_due: dt.date = Field(description="办结期限（15个工作日）")
    resolution: str


# -- what comes in ----------------------------------------------------------------------------------------------


class FeedbackQuestionIn(StrictIn):
    question: str = Field(max_length=1000, description="咨询内容")
    policy: str = Field("", max_length=80, description="政策编号（综合咨询省略）")


class FeedbackRatingIn(StrictIn):
    subject_kind: str = Field(max_length=40, description="事项类型：fulfilment.application（政策兑现申请）、"
                                                         "fulfilment.step（已办理的审批环节）、feedback.consultation、"
                                                         "services.request")
    subject_id: int = Field(ge=1, le=MAX_ID, description="事项编号（id）")
    grade: str = Field(max_length=20, description="very_satisfied、satisfied、basic、dissatisfied、very_dissatisfied"
                                                  "（非常满意至非常不满意）")
    comment: str = Field("", max_length=500, description="评价意见（差评必填）")


class FeedbackComplaintIn(StrictIn):
    about_kind: str = Field(max_length=10, description="department（部门）、person（工作人员）或 item（办理事项）")
    text: str = Field(max_length=1000, description="反映内容")
    department_id: int | None = Field(None, ge=1, le=MAX_ID, description="涉及部门（about_kind 为 department）")
    person_id: int | None = Field(None, ge=1, le=MAX_ID,
                                  description="涉及人员（about_kind 为 person：为您办理过事项的人）")
    subject_kind: str = Field("", max_length=40, description="反映事项的类型（about_kind 为 item）")
    subject_id: int | None = Field(None, ge=1, le=MAX_ID, description="反映事项的编号")


# -- helpers ----------------------------------------------------------------------------------------------------


def _question(c: Consultation) -> dict:
    return {"id": c.pk, "number": c.number, "policy": c.policy, "policy_title": c.policy_title,
            "question": c.question, "status": c.status, "status_label": c.get_status_display(),
            "department": c.department, "due_on": c.due_on, "asked_at": c.asked_at, "answer": c.answer,
            "answered_at": c.answered_at}


def _rating(r: Rating) -> dict:
    case = getattr(r, "case", None)
    return {"id": r.pk, "subject_kind": r.subject_kind, "subject_id": r.subject_id,
            "subject_title": r.subject_title, "round": r.round, "grade": r.grade, "grade_label": r.get_grade_display(),
            "comment": r.comment, "created_at": r.created_at, "case_id": case.pk if case else None,
            "case_status_label": case.get_status_display() if case else None}


def _case(c: Case) -> dict:
    return {"id": c.pk, "number": c.number, "kind": c.kind, "kind_label": c.get_kind_display(),
            "about_kind": c.about_kind, "about_kind_label": AboutKind(c.about_kind).label,
            "subject_title": c.subject_title, "about_department": c.about_department.name if c.about_department_id
            else None, "text": c.text, "status": c.status, "status_label": c.get_status_display(),
            "deadline_state_label": c.get_deadline_state_display(), "opened_at": c.opened_at,
            "callback_due": c.callback_due, "resolve_due": c.resolve_due, "resolution": c.resolution}


# -- 政策咨询 -----------------------------------------------------------------------------------------------------


@router.get("/questions", response={200: list[FeedbackQuestionOut], **ERRORS}, summary="我的政策咨询（最新的在前）")
def question_list(request):
    services._talent_of(request.auth)
    return [_question(c) for c in selectors.my_consultations(user=request.auth)[:LIST_LIMIT]]


@router.post("/questions", response={201: FeedbackQuestionOut, **ERRORS},
             summary="提出政策咨询（人才本人）：转给受理该政策的部门，5个工作日内答复")
def question_ask(request, payload: FeedbackQuestionIn):
    consultation = services.consultation_ask(actor=request.auth, question=payload.question, policy_id=payload.policy)
    return Status(201, _question(consultation))


@router.get("/questions/{int:consultation_id}", response={200: FeedbackQuestionOut, **ERRORS},
            summary="一条咨询及其答复（本人的，或工作人员管辖范围内的）")
def question_detail(request, consultation_id: int = ID_PATH):
    return _question(selectors.consultation_get(user=request.auth, consultation_id=consultation_id))


# -- 好差评 -----------------------------------------------------------------------------------------------------


@router.get("/ratings", response={200: list[FeedbackRateableOut], **ERRORS},
            summary="我的可评价事项及已给出的评价（办结的申请、已答复的咨询、办结的一件事服务）")
def rating_list(request):
    services._talent_of(request.auth)
    from . import subjects

    return [{"subject_kind": r.subject.kind, "subject_kind_label": subjects.kind_label(r.subject.kind),
             "subject_id": r.subject.id, "title": r.subject.title, "finished": r.subject.finished,
             "may_rate": r.may_rate, "why_not": r.why_not, "ratings": [_rating(g) for g in r.ratings]}
            for r in selectors.rateable(user=request.auth)]


@router.post("/ratings", response={201: FeedbackRatingOut, **ERRORS},
             summary="评价一个办结的事项（每轮一次；差评转部门主管回访，1个工作日内回访，15个工作日内办结）；"
                     "未办结或重复评价为409")
def rating_give(request, payload: FeedbackRatingIn):
    rating = services.rating_give(actor=request.auth, subject_kind=payload.subject_kind,
                                  subject_id=payload.subject_id, grade=payload.grade, comment=payload.comment)
    return Status(201, _rating(Rating.objects.select_related("case").get(pk=rating.pk)))


# -- 监督反馈 -----------------------------------------------------------------------------------------------------


@router.get("/cases", response={200: list[FeedbackCaseOut], **ERRORS}, summary="我的监督反馈和差评回访（最新的在前）")
def case_list(request):
    services._talent_of(request.auth)
    return [_case(c) for c in selectors.my_cases(user=request.auth)[:LIST_LIMIT]]


@router.post("/complaints", response={201: FeedbackCaseOut, **ERRORS},
             summary="监督反馈：反映部门、为您办理过事项的工作人员或办理事项的问题，转相关部门主管（不会转给被反映的人本人）")
def complaint_file(request, payload: FeedbackComplaintIn):
    case = services.complaint_file(actor=request.auth, about_kind=payload.about_kind, text=payload.text,
                                   department_id=payload.department_id, person_id=payload.person_id,
                                   subject_kind=payload.subject_kind, subject_id=payload.subject_id)
    return Status(201, _case(Case.objects.select_related("about_department").get(pk=case.pk)))
