"""政策咨询 (questions and the FAQ built from them), 好差评 (ratings of finished items) and the cases a 差评 or a
监督反馈 opens for a supervisor.

What is rated is named by a generic reference (``subject_kind`` "fulfilment.application", "feedback.consultation",
"services.…" and ``subject_id``; see subjects.py), so other apps' finished items are rated without a foreign key
to each. No model here keeps a copy of the talent's district: lists are scoped through the talent's current
record (``accounts.permissions.scope_related``)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from .enums import (
    AboutKind,
    CaseAction,
    CaseKind,
    CaseStatus,
    ConsultationAction,
    ConsultationStatus,
    DeadlineState,
    Grade,
)


class Consultation(models.Model):
    """A talent's question about a policy (or in general), routed to the department that receives the policy's
    applications (the first step of its 政策兑现 route, at that step's level: ``department`` is the route's
    department word, as fulfilment's steps keep it) and answered by its staff within ``due_on``."""

    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="consultations",
                               verbose_name="人才")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="提问人")
    policy = models.CharField("政策编号", max_length=80, blank=True, db_index=True)
    policy_title = models.CharField("咨询政策", max_length=200, blank=True)
    question = models.TextField("咨询内容")
    department = models.CharField("承办部门", max_length=60)
    level = models.CharField("层级", max_length=10)
    status = models.CharField("状态", max_length=10, choices=ConsultationStatus.choices,
                              default=ConsultationStatus.OPEN, db_index=True)
    asked_at = models.DateTimeField("提问时间")
    due_on = models.DateField("答复期限")
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="答复人")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    # The FAQ entry: the question and answer as published, checked free of names and personal numbers.
    faq_published = models.BooleanField("已发布为常见问题", default=False)
    faq_question = models.TextField("公开的问题", blank=True)
    faq_answer = models.TextField("公开的答复", blank=True)
    faq_published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        ordering = ["-asked_at", "-id"]
        verbose_name = verbose_name_plural = "政策咨询"
        constraints = [
            models.CheckConstraint(
                condition=Q(status=ConsultationStatus.OPEN) | (~Q(answer="") & Q(answered_at__isnull=False)),
                name="feedback_answered_has_answer"),
            models.CheckConstraint(
                condition=Q(faq_published=False) | (Q(status=ConsultationStatus.ANSWERED) & ~Q(faq_question="")
                                                    & ~Q(faq_answer="")),
                name="feedback_faq_only_answered"),
        ]
        indexes = [models.Index(fields=["policy", "faq_published"], name="feedback_faq_policy")]

    def __str__(self) -> str:
        return f"ZX{self.pk:07d}" if self.pk else "（新咨询）"

    @property
    def number(self) -> str:
        return str(self)


class ConsultationEvent(models.Model):
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=ConsultationAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="操作人")
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "政策咨询记录"

    def __str__(self) -> str:
        return self.get_action_display()


class Rating(models.Model):
    """好差评: one rating per finished item and round (a unique constraint). Round 1 is the first rating; after a
    差评's follow-up case is resolved the talent may rate again (round 2, kept beside the first)."""

    subject_kind = models.CharField("事项类型", max_length=40)
    subject_id = models.BigIntegerField("事项编号")
    round = models.PositiveSmallIntegerField("评价轮次", default=1)
    subject_title = models.CharField("事项", max_length=200)
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="ratings",
                               verbose_name="人才")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name="评价人")
    grade = models.CharField("评价等级", max_length=20, choices=Grade.choices)
    comment = models.TextField("评价意见", blank=True)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ratings_received", verbose_name="被评价人")
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="被评价部门")
    created_at = models.DateTimeField("评价时间")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "好差评"
        constraints = [
            models.UniqueConstraint(fields=["subject_kind", "subject_id", "round"], name="feedback_one_rating_a_round"),
            models.CheckConstraint(condition=Q(round__gte=1), name="feedback_rating_round_positive"),
            models.CheckConstraint(condition=Q(grade__in=Grade.values), name="feedback_rating_grade_known"),
        ]
        indexes = [models.Index(fields=["department", "grade"], name="feedback_rating_department"),
                   models.Index(fields=["person", "grade"], name="feedback_rating_person")]

    def __str__(self) -> str:
        return f"{self.subject_title}：{self.get_grade_display()}"

    @property
    def poor(self) -> bool:
        return self.grade in (Grade.DISSATISFIED, Grade.VERY_DISSATISFIED)


class Case(models.Model):
    """A follow-up case (a 差评) or a complaint (监督反馈), assigned to a supervisor who is never the person it is
    about (a check constraint): 回访 within one working day, 办结 within 15."""

    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    talent = models.ForeignKey("talents.Talent", on_delete=models.PROTECT, related_name="feedback_cases",
                               verbose_name="人才")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                 verbose_name="提出人")
    rating = models.OneToOneField(Rating, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="case", verbose_name="差评")
    about_kind = models.CharField("反映对象", max_length=10, choices=AboutKind.choices)
    subject_kind = models.CharField("事项类型", max_length=40, blank=True)
    subject_id = models.BigIntegerField("事项编号", null=True, blank=True)
    subject_title = models.CharField("事项", max_length=200, blank=True)
    about_department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name="涉及部门")
    about_person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name="涉及人员")
    text = models.TextField("反映内容")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_cases",
                                 verbose_name="承办主管")
    assigned_how = models.CharField("分派依据", max_length=120)
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN,
                              db_index=True)
    deadline_state = models.CharField("时限状态", max_length=14, choices=DeadlineState.choices,
                                      default=DeadlineState.ON_TIME)
    opened_at = models.DateTimeField("立案时间")
    callback_due = models.DateField("回访期限")
    resolve_due = models.DateField("办结期限")
    called_back_at = models.DateTimeField("回访时间", null=True, blank=True)
    callback_note = models.TextField("回访情况", blank=True)
    resolved_at = models.DateTimeField("处理时间", null=True, blank=True)
    resolution = models.TextField("处理结果", blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = verbose_name_plural = "回访与监督反馈"
        permissions = [("supervise", "主管：承办差评回访和监督反馈")]
        constraints = [
            models.CheckConstraint(condition=Q(about_person__isnull=True) | ~Q(assignee=F("about_person")),
                                   name="feedback_case_never_to_the_person_concerned"),
            models.CheckConstraint(condition=~Q(kind=CaseKind.FOLLOW_UP) | Q(rating__isnull=False),
                                   name="feedback_follow_up_has_rating"),
            models.CheckConstraint(condition=Q(status=CaseStatus.OPEN) | Q(called_back_at__isnull=False),
                                   name="feedback_case_called_back_before_resolved"),
        ]
        indexes = [models.Index(fields=["assignee", "status"], name="feedback_case_assignee"),
                   models.Index(fields=["status", "resolve_due"], name="feedback_case_due")]

    def __str__(self) -> str:
        return f"HF{self.pk:07d}" if self.pk else "（新案件）"

    @property
    def number(self) -> str:
        return str(self)


class CaseEvent(models.Model):
    """The case's timeline: who, when, from which status to which, and what was said."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=10, choices=CaseAction.choices)
    from_status = models.CharField("原状态", max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=12, choices=CaseStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间")
    note = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = verbose_name_plural = "回访与监督反馈记录"

    def __str__(self) -> str:
        return self.get_action_display()
