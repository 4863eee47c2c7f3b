import pytest
from django.contrib.auth.models import Permission

from rencai.accounts.enums import Role
from rencai.accounts.models import User


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_supervisor(make_user):
    """A staff member of the region's 人社局 who holds feedback.supervise."""

    def factory(username: str, region: str = "210102") -> User:
        user = make_user(username, Role.STAFF, region)
        user.user_permissions.add(Permission.objects.get(codename="supervise", content_type__app_label="feedback"))
        return User.objects.get(pk=user.pk)  # drop the permission cache

    return factory


@pytest.fixture
def rejected(talent_user, talent, heping_staff):
    """A finished 政策兑现 application of the talent: rejected at the district step by heping_staff."""
    from rencai.fulfilment import services as fulfilment_services
    from rencai.fulfilment.tests.conftest import POLICY, put_on_file

    def factory():
        put_on_file(talent_user, talent)
        application, _ = fulfilment_services.application_submit(actor=talent_user, talent_id=talent.pk,
                                                                policy_id=POLICY)
        return fulfilment_services.application_reject(actor=heping_staff, application_id=application.pk,
                                                      reason="劳动合同未盖章")

    return factory
