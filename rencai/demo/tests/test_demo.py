import datetime as dt

import pytest
from django.core.management import call_command
from django.db.models import Count
from stdnum.cn import ric, uscc

from rencai.core import crypto
from rencai.demo import population
from rencai.demo.generator import demo_load, scaled_counts
from rencai.organizations.models import Organization
from rencai.talents.models import Education, Talent
from rencai.talents.validation import resident_id_validate

pytestmark = pytest.mark.django_db


def test_default_pool_reproduces_the_published_table(client, city_staff, leader):
    """004: 全市人才库已达12231人，A类14人，B类356人，C类1994人，D类9867人；2022年度新认定2180人
    （B类57人，C类383人），D类1740人 — in the registry, on the city officer's home page and on the command
    display's panels, the year 2022 chosen (one load of the default pool for all: it is the slowest thing these
    tests do)."""
    result = demo_load(seed=7)
    counts = dict(Talent.objects.exclude(talent_category="").values_list("talent_category")
                  .annotate(n=Count("id")).values_list("talent_category", "n"))
    assert counts == {"A": 14, "B": 356, "C": 1994, "D": 9867}
    assert sum(counts.values()) == 12231
    in_2022 = dict(Talent.objects.filter(category_recognized_on__year=2022).values_list("talent_category")
                   .annotate(n=Count("id")).values_list("talent_category", "n"))
    assert in_2022 == {"B": 57, "C": 383, "D": 1740} and sum(in_2022.values()) == 2180
    assert result.talents == Talent.objects.count() == population.DEFAULT_SIZE
    assert Talent.objects.filter(talent_category="").count() > 12231  # the larger unrecognised pool
    assert Education.objects.count() == Talent.objects.count()
    # spread over all of Shenyang's 13 districts, all records inside Shenyang
    assert Talent.objects.values("district").distinct().count() == 13
    assert not Talent.objects.exclude(district__code__startswith="2101").exists()
    client.force_login(city_staff)
    html = client.get("/").content.decode()
    assert '<div class="num" id="recognised-total">12231</div>' in html
    row_2022 = html.split('<tr data-year="2022">')[1].split("</tr>")[0]
    assert row_2022 == "<td>2022</td><td>0</td><td>57</td><td>383</td><td>1740</td><td>2180</td>"
    from rencai.analytics import panels

    on = dt.date(2022, 12, 31)
    for viewer in (city_staff, leader):
        pool = panels.pool(user=viewer, today=on)
        assert pool["recognised"] == 12231
        assert {c["code"]: c["n"] for c in pool["categories"]} == {"A": 14, "B": 356, "C": 1994, "D": 9867}
        new = panels.new_recognitions(user=viewer, today=on)
        assert new["total"] == 2180
        assert {c["code"]: c["n"] for c in new["categories"]} == {"A": 0, "B": 57, "C": 383, "D": 1740}


def test_demo_numbers_are_valid_and_people_plausible():
    demo_load(seed=11, size=400)
    for talent in Talent.objects.all()[:400]:
        number = crypto.decrypt(talent.id_number_cipher)
        assert resident_id_validate(number) == number
        assert ric.get_birth_date(number) == talent.birth_date
        assert talent.graduation_date > talent.birth_date
        if talent.category_recognized_on:
            assert talent.graduation_date < talent.category_recognized_on
        assert 2 <= len(talent.name) <= 4
    for org in Organization.objects.all():
        assert uscc.validate(org.uscc) == org.uscc


def test_same_seed_same_pool():
    def snapshot():
        return list(Talent.objects.order_by("id_number_hash")
                    .values_list("id_number_hash", "name", "talent_category", "district", "highest_degree"))

    demo_load(seed=5, size=300)
    first = snapshot()
    Education.objects.all().delete()
    Talent.objects.all().delete()
    Organization.objects.all().delete()
    demo_load(seed=5, size=300)
    assert snapshot() == first
    Education.objects.all().delete()
    Talent.objects.all().delete()
    Organization.objects.all().delete()
    demo_load(seed=6, size=300)
    assert snapshot() != first


def test_scaled_counts_keep_proportions():
    recognised, in_2022 = scaled_counts(population.DEFAULT_SIZE * 25)
    assert recognised == {k: v * 25 for k, v in population.RECOGNISED.items()}
    assert in_2022 == {k: v * 25 for k, v in population.RECOGNISED_2022.items()}
    small, _ = scaled_counts(4000)
    assert sum(small.values()) == round(12231 / 10)


def test_command_prints_accounts_and_refuses_to_double_load(capsys):
    call_command("demo", size=300)
    out = capsys.readouterr().out
    for username in ("admin", "city_staff", "heping_staff", "hunnan_staff", "leader", "auditor", "employer",
                     "talent"):
        assert username in out
    with pytest.raises(Exception, match="已有数据"):
        call_command("demo", size=300)
    call_command("demo", size=300, if_empty=True)
    assert Talent.objects.count() == 300
