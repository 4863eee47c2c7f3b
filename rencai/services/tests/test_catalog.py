"""The service catalog: every quote verbatim in its document, no time limit without the document's words, and
a broken file refused with its file and field (nothing loaded)."""

import shutil

import pytest
import yaml

from rencai.policies.tests.helpers import seeds_dir
from rencai.services.catalog import CATALOG_DIR, CatalogError, load_catalog


def _files():
    return sorted(CATALOG_DIR.glob("*.yaml"))


def test_every_quote_is_verbatim_in_its_document():
    seeds = seeds_dir()
    checked = 0
    for path in _files():
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        text = (seeds / data["source"]["document"]).read_text(encoding="utf-8")
        for source in [data["source"], *data.get("also_sources", [])]:
            assert source["quote"] in (seeds / source["document"]).read_text(encoding="utf-8"), (path.name, source)
            checked += 1
        if data.get("deadline"):  # a time limit only with the document's own words for it
            assert data["deadline"]["quote"] in text, path.name
    assert checked > len(_files())


def test_catalog_ships_the_named_items_and_the_bundle():
    catalog = load_catalog()
    titles = {i.title for i in catalog.items.values()}
    # 004's window names these of its 18 items (the rest are the office's to add).
    for named in ("高层次人才认定材料预审", "“高层次人才卡”的制发和管理", "惠才新政的宣传和咨询答疑", "代办跑腿服务",
                  "其它个性化服务"):
        assert named in titles
    bundle = catalog.bundles["sy-come-to-shenyang"]
    titles = [catalog.items[k].title for k in bundle.items]
    assert titles == ["人才认定（直接认定）", "人才公寓", "子女义务教育阶段就学", "落户"]
    # Only documents give time limits: 即时办理 (004) and 即时办结 (001), both the same day.
    limits = {k: i.deadline_days for k, i in catalog.items.items() if i.deadline_days is not None}
    assert limits == {"sy-talent-recognition": 0, "zz-child-schooling": 0}


def test_child_schooling_treatment_differs_per_level():
    item = load_catalog().items["ln-child-schooling"]
    texts = {t.rule.categories: t.text for t in item.treatments}
    assert "国家级人才计划" in texts[("A",)] and "兴辽英才计划" in texts[("B", "C")]


def test_a_broken_file_names_file_and_field_and_loads_nothing(tmp_path):
    for path in _files():
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "ln-settlement.yaml"
    data = yaml.safe_load(broken.read_text(encoding="utf-8"))
    data["level"] = "province"
    data["deadline"] = {"working_days": 5}  # a number without the document's words
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CatalogError) as error:
        load_catalog(tmp_path)
    problems = "\n".join(error.value.problems)
    assert "ln-settlement.yaml: level" in problems and "ln-settlement.yaml: deadline" in problems
