"""A correction accepted from the data centre is a change of the registry like any other: an employer 注销 in the
business register ends the spell there."""

import pytest
from django.utils import timezone

from rencai.analytics.models import EmploymentSpell, Move
from rencai.conftest import make_uscc
from rencai.datahub import services
from rencai.datahub.enums import FactKind, Resolution
from rencai.datahub.models import Discrepancy
from rencai.datahub.tests.factories import csv_bytes, feed

pytestmark = pytest.mark.django_db


def test_an_employer_cancelled_ends_the_spell_there(city_staff, heping_staff, make_talent, settings, tmp_path,
                                                   django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rencai.organizations.services import organization_create

    settings.MEDIA_ROOT = tmp_path
    org = organization_create(name="沈阳注销测试有限公司", uscc=make_uscc(), kind="enterprise", district="和平区",
                              industry="robotics")
    staff = make_talent(name="原员工", organization_uscc=org.uscc)
    header = ["统一社会信用代码", "单位名称", "数据月份", "登记状态"]
    with django_capture_on_commit_callbacks(execute=True):
        services.load_submit(actor=city_staff, feed_id=feed(FactKind.BUSINESS).pk, upload=SimpleUploadedFile(
            "登记.csv", csv_bytes(header, [[org.uscc, org.name, "2026-10", "注销"]])))
    item = Discrepancy.objects.get(talent=staff)
    services.discrepancy_transition(actor=heping_staff, discrepancy_id=item.pk,
                                    resolution=Resolution.REGISTRY_CORRECTED)
    today = timezone.localdate()
    spells = list(EmploymentSpell.objects.filter(talent=staff).order_by("id")
                  .values_list("organization_id", "industry", "ended_on", "started_on", "reason"))
    assert spells[0][:3] == (org.pk, "robotics", today)
    assert spells[1] == (None, "", None, today, "verification")
    assert Move.objects.filter(talent=staff).count() == 1  # the same district: no move
