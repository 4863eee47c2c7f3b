from django.db import models


class Unit(models.TextChoices):
    PEOPLE = "people", "人"
    YUAN = "yuan", "元"
    PERCENT = "percent", "%"


class Measure(models.TextChoices):
    """The ledger's measures (001: 台账 "以区政府为单位逐年统计并计入考核"; 002: 目标责任考核), one column each."""

    RECOGNISED = "recognised", "新认定人才"
    RETURNEES = "returnees", "引进留学回国人员"
    GRADUATES = "graduates", "留住高校毕业生"
    PAID = "paid", "兑现资金"
    ON_TIME = "on_time", "按时办结率"
    SATISFACTION = "satisfaction", "满意率"


UNITS = {Measure.RECOGNISED: Unit.PEOPLE, Measure.RETURNEES: Unit.PEOPLE, Measure.GRADUATES: Unit.PEOPLE,
         Measure.PAID: Unit.YUAN, Measure.ON_TIME: Unit.PERCENT, Measure.SATISFACTION: Unit.PERCENT}
