"""The shared page discovery (rencai.core.pagewalk) finds the pages of the URL configuration, fills their
arguments from what the user may see, and hands downloads only to those who ask for them (the benchmark)."""

import pytest

from rencai.core.pagewalk import patterns, urls_for

pytestmark = pytest.mark.django_db


def test_patterns_cover_lists_details_and_exports_but_not_the_admin_or_api():
    names = dict(patterns())
    assert names["talents:detail"] == ["talent_id"]
    assert "talents:staff_list" in names and not any(n.startswith(("admin:", "api:")) for n in names)


def test_urls_for_fill_arguments_from_the_users_scope(city_staff, make_talent):
    talent = make_talent(name="样本")
    pages = dict(urls_for(city_staff, strict=False))
    assert pages["talents:detail"] == f"/talents/{talent.pk}/"
    downloads = dict(urls_for(city_staff, downloads=True, strict=False))
    assert set(pages) < set(downloads)
    assert all(url.endswith((".xlsx", ".pdf", ".csv")) for name, url in downloads.items() if name not in pages)
