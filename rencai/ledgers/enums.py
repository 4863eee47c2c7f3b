from django.db import models


class Unit(models.TextChoices):
    PEOPLE = "people", "人"
    YUAN = "yuan", "元"
    PERCENT = "percent", "%"
    SESSIONS = "sessions", "场"
    POSTS = "posts", "个"


class Measure(models.TextChoices):
    """The ledger's measures (001: 台账 "以区政府为单位逐年统计并计入考核"; 002: 目标责任考核), one column each."""

    RECOGNISED = "recognised", "新认定人才"
    RETURNEES = "returnees", "引进留学回国人员"
    GRADUATES = "graduates", "留住高校毕业生"
    PAID = "paid", "兑现资金"
    ON_TIME = "on_time", "按时办结率"
    SATISFACTION = "satisfaction", "满意率"
    # 人才对接 (issue 11; 003: "每年组织归国人才专题对接活动不少于10场,开发高质量就业岗位不少于2000个")
    EVENTS = "events", "对接活动"
    JOBS = "jobs", "发布就业岗位"
    HIRES = "hires", "对接录用人才"


UNITS = {Measure.RECOGNISED: Unit.PEOPLE, Measure.RETURNEES: Unit.PEOPLE, Measure.GRADUATES: Unit.PEOPLE,
         Measure.PAID: Unit.YUAN, Measure.ON_TIME: Unit.PERCENT, Measure.SATISFACTION: Unit.PERCENT,
         Measure.EVENTS: Unit.SESSIONS, Measure.JOBS: Unit.POSTS, Measure.HIRES: Unit.PEOPLE}
# Counted in whole numbers (a target too): people, events, posts.
WHOLE_UNITS = (Unit.PEOPLE, Unit.SESSIONS, Unit.POSTS)


# What a document asks of the whole city, shown beside the jurisdiction's figure as the document's reference —
# not a district's target (those an administrator sets): 003 is 南通's, city-wide, per year.
REFERENCES = {
    Measure.EVENTS: (10, "003（南通）：每年组织归国人才专题对接活动不少于10场"),
    Measure.JOBS: (2000, "003（南通）：每年开发高质量就业岗位不少于2000个"),
}
