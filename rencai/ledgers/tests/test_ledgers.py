"""台账: the figures per district and year against built data, targets (validation in Chinese, uniqueness,
completion), scope, query counts, the Excel export read back and the PDF report's text."""

import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from rencai.analytics.models import Move
from rencai.core.errors import Conflict, PermissionDenied, ValidationFailed
from rencai.ledgers import selectors, services
from rencai.ledgers.enums import Measure
from rencai.ledgers.models import Target
from rencai.regions.models import Region

pytestmark = pytest.mark.django_db
HEPING, HUNNAN = "210102", "210112"
YEAR = 2025


def _at(day: dt.date):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@pytest.fixture
def built(make_talent, admin_user):
    """和平区 in 2025: six recognised (so the export shows 6), two returnees come from outside, one graduate; one
    payment of 1,234.56 yuan; two approval steps decided (one on time), three ratings (two satisfied). 浑南区: one
    recognised, nothing else."""
    from rencai.feedback.models import Rating
    from rencai.fulfilment.models import Application, ApplicationStep
    from rencai.payments.models import Entitlement, Payment
    from rencai.talents.models import Talent

    heping = [make_talent(name=f"台账{i}") for i in range(6)]
    hunnan = make_talent(name="浑南一", district="浑南区")
    Talent.objects.update(returnee=False, graduation_date=dt.date(2010, 7, 1))
    Talent.objects.filter(pk__in=[t.pk for t in heping]).update(talent_category="D",
                                                                  category_recognized_on=dt.date(YEAR, 3, 1))
    Talent.objects.filter(pk=hunnan.pk).update(talent_category="C", category_recognized_on=dt.date(YEAR, 4, 1))
    Talent.objects.filter(pk=heping[0].pk).update(graduation_date=dt.date(YEAR, 6, 30))
    Talent.objects.filter(pk__in=[heping[1].pk, heping[2].pk]).update(returnee=True)
    for t in heping[1:3]:
        Move.objects.create(talent=t, from_district=None, to_district_id=HEPING, on=dt.date(YEAR, 5, 1), reason="other")
    entitlement = Entitlement.objects.create(talent=heping[0], policy="sy-living-subsidy-graduate",
                                             one_time_fen=123456, start_month=dt.date(YEAR, 1, 1),
                                             end_month=dt.date(YEAR, 1, 1))
    Payment.objects.create(entitlement=entitlement, policy=entitlement.policy, month=dt.date(YEAR, 1, 1),
                           amount_fen=123456, status="paid", paid_at=_at(dt.date(YEAR, 2, 1)))
    application = Application.objects.create(talent=heping[0], policy="p", policy_title="政策", applicant=admin_user,
                                             submitted_at=_at(dt.date(YEAR, 1, 5)))
    for position, (due, decided) in enumerate(((dt.date(YEAR, 1, 10), dt.date(YEAR, 1, 9)),
                                               (dt.date(YEAR, 1, 20), dt.date(YEAR, 1, 25))), start=1):
        ApplicationStep.objects.create(application=application, position=position, key=f"s{position}", title="审核",
                                       department="人社局", level="city", statutory_days=10, promised_days=5,
                                       promised_due=due, decided_at=_at(decided), decision="approved")
    for i, grade in enumerate(("very_satisfied", "satisfied", "dissatisfied")):
        Rating.objects.create(subject_kind="fulfilment.application", subject_id=application.pk, round=i + 1,
                              subject_title="政策", talent=heping[0], rater=admin_user, grade=grade,
                              created_at=_at(dt.date(YEAR, 3, 1)))
    return heping


def _cells(row):
    return {c.measure: c for c in row.cells}


def test_ledger_figures_per_district(built, city_staff):
    ledger = selectors.ledger(user=city_staff, year=YEAR)
    assert len(ledger.rows) == 13
    heping = _cells(next(r for r in ledger.rows if r.code == HEPING))
    assert heping[Measure.RECOGNISED].actual == 6
    assert heping[Measure.RETURNEES].actual == 2
    assert heping[Measure.GRADUATES].actual == 1
    assert heping[Measure.PAID].actual == Decimal("1234.56")
    assert (heping[Measure.ON_TIME].actual, heping[Measure.ON_TIME].count) == (Decimal("50.0"), 2)
    assert (heping[Measure.SATISFACTION].actual, heping[Measure.SATISFACTION].count) == (Decimal("66.7"), 3)
    hunnan = _cells(next(r for r in ledger.rows if r.code == HUNNAN))
    assert hunnan[Measure.RECOGNISED].actual == 1 and hunnan[Measure.ON_TIME].actual is None
    total = _cells(ledger.total)
    assert total[Measure.RECOGNISED].actual == 7 and total[Measure.PAID].actual == Decimal("1234.56")
    # another year: nothing
    assert _cells(selectors.ledger(user=city_staff, year=YEAR - 1).total)[Measure.RECOGNISED].actual == 0


def test_district_officer_sees_their_row(built, heping_staff, hunnan_staff):
    ledger = selectors.ledger(user=heping_staff, year=YEAR)
    assert [r.code for r in ledger.rows] == [HEPING] and ledger.total is None
    assert [r.code for r in selectors.ledger(user=hunnan_staff, year=YEAR).rows] == [HUNNAN]


def test_targets_validated_in_chinese(admin_user):
    with pytest.raises(ValidationFailed) as failed:
        services.targets_set(actor=admin_user, year=YEAR, goals={
            (HEPING, Measure.RECOGNISED): "1.5", (HEPING, Measure.ON_TIME): "120",
            (HEPING, Measure.PAID): "-1", (HEPING, Measure.SATISFACTION): "很多", (HUNNAN, Measure.PAID): "1.234",
            ("999999", Measure.PAID): "1"})
    messages = {e.field: e.message for e in failed.value.errors}
    assert failed.value.status == 422
    assert messages["goal_210102_recognised"] == "和平区“新认定人才”的目标值应为整数（人）"
    assert messages["goal_210102_on_time"] == "和平区“按时办结率”的目标值是百分比，不能超过100"
    assert messages["goal_210102_paid"] == "和平区“兑现资金”的目标值不能为负数"
    assert "不是有效数字" in messages["goal_210102_satisfaction"]
    assert "最多保留两位小数" in messages["goal_210112_paid"]
    assert "区县无效" in messages["goal_999999_paid"]
    assert not Target.objects.exists()  # nothing written when anything is wrong
    with pytest.raises(ValidationFailed):
        services.targets_set(actor=admin_user, year=1990, goals={})


def test_targets_only_by_administrators(city_staff, leader):
    for user in (city_staff, leader):
        with pytest.raises(PermissionDenied):
            services.targets_set(actor=user, year=YEAR, goals={(HEPING, Measure.RECOGNISED): "5"})


def test_targets_set_update_remove_and_completion(built, admin_user, city_staff):
    assert services.targets_set(actor=admin_user, year=YEAR, goals={
        (HEPING, Measure.RECOGNISED): "4", (HEPING, Measure.PAID): "2469.12", (HEPING, Measure.ON_TIME): "90",
        (HUNNAN, Measure.RECOGNISED): "2"}) == 4
    heping = _cells(next(r for r in selectors.ledger(user=city_staff, year=YEAR).rows if r.code == HEPING))
    assert (heping[Measure.RECOGNISED].ratio, heping[Measure.RECOGNISED].met) == (Decimal("150.0"), True)
    assert heping[Measure.PAID].ratio == Decimal("50.0") and heping[Measure.PAID].met is False
    assert heping[Measure.ON_TIME].ratio == Decimal("55.6")
    assert heping[Measure.GRADUATES].ratio is None
    total = _cells(selectors.ledger(user=city_staff, year=YEAR).total)
    assert total[Measure.RECOGNISED].goal == Decimal("6.00") and total[Measure.ON_TIME].goal is None
    # the same values again: nothing written; a blank removes; a change updates
    assert services.targets_set(actor=admin_user, year=YEAR, goals={(HEPING, Measure.RECOGNISED): "4"}) == 0
    assert services.targets_set(actor=admin_user, year=YEAR, goals={
        (HEPING, Measure.RECOGNISED): "", (HUNNAN, Measure.RECOGNISED): "3"}) == 2
    assert dict(Target.objects.values_list("district_id", "goal").filter(measure=Measure.RECOGNISED)) == {
        HUNNAN: Decimal("3.00")}


def test_one_target_per_district_year_and_measure(admin_user):
    Target.objects.create(district_id=HEPING, year=YEAR, measure=Measure.PAID, goal=1, set_by=admin_user)
    with pytest.raises(IntegrityError):
        Target.objects.create(district_id=HEPING, year=YEAR, measure=Measure.PAID, goal=2, set_by=admin_user)


@pytest.mark.django_db(transaction=True)
def test_two_administrators_at_once_one_conflict_or_both_saved(regions, make_user):
    """Two saves of the same new target at once: each is a 409 or saved, never a 500, and one row remains."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL")
    first, second = make_user("admin1", "admin"), make_user("admin2", "admin")
    barrier, outcomes = threading.Barrier(2), []

    def save(user, goal):
        from django.db import connections

        try:
            barrier.wait()
            services.targets_set(actor=user, year=YEAR, goals={(HEPING, Measure.PAID): goal})
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(u, g)) for u, g in ((first, "1"), (second, "2"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) in (["conflict", "ok"], ["ok", "ok"])
    assert Target.objects.filter(district_id=HEPING, year=YEAR, measure=Measure.PAID).count() == 1


def test_ledger_query_count(built, city_staff, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):  # one grouped query per measure (3 of 人才对接 since issue 11)
        selectors.ledger(user=city_staff, year=YEAR)


def test_pages(client, built, leader, heping_staff, admin_user, django_assert_max_num_queries):
    client.force_login(leader)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("ledgers:year", kwargs={"ledger_year": YEAR}))
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<tr data-district=") == 14  # 13 districts and the sum
    assert "设定2025年考核目标" not in html
    index = client.get(reverse("ledgers:index"), {"year": "2024"})
    assert index.status_code == 200 and "2024年人才工作台账" in index.content.decode()
    assert client.get(reverse("ledgers:index"), {"year": "abc"}).status_code == 400
    assert client.get(reverse("ledgers:year", kwargs={"ledger_year": 1999})).status_code == 404
    assert client.get(reverse("ledgers:targets", kwargs={"ledger_year": YEAR})).status_code == 403
    client.force_login(heping_staff)
    html = client.get(reverse("ledgers:year", kwargs={"ledger_year": YEAR})).content.decode()
    assert html.count("<tr data-district=") == 1 and 'data-district="210102"' in html


def test_targets_page(client, admin_user):
    client.force_login(admin_user)
    url = reverse("ledgers:targets", kwargs={"ledger_year": YEAR})
    assert client.get(url).status_code == 200
    response = client.post(url, {"goal_210102_recognised": "3.5", "goal_210102_paid": "100"})
    html = response.content.decode()
    assert response.status_code == 422 and "和平区“新认定人才”的目标值应为整数（人）" in html
    assert 'id="goal_210102_recognised"' in html and 'value="3.5"' in html and not Target.objects.exists()
    response = client.post(url, {"goal_210102_recognised": "3", "goal_210102_paid": "100"})
    assert response.status_code == 302
    assert Target.objects.get(district_id=HEPING, measure=Measure.PAID).goal == Decimal("100.00")


def test_excel_export_suppresses_small_counts(client, built, city_staff, admin_user):
    services.targets_set(actor=admin_user, year=YEAR, goals={(HEPING, Measure.RECOGNISED): "4"})
    client.force_login(city_staff)
    response = client.get(reverse("ledgers:export", kwargs={"ledger_year": YEAR}))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    heping = next(r for r in rows if r[0] == "和平区")
    hunnan = next(r for r in rows if r[0] == "浑南区")
    assert header[1:4] == ("新认定人才（人）", "新认定人才目标", "新认定人才完成率")
    assert heping[1:4] == (6, 4, "150.0%")
    assert hunnan[1] == "<5" and heping[header.index("引进留学回国人员（人）")] == "<5"
    assert heping[header.index("兑现资金（元）")] == 1234.56
    assert heping[header.index("评价条数")] == "<5"
    assert rows[-1][0] == "合计" and rows[-1][1] == 7


def test_pdf_report(client, built, leader):
    client.force_login(leader)
    response = client.get(reverse("ledgers:report", kwargs={"ledger_year": YEAR}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 2
    for words in ("2025年人才工作台账", "和平区", "新认定人才", "完成情况", "实际", "目标", "<5"):
        assert words in text, words


def test_pdf_report_of_many_districts_splits_its_charts():
    """An administrator's ledger holds every district of every city: each chart still fits its page."""
    from decimal import Decimal

    from rencai.ledgers.reports import DISTRICTS_PER_CHART, ledger_pdf
    from rencai.ledgers.selectors import Cell, Ledger, Row

    measures = [("recognised", "新认定人才", "人")]
    rows = [Row(code=f"{n:06d}", name=f"第{n}区", cells=[Cell("recognised", "新认定人才", "people", n, Decimal(n + 1))])
            for n in range(DISTRICTS_PER_CHART * 2 + 3)]
    reader = PdfReader(io.BytesIO(ledger_pdf(Ledger(year=2025, rows=rows, total=None, measures=measures),
                                             scope="全省", as_of="2026-12-02")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "新认定人才（3/3）：完成情况" in text and "第50区" in text


def test_demo_targets_are_examples_deterministic_and_shown(built, admin_user, city_staff, client):
    from django.utils import timezone

    from rencai.ledgers.demo import YEARS, ledgers_demo_load

    written = ledgers_demo_load(seed=7)
    targets = {(t.district_id, t.year, t.measure): t.goal for t in Target.objects.all()}
    assert written == len(targets) > 0 and Target.objects.filter(is_example=False).count() == 0
    assert {d for d, _, _ in targets} == {d.code for d in Region.objects.filter(level="district",
                                                                              code__startswith="2101")}
    this_year = timezone.localdate().year
    assert {y for _, y, _ in targets} == set(range(this_year - YEARS + 1, this_year + 1))
    assert ledgers_demo_load(seed=7) == 0  # years with targets are left alone
    Target.objects.all().delete()
    ledgers_demo_load(seed=7)
    assert {(t.district_id, t.year, t.measure): t.goal for t in Target.objects.all()} == targets
    client.force_login(city_staff)
    assert "示例数据" in client.get(f"/ledgers/{this_year}/").content.decode()
    # an administrator's own value replaces the example
    district, year, measure = next(iter(targets))
    services.targets_set(actor=admin_user, year=year, goals={(district, measure): "7"})
    assert not Target.objects.get(district_id=district, year=year, measure=measure).is_example
