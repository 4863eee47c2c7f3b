"""Expert review's services and selectors on a kind of item of the tests' own: 回避 by organization and by
declaration (every refused expert named, nothing written), scoring only what is assigned (403), once (409; the
same again a no-op), outliers flagged in a panel's result, a ranking with ties, a defence weighed in."""

from decimal import Decimal as D

import pytest

from rencai.core.errors import Conflict, PermissionDenied, ValidationFailed
from rencai.reviews import selectors, services
from rencai.reviews.enums import Stage
from rencai.reviews.models import Assignment, ConflictDeclaration, Panel, Score

from .conftest import KIND, form, item, parties, score


def test_experts_of_the_applicants_or_a_members_organization_and_declared_ones_stand_aside(
        heping_staff, experts, orgs, sheet):
    ref = item()
    reason = "曾与申请人合作发表论文"
    declaration, created = services.conflict_declare(actor=experts["丙"].user, subject=ref, reason=reason)
    assert created and declaration.declared_at and declaration.declared_by == experts["丙"].user
    again, created = services.conflict_declare(actor=experts["丙"].user, subject=ref, reason=reason)
    assert again == declaration and not created
    pool = selectors.pool(ref, parties(orgs))
    assert {e.name for e in pool.available} == {"丁专家", "戊专家"}
    assert {e.name: why for e, why in pool.refused} == {
        "甲专家": "专家与申请人同一单位", "乙专家": "专家与团队成员王五同一单位",
        "丙专家": "专家已申报回避（曾与申请人合作发表论文）"}
    with pytest.raises(ValidationFailed) as info:
        form(heping_staff, ref, orgs, [experts["甲"], experts["乙"], experts["丙"], experts["丁"]], sheet)
    messages = [e.message for e in info.value.errors]  # every refused expert at once, each with the reason
    assert messages == ["甲专家须回避：专家与申请人同一单位", "乙专家须回避：专家与团队成员王五同一单位",
                        "丙专家须回避：专家已申报回避（曾与申请人合作发表论文）"]
    assert info.value.status == 422 and not Panel.objects.exists() and not Assignment.objects.exists()


def test_a_conflict_declared_against_an_organization_counts_for_its_items(heping_staff, experts, orgs, sheet):
    from rencai.reviews.subjects import Ref

    services.conflict_declare(actor=heping_staff, expert_id=experts["丁"].pk,
                              subject=Ref("organizations.organization", orgs["成员单位"].pk), reason="兼任该单位顾问")
    refused = dict(selectors.pool(item(), parties(orgs)).refused)
    assert refused[experts["丁"]] == "专家已申报回避（兼任该单位顾问）"
    with pytest.raises(ValidationFailed):
        services.conflict_declare(actor=experts["戊"].user, subject=item(), reason="")
    with pytest.raises(PermissionDenied):
        services.conflict_declare(actor=_employer(orgs), subject=item(), reason="无关人员")
    assert ConflictDeclaration.objects.count() == 1


def _employer(orgs):
    from rencai.accounts.enums import Role
    from rencai.accounts.models import User

    return User.objects.create(username="hr-x", role=Role.EMPLOYER, organization=orgs["申请单位"])


def test_a_panel_is_formed_once(heping_staff, city_staff, experts, orgs, sheet):
    ref = item()
    chosen = [experts["丙"], experts["丁"], experts["戊"]]
    panel, created = form(heping_staff, ref, orgs, chosen, sheet)
    assert created and panel.assignments.count() == 3
    same, created = form(city_staff, ref, orgs, list(reversed(chosen)), sheet)  # the same experts: no change
    assert same == panel and not created and Assignment.objects.count() == 3
    with pytest.raises(ValidationFailed) as info:
        form(heping_staff, ref, orgs, chosen[:2], sheet)
    assert "至少3人，已选2人" in info.value.message
    other = [experts["丙"], experts["丁"]]
    with pytest.raises(Conflict) as info:
        form(city_staff, ref, orgs, other, sheet, size=2)
    assert info.value.status == 409 and "不能更换" in info.value.message and Assignment.objects.count() == 3


def test_an_expert_scores_only_what_is_assigned_and_only_once(heping_staff, experts, orgs, sheet):
    ref, other = item(), item()
    form(heping_staff, ref, orgs, [experts["丙"], experts["丁"], experts["戊"]], sheet)
    with pytest.raises(PermissionDenied) as info:  # not on this item's panel
        score(experts["丙"], other, 20, 30)
    assert info.value.status == 403 and "不是该事项的评审专家" in info.value.message
    with pytest.raises(PermissionDenied):
        services.score_submit(actor=heping_staff, item=ref, scores={"novelty": 1, "feasibility": 1})
    assert not Score.objects.exists() and not Assignment.objects.filter(scored_at__isnull=False).exists()
    with pytest.raises(ValidationFailed) as info:
        services.score_submit(actor=experts["丙"].user, item=ref, scores={"novelty": "31", "feasibility": "x"})
    assert [e.field for e in info.value.errors] == ["novelty", "feasibility"]
    assert "创新性：应在0至30分之间" in info.value.message and "可行性：请填写0至40的整数分" in info.value.message
    assignment, created = score(experts["丙"], ref, 25, 33, comment="创新性突出")
    assert created and assignment.total == D("83.00")  # 2 × 25 + 33
    again, created = score(experts["丙"], ref, "25", "33", comment="创新性突出")  # the same form posted twice
    assert again.pk == assignment.pk and not created
    with pytest.raises(Conflict) as info:
        score(experts["丙"], ref, 26, 33, comment="创新性突出")
    assert info.value.status == 409 and info.value.code == "already_scored"
    assignment.refresh_from_db()
    assert assignment.total == D("83.00") and Score.objects.filter(assignment=assignment).count() == 2


def _panel_scored(heping_staff, experts, orgs, sheet, ref, totals):
    """A panel of the given experts' totals (each total = 2 × novelty + feasibility)."""
    chosen = [experts[name] for name in totals]
    form(heping_staff, ref, orgs, chosen, sheet, size=len(chosen))
    for name, (novelty, feasibility) in totals.items():
        score(experts[name], ref, novelty, feasibility)


def test_the_panel_result_is_the_mean_with_the_outlier_flagged(heping_staff, experts, orgs, sheet, make_user):
    from rencai.accounts.enums import Role
    from rencai.reviews.models import Expert

    experts["己"] = Expert.objects.create(user=make_user("rx-ji", Role.EXPERT), name="己专家")
    experts["庚"] = Expert.objects.create(user=make_user("rx-geng", Role.EXPERT), name="庚专家")
    ref = item()
    # totals 80, 82, 78, 81, 50 (the hand-computed example of test_scoring: 50 has M = 10.12 > 3.5)
    _panel_scored(heping_staff, experts, orgs, sheet, ref,
                  {"丙": (25, 30), "丁": (26, 30), "戊": (24, 30), "己": (25, 31), "庚": (10, 30)})
    result = selectors.panel_result(ref)
    assert result.complete and result.median == D(80) and result.result == D("74.20")
    assert [a.expert.name for a in result.outliers] == ["庚专家"]
    assert result.rows[0].values == [25, 30]


def test_a_ranking_breaks_ties_by_median_then_the_first_criterion(heping_staff, experts, orgs, sheet):
    a, b, c, d, e = (item() for _ in range(5))
    # a: 80, 80, 80 → mean 80, median 80
    _panel_scored(heping_staff, experts, orgs, sheet, a, {"丙": (20, 40), "丁": (20, 40), "戊": (20, 40)})
    # b: 70, 85, 85 → mean 80, median 85: above a
    _panel_scored(heping_staff, experts, orgs, sheet, b, {"丙": (15, 40), "丁": (25, 35), "戊": (25, 35)})
    # c: 70, 85, 85 with more on 创新性 (a mean of 26.67 against b's 21.67): above b
    _panel_scored(heping_staff, experts, orgs, sheet, c, {"丙": (30, 10), "丁": (25, 35), "戊": (25, 35)})
    # d: the same as a in every respect: shares a's rank
    _panel_scored(heping_staff, experts, orgs, sheet, d, {"丙": (20, 40), "丁": (20, 40), "戊": (20, 40)})
    # e: a panel still scoring: listed last, unranked
    form(heping_staff, e, orgs, [experts["丙"], experts["丁"], experts["戊"]], sheet)
    score(experts["丙"], e, 30, 40)
    ranked = selectors.ranking(KIND, [e.id, a.id, b.id, c.id, d.id])
    assert [(r.item, r.rank, r.final) for r in ranked] == [
        (c, 1, D("80.00")), (b, 2, D("80.00")), (a, 3, D("80.00")), (d, 3, D("80.00")), (e, None, None)]


def test_a_defence_weighs_into_the_final_result_as_the_caller_says(heping_staff, experts, orgs, sheet):
    first, second = item(), item()
    _panel_scored(heping_staff, experts, orgs, sheet, first, {"丙": (20, 40), "丁": (20, 40), "戊": (20, 40)})  # 80
    _panel_scored(heping_staff, experts, orgs, sheet, second, {"丙": (25, 40), "丁": (25, 40), "戊": (25, 40)})  # 90
    for ref, (novelty, feasibility) in ((first, (30, 40)), (second, (15, 20))):  # defence 100 and 50
        services.panel_form(actor=heping_staff, item=ref, parties=parties(orgs), sheet=sheet, size=2, review_days=5,
                            expert_ids=[experts["丁"].pk, experts["戊"].pk], stage=Stage.DEFENCE)
        for name in ("丁", "戊"):
            services.score_submit(actor=experts[name].user, item=ref, stage=Stage.DEFENCE,
                                  scores={"novelty": novelty, "feasibility": feasibility})
    assert [r.item for r in selectors.ranking(KIND, [first.id, second.id])] == [second, first]  # review alone
    # with the defence at 0.4: first 0.6 × 80 + 0.4 × 100 = 88, second 0.6 × 90 + 0.4 × 50 = 74
    ranked = selectors.ranking(KIND, [first.id, second.id], defence_weight=D("0.4"))
    assert [(r.item, r.rank, r.final) for r in ranked] == [(first, 1, D("88.00")), (second, 2, D("74.00"))]
