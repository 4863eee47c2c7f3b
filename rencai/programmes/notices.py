"""Programme awards on 公示 (the notice machinery of rencai/fulfilment/notices.py): who is told of an objection
(the city's and the applicant's district's staff), and what the end of the period means for the award."""

from django.urls import reverse

from rencai.accounts.enums import Role
from rencai.accounts.permissions import staff_over
from rencai.fulfilment import notices

from .services import NOTICE_KIND, award_cleared, award_upheld


def _application(notice):
    from .models import Award

    award = Award.objects.select_related("application__talent", "application__organization").filter(
        pk=notice.subject_id).first()
    return award.application if award else None


def _region(application) -> str:
    if application.talent_id:
        return application.talent.district_id
    return application.organization.district_id


def _staff(notice) -> list[int]:
    """Staff whose jurisdiction holds the applicant (a district's, and the city's above it)."""
    application = _application(notice)
    if application is None:
        return []
    return staff_over(_region(application))


def _may_answer(notice, user) -> bool:
    if user.is_administrator:
        return True
    return user.role == Role.STAFF and user.pk in _staff(notice)


def _link(notice) -> str:
    application = _application(notice)
    return reverse("programmes:application", args=[application.pk]) if application else reverse("programmes:index")


def register() -> None:
    notices.register(notices.NoticeKind(kind=NOTICE_KIND, label="人才项目立项公示", staff=_staff,
                                        on_cleared=award_cleared, on_upheld=award_upheld, link=_link,
                                        may_answer=_may_answer))
