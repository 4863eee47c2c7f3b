"""决策预警: rules as data (``WarningRule``, edited by administrators), the warnings they raise
(``EarlyWarning``: a raised signal with an owner and a state) and each warning's history (``WarningEvent``).

A warning names what it is about by ``subject_key`` (e.g. "talent:12:insurance:2026-11", "district:210102:2026-10",
"budget:7:2026-11"): one warning per (rule, subject occurrence), guarded by a unique constraint, so evaluating
twice, or twice at once, raises it once — and a warning resolved or dismissed is not raised again for the same
occurrence. Its scope:
- about a talent (``talent``): through the talent's *current* record, as every list derived from talents;
- about a place (``place``, no talent): a district's net outflow, or the region of a budget line's or a
  policy's jurisdiction;
- a talent who left the city (流失预警 by a move out): ``place`` is the district they left — the move's
  ``from_district``, a fact of its day — since the talent's current record is no longer in any office of the
  city; both are set, and the office that lost the talent sees it (accounts/tests/test_derived_scope.py
  names this allowance).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from rencai.fulfilment.enums import Level

from .enums import Action, RuleKind, State


class WarningRule(models.Model):
    """A rule: what it watches (``kind``), its thresholds (``params``, checked per kind by params.py), who owns
    what it raises (a word of the department's name at a level, as 政策兑现's routes name departments) and where
    its numbers come from (``basis``: a document's, or the office's example)."""

    key = models.CharField("规则编号", max_length=60, unique=True)
    kind = models.CharField("预警类型", max_length=30, choices=RuleKind.choices)
    name = models.CharField("规则名称", max_length=100)
    params = models.JSONField("参数", default=dict, blank=True)
    basis = models.CharField("阈值依据", max_length=300, blank=True,
                             help_text="文件规定的写明出处；文件未规定的，注明为本办示例值")
    department = models.CharField("责任部门", max_length=60,
                                  help_text="部门名称中的词，如“人力资源和社会保障局”“财政局”")
    level = models.CharField("层级", max_length=10, choices=Level.choices, default=Level.DISTRICT)
    active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = verbose_name_plural = "预警规则"

    def __str__(self) -> str:
        return self.name


class EarlyWarning(models.Model):
    rule = models.ForeignKey(WarningRule, on_delete=models.PROTECT, related_name="warnings", verbose_name="预警规则")
    kind = models.CharField("预警类型", max_length=30, choices=RuleKind.choices)
    subject_key = models.CharField("主体标识", max_length=120)
    talent = models.ForeignKey("talents.Talent", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="early_warnings", verbose_name="人才")
    place = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="所涉区域",
                               help_text="区县净流出的区县；人才迁出本市时为其迁出的区县；预算、政策的适用地区")
    title = models.CharField("预警内容", max_length=200)
    detail = models.TextField("说明", blank=True)
    facts = models.JSONField("依据数据", default=dict, blank=True)
    state = models.CharField("状态", max_length=14, choices=State.choices, default=State.OPEN)
    version = models.PositiveIntegerField("版本", default=1)
    raised_at = models.DateTimeField("发现时间")
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    reason = models.CharField("原因", max_length=500, blank=True)
    run = models.CharField("评估批次", max_length=32, blank=True, editable=False)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = verbose_name_plural = "预警"
        constraints = [
            models.UniqueConstraint(fields=["rule", "subject_key"], name="earlywarning_once_per_subject"),
            models.CheckConstraint(condition=Q(talent__isnull=False) | Q(place__isnull=False),
                                   name="earlywarning_has_subject"),
        ]
        indexes = [models.Index(fields=["state", "kind"], name="earlywarning_state_kind"),
                   models.Index(fields=["run"], name="earlywarning_run")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in (State.OPEN, State.ACKNOWLEDGED)


class WarningEvent(models.Model):
    """One line of a warning's history: who, when, from which state to which, why."""

    warning = models.ForeignKey(EarlyWarning, on_delete=models.CASCADE, related_name="events",
                                verbose_name="预警")
    action = models.CharField("操作", max_length=14, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=14, choices=State.choices, blank=True)
    to_state = models.CharField("新状态", max_length=14, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="操作人")
    actor_label = models.CharField("操作人", max_length=100)
    at = models.DateTimeField("时间")
    note = models.CharField("原因", max_length=500, blank=True)

    class Meta:
        ordering = ["warning", "at", "id"]
        verbose_name = verbose_name_plural = "预警处置记录"

    def __str__(self) -> str:
        return f"{self.warning_id} {self.action}"
