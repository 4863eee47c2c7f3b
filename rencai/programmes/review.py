"""Programme applications on the shared expert review (rencai.reviews), as recognition's are
(recognition/review.py): how an application is named there, whom it concerns for 回避 (the applicant, every
team member, their organizations), and what an expert's task list shows."""

from django.urls import reverse

from rencai.reviews import selectors as reviews
from rencai.reviews import subjects
from rencai.reviews.subjects import Ref

KIND = "programmes.application"


def ref(application) -> Ref:
    return Ref(KIND, application.pk)


def parties(application) -> reviews.Parties:
    """The applicant, every team member and the named talent (an expert who is one of them stands aside), and
    their organizations and the applying unit (an expert working there stands aside)."""
    users: dict[int, str] = {}
    organizations: dict[int, str] = {}
    talents = []
    if application.talent_id:
        talent = application.talent
        talents.append(talent)
        who = "团队带头人" if application.subject == "team" else "申报人"
        if talent.user_id:
            users[talent.user_id] = who
        if talent.organization_id:
            organizations[talent.organization_id] = who
    for member in application.members.exclude(status="declined").select_related("talent"):
        talents.append(member.talent)
        if member.talent.user_id:
            users.setdefault(member.talent.user_id, f"团队成员{member.talent.name}")
        if member.talent.organization_id:
            organizations.setdefault(member.talent.organization_id, f"团队成员{member.talent.name}")
    if application.organization_id:
        organizations.setdefault(application.organization_id, "申报单位")
    return reviews.Parties(users=users, organizations=organizations,
                           subjects=tuple(Ref("talents.talent", t.pk) for t in talents))


def _load(ids) -> dict[int, subjects.Item]:
    from .models import Application

    return {a.pk: subjects.Item(number=a.number, applicant=a.applicant_name,
                                detail=f"{a.call.policy_title}（{a.call.year}年度）")
            for a in Application.objects.filter(pk__in=list(ids)).select_related("talent", "organization", "call")}


def register() -> None:
    subjects.register(subjects.Kind(KIND, "项目申报", _load,
                                    lambda assignment_id: reverse("programmes:score", args=[assignment_id])))
