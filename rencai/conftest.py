"""Shared fixtures: one account per role, and factories for valid talents and organizations."""

import datetime as dt
import importlib
import itertools

import pytest
from django.contrib.auth.models import Permission
from stdnum.cn import ric, uscc

from rencai.accounts.enums import Role
from rencai.accounts.models import Department, User
from rencai.audit.testing import allow_test_flush_of_audit_log
from rencai.core.flush_for_tests import delete_instead_of_truncate_on_postgresql

allow_test_flush_of_audit_log()  # the audit log's SQLite trigger would refuse the flush between tests
delete_instead_of_truncate_on_postgresql()  # TRUNCATE of every table is seconds per test on PostgreSQL

_seq = itertools.count(1)


def make_resident_id(district: str = "210102", birth: dt.date = dt.date(1985, 6, 15), male: bool = True) -> str:
    """A valid 身份证 number (check digit computed), unique within the test run."""
    n = next(_seq) % 500
    body = f"{district}{birth:%Y%m%d}{n * 2 + (1 if male else 0):03d}"
    return body + ric.calc_check_digit(body + "0")


def make_uscc(district: str = "210102") -> str:
    body = f"91{district}{next(_seq):09d}"
    return body + uscc.calc_check_digit(body + "0")


def talent_data(**overrides) -> dict:
    data = {
        "name": "李博文",
        "id_number": make_resident_id(overrides.pop("_district_code", "210102")),
        "phone": f"139{next(_seq):08d}",
        "district": "和平区",
        "highest_degree": "博士",
        "school": "帝国理工学院",
        "school_country": "英国",
        "graduation_date": "2021-07-01",
        "employment_start": "2021-09-01",
        "housing_status": "租房",
        "monthly_rent": "3200",
        "rent_area_sqm": "80",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def regions(request):
    """Transactional tests flush tables after each test, data migrations included: reload the regions and
    the example recognition standard."""
    marker = request.node.get_closest_marker("django_db")
    transactional = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if transactional or "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from rencai.regions.loading import regions_load
        from rencai.regions.models import Region

        request.getfixturevalue("transactional_db")
        regions_load(Region)
        from django.apps import apps

        from rencai.recognition.models import Standard

        if not Standard.objects.exists():
            importlib.import_module("rencai.recognition.migrations.0002_example_standard").load(apps, None)


@pytest.fixture
def make_user(db):
    def factory(username: str, role: str, region: str | None = None, organization=None, reveal: bool = False):
        department = None
        if region:
            from rencai.regions.models import Region

            name = f"{Region.objects.get(code=region).name}人力资源和社会保障局"
            department, _ = Department.objects.get_or_create(name=name, region_id=region)
        user = User.objects.create_user(username=username, password="pw-for-tests-123", role=role,
                                        department=department, organization=organization,
                                        is_superuser=role == Role.ADMIN, is_staff=role == Role.ADMIN)
        if reveal:
            user.user_permissions.add(Permission.objects.get(codename="reveal_personal_data"))
            user = User.objects.get(pk=user.pk)  # drop the permission cache
        return user

    return factory


@pytest.fixture
def heping_staff(make_user):
    return make_user("heping", Role.STAFF, "210102", reveal=True)


@pytest.fixture
def hunnan_staff(make_user):
    return make_user("hunnan", Role.STAFF, "210112", reveal=True)


@pytest.fixture
def city_staff(make_user):
    return make_user("city", Role.STAFF, "210100", reveal=True)


@pytest.fixture
def leader(make_user):
    return make_user("leader", Role.LEADER, "210100")


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", Role.ADMIN)


@pytest.fixture
def make_talent(db, admin_user):
    from rencai.talents.services import talent_create
    from rencai.talents.validation import talent_input_validate

    def factory(**overrides):
        district = overrides.get("district", "和平区")
        code = {"和平区": "210102", "浑南区": "210112"}.get(district, "210102")
        return talent_create(actor=admin_user, data=talent_input_validate(talent_data(_district_code=code,
                                                                                      **overrides)))

    return factory


@pytest.fixture
def talent_user(make_user, make_talent):
    """A talent in 和平区 (a 博士, entitled to the graduate living subsidy) with an account."""
    user = make_user("zhangsan", Role.TALENT)
    talent = make_talent(name="张三明")
    talent.user = user
    talent.save(update_fields=["user"])
    user.refresh_from_db()
    return user


@pytest.fixture
def talent(talent_user):
    from rencai.talents.models import Talent

    return Talent.objects.get(user=talent_user)


@pytest.fixture
def page(live_server):
    """A real Chromium page (Playwright); the test fails if the platform's pages raise JavaScript errors."""
    from rencai.browser import browser_page, chromium_available, shared_browser

    if not chromium_available():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with browser_page(shared_browser()) as page:
        page.base_url = live_server.url
        yield page
        assert page.js_errors == [], page.js_errors


@pytest.fixture(autouse=True)
def _shipped_catalog():
    """A rule published in one test (the policy workbench) is gone with its database: the next test starts
    from the shipped catalog."""
    yield
    from rencai.policies.published import reset_to_shipped

    reset_to_shipped()


@pytest.fixture(autouse=True)
def _no_browser_outside_browser_tests(request):
    """One Chromium per worker, shared by consecutive browser tests (rencai.browser.shared_browser); closed
    before any test without a page, and at the end."""
    from rencai.browser import close_shared_browser

    if "page" not in request.fixturenames:
        close_shared_browser()


@pytest.fixture(scope="session", autouse=True)
def _close_the_browser_at_the_end():
    yield
    from rencai.browser import close_shared_browser

    close_shared_browser()


@pytest.fixture(scope="session", autouse=True)
def close_stray_connections(django_db_setup, django_db_blocker):
    """The live server answers the browser from daemon threads; one may still hold a PostgreSQL connection
    when the session ends, and then the test database cannot be dropped. End such connections first."""
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")


def _weight(item) -> int:
    """How long a test runs, roughly: the page walk's shards (minutes), other browser tests (tens of seconds),
    the rest (a second or less)."""
    if item.module.__name__.endswith("test_page_walk") and item.originalname.startswith("test_every_page"):
        return 2
    return 1 if item.get_closest_marker("browser") else 0


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, the browser tests are skipped: what they check — the pages' layout, words, scripts,
    confirmations — is the pages' own and the same on both databases, and they run on SQLite (the README's
    `make test`, the first half of .ci/run); what the database can change is checked on PostgreSQL through the
    test client (every page and download of every role, core/tests/test_page_walk.py, and each app's page tests).
    ``RENCAI_BROWSER_ON_POSTGRESQL=1`` runs them there too.

    With one test worker per core (pytest-xdist, ``--maxschedchunk 1``: the Makefile), hand out the long
    tests first, each followed by a short one, so that the workers start on them at once and none is left
    running a long test alone at the end of the run (which made the run wait minutes for one core)."""
    import os

    from django.conf import settings

    on_postgresql = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if on_postgresql and os.environ.get("RENCAI_BROWSER_ON_POSTGRESQL") != "1":
        skip = pytest.mark.skip(reason="浏览器测试在 SQLite 上进行；PostgreSQL 上由测试客户端检查页面")
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(skip)
    if not getattr(config.option, "numprocesses", None):
        return
    heavy = sorted((item for item in items if _weight(item)), key=lambda item: -_weight(item))
    light = [item for item in items if not _weight(item)]
    ordered = []
    for item in heavy:
        ordered.append(item)
        if light:
            ordered.append(light.pop(0))
    items[:] = ordered + light
