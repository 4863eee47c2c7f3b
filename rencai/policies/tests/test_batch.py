"""One engine, two paths: the batch path (Polars) agrees with the single-person path on every policy."""

import datetime as dt
import functools
import json
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rencai.policies.batch import STATUS, evaluate_frame, profiles_to_frame
from rencai.policies.calculator import calculate, default_catalog
from rencai.policies.engine.evaluate import evaluate_policy
from rencai.policies.engine.expr import add_years
from rencai.policies.fields import FIELDS
from rencai.policies.profile import normalize
from rencai.policies.tests.helpers import example_path


def _maybe(strategy):
    return st.one_of(st.none(), strategy)


def _near(as_of: dt.date, years: tuple[int, ...]):
    """Dates on, just before and just after an anniversary that a threshold turns on."""
    return st.builds(lambda n, d: add_years(as_of, -n) + dt.timedelta(days=d),
                     st.sampled_from(years), st.integers(-1, 1))


def _enum(name):
    return _maybe(st.sampled_from(FIELDS[name].domain))


# The strategies that do not depend on the day, built once: a strategy is checked the first time it is drawn
# from, and building them anew for every profile made the checking most of this test's time.
_BOOL = st.booleans()
_ENUMS = {name: st.sampled_from(FIELDS[name].domain) for name in (
    "degree", "talent_category", "professional_title", "skill_level", "employment.employer_type")}
_CITY = st.sampled_from(["shenyang", "shenyang", "nantong", "zhengzhou", "210100"])
_HONORS = st.lists(st.sampled_from(FIELDS["honors"].domain), max_size=2)
# Odd fen and awkward areas make half-fen results, which must round the same way on both paths.
_RENT = st.integers(0, 2_000_000).map(lambda c: Decimal(c).scaleb(-2))
_AREA = st.one_of(st.integers(1, 30_000).map(lambda c: Decimal(c).scaleb(-2)),
                  st.sampled_from([Decimal(v) for v in ("30", "40", "50", "75", "90", "80", "96", "160")]))
_TRAINING = st.lists(st.fixed_dictionaries({
    "kind": st.sampled_from(["startup_guidance", "startup_coaching"]), "certified": _BOOL}), max_size=2)
_RECEIVED = st.lists(st.sampled_from([
    "sy-living-subsidy-graduate", "sy-rent-subsidy", "sy-purchase-subsidy-graduate",
    "nt-returnee-purchase-subsidy"]), max_size=2, unique=True)


@functools.cache
def _optional(strategy, complete: bool):
    return strategy if complete else st.one_of(st.none(), strategy)


@st.composite
def profiles(draw, as_of: dt.date):
    # Half the profiles are complete (every fact given), so that the rules needing several fields at
    # once are reached; the other half leave facts out at random to exercise "unknown".
    complete = draw(st.booleans())

    def _maybe(strategy):
        return _optional(strategy, complete)

    def _enum(name):
        return _maybe(_ENUMS[name])

    birth = draw(_maybe(st.one_of(st.dates(dt.date(as_of.year - 70, 1, 1), as_of),
                                  _near(as_of, (30, 31, 35, 36, 40, 41, 45, 46, 55, 56)))))
    earliest = birth or dt.date(as_of.year - 50, 1, 1)
    profile = {
        "city": draw(_maybe(_CITY)),
        "birth_date": birth and birth.isoformat(),
        "returnee": draw(_maybe(_BOOL)),
        "degree": draw(_enum("degree")),
        "talent_category": draw(_enum("talent_category")),
        "professional_title": draw(_enum("professional_title")),
        "skill_level": draw(_enum("skill_level")),
        "honors": draw(_HONORS),
    }
    graduated = draw(_maybe(st.one_of(st.dates(earliest, as_of + dt.timedelta(days=400)),
                                      _near(as_of, (0, 2, 5)))))
    graduated = graduated if graduated is None or graduated >= earliest else earliest
    profile["graduation_date"] = graduated and graduated.isoformat()
    if complete or draw(st.booleans()):
        profile["employment"] = {
            "employer_type": draw(_enum("employment.employer_type")),
            "in_city": draw(_maybe(_BOOL)),
        }
    if complete or draw(st.booleans()):
        profile["housing"] = {
            "renting": draw(_maybe(_BOOL)),
            "monthly_rent": draw(_maybe(_RENT)),
            "rent_area_sqm": draw(_maybe(_AREA)),
            "apartment_available": draw(_maybe(_BOOL)),
        }
    if draw(st.booleans()):
        profile["purchase"] = {
            "first_home": draw(_maybe(_BOOL)),
            "self_occupied": draw(_maybe(_BOOL)),
        }
        bought = draw(_maybe(st.one_of(st.dates(earliest, as_of), st.just(graduated and min(
            add_years(graduated, 5) + dt.timedelta(days=draw(st.integers(0, 1))), as_of)))))
        bought = bought if bought is None or bought >= earliest else None
        profile["purchase"]["date"] = bought and bought.isoformat()
    profile["training"] = draw(_TRAINING)
    profile["received"] = draw(_RECEIVED)
    return profile


def _single(profile: dict, as_of: dt.date) -> dict:
    catalog = default_catalog()
    ctx = normalize(profile, as_of=as_of, policy_ids=catalog.policies)
    return {p.id: evaluate_policy(p, ctx) for p in catalog.person_policies()}


def _assert_same(people: list[dict], as_of: dt.date) -> None:
    frame = evaluate_frame(profiles_to_frame(people, as_of=as_of), as_of=as_of)
    rows = frame.to_dicts()
    for profile, row in zip(people, rows, strict=True):
        for pid, outcome in _single(profile, as_of).items():
            where = (pid, profile)
            assert row[f"{pid}.status"] == STATUS[outcome.status], where
            assert row[f"{pid}.code"] == outcome.code, where
            if f"{pid}.monthly_fen" in row:
                assert row[f"{pid}.monthly_fen"] == outcome.monthly_fen, where
                assert row[f"{pid}.one_time_fen"] == outcome.one_time_fen, where
                assert row[f"{pid}.total_fen"] == outcome.total_fen, where
            else:
                assert outcome.monthly_fen is None and outcome.one_time_fen is None, where


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_of=st.one_of(
    st.dates(dt.date(2025, 8, 25), dt.date(2028, 12, 31)),  # every policy with an open end is in force
    st.dates(dt.date(2022, 1, 1), dt.date(2028, 12, 31)),
    st.dates(dt.date(2017, 1, 1), dt.date(2028, 12, 31)),
))
def test_batch_and_single_person_agree(data, as_of):
    people = data.draw(st.lists(profiles(as_of), min_size=10, max_size=40))
    _assert_same(people, as_of)


def test_worked_example_through_the_batch_path():
    profile = json.loads(example_path().read_text(encoding="utf-8"))
    as_of = dt.date.fromisoformat(profile.pop("as_of"))
    row = evaluate_frame(profiles_to_frame([profile], as_of=as_of), as_of=as_of).row(0, named=True)
    assert row["sy-rent-subsidy.monthly_fen"] == 150000
    assert row["sy-rent-subsidy.total_fen"] is None
    assert row["sy-living-subsidy-graduate.total_fen"] == 9_000_000
    assert row["sy-purchase-subsidy-graduate.code"] == "sy-purchase-subsidy-graduate/bought"
    assert row["nt-returnee-purchase-subsidy.code"] == "nt-returnee-purchase-subsidy/jurisdiction"
    single = {r["policy"]: r for r in calculate(profile, as_of=as_of)["results"]}
    for pid, result in single.items():
        assert row[f"{pid}.code"] == result["decided_by"]


def test_boundary_ages_agree():
    as_of = dt.date(2023, 6, 1)
    people = [
        {"city": "shenyang", "birth_date": birth, "degree": "doctor",
         "housing": {"renting": True, "monthly_rent": 3333.33, "rent_area_sqm": 77.77}}
        for birth in ("1978-06-01", "1977-06-01", "1977-06-02", "2000-02-29", "1968-06-01")
    ]
    _assert_same(people, as_of)
    # Born 29 Feb 1976: 46 full years on 28 Feb 2022 (no 29th that year), so over the doctors' 45.
    leap_born = {"city": "shenyang", "birth_date": "1976-02-29", "degree": "doctor",
                 "housing": {"renting": True, "monthly_rent": 1000, "rent_area_sqm": 50}}
    for day in (dt.date(2022, 2, 27), dt.date(2022, 2, 28)):
        _assert_same([leap_born], day)
    assert _single(leap_born, dt.date(2022, 2, 27))["sy-rent-subsidy"].status is True
    assert _single(leap_born, dt.date(2022, 2, 28))["sy-rent-subsidy"].status is False


def test_half_fen_rounds_up_on_both_paths():
    as_of = dt.date(2023, 6, 1)
    person = {"city": "shenyang", "birth_date": "1990-01-01", "degree": "doctor",
              "housing": {"renting": True, "monthly_rent": "1000.01", "rent_area_sqm": 60}}
    _assert_same([person], as_of)
    row = evaluate_frame(profiles_to_frame([person], as_of=as_of), as_of=as_of).row(0, named=True)
    assert row["sy-rent-subsidy.monthly_fen"] == 50001  # 500.005 yuan → 500.01


def test_columns_missing_from_the_frame_read_as_missing_fields():
    import polars as pl

    frame = pl.DataFrame({"city": ["210100"], "degree": ["doctor"]})
    row = evaluate_frame(frame, as_of=dt.date(2023, 6, 1), policies=["sy-living-subsidy-graduate",
                                                                       "sy-rent-subsidy"]).row(0, named=True)
    assert row["sy-living-subsidy-graduate.status"] == STATUS[True]
    assert row["sy-rent-subsidy.status"] == STATUS["unknown"]
