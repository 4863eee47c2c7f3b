"""docs/ carries copies of the specification so that quotes can be checked anywhere; they must not drift
from the shared originals where those are present (beside the repository, as on the project's machines)."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SHARED = REPO.parent / "shared"


@pytest.mark.parametrize("folder", ["seeds", "contracts", "contracts/examples"])
def test_copies_match_the_shared_originals(folder):
    original = SHARED / folder
    if not original.is_dir():
        pytest.skip(f"{original} is not beside this checkout")
    copies = REPO / "docs" / folder
    names = sorted(p.name for p in original.iterdir() if p.is_file())
    assert names == sorted(p.name for p in copies.iterdir() if p.is_file())
    for name in names:
        assert (copies / name).read_bytes() == (original / name).read_bytes(), name
