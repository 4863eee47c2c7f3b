"""Recognition's 评审认定 on the shared expert review (rencai.reviews): how an application is named there
(``ref``), whom it concerns for 回避 (``parties``: the talent, their organization when applying and now), the
sheet its experts score on (``sheet``: the five dimensions of 004, an example, kept as data), and what an
expert's task list shows of it (the kind registered from the app's ready())."""

import importlib

from django.apps import apps
from django.urls import reverse

from rencai.reviews import selectors as reviews
from rencai.reviews import subjects
from rencai.reviews.models import Sheet
from rencai.reviews.subjects import Ref

KIND = "recognition.application"
SHEET = "recognition-review"


def ref(application) -> Ref:
    return Ref(KIND, application.pk)


def parties(application) -> reviews.Parties:
    """The applicant (an expert who is the talent stands aside) and the applicant's organization, when applying
    and now (an expert working there stands aside); a conflict declared against the talent counts too."""
    talent = application.talent
    return reviews.Parties(
        users={talent.user_id: "申请人"} if talent.user_id else {},
        organizations={pk: "申请人" for pk in (application.organization_id, talent.organization_id) if pk},
        subjects=(Ref("talents.talent", talent.pk),))


def sheet() -> Sheet:
    """Recognition's scoring sheet (data: the migration reviews.0003 made it from the five dimensions, each out of
    20, weight 1, total out of 100; an administrator may edit it before it is used). Where that row was flushed
    away (transactional tests), the migration's definition makes it again."""
    found = Sheet.objects.filter(code=SHEET).first()
    if found is None:
        found = importlib.import_module("rencai.reviews.migrations.0003_recognition_scores").recognition_sheet(apps)
    return found


def _load(ids) -> dict[int, subjects.Item]:
    from .models import Application

    return {a.pk: subjects.Item(number=a.number, applicant=a.talent.name, detail=a.get_category_display())
            for a in Application.objects.filter(pk__in=list(ids)).select_related("talent")}


def register() -> None:
    subjects.register(subjects.Kind(KIND, "人才认定申请", _load,
                                    lambda assignment_id: reverse("recognition:score", args=[assignment_id])))
