"""台账 (001: "以区政府为单位逐年统计并计入考核"; 002: 目标责任考核): per district and year, what was done against the
targets an administrator set. Read live from the registry and the apps' rows (nothing copied, so never stale),
scoped by the viewer's jurisdiction: a district officer sees their district's row, a leader or city staff every
district of the city. A fixed number of grouped queries (one per measure, the targets, the districts).

Measures, and where each figure comes from:
- 新认定人才: talents recognised in the year, by their current district (the kept counts, talents.TalentCount);
- 引进留学回国人员: returnees who came into the district from outside the city's registry in the year (the
  registry's dated moves, analytics.Move, with no district before), counted in the district they came into;
- 留住高校毕业生: talents in the registry now whose highest degree was awarded in the year, by current district;
  these two are read from kept counts (analytics.DistrictCount's ``returned`` and ``graduated`` buckets), which the
  database's triggers keep in every writer's transaction (a move written or removed, a talent's 留学回国, graduation
  date or district changed, a talent added or removed) and ``rencai analytics_recount`` recounts;
- 兑现资金: payments that reached the payee in the year (by the talent's, or for a unit's grant the
  organization's, current district);
- 按时办结率: 政策兑现 approval steps and 一件事 service parts decided in the year, the share decided by their
  promised day;
- 满意率: 好差评 ratings given in the year, the share 满意 or better (非常满意, 满意, 基本满意);
- 对接活动 (issue 11): events held in the year (by their start) in the district, not cancelled (events.Event);
- 发布就业岗位: the posts (招聘人数) of jobs and 见习 positions published in the year (by their publication; one
  closed since still counts: it was published that year), by the opportunity's district;
- 对接录用人才: applications to jobs and 见习 moved to 已录用 in the year, by the talent's current district.
The first two are shown beside 003's city-wide figures (enums.REFERENCES) as the document's reference.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from rencai.analytics.selectors import districts_of

from .enums import REFERENCES, UNITS, Measure, Unit
from .models import Target


@dataclass
class Cell:
    measure: str
    label: str
    unit: str
    actual: Decimal | int | None  # a rate is None where nothing was decided or rated
    goal: Decimal | None = None
    count: int | None = None  # for a rate: how many it is of (steps decided, ratings given)

    @property
    def ratio(self) -> Decimal | None:
        """The completion: actual against the goal, in per cent with one decimal (None without a goal)."""
        if self.goal is None or self.actual is None or not self.goal:
            return None
        return (Decimal(self.actual) * 100 / self.goal).quantize(Decimal("0.1"))

    @property
    def met(self) -> bool | None:
        return None if self.goal is None or self.actual is None else Decimal(self.actual) >= self.goal


@dataclass
class Row:
    code: str
    name: str
    cells: list[Cell] = field(default_factory=list)

    def cell(self, measure: str) -> Cell:
        return next(c for c in self.cells if c.measure == measure)


@dataclass
class Reference:
    """A document's city-wide yearly figure beside the jurisdiction's actual (not a target: 003 is 南通's)."""

    measure: str
    label: str
    unit: str
    actual: int
    figure: int
    source: str


@dataclass
class Ledger:
    year: int
    rows: list[Row]
    total: Row | None  # the jurisdiction's sum, where it has more than one district
    measures: list[tuple[str, str, str]]  # (measure, label, unit label)
    example_targets: bool = False  # some target shown is the demo's example
    references: list[Reference] = field(default_factory=list)


def _year_span(year: int) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    return start, timezone.make_aware(dt.datetime(year + 1, 1, 1))


def _rate(numerator: int, denominator: int) -> Decimal | None:
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1")) if denominator else None


def _figures(codes: list[str], year: int) -> dict[str, dict[str, tuple]]:
    """{measure: {district: (value,) or (numerator, denominator)}}."""
    from rencai.analytics.models import DistrictCount
    from rencai.analytics.triggers import GRADUATED, RETURNED
    from rencai.feedback.models import Rating
    from rencai.feedback.selectors import SATISFIED_GRADES
    from rencai.fulfilment.models import ApplicationStep
    from rencai.payments.models import Payment, PaymentStatus
    from rencai.services.models import RequestPart
    from rencai.talents.models import TalentCount

    start, end = _year_span(year)
    figures: dict[str, dict[str, tuple]] = {}
    figures[Measure.RECOGNISED] = {d: (n,) for d, n in TalentCount.objects.filter(
        district_id__in=codes, recognized_year=year).exclude(talent_category="")
        .values("district_id").annotate(n=Sum("n")).order_by().values_list("district_id", "n")}
    # Kept counts (analytics.DistrictCount, kept by the database's triggers in every writer's transaction and
    # recounted by ``rencai analytics_recount``): a bucket per district and year, not a scan of the moves or talents.
    for measure, dimension in ((Measure.RETURNEES, RETURNED), (Measure.GRADUATES, GRADUATED)):
        figures[measure] = {d: (n,) for d, n in DistrictCount.objects.filter(
            dimension=dimension, value=str(year), district_id__in=codes, n__gt=0).values_list("district_id", "n")}
    figures[Measure.PAID] = {d: (n,) for d, n in Payment.objects.filter(
        status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
        .annotate(d=Coalesce("entitlement__talent__district_id", "entitlement__organization__district_id"))
        .filter(d__in=codes).values("d").annotate(n=Sum("amount_fen")).order_by().values_list("d", "n")}
    on_time: dict[str, tuple[int, int]] = {}
    for rows in (ApplicationStep.objects.filter(decided_at__gte=start, decided_at__lt=end, promised_due__isnull=False,
                                                application__talent__district_id__in=codes)
                 .annotate(d=F("application__talent__district_id"), on=TruncDate("decided_at")),
                 RequestPart.objects.filter(decided_at__gte=start, decided_at__lt=end, promised_due__isnull=False,
                                            talent__district_id__in=codes)
                 .annotate(d=F("talent__district_id"), on=TruncDate("decided_at"))):
        for d, ok, n in (rows.values("d").annotate(ok=Count("pk", filter=Q(on__lte=F("promised_due"))),
                                                   n=Count("pk")).order_by().values_list("d", "ok", "n")):
            before = on_time.get(d, (0, 0))
            on_time[d] = (before[0] + ok, before[1] + n)
    figures[Measure.ON_TIME] = on_time
    figures[Measure.SATISFACTION] = {d: (ok, n) for d, ok, n in Rating.objects.filter(
        created_at__gte=start, created_at__lt=end, talent__district_id__in=codes)
        .values("talent__district_id").annotate(ok=Count("pk", filter=Q(grade__in=SATISFIED_GRADES)),
                                                n=Count("pk")).order_by()
        .values_list("talent__district_id", "ok", "n")}
    figures.update(_opportunity_figures(codes, start, end))
    return figures


def _opportunity_figures(codes: list[str], start, end) -> dict[str, dict[str, tuple]]:
    """人才对接's measures: events held, job posts published, hires made in the year."""
    from rencai.events.enums import EventStatus
    from rencai.events.models import Event
    from rencai.opportunities.enums import ApplicationState, OpportunityKind, OpportunityStatus
    from rencai.opportunities.models import ApplicationStep, Opportunity

    jobs = (OpportunityKind.JOB, OpportunityKind.INTERNSHIP)
    return {
        Measure.EVENTS: {d: (n,) for d, n in Event.objects.filter(
            starts_at__gte=start, starts_at__lt=end, district_id__in=codes).exclude(status=EventStatus.CANCELLED)
            .values("district_id").annotate(n=Count("pk")).order_by().values_list("district_id", "n")},
        Measure.JOBS: {d: (n,) for d, n in Opportunity.objects.filter(
            kind__in=jobs, status__in=(OpportunityStatus.PUBLISHED, OpportunityStatus.CLOSED),
            published_at__gte=start, published_at__lt=end, district_id__in=codes)
            .values("district_id").annotate(n=Sum("positions")).order_by().values_list("district_id", "n")},
        Measure.HIRES: {d: (n,) for d, n in ApplicationStep.objects.filter(
            to_state=ApplicationState.HIRED, at__gte=start, at__lt=end, application__opportunity__kind__in=jobs,
            application__talent__district_id__in=codes)
            .values("application__talent__district_id").annotate(n=Count("application", distinct=True))
            .order_by().values_list("application__talent__district_id", "n")},
    }


def _cell(measure: str, value: tuple | None, goal: Decimal | None) -> Cell:
    from rencai.payments.models import fen_to_yuan

    unit = UNITS[measure]
    if unit == Unit.PERCENT:
        ok, n = value or (0, 0)
        return Cell(measure, Measure(measure).label, unit, _rate(ok, n), goal, count=n)
    number = (value or (0,))[0] or 0
    actual = fen_to_yuan(number) if unit == Unit.YUAN else int(number)
    return Cell(measure, Measure(measure).label, unit, actual, goal)


def ledger(*, user, year: int) -> Ledger:
    """The year's ledger for the viewer's districts, in code order, with the jurisdiction's sum when more than
    one district (people and money summed, targets too; rates from the summed counts, with no summed target)."""
    districts = districts_of(user)
    codes = [d.code for d in districts]
    figures = _figures(codes, year)
    targets = list(Target.objects.filter(year=year, district_id__in=codes).only("district", "measure", "goal",
                                                                                  "is_example"))
    goals = {(t.district_id, t.measure): t.goal for t in targets}
    rows = [Row(d.code, d.name, [_cell(m, figures[m].get(d.code), goals.get((d.code, m))) for m in Measure.values])
            for d in districts]
    total = None
    if len(rows) > 1:
        cells = []
        for m in Measure.values:
            values = [v for d, v in figures[m].items() if d in set(codes)]
            summed = tuple(sum(v[i] or 0 for v in values) for i in range(2 if UNITS[m] == Unit.PERCENT else 1))
            district_goals = [goals.get((c, m)) for c in codes]
            goal = (sum((g for g in district_goals if g is not None), Decimal("0.00"))
                    if UNITS[m] != Unit.PERCENT and any(g is not None for g in district_goals) else None)
            cells.append(_cell(m, summed, goal))
        total = Row("", "合计", cells)
    summed = total or (rows[0] if rows else None)
    references = [Reference(m, Measure(m).label, UNITS[m].label, int(summed.cell(m).actual or 0) if summed else 0,
                            figure, source) for m, (figure, source) in REFERENCES.items()]
    return Ledger(year=year, rows=rows, total=total,
                  measures=[(m, Measure(m).label, UNITS[m].label) for m in Measure.values],
                  example_targets=any(t.is_example for t in targets), references=references)


def target_goals(*, year: int) -> dict[tuple[str, str], Decimal]:
    return {(t.district_id, t.measure): t.goal for t in Target.objects.filter(year=year)}
