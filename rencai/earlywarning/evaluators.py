"""One evaluator per rule kind: reads the apps' own selectors and models, set-based (a few queries per rule,
never one per talent), and returns what holds now.

An ``Evaluation`` has ``hits`` (the subjects the rule holds for, keyed by subject occurrence) and ``clears``:
for *state* kinds (something is overdue, ending, spending fast) ``None`` — every open warning of the rule whose
key is not among the hits no longer holds; for *event* kinds (a talent stopped 社保 or left; a district's month of
outflow) the keys of open warnings the evaluator saw undone (社保 paid again, the talent back in the city), since
an event once seen stays seen.

The evaluation is the system's, over the whole registry (``SYSTEM``: the administrator's scope); what people see
of its warnings is scoped when they read them (selectors.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Q

from .enums import OPEN_STATES, RuleKind

# The evaluation reads as an administrator would (every region); it never renders anything to anyone.
SYSTEM = SimpleNamespace(is_authenticated=True, is_active=True, is_administrator=True, is_government=False,
                         role="admin", pk=None, _jurisdiction_codes=None)


@dataclass
class Hit:
    key: str
    title: str
    talent_id: int | None = None
    region_id: str | None = None
    detail: str = ""
    facts: dict = field(default_factory=dict)


@dataclass
class Evaluation:
    hits: list[Hit] = field(default_factory=list)
    clears: set[str] | None = None  # None: a state kind (open keys not hit are cleared)
    cleared_note: str = "预警条件已不再成立，系统自动解除"


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(month: dt.date) -> dt.date:
    return _month(month - dt.timedelta(days=1))


def _open_keys(rule, talent_ids=None) -> dict[str, int | None]:
    from .models import EarlyWarning

    rows = EarlyWarning.objects.filter(rule=rule, state__in=OPEN_STATES)
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=talent_ids)
    return dict(rows.values_list("subject_key", "talent_id"))


# --- 流失预警 ---------------------------------------------------------------------------------------------------


def talent_loss(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """A talent of the rule's categories (their current category) who stopped paying 社保 in the city in the
    latest month the 社保 feed delivered (analytics.selectors.insurance_changes: that month against the one
    before; an earlier month was evaluated when it was the latest, after its load), or who moved out of the
    city within ``days`` (an analytics Move from a district of the city to none or to one outside it; the
    warning's place is the district left). Undone — and cleared — when 社保 starts again, or when a later move of
    the history brings the talent back into a district of the city."""
    from rencai.analytics.models import Move
    from rencai.analytics.selectors import insurance_changes, insurance_months_delivered
    from rencai.datahub.discrepancies import city_prefix
    from rencai.regions.models import Region
    from rencai.talents.models import Talent

    categories = params["categories"]
    city = city_prefix()
    hits, clears = [], set()
    open_keys = _open_keys(rule, talent_ids)
    # social insurance: the latest delivered month (skipped when one talent's record changed: no new facts)
    if talent_ids is None:
        delivered = insurance_months_delivered(start=on - dt.timedelta(days=params["days"]), end=on)
        if delivered:
            latest = delivered[-1]
            changes = insurance_changes(user=SYSTEM, start=latest, end=latest)
            stopped = {c.talent_id for c in changes if not c.started}
            started = {c.talent_id for c in changes if c.started}
            chosen = dict(Talent.objects.filter(pk__in=stopped, talent_category__in=categories)
                          .values_list("pk", "talent_category"))
            for talent_id, category in sorted(chosen.items()):
                hits.append(Hit(key=f"talent:{talent_id}:insurance:{latest:%Y-%m}", talent_id=talent_id,
                                title=f"{category}类人才自{latest:%Y年%-m月}起停止在本市缴纳社保",
                                detail="数据中心社保数据：上月在本市正常缴费，本月无缴费记录、欠费、暂停缴费或在外地缴费。",
                                facts={"month": f"{latest:%Y-%m}", "category": category}))
            clears |= {key for key, talent_id in open_keys.items()
                       if ":insurance:" in key and talent_id in started}
    # moves out of the city
    districts = list(Region.objects.filter(code__startswith=city).values_list("code", flat=True))
    moves = (Move.objects.filter(on__gte=on - dt.timedelta(days=params["days"]), on__lte=on,
                                 from_district_id__in=districts, talent__talent_category__in=categories)
             .filter(Q(to_district__isnull=True) | ~Q(to_district_id__in=districts)))
    if talent_ids is not None:
        moves = moves.filter(talent_id__in=talent_ids)
    left = list(moves.values_list("pk", "talent_id", "from_district_id", "to_district__name", "on",
                                  "talent__talent_category"))
    move_open = {int(key.rsplit(":", 1)[1]): key for key in open_keys if ":move:" in key}
    leaves = {pk: (talent_id, day) for pk, talent_id, _f, _t, day, _c in left}
    leaves.update({pk: (talent_id, day) for pk, talent_id, day in
                   Move.objects.filter(pk__in=set(move_open) - set(leaves)).values_list("pk", "talent_id", "on")})
    # back in a district of the city since: a later move of the history into one of them
    returned: dict[int, tuple] = {}
    for talent_id, day, pk in Move.objects.filter(talent_id__in={t for t, _ in leaves.values()},
                                                 to_district_id__in=districts).values_list("talent_id", "on", "pk"):
        returned[talent_id] = max(returned.get(talent_id, (day, pk)), (day, pk))

    def back(move_id: int) -> bool:
        talent_id, day = leaves[move_id]
        return talent_id in returned and returned[talent_id] > (day, move_id)

    for move_id, talent_id, from_id, to_name, day, category in left:
        if back(move_id):
            continue
        where = f"迁往{to_name}" if to_name else "迁出本市"
        hits.append(Hit(key=f"talent:{talent_id}:move:{move_id}", talent_id=talent_id, region_id=from_id,
                        title=f"{category}类人才于{day:%Y-%m-%d}{where}",
                        detail="人才信息库记录的区县变更：迁出本市辖区。",
                        facts={"on": f"{day:%Y-%m-%d}", "category": category}))
    clears |= {key for move_id, key in move_open.items() if move_id in leaves and back(move_id)}
    return Evaluation(hits=hits, clears=clears, cleared_note="已恢复在本市缴纳社保或已迁回本市，系统自动解除")


def net_outflow(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """A district whose net outflow (moves out minus moves in, analytics.selectors.flows_monthly) in one of the
    last ``months`` complete months, or the current month so far, reaches its threshold (``by_district``, else
    ``threshold``). One warning per district and month."""
    from rencai.analytics.selectors import flows_monthly

    if talent_ids is not None:
        return Evaluation(clears=set())
    this = first = _month(on)
    for _ in range(params["months"]):
        first = _previous_month(first)
    hits = []
    for row in flows_monthly(user=SYSTEM, start=first, end=on):
        limit = params["by_district"].get(row.district_id, params["threshold"])
        if -row.net >= limit:
            so_far = "（截至目前）" if row.month == this else ""
            hits.append(Hit(key=f"district:{row.district_id}:{row.month:%Y-%m}", region_id=row.district_id,
                            title=f"{row.district_name}{row.month:%Y年%-m月}人才净流出{-row.net}人{so_far}",
                            detail=f"流入{row.inflow}人、流出{row.outflow}人，净流出达到阈值{limit}人。",
                            facts={"month": f"{row.month:%Y-%m}", "inflow": row.inflow, "outflow": row.outflow,
                                   "threshold": limit}))
    return Evaluation(hits=hits, clears=set())


# --- state kinds: something ending, overdue or too fast ----------------------------------------------------------


def entitlement_ending(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """A talent's active monthly entitlement (payments) whose last month falls within ``days``."""
    from rencai.payments.models import Entitlement, EntitlementStatus
    from rencai.payments.selectors import policy_title

    rows = Entitlement.objects.filter(status=EntitlementStatus.ACTIVE, talent__isnull=False,
                                      monthly_fen__isnull=False, end_month__gte=_month(on),
                                      end_month__lte=on + dt.timedelta(days=params["days"]))
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=talent_ids)
    hits = [Hit(key=f"entitlement:{pk}:{end:%Y-%m}", talent_id=talent_id,
                title=f"“{policy_title(policy)}”将于{end:%Y年%-m月}发放最后一个月",
                facts={"policy": policy, "end_month": f"{end:%Y-%m}"})
            for pk, talent_id, policy, end in rows.values_list("pk", "talent_id", "policy", "end_month")]
    return Evaluation(hits=hits, cleared_note="待遇已续期、终止或已到期，系统自动解除")


def fulfilment_overdue(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """政策兑现 applications whose current step is past its promised day (working days; fulfilment's own queue
    with ``overdue="promised"``)."""
    from rencai.fulfilment.selectors import queue

    rows = queue(user=SYSTEM, status="all", overdue="promised")
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=talent_ids)
    hits = []
    for application in rows.select_related(None).select_related("current_step"):
        step = application.current_step
        hits.append(Hit(key=f"fulfilment:{application.pk}:{step.pk}", talent_id=application.talent_id,
                        title=f"政策兑现申请{application.number}的“{step.title}”环节已超过承诺时限"
                              f"（{step.promised_due:%Y-%m-%d}）",
                        facts={"application": application.pk, "promised_due": f"{step.promised_due:%Y-%m-%d}"}))
    return Evaluation(hits=hits, cleared_note="该环节已办理，系统自动解除")


def programme_overdue(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """项目申报 milestone reports (中期检查, 验收) still owed past their day: the talent's, or a unit's (its
    organization's current district)."""
    from rencai.programmes.enums import ReportStatus
    from rencai.programmes.models import Report

    rows = Report.objects.filter(status__in=(ReportStatus.DUE, ReportStatus.CHANGES), due_on__lt=on)
    if talent_ids is not None:
        rows = rows.filter(award__application__talent_id__in=talent_ids)
    hits = []
    for report in rows.select_related("award__application__organization", "award__call"):
        application = report.award.application
        talent_id = application.talent_id
        region = None if talent_id else application.organization.district_id
        hits.append(Hit(key=f"programme-report:{report.pk}", talent_id=talent_id, region_id=region,
                        title=f"{report.award.number}的{report.get_milestone_display()}报告已过提交期限"
                              f"（{report.due_on:%Y-%m-%d}）",
                        facts={"award": report.award_id, "due_on": f"{report.due_on:%Y-%m-%d}"}))
    return Evaluation(hits=hits, cleared_note="报告已提交，系统自动解除")


def service_overdue(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """人才服务 parts still open past their promised day (the services app's own 'late')."""
    from rencai.services.enums import OPEN_PART_STATUSES
    from rencai.services.models import RequestPart

    rows = RequestPart.objects.filter(status__in=OPEN_PART_STATUSES, promised_due__lt=on)
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=talent_ids)
    hits = [Hit(key=f"service-part:{part.pk}", talent_id=part.talent_id,
                title=f"服务请求{part.request.number}的“{part.title}”已超过承诺办结日（{part.promised_due:%Y-%m-%d}）",
                facts={"request": part.request_id, "promised_due": f"{part.promised_due:%Y-%m-%d}"})
            for part in rows.select_related("request").only("pk", "talent_id", "title", "promised_due", "request__id")]
    return Evaluation(hits=hits, cleared_note="该事项已办结，系统自动解除")


def budget_pace(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """This year's budget lines (payments) whose money arranged (prepared by the monthly runs, or paid, the
    larger) is a larger share of the line than the share of the year gone by, beyond ``margin``. One warning per
    line and month."""
    from rencai.payments.models import BudgetLine
    from rencai.payments.selectors import policy_title
    from rencai.policies.models import PolicyRecord
    from rencai.regions.models import Region

    if talent_ids is not None:
        return Evaluation(clears=set())
    margin = Decimal(params["margin"])
    start = dt.date(on.year, 1, 1)
    elapsed = Decimal((on - start).days + 1) / Decimal((dt.date(on.year + 1, 1, 1) - start).days)
    lines = list(BudgetLine.objects.filter(year=on.year, amount_fen__gt=0))
    places = dict(PolicyRecord.objects.filter(policy__in={ln.policy for ln in lines})
                  .values_list("policy", "jurisdiction"))
    regions = set(Region.objects.filter(code__in=set(places.values())).values_list("code", flat=True))
    from rencai.datahub.discrepancies import city_prefix

    city = city_prefix() + "00"
    hits = []
    for line in lines:
        spent = max(line.prepared_fen, line.paid_fen)
        share = Decimal(spent) / Decimal(line.amount_fen)
        if share > elapsed + margin:
            place = places.get(line.policy)
            hits.append(Hit(key=f"budget:{line.pk}:{on:%Y-%m}", region_id=place if place in regions else city,
                            title=f"“{policy_title(line.policy)}”{line.year}年预算已安排"
                                  f"{share:.0%}，快于时间进度{elapsed:.0%}",
                            detail=f"允许超前{margin:.0%}。",
                            facts={"line": line.pk, "share": f"{share:.4f}", "elapsed": f"{elapsed:.4f}"}))
    return Evaluation(hits=hits, cleared_note="支出进度已回到允许范围内，系统自动解除")


def policy_expiring(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """Policies in the catalog (policies' PolicyRecord) whose in-force period ends within ``days``."""
    from rencai.policies.models import PolicyRecord
    from rencai.regions.models import Region

    if talent_ids is not None:
        return Evaluation(clears=set())
    rows = list(PolicyRecord.objects.filter(active=True, in_force_until__gte=on,
                                            in_force_until__lte=on + dt.timedelta(days=params["days"]))
                .values_list("policy", "title", "jurisdiction", "in_force_until"))
    regions = set(Region.objects.filter(code__in={r[2] for r in rows}).values_list("code", flat=True))
    hits = [Hit(key=f"policy:{policy}:{until:%Y-%m-%d}", region_id=place,
                title=f"政策“{title}”将于{until:%Y-%m-%d}到期（还有{(until - on).days}天）",
                facts={"policy": policy, "until": f"{until:%Y-%m-%d}"})
            for policy, title, place, until in rows if place in regions]
    return Evaluation(hits=hits, cleared_note="政策已续期或调整，系统自动解除")


def recognition_expiring(rule, params, *, on: dt.date, talent_ids=None) -> Evaluation:
    """Active recognitions (人才卡) whose validity ends within ``days``."""
    from rencai.recognition.enums import RecognitionStatus
    from rencai.recognition.models import Recognition

    rows = Recognition.objects.filter(status=RecognitionStatus.ACTIVE, valid_until__gte=on,
                                      valid_until__lte=on + dt.timedelta(days=params["days"]))
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=talent_ids)
    hits = [Hit(key=f"recognition:{pk}:{until:%Y-%m-%d}", talent_id=talent_id,
                title=f"{category}类人才认定（{serial}）将于{until:%Y-%m-%d}到期",
                facts={"recognition": pk, "valid_until": f"{until:%Y-%m-%d}"})
            for pk, talent_id, category, serial, until in rows.values_list(
                "pk", "talent_id", "category", "serial", "valid_until")]
    return Evaluation(hits=hits, cleared_note="认定已续期、升级、终止或已到期，系统自动解除")


EVALUATORS = {
    RuleKind.TALENT_LOSS: talent_loss,
    RuleKind.NET_OUTFLOW: net_outflow,
    RuleKind.ENTITLEMENT_ENDING: entitlement_ending,
    RuleKind.FULFILMENT_OVERDUE: fulfilment_overdue,
    RuleKind.PROGRAMME_OVERDUE: programme_overdue,
    RuleKind.SERVICE_OVERDUE: service_overdue,
    RuleKind.BUDGET_PACE: budget_pace,
    RuleKind.POLICY_EXPIRING: policy_expiring,
    RuleKind.RECOGNITION_EXPIRING: recognition_expiring,
}
