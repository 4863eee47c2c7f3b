"""``values_of_ids``: the rows of many ids, asked a list at a time, none lost or repeated at a list's edge."""

import pytest

from rencai.core import bulk

pytestmark = pytest.mark.django_db


def test_values_of_ids_reads_every_row_across_the_lists(monkeypatch):
    from rencai.accounts.models import User

    users = [User.objects.create(username=f"bulk{n}") for n in range(7)]
    monkeypatch.setattr(bulk, "IDS_PER_QUERY", 3)  # 7 ids and one that is nobody's: lists of 3, 3 and 2
    wanted = [u.pk for u in users] + [max(u.pk for u in users) + 1000]
    rows = bulk.values_of_ids(User.objects.exclude(username="bulk4"), "pk", wanted, ("pk", "username"))
    assert sorted(rows) == sorted((u.pk, u.username) for u in users if u.username != "bulk4")
