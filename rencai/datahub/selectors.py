"""The data centre's reads: feeds with their freshness and last loads, a load, unmatched rows, discrepancies, and
a talent's verified facts (for the registry and the engine)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils import timezone

from rencai.accounts.permissions import scope_related
from rencai.core.errors import NotFound
from rencai.workdays.services import CalendarMissing, add_working_days, working_days_between

from . import access
from .enums import Cadence, DiscrepancyStatus, FactKind, LoadStatus
from .models import Discrepancy, Fact, Feed, Load

# --- freshness ------------------------------------------------------------------------------------------------


@dataclass
class Freshness:
    """Where a feed stands against its schedule on a day."""

    status: str  # ok | late | waiting (nothing due yet) | irregular | unknown (no calendar for the year)
    expected: dt.date | None = None  # the latest period that should be in by now
    due: dt.date | None = None  # when it was due
    latest: dt.date | None = None  # the latest period loaded
    late_days: int = 0
    cadence: str = Cadence.MONTHLY

    @property
    def late(self) -> bool:
        return self.status == "late"

    def _period(self, day: dt.date | None) -> str:
        if day is None:
            return "—"
        return f"{day.year}年" if self.cadence == Cadence.YEARLY else f"{day.year}年{day.month}月"

    @property
    def expected_label(self) -> str:
        return self._period(self.expected)

    @property
    def latest_label(self) -> str:
        return self._period(self.latest)

    @property
    def label(self) -> str:
        if self.status == "late":
            return f"逾期{self.late_days}个工作日（应于{self.due:%Y-%m-%d}前报送{self.expected_label}数据）"
        if self.status == "ok":
            return "按时"
        if self.status == "irregular":
            return "不定期报送"
        if self.status == "unknown":
            return "无法判断（工作日历缺少该年的放假安排）"
        return "尚未到首个报送时限"


def _nth_working_day(year: int, month: int, n: int) -> dt.date:
    return add_working_days(dt.date(year, month, 1) - dt.timedelta(days=1), n)


def _due_monthly(period: dt.date, n: int) -> dt.date:
    following = dt.date(period.year + (period.month == 12), period.month % 12 + 1, 1)
    return _nth_working_day(following.year, following.month, n)


def expected_period(feed: Feed, today: dt.date) -> tuple[dt.date, dt.date] | None:
    """(the latest period whose data is due by ``today``, its due day), or None for an irregular feed."""
    if feed.cadence == Cadence.MONTHLY:
        period = dt.date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)  # last month
        due = _due_monthly(period, feed.due_working_day)
        if today <= due:  # last month's data may still come: the month before is the one due
            period = dt.date(period.year - (period.month == 1), (period.month - 2) % 12 + 1, 1)
            due = _due_monthly(period, feed.due_working_day)
        return period, due
    if feed.cadence == Cadence.YEARLY:
        due = _nth_working_day(today.year, feed.due_month, feed.due_working_day)
        year = today.year - 1 if today > due else today.year - 2
        return dt.date(year, 1, 1), _nth_working_day(year + 1, feed.due_month, feed.due_working_day)
    return None


def feed_freshness(feed: Feed, *, today: dt.date | None = None, latest: dt.date | None = None,
                   first_load: dt.date | None = None) -> Freshness:
    """Late when the latest period loaded is before the one due by today. A feed is not late for periods due
    before it was registered."""
    today = today or timezone.localdate()
    if latest is None:
        latest = (Load.objects.filter(feed=feed, status=LoadStatus.DONE).aggregate(m=Max("period_max"))["m"])
    if feed.cadence == Cadence.ON_CHANGE:
        return Freshness("irregular", latest=latest, cadence=feed.cadence)
    try:
        found = expected_period(feed, today)
    except CalendarMissing:
        return Freshness("unknown", latest=latest, cadence=feed.cadence)
    expected, due = found
    registered = timezone.localdate(feed.created_at) if feed.created_at else today
    if latest is not None and latest >= expected:
        return Freshness("ok", expected, due, latest, cadence=feed.cadence)
    if due < registered:
        return Freshness("waiting", expected, due, latest, cadence=feed.cadence)
    try:
        days = working_days_between(due, today)
    except CalendarMissing:
        return Freshness("unknown", expected, due, latest, cadence=feed.cadence)
    return Freshness("late", expected, due, latest, days, cadence=feed.cadence)


# --- feeds and loads --------------------------------------------------------------------------------------------


@dataclass
class FeedRow:
    feed: Feed
    freshness: Freshness
    last_load: Load | None
    unmatched: int
    may_see_rows: bool
    may_load: bool
    open_discrepancies: int = 0


def feeds_overview(*, user, today: dt.date | None = None) -> list[FeedRow]:
    """Every feed with its freshness, its last finished load (counts and match rate) and its unmatched facts."""
    access.require_dashboard(user)
    feeds = list(Feed.objects.select_related("department").order_by("pk"))
    latest = dict(Load.objects.filter(status=LoadStatus.DONE).values("feed").annotate(m=Max("period_max"))
                  .values_list("feed", "m"))
    last_ids = dict(Load.objects.filter(status=LoadStatus.DONE).values("feed").annotate(m=Max("pk"))
                    .values_list("feed", "m"))
    loads = Load.objects.in_bulk(list(last_ids.values()))
    rows = []
    for feed in feeds:
        rows.append(FeedRow(
            feed=feed, freshness=feed_freshness(feed, today=today, latest=latest.get(feed.pk)),
            last_load=loads.get(last_ids.get(feed.pk)), unmatched=unmatched_count(feed=feed),
            may_see_rows=access.may_see_rows(user, feed), may_load=access.may_load(user, feed)))
    return rows


def unmatched_count(*, feed: Feed) -> int:
    """The feed's facts whose subject is not in the registry (on the partial index of unmatched facts)."""
    return Fact.objects.filter(feed=feed, talent__isnull=True, organization__isnull=True).count()


def feed_get(*, user, feed_id: int) -> Feed:
    access.require_dashboard(user)
    feed = Feed.objects.select_related("department", "token_rotated_by").filter(pk=feed_id).first()
    if feed is None:
        raise NotFound("未找到该数据源")
    return feed


def feed_loads(*, feed: Feed, limit: int = 20) -> list[Load]:
    return list(Load.objects.filter(feed=feed).select_related("actor", "job").order_by("-pk")[:limit])


def load_get(*, user, load_id: int) -> Load:
    """A load with its row report: for those who may see the feed's rows."""
    access.require_dashboard(user)
    load = Load.objects.select_related("feed", "feed__department", "actor", "job").filter(pk=load_id).first()
    if load is None or not access.may_see_rows(user, load.feed):
        raise NotFound("未找到该数据装载，或您无权查看其明细")
    return load


def unmatched_rows(*, user, feed: Feed):
    """The feed's unmatched facts, newest first (numbers masked); for those who may see the feed's rows."""
    if not access.may_see_rows(user, feed):
        raise NotFound("未找到该数据源的未匹配名单，或您无权查看")
    return (Fact.objects.filter(feed=feed, talent__isnull=True, organization__isnull=True)
            .only("id", "subject_masked", "subject_name", "period", "value", "load_id", "as_of", "kind")
            .order_by("-id"))


# --- discrepancies and a talent's facts -------------------------------------------------------------------------


def discrepancies_visible(*, user):
    """Discrepancies of the talents in the user's jurisdiction (the talent's current record)."""
    access.require_dashboard(user)
    return (Discrepancy.objects.filter(scope_related(user, "talent"))
            .select_related("talent", "talent__district", "fact", "feed", "resolved_by"))


def open_discrepancy_count(*, user) -> int:
    return discrepancies_visible(user=user).filter(status=DiscrepancyStatus.OPEN).count()


def discrepancy_counts_by_feed(*, user) -> dict[int, int]:
    return dict(discrepancies_visible(user=user).filter(status=DiscrepancyStatus.OPEN)
                .values("feed").annotate(n=Count("pk")).values_list("feed", "n"))


def talent_facts(*, talent_id: int, kinds: list[str] | None = None):
    """A talent's verified facts, newest period first (callers have already checked the talent is visible)."""
    facts = Fact.objects.filter(talent_id=talent_id).select_related("feed", "feed__department")
    if kinds:
        facts = facts.filter(kind__in=kinds)
    return facts.order_by("kind", "-period")


def latest_fact(*, talent_id: int, kind: str, on_or_before: dt.date | None = None) -> Fact | None:
    """The talent's fact of ``kind`` with the latest period (up to ``on_or_before``), or None."""
    facts = Fact.objects.filter(talent_id=talent_id, kind=kind)
    if on_or_before is not None:
        facts = facts.filter(period__lte=on_or_before)
    return facts.select_related("feed").order_by("-period", "-id").first()


def scoped_facts(*, user):
    """Verified facts about talents in the user's jurisdiction."""
    return Fact.objects.filter(Q(talent__isnull=False) & scope_related(user, "talent"))


def discrepancy_get(*, user, discrepancy_id: int) -> Discrepancy:
    """One discrepancy of a talent in the user's jurisdiction, with its evidence (the fact, its feed and load)."""
    item = (discrepancies_visible(user=user).select_related("feed__department", "load")
            .filter(pk=discrepancy_id).first())
    if item is None:
        raise NotFound("未找到该疑点，或不在您的管辖范围内")
    return item


def discrepancy_proposal(item: Discrepancy) -> list[tuple[str, str, str]]:
    """What accepting the feed would write: (field label, now, then), in Chinese."""
    from rencai.talents.models import Talent
    from rencai.talents.services import _shown

    from .discrepancies import correction

    rows = []
    for attribute, value in correction(item).items():
        old = getattr(item.talent, attribute)
        if old == value:
            continue
        label = str(Talent._meta.get_field(attribute).verbose_name)
        old_text = str(old) if attribute == "organization" and old else _shown(attribute, old)
        rows.append((label, old_text, "—" if value is None else _shown(attribute, value)))
    return rows


# --- the monthly payment run's 社保 check -------------------------------------------------------------------------


def _month_back(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class InsuranceMonth:
    """The 社保 month a payment month is checked against (``period``), the active social-insurance feeds whose
    facts are read for it, and the words that name the source in a reason (人社局数据)."""

    period: dt.date
    feed_ids: tuple[int, ...]
    source: str


def insurance_month(*, month: dt.date) -> InsuranceMonth | None:
    """Which 社保 month the payment month ``month`` is checked against: the latest month, among ``month`` and
    the two before it, that an active social-insurance feed has delivered (a finished load whose periods
    include it); None when there is no active feed or none of the three has come.

    Why these three: a month's data comes by the feed's ``due_working_day``-th working day of the next month.
    The scheduled run of M starts on the 1st of M, before M-1 is due, so what it normally sees is M-2 (due by
    then whatever the feed's due day); a run made after M-1 has come (staff starting it later in the month)
    checks M-1, and a month paid late, after its own data came, checks M itself. A feed that has not delivered
    even M-2 is late by its own schedule (the dashboard warns its department): its older months are not used,
    and nothing is stopped for want of data — the absence of a delivery never stops a payment, only a delivered
    month without the talent's paid row in the city does."""
    feeds = list(Feed.objects.filter(kind=FactKind.SOCIAL_INSURANCE, active=True).select_related("department")
                 .order_by("pk"))
    if not feeds:
        return None
    earliest = _month_back(month, 2)
    loads = list(Load.objects.filter(feed__in=feeds, status=LoadStatus.DONE, period_min__lte=month,
                                     period_max__gte=earliest).values_list("feed_id", "period_min", "period_max"))
    for back in range(3):
        period = _month_back(month, back)
        delivering = sorted(feed_id for feed_id, low, high in loads if low <= period <= high)
        if delivering:
            from .provenance import short_department

            feed = next(f for f in feeds if f.pk == delivering[0])
            return InsuranceMonth(period=period, feed_ids=tuple(f.pk for f in feeds),
                                  source=f"{short_department(feed.department.name)}数据")
    return None


def insurance_facts(*, checked: InsuranceMonth, talents):
    """(talent id, status, 参保地 code) of the checked month's social-insurance facts about ``talents`` (a
    queryset of talent ids), as text: one query for the whole run, read by the caller as a frame."""
    from django.db.models.fields.json import KT

    return (Fact.objects.filter(kind=FactKind.SOCIAL_INSURANCE, feed_id__in=checked.feed_ids, period=checked.period,
                                talent_id__in=talents)
            .annotate(v_status=KT("value__status"), v_district=KT("value__district")).order_by()
            .values_list("talent_id", "v_status", "v_district"))


def insurance_upheld(*, checked: InsuranceMonth, talents):
    """Talent ids (of ``talents``) whose 社保 record for the checked month staff found wrong: a discrepancy about
    that month — a row saying otherwise, or the month missing — closed as 申报信息属实. The feed then does not
    speak for that month (as verification sets such facts aside)."""
    from .enums import Resolution

    return (Discrepancy.objects.filter(field="social_insurance", resolution=Resolution.DECLARATION_UPHELD,
                                       feed_id__in=checked.feed_ids, talent_id__in=talents)
            .filter(Q(period=checked.period) | Q(fact__period=checked.period))
            .order_by().values_list("talent_id", flat=True).distinct())
