import pytest

from rencai.analytics.privacy import suppress_small


@pytest.mark.parametrize(("n", "shown"), [(0, "<5"), (1, "<5"), (4, "<5"), (5, 5), (6, 6), (12231, 12231)])
def test_counts_below_five_are_suppressed(n, shown):
    assert suppress_small(n) == shown


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3", None])
def test_only_counts_are_suppressed(bad):
    with pytest.raises((TypeError, ValueError)):
        suppress_small(bad)
