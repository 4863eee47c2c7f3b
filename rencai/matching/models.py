"""人岗匹配 (issue 11): what matching keeps in the database.

- ``IndexState``: one generation number per index; every process compares it before answering and catches up
  (incrementally) when another process moved it, so a publication or a closing shows everywhere within a request.
- ``OpportunityDoc``: an opportunity's text, tokenised once by jieba when it opens (a rebuild never re-runs jieba),
  with the generation that last changed it; ``open`` false once it closed.
- ``Consent``: a talent's agreement to be found by employers — given, withdrawn, given again; every row kept.
- ``Subscription``: whether a talent is told of new opportunities that fit them well.
- ``ContactRequest``: an employer's request to contact a consenting talent about one of its jobs; the talent
  accepts (the employer then sees the name and the masked phone) or declines."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .enums import ContactState


class IndexState(models.Model):
    name = models.CharField("索引", max_length=20, primary_key=True)
    generation = models.BigIntegerField("索引版本", default=0)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "匹配索引版本"

    def __str__(self) -> str:
        return f"{self.name}@{self.generation}"


class OpportunityDoc(models.Model):
    opportunity = models.OneToOneField("opportunities.Opportunity", on_delete=models.CASCADE, primary_key=True,
                                       related_name="match_doc", verbose_name="对接机会")
    tokens = models.TextField("分词结果")  # jieba's words, separated by spaces
    major_tokens = models.TextField("专业要求分词", blank=True)
    open = models.BooleanField("开放中", default=True)
    generation = models.BigIntegerField("索引版本", db_index=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "对接机会索引"

    def __str__(self) -> str:
        return f"{self.opportunity_id}@{self.generation}"


class Consent(models.Model):
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="match_consents",
                               verbose_name="人才")
    given_at = models.DateTimeField("同意时间")
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    generation = models.BigIntegerField("索引版本", default=0, db_index=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = verbose_name_plural = "被推荐授权"
        constraints = [
            models.UniqueConstraint(fields=["talent"], condition=Q(withdrawn_at__isnull=True),
                                    name="match_consent_one_active"),
            models.CheckConstraint(condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=models.F("given_at")),
                                   name="match_consent_withdrawn_after_given"),
        ]

    def __str__(self) -> str:
        return f"{self.talent_id} {self.given_at:%Y-%m-%d}"


class Subscription(models.Model):
    talent = models.OneToOneField("talents.Talent", on_delete=models.CASCADE, related_name="match_subscription",
                                  verbose_name="人才")
    enabled = models.BooleanField("接收推荐通知", default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "推荐订阅"

    def __str__(self) -> str:
        return f"{self.talent_id} {self.enabled}"


class ContactRequest(models.Model):
    organization = models.ForeignKey("organizations.Organization", on_delete=models.PROTECT, related_name="+",
                                     verbose_name="用人单位")
    talent = models.ForeignKey("talents.Talent", on_delete=models.CASCADE, related_name="match_contacts",
                               verbose_name="人才")
    opportunity = models.ForeignKey("opportunities.Opportunity", on_delete=models.PROTECT, related_name="+",
                                    verbose_name="对接机会")
    state = models.CharField("状态", max_length=10, choices=ContactState.choices, default=ContactState.REQUESTED)
    note = models.CharField("留言", max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="申请人")
    requested_at = models.DateTimeField("请求时间", auto_now_add=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = verbose_name_plural = "联系请求"
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "talent"], name="match_contact_one_per_job"),
            models.CheckConstraint(condition=Q(state=ContactState.REQUESTED) | Q(answered_at__isnull=False),
                                   name="match_contact_answered_has_time"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.talent_id}"
