"""`rencai demo` gives every demo account something to do on arrival (its home page, core.selectors.home_for),
and gives the same work for the same seed."""

import io

import pytest
from django.core.management import call_command

from rencai.accounts.models import User
from rencai.core.selectors import home_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_policies", verbosity=0)
    call_command("demo", size=1000, seed=2023, stdout=io.StringIO())
    call_command("match", verbosity=0)


def counts(username: str) -> dict[str, int]:
    home = home_for(user=User.objects.get(username=username))
    return {t.key: t.count for t in home.tasks}


def test_every_demo_account_has_work(demo, client):
    heping = counts("heping_staff")  # 和平区's queue: recognition to check, 政策兑现 to review, documents
    assert heping["recognition-submitted"] >= 1 and heping["fulfilment"] >= 1 and heping["documents"] >= 1
    assert counts("hunnan_staff")["fulfilment"] >= 1
    for n in range(1, 6):  # every expert has an assignment to score, with its deadline
        home = home_for(user=User.objects.get(username=f"expert{n}"))
        assert home.tasks and all(t.key.startswith("score-") and "前完成评分" in t.detail for t in home.tasks), n
    employer = home_for(user=User.objects.get(username="employer"))
    assert employer.extra["recognition_counts"]["returned"] >= 1 and employer.tasks[0].title.startswith("补正")
    assert employer.extra["quotas"]  # its 自主认定 quota, used and left
    talent = home_for(user=User.objects.get(username="talent"))
    assert talent.tasks and talent.extra["money"].active and talent.extra["money"].paid_total > 0
    leader = home_for(user=User.objects.get(username="leader"))
    assert leader.extra["budget"].amount > 0 and leader.extra["overview"]["recognised"] > 0
    assert leader.extra["matches"]["eligible"] > 0
    assert counts("auditor")["audit-all"] > 0
    assert home_for(user=User.objects.get(username="admin")).tasks
    assert counts("finance")["fulfilment"] >= 1 and counts("housing_staff")["fulfilment"] >= 1
    from rencai.programmes.tests.test_demo import check_programmes_demo

    check_programmes_demo(client)  # 项目申报: every step of a programme, work for each account


def snapshot():
    from rencai.programmes.models import Application as ProgrammeApplication
    from rencai.recognition.models import Application
    from rencai.reviews.models import Assignment

    applications = sorted(Application.objects.values_list("talent__id_number_hash", "status", "way", "category",
                                                          "created_by__username"))
    programmes = sorted(ProgrammeApplication.objects.values_list("talent__id_number_hash", "organization__uscc",
                                                                 "status", "call__policy", "call__year"))
    hashes = {("recognition.application", pk): h for pk, h in Application.objects.values_list(
        "pk", "talent__id_number_hash")}
    hashes |= {("programmes.application", pk): f"{h}·{uscc}" for pk, h, uscc in ProgrammeApplication.objects
               .values_list("pk", "talent__id_number_hash", "organization__uscc")}
    assignments = sorted((hashes[kind, pk], expert, total) for kind, pk, expert, total in Assignment.objects
                         .values_list("panel__kind", "panel__object_id", "expert__user__username", "total"))
    employer = User.objects.get(username="employer").organization.uscc
    return applications, programmes, assignments, employer


def test_the_same_seed_gives_the_same_work(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", size=300, seed=5, stdout=io.StringIO())
    first = snapshot()
    call_command("demo", size=300, seed=5, reset=True, stdout=io.StringIO())
    assert snapshot() == first
