"""Shared test helpers: locating the seed documents and running the calculator on small profiles."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from rencai.policies.calculator import calculate

REPO = Path(__file__).resolve().parents[3]


def seeds_dir() -> Path:
    """The five source documents: $RENCAI_SEEDS_DIR, or the copy in the repository (docs/seeds)."""
    candidates = [os.environ.get("RENCAI_SEEDS_DIR"), REPO / "docs" / "seeds"]
    for candidate in candidates:
        if candidate and (Path(candidate) / "004_7b8a2565d53e5b61.txt").exists():
            return Path(candidate)
    pytest.fail("seed documents not found; set RENCAI_SEEDS_DIR")


def example_path() -> Path:
    for candidate in (REPO / "docs" / "contracts" / "examples",):
        path = candidate / "doctor-renting-shenyang.json"
        if path.exists():
            return path
    pytest.fail("the contract's worked example was not found")


def result_for(profile: dict, policy: str, as_of: dt.date | None = None) -> dict:
    found = [r for r in calculate(profile, as_of=as_of)["results"] if r["policy"] == policy]
    assert len(found) == 1, policy
    return found[0]
