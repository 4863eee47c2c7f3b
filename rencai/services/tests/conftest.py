import pytest
from django.contrib.auth.models import Permission

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_officer(db):
    def factory(username: str, department: str, region: str = "210100", *, supervisor: bool = False):
        dept, _ = Department.objects.get_or_create(name=department, region_id=region)
        user = User.objects.create_user(username=username, password="pw-for-tests-123", role=Role.STAFF,
                                        department=dept, display_name=username)
        if supervisor:
            user.user_permissions.add(Permission.objects.get(codename="supervise_services"))
            user = User.objects.get(pk=user.pk)
        return user

    return factory


@pytest.fixture
def officers(make_officer):
    """One officer of each department the bundle 我要来沈工作 goes to, and a supervisor."""
    return {
        "hr": make_officer("hr_city", "沈阳市人力资源和社会保障局"),
        "housing": make_officer("housing_city", "沈阳市住房和城乡建设局"),
        "education": make_officer("edu_city", "沈阳市教育局"),
        "education2": make_officer("edu_city2", "沈阳市教育局"),
        "police": make_officer("police_city", "沈阳市公安局"),
        "supervisor": make_officer("supervisor", "沈阳市人力资源和社会保障局", supervisor=True),
    }


@pytest.fixture
def catalog(db):
    from rencai.services.services import catalog_sync

    catalog_sync()


def set_category(talent, category: str):
    from rencai.talents.models import Talent

    Talent.objects.filter(pk=talent.pk).update(talent_category=category)
    talent.refresh_from_db()
    return talent
