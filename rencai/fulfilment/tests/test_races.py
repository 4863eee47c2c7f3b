"""50 final approvals against one budget line at the same time, each thread its own database connection (on
PostgreSQL: `DATABASE_URL=postgres://… pytest`; SQLite queues them): the line is never exceeded, no
application is approved twice, and every refusal says why. Identical submits at the same instant: one
application, exactly one 201."""

import pytest
from django.db.models import Count
from django.utils import timezone

from rencai.core.errors import AppError
from rencai.core.tests.races import assert_success_or_conflict, clients_for, race
from rencai.fulfilment import services
from rencai.fulfilment.enums import Action, Status
from rencai.fulfilment.models import Application, ApplicationEvent, ApplicationStep, ExclusiveGrant
from rencai.payments.models import BudgetLine, Entitlement

from .conftest import POLICY, put_on_file

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 50
APPLICATIONS = 40  # the first ten are approved twice at once
AFFORDABLE = 20


def at_last_step(template: Application, n: int) -> list[Application]:
    """``n`` copies of a submitted application, each for its own talent, waiting at the finance step."""
    from rencai.payments.tests.factories import clone_talents

    talents = clone_talents(template.talent, n)
    copies = Application.objects.bulk_create([
        Application(talent=t, policy=POLICY, policy_title=template.policy_title, applicant=template.applicant,
                    snapshot=template.snapshot, monthly_fen=template.monthly_fen, months=template.months,
                    total_fen=template.total_fen, exclusive_group=template.exclusive_group,
                    submitted_at=timezone.now()) for t in talents])
    today = timezone.localdate()
    steps = ApplicationStep.objects.bulk_create([
        ApplicationStep(application=a, round=1, position=1, key="finance_payment", title="市财政局拨付",
                        department="财政局", level="city", statutory_days=15, promised_days=5, started_on=today,
                        promised_due=today, statutory_due=today) for a in copies])
    for application, step in zip(copies, steps, strict=True):
        application.current_step = step
    Application.objects.bulk_update(copies, ["current_step"])
    return copies


def test_fifty_concurrent_approvals_never_exceed_the_budget_line(submitted, finance_staff, budget):
    template = submitted()
    per_approval = services._budget_amount(template, timezone.localdate().replace(day=1))
    budget(yuan=str(per_approval * AFFORDABLE))
    template.delete()
    applications = at_last_step(Application(talent=template.talent, policy_title=template.policy_title,
                                            applicant=template.applicant, snapshot=template.snapshot,
                                            monthly_fen=template.monthly_fen, months=template.months,
                                            total_fen=template.total_fen,
                                            exclusive_group=template.exclusive_group), APPLICATIONS)
    targets = [applications[i % APPLICATIONS].pk for i in range(THREADS)]

    def approve(_client, i):
        try:
            services.application_approve(actor=finance_staff, application_id=targets[i], reason="拨付")
            return "ok"
        except AppError as error:
            return error

    answers = race(approve, [None] * THREADS)
    assert all(a == "ok" or isinstance(a, AppError) for a in answers), answers
    refused = [a for a in answers if isinstance(a, AppError)]
    assert all(a.status == 409 and a.message for a in refused), [a.message for a in refused]
    assert any("预算额度不足" in a.message for a in refused)

    line = BudgetLine.objects.get(policy=POLICY)
    assert line.committed_fen <= line.amount_fen
    approved = Application.objects.filter(status=Status.APPROVED)
    assert approved.count() == AFFORDABLE
    assert line.committed_fen == AFFORDABLE * int(per_approval * 100)
    # No application approved twice: one approval event, one grant, one entitlement each.
    twice = (ApplicationEvent.objects.filter(action=Action.APPROVE).values("application")
             .annotate(n=Count("pk")).filter(n__gt=1))
    assert not twice.exists()
    assert Entitlement.objects.count() == AFFORDABLE == ExclusiveGrant.objects.count()
    assert set(Entitlement.objects.values_list("application_ref", flat=True)) == set(
        approved.values_list("pk", flat=True))
    # The refused ones are still waiting at the finance step, with nothing committed for them.
    waiting = Application.objects.filter(status=Status.REVIEWING)
    assert waiting.count() == APPLICATIONS - AFFORDABLE
    assert all(a.current_step.key == "finance_payment" for a in waiting)


SUBMITS = 10


def test_identical_submits_at_the_same_instant_answer_one_201_and_the_rest_200(talent_user, talent):
    """The same form sent ten times at once through the API: one application, one submission on its timeline,
    and exactly one answer says it was created (201); the others get the same application with 200."""
    put_on_file(talent_user, talent)

    def submit(client, _i):
        return client.post("/api/fulfilment/applications", {"policy": POLICY, "note": "同时提交"},
                           content_type="application/json")

    answers = race(submit, clients_for(talent_user, SUBMITS))
    counts = assert_success_or_conflict(answers, success=(200, 201))
    application = Application.objects.get()
    assert counts == {201: 1, 200: SUBMITS - 1}, counts
    assert {answer.json()["id"] for answer in answers} == {application.pk}
    assert ApplicationEvent.objects.filter(application=application, action=Action.SUBMIT).count() == 1
    assert ApplicationStep.objects.filter(application=application).count() == 3


def test_identical_resubmits_at_the_same_instant_open_one_new_round(talent_user, talent):
    """After a withdrawal, the same form sent at once: one new round of steps, exactly one 201."""
    put_on_file(talent_user, talent)
    application, _created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=POLICY)
    services.application_withdraw(actor=talent_user, application_id=application.pk)

    def submit(client, _i):
        return client.post("/api/fulfilment/applications", {"policy": POLICY}, content_type="application/json")

    answers = race(submit, clients_for(talent_user, SUBMITS))
    counts = assert_success_or_conflict(answers, success=(200, 201))
    assert counts == {201: 1, 200: SUBMITS - 1}, counts
    application.refresh_from_db()
    assert application.status == Status.REVIEWING
    assert ApplicationEvent.objects.filter(application=application, action=Action.RESUBMIT).count() == 1
    assert set(application.steps.values_list("round", flat=True)) == {1, 2}
