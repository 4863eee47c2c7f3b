"""政策兑现 demo data (`rencai demo`): a believable history up to today, deterministic for the registry it
runs on. Applications in every state (some past their deadlines), across the departments of the route
(区人社 → 市人社 / 市住房 → 市财政), a 公示 with an objection, 免申即享 offers (the graduate living subsidy,
flagged as an example), finance and housing accounts.

Applications are entered as paper applications received at the district window (窗口受理) by the district's
staff, since the demo's talents have no accounts; the demo talent account gets its own offer."""

import datetime as dt
import itertools
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.core.errors import AppError
from rencai.demo.accounts import demo_password_hash
from rencai.talents.models import Talent

from . import services
from .enums import OfferStatus, Status
from .models import Application, ApplicationEvent, ApplicationStep, Offer, PolicySetting
from .routes import policy_setting

NO_APPLICATION_EXAMPLE = "sy-living-subsidy-graduate"
NOTICE_EXAMPLE = "sy-living-subsidy-skilled"
DEMO_PASSWORD = "rencai-demo"  # noqa: S105 — the published demo password, as demo.accounts
DISTRICTS = ("210102", "210112")  # 和平区, 浑南区: the demo's district officers
# (user name, department, the person's name — the header adds the department —, what the account is for)
ACCOUNTS = [
    ("housing_staff", "沈阳市住房和城乡建设局", "周海燕", "市住房保障部门工作人员（住房类政策审核）"),
]
# The finance step (市财政局拨付) is taken by the payments demo's finance officer ("finance"), created here if
# that demo has not run.
FINANCE = ("finance", "沈阳市财政局", "孙立平", "市财政局（发放审批）")
KINDS = {"sy-rent-subsidy": ("labour_contract", "rent_contract"),
         "sy-living-subsidy-skilled": ("skill_certificate", "labour_contract")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _accounts() -> list[tuple[str, str, str]]:
    rows = []
    if not User.objects.filter(username=FINANCE[0]).exists():
        department, _ = Department.objects.get_or_create(name=FINANCE[1], region_id="210100")
        user = User.objects.create(username=FINANCE[0], role=Role.STAFF, department=department,
                                   display_name=FINANCE[2])
        user.password = demo_password_hash()
        user.save()
        rows.append((FINANCE[0], DEMO_PASSWORD, FINANCE[3]))
    for username, department_name, name, description in ACCOUNTS:
        department, _ = Department.objects.get_or_create(name=department_name, region_id="210100")
        user, _ = User.objects.update_or_create(
            username=username, defaults={"role": Role.STAFF, "department": department, "display_name": name})
        user.password = demo_password_hash()
        user.save()
        rows.append((username, DEMO_PASSWORD, description))
    return rows


def _on_file(admin: User, talent: Talent, kinds) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rencai.documents import services as documents_services

    for kind in kinds:  # named as a person would name the scan (the file name is shown on the document's page)
        upload = SimpleUploadedFile(f"{services.kind_label(kind)}.pdf",
                                    PDF + f"% demo {talent.pk} {kind}\n".encode())
        documents_services.document_upload(actor=admin, talent=talent, kind=kind, upload=upload)


def _candidates(policy: str, district: str, limit: int) -> list[Talent]:
    found = []
    likely = {"sy-rent-subsidy": {"housing_status": "renting"},
              "sy-living-subsidy-skilled": {"skill_level__gt": ""},
              NO_APPLICATION_EXAMPLE: {"highest_degree__in": ("bachelor", "master", "doctor")}}.get(policy, {})
    rows = Talent.objects.filter(district_id=district, user__isnull=True, **likely).order_by("pk")
    for talent in rows.iterator():
        if Application.objects.filter(talent=talent).exists():
            continue
        try:
            result = services.evaluate(talent, policy)["result"]
        except AppError:  # a record the engine cannot read is simply not a demo candidate
            continue
        if result["eligible"] is True:
            found.append(talent)
            if len(found) == limit:
                break
    return found


def _backdate(application: Application, days_ago: int) -> None:
    """Move an application's history back by ``days_ago`` calendar days (deadlines recomputed in working
    days from the moved start)."""
    delta = dt.timedelta(days=days_ago)
    Application.objects.filter(pk=application.pk).update(submitted_at=application.submitted_at - delta)
    for event in ApplicationEvent.objects.filter(application=application):
        ApplicationEvent.objects.filter(pk=event.pk).update(at=event.at - delta)
    for step in ApplicationStep.objects.filter(application=application, started_on__isnull=False):
        start = step.started_on - delta
        ApplicationStep.objects.filter(pk=step.pk).update(
            started_on=start, promised_due=services.add_working_days(start, step.promised_days),
            statutory_due=services.add_working_days(start, step.statutory_days),
            decided_at=step.decided_at - delta if step.decided_at else None)


@transaction.atomic
def fulfilment_demo_load() -> list[tuple[str, str, str]]:
    """Idempotent: does nothing more once the demo's applications exist (returns the accounts again)."""
    from rencai.payments.budgets import budget_line_set
    from rencai.payments.models import BudgetLine

    rows = _accounts()
    if Application.objects.exists() or not Talent.objects.exists():
        return rows
    admin = User.objects.get(username="admin")
    finance = User.objects.get(username=FINANCE[0])
    housing = User.objects.get(username="housing_staff")
    city = User.objects.filter(username="city_staff").first()
    year = timezone.localdate().year
    for policy in (NO_APPLICATION_EXAMPLE, NOTICE_EXAMPLE, "sy-rent-subsidy"):
        if not BudgetLine.objects.filter(policy=policy, year=year).exists():
            budget_line_set(policy_id=policy, year=year, amount=Decimal("30000000"), note="演示预算")
    services.policy_setting_mark(actor=admin, policy_id=NO_APPLICATION_EXAMPLE, no_application=True, example=True,
                                 note="演示示例：文件未指定免申即享政策，此处仅为演示“系统比对→精准推送→意愿确认→自动兑付”流程")
    policy_setting(NOTICE_EXAMPLE)
    PolicySetting.objects.filter(policy=NOTICE_EXAMPLE).update(
        public_notice_days=5, note="演示示例：文件未规定须公示的政策，此处为演示公示与异议流程")

    plan = itertools.cycle([
        # (policy, days ago, steps to approve, then)
        ("sy-rent-subsidy", 40, 0, "overdue"), ("sy-rent-subsidy", 2, 0, ""), ("sy-rent-subsidy", 6, 1, ""),
        ("sy-rent-subsidy", 9, 2, ""), ("sy-rent-subsidy", 30, 3, ""), ("sy-rent-subsidy", 12, 0, "reject"),
        ("sy-rent-subsidy", 4, 0, "withdraw"), (NOTICE_EXAMPLE, 3, 3, "objection"), (NOTICE_EXAMPLE, 5, 1, ""),
    ])
    for district in DISTRICTS:
        staff = User.objects.filter(role=Role.STAFF, department__region_id=district).order_by("pk").first()
        if staff is None:
            continue
        wanted = {"sy-rent-subsidy": 7, NOTICE_EXAMPLE: 2}
        pools = {p: _candidates(p, district, n) for p, n in wanted.items()}
        for policy, days_ago, approvals, then in itertools.islice(plan, 9):
            if not pools[policy]:
                continue
            talent = pools[policy].pop(0)
            _on_file(admin, talent, KINDS[policy])
            application, _created = services.application_submit(actor=staff, talent_id=talent.pk, policy_id=policy)
            route = {"sy-rent-subsidy": [staff, housing, finance], NOTICE_EXAMPLE: [staff, city, finance]}[policy]
            for actor in route[:approvals]:
                if actor is not None:
                    services.application_approve(actor=actor, application_id=application.pk, reason="材料齐全，同意")
            if then == "reject":
                services.application_reject(actor=staff, application_id=application.pk,
                                            reason="租房合同未在住建部门备案，请备案后重新申请")
            elif then == "withdraw":
                services.application_withdraw(actor=staff, application_id=application.pk,
                                              reason="申请人来电要求撤回")
            elif then == "objection":
                application.refresh_from_db()
                if application.status == Status.PUBLICIZING:
                    services.objection_file(notice_id=application.notice.pk,
                                            text="据了解该人员已离开本市工作，请核实是否仍符合条件。")
            if then != "objection":
                _backdate(Application.objects.get(pk=application.pk), days_ago)
    _offers(admin)
    return rows


def _offers(admin: User | None = None) -> None:
    """免申即享 offers for the demo talent and a few entitled talents of the demo districts — those whose every
    deciding fact the data centre has verified (as offers_generate), so none before the demo's feeds are loaded
    (datahub.demo calls this again after loading them)."""
    from rencai.datahub.provenance import all_verified, verified_groups
    from rencai.policies.calculator import default_catalog

    talents = list(Talent.objects.filter(user__username="talent"))
    for district in DISTRICTS:
        talents += _candidates(NO_APPLICATION_EXAMPLE, district, 3)
    title = default_catalog().policies[NO_APPLICATION_EXAMPLE].title
    verified = verified_groups([t.pk for t in talents], on=timezone.localdate())
    for talent in talents:
        if not all_verified(NO_APPLICATION_EXAMPLE, verified[talent.pk]):
            continue
        snapshot = services.evaluate(talent, NO_APPLICATION_EXAMPLE)
        result = snapshot["result"]
        if result["eligible"] is not True:
            continue
        amounts = services._amounts(snapshot)
        choice = snapshot.get("choice") or {}
        offer, made = Offer.objects.get_or_create(
            talent=talent, policy=NO_APPLICATION_EXAMPLE,
            defaults={"policy_title": title, "exclusive_group": amounts["exclusive_group"] if choice else "",
                      "recommended": choice.get("recommended", NO_APPLICATION_EXAMPLE) == NO_APPLICATION_EXAMPLE,
                      "monthly_fen": amounts["monthly_fen"], "total_fen": amounts["total_fen"],
                      "status": OfferStatus.PENDING})
        if made and talent.user_id:
            services.notify(recipients=[talent.user_id], kind="fulfilment_offer",
                            title=f"免申即享：您符合“{title}”", body="无需申请，确认后即可享受。",
                            link="/fulfilment/", key=f"fulfilment-offer:{offer.pk}")


def fulfilment_demo_offers() -> None:
    """The demo's 免申即享 offers, once the data centre's demo feeds have verified the talents' facts."""
    if PolicySetting.objects.filter(policy=NO_APPLICATION_EXAMPLE, no_application=True).exists():
        _offers()


def fulfilment_demo_clear() -> None:
    from .models import ExclusiveGrant, Invitation, PublicNotice

    Offer.objects.all().delete()
    Invitation.objects.all().delete()
    PublicNotice.objects.all().delete()
    ExclusiveGrant.objects.all().delete()
    Application.objects.update(current_step=None)
    Application.objects.all().delete()
