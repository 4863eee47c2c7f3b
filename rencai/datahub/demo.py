"""A small data centre for the demo and the page walker: the standard feeds, last month's social-insurance file
drawn from the registry (most people matched, a few not in the registry, a few mistyped numbers) and a 不动产
file in which some talents who declare renting own a home (discrepancies). Deterministic; safe to run twice
(the same files again change nothing)."""

import datetime as dt
import random

from django.utils import timezone
from stdnum.cn import ric

from rencai.core import crypto
from rencai.core.excel import csv_bytes
from rencai.talents.models import Talent

from . import services
from .enums import FactKind
from .setup import standard_feeds_create


def _outsider(rng: random.Random) -> str:
    body = f"210102{rng.randint(1960, 2000)}0{rng.randint(1, 9)}1{rng.randint(0, 9)}{rng.randint(900, 999)}"
    return body + ric.calc_check_digit(body + "0")


def datahub_demo_load(*, limit: int = 2000, seed: int = 16) -> dict:
    from rencai.accounts.models import User

    feeds = {f.kind: f for f in standard_feeds_create()}
    actor = User.objects.filter(username="city_staff").first()
    rng = random.Random(seed)
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    talents = list(Talent.objects.filter(id_type="resident_id").order_by("pk")
                   .values_list("name", "id_number_cipher", "district__name", "housing_status")[:limit])
    rows = [[name, crypto.decrypt(cipher), f"{month:%Y-%m}", "正常缴费", district, rng.randint(30, 300) * 100]
            for name, cipher, district, _housing in talents]
    rows += [[f"外地{i}", _outsider(rng), f"{month:%Y-%m}", "正常缴费", "和平区", 5000] for i in range(len(rows) // 20)]
    for row in rows[3:5]:
        row[1] = row[1][:17] + ("0" if row[1][17] != "0" else "1")  # mistyped: reported, not loaded
    header = ["姓名", "证件号码", "缴费月份", "缴费状态", "参保地", "缴费基数（元）"]
    loads = {}
    social = services.load_from_bytes(feed_id=feeds[FactKind.SOCIAL_INSURANCE].pk, raw=csv_bytes(header, rows),
                                      file_name=f"社保缴费{month:%Y%m}.csv", actor=actor)
    loads["social_insurance"] = services.load_run(load_id=social.pk)
    renters = [t for t in talents if t[3] == "renting"][:5]
    homes = [[name, crypto.decrypt(cipher), f"{today.year - 1}-0{i + 1}-15", district, "住宅", 90]
             for i, (name, cipher, district, _housing) in enumerate(renters)]
    if homes:
        header = ["姓名", "证件号码", "登记日期", "房屋坐落区县", "房屋用途", "建筑面积（平方米）"]
        prop = services.load_from_bytes(feed_id=feeds[FactKind.PROPERTY].pk, raw=csv_bytes(header, homes),
                                        file_name=f"不动产登记{today:%Y%m}.csv", actor=actor)
        loads["property"] = services.load_run(load_id=prop.pk)
    return loads
