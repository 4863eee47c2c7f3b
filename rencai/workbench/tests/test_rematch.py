"""After a publication, 政策找人 re-runs for the changed policies only, in the background, and the talents whose
results changed are told (issue 13): the set equals what a full run gives, the other policies' rows stay as they
were, the kept counts follow, and the next run is incremental again."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.demo.generator import demo_load
from rencai.jobs import services as job_services
from rencai.jobs.models import Job, JobStatus
from rencai.notifications.models import Notification
from rencai.policies import matching
from rencai.policies.matching import SetChanged, match_policies, match_run, policy_scope
from rencai.policies.models import MatchRun, PolicyMatch
from rencai.policies.published import shipped_texts
from rencai.policies.tests.test_counts import _actual, _kept
from rencai.talents.models import Talent
from rencai.workbench import services

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2024, 6, 1)
FILE = "sy-living-subsidy-graduate.yaml"
POLICY = "sy-living-subsidy-graduate"
GROUP = {"sy-apartment-free-rent", "sy-apartment-waiting-subsidy", "sy-rent-subsidy", POLICY,
         "sy-living-subsidy-skilled"}
VALUES = ("eligible", "monthly_fen", "one_time_fen", "total_fen")


@pytest.fixture
def rule_officer(make_user):
    user = make_user("rematch_officer", Role.STAFF, "210100", reveal=True)
    user.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    return User.objects.get(pk=user.pk)


def _rows() -> list[tuple]:
    return sorted(PolicyMatch.objects.values_list("talent_id", *matching.FIELDS[1:]))


def _values() -> dict:
    return {(t, p): v for t, p, *v in PolicyMatch.objects.values_list("talent_id", "policy", *VALUES)}


def _registry(make_user, size: int = 240, seed: int = 21, accounts: int = 40) -> MatchRun:
    """A demo registry, ``accounts`` of its talents with a platform account (doctors first: the ones the
    change reaches), last changed yesterday, and its first run."""
    demo_load(seed=seed, size=size)
    talents = list(Talent.objects.filter(user__isnull=True, highest_degree="doctor").order_by("pk")
                   .values_list("pk", flat=True)[:accounts // 2])
    talents += list(Talent.objects.filter(user__isnull=True).exclude(pk__in=talents).order_by("pk")
                    .values_list("pk", flat=True)[:accounts - len(talents)])
    for number, pk in enumerate(talents):
        Talent.objects.filter(pk=pk).update(user=make_user(f"rematch{number}", Role.TALENT))
    Talent.objects.update(updated_at=timezone.now() - dt.timedelta(days=1))
    return match_run(as_of=AS_OF)


BACHELOR = ('      - id: bachelor\n        when: degree == "bachelor"\n        value: 600\n'
            "        reason: 学历：本科 → 每月600元\n")


def _correct_cases(officer, doctor: int, bachelor: bool) -> None:
    """As the officer must before publishing: the shipped cases that state the old amounts replaced (the doctor's
    amount) or retired (no bachelor row)."""
    from rencai.workbench.cases import shipped_cases
    from rencai.workbench.models import RuleCase

    for case in shipped_cases()[POLICY]:
        if case.monthly == 2500 or (case.monthly == 600 and not bachelor):
            RuleCase.objects.update_or_create(policy=POLICY, name=case.name, defaults={
                "profile": case.profile, "as_of": case.as_of, "expected_status": "true",
                "expected_monthly": doctor, "active": case.monthly == 2500, "created_by": officer})


def _publish(officer, capture, doctor: int, *, bachelor: bool = True):
    text = shipped_texts()[FILE]
    assert "value: 2500" in text and BACHELOR in text
    changed = text.replace("value: 2500", f"value: {doctor}").replace("博士 → 每月2500元", f"博士 → 每月{doctor}元")
    if not bachelor:
        changed = changed.replace(BACHELOR, "")
    draft = services.revision_create(actor=officer, file=FILE, text=changed, note=f"博士{doctor}元")
    _correct_cases(officer, doctor, bachelor)
    with capture(execute=True):  # after the commit: the catalog swapped, the re-match job run (immediate backend)
        return services.revision_publish(actor=officer, revision=draft, reason="测试：调整博士生活补贴")


def test_a_publication_rematches_its_policy_only_and_tells_those_whose_results_changed(
        make_user, rule_officer, django_capture_on_commit_callbacks, monkeypatch):
    first = _registry(make_user)
    before_rows, before = _rows(), _values()
    untouched = {pk for pk, policy in PolicyMatch.objects.values_list("pk", "policy") if policy not in GROUP}
    said = []
    shown = job_services.Progress.__call__

    def recorded(self, **kwargs):
        if kwargs.get("message") and self.job.kind == "policy_rematch":
            said.append(kwargs["message"])
        return shown(self, **kwargs)

    monkeypatch.setattr(job_services.Progress, "__call__", recorded)

    _publish(rule_officer, django_capture_on_commit_callbacks, 2600)

    job = Job.objects.get(kind="policy_rematch")
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.title == "政策更新后重新匹配：高校毕业生生活补贴" and job.link == "/policies/matches/"
    assert any(m.startswith("已读取人才 240 人") for m in said) and any("已保存" in m for m in said)
    assert any("结果有变化的人才" in m for m in said)  # only they were compared (the set's catalog is known)
    assert said[-1] == job.message and job.message.startswith("重新匹配完成")
    run = MatchRun.objects.get()
    assert run.pk == first.pk and run.catalog_version == matching.catalog_version() != first.catalog_version
    scoped_rows, after = _rows(), _values()
    assert scoped_rows != before_rows
    # Other policies' rows are the very same rows (not rewritten).
    assert untouched <= set(PolicyMatch.objects.values_list("pk", flat=True))
    assert _kept(run) == _actual(run) and run.matches == PolicyMatch.objects.count()

    # Told: each talent with an account whose result (entitled or not, amounts) changed, once; nobody else.
    changed = {t for (t, p) in set(before) | set(after) if before.get((t, p)) != after.get((t, p))}
    assert changed and {p for (t, p) in set(before) ^ set(after)} | {
        p for (t, p) in set(before) & set(after) if before[(t, p)] != after[(t, p)]} == {POLICY}
    with_account = dict(Talent.objects.filter(user__isnull=False).values_list("pk", "user_id"))
    told = list(Notification.objects.filter(kind="policy_rematch").values_list("recipient_id", flat=True))
    assert sorted(told) == sorted(with_account[t] for t in changed if t in with_account)
    assert told and len(told) < len(with_account)  # the talents with accounts whose results stayed: not told
    notice = Notification.objects.filter(kind="policy_rematch").first()
    assert notice.link == "/me/#maybe-eligible" and "高校毕业生生活补贴" in notice.body
    assert not any(ch.isdigit() for ch in notice.title + notice.body)  # no personal numbers
    assert job.result["talents_changed"] == len(changed) and job.result["told"] == len(told)
    # The messages were written by the second job the store's transaction left, after its commit; run again
    # (a task handed out twice), it writes none twice.
    tell = Job.objects.get(kind="policy_rematch_tell")
    assert tell.status == JobStatus.SUCCEEDED and tell.result["told"] == len(told), tell.error
    Job.objects.filter(pk=tell.pk).update(status=JobStatus.QUEUED)
    assert job_services.job_run(tell.pk) == "succeeded"
    assert Notification.objects.filter(kind="policy_rematch").count() == len(told)

    # Exactly what a full run gives; and the next run is incremental again.
    incremental = match_run(as_of=AS_OF)
    assert incremental.mode == MatchRun.Mode.INCREMENTAL and incremental.reevaluated == 0
    full = match_run(as_of=AS_OF, full=True)
    assert _rows() == scoped_rows
    assert _kept(full) == _actual(full)


def test_a_second_publication_is_re_matched_too_and_a_catalog_that_cannot_be_rebuilt_keeps_its_mark(
        make_user, rule_officer, django_capture_on_commit_callbacks, monkeypatch):
    _registry(make_user, size=150, seed=22, accounts=10)
    _publish(rule_officer, django_capture_on_commit_callbacks, 2600)
    _publish(rule_officer, django_capture_on_commit_callbacks, 2700)
    jobs = list(Job.objects.filter(kind="policy_rematch").order_by("pk"))
    assert [j.status for j in jobs] == [JobStatus.SUCCEEDED] * 2
    assert jobs[1].result["policies"] == [POLICY]  # from the catalog the set had: the second change only
    scoped = _rows()
    assert any(r[1] == POLICY and r[4] == 270000 for r in scoped)
    assert match_run(as_of=AS_OF).mode == MatchRun.Mode.INCREMENTAL
    assert _rows() == scoped
    match_run(as_of=AS_OF, full=True)
    assert _rows() == scoped
    # Rows that go (bachelors no longer listed), then come back: each time what a full run gives, counts kept.
    for bachelor in (False, True):
        bachelors = PolicyMatch.objects.filter(policy=POLICY, decided_by__endswith=":bachelor").count()
        _publish(rule_officer, django_capture_on_commit_callbacks, 2700, bachelor=bachelor)
        assert Job.objects.filter(kind="policy_rematch").latest("pk").status == JobStatus.SUCCEEDED
        scoped, run = _rows(), MatchRun.objects.get()
        assert bool(PolicyMatch.objects.filter(policy=POLICY, decided_by__endswith=":bachelor").count()) == bachelor
        assert bachelors or bachelor  # there were bachelors to lose
        assert _kept(run) == _actual(run) and run.matches == len(scoped)
        match_run(as_of=AS_OF, full=True)
        assert _rows() == scoped

    # A set whose catalog is none that was ever in force (the shipped files changed): the published policy is
    # re-computed, but the set keeps its mark, so the next run is a full one.
    MatchRun.objects.update(catalog_version="a-catalog-of-another-release")
    _publish(rule_officer, django_capture_on_commit_callbacks, 2800)
    job = Job.objects.filter(kind="policy_rematch").latest("pk")
    assert job.status == JobStatus.SUCCEEDED and job.result["policies"] == [POLICY]
    assert MatchRun.objects.get().catalog_version == "a-catalog-of-another-release"
    assert any(r[1] == POLICY and r[4] == 280000 for r in _rows())
    assert match_run(as_of=AS_OF).mode == MatchRun.Mode.FULL


def test_a_rule_whose_decisions_do_not_change_only_moves_the_sets_catalog_mark(
        make_user, rule_officer, django_capture_on_commit_callbacks):
    first = _registry(make_user, size=80, seed=25, accounts=6)
    ids = sorted(PolicyMatch.objects.values_list("pk", flat=True))
    text = shipped_texts()[FILE] + "# 经办说明：本次只补充注释\n"
    draft = services.revision_create(actor=rule_officer, file=FILE, text=text)
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_publish(actor=rule_officer, revision=draft, reason="补充注释")
    # No policy changed: the publication's re-match only moves the mark.
    job = Job.objects.get(kind="policy_rematch")
    assert job.status == JobStatus.SUCCEEDED and job.result["policies"] == [] and job.result["talents_changed"] == 0
    run = MatchRun.objects.get()
    assert run.catalog_version == matching.catalog_version() != first.catalog_version
    assert sorted(PolicyMatch.objects.values_list("pk", flat=True)) == ids
    assert not Notification.objects.filter(kind="policy_rematch").exists()
    assert match_run(as_of=AS_OF).mode == MatchRun.Mode.INCREMENTAL


def test_the_scope_takes_the_exclusive_group_and_a_replaced_set_is_refused():
    stored, evaluated = policy_scope([POLICY])
    assert set(stored) == set(evaluated) == GROUP
    assert policy_scope(["sy-talent-recognition", "gone-policy"])[0] == ["gone-policy", "sy-talent-recognition"]
    demo_load(seed=23, size=60)
    run = match_run(as_of=AS_OF)
    with pytest.raises(SetChanged):
        match_policies(policies=[POLICY], as_of=AS_OF, expect_version="another")
    # No set of that day: a full run.
    other = match_policies(policies=[POLICY], as_of=AS_OF + dt.timedelta(days=1))
    assert other.as_of == AS_OF + dt.timedelta(days=1) and other.mode == MatchRun.Mode.FULL
    assert other.talents == 60 and not MatchRun.objects.filter(pk=run.pk).exclude(pk=other.pk).exists()


def test_the_matches_page_shows_a_re_match_under_way(client, city_staff, rule_officer):
    demo_load(seed=24, size=30)
    match_run(as_of=AS_OF)
    job = Job.objects.create(kind="policy_rematch", title="政策更新后重新匹配：高校毕业生生活补贴",
                             status=JobStatus.RUNNING, message="已读取人才 30 人（0.1 秒）", link="/policies/matches/",
                             created_by=rule_officer)
    client.force_login(city_staff)
    html = client.get("/policies/matches/").content.decode()
    assert f'id="job-{job.pk}"' in html and "政策更新后重新匹配：高校毕业生生活补贴" in html
    assert "已读取人才 30 人" in html
    assert client.get(f"/jobs/{job.pk}/progress/", headers={"HX-Request": "true"}).status_code == 200  # polled
    Job.objects.filter(pk=job.pk).update(status=JobStatus.SUCCEEDED)
    assert f'id="job-{job.pk}"' not in client.get("/policies/matches/").content.decode()
