"""决策预警's evaluation and transition: each rule kind raises on a situation built for it and not otherwise, once
(idempotent); a condition undone resolves the warning, saying so in the history; the one transition (states,
reason, stale version, owners); scope by the viewer's current jurisdiction."""

import datetime as dt

import pytest
from django.utils import timezone

from rencai.analytics.models import Move
from rencai.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from rencai.earlywarning import selectors
from rencai.earlywarning.enums import Action, RuleKind, State
from rencai.earlywarning.models import EarlyWarning, WarningEvent
from rencai.earlywarning.services import warning_transition, warnings_evaluate
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"


def _kind(kind):
    return list(EarlyWarning.objects.filter(kind=kind).order_by("id"))


# --- 流失预警 ---------------------------------------------------------------------------------------------------


def test_a_high_level_talent_moving_out_of_the_city_is_raised_for_the_district_left(
        rules, categorised, admin_user, heping_staff, hunnan_staff, city_staff, django_capture_on_commit_callbacks):
    leaver = categorised("高层次迁出", "B")
    ordinary = categorised("普通迁出", "D")
    inside = categorised("市内迁移", "A")
    with django_capture_on_commit_callbacks(execute=True):  # the history's hook evaluates the talent after commit
        talent_update(actor=admin_user, talent_id=leaver.pk, changes={"district": "崇川区"})
        talent_update(actor=admin_user, talent_id=ordinary.pk, changes={"district": "崇川区"})
        talent_update(actor=admin_user, talent_id=inside.pk, changes={"district": "浑南区"})
    [warning] = _kind(RuleKind.TALENT_LOSS)
    assert warning.talent_id == leaver.pk and warning.place_id == HEPING and warning.state == State.OPEN
    assert "B类人才" in warning.title and "崇川区" in warning.title
    assert [e.action for e in warning.events.all()] == [Action.RAISE]
    # the office that lost the talent sees it (the talent's current record is in 南通 now); 浑南区 does not
    assert list(selectors.warnings_visible(heping_staff)) == [warning]
    assert list(selectors.warnings_visible(city_staff)) == [warning]
    assert not selectors.warnings_visible(hunnan_staff).exists()
    # idempotent: evaluated again (the daily check), nothing new
    assert warnings_evaluate(kinds=[RuleKind.TALENT_LOSS])["talent-loss-abc"]["raised"] == 0
    assert EarlyWarning.objects.count() == 1
    # back in the city: resolved by the system, which says so
    with django_capture_on_commit_callbacks(execute=True):
        talent_update(actor=admin_user, talent_id=leaver.pk, changes={"district": "和平区"})
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED and "迁回本市" in warning.reason
    last = warning.events.order_by("id").last()
    assert (last.action, last.actor_label, last.from_state) == (Action.AUTO_RESOLVE, "系统", State.OPEN)


def _months_back(n: int) -> str:
    month = timezone.localdate().replace(day=1)
    for _ in range(n):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return f"{month:%Y-%m}"


def test_a_high_level_talent_whose_social_insurance_stopped_is_raised_after_the_load(
        rules, categorised, heping_staff, django_capture_on_commit_callbacks):
    from rencai.analytics.tests.test_selectors import _load_insurance
    from rencai.core import crypto

    stops, stays, ordinary = categorised("停缴高层次", "A"), categorised("照常缴", "C"), categorised("停缴普通", "D")
    number = {t.pk: crypto.decrypt(t.id_number_cipher) for t in (stops, stays, ordinary)}

    def row(talent, month):
        return [talent.name, number[talent.pk], month, "正常缴费", "和平区", "6000"]

    before, latest = _months_back(2), _months_back(1)
    with django_capture_on_commit_callbacks(execute=True):
        _load_insurance([row(t, before) for t in (stops, stays, ordinary)] + [row(stays, latest)])
    [warning] = _kind(RuleKind.TALENT_LOSS)
    assert warning.talent_id == stops.pk and warning.place_id is None
    assert "停止在本市缴纳社保" in warning.title
    assert list(selectors.warnings_visible(heping_staff)) == [warning]
    # paid again the next month: resolved by the system
    with django_capture_on_commit_callbacks(execute=True):
        _load_insurance([row(stops, _months_back(0)), row(stays, _months_back(0))])
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED and "社保" in warning.reason


# --- places -----------------------------------------------------------------------------------------------------


def test_a_district_s_net_outflow_beyond_its_threshold(rules, make_talent, heping_staff, hunnan_staff, leader):
    today = timezone.localdate()
    people = [make_talent(name=f"流出{i}") for i in range(9)]
    for person in people[:5]:  # 和平区: five out, none in — the threshold (5)
        Move.objects.create(talent=person, from_district_id=HEPING, to_district_id=None, on=today, reason="other")
    for person in people[5:]:  # 浑南区: four out — below it
        Move.objects.create(talent=person, from_district_id=HUNNAN, to_district_id="210103", on=today,
                            reason="other")
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    [warning] = _kind(RuleKind.NET_OUTFLOW)
    assert warning.place_id == HEPING and warning.talent_id is None and "净流出5人" in warning.title
    assert warning.facts["outflow"] == 5
    assert list(selectors.warnings_visible(heping_staff)) == [warning]
    assert list(selectors.warnings_visible(leader)) == [warning]
    assert not selectors.warnings_visible(hunnan_staff).exists()
    # a district's own threshold, set by the office
    rule = rules[RuleKind.NET_OUTFLOW]
    rule.params = {"threshold": 5, "by_district": {HUNNAN: 4}}
    rule.save()
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    assert sorted(w.place_id for w in _kind(RuleKind.NET_OUTFLOW)) == [HEPING, HUNNAN]


def test_an_entitlement_about_to_end_and_the_condition_undone(rules, make_talent, admin_user):
    from rencai.payments.models import Entitlement, EntitlementStatus

    month = timezone.localdate().replace(day=1)
    ending, later = make_talent(name="将到期"), make_talent(name="还早")

    def entitlement(talent, end):
        return Entitlement.objects.create(talent=talent, policy="sy-living-subsidy-graduate", monthly_fen=250000,
                                          months=12, start_month=dt.date(month.year - 1, 1, 1), end_month=end,
                                          created_by=admin_user)

    soon = entitlement(ending, month)
    entitlement(later, dt.date(month.year + 2, 1, 1))
    warnings_evaluate(kinds=[RuleKind.ENTITLEMENT_ENDING])
    [warning] = _kind(RuleKind.ENTITLEMENT_ENDING)
    assert warning.talent_id == ending.pk and "最后一个月" in warning.title
    Entitlement.objects.filter(pk=soon.pk).update(status=EntitlementStatus.CANCELLED)
    assert warnings_evaluate(kinds=[RuleKind.ENTITLEMENT_ENDING])["entitlement-ending"]["resolved"] == 1
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED


def test_a_policy_expiring_within_180_days(rules, city_staff, heping_staff, make_user):
    from rencai.policies.models import PolicyRecord

    today = timezone.localdate()

    def record(policy, until, jurisdiction="210100"):
        return PolicyRecord.objects.create(policy=policy, title=f"政策{policy}", kind="entitlement", subject="person",
                                           jurisdiction=jurisdiction, document="d", quote="q",
                                           in_force_from=dt.date(2020, 1, 1), in_force_until=until, rule_text="",
                                           content_hash="x", loaded_at=timezone.now())

    record("ew-soon", today + dt.timedelta(days=180))
    record("ew-later", today + dt.timedelta(days=181))
    record("ew-open", None)
    record("ew-nantong", today + dt.timedelta(days=30), jurisdiction="320600")
    warnings_evaluate(kinds=[RuleKind.POLICY_EXPIRING], on=today)
    titles = sorted(w.title for w in _kind(RuleKind.POLICY_EXPIRING))
    assert len(titles) == 2 and "政策ew-soon" in titles[1] + titles[0]
    # a city's policy is seen in the city and its districts; 南通's is not
    assert {w.place_id for w in selectors.warnings_visible(city_staff)} == {"210100"}
    assert {w.place_id for w in selectors.warnings_visible(heping_staff)} == {"210100"}
    nantong = make_user("nt", "staff", "320600")
    assert {w.place_id for w in selectors.warnings_visible(nantong)} == {"320600"}


def test_a_budget_line_spending_faster_than_the_year(rules, city_staff):
    from rencai.payments.models import BudgetLine

    on = dt.date(2026, 3, 31)  # a quarter of the year gone
    fast = BudgetLine.objects.create(policy="sy-living-subsidy-graduate", year=2026, amount_fen=1_000_000,
                                     prepared_fen=360_000)  # 36% > 25% + 10%
    BudgetLine.objects.create(policy="sy-rent-subsidy", year=2026, amount_fen=1_000_000, paid_fen=340_000)
    warnings_evaluate(kinds=[RuleKind.BUDGET_PACE], on=on)
    [warning] = _kind(RuleKind.BUDGET_PACE)
    assert warning.facts["line"] == fast.pk and "36%" in warning.title
    assert warning.place_id == "210100"
    # spending back within the pace later in the month: resolved by the system
    BudgetLine.objects.filter(pk=fast.pk).update(amount_fen=2_000_000)
    warnings_evaluate(kinds=[RuleKind.BUDGET_PACE], on=on)
    warning.refresh_from_db()
    assert warning.state == State.RESOLVED


def test_a_service_part_past_its_promised_day(rules, categorised, heping_staff, hunnan_staff):
    from rencai.services.models import RequestPart, ServiceItem
    from rencai.services.services import catalog_sync, request_create

    catalog_sync()
    talent = categorised("服务超期", "B")
    from rencai.accounts.enums import Role
    from rencai.accounts.models import User

    user = User.objects.create_user(username="t-ew", password="pw-for-tests-123", role=Role.TALENT)
    talent.user = user
    talent.save(update_fields=["user"])
    ServiceItem.objects.filter(key="ln-settlement").update(deadline_days=3, deadline_set_by_office=True)
    request = request_create(actor=user, talent_id=talent.pk, item_keys=["ln-settlement"])
    part = request.parts.get()
    warnings_evaluate(kinds=[RuleKind.SERVICE_OVERDUE])
    assert _kind(RuleKind.SERVICE_OVERDUE) == []  # not late yet
    RequestPart.objects.filter(pk=part.pk).update(started_on=part.started_on - dt.timedelta(days=10),
                                                  at_risk_on=part.started_on - dt.timedelta(days=10),
                                                  promised_due=timezone.localdate() - dt.timedelta(days=1))
    warnings_evaluate(kinds=[RuleKind.SERVICE_OVERDUE])
    [warning] = _kind(RuleKind.SERVICE_OVERDUE)
    assert warning.talent_id == talent.pk and request.number in warning.title
    assert selectors.warnings_visible(heping_staff).count() == 1
    assert not selectors.warnings_visible(hunnan_staff).exists()


def test_a_fulfilment_step_past_its_promised_day(rules, talent_user, talent):
    from rencai.fulfilment import services as fulfilment
    from rencai.fulfilment.models import ApplicationStep
    from rencai.fulfilment.tests.conftest import put_on_file

    put_on_file(talent_user, talent)
    application, _ = fulfilment.application_submit(actor=talent_user, talent_id=talent.pk,
                                                   policy_id="sy-living-subsidy-graduate")
    warnings_evaluate(kinds=[RuleKind.FULFILMENT_OVERDUE])
    assert _kind(RuleKind.FULFILMENT_OVERDUE) == []
    ApplicationStep.objects.filter(pk=application.current_step_id).update(
        promised_due=timezone.localdate() - dt.timedelta(days=1))
    warnings_evaluate(kinds=[RuleKind.FULFILMENT_OVERDUE])
    [warning] = _kind(RuleKind.FULFILMENT_OVERDUE)
    assert warning.talent_id == talent.pk and application.number in warning.title


def test_an_inactive_rule_raises_nothing_and_a_broken_one_is_skipped(rules, make_talent):
    from rencai.earlywarning.models import WarningRule

    WarningRule.objects.filter(kind=RuleKind.NET_OUTFLOW).update(params={"threshold": "many"})
    WarningRule.objects.filter(kind=RuleKind.POLICY_EXPIRING).update(active=False)
    result = warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW, RuleKind.POLICY_EXPIRING])
    assert "净流出阈值" in result["net-outflow"]["skipped"] and "policy-expiring" not in result


# --- the transition ----------------------------------------------------------------------------------------------


@pytest.fixture
def raised(rules, make_talent):
    today = timezone.localdate()
    for i in range(5):
        Move.objects.create(talent=make_talent(name=f"流出{i}"), from_district_id=HEPING, to_district_id=None,
                            on=today, reason="other")
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    return EarlyWarning.objects.get(kind=RuleKind.NET_OUTFLOW)


def test_acknowledge_then_resolve_with_a_reason(raised, heping_staff):
    warning = warning_transition(actor=heping_staff, warning_id=raised.pk, action=Action.ACKNOWLEDGE, version=1)
    assert (warning.state, warning.version) == (State.ACKNOWLEDGED, 2)
    with pytest.raises(ValidationFailed) as missing:
        warning_transition(actor=heping_staff, warning_id=raised.pk, action=Action.RESOLVE, version=2)
    assert missing.value.errors[0].field == "reason" and "原因" in missing.value.message
    warning = warning_transition(actor=heping_staff, warning_id=raised.pk, action=Action.RESOLVE, version=2,
                                 reason="已走访重点企业，了解流出原因")
    assert warning.state == State.RESOLVED and warning.closed_at is not None
    events = list(WarningEvent.objects.filter(warning=raised).order_by("id"))
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        (Action.RAISE, "", State.OPEN), (Action.ACKNOWLEDGE, State.OPEN, State.ACKNOWLEDGED),
        (Action.RESOLVE, State.ACKNOWLEDGED, State.RESOLVED)]
    assert events[-1].actor == heping_staff and "走访" in events[-1].note
    # closed: no other act; and the same occurrence is not raised again
    with pytest.raises(Conflict):
        warning_transition(actor=heping_staff, warning_id=raised.pk, action=Action.DISMISS, reason="x")
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    assert EarlyWarning.objects.filter(kind=RuleKind.NET_OUTFLOW).count() == 1


def test_a_stale_form_is_a_conflict(raised, heping_staff, city_staff):
    warning_transition(actor=city_staff, warning_id=raised.pk, action=Action.DISMISS, version=1,
                       reason="统计口径调整所致")
    with pytest.raises(Conflict):
        warning_transition(actor=heping_staff, warning_id=raised.pk, action=Action.ACKNOWLEDGE, version=1)
    raised.refresh_from_db()
    assert raised.state == State.DISMISSED and raised.reason == "统计口径调整所致"


def test_only_owners_act_and_others_do_not_see(raised, hunnan_staff, leader, make_user):
    from rencai.accounts.models import Department, User
    from rencai.audit.models import AuditEvent

    with pytest.raises(NotFound):
        warning_transition(actor=hunnan_staff, warning_id=raised.pk, action=Action.ACKNOWLEDGE)
    with pytest.raises(PermissionDenied):
        warning_transition(actor=leader, warning_id=raised.pk, action=Action.ACKNOWLEDGE)
    education = User.objects.create_user(
        username="edu", password="pw-for-tests-123", role="staff",
        department=Department.objects.create(name="和平区教育局", region_id=HEPING))
    with pytest.raises(PermissionDenied):
        warning_transition(actor=education, warning_id=raised.pk, action=Action.ACKNOWLEDGE)
    assert AuditEvent.objects.filter(action="denied", object_type="earlywarning.earlywarning").count() == 2
    with pytest.raises(ValidationFailed):
        warning_transition(actor=leader, warning_id=raised.pk, action="delete")
    talent_user = make_user("tt", "talent")
    from rencai.core.errors import PermissionDenied as Denied

    with pytest.raises(Denied):
        selectors.warnings_visible(talent_user)


def test_the_owners_are_told_after_the_commit(rules, make_talent, heping_staff, hunnan_staff, city_staff,
                                             django_capture_on_commit_callbacks):
    from rencai.notifications.models import Notification

    today = timezone.localdate()
    for i in range(5):
        Move.objects.create(talent=make_talent(name=f"流出{i}"), from_district_id=HEPING, to_district_id=None,
                            on=today, reason="other")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    assert not Notification.objects.filter(kind="earlywarning").exists()  # not before the commit
    for callback in callbacks:
        callback()
    told = list(Notification.objects.filter(kind="earlywarning").values_list("recipient_id", flat=True))
    assert told == [heping_staff.pk]  # the district's office (a district-level rule)
    assert "净流出" in Notification.objects.get(kind="earlywarning").body


def test_rule_parameters_are_checked_in_chinese():
    from rencai.earlywarning.params import params_check

    for kind, params, words in [
        (RuleKind.POLICY_EXPIRING, {"days": -1}, "提前天数"),
        (RuleKind.NET_OUTFLOW, {"threshold": "x"}, "净流出阈值"),
        (RuleKind.NET_OUTFLOW, {"by_district": {"999999": 3}}, "不是已登记的区县"),
        (RuleKind.TALENT_LOSS, {"categories": ["E"]}, "人才类别"),
        (RuleKind.BUDGET_PACE, {"margin": "2"}, "允许超前比例"),
        (RuleKind.SERVICE_OVERDUE, {"days": 3}, "不适用"),
    ]:
        with pytest.raises(ValidationFailed) as bad:
            params_check(kind, params)
        assert words in bad.value.message, (kind, bad.value.message)
        assert bad.value.errors[0].field == "params"
    assert params_check(RuleKind.POLICY_EXPIRING, {}) == {"days": 180}


def test_the_daily_check_is_on_the_worker_s_schedule_and_runs_as_a_job(raised):
    import io

    from django.core.management import call_command

    from rencai.jobs.jobs import ALLOWED_COMMANDS
    from rencai.jobs.schedule import SCHEDULE

    assert any(e.command == "warnings_check" and e.every == "day" for e in SCHEDULE)
    assert "warnings_check" in ALLOWED_COMMANDS
    out = io.StringIO()
    call_command("warnings_check", stdout=out)
    assert "net-outflow: 新增 0，自动解除 0，当前符合 1" in out.getvalue()
    call_command("earlywarning_setup", stdout=out)
    assert "新增预警规则 0 条" in out.getvalue()
