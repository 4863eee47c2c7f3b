"""项目申报 demo data (`rencai demo`), made through the services as people would make it, deterministic for the
registry it runs on (talents chosen by id) and the day it runs.

- An open call for every programme of the catalog in force today whose jurisdiction covers the demo city
  (沈阳, 210100: the city's own and 辽宁's), with its budget line — except a loan (创业担保贷款): it is granted by a
  bank against a guarantee, not chosen competitively from a ranking, so there is nothing to call for.
- Last year's call of 产业急需紧缺人才奖励 (person), closed and reviewed (panels of three, one outlier flagged),
  its ranking fixed and its awards approved by the leader: two on 公示, one granted with its first stage paid
  through this month's run, batch and returned file, one granted with its final acceptance waiting for staff,
  one not chosen.
- On the open calls: the demo talent's draft and its invitation to a team; the demo employer (made a 重点企业 of a
  主导产业 with a 博士后科研工作站) declaring two of its employees, one submitted and one returned for correction;
  a team with one member confirmed and the demo talent still invited; applications submitted (和平区 and 浑南区),
  in review with expert1 and expert2 still to score, rejected at the formal check, withdrawn; a startup team
  submitted.

The applicants are talents of the registry; those who act for themselves get an account without a password
(``xm_applicant…``: they are not demo logins)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.talents.models import Talent

from . import services
from .enums import Status
from .models import Application, ApplicationEvent, Award, Call, GrantStage, Report, TeamMember, Tier

CITY = "210100"  # the demo registry's city (沈阳)
HEPING, HUNNAN = "210102", "210112"
PERSON = "sy-urgent-talent-reward"
ORGANIZATION = "sy-urgent-talent-employer"
INNOVATION_TEAM = "ln-xingliao-innovation-team-grant"
STARTUP_TEAM = "ln-xingliao-startup-team-reward"
# Not a competitive programme: a guaranteed loan (创业担保贷款及财政贴息) is lent by a bank to whoever qualifies and
# the interest subsidised; no call, review or ranking chooses among applicants.
NOT_CALLED = {"ln-startup-guaranteed-loan"}
APPLICANT_PREFIX = "xm_applicant"
EXAMPLE = "（演示数据）"

# 004: "择优给予6万元、9万元、15万元、30万元奖励" — the amounts are the document's; places are the call's choice.
URGENT_TIERS = [("30万元档", 5, 6, "300000", "tier_30"), ("15万元档", 10, 12, "150000", "tier_15"),
                ("9万元档", 20, 24, "90000", "tier_9"), ("6万元档", 30, 36, "60000", "tier_6")]
URGENT_BODY = ("文件规定：对全市主导产业和新兴产业领域重点企业按《沈阳市急需紧缺人才需求目录》引进的各类人才，择优给予"
               "6万元、9万元、15万元、30万元奖励。文件未规定名额，各档计划名额和名额上限为本通知自定。")
# 000: "最高给予500万元科研经费支持和100万元奖励" — the top tier is the document's (600万元 together); the lower
# tiers are the call's own choice, said in its body.
TIERS = {
    PERSON: (URGENT_TIERS, URGENT_BODY),
    ORGANIZATION: (URGENT_TIERS, URGENT_BODY + "奖励奖给人才本人，由所在企业申报。"),
    INNOVATION_TEAM: ([("最高档（500万元科研经费+100万元奖励）", 2, 3, "6000000", ""),
                       ("第二档", 3, 4, "3000000", ""), ("第三档", 5, 6, "1000000", "")],
                      "文件规定：按照不同层次，对引进的创新团队，最高给予500万元科研经费支持和100万元奖励，本通知最高档"
                      "合计600万元。第二档（300万元）、第三档（100万元）和各档名额为本通知自定，文件未规定。"),
    STARTUP_TEAM: ([("最高档", 2, 3, "2000000", ""), ("第二档", 3, 4, "1000000", ""), ("第三档", 5, 6, "500000", "")],
                   "文件规定：对引进的创业团队，最高给予200万元奖励。第二档（100万元）、第三档（50万元）和各档名额为"
                   "本通知自定，文件未规定。"),
}
# Each expert's share of every criterion's maximum, per applicant of last year's call (by rank to be): the last
# panel has an outlier (the third expert far below the others: flagged beside the result, never dropped).
LAST_YEAR_SCORES = [(0.93, 0.9, 0.88), (0.86, 0.85, 0.84), (0.8, 0.83, 0.78), (0.75, 0.74, 0.72),
                    (0.7, 0.68, 0.3)]


@dataclass(frozen=True)
class Actors:
    city: User
    heping: User
    hunnan: User
    leader: User
    finance: User | None
    employer: User | None
    talent: User | None
    experts: dict[str, int]  # username → Expert id


def programmes_in_force(on: dt.date, city: str = CITY) -> list:
    """The catalog's programmes in force ``on`` whose jurisdiction covers ``city`` (the city's own, or its
    province's), by id."""
    from rencai.policies.calculator import default_catalog

    covering = (city, city[:2] + "0000")
    return sorted((p for p in default_catalog().policies.values()
                   if p.kind == "program" and p.jurisdiction in covering
                   and (p.in_force_from is None or p.in_force_from <= on)
                   and (p.in_force_until is None or on <= p.in_force_until)), key=lambda p: p.id)


def _call(actor: User, policy_id: str, *, year: int, opens_on: dt.date, closes_on: dt.date, budget_year: int,
          tiers=None, body: str = "") -> Call:
    from rencai.policies.calculator import default_catalog

    rows, text = TIERS.get(policy_id, ([("一档", 5, 6, "100000", "")], ""))
    rows = tiers or rows
    subject = default_catalog().policies[policy_id].subject or "person"
    team = subject == "team"
    data = services.CallInput(
        policy=policy_id, year=year, opens_on=opens_on, closes_on=closes_on, budget_year=budget_year,
        money=str(sum(Decimal(amount) * places for _label, places, _most, amount, _value in rows)),
        tiers=[services.TierInput(label=label, places=places, places_max=most, amount=amount, value=value)
               for label, places, most, amount, value in rows],
        body=(body or text) + EXAMPLE, materials=[] if team else ["labour_contract"],
        stages=([{"trigger": "award", "percent": 100}] if subject == "organization"
                else [{"trigger": "award", "percent": 50}, {"trigger": "final", "percent": 50}]),
        payee="employer" if team else "talent", midterm_months=12 if team else None,
        final_months=36 if team else 12)
    return services.call_create(actor=actor, data=data, publish=True)


def _account(talent: Talent, n: int) -> Talent:
    """An account (no password: not a demo login) for a talent who applies or confirms for themself."""
    if talent.user_id is None:
        user = User(username=f"{APPLICANT_PREFIX}{n:02d}", role=Role.TALENT, display_name=talent.name)
        user.set_unusable_password()
        user.save()
        Talent.objects.filter(pk=talent.pk).update(user=user)
    return Talent.objects.select_related("user").get(pk=talent.pk)


class _People:
    """Talents of the registry chosen in id order, each once, whom the engine finds eligible for 急需紧缺's own side:
    employees of enterprises (confirmed) with no account yet — of a district, preferably not the demo employer's
    (its own are its declarations), else of the district, else of the city (a small registry has few)."""

    def __init__(self, employer_org_id: int | None):
        self.used: set[int] = set()
        self.n = 0
        self.employer_org_id = employer_org_id

    def take(self, district: str, *, of_employer: bool = False) -> Talent | None:
        rows = (Talent.objects.filter(employer_type="enterprise", employment_status="confirmed", user__isnull=True,
                                      organization__isnull=False)
                .exclude(recognition_applications__isnull=False).order_by("pk"))
        if of_employer:
            tries = [rows.filter(organization_id=self.employer_org_id)]
        else:
            tries = [rows.filter(district_id=district).exclude(organization_id=self.employer_org_id),
                     rows.filter(district_id=district), rows.filter(district__parent_id=CITY)]
        for candidates in tries:
            for talent in candidates.exclude(pk__in=self.used)[:100]:
                self.used.add(talent.pk)
                if _eligible(talent):
                    return talent
        return None

    def with_account(self, district: str) -> Talent | None:
        talent = self.take(district)
        if talent is None:
            return None
        self.n += 1
        return _account(talent, self.n)


def _eligible(talent: Talent) -> bool:
    """The engine finds the talent eligible for 急需紧缺's own side (each applicant here needs it)."""
    from rencai.core.errors import AppError
    from rencai.fulfilment.services import evaluate

    try:
        return evaluate(talent, PERSON)["result"]["eligible"] is True
    except AppError:  # a record the engine cannot read is simply not a demo applicant
        return False


def _pdf_upload(title: str):
    from rencai.demo.recognition import _pdf

    return _pdf(title)


def _materials(actor: User, application: Application) -> None:
    """Upload what the call asks for and the store does not hold yet, as the applicant would."""
    from .selectors import missing_materials

    application.refresh_from_db()
    for kind in missing_materials(application):
        services.application_document_add(actor=actor, application_id=application.pk, kind=kind,
                                          upload=_pdf_upload(f"劳动合同-{application.talent.name}"
                                                             if kind == "labour_contract" else kind))


def _person_applies(talent: Talent, call: Call, title: str, *, submit: bool = True) -> Application:
    application = services.application_create(actor=talent.user, data=services.ApplicationInput(
        call_id=call.pk, project_title=title, summary=f"{title}。{EXAMPLE}"))
    _materials(talent.user, application)
    if submit:
        services.application_submit(actor=talent.user, application_id=application.pk)
    return application


def _office(actors: Actors, talent: Talent) -> User:
    return {HEPING: actors.heping, HUNNAN: actors.hunnan}.get(talent.district_id, actors.city)


def _panel(actor: User, application: Application, experts: list[int]) -> None:
    services.application_accept(actor=actor, application_id=application.pk)
    services.application_panel_form(actor=actor, application_id=application.pk, expert_ids=experts)


def _score(call: Call, application: Application, username: str, share: float) -> None:
    criteria = list(call.sheet.criteria.all())
    services.review_score_submit(actor=User.objects.get(username=username), application_id=application.pk,
                                 scores={c.code: round(c.maximum * share) for c in criteria},
                                 comment=f"演示评分{EXAMPLE}")


def _actors() -> Actors | None:
    from rencai.reviews.models import Expert

    users = {u.username: u for u in User.objects.filter(username__in=[
        "city_staff", "heping_staff", "hunnan_staff", "leader", "finance", "employer", "talent"])}
    if not all(name in users for name in ("city_staff", "heping_staff", "hunnan_staff", "leader")):
        return None
    experts = dict(Expert.objects.filter(user__username__startswith="expert").values_list("user__username", "pk"))
    return Actors(city=users["city_staff"], heping=users["heping_staff"], hunnan=users["hunnan_staff"],
                  leader=users["leader"], finance=users.get("finance"), employer=users.get("employer"),
                  talent=users.get("talent"), experts=experts)


def _employer_ready(employer: User | None) -> None:
    """The demo employer as 急需紧缺 asks for: a 重点企业 of a 主导产业, holding a 博士后科研工作站 (kept by staff in
    the admin: no service writes these)."""
    from rencai.organizations.models import Organization, Station

    if employer is None or employer.organization_id is None:
        return
    Organization.objects.filter(pk=employer.organization_id).update(key_enterprise=True, industry_field="leading")
    today = timezone.localdate()
    Station.objects.get_or_create(organization_id=employer.organization_id, kind="postdoc_workstation", defaults={
        "name": f"{employer.organization.name}博士后科研工作站", "established_on": dt.date(today.year - 2, 6, 1),
        "approval": f"人社部博士后科研工作站设站批复{EXAMPLE}"})


@transaction.atomic
def programmes_demo_load() -> int:
    """Idempotent: nothing more once the demo's calls exist. Returns the number of applications made."""
    from rencai.payments.budgets import budget_line_set

    actors = _actors()
    if actors is None or Call.objects.exists() or not Talent.objects.exists():
        return 0
    today = timezone.localdate()
    year = today.year
    _employer_ready(actors.employer)
    from rencai.opportunities.demo_shortage import shortage_demo_load

    shortage_demo_load()  # the 急需紧缺 declarations name a position of a published catalog (once; idempotent)
    employer_org = actors.employer.organization_id if actors.employer else None
    people = _People(employer_org)

    calls: dict[str, Call] = {}
    for policy in programmes_in_force(today):
        if policy.id in NOT_CALLED:
            continue
        calls[policy.id] = _call(actors.city, policy.id, year=year, opens_on=today - dt.timedelta(days=20),
                                 closes_on=today + dt.timedelta(days=40), budget_year=year)
    last = _last_year(actors, people, today) if PERSON in calls else None
    for call in calls.values():
        money = call.money + (last.money if last is not None and last.policy == call.policy else 0)
        budget_line_set(policy_id=call.policy, year=year, amount=money,
                        note=f"演示数据：{call.policy_title}{year}年度预算（示例）")
    if last is not None:
        _last_year_awards(actors, last, today)
    _open_calls(actors, people, calls)
    return Application.objects.count()


def _open_calls(actors: Actors, people: _People, calls: dict[str, Call]) -> None:
    person = calls.get(PERSON)
    if person is not None:
        if actors.talent is not None and hasattr(actors.talent, "talent"):
            services.application_create(actor=actors.talent, data=services.ApplicationInput(
                call_id=person.pk, project_title="高端装备智能检测关键技术", summary=f"填写中{EXAMPLE}"))
        plan = [(HEPING, "submitted"), (HUNNAN, "submitted"), (HEPING, "review"), (HUNNAN, "reject"),
                (HEPING, "withdraw")]
        for district, then in plan:
            talent = people.with_account(district)
            if talent is None:
                continue
            office = _office(actors, talent)
            application = _person_applies(talent, person, f"{talent.organization.name}核心岗位引进人才奖励申报")
            if then == "review":
                _panel(office, application, [actors.experts[n] for n in ("expert1", "expert2", "expert4")
                                             if n in actors.experts])
                _score(person, application, "expert4", 0.82)  # expert1 and expert2 still to score
            elif then == "reject":
                services.application_reject(actor=office, application_id=application.pk,
                                            reason="所在企业不属于全市主导产业和新兴产业领域重点企业")
            elif then == "withdraw":
                services.application_withdraw(actor=talent.user, application_id=application.pk,
                                              reason="本年度先申报其他项目")
    organization = calls.get(ORGANIZATION)
    if organization is not None and actors.employer is not None:
        from rencai.opportunities.demo_shortage import demo_declarable

        # The position of the employer's chain's published 急需紧缺人才需求目录 the talent was introduced for (none:
        # the employer's chain has no catalog, the declarations stay drafts).
        position = demo_declarable(actors.employer.organization, organization.year)
        for then in ("submitted", "returned"):
            employee = people.take("", of_employer=True)
            if employee is None:
                break
            application = services.application_create(actor=actors.employer, data=services.ApplicationInput(
                call_id=organization.pk, project_title=f"引进急需紧缺人才{employee.name}",
                summary=f"按《沈阳市急需紧缺人才需求目录》引进{EXAMPLE}", talent_id=employee.pk,
                shortage_entry_id=position.pk if position else None))
            _materials(actors.employer, application)
            if position is None:
                continue
            services.application_submit(actor=actors.employer, application_id=application.pk)
            if then == "returned":
                services.application_return(
                    actor=_office(actors, employee), application_id=application.pk,
                    problems={"documents": "劳动合同未体现核心岗位，请补充岗位说明"},
                    note="请补充该人才列入《沈阳市急需紧缺人才需求目录》岗位的证明")
    team = calls.get(INNOVATION_TEAM)
    if team is not None:
        _team(actors, people, team, "innovation", "智能制造视觉检测创新团队",
              invited=actors.talent.talent if actors.talent is not None and hasattr(actors.talent, "talent")
              else None)
    startup = calls.get(STARTUP_TEAM)
    if startup is not None:
        _team(actors, people, startup, "startup", "工业机器人柔性装配创业团队", invited=None, district=HUNNAN)


def _team(actors: Actors, people: _People, call: Call, kind: str, name: str, *, invited: Talent | None,
          district: str = HEPING) -> Application | None:
    """A team led by a talent: one member confirmed; ``invited`` (the demo talent) still to answer, else the
    team submits."""
    from rencai.core import crypto

    lead, member = people.with_account(district), people.with_account(district)
    if lead is None or member is None:
        return None
    rows = [member] + ([invited] if invited is not None else [])
    numbers = dict(Talent.objects.filter(pk__in=[t.pk for t in rows]).values_list("pk", "id_number_cipher"))
    application = services.application_create(actor=lead.user, data=services.ApplicationInput(
        call_id=call.pk, project_title=name, summary=f"{name}整建制引进{EXAMPLE}", team_name=name, team_kind=kind,
        team_introduced=True,
        members=[services.MemberInput(t.name, crypto.decrypt(numbers[t.pk]), duty="核心成员") for t in rows]))
    services.member_answer(actor=member.user, application_id=application.pk, accept=True)
    if invited is None:
        services.application_submit(actor=lead.user, application_id=application.pk)
    return application


def _last_year(actors: Actors, people: _People, today: dt.date) -> Call | None:
    """Last year's call of 产业急需紧缺人才奖励: five applicants, each reviewed by a panel of three, the ranking fixed.
    The call is made and answered while open and its dates then moved to last year (time passing), with the
    history before the ranking."""
    tiers = [("30万元档", 1, 1, "300000", "tier_30"), ("15万元档", 2, 2, "150000", "tier_15"),
             ("9万元档", 2, 3, "90000", "tier_9"), ("6万元档", 2, 3, "60000", "tier_6")]
    call = _call(actors.city, PERSON, year=today.year - 1, opens_on=today - dt.timedelta(days=1), closes_on=today,
                 budget_year=today.year, tiers=tiers)
    panels = [("expert1", "expert2", "expert3"), ("expert2", "expert3", "expert4"), ("expert1", "expert3", "expert4"),
              ("expert1", "expert2", "expert4"), ("expert2", "expert3", "expert4")]
    made = []
    # By rank to be: the third (granted, paid) in 浑南区, the fourth (its acceptance to check) in 和平区.
    districts = [HEPING, HUNNAN, HUNNAN, HEPING, HEPING]
    for shares, panel, district in zip(LAST_YEAR_SCORES, panels, districts, strict=True):
        talent = people.with_account(district)
        if talent is None or not all(n in actors.experts for n in panel):
            continue
        application = _person_applies(talent, call, f"{talent.organization.name}急需紧缺岗位人才引进")
        office = _office(actors, talent)
        _panel(office, application, [actors.experts[n] for n in panel])
        for username, share in zip(panel, shares, strict=True):
            _score(call, application, username, share)
        made.append(application)
    if not made:
        return None
    opens, closes = dt.date(today.year - 1, 9, 1), dt.date(today.year - 1, 10, 31)
    Call.objects.filter(pk=call.pk).update(opens_on=opens, closes_on=closes)
    _backdate(call, made, to=dt.datetime.combine(dt.date(today.year - 1, 10, 20), dt.time(10),
                                                 tzinfo=timezone.get_current_timezone()))
    services.ranking_finalise(actor=actors.city, call_id=call.pk)
    ranked_on = dt.datetime.combine(dt.date(today.year - 1, 12, 10), dt.time(15),
                                    tzinfo=timezone.get_current_timezone())
    Call.objects.filter(pk=call.pk).update(ranked_at=ranked_on)
    ApplicationEvent.objects.filter(application__call=call, action="rank").update(at=ranked_on)
    return Call.objects.get(pk=call.pk)


def _backdate(call: Call, applications: list[Application], *, to: dt.datetime) -> None:
    """Move the history made today (applying, the formal check, the panels and their scores) to ``to``, keeping its
    order and spacing."""
    from rencai.reviews.models import Assignment, Panel

    delta = timezone.now() - to
    ids = [a.pk for a in applications]
    for model, fields, rows in (
            (Application, ("submitted_at", "created_at"), Application.objects.filter(pk__in=ids)),
            (ApplicationEvent, ("at",), ApplicationEvent.objects.filter(application_id__in=ids)),
            (Panel, ("formed_at",), Panel.objects.filter(kind="programmes.application", object_id__in=ids)),
            (Assignment, ("assigned_at", "scored_at"),
             Assignment.objects.filter(panel__kind="programmes.application", panel__object_id__in=ids))):
        for row in rows:
            values = {f: getattr(row, f) - delta for f in fields if getattr(row, f) is not None}
            model.objects.filter(pk=row.pk).update(**values)
    Call.objects.filter(pk=call.pk).update(created_at=call.created_at - delta)


def _last_year_awards(actors: Actors, call: Call, today: dt.date) -> None:
    """Awards by rank within the tiers (the fifth not chosen), approved by the leader, on 公示; the notices of the
    third and fourth ended: granted, the first stage scheduled and paid through this month's run, the fourth's final
    acceptance submitted."""
    from rencai.fulfilment.models import PublicNotice
    from rencai.fulfilment.services import notices_close_due

    ranked = list(Application.objects.filter(call=call, status=Status.RANKED).select_related("talent__user")
                  .order_by("rank", "pk"))
    tiers = list(Tier.objects.filter(call=call).order_by("position"))
    for application, tier in zip(ranked[:4], [tiers[0], tiers[1], tiers[1], tiers[2]], strict=False):
        services.award_propose(actor=actors.city, call_id=call.pk, application_id=application.pk, tier_id=tier.pk)
    services.awards_approve(actor=actors.leader, call_id=call.pk)
    awards = list(Award.objects.filter(application__in=ranked[2:4]).order_by("application__rank", "pk"))
    PublicNotice.objects.filter(subject_kind=services.NOTICE_KIND, subject_id__in=[a.pk for a in awards]).update(
        starts_on=today - dt.timedelta(days=12), ends_on=today - dt.timedelta(days=1))
    notices_close_due()
    _pay_first_stages(actors, awards, today)
    if len(awards) > 1:
        fourth = awards[1]
        report = Report.objects.get(award=fourth, milestone="final")
        services.report_submit(actor=fourth.application.talent.user, report_id=report.pk,
                               text=f"已在核心岗位工作满一年，完成产线视觉检测系统改造两项，申请发明专利一项。{EXAMPLE}")


def _pay_first_stages(actors: Actors, awards: list[Award], today: dt.date) -> None:
    """The stages scheduled at award, paid as staff and finance pay any month: the run (this programme only: the
    graduate subsidy's month stays for staff), a batch, the bank's returned file. Lines of the batch that are not
    the programme's (failed payments retried) fail again with the bank's reason, as they are still to retry."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rencai.payments import batches
    from rencai.payments.models import BankAccount, fen_to_yuan
    from rencai.payments.run import pay_month
    from rencai.payments.services import bank_account_set

    # Paid only where the demo has its finance officer (payments' demo gives "finance" the approval; a smaller world,
    # as the page walker's, may have the account without it).
    if actors.finance is None or not actors.finance.has_perm("payments.approve_batch") or not awards:
        return
    for award in awards:
        talent = award.application.talent
        if not BankAccount.objects.filter(talent=talent).exists():
            bank_account_set(actor=actors.city, talent=talent, bank_name="盛京银行和平支行", account_name=talent.name,
                             account_number=f"62163{talent.pk:011d}")
    month = today.replace(day=1)
    pay_month(month=month, policies=[PERSON])
    batch = batches.batch_create(actor=actors.city, month=month)
    batches.batch_transition(actor=actors.finance, batch_id=batch.pk, action="approve")
    batches.bank_file(actor=actors.finance, batch_id=batch.pk)
    references = {s.reference for s in GrantStage.objects.filter(award__in=awards)}
    rows = ["reference,amount,result,reason"]
    for line in batch.lines.select_related("payment__entitlement").order_by("pk"):
        paid = line.payment.entitlement.grant_reference in references
        reason = "" if paid else (line.payment.reason or "账户已冻结")
        rows.append(f"{line.reference},{fen_to_yuan(line.amount_fen)},{'paid' if paid else 'failed'},{reason}")
    batches.batch_return_import(actor=actors.city, batch_id=batch.pk, upload=SimpleUploadedFile(
        "回盘.csv", ("\n".join(rows) + "\n").encode(), content_type="text/csv"))


@transaction.atomic
def programmes_demo_clear() -> None:
    """Remove every 项目申报 record and the applicants' accounts (before `rencai demo --reset` deletes talents).
    Their entitlements and payments go with the payments demo's."""
    from rencai.fulfilment.models import PublicNotice
    from rencai.reviews.models import Panel

    PublicNotice.objects.filter(subject_kind=services.NOTICE_KIND).delete()
    Panel.objects.filter(kind="programmes.application").delete()
    Report.objects.all().delete()
    GrantStage.objects.all().delete()
    Award.objects.all().delete()
    TeamMember.objects.all().delete()
    ApplicationEvent.objects.all().delete()
    Application.objects.all().delete()
    Tier.objects.all().delete()
    Call.objects.all().delete()
    from rencai.documents.models import Document

    for document in Document.objects.filter(uploaded_by__username__startswith=APPLICANT_PREFIX):
        document.file.delete(save=False)  # what they uploaded (as documents_demo_clear does for every document)
        document.delete()
    Talent.objects.filter(user__username__startswith=APPLICANT_PREFIX).update(user=None)
    User.objects.filter(username__startswith=APPLICANT_PREFIX).delete()
