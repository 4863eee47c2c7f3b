"""What can be published for 公示 (public notice), by a generic reference: ``kind`` ("app_label.model") and the
subject's id — as reviews/subjects.py names what is reviewed and feedback/subjects.py what is rated.

One notice and objection machinery for every kind (``PublicNotice``, ``Objection``; the writes in services.py:
``notice_publish``, ``notice_withdraw``, ``objection_file``, ``objection_answer``, ``notices_close_due``). A kind's
app registers, from its AppConfig.ready(), what the machinery needs to know of its subjects:

    register(NoticeKind(kind="programmes.award", label="项目评审结果公示",
                        staff=lambda notice: [...user ids...], on_cleared=lambda notice, actor: ...,
                        on_upheld=lambda notice, objection, actor: ..., link=lambda notice: "/..."))

- ``staff(notice)``: the users told of an objection (and, unless ``may_answer`` says otherwise, those who may
  answer it; administrators always may);
- ``on_cleared(notice, actor)``: the period ended with every objection answered and none upheld — called once, by
  the daily ``notices_close_due`` (actor None), in the notice's own transaction, after the notice is closed;
- ``on_upheld(notice, objection, actor)``: staff upheld an objection — called once, in the answer's transaction,
  after the notice is closed (the subject is not granted);
- ``link(notice)``: the staff page of the subject, where its objections are shown and answered.

政策兑现 registers "fulfilment.application" below (its grants: cleared → approved, upheld → not approved).
Names on a notice are masked to the surname by ``mask_to_surname`` (the caller masks: the notice never holds a
full name)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rencai.accounts.models import User

    from .models import Objection, PublicNotice

FULFILMENT = "fulfilment.application"


@dataclass(frozen=True)
class NoticeKind:
    kind: str  # "app_label.model" of the subject
    label: str  # what its notices are called on the public page (政策兑现公示, 项目评审结果公示)
    staff: Callable[[PublicNotice], Iterable[int]]  # user ids told of an objection (and who may answer it)
    on_cleared: Callable[[PublicNotice, User | None], object]  # the period over, nothing upheld or open
    on_upheld: Callable[[PublicNotice, Objection, User], object]  # an objection upheld: the subject falls
    link: Callable[[PublicNotice], str]  # the staff page of the subject
    # Whether the notice is in a user's remit: they see its objections and, with a staff role, answer them.
    # None: the users ``staff`` names. Administrators always may.
    may_answer: Callable[[PublicNotice, User], bool] | None = None


KINDS: dict[str, NoticeKind] = {}


def register(kind: NoticeKind) -> None:
    KINDS[kind.kind] = kind


def unregister(kind: str) -> None:
    KINDS.pop(kind, None)


def get(kind: str) -> NoticeKind:
    """The registered kind (a kind nobody registered is a programming error: LookupError)."""
    if kind not in KINDS:
        raise LookupError(f"公示事项类型未登记：{kind}")
    return KINDS[kind]


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else "公示"


def link(notice: PublicNotice) -> str:
    return KINDS[notice.subject_kind].link(notice) if notice.subject_kind in KINDS else "/gongshi/"


def may_answer(notice: PublicNotice, user: User) -> bool:
    """Whether ``notice`` is in ``user``'s remit: they see its objections and, with a staff role
    (objection_answer checks it first), answer them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    kind = KINDS.get(notice.subject_kind)
    if user.is_administrator or kind is None:
        return user.is_administrator
    if kind.may_answer is not None:
        return kind.may_answer(notice, user)
    return user.pk in {getattr(u, "pk", u) for u in kind.staff(notice)}


def mask_to_surname(name: str) -> str:
    """公示 names: the surname, the rest as *: 张三丰 → 张**, 王五 → 王*."""
    name = (name or "").strip()
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


# -- 政策兑现: a grant, published before it is final -------------------------------------------------------------


def _application_staff(notice: PublicNotice) -> list[int]:
    """Staff whose jurisdiction holds the talent (who answer the objection before the grant is final)."""
    from rencai.accounts.permissions import staff_over
    from rencai.talents.models import Talent

    district = Talent.objects.filter(pk=notice.application.talent_id).values_list("district_id", flat=True).first()
    return staff_over(district) if district else []


def _application_may_answer(notice: PublicNotice, user: User) -> bool:
    """The talent is in the user's jurisdiction (answering also needs a staff role: objection_answer)."""
    from rencai.accounts.permissions import talent_scope_q
    from rencai.talents.models import Talent

    return Talent.objects.filter(talent_scope_q(user), pk=notice.application.talent_id).exists()


def _application_cleared(notice: PublicNotice, actor: User | None) -> None:
    from .enums import Action
    from .services import application_transition

    application_transition(actor=actor, application_id=notice.subject_id, action=Action.FINALIZE)


def _application_upheld(notice: PublicNotice, objection: Objection, actor: User) -> None:
    from .enums import Action
    from .services import application_transition

    application_transition(actor=actor, application_id=notice.subject_id, action=Action.UPHOLD,
                           reason=f"公示异议成立：{objection.answer}")


register(NoticeKind(kind=FULFILMENT, label="政策兑现公示", staff=_application_staff,
                    on_cleared=_application_cleared, on_upheld=_application_upheld,
                    link=lambda notice: f"/fulfilment/applications/{notice.subject_id}/",
                    may_answer=_application_may_answer))
