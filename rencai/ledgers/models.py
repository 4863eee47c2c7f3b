"""台账's targets (002's 目标责任考核): what an administrator expects of each district in a year, per measure. The
actual figures are not stored: they are read from the registry and the apps' rows when the ledger is shown
(selectors.py), so a ledger is never stale."""

from django.conf import settings
from django.db import models

from .enums import Measure


class Target(models.Model):
    district = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                 verbose_name="所在区县")
    year = models.PositiveSmallIntegerField("年度")
    measure = models.CharField("考核指标", max_length=20, choices=Measure.choices)
    # NUMERIC: money in yuan with fen, people as whole numbers, rates in per cent (services.target_set checks each)
    goal = models.DecimalField("目标值", max_digits=16, decimal_places=2)
    # the demo's believable targets (ledgers.demo), to be replaced by the city's own: an administrator's save clears it
    is_example = models.BooleanField("示例目标", default=False,
                                     help_text="勾选表示为示例数据，页面上会醒目提示“须替换为本市正式考核目标”")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="设定人")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["year", "district", "measure"]
        verbose_name = verbose_name_plural = "台账考核目标"
        constraints = [
            models.UniqueConstraint(fields=["district", "year", "measure"], name="ledger_target_unique"),
            models.CheckConstraint(condition=models.Q(goal__gte=0), name="ledger_target_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.district_id} {self.year} {self.measure} {self.goal}"
