"""Administrators edit the rules in the admin site; a bad parameter is a Chinese error on the field and nothing is
saved; a good one is saved as checked."""

import json

import pytest

from rencai.earlywarning.enums import RuleKind
from rencai.earlywarning.models import WarningRule

pytestmark = pytest.mark.django_db


def _post(client, rule, params):
    return client.post(f"/admin/earlywarning/warningrule/{rule.pk}/change/", {
        "name": rule.name, "kind": rule.kind, "params": json.dumps(params, ensure_ascii=False), "basis": rule.basis,
        "department": rule.department, "level": rule.level, "active": "on"})


def test_a_bad_parameter_is_a_chinese_error_and_a_good_one_is_saved(rules, client, admin_user):
    client.force_login(admin_user)
    rule = rules[RuleKind.POLICY_EXPIRING]
    assert client.get(f"/admin/earlywarning/warningrule/{rule.pk}/change/").status_code == 200
    bad = _post(client, rule, {"days": "半年"})
    assert bad.status_code == 200 and "提前天数应为1至3650之间的整数" in bad.content.decode()
    wrong = _post(client, rule, {"threshold": 3})
    assert "不适用" in wrong.content.decode()
    assert WarningRule.objects.get(pk=rule.pk).params == {"days": 180}
    good = _post(client, rule, {"days": "120"})
    assert good.status_code == 302
    assert WarningRule.objects.get(pk=rule.pk).params == {"days": 120}
