import pytest

from rencai.conftest import make_resident_id, talent_data
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db


def test_staff_form_shows_every_error_next_to_its_field(client, heping_staff):
    client.force_login(heping_staff)
    response = client.post("/talents/new/", {"name": "", "id_number": "123", "district": "火星区", "phone": "1"})
    html = response.content.decode()
    assert response.status_code == 422
    for words in ("姓名不能为空", "应为18位", "未知的区县“火星区”", "手机号码"):
        assert words in html
    assert Talent.objects.count() == 0


def test_staff_form_registers_and_redirects(client, heping_staff):
    client.force_login(heping_staff)
    response = client.post("/talents/new/", talent_data(name="刘登记"))
    talent = Talent.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/talents/{talent.pk}/"


def test_posting_the_same_form_twice_registers_once(client, heping_staff):
    client.force_login(heping_staff)
    data = talent_data(id_number=make_resident_id())
    assert client.post("/talents/new/", data).status_code == 302
    second = client.post("/talents/new/", data)
    assert second.status_code == 409 and "重复登记" in second.content.decode()
    assert Talent.objects.count() == 1


def test_leader_cannot_open_the_form(client, leader):
    client.force_login(leader)
    response = client.get("/talents/new/")
    assert response.status_code == 403 and "政府工作人员" in response.content.decode()


def test_home_shows_counts_of_the_jurisdiction(client, heping_staff, make_talent):
    make_talent(talent_category="D", category_recognized_on="2022-05-01")
    make_talent(district="浑南区")
    client.force_login(heping_staff)
    html = client.get("/").content.decode()
    assert "和平区" in html and '<div class="num">1</div>登记人才' in html


def test_list_filters_by_category_and_name(client, heping_staff, make_talent):
    make_talent(name="甲", talent_category="C", category_recognized_on="2021-01-01")
    make_talent(name="乙")
    client.force_login(heping_staff)
    html = client.get("/talents/?category=C").content.decode()
    assert ">甲<" in html and ">乙<" not in html
    html = client.get("/talents/?category=none&name=乙").content.decode()
    assert ">乙<" in html and ">甲<" not in html


def test_list_queries_do_not_grow_with_the_page(client, heping_staff, make_talent, django_assert_max_num_queries):
    """The staff list and its API read a page in a fixed number of queries, however many rows it shows."""
    for i in range(30):
        make_talent(name=f"人{i}")
    client.force_login(heping_staff)
    with django_assert_max_num_queries(10):  # 9, and the header's unread-message count
        assert client.get("/talents/").status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get("/api/talents").json()["count"] == 30
