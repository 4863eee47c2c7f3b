"""What can be rated (好差评) and complained about, by a generic reference: ``kind`` ("app_label.model") and id.

Each kind has an adapter that reads its items in one query and says, for each, whose it is (the talent), whether
it is finished (only a finished item is rated), who is rated (the person who decided or answered it, and their
department: a 差评's case goes to that department's supervisor, never to that person) and where it is shown.
Another app makes its items rateable by registering an adapter (``register``) — the 一件事 service requests do
so from their app when it is installed (``services_adapter`` below is the hook, registered only if that app
provides ``rencai.services.selectors.request_finished``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Subject:
    kind: str
    id: int
    talent_id: int
    title: str
    finished: bool
    unfinished_reason: str  # why it cannot be rated yet (Chinese), "" when finished
    person_id: int | None  # the person rated: who decided or answered it
    department_id: int | None
    link: str


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str  # what the item is called on screen
    load: Callable[[Iterable[int]], dict[int, Subject]]  # id → Subject, one query
    of_talent: Callable[[int], Iterable[int]]  # the ids of a talent's items of this kind (finished first)
    # Why an item its own page has already read cannot be rated yet ("" when finished): no query.
    unfinished: Callable[[object], str] | None = None


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.kind] = kind


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else "办理事项"


def unfinished_reason(kind: str, item) -> str:
    """Why ``item`` (the object its page shows) cannot be rated yet, "" when it can; read from the object."""
    adapter = KINDS.get(kind)
    if adapter is None or adapter.unfinished is None:
        subject = get(kind, item.pk)
        return subject.unfinished_reason if subject is not None else "该事项不能评价"
    return adapter.unfinished(item)


def load(kind: str, ids: Iterable[int]) -> dict[int, Subject]:
    if kind not in KINDS:
        return {}
    return KINDS[kind].load([i for i in ids if i])


def get(kind: str, subject_id: int) -> Subject | None:
    return load(kind, [subject_id]).get(subject_id)


def of_talent(talent_id: int) -> list[Subject]:
    """Every rateable item of a talent, of every kind (finished or not)."""
    found = []
    for kind in KINDS.values():
        found += kind.load(list(kind.of_talent(talent_id))).values()
    return found


# -- 政策兑现: an application's decision -----------------------------------------------------------------------


def _decided_steps():
    """The steps a department has decided (approved or rejected, by someone): what a step's rating is about."""
    from rencai.fulfilment.enums import StepDecision
    from rencai.fulfilment.models import ApplicationStep

    return ApplicationStep.objects.filter(decision__in=(StepDecision.APPROVED, StepDecision.REJECTED),
                                          decided_by__isnull=False)


def _applications(ids) -> dict[int, Subject]:
    from rencai.fulfilment.models import Application

    applications = {a.pk: a for a in Application.objects.filter(pk__in=list(ids))}
    deciders: dict[int, tuple] = {}  # the last decided step of each application: who decided it
    for step in (_decided_steps().filter(application_id__in=list(applications))
                 .select_related("decided_by").order_by("application_id", "decided_at", "pk")):
        deciders[step.application_id] = (step.decided_by_id, step.decided_by.department_id)
    found = {}
    for pk, a in applications.items():
        reason = _application_unfinished(a)
        person, department = deciders.get(pk, (None, None))
        found[pk] = Subject(
            kind="fulfilment.application", id=pk, talent_id=a.talent_id,
            title=f"政策兑现申请 {a.number}（{a.policy_title}，{a.get_status_display()}）",
            finished=not reason, unfinished_reason=reason,
            person_id=person, department_id=department,
            link=reverse("fulfilment:detail", args=[pk]))
    return found


def _application_unfinished(a) -> str:
    from rencai.fulfilment.enums import Status

    if a.status in (Status.APPROVED, Status.REJECTED):
        return ""
    return f"该申请{a.get_status_display()}，尚未办结，办结后才能评价"


def _applications_of(talent_id: int) -> list[int]:
    from rencai.fulfilment.models import Application

    return list(Application.objects.filter(talent_id=talent_id).values_list("pk", flat=True))


register(Kind("fulfilment.application", "政策兑现申请", _applications, _applications_of, _application_unfinished))


# -- 政策兑现: one step of an application's route, once decided ----------------------------------------------------


def _steps(ids) -> dict[int, Subject]:
    from rencai.fulfilment.models import ApplicationStep

    found = {}
    for step in (ApplicationStep.objects.filter(pk__in=list(ids))
                 .select_related("application", "decided_by")):
        reason = _step_unfinished(step)
        a = step.application
        found[step.pk] = Subject(
            kind="fulfilment.step", id=step.pk, talent_id=a.talent_id,
            title=f"政策兑现申请 {a.number} 的“{step.title}”环节（{step.department}，{step.get_decision_display()}）",
            finished=not reason, unfinished_reason=reason,
            person_id=step.decided_by_id, department_id=step.decided_by.department_id if step.decided_by else None,
            link=reverse("fulfilment:detail", args=[a.pk]))
    return found


def _step_unfinished(step) -> str:
    from rencai.fulfilment.enums import StepDecision

    if step.decision in (StepDecision.APPROVED, StepDecision.REJECTED) and step.decided_by_id:
        return ""
    return f"“{step.title}”环节尚未办理，办理后才能评价"


def _steps_of(talent_id: int) -> list[int]:
    """The decided steps of a talent's applications (a step not yet taken is not listed: there is nothing to rate
    and nobody to rate)."""
    return list(_decided_steps().filter(application__talent_id=talent_id).values_list("pk", flat=True))


register(Kind("fulfilment.step", "政策兑现审批环节", _steps, _steps_of, _step_unfinished))


# -- 政策咨询: an answered question -----------------------------------------------------------------------------


def _consultations(ids) -> dict[int, Subject]:
    from .models import Consultation

    found = {}
    for c in Consultation.objects.filter(pk__in=list(ids)).select_related("answered_by"):
        reason = _consultation_unfinished(c)
        found[c.pk] = Subject(
            kind="feedback.consultation", id=c.pk, talent_id=c.talent_id,
            title=f"政策咨询 {c.number}（{c.policy_title or '综合咨询'}）", finished=not reason,
            unfinished_reason=reason,
            person_id=c.answered_by_id, department_id=c.answered_by.department_id if c.answered_by else None,
            link=reverse("feedback:question", args=[c.pk]))
    return found


def _consultation_unfinished(c) -> str:
    from .enums import ConsultationStatus

    return "" if c.status == ConsultationStatus.ANSWERED else "该咨询尚未答复，答复后才能评价"


def _consultations_of(talent_id: int) -> list[int]:
    from .models import Consultation

    return list(Consultation.objects.filter(talent_id=talent_id).values_list("pk", flat=True))


register(Kind("feedback.consultation", "政策咨询", _consultations, _consultations_of, _consultation_unfinished))


# -- 一件事: a service request (the services app) ---------------------------------------------------------------


def services_adapter() -> Kind | None:
    """The services app's requests, when that app is installed and publishes what "finished" means for them:
    ``rencai.services.selectors.request_finished(ids) -> {id: dict(talent_id, title, finished, reason, person_id,
    department_id, link)}`` and ``requests_of_talent(talent_id) -> ids``. None until then (nothing to rate)."""
    from django.apps import apps

    if not apps.is_installed("rencai.services"):
        return None
    try:
        from rencai.services import selectors as services_selectors
    except ImportError:
        return None
    finished_of = getattr(services_selectors, "request_finished", None)
    ids_of = getattr(services_selectors, "requests_of_talent", None)
    if finished_of is None or ids_of is None:
        return None

    def load_requests(ids) -> dict[int, Subject]:
        return {pk: Subject(kind="services.request", id=pk, talent_id=row["talent_id"], title=row["title"],
                            finished=bool(row["finished"]),
                            unfinished_reason="" if row["finished"]
                            else (row.get("reason") or "该事项尚未办结，办结后才能评价"),
                            person_id=row.get("person_id"), department_id=row.get("department_id"),
                            link=row.get("link", ""))
                for pk, row in finished_of(list(ids)).items()}

    return Kind("services.request", "一件事服务", load_requests, ids_of,
                getattr(services_selectors, "request_unfinished_reason", None))


def register_installed() -> None:
    """Called from the app's ready(): the kinds of apps installed beside this one."""
    adapter = services_adapter()
    if adapter is not None:
        register(adapter)
