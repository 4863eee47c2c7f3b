"""`rencai demo` gives every role of 咨询与评价 something: answered questions (some an FAQ), one waiting, ratings
with 差评 whose follow-ups are open, late, called back and resolved (and rated again), a complaint; the same again
adds nothing."""

import pytest

from rencai.feedback.enums import CaseKind, CaseStatus, DeadlineState

pytestmark = pytest.mark.django_db


def _summary():
    from rencai.feedback.models import Case, Consultation, Rating

    return (sorted(Consultation.objects.values_list("talent__name", "status", "faq_published")),
            sorted(Rating.objects.values_list("talent__name", "subject_id", "round", "grade")),
            sorted(Case.objects.values_list("kind", "status", "deadline_state", "assignee__username")))


def test_demo_has_every_state_for_every_role(settings, tmp_path):
    from rencai.accounts.models import User
    from rencai.demo.accounts import demo_accounts_create
    from rencai.demo.generator import demo_load
    from rencai.feedback import selectors
    from rencai.feedback.demo import RENT, feedback_demo_load
    from rencai.feedback.models import Case, Rating
    from rencai.fulfilment.demo import fulfilment_demo_load

    settings.MEDIA_ROOT = tmp_path
    demo_load(seed=5, size=300)
    demo_accounts_create()
    fulfilment_demo_load()
    rows = feedback_demo_load()
    assert {r[0] for r in rows} == {"heping_lead", "city_lead", "finance_lead"}
    from rencai.accounts.models import Department
    from rencai.feedback.supervisors import supervisor_for

    finance = Department.objects.get(name="沈阳市财政局")  # a 差评 about a finance step has its own supervisor
    finance_officer = User.objects.filter(department=finance).exclude(username="finance_lead").first()
    assert supervisor_for(finance, concerned=finance_officer.pk if finance_officer else None)[0].username == \
        "finance_lead"
    assert selectors.faq_for_policy(RENT).count() == 2
    talent = User.objects.get(username="talent")
    assert {c.status for c in selectors.my_consultations(user=talent)} == {"open", "answered"}
    assert any(r.may_rate for r in selectors.rateable(user=talent))  # the demo talent has an answer to rate
    follow_ups = Case.objects.filter(kind=CaseKind.FOLLOW_UP)
    assert set(follow_ups.values_list("status", flat=True)) == set(CaseStatus.values)
    assert follow_ups.filter(deadline_state=DeadlineState.CALLBACK_LATE).count() == 1
    assert Rating.objects.filter(round=2).count() == 1  # rated again after the resolution, beside the first
    assert Case.objects.filter(kind=CaseKind.COMPLAINT, talent__user=talent).exists()
    for username in ("heping_staff", "hunnan_staff"):
        assert selectors.consultation_queue(user=User.objects.get(username=username), status="all").exists()
    assert selectors.cases_queue(user=User.objects.get(username="city_lead")).exists()
    assert selectors.cases_queue(user=User.objects.get(username="heping_lead")).exists()
    assert selectors.satisfaction(user=User.objects.get(username="leader"))
    before = _summary()
    feedback_demo_load()  # run again: nothing more
    assert _summary() == before
