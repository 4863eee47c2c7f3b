"""Loading the catalog into the database: all or nothing, revisions kept; the published pages."""

import shutil

import pytest
from django.core.management import CommandError, call_command

from rencai.policies.engine.catalog import CATALOG_DIR
from rencai.policies.models import PolicyRecord, PolicyRevision
from rencai.policies.services import catalog_load

pytestmark = pytest.mark.django_db


def test_load_is_idempotent_and_keeps_revisions(tmp_path):
    directory = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, directory)
    first = catalog_load(directory=directory)
    assert "sy-rent-subsidy" in first.created and not first.updated
    assert catalog_load(directory=directory).created == []
    path = directory / "sy-rent-subsidy.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("基础人才房租补贴", "基础人才房租补贴（修订）"),
                    encoding="utf-8")
    assert catalog_load(directory=directory).updated == ["sy-rent-subsidy"]
    record = PolicyRecord.objects.get(policy="sy-rent-subsidy")
    assert record.title.endswith("（修订）") and record.revisions.count() == 2
    (directory / "nt-youth-station.yaml").unlink()
    assert catalog_load(directory=directory).retired == ["nt-youth-station"]
    assert PolicyRecord.objects.get(policy="nt-youth-station").active is False


def test_a_broken_file_loads_nothing_and_names_file_and_line(tmp_path):
    directory = tmp_path / "catalog"
    shutil.copytree(CATALOG_DIR, directory)
    path = directory / "sy-living-subsidy-graduate.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace('degree == "doctor"', 'degre == "doctor"'),
                    encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command("load_policies", directory=str(directory))
    assert "sy-living-subsidy-graduate.yaml:" in str(info.value) and "degre" in str(info.value)
    assert PolicyRecord.objects.count() == 0 and PolicyRevision.objects.count() == 0


def test_published_pages_cite_the_documents(client):
    call_command("load_policies")
    listing = client.get("/policies/").content.decode()
    assert 'data-policy="sy-living-subsidy-graduate"' in listing and "沈阳市" in listing
    detail = client.get("/policies/catalog/sy-living-subsidy-graduate/").content.decode()
    assert "博士毕业生每月2500元,发放期限最长三年" in detail and "最长 36 个月" in detail
    assert "学历：博士 → 每月2500元" in detail and "共 1 个版本" in detail
    assert client.get("/policies/catalog/no-such-policy/").status_code == 404
