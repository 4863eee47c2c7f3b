"""docs/ carries copies of the specification so that quotes can be checked anywhere; they must not drift
from the shared originals where those are present (beside the repository, as on the project's machines)."""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


# The project extends its copy of the calculator contract additively (issue 8: team and organization
# profiles): each addition sits between these two lines, and the rest must still be the original, byte for byte.
ADDED = re.compile(rb"<!-- rencai: added -->\n.*?<!-- rencai: end added -->\n", re.S)


def _original_part(data: bytes) -> bytes:
    return ADDED.sub(b"", data)


@pytest.mark.parametrize("folder", ["seeds", "contracts", "contracts/examples"])
def test_copies_match_the_shared_originals(folder):
    original = SHARED / folder
    if not original.is_dir():
        pytest.skip(f"{original} is not beside this checkout")
    copies = REPO / "docs" / folder
    names = sorted(p.name for p in original.iterdir() if p.is_file())
    own = sorted(set(p.name for p in copies.iterdir() if p.is_file()) - set(names))
    contract = (REPO / "docs" / "contracts" / "calculator.md").read_text(encoding="utf-8")
    # Only examples of the additions may be the project's own, each named in the contract's added part.
    assert all(folder == "contracts/examples" and f"examples/{name}" in contract for name in own), own
    for name in names:
        assert _original_part((copies / name).read_bytes()) == (original / name).read_bytes(), name


def test_an_addition_is_only_an_addition():
    original = b"# Contract\n\n## Input\n"
    assert _original_part(b"# Contract\n\n<!-- rencai: added -->\nmore\n<!-- rencai: end added -->\n## Input\n") \
        == original
    assert _original_part(b"# Contract\n\n## Input changed\n") != original
