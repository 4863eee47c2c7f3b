"""Issue 15: the kept talent counts (TalentCount) stay equal to counting the talents, whatever writes them —
services, bulk updates, deletes — and the home page and the list's total read them, in a fixed number of
queries."""

from collections import Counter

import pytest

from rencai.talents import selectors
from rencai.talents.models import Talent, TalentCount
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db


def _counted() -> Counter:
    """What the triggers kept, without empty buckets."""
    return Counter({(c.district_id, c.talent_category, c.returnee, c.highest_degree, c.recognized_year): c.n
                    for c in TalentCount.objects.all() if c.n})


def _actual() -> Counter:
    return Counter((t.district_id, t.talent_category, t.returnee, t.highest_degree,
                    t.category_recognized_on.year if t.category_recognized_on else 0) for t in Talent.objects.all())


def test_counts_follow_inserts_updates_moves_and_deletes(make_talent, admin_user):
    a = make_talent(name="甲")
    b = make_talent(name="乙", district="浑南区", highest_degree="硕士")
    make_talent(name="丙")
    assert _counted() == _actual() and sum(_actual().values()) == 3
    # a service's update (a move), a bulk update (recognition writes the category this way), a delete
    talent_update(actor=admin_user, talent_id=a.pk, changes={"district": "浑南区"})
    assert _counted() == _actual()
    Talent.objects.filter(pk__in=[a.pk, b.pk]).update(talent_category="C", category_recognized_on="2022-05-01")
    assert _counted() == _actual() and _counted()[("210112", "C", True, "doctor", 2022)] == 1
    Talent.objects.filter(pk=b.pk).update(returnee=False, phone_masked="139****0000")
    Talent.objects.filter(pk=b.pk).update(phone_masked="139****1111")  # nothing counted changes
    assert _counted() == _actual()
    b.delete()
    assert _counted() == _actual() and sum(_counted().values()) == 2


@pytest.mark.parametrize("filters", [
    selectors.TalentFilters(),
    selectors.TalentFilters(category="C"),
    selectors.TalentFilters(category="none", returnee=True),
    selectors.TalentFilters(degree="master"),
    selectors.TalentFilters(district="210112"),
    selectors.TalentFilters(district="210100", degree="doctor", returnee=True),
])
def test_the_lists_total_is_the_lists_length(filters, make_talent, city_staff, heping_staff, leader, admin_user):
    make_talent(name="和平博士")
    make_talent(name="浑南硕士", district="浑南区", highest_degree="硕士")
    recognised = make_talent(name="浑南认定", district="浑南区")
    Talent.objects.filter(pk=recognised.pk).update(talent_category="C", category_recognized_on="2023-01-01")
    for user in (city_staff, heping_staff, leader, admin_user):
        assert selectors.talent_count(user=user, filters=filters) == \
            selectors.talent_list(user=user, filters=filters).count(), (user.username, filters)


def test_a_name_search_is_counted_on_the_list_itself(make_talent, city_staff):
    make_talent(name="王秀英")
    assert selectors.talent_count(user=city_staff, filters=selectors.TalentFilters(name="秀")) is None
    for query, found in (("王", 1), ("秀英", 1), ("王秀英", 1), ("英王", 0), ("李", 0)):
        assert selectors.talent_list(user=city_staff, filters=selectors.TalentFilters(name=query)).count() == found


def test_home_counts_from_the_kept_counts(client, make_talent, city_staff, heping_staff,
                                          django_assert_num_queries):
    make_talent(name="和平甲")
    other = make_talent(name="浑南乙", district="浑南区")
    Talent.objects.filter(pk=other.pk).update(talent_category="B", category_recognized_on="2022-03-01")
    overview = selectors.registry_overview(user=city_staff)
    assert overview["total"] == 2 and overview["recognised"] == 1 and overview["returnees"] == 2
    assert overview["years"] == [(2022, [0, 1, 0, 0], 1)]
    assert selectors.registry_overview(user=heping_staff)["total"] == 1
    client.force_login(city_staff)
    client.get("/")  # warm: session, user
    # The registry's figures are one query over the kept counts, whatever the registry's size; the home page's
    # queues around them are pinned in core/tests/test_home.py (21 queries for an officer in all).
    with django_assert_num_queries(21):
        assert client.get("/").status_code == 200


def test_the_staff_list_reads_a_page_in_a_fixed_number_of_queries(client, make_talent, city_staff,
                                                                   django_assert_num_queries):
    for i in range(3):
        make_talent(name=f"列表{i}")
    client.force_login(city_staff)
    client.get("/talents/")
    # session, user, department, the jurisdiction's codes, the total (kept counts), the page (one query with
    # the employer joined), its districts, the user's and the group's permissions (birth date shown in full or not),
    # the inbox's unread count, the district filter's options
    with django_assert_num_queries(11):
        page = client.get("/talents/")
    assert page.status_code == 200 and page.content.decode().count("列表") == 3
    for i in range(3, 20):
        make_talent(name=f"列表{i}")
    with django_assert_num_queries(11):
        client.get("/talents/")
