"""The demo's data centre: the standard feeds, and a file for each of them drawn from the demo registry, loaded as
the departments would deliver them — mostly agreeing with the registry, with a realistic share of rows about
people or employers not in the registry (unmatched), a few mistyped numbers (reported, not loaded), feeds behind
their schedule (个人所得税 and 户籍/居住证 stop months ago: late) and contradictions (declared renting with a home
registered; declared paying social insurance in the city with last month stopped or paid elsewhere; a degree lower
than declared; a returnee certificate for someone not declared a returnee; a higher skill level; an employer
cancelled in the business register) that become the discrepancies staff find on arrival.

Deterministic for the seed; safe to run twice (the same files again change nothing). ``limit`` caps the people
a feed covers (the first by id); the demo account ``talent`` is always covered and always agrees, so that their
facts are verified."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from stdnum.cn import ric, uscc

from rencai.core import crypto
from rencai.core.excel import Sheet, csv_bytes, xlsx_bytes
from rencai.talents.enums import DEGREE_RANK, Degree, SkillLevel
from rencai.talents.models import Talent

from . import services
from .enums import FactKind
from .models import Feed
from .setup import standard_feeds_create

DEGREE_LABEL = dict(Degree.choices)
SKILL_ORDER = [SkillLevel.SENIOR_WORKER, SkillLevel.TECHNICIAN, SkillLevel.SENIOR_TECHNICIAN,
               SkillLevel.SPECIAL_TECHNICIAN]
SKILL_LABEL = {SkillLevel.SENIOR_WORKER: "高级工", SkillLevel.TECHNICIAN: "技师",
               SkillLevel.SENIOR_TECHNICIAN: "高级技师", SkillLevel.SPECIAL_TECHNICIAN: "特级技师"}


def _outsider(rng: random.Random) -> str:
    body = f"210102{rng.randint(1960, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(900, 999)}"
    return body + ric.calc_check_digit(body + "0")


def _outsider_org(rng: random.Random) -> str:
    body = f"91210106MA{rng.randint(0, 9999999):07d}"
    return body + uscc.calc_check_digit(body + "0")


def _month(day: dt.date, back: int) -> dt.date:
    first = day.replace(day=1)
    for _ in range(back):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return first


def _mistype(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def datahub_demo_load(*, limit: int | None = 2000, seed: int = 16) -> dict:
    """Load every standard feed's demo files. Returns {name: Load} of what was loaded."""
    from rencai.accounts.models import User
    from rencai.organizations.models import Organization

    feeds = {f.kind: f for f in standard_feeds_create()}
    registered = timezone.now() - dt.timedelta(days=400)  # the feeds have been in service for a year
    Feed.objects.filter(pk__in=[f.pk for f in feeds.values()], created_at__gt=registered).update(created_at=registered)
    actor = User.objects.filter(username="city_staff").first()
    rng = random.Random(seed)
    today = timezone.localdate()
    m1, m2, m3 = _month(today, 1), _month(today, 2), _month(today, 3)
    people = (Talent.objects.filter(id_type="resident_id").order_by("pk")
              .values("pk", "name", "id_number_cipher", "district_id", "housing_status", "social_insurance",
                      "highest_degree", "graduation_date", "returnee", "skill_level", "user__username"))
    people = list(people[:limit] if limit else people)
    own = Talent.objects.filter(user__username="talent", id_type="resident_id").values(
        "pk", "name", "id_number_cipher", "district_id", "housing_status", "social_insurance", "highest_degree",
        "graduation_date", "returnee", "skill_level", "user__username").first()
    if own is not None and all(p["pk"] != own["pk"] for p in people):
        people.append(own)
    for p in people:
        p["id"] = crypto.decrypt(p["id_number_cipher"])
        p["demo"] = p["user__username"] == "talent"  # the demo talent: always covered, never contradicted

    def odds(p, share: float) -> bool:
        return not p["demo"] and rng.random() < share

    loads = {}

    def load(kind, name, header, rows, xlsx=False):
        if not rows:
            return
        raw = xlsx_bytes([Sheet("数据", header, rows)]) if xlsx else csv_bytes(header, rows)
        made = services.load_from_bytes(feed_id=feeds[kind].pk, raw=raw, file_name=name, actor=actor)
        loads[name] = services.load_run(load_id=made.pk)

    taken = {p["id"] for p in people}

    def stranger() -> str:  # a number not in the registry, nor used by another outsider
        while (number := _outsider(rng)) in taken or Talent.objects.filter(
                id_number_hash=crypto.lookup_hash(number)).exists():
            pass
        taken.add(number)
        return number

    def outsiders(share, make):
        return [make(i) for i in range(max(1, int(len(people) * share)))]

    # 社会保险缴费数据 (人社): three months of those paying, a few stopped or paid elsewhere last month.
    header = ["姓名", "证件号码", "缴费月份", "缴费状态", "参保地", "缴费基数（元）"]
    paying = [p for p in people if p["social_insurance"] == "paying" or p["demo"]]
    base = {p["pk"]: rng.randint(40, 300) * 100 for p in paying}
    strangers = outsiders(0.04, lambda i: [f"外地参保人{i + 1}", stranger()])
    for month in (m3, m2, m1):
        rows = []
        for p in paying:
            status, place = "正常缴费", p["district_id"]
            if month == m1 and odds(p, 0.03):
                status = "暂停缴费"
            elif month == m1 and odds(p, 0.01):
                place = "210000"  # 省本级: paid outside the city
            rows.append([p["name"], p["id"], f"{month:%Y-%m}", status, place, base[p["pk"]]])
        rows += [[n, i, f"{month:%Y-%m}", "正常缴费", "和平区", 4500] for n, i in strangers]
        for row in [r for r, p in zip(rows, paying, strict=False) if not p["demo"]][7:9]:
            row[1] = _mistype(row[1])  # mistyped by the department: reported, not loaded (never the demo talent)
        load(FactKind.SOCIAL_INSURANCE, f"社保缴费{month:%Y%m}.csv", header, rows)

    # 个人所得税缴纳数据 (税务): stopped three months ago — the feed is late.
    rows = [[p["name"], p["id"], f"{m3:%Y-%m}", round(base[p["pk"]] * 1.2, 2), round(base[p["pk"]] * 0.03, 2)]
            for p in paying]
    load(FactKind.INCOME_TAX, f"个税{m3:%Y%m}.csv",
         ["姓名", "证件号码", "税款所属期", "收入额（元）", "已缴税额（元）"], rows)

    # 不动产登记数据 (自然资源): most owners' homes; a few declared renters with a home.
    rows = []
    for p in people:
        renting = p["housing_status"] in ("renting", "apartment")
        if (p["housing_status"] == "owns" and rng.random() < 0.7) or (renting and odds(p, 0.02)):
            day = dt.date(today.year - rng.randint(1, 8), rng.randint(1, 12), rng.randint(1, 28))
            rows.append([p["name"], p["id"], f"{day:%Y-%m-%d}", p["district_id"], "住宅", rng.randint(50, 140)])
    rows += [[n, i, f"{today.year - 1}-06-18", "浑南区", "住宅", 95] for n, i in
             outsiders(0.01, lambda i: [f"外地购房人{i + 1}", stranger()])]
    load(FactKind.PROPERTY, f"不动产登记{m1:%Y%m}.xlsx",
         ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途", "建筑面积（平方米）"], rows, xlsx=True)

    # 学历学位认证数据 (教育): most declared degrees certified; a few one level lower.
    rows = []
    lower = {DEGREE_RANK[d]: d for d in DEGREE_RANK}
    for p in people:
        degree, graduated = p["highest_degree"], p["graduation_date"]
        if not degree or not graduated or not (p["demo"] or rng.random() < 0.6):
            continue
        if DEGREE_RANK.get(degree, 1) > 1 and odds(p, 0.015):
            degree = lower[DEGREE_RANK[degree] - 1]
        rows.append([p["name"], p["id"], DEGREE_LABEL[degree], "（认证院校）", f"{graduated:%Y-%m-%d}",
                     "", f"XL{p['pk']:08d}"])
    load(FactKind.DEGREE, f"学历认证{m1:%Y%m}.csv",
         ["姓名", "证件号码", "学历", "毕业院校", "毕业日期", "国家/地区", "认证编号"], rows)

    # 留学回国人员证明数据: most returnees; a few not declared returnees.
    rows = []
    for p in people:
        if (p["returnee"] and (p["demo"] or rng.random() < 0.75)) or (not p["returnee"] and odds(p, 0.004)):
            issued = (p["graduation_date"] or dt.date(today.year - 3, 7, 1)) + dt.timedelta(days=90)
            rows.append([p["name"], p["id"], f"{min(issued, today):%Y-%m-%d}", "（留学国家）", "", "",
                         f"LX{p['pk']:08d}"])
    load(FactKind.RETURNEE, f"留学回国证明{m1:%Y%m}.csv",
         ["姓名", "证件号码", "出具日期", "留学国家/地区", "所获学位", "回国日期", "证明编号"], rows)

    # 职业技能等级证书数据 (人社): most declared levels; a few a level higher.
    rows = []
    for p in people:
        level = p["skill_level"]
        if not level or not (p["demo"] or rng.random() < 0.8):
            continue
        rank = SKILL_ORDER.index(level)
        if rank + 1 < len(SKILL_ORDER) and odds(p, 0.02):
            level = SKILL_ORDER[rank + 1]
        rows.append([p["name"], p["id"], SKILL_LABEL[level], "（职业）", f"{today.year - 2}-05-10",
                     f"JN{p['pk']:08d}"])
    load(FactKind.SKILL, f"技能等级证书{m1:%Y%m}.csv",
         ["姓名", "证件号码", "技能等级", "职业（工种）", "发证日期", "证书编号"], rows)

    # 户籍和居住证数据 (公安): two months behind.
    rows = [[p["name"], p["id"], f"{m3:%Y-%m}", "户籍" if rng.random() < 0.7 else "居住证", p["district_id"]]
            for p in people]
    load(FactKind.RESIDENCE, f"户籍居住证{m3:%Y%m}.csv", ["姓名", "证件号码", "数据月份", "类别", "所在区县"], rows)

    # 市场主体登记数据 (市场监管): every employer 存续 but one, and two not in the registry.
    orgs = list(Organization.objects.order_by("pk").values_list("uscc", "name", "district_id", "pk"))
    employers = set(Talent.objects.filter(organization__isnull=False).exclude(user__username="talent")
                    .values_list("organization_id", flat=True)[:500])
    cancelled = next((pk for *_rest, pk in orgs if pk in employers), None)
    rows = [[code, name, f"{m1:%Y-%m}", "注销" if pk == cancelled else "存续", district]
            for code, name, district, pk in orgs]
    rows += [[_outsider_org(rng), f"沈阳外埠示例{i + 1}有限公司", f"{m1:%Y-%m}", "存续", "铁西区"] for i in range(2)]
    load(FactKind.BUSINESS, f"市场主体登记{m1:%Y%m}.csv",
         ["统一社会信用代码", "单位名称", "数据月份", "登记状态", "住所区县"], rows)

    # 企业纳税数据 (税务): last year's tax of most employers.
    rows = [[code, name, str(today.year - 1), rng.randint(10, 5000) * 1000] for code, name, _d, _pk in orgs
            if rng.random() < 0.8]
    load(FactKind.ENTERPRISE_TAX, f"企业纳税{today.year - 1}.csv",
         ["统一社会信用代码", "单位名称", "纳税年度", "纳税总额（元）"], rows)
    from rencai.fulfilment.demo import fulfilment_demo_offers

    fulfilment_demo_offers()  # 免申即享 needs verified facts: the demo's offers come now
    return loads
