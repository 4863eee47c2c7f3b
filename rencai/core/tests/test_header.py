"""The header names the signed-in user once: their department, employer or role in brackets, never what the name
already says (issue 12: "系统管理员（系统管理员）" was seen for the administrator and the experts)."""

import re

import pytest

from rencai.accounts.enums import Role

pytestmark = pytest.mark.django_db


def test_the_header_never_repeats_the_role(client, make_user, heping_staff):
    from rencai.accounts.models import User

    admin = make_user("root", Role.ADMIN)
    User.objects.filter(pk=admin.pk).update(display_name="系统管理员")
    expert = make_user("zhou", Role.EXPERT)
    User.objects.filter(pk=expert.pk).update(display_name="周立新")
    expert_old = make_user("sun", Role.EXPERT)
    User.objects.filter(pk=expert_old.pk).update(display_name="孙雅琴（评审专家）")
    for user, shown in ((admin, "系统管理员"), (expert, "周立新（评审专家）"), (expert_old, "孙雅琴（评审专家）"),
                        (heping_staff, "heping（和平区人力资源和社会保障局）")):
        client.force_login(User.objects.get(pk=user.pk))
        header = client.get("/").content.decode().split('class="who-name"')[1].split("</span></span>")[0]
        text = re.sub(r"<[^>]+>", "", header.split(">", 1)[1])
        assert text == shown, text


def test_every_demo_account_is_named_once_in_the_header(client):
    """The demo's officials are people with names: "和平区工作人员（和平区人力资源和社会保障局）" and
    "市领导（只读，全市）（沈阳市人力资源和社会保障局）" said the same thing twice."""
    from django.core.management import call_command

    from rencai.accounts.models import User
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.payments import _finance_user
    from rencai.fulfilment.demo import _accounts as fulfilment_accounts

    call_command("load_policies", verbosity=0)
    for username, _, _ in [*demo_accounts_create(), _finance_user(), *fulfilment_accounts()]:
        client.force_login(User.objects.get(username=username))
        header = client.get("/").content.decode().split('class="who-name"')[1].split("</span></span>")[0]
        text = re.sub(r"<[^>]+>", "", header.split(">", 1)[1])
        assert text.count("（") <= 1, text
        assert not re.search(r"工作人员|领导|审计员|财政局|部门", text.split("（")[0]), text
