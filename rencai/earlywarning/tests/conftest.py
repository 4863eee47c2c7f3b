import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def rules(db):
    """The shipped rules (a transactional test's flush removes what migration 0002 loaded)."""
    from rencai.earlywarning.models import WarningRule
    from rencai.earlywarning.rules import rules_setup

    rules_setup()
    return {r.kind: r for r in WarningRule.objects.all()}


@pytest.fixture
def categorised(make_talent):
    """A talent of a category (the registry's current category)."""
    from rencai.talents.models import Talent

    def factory(name: str, category: str, district: str = "和平区"):
        talent = make_talent(name=name, district=district)
        Talent.objects.filter(pk=talent.pk).update(talent_category=category)
        talent.refresh_from_db()
        return talent

    return factory
