import pytest

from rencai.documents import selectors
from rencai.documents.models import Document

pytestmark = pytest.mark.django_db


def test_demo_documents_give_each_role_something_and_run_twice_the_same():
    from rencai.accounts.models import User
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.documents import documents_demo_load
    from rencai.demo.generator import demo_load

    demo_load(seed=3, size=300)
    demo_accounts_create()
    count = documents_demo_load()
    talent = User.objects.get(username="talent")
    mine = {d.kind: d for d in Document.objects.filter(talent__user=talent)}
    assert {k: d.status for k, d in mine.items()} == {
        "degree": "verified", "degree_verification": "verified", "labour_contract": "pending",
        "rent_contract": "rejected"}
    assert "签字页" in mine["rent_contract"].review_reason
    heping = User.objects.get(username="heping_staff")
    waiting = list(selectors.review_queue(user=heping))
    assert len(waiting) >= 3 and all(d.talent.district_id == "210102" for d in waiting)
    assert documents_demo_load() == count == Document.objects.count()  # twice: nothing more
