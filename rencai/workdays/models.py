"""The working-day calendar as data: a year's holidays (放假) and working weekends (调休上班).

The shipped file (data/holidays.yaml) is the default; a year entered here by an administrator replaces the
file's year as a whole (the State Council publishes each year's arrangement in one notice).
"""

from django.conf import settings
from django.db import models


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", "放假"
    WORKDAY = "workday", "调休上班"


class HolidayYear(models.Model):
    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    source = models.CharField("依据", max_length=300, help_text="例如：国务院办公厅关于2027年部分节假日安排的通知")
    provisional = models.BooleanField("暂定", default=False, help_text="尚未按国务院办公厅通知核定的年度")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   verbose_name="录入人")
    updated_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "年度放假安排"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class CalendarDay(models.Model):
    year = models.ForeignKey(HolidayYear, on_delete=models.CASCADE, related_name="days", verbose_name="年度")
    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日", max_length=40, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "放假和调休日"
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=["holiday", "workday"]), name="calendarday_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.date and self.year_id and self.date.year != self.year_id:
            raise ValidationError({"date": f"日期应在{self.year_id}年内"})
