"""Issue 14, item 3: after a talent moves from 和平区 to 浑南区, 和平区's officer no longer sees them in 政策找人's
counts, totals, list or export, and 浑南区's officer does — without re-running the match."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from rencai.policies.matching import match_run
from rencai.talents.services import talent_update

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)
POLICY = "sy-rent-subsidy"


def _seen(client, user) -> dict:
    client.force_login(user)
    summary = client.get("/policies/matches/").content.decode()
    listing = client.get(f"/policies/matches/{POLICY}/").content.decode()
    export = client.get(f"/policies/matches/{POLICY}/export.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.getvalue())).active.iter_rows(min_row=2, values_only=True))
    return {"summary": "迁出博士" in summary or POLICY in summary, "list": "迁出博士" in listing,
            "export": [r[0] for r in rows], "districts": [r[3] for r in rows]}


def test_a_move_between_districts_moves_the_matches(client, make_talent, admin_user, heping_staff, hunnan_staff):
    mover = make_talent(name="迁出博士")  # 和平区, renting: entitled to the rent subsidy
    run = match_run(as_of=AS_OF)
    assert run.policy_matches.filter(talent=mover, policy=POLICY).exists()
    before = _seen(client, heping_staff)
    assert before["list"] and before["export"] == ["迁出博士"] and before["summary"]
    assert _seen(client, hunnan_staff)["export"] == []

    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})

    heping = _seen(client, heping_staff)
    assert not heping["list"] and heping["export"] == [] and not heping["summary"]
    hunnan = _seen(client, hunnan_staff)
    assert hunnan["list"] and hunnan["export"] == ["迁出博士"] and hunnan["districts"] == ["浑南区"]


def test_counts_and_totals_follow_the_move(make_talent, admin_user, heping_staff, hunnan_staff):
    from rencai.policies.selectors import policy_match_summary

    mover = make_talent(name="迁出博士")
    make_talent(name="留守博士")
    run = match_run(as_of=AS_OF)

    def rent(user):
        found = [s for s in policy_match_summary(user=user, run=run) if s.policy == POLICY]
        return (found[0].eligible, found[0].monthly) if found else (0, None)

    heping_before, _ = rent(heping_staff)
    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})
    heping_after, heping_money = rent(heping_staff)
    hunnan_after, hunnan_money = rent(hunnan_staff)
    assert (heping_before, heping_after, hunnan_after) == (2, 1, 1)
    assert heping_money == hunnan_money and hunnan_money > 0
