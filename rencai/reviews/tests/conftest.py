"""Fixtures for expert review: a pool of experts at three organizations, a small sheet, and a reviewed kind of
item of the tests' own (the machinery names items by reference only)."""

import itertools

import pytest

from rencai.accounts.enums import Role

_seq = itertools.count(1)
KIND = "tests.item"


@pytest.fixture
def orgs(db):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    return {name: organization_create(name=name, uscc=make_uscc(), kind="enterprise", district="和平区")
            for name in ("申请单位", "成员单位", "第三方研究院")}


@pytest.fixture
def experts(make_user, orgs):
    """Five experts: 甲 at the applicant's organization, 乙 at a team member's, 丙 丁 戊 elsewhere."""
    from rencai.reviews.models import Expert

    rows = [("甲", "申请单位"), ("乙", "成员单位"), ("丙", "第三方研究院"), ("丁", None), ("戊", None)]
    return {name: Expert.objects.create(user=make_user(f"rx{next(_seq)}", Role.EXPERT), name=f"{name}专家",
                                        organization=orgs[org] if org else None)
            for name, org in rows}


@pytest.fixture
def sheet(db):
    """Two criteria: 创新性 out of 30 (weight 2) and 可行性 out of 40 (weight 1): a total out of 100."""
    from rencai.reviews.services import CriterionSpec, sheet_ensure

    return sheet_ensure(code=f"test-sheet-{next(_seq)}", name="测试评分表",
                        criteria=[CriterionSpec("novelty", "创新性", 30, "2"),
                                  CriterionSpec("feasibility", "可行性", 40)])


def item(n: int | None = None):
    from rencai.reviews.subjects import Ref

    return Ref(KIND, n or next(_seq))


def parties(orgs):
    from rencai.reviews.selectors import Parties

    return Parties(organizations={orgs["申请单位"].pk: "申请人", orgs["成员单位"].pk: "团队成员王五"})


def form(actor, ref, orgs, panel_experts, sheet, size=3):
    from rencai.reviews.services import panel_form

    return panel_form(actor=actor, item=ref, parties=parties(orgs), expert_ids=[e.pk for e in panel_experts],
                      sheet=sheet, size=size, review_days=10)


def score(expert, ref, novelty, feasibility, **kw):
    from rencai.reviews.services import score_submit

    return score_submit(actor=expert.user, item=ref, scores={"novelty": novelty, "feasibility": feasibility}, **kw)
