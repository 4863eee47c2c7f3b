import pytest
from django.core.management import call_command
from django.db.models import Count

from rencai.recognition.models import Application, EmployerAuthorization, Expert, Recognition, ReviewAssignment
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
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["in_review", "submitted", "submitted"]
    review = Application.objects.get(status="in_review")
    assert ReviewAssignment.objects.filter(application=review, scored_at__isnull=False).count() == 2
    assert not ReviewAssignment.objects.filter(application=review, expert__user__username="expert5").exists()
    assert EmployerAuthorization.objects.get().criteria.startswith("演示数据（示例）")
    recognition_demo_load()  # twice: nothing more
    assert Application.objects.count() == 3 and Expert.objects.count() == 5


def test_demo_command_loads_recognition_and_reset_clears_it(capsys):
    call_command("demo", size=300)
    assert "expert1" in capsys.readouterr().out
    assert Application.objects.exists()
    call_command("demo", size=300, reset=True)
    assert Expert.objects.count() == 5 and Application.objects.exists()
