"""The shipped catalog's open points (issue 13): each names a sentence that stands verbatim in its policy's
documents, ids are unique within a policy, and nothing is decided in the shipped files (the office decides)."""

import re

from rencai.policies.documents import highlighted, source_text
from rencai.policies.engine.catalog import load_catalog

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_every_shipped_open_point_is_verbatim_unique_and_undecided():
    catalog = load_catalog()
    seen = 0
    for policy in catalog.policies.values():
        documents = [policy.source.document, *(s.document for s in getattr(policy, "also_sources", ()))]
        ids = [p.id for p in policy.open_points]
        assert len(ids) == len(set(ids)), policy.id
        for point in policy.open_points:
            seen += 1
            assert ID.match(point.id), (policy.id, point.id)
            assert point.question.endswith("？"), (policy.id, point.id)
            assert any(highlighted(source_text(d), point.sentence)[1] for d in documents), (policy.id, point.id)
            assert point.decision is None, (policy.id, point.id)
    assert seen >= 30


def test_the_graduate_living_subsidy_leaves_window_newcomers_and_insurance_open():
    policy = load_catalog().policies["sy-living-subsidy-graduate"]
    points = {p.id: p for p in policy.open_points}
    assert {"graduation-window", "newly-arrived", "social-insurance"} <= set(points)
    assert all("符合条件的" in p.sentence for p in points.values())
