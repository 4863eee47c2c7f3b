"""The main menu of every role: every entry opens a page the role may see, no page is listed twice, and the top
row stays short enough for one row on a desktop (the page walker measures it at 1366 px)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from rencai.accounts.context_processors import nav_entries
from rencai.accounts.enums import Role

pytestmark = pytest.mark.django_db
TOP_ROW_MAX = 8  # entries, groups counted once


def _pages(entries):
    for entry in entries:
        if entry.items:
            yield from entry.items
        else:
            yield entry


@pytest.mark.parametrize("role, region", [(Role.TALENT, None), (Role.EMPLOYER, None), (Role.STAFF, "210102"),
                                          (Role.STAFF, "210100"), (Role.LEADER, "210100"), (Role.EXPERT, None),
                                          (Role.AUDITOR, "210100"), (Role.ADMIN, None)])
def test_every_entry_opens_a_page_of_the_role(role, region, make_user, make_talent, client):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create
    from rencai.talents.models import Talent

    organization = None
    if role == Role.EMPLOYER:
        organization = organization_create(name="沈阳菜单科技有限公司", uscc=make_uscc(), kind="enterprise",
                                           district="和平区")
    user = make_user("u", role, region, organization=organization)
    if role == Role.TALENT:
        Talent.objects.filter(pk=make_talent().pk).update(user=user)
    entries = nav_entries(user)
    pages = list(_pages(entries))
    assert len(entries) <= TOP_ROW_MAX, [e.label for e in entries]
    assert len({p.url_name for p in pages}) == len(pages), [p.url_name for p in pages]
    assert all(entry.items or entry.url_name for entry in entries)
    client.force_login(user)
    for page in pages:
        response = client.get(reverse(page.url_name))
        assert response.status_code == 200, (role, page.url_name, response.status_code)


def test_the_page_shown_and_its_group_are_marked(make_user, client):
    client.force_login(make_user("u", Role.STAFF, "210102"))
    html = client.get(reverse("fulfilment:queue")).content.decode()
    assert '<details class="nav-group current"><summary>审核</summary>' in html
    assert f'<a href="{reverse("fulfilment:queue")}" aria-current="page">兑现审批</a>' in html
    assert html.count('aria-current="page"') == 1


def test_anyone_sees_the_public_pages_only():
    assert [e.url_name for e in nav_entries(AnonymousUser())] == ["home", "policies:list", "policies:calculator"]
