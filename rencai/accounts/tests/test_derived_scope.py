"""The rule of issue 14, item 3: every list derived from talents is scoped through the talent's current record
(accounts.permissions.scope_related), never through a copy of the jurisdiction taken when the row was made."""

import pytest
from django.apps import apps
from django.db import models

from rencai.accounts.enums import Role
from rencai.accounts.permissions import scope_related, talent_scope_q
from rencai.talents.models import Talent
from rencai.talents.services import talent_update


def _talent_relations(model) -> list[str]:
    return [f.name for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is Talent]


# The one allowance: a region beside a talent that is a dated fact of the past, not a scope — the district a
# spell of employment was in, the districts a move went between (rencai/analytics: 人才地图's flows). Nothing
# decides who sees a row by them: lists of people are scoped through the talent's current record as everywhere;
# only the flow aggregates count by them, within the viewer's jurisdiction. A field added here needs that reason.
# And one more, a place beside a talent that scopes the row *together with* the talent's current record:
# 决策预警's place — for a 流失预警 of a talent who moved out of the city it is the district left (the move's
# from_district, a fact of its day), because the talent's current record is then in no office of the city and the
# office that lost the talent must see the warning; a warning about a talent still here has none
# (rencai/earlywarning/models.py; selectors.scope_q: the talent's current district OR that region).
HISTORICAL_REGIONS = {"analytics.EmploymentSpell": {"district"}, "analytics.Move": {"from_district", "to_district"},
                      "earlywarning.EarlyWarning": {"place"}}


def _region_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey) and f.related_model._meta.label == "regions.Region"]


def test_no_model_derived_from_a_talent_copies_a_jurisdiction():
    """A model that points at a talent must not also hold a region of its own (a copied district goes stale
    when the talent moves, as 政策找人's did). Scope it with scope_related(user, "<relation>") instead."""
    offenders = []
    for model in apps.get_models():
        if model is Talent or not _talent_relations(model):
            continue
        regions = [name for name in _region_fields(model)
                   if name not in HISTORICAL_REGIONS.get(model._meta.label, set())]
        if regions:
            offenders.append(f"{model._meta.label}.{regions}")
    assert offenders == []
    for label, fields in HISTORICAL_REGIONS.items():  # the allowance names real region fields of talent rows
        model = apps.get_model(label)
        assert _talent_relations(model) and fields <= set(_region_fields(model)), label
    assert len([m for m in apps.get_models() if _talent_relations(m)]) >= 5  # the check does look at models


@pytest.mark.django_db
def test_every_derived_model_is_scoped_by_the_current_district(make_talent, admin_user, heping_staff, hunnan_staff,
                                                              make_user):
    """scope_related over every model that points at a talent: a moved talent's rows leave the old office."""
    mover = make_talent(name="迁出者")
    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})
    for model in apps.get_models():
        for relation in _talent_relations(model):
            heping = model.objects.filter(scope_related(heping_staff, relation))
            hunnan = model.objects.filter(scope_related(hunnan_staff, relation))
            # The query compiles and uses the talent's district, whatever the model.
            assert "district_id" in str(heping.query), model
            assert not heping.filter(**{relation: mover}).exists()
            if model.objects.filter(**{relation: mover}).exists():
                assert hunnan.filter(**{relation: mover}).exists(), model


@pytest.mark.django_db
def test_scope_related_matches_talent_scope_for_every_role(make_talent, make_user, heping_staff, hunnan_staff,
                                                           city_staff, leader, admin_user):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create
    from rencai.talents.models import Education

    org = organization_create(name="测试单位", uscc=make_uscc(), kind="enterprise", district="和平区")
    make_talent(name="甲", organization_uscc=org.uscc)
    make_talent(name="乙", district="浑南区")
    employer = make_user("hr1", Role.EMPLOYER, organization=org)
    talent_user = make_user("t1", Role.TALENT)
    Talent.objects.filter(name="乙").update(user=talent_user)
    auditor = make_user("aud", Role.AUDITOR, region="210100")
    for user in (heping_staff, hunnan_staff, city_staff, leader, admin_user, employer, talent_user, auditor):
        direct = set(Talent.objects.filter(talent_scope_q(user)).values_list("name", flat=True))
        related = set(Education.objects.filter(scope_related(user, "talent")).values_list("talent__name", flat=True))
        assert direct == related, user.username
    assert set(Talent.objects.filter(talent_scope_q(auditor))) == set()  # an auditor reads no talent records


@pytest.mark.django_db
def test_fulfilment_lists_follow_a_moved_talent(make_talent, make_user, admin_user, heping_staff, hunnan_staff,
                                                tmp_path, settings):
    """政策兑现's queue, overdue counts and objections: a talent who moves leaves the old office's lists at once."""
    from rencai.fulfilment import selectors as fulfilment_selectors
    from rencai.fulfilment import services as fulfilment_services
    from rencai.fulfilment.tests.conftest import POLICY, put_on_file

    settings.MEDIA_ROOT = tmp_path
    user = make_user("mover", Role.TALENT)
    mover = make_talent(name="迁出者")
    Talent.objects.filter(pk=mover.pk).update(user=user)
    mover.refresh_from_db()
    put_on_file(user, mover)
    application, _created = fulfilment_services.application_submit(actor=user, talent_id=mover.pk,
                                                                   policy_id=POLICY)
    assert list(fulfilment_selectors.queue(user=heping_staff, status="all")) == [application]
    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})
    assert list(fulfilment_selectors.queue(user=heping_staff, status="all")) == []
    assert fulfilment_selectors.overdue_counts(user=heping_staff) == []
    assert list(fulfilment_selectors.queue(user=hunnan_staff, status="all")) == [application]
    assert list(fulfilment_selectors.queue(user=hunnan_staff)) == [application]  # now their step to take


@pytest.mark.django_db
def test_document_lists_follow_the_talent_when_they_move(make_talent, admin_user, heping_staff, hunnan_staff,
                                                         settings, tmp_path):
    """材料库: the review queue and the documents staff may open are scoped through the talent's current
    district."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rencai.documents import selectors as documents_selectors
    from rencai.documents.services import document_upload

    settings.MEDIA_ROOT = tmp_path
    mover = make_talent(name="迁出者")
    document = document_upload(actor=admin_user, talent=mover, kind="degree",
                               upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 moved"))
    assert list(documents_selectors.review_queue(user=heping_staff)) == [document]
    talent_update(actor=admin_user, talent_id=mover.pk, changes={"district": "浑南区"})
    assert list(documents_selectors.review_queue(user=heping_staff)) == []
    assert not documents_selectors.documents_visible(heping_staff).exists()
    assert list(documents_selectors.review_queue(user=hunnan_staff)) == [document]
    assert list(documents_selectors.documents_visible(hunnan_staff)) == [document]
