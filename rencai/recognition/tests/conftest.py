"""Fixtures for recognition: the example standard (reloaded after transactional flushes), an employer with a
talent who has an account, evidence files, an expert pool and an authorised employer."""

import datetime as dt
import importlib
import itertools

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.accounts.enums import Role

_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


@pytest.fixture(autouse=True)
def example_standard(request, regions, settings, tmp_path):
    """Transactional tests flush the tables, data migrations included: load the example standard again.
    Uploaded evidence goes to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    if request.node.get_closest_marker("django_db") is None:
        return None
    from django.apps import apps

    from rencai.recognition.models import Standard

    request.getfixturevalue("db")
    if not Standard.objects.exists():
        importlib.import_module("rencai.recognition.migrations.0002_example_standard").load(apps, None)
    return Standard.objects.get()


def upload(content: bytes = PDF, name: str | None = None) -> SimpleUploadedFile:
    """A distinct file each call (so that the same-file check does not merge them)."""
    n = next(_seq)
    suffix = {PDF[:4]: ".pdf", PNG[:4]: ".png", JPEG[:4]: ".jpg"}.get(content[:4], ".pdf")
    return SimpleUploadedFile(name or f"材料{n}{suffix}", content + f"\n% {n}\n".encode())


@pytest.fixture
def org(db):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    return organization_create(name="沈阳新松测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区")


@pytest.fixture
def other_org(db):
    from rencai.conftest import make_uscc
    from rencai.organizations.services import organization_create

    return organization_create(name="东北测试大学", uscc=make_uscc(), kind="university", district="浑南区")


@pytest.fixture
def talent_user(make_user, make_talent, org):
    """A talent in 和平区 working at ``org``, with an account; not recognised yet."""
    user = make_user("zhangsan", Role.TALENT)
    talent = make_talent(name="张三明", organization_uscc=org.uscc)
    talent.user = user
    talent.save(update_fields=["user"])
    user.refresh_from_db()
    return user


@pytest.fixture
def employer_user(make_user, org):
    return make_user("hr", Role.EMPLOYER, organization=org)


@pytest.fixture
def experts(make_user, org, other_org):
    """Four experts: three from other organizations, one from the applicant's own (who must stand aside)."""
    from rencai.reviews.models import Expert

    rows = [("e1", "王专家", other_org), ("e2", "李专家", other_org), ("e3", "赵专家", None),
            ("e4", "钱专家", org)]
    return [Expert.objects.create(user=make_user(username, Role.EXPERT), name=name, organization=organization,
                                  affiliation=organization.name if organization else "沈阳某研究院",
                                  specialty="智能制造")
            for username, name, organization in rows]


@pytest.fixture
def authorization(admin_user, org):
    """``org`` authorised for 自主认定 this year: one C place (salary ≥ 500,000, tax ≥ 100,000), ten D."""
    from rencai.recognition.services import QuotaInput, employer_authorize

    year = dt.date.today().year
    return employer_authorize(actor=admin_user, organization_id=org.pk, valid_from=dt.date(year, 1, 1),
                              valid_until=dt.date(year, 12, 31), criteria="年薪、缴纳个人所得税（测试）",
                              quotas=[QuotaInput("C", 1, 500000, 100000), QuotaInput("D", 10, 200000, None)])


def create(actor, way="direct", category="C", item_code="C03", **kw):
    from rencai.recognition.services import ApplicationInput, application_create

    if way != "direct":
        item_code = kw.pop("item_code", "")
    return application_create(actor=actor, data=ApplicationInput(way=way, category=category, item_code=item_code,
                                                                 **kw))


def attach_all(actor, application):
    from rencai.recognition import selectors, services

    for requirement in selectors.requirements_for(application):
        if requirement.required:
            services.attachment_add(actor=actor, application_id=application.pk, requirement_id=requirement.pk,
                                    upload=upload())


def assignment_of(application, expert):
    """The expert's assignment on the application's review panel (rencai.reviews)."""
    from rencai.reviews.models import Assignment

    return Assignment.objects.get(panel__kind="recognition.application", panel__object_id=application.pk,
                                  expert=expert)


def submitted(actor, **kw):
    from rencai.recognition import services

    application = create(actor, **kw)
    attach_all(actor, application)
    return services.application_submit(actor=actor, application_id=application.pk)
