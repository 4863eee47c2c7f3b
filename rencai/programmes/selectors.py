"""Reads of 项目申报: who sees which application (scoped through the talent's, or the organization's, current
record), calls open to apply for, an applicant's and an employer's lists, a programme's figures per year."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes, talent_scope_q
from rencai.core.errors import NotFound
from rencai.reviews import selectors as reviews

from .enums import AwardStatus, ReportStatus, StageStatus, Status
from .models import Application, Award, Call, GrantStage, Report, TeamMember
from .review import KIND


def today() -> dt.date:
    return timezone.localdate()


def application_scope_q(user: User) -> Q:
    """Which applications the user sees: government users those of talents (or, for a unit's own application,
    units) in their jurisdiction now; an employer its own and its employees'; a talent their own and the teams
    they are a member of; an expert what is assigned to them."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_administrator:
        return Q()
    if user.role in (Role.STAFF, Role.LEADER):
        codes = jurisdiction_codes(user)
        return Q(talent__district_id__in=codes) | Q(talent__isnull=True, organization__district_id__in=codes)
    if user.role == Role.EMPLOYER:
        return Q(organization_id=user.organization_id) | talent_scope_q(user, prefix="talent__")
    if user.role == Role.TALENT:
        member = TeamMember.objects.filter(application=OuterRef("pk"), talent__user=user)
        return Q(talent__user=user) | Q(Exists(member))
    if user.role == Role.EXPERT:
        return Q(pk__in=reviews.assigned_item_ids(user=user, kind=KIND))
    return Q(pk__in=[])


def applications_visible(user: User) -> QuerySet[Application]:
    return Application.objects.filter(application_scope_q(user))


def application_get(*, user: User, application_id) -> Application:
    from rencai.core.parsing import optional_int

    application = (applications_visible(user).filter(pk=optional_int(application_id) or 0)
                   .select_related("call", "talent", "organization", "tier", "applicant").first())
    if application is None:
        raise NotFound("未找到该项目申报，或您无权查看")
    return application


def is_applicant(user: User, application: Application) -> bool:
    """The one who acts for the application: the person or team lead themself, or the applying unit's staff."""
    if not user.is_authenticated:
        return False
    if application.subject == "organization":
        return user.role == Role.EMPLOYER and user.organization_id == application.organization_id
    return user.role == Role.TALENT and application.talent is not None and application.talent.user_id == user.pk


def calls_open(on: dt.date | None = None, subject: str | None = None) -> QuerySet[Call]:
    on = on or today()
    calls = Call.objects.filter(published=True, opens_on__lte=on, closes_on__gte=on).prefetch_related("tiers")
    return calls.filter(subject=subject) if subject else calls


def calls_all(user: User) -> QuerySet[Call]:
    calls = Call.objects.prefetch_related("tiers")
    return calls if user.is_authenticated and (user.is_government or user.is_administrator) \
        else calls.filter(published=True)


def call_get(*, user: User, call_id) -> Call:
    from rencai.core.parsing import optional_int

    call = calls_all(user).filter(pk=optional_int(call_id) or 0).first()
    if call is None:
        raise NotFound("未找到该申报通知")
    return call


def call_applications(*, user: User, call: Call) -> QuerySet[Application]:
    return (applications_visible(user).filter(call=call)
            .select_related("talent", "organization", "tier", "call").order_by("rank", "id"))


def invitations_of(user: User) -> QuerySet[TeamMember]:
    """A talent's team invitations waiting for their answer."""
    return (TeamMember.objects.filter(talent__user=user, status="invited",
                                      application__status__in=(Status.DRAFT, Status.RETURNED))
            .select_related("application__call", "application__talent"))


def endorsements_waiting(user: User) -> QuerySet[Application]:
    """An employer's employees' applications to calls that require its endorsement, not endorsed yet."""
    if user.role != Role.EMPLOYER:
        return Application.objects.none()
    return (Application.objects.filter(organization_id=user.organization_id, call__endorsement_required=True,
                                       endorsed_at__isnull=True, subject__in=("person", "team"),
                                       status__in=(Status.DRAFT, Status.RETURNED, Status.SUBMITTED))
            .select_related("call", "talent"))


def missing_materials(application: Application) -> list[str]:
    """The kinds of material the call asks for that the application does not hold yet."""
    return [kind for kind in application.call.materials if kind not in (application.documents or {})]


@dataclass(frozen=True)
class YearFigures:
    year: int
    applied: int
    shortlisted: int
    awarded_count: int
    awarded_fen: int
    paid_fen: int
    accepted: int

    @property
    def awarded(self):
        from rencai.payments.models import fen_to_yuan

        return fen_to_yuan(self.awarded_fen)

    @property
    def paid(self):
        from rencai.payments.models import fen_to_yuan

        return fen_to_yuan(self.paid_fen)


def programme_figures(*, user: User, policy: str) -> list[YearFigures]:
    """Per year of the programme's calls, within the user's jurisdiction: applied (submitted), shortlisted
    (ranked), awarded (granted), the money awarded and paid, accepted (final acceptance passed)."""
    from rencai.payments.models import Payment, PaymentStatus

    apps = applications_visible(user).filter(call__policy=policy).exclude(status__in=(Status.DRAFT,
                                                                                      Status.WITHDRAWN))
    rows = (apps.values("call__year").order_by("call__year")
            .annotate(applied=Count("pk"),
                      shortlisted=Count("pk", filter=Q(rank__isnull=False)),
                      awarded=Count("pk", filter=Q(award__status__in=(AwardStatus.GRANTED, AwardStatus.FINISHED,
                                                                      AwardStatus.STOPPED))),
                      awarded_fen=Sum("award__amount_fen", filter=Q(award__status__in=(
                          AwardStatus.GRANTED, AwardStatus.FINISHED, AwardStatus.STOPPED))),
                      accepted=Count("pk", filter=Q(award__status=AwardStatus.FINISHED))))
    stages = GrantStage.objects.filter(award__application__in=apps, status=StageStatus.SCHEDULED)
    references = {s.reference: s.award.application.call.year for s in stages.select_related(
        "award__application__call")}
    paid: dict[int, int] = {}
    if references:
        for reference, fen in (Payment.objects.filter(status=PaymentStatus.PAID,
                                                      entitlement__grant_reference__in=list(references))
                               .values_list("entitlement__grant_reference", "amount_fen")):
            paid[references[reference]] = paid.get(references[reference], 0) + fen
    return [YearFigures(r["call__year"], r["applied"], r["shortlisted"], r["awarded"], r["awarded_fen"] or 0,
                        paid.get(r["call__year"], 0), r["accepted"]) for r in rows]


def awards_of_call(call: Call) -> QuerySet[Award]:
    return (Award.objects.filter(call=call).exclude(status=AwardStatus.WITHDRAWN)
            .select_related("application__talent", "application__organization", "tier"))


def reports_due(user: User) -> QuerySet[Report]:
    """Reports the user's grants owe (the grantee's to-do)."""
    return (Report.objects.filter(award__application__in=applications_visible(user),
                                  status__in=(ReportStatus.DUE, ReportStatus.CHANGES),
                                  award__status=AwardStatus.GRANTED)
            .select_related("award__application__call"))


def reports_to_check(user: User) -> QuerySet[Report]:
    return (Report.objects.filter(award__application__in=applications_visible(user),
                                  status=ReportStatus.SUBMITTED)
            .select_related("award__application__call", "award__application__talent",
                            "award__application__organization"))


def awards_of_call_for(user: User) -> QuerySet[Award]:
    """The awards of the applications the user sees."""
    return (Award.objects.filter(application__in=applications_visible(user))
            .select_related("application__call", "application__talent", "application__organization", "tier"))


def money_received(*, organization) -> dict:
    """What the unit's grants have paid (to the unit's account, or to its people's for their grants) and what is
    scheduled, in fen."""
    from rencai.payments.models import Payment, PaymentStatus

    stages = list(GrantStage.objects.filter(award__application__organization=organization,
                                            status=StageStatus.SCHEDULED).select_related("award"))
    paid = (Payment.objects.filter(entitlement__grant_reference__in=[s.reference for s in stages],
                                   status=PaymentStatus.PAID).aggregate(s=Sum("amount_fen"))["s"] or 0)
    scheduled = sum(s.amount_fen for s in stages)
    from rencai.payments.models import fen_to_yuan

    return {"paid": fen_to_yuan(paid), "scheduled": fen_to_yuan(scheduled)}


def home_counts(user: User) -> dict[str, int]:
    """What waits for the user in 项目申报, in one query (the home page): government staff — applications to check
    (形式审查) and milestone reports to decide; a talent — team invitations to answer and the reports their grants
    owe; an employer — endorsements asked of it and the reports its own grants owe."""
    invited = (Status.DRAFT, Status.RETURNED)
    owed = Q(award__status=AwardStatus.GRANTED, award__reports__status__in=(ReportStatus.DUE, ReportStatus.CHANGES))
    if user.role == Role.STAFF or user.is_administrator:
        return applications_visible(user).aggregate(
            to_check=Count("pk", filter=Q(status=Status.SUBMITTED), distinct=True),
            reports=Count("award__reports", filter=Q(award__reports__status=ReportStatus.SUBMITTED), distinct=True))
    if user.role == Role.TALENT:
        return applications_visible(user).aggregate(
            invitations=Count("members", filter=Q(members__talent__user=user, members__status="invited",
                                                  status__in=invited), distinct=True),
            reports=Count("award__reports", filter=owed & Q(talent__user=user) & ~Q(subject="organization"),
                          distinct=True))
    if user.role == Role.EMPLOYER:
        return Application.objects.filter(organization_id=user.organization_id).aggregate(
            endorsements=Count("pk", filter=Q(call__endorsement_required=True, endorsed_at__isnull=True,
                                              subject__in=("person", "team"),
                                              status__in=(*invited, Status.SUBMITTED)), distinct=True),
            reports=Count("award__reports", filter=owed & Q(subject="organization"), distinct=True))
    return {}


def applications_to_check(user: User, *, limit: int = 200) -> list[Application]:
    """The formal checks waiting in the user's jurisdiction (submitted, oldest first), and the applications in
    review without a panel yet: a district officer's programme queue."""
    from rencai.reviews.models import Panel

    no_panel = ~Exists(Panel.objects.filter(kind=KIND, object_id=OuterRef("pk")))
    return list(applications_visible(user).filter(Q(status=Status.SUBMITTED) | Q(no_panel, status=Status.REVIEWING))
                .select_related("call", "talent", "organization").order_by("submitted_at", "id")[:limit])
