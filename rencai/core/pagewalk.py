"""The platform's pages, found from the URL configuration: every named page, and a value for every URL
argument chosen among what a given user may see. The browser page walker (core/tests/test_page_walk.py) and the
page benchmark (bench/pages.py) both walk what this finds, so a page added later is walked and timed without
anyone listing it; a page whose URL needs an argument nobody can fill fails both until a sample is added to
``samples()`` below."""

import re

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rencai.accounts.permissions import talent_scope_q

# Pages that are not HTML screens for people (downloads, POST-only actions) or not ours (the admin site,
# the API with its own tests). Everything else the URL configuration holds is walked.
SKIPPED_NAMESPACES = {"admin", "api"}
SKIPPED_NAMES = {"accounts:logout"}

def patterns(resolver: URLResolver | None = None, namespace: str = ""):
    """(view name, argument names) of every named page in the URL configuration."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", sorted(entry.pattern.regex.groupindex)


def _first(queryset):
    obj = queryset.order_by("pk").first()
    return obj.pk if obj else None


def samples(user) -> dict:
    """A value for every URL argument, chosen among what this user may see where the page is scoped."""
    from rencai.documents.selectors import documents_visible
    from rencai.jobs.models import Job
    from rencai.jobs.selectors import job_visible
    from rencai.notifications.models import Notification
    from rencai.policies.models import PolicyMatch
    from rencai.recognition.cards import card_token
    from rencai.recognition.models import Application, Attachment, Recognition
    from rencai.reviews.models import Assignment
    from rencai.talents.models import Talent

    talent_id = _first(Talent.objects.filter(talent_scope_q(user)))
    application_id = (_first(Application.objects.filter(talent__in=Talent.objects.filter(talent_scope_q(user))))
                      or _first(Application.objects.all()))
    recognition = Recognition.objects.order_by("pk").first()
    match = PolicyMatch.objects.order_by("pk").first()
    return {
        "talent_id": talent_id,
        "policy": match.policy if match else None,
        "application_id": application_id,
        "attachment_id": _first(Attachment.objects.filter(application_id=application_id)),
        "assignment_id": (_first(Assignment.objects.filter(expert__user=user))
                          or _first(Assignment.objects.all())),
        "recognition_id": recognition.pk if recognition else None,
        "token": card_token(recognition) if recognition else None,
        "key": "004",  # a source document
        "notification_id": _first(Notification.objects.filter(recipient=user)),
        "job_id": next((j.pk for j in Job.objects.order_by("pk") if job_visible(user, j)), None),
        "document_id": _first(documents_visible(user)),
        **_fulfilment_samples(user),
        **_payments_samples(user),
        **_datahub_samples(user),
        **_services_samples(user),
        **_feedback_samples(user),
        **_programmes_samples(user),
        **_analytics_samples(user),
        **_ledgers_samples(user),
        **_earlywarning_samples(user),
        **_challenges_samples(user),
        **_events_samples(user),
        **_matching_samples(user),
        **_jobs_samples(user),
        **_shortage_samples(user),
        **_workbench_samples(user, match.policy if match else None),
    }


def _workbench_samples(user, policy: str | None) -> dict:
    """政策工作台: the newest revision of any rule (officers only; others get 403), and an open point of the sample
    policy (its first; a policy without one answers 404)."""
    from rencai.policies.published import effective_catalog
    from rencai.workbench.cases import shipped_cases
    from rencai.workbench.models import RuleCase, RuleRevision

    compiled = effective_catalog().policies.get(policy) if policy else None
    points = compiled.open_points if compiled else ()
    shipped = shipped_cases().get(policy, ()) if policy else ()
    return {"revision_id": _first(RuleRevision.objects.all()), "point": points[0].id if points else "none",
            # a test case: an office's, and a shipped one of the sample policy (none: the page answers 404)
            "case_id": _first(RuleCase.objects.all()), "case_name": shipped[0].name if shipped else "none"}


def _shortage_samples(user) -> dict:
    """急需紧缺人才需求目录: a catalog the user may read (staff any, others a published one), one of its positions
    (edited by city staff only: others get 403 or 404) and the newest year with a published catalog."""
    from rencai.opportunities import shortage
    from rencai.opportunities.models import ShortageCatalog, ShortageEntry

    catalogs = ShortageCatalog.objects.all() if shortage.is_reader(user) else \
        ShortageCatalog.objects.filter(status="published")
    catalog_id = _first(catalogs)
    years = shortage.published_years()
    return {"shortage_catalog_id": catalog_id,
            "shortage_entry_id": _first(ShortageEntry.objects.filter(catalog_id=catalog_id)),
            "shortage_year": years[0] if years else None}


def _jobs_samples(user) -> dict:
    """人才对接's jobs and 见习: an opportunity the user handles (an employer its own, staff their district's),
    else the first published one; an application the user may act on (the talent's own, one of an opportunity
    the user handles), else any (answered 404)."""
    from rencai.accounts.enums import Role
    from rencai.opportunities import selectors as opportunity_selectors
    from rencai.opportunities.models import Application, Opportunity

    handled = (opportunity_selectors.opportunities_handled(user) if user.is_authenticated
               and (user.role in (Role.EMPLOYER, Role.STAFF, Role.LEADER) or user.is_administrator) else None)
    pk = (_first(handled.filter(kind__in=("job", "internship"))) if handled is not None else None) or _first(
        Opportunity.objects.filter(status="published", kind__in=("job", "internship")))
    applications = Application.objects.all()
    if user.is_authenticated and user.role == Role.TALENT:
        applications = applications.filter(talent__user=user)
    elif handled is not None:
        applications = applications.filter(opportunity__in=handled)
    return {"pk": pk, "opportunity_application_id": _first(applications) or _first(Application.objects.all())}


def _matching_samples(user) -> dict:
    """人岗匹配: the employer's own first published job (others: the first published job, answered 403/404), a
    talent who consents to be found, and the talent's own first contact request (others: any, answered 404)."""
    from rencai.accounts.enums import Role
    from rencai.matching.models import ContactRequest
    from rencai.matching.selectors import JOB_KINDS, consenting
    from rencai.opportunities.models import Opportunity

    jobs = Opportunity.objects.filter(status="published", kind__in=JOB_KINDS)
    if user.is_authenticated and user.role == Role.EMPLOYER:
        jobs = jobs.filter(organization_id=user.organization_id)
    contacts = ContactRequest.objects.all()
    if user.is_authenticated and user.role == Role.TALENT:
        contacts = contacts.filter(talent__user=user)
    return {"match_job_id": _first(jobs), "match_talent_id": _first(consenting()), "contact_id": _first(contacts)}


def _events_samples(user) -> dict:
    """对接活动: the first event the user may see, the user's own first registration (talent, employer), a check-in
    token of an event of the user's district (others: any, answered 403), and the first follow-up in scope."""
    from rencai.core.errors import PermissionDenied
    from rencai.events.models import Event, FollowUp, Registration
    from rencai.events.selectors import events_visible, followups_visible, my_registrations

    government = user.is_authenticated and (user.is_government or user.is_administrator)
    try:
        event_id = _first(events_visible(user))
    except PermissionDenied:  # a role that sees no events: any, answered 403
        event_id = _first(Event.objects.all())
    mine = my_registrations(user) if user.is_authenticated else None
    token = Registration.objects.filter(event_id=event_id).order_by("pk").values_list("token", flat=True).first()
    return {"event_id": event_id, "registration_id": _first(mine) if mine is not None else None,
            "checkin_token": token,
            "followup_id": _first(followups_visible(user)) if government else _first(FollowUp.objects.all())}


def _challenges_samples(user) -> dict:
    """揭榜挂帅 and 项目对接: a challenge whose proposals the user may read (others: the first, answered 404), a
    project or result the user may open, and — for the POST-only acts — a meeting and a proposal."""
    from rencai.opportunities import challenges, partnering
    from rencai.opportunities.models import Application, Meeting, Opportunity

    all_challenges = Opportunity.objects.filter(kind="challenge")
    handled = challenges.handled_ids(user, list(all_challenges.order_by("pk").values_list("pk", flat=True)[:50]))
    return {"challenge_id": min(handled) if handled else _first(all_challenges),
            "project_id": (_first(partnering.opportunities_seen(user))
                           or _first(Opportunity.objects.filter(kind__in=partnering.PARTNERING))),
            "meeting_id": _first(partnering.meetings_visible(user)) or _first(Meeting.objects.all()),
            "proposal_id": _first(Application.objects.filter(opportunity__kind="challenge"))}


def _earlywarning_samples(user) -> dict:
    """决策预警: the first warning the user may see (government users only)."""
    if not (user.is_authenticated and (user.is_government or user.is_administrator)):
        return {"warning_id": None}
    from rencai.earlywarning.selectors import warnings_visible

    return {"warning_id": _first(warnings_visible(user))}


def _ledgers_samples(user) -> dict:
    from django.utils import timezone

    return {"ledger_year": timezone.localdate().year}


def _analytics_samples(user) -> dict:
    """人才地图's drill-down: the first district the user's figures cover."""
    government = user.is_authenticated and (user.is_government or user.is_administrator)
    if not government:
        return {"district_code": None}
    from rencai.analytics.selectors import districts_of

    districts = districts_of(user)
    return {"district_code": districts[0].code if districts else None}


def _programmes_samples(user) -> dict:
    from rencai.programmes import selectors as programmes
    from rencai.programmes.review import KIND
    from rencai.reviews.models import Assignment

    if not user.is_authenticated:
        return {"call_id": None, "programme_application_id": None, "programme_assignment_id": None,
                "programme": None, "award_id": None, "report_id": None}
    call = programmes.calls_all(user).order_by("pk").first()
    return {
        "call_id": call.pk if call else None,
        "programme_application_id": _first(programmes.applications_visible(user)),
        "programme_assignment_id": _first(Assignment.objects.filter(panel__kind=KIND, expert__user=user)),
        "programme": call.policy if call else "sy-urgent-talent-reward",
        "award_id": None,  # an award's cancel is a POST action, not a page
        "report_id": None,  # a milestone's report and decision are POST actions
    }


def _feedback_samples(user) -> dict:
    from rencai.feedback.selectors import cases_visible, consultations_visible

    if not user.is_authenticated:
        return {"consultation_id": None, "case_id": None}
    return {"consultation_id": _first(consultations_visible(user)), "case_id": _first(cases_visible(user))}


def _services_samples(user) -> dict:
    from rencai.services import selectors as services_selectors
    from rencai.services.models import Specialist

    if not user.is_authenticated:
        return {"item_key": None, "bundle_key": None, "service_request_id": None, "part_id": None,
                "specialist_id": None}
    own = services_selectors.specialist_of_user(user)
    supervised = (services_selectors.specialists_for_reassign(user=user)
                  if user.is_administrator or user.has_perm("services.supervise_services") else [])
    return {
        "item_key": "ln-settlement",  # a requestable item (a talent not eligible is told why)
        "bundle_key": "sy-come-to-shenyang",
        "service_request_id": _first(services_selectors.requests_visible(user)),
        "part_id": None,  # the part's acts are POST actions, not pages
        "specialist_id": own.pk if own else (supervised[0].pk if supervised else
                                             _first(Specialist.objects.filter(user=user))),
    }


def _datahub_samples(user) -> dict:
    from rencai.datahub import access
    from rencai.datahub.models import Feed, Load

    if not (user.is_authenticated and access.may_view_dashboard(user)):
        return {"feed_id": None, "load_id": None, "discrepancy_id": None}
    feed = Feed.objects.filter(pk__in=Load.objects.values("feed")).order_by("pk").first() or \
        Feed.objects.order_by("pk").first()
    load = next((x.pk for x in Load.objects.select_related("feed").order_by("pk")
                 if access.may_see_rows(user, x.feed)), None)
    from rencai.datahub.selectors import discrepancies_visible

    discrepancy = discrepancies_visible(user=user).order_by("pk").values_list("pk", flat=True).first()
    return {"feed_id": feed.pk if feed else None, "load_id": load, "discrepancy_id": discrepancy}


def _payments_samples(user) -> dict:
    from rencai.payments.models import PaymentBatch

    government = user.is_authenticated and (user.is_government or user.is_administrator)
    return {
        "batch_id": _first(PaymentBatch.objects.all()) if government else None,
        "account_id": None,  # the bank-account reveal is a POST action, not a page
    }


def _fulfilment_samples(user) -> dict:
    from rencai.fulfilment.models import Objection, Offer, PublicNotice
    from rencai.fulfilment.selectors import applications_visible

    visible = applications_visible(user) if user.is_authenticated else None
    return {
        "policy_id": "sy-rent-subsidy",  # an entitlement with applications in the demo
        "fulfilment_id": _first(visible) if visible is not None else None,
        "objection_id": _first(Objection.objects.all()),
        "offer_id": _first(Offer.objects.filter(talent__user=user)) if user.is_authenticated else None,
        "notice_id": _first(PublicNotice.objects.all()),
    }


DOWNLOAD = re.compile(r"\.(xlsx|pdf|csv)$")
# Argument names that are actions (POST only), not pages to walk.
ACTION_ARGUMENTS = {"action", "decision"}


def urls_for(user, *, downloads: bool = False, strict: bool = True) -> list[tuple[str, str]]:
    """(view name, URL) of every page ``user`` can be shown; ``strict``: fail on an argument with no sample
    (the walker), else leave that page out (the benchmark lists what it left out itself)."""
    values = samples(user)
    urls = []
    for name, args in patterns():
        if name in SKIPPED_NAMES or ACTION_ARGUMENTS & set(args):
            continue
        unknown = [a for a in args if a not in values]
        if unknown and not strict:
            continue
        assert not unknown, (f"页面 {name} 需要参数 {unknown}："
                                "请在 rencai/core/pagewalk.py 的 samples() 中为它们提供示例值")
        if any(values[a] is None for a in args):
            continue
        url = reverse(name, kwargs={a: values[a] for a in args})
        if DOWNLOAD.search(url) and not downloads:
            continue  # files (Excel, PDF): the walker leaves them to their own tests, the benchmark times them
        urls.append((name, url))
    return urls


