import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User

POLICY = "sy-living-subsidy-graduate"  # 博士: 2500 a month for 36 months; needs degree + labour contract
_seq = itertools.count(1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def upload() -> SimpleUploadedFile:
    n = next(_seq)
    return SimpleUploadedFile(f"材料{n}.pdf", PDF + f"\n% {n}\n".encode())


def put_on_file(actor, talent, kinds=("degree", "labour_contract")) -> None:
    from rencai.documents import services as documents_services

    for kind in kinds:
        documents_services.document_upload(actor=actor, talent=talent, kind=kind, upload=upload())


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT




@pytest.fixture
def finance_staff(db):
    department, _ = Department.objects.get_or_create(name="沈阳市财政局", region_id="210100")
    return User.objects.create_user(username="finance", password="pw-for-tests-123", role=Role.STAFF,
                                    department=department)


@pytest.fixture
def housing_staff(db):
    department, _ = Department.objects.get_or_create(name="沈阳市住房和城乡建设局", region_id="210100")
    return User.objects.create_user(username="housing", password="pw-for-tests-123", role=Role.STAFF,
                                    department=department)


@pytest.fixture
def budget(db):
    from django.utils import timezone

    from rencai.payments.budgets import budget_line_set

    def factory(policy=POLICY, yuan="1000000"):
        return budget_line_set(policy_id=policy, year=timezone.localdate().year, amount=Decimal(yuan))

    return factory


@pytest.fixture
def submitted(talent_user, talent):
    from rencai.fulfilment import services

    def factory(policy=POLICY, kinds=("degree", "labour_contract")):
        put_on_file(talent_user, talent, kinds)
        application, _created = services.application_submit(actor=talent_user, talent_id=talent.pk, policy_id=policy)
        return application

    return factory
