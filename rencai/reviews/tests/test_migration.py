"""The migrations that moved the expert pool and recognition's scores here keep every row: experts made under
recognition's old model are the pool's under the same ids (no table recreated), each old assignment becomes the
same id on a panel with a score per dimension and the same total, the decision then reads the same average —
and going back rebuilds the old rows as they were."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rencai.accounts.enums import Role

pytestmark = pytest.mark.django_db(transaction=True)
# Migrating back and forth across every app that depends on it costs half a minute a run and grows with each
# migration added; this data migration ran on deployments' PostgreSQL, so it is tested there (.ci/run's second run).
on_postgresql_only = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="数据迁移测试在 PostgreSQL 上运行（.ci/run 的第二轮）")
BEFORE = [("recognition", "0006_standard_review_days")]
DIMENSIONS = ("professional", "potential", "experience", "contribution", "remuneration")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return MigrationExecutor(connection).loader.project_state(target[0]).apps if target != "leaf" else None


def _leaf():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@on_postgresql_only
def test_experts_and_scores_survive_the_move(make_user, make_talent, heping_staff):
    from rencai.recognition import services as recognition
    from rencai.recognition.tests.conftest import attach_all, create

    applicant = make_user("mig-talent", Role.TALENT)
    talent = make_talent(name="迁移测试")
    talent.user = applicant
    talent.save(update_fields=["user"])
    application = create(applicant, way="review", category="C")
    attach_all(applicant, application)
    recognition.application_submit(actor=applicant, application_id=application.pk)
    recognition.application_accept(actor=heping_staff, application_id=application.pk)
    users = [make_user(f"mig-e{i}", Role.EXPERT) for i in range(3)]
    scores = [(18, 17, 16, 17, 16), (16, 16, 16, 16, 16), (15, 15, 16, 16, 17)]  # totals 84, 80, 79
    try:
        old = _migrate(BEFORE)
        OldExpert = old.get_model("recognition", "Expert")
        OldAssignment = old.get_model("recognition", "ReviewAssignment")
        experts = [OldExpert.objects.create(user_id=u.pk, name=f"旧专家{i}", specialty="智能制造")
                   for i, u in enumerate(users)]
        rows = []
        for expert, values in zip(experts, scores, strict=True):
            rows.append(OldAssignment.objects.create(
                application_id=application.pk, expert_id=expert.pk, assigned_by_id=heping_staff.pk,
                total=sum(values), comment="同意", scored_at="2026-11-30T10:00:00+08:00",
                **dict(zip(DIMENSIONS, values, strict=True))))
        _leaf()

        from rencai.recognition import selectors
        from rencai.reviews.models import Assignment, Expert, Panel

        moved = {e.pk: e for e in Expert.objects.filter(pk__in=[e.pk for e in experts])}
        assert sorted(moved) == sorted(e.pk for e in experts)
        assert {e.user_id for e in moved.values()} == {u.pk for u in users}
        assert all([s.name for s in e.specialties.all()] == ["智能制造"] for e in moved.values())
        panel = Panel.objects.get(kind="recognition.application", object_id=application.pk)
        assert panel.formed_by == heping_staff and panel.review_days == application.standard.review_days
        assignments = {a.pk: a for a in Assignment.objects.filter(panel=panel)}
        assert sorted(assignments) == sorted(r.pk for r in rows)  # the same ids: the experts' links still work
        for row, values in zip(rows, scores, strict=True):
            assignment = assignments[row.pk]
            assert (assignment.expert_id, assignment.total, assignment.comment) == (row.expert_id, sum(values), "同意")
            given = dict(assignment.scores.values_list("criterion__code", "value"))
            assert given == dict(zip(DIMENSIONS, values, strict=True))
        application.refresh_from_db()
        outcome = selectors.review_outcome(application)
        assert (outcome.experts, outcome.average, outcome.category) == (3, 81, "C")  # (84 + 80 + 79) / 3 = 81.00
        # a new panel after the move takes the next id, not one of the copied ones
        assert Assignment.objects.order_by("-pk").first().pk == max(r.pk for r in rows)

        old = _migrate(BEFORE)  # and back: the old rows as they were
        OldAssignment = old.get_model("recognition", "ReviewAssignment")
        back = {r.pk: r for r in OldAssignment.objects.filter(application_id=application.pk)}
        assert sorted(back) == sorted(r.pk for r in rows)
        for row in rows:
            assert ([getattr(back[row.pk], d) for d in DIMENSIONS], back[row.pk].total, back[row.pk].assigned_at) == (
                [getattr(row, d) for d in DIMENSIONS], row.total, row.assigned_at)
    finally:
        _leaf()
