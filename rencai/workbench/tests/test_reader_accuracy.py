"""bench/reader_accuracy.py's core: the gold is read from the catalog's parsed rules, and the reader's recall on
the catalog's sentences stays above the floor measured when it was built (amounts 1.000, groups 0.813,
thresholds 0.875, 不可兼得 1.000 — less a margin)."""

import importlib.util
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from rencai.policies.engine.catalog import load_catalog
from rencai.workbench.reader.accuracy import gold_of, measure

FLOORS = {"amounts": 0.95, "groups": 0.75, "thresholds": 0.75, "exclusive": 1.0}


def test_the_gold_is_the_catalogs_own_rules():
    catalog = load_catalog()
    graduate = gold_of(catalog.policies["sy-living-subsidy-graduate"])
    assert graduate["amounts"] == {Decimal(600), Decimal(1200), Decimal(2500), Decimal(36)}
    assert graduate["groups"] == {("degree", "bachelor"), ("degree", "master"), ("degree", "doctor")}
    skilled = gold_of(catalog.policies["sy-purchase-subsidy-skilled"])
    assert ("age", "<=", Decimal(55)) in skilled["thresholds"]
    assert ("honors", "china_skills_award") in skilled["groups"]
    window = gold_of(catalog.policies["sy-purchase-subsidy-graduate"])
    assert ("graduation_years", "<=", Decimal(5)) in window["thresholds"]
    rent = gold_of(catalog.policies["sy-rent-subsidy"])
    assert Decimal("0.5") in rent["amounts"] and ("talent_category", "D") in rent["groups"]


def test_recall_and_precision_above_the_measured_floor():
    scores, passages = measure()
    assert len(passages) >= 30
    for kind, floor in FLOORS.items():
        assert scores[kind].recall >= floor, (kind, scores[kind].recall, scores[kind].misses)
    assert scores["amounts"].precision >= 0.75 and scores["groups"].precision >= 0.85


def test_the_bench_script_runs(capsys):
    path = Path(settings.BASE_DIR) / "bench" / "reader_accuracy.py"
    spec = importlib.util.spec_from_file_location("reader_accuracy", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    scores = module.main(["--quiet"])
    out = capsys.readouterr().out
    assert "precision" in out and "recall" in out and f"{scores['amounts'].recall:.3f}" in out
