"""Routes and settings as data: the shipped file loads and is valid, a bad route is refused naming the step,
administrators edit settings (who decided 免申即享 and when is recorded), read-only roles decide nothing."""

import pytest

from rencai.core.errors import PermissionDenied, ValidationFailed
from rencai.fulfilment import services
from rencai.fulfilment.enums import Action
from rencai.fulfilment.models import PolicySetting
from rencai.fulfilment.routes import defaults_for, shipped, validate_route

from .conftest import POLICY

STEP = {"key": "a", "title": "审核", "department": "人力资源和社会保障局", "level": "district",
        "statutory_days": 10, "promised_days": 5}


def test_every_shipped_policy_names_a_valid_route_and_known_materials():
    from rencai.documents.enums import DocumentKind
    from rencai.policies.calculator import default_catalog

    catalog = default_catalog().policies
    for policy_id in shipped()["policies"]:
        assert catalog[policy_id].kind == "entitlement", policy_id
        defaults = defaults_for(policy_id)
        validate_route(defaults["route"])
        assert set(defaults["documents"]) <= set(DocumentKind.values), policy_id
    assert all("no_application" not in (v or {}) for v in shipped()["policies"].values())


@pytest.mark.parametrize(("route", "words"), [
    ([], "至少"),
    ([{**STEP, "promised_days": 11}], "承诺时限不能长于法定时限"),
    ([{**STEP, "level": "province"}], "层级"),
    ([STEP, STEP], "重复"),
    ([{**STEP, "statutory_days": 0}], "工作日"),
    ([{k: v for k, v in STEP.items() if k != "title"}], "须且只须包含"),
])
def test_a_bad_route_is_refused_naming_the_step(route, words):
    with pytest.raises(ValidationFailed) as caught:
        validate_route(route)
    assert words in caught.value.message


@pytest.mark.django_db
def test_admin_edits_a_setting_and_who_decided_is_recorded(client, admin_user):
    from rencai.fulfilment.routes import policy_setting

    setting = policy_setting(POLICY)
    client.force_login(admin_user)
    url = f"/admin/fulfilment/policysetting/{setting.pk}/change/"
    form = {"policy": POLICY, "no_application": "on", "note": "", "route": '[{"key": "x"}]', "documents": "[]",
            "public_notice_days": "0", "payee": "talent"}
    refused = client.post(url, form)
    assert refused.status_code == 200 and "须且只须包含" in refused.content.decode()
    assert "须写明依据" in refused.content.decode()
    form.update(note="市政府常务会议决定", route='[{"key": "pay", "title": "市财政局拨付", "department": "财政局", '
                                        '"level": "city", "statutory_days": 15, "promised_days": 5}]')
    assert client.post(url, form).status_code == 302
    setting = PolicySetting.objects.get(pk=setting.pk)
    assert setting.no_application and setting.decided_by == admin_user and setting.decided_at


@pytest.mark.django_db
def test_leader_and_other_roles_cannot_decide(submitted, leader, make_user):
    from rencai.accounts.enums import Role

    application = submitted()
    with pytest.raises(PermissionDenied):
        services.application_transition(actor=leader, application_id=application.pk, action=Action.APPROVE)
    with pytest.raises(PermissionDenied):
        services.applications_bulk_decide(actor=leader, application_ids=[application.pk], action=Action.APPROVE)
    with pytest.raises(PermissionDenied):
        services.policy_setting_mark(actor=make_user("s2", Role.STAFF, "210100"), policy_id=POLICY,
                                     no_application=True, note="x")
