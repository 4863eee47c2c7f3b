import pytest
from django.core.management import call_command
from django.db.models import Count

from rencai.recognition.models import Application, EmployerAuthorization, Recognition
from rencai.reviews.models import Assignment, Expert
from rencai.talents.models import Talent

pytestmark = pytest.mark.django_db


def categories():
    return dict(Talent.objects.values_list("talent_category").annotate(n=Count("id")).values_list(
        "talent_category", "n"))


def test_demo_adds_a_queue_without_changing_the_published_counts(capsys):
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.demo.recognition import recognition_demo_load

    demo_load(seed=3, size=400)
    demo_accounts_create()
    before = categories()
    rows = recognition_demo_load()
    assert [r[0] for r in rows] == ["expert1", "expert2", "expert3", "expert4", "expert5"]
    assert categories() == before
    assert not Recognition.objects.exists()
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {"in_review", "submitted", "returned"}
    # the employer's applications wait in 和平区 (its district officer's queue)
    employer = Application.objects.filter(created_by__username="employer")
    assert employer.filter(status="submitted").exists()
    assert set(employer.values_list("talent__district_id", flat=True)) == {"210102"}
    half = [a for a in employer.filter(status="in_review")
            if Assignment.objects.filter(panel__object_id=a.pk, scored_at__isnull=False).count() == 2]
    assert half
    # expert5 works at the employer: never on its applications' panels (回避); every expert has a score to give
    assert not Assignment.objects.filter(panel__object_id__in=employer.values("pk"),
                                         expert__user__username="expert5").exists()
    unscored = set(Assignment.objects.filter(scored_at__isnull=True)
                   .values_list("expert__user__username", flat=True))
    assert unscored == {f"expert{i}" for i in range(1, 6)}
    assert EmployerAuthorization.objects.get().criteria.startswith("演示数据（示例）")
    count = Application.objects.count()
    recognition_demo_load()  # twice: nothing more
    assert Application.objects.count() == count and Expert.objects.count() == 5


def test_demo_command_loads_recognition_and_reset_clears_it(capsys):
    call_command("demo", size=300)
    assert "expert1" in capsys.readouterr().out
    assert Application.objects.exists()
    call_command("demo", size=300, reset=True)
    assert Expert.objects.count() == 5 and Application.objects.exists()
