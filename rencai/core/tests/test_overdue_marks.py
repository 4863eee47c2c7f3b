"""Anything overdue is marked in red wherever it is shown: a badge that says 超期 or 超…时限 carries the ``late``
class (static/css/rencai.css), not the neutral grey every other badge has (issue 12: 已超法定时限 was grey in
政策兑现's queue and detail)."""

import re
from pathlib import Path

import rencai

BADGE = re.compile(r'<(?:span|strong)\s+class="([^"]*\bbadge\b[^"]*)"[^>]*>\s*(?:已)?超[^<]*</')


def overdue_badges_not_marked(text: str) -> list[str]:
    return [m.group(0) for m in BADGE.finditer(text) if not re.search(r"\blate(?:-badge)?\b", m.group(1))]


def test_the_check_finds_a_grey_overdue_badge():
    assert overdue_badges_not_marked('<span class="badge">超法定时限</span> <span class="badge late">超承诺时限</span>'
                                     ' <strong class="badge">已超期</strong> <span class="badge">已认定</span>') == [
        '<span class="badge">超法定时限</', '<strong class="badge">已超期</']


def test_every_overdue_badge_is_red():
    found = []
    for template in Path(rencai.__file__).parent.rglob("templates/**/*.html"):
        found += [f"{template.name}: {b}" for b in overdue_badges_not_marked(template.read_text(encoding="utf-8"))]
    assert not found, found
