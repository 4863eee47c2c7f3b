"""The home pages: the owner's office sees its open warnings (待处理 marked), another department of the same
district none of them, the leader every open warning of the jurisdiction, by kind."""

import pytest
from django.utils import timezone

from rencai.accounts.models import Department, User
from rencai.analytics.models import Move
from rencai.core.selectors import home_for
from rencai.earlywarning.enums import Action, RuleKind
from rencai.earlywarning.models import EarlyWarning
from rencai.earlywarning.services import warning_transition, warnings_evaluate

pytestmark = pytest.mark.django_db


def _line(home, key="warnings"):
    return next(t for t in [*home.tasks, *home.under_way] if t.key == key)


def test_owners_and_the_leader_see_their_warnings_on_the_home_page(rules, make_talent, heping_staff, hunnan_staff,
                                                                  leader, client):
    today = timezone.localdate()
    for i in range(5):
        Move.objects.create(talent=make_talent(name=f"流出{i}"), from_district_id="210102", to_district_id=None,
                            on=today, reason="other")
    warnings_evaluate(kinds=[RuleKind.NET_OUTFLOW])
    education = User.objects.create_user(username="edu", password="pw-for-tests-123", role="staff",
                                         department=Department.objects.create(name="和平区教育局", region_id="210102"))
    line = _line(home_for(user=heping_staff))
    assert (line.count, line.overdue) == (1, 1) and "区县人才净流出 1" in line.detail
    assert _line(home_for(user=education)).count == 0  # not its department's
    assert _line(home_for(user=hunnan_staff)).count == 0  # not its district
    assert _line(home_for(user=leader)).count == 1
    warning_transition(actor=heping_staff, warning_id=EarlyWarning.objects.get().pk, action=Action.ACKNOWLEDGE)
    line = _line(home_for(user=heping_staff))
    assert (line.count, line.overdue) == (1, 0)  # 处理中: still to close, no longer untouched
    client.force_login(leader)
    html = client.get("/").content.decode()
    assert "决策预警" in html and "/warnings/" in html
