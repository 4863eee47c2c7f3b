"""The seeded synthetic population every policy benchmark measures, in the three shapes the paths read.

* ``synthetic_frame`` — the batch input frame (rencai.policies.batch), one row per talent, with the gaps
  real registries have (no city, no degree) so that the batch path also decides "unknown";
* ``subset_arrays`` — the columns the living / rent / purchase subsidies read, as plain numpy arrays with
  small integer codes for the categories (the input of numpy_rules and of the OpenFisca simulation);
* ``profiles`` — rows back as calculator-contract profiles (the single-person path and its JSON).

Everything is drawn from one ``numpy.random.Generator(seed)``, so a size and a seed give the same people.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import numpy as np
import polars as pl

from rencai.policies.batch import FRAME_SCHEMA
from rencai.policies.fields import FIELDS

EPOCH = dt.date(1970, 1, 1)

# Category codes shared by numpy_rules and openfisca_rules: 0 is "not declared" (unknown for the degree
# and the city, "holds none" for the recognitions); the rest follow the order of the tuples.
CITIES = ("210100", "320600", "410100")  # 1 沈阳, 2 南通, 3 郑州
DEGREES = ("junior_college", "bachelor", "master", "doctor")
CATEGORIES = ("A", "B", "C", "D")
TITLES = ("junior", "intermediate", "associate_senior", "senior")
SKILLS = ("senior_worker", "technician", "senior_technician", "special_technician")
SHENYANG, NANTONG = 1, 2


def _pick(rng: np.random.Generator, values: list, n: int, dtype: pl.DataType) -> pl.Series:
    """n values drawn from a short list, built by gathering (no per-row Python objects)."""
    return pl.Series(values, dtype=dtype).gather(rng.integers(0, len(values), n))


def synthetic_frame(n: int, seed: int, as_of: dt.date) -> pl.DataFrame:
    """n synthetic talents as the batch input frame (money in fen, areas in hundredths of a ㎡)."""
    rng = np.random.default_rng(seed)
    as_of_days = (as_of - EPOCH).days
    birth = as_of_days - rng.integers(18 * 365, 65 * 365, n)
    graduation = np.minimum(birth + rng.integers(19 * 365, 35 * 365, n), as_of_days)
    bought = rng.random(n) < 0.3
    purchase_day = np.minimum(graduation + rng.integers(0, 9 * 365, n), as_of_days)
    renting = rng.random(n) < 0.6
    text = {name: FRAME_SCHEMA[name] for name in FRAME_SCHEMA if FIELDS[name].type.value == "text"}
    lists = pl.List(pl.String)
    frame = pl.DataFrame({
        "person_id": np.arange(n),
        "city": _pick(rng, ["210100", "210100", "210100", "320600", "410100", None], n, text["city"]),
        "birth_date": pl.Series(birth, dtype=pl.Int32).cast(pl.Date),
        "returnee": rng.random(n) < 0.2,
        "degree": _pick(rng, [*FIELDS["degree"].domain, None], n, text["degree"]),
        "graduation_date": pl.Series(graduation, dtype=pl.Int32).cast(pl.Date),
        "talent_category": _pick(rng, ["", "", "", "", "A", "B", "C", "D", "D"], n, text["talent_category"]),
        "professional_title": _pick(rng, ["", *FIELDS["professional_title"].domain], n,
                                    text["professional_title"]),
        "skill_level": _pick(rng, ["", "", "", *FIELDS["skill_level"].domain], n, text["skill_level"]),
        "honors": _pick(rng, [[], [], [], [], ["top_talent_award"], ["national_technical_expert"],
                              ["liaoning_craftsman"], ["china_skills_award"],
                              ["national_technical_expert", "top_talent_award"]], n, lists),
        "employment.employer_type": _pick(rng, list(FIELDS["employment.employer_type"].domain), n,
                                          text["employment.employer_type"]),
        "employment.in_city": rng.random(n) < 0.9,
        "housing.renting": renting,
        "housing.monthly_rent": rng.integers(50_000, 800_000, n),  # fen
        "housing.rent_area_sqm": rng.integers(2_000, 15_000, n),  # hundredths of a ㎡
        "housing.apartment_available": rng.random(n) < 0.5,
        "has_purchase": bought,
        "purchase.date": pl.Series(purchase_day, dtype=pl.Int32).cast(pl.Date),
        "purchase.first_home": rng.random(n) < 0.8,
        "purchase.self_occupied": rng.random(n) < 0.9,
        "certified_training": _pick(rng, [[], [], [], ["startup_guidance"], ["startup_coaching"],
                                          ["startup_coaching", "startup_guidance"]], n, lists),
        "received": pl.Series([[]], dtype=lists).gather(np.zeros(n, dtype=np.int64)),
    })
    # Rent only for renters, purchase details only for buyers.
    rent = ["housing.monthly_rent", "housing.rent_area_sqm"]
    bought_cols = ["purchase.date", "purchase.first_home", "purchase.self_occupied"]
    return frame.with_columns(
        *[pl.when(pl.col("housing.renting")).then(pl.col(c)).alias(c) for c in rent],
        *[pl.when(pl.col("has_purchase")).then(pl.col(c)).alias(c) for c in bought_cols],
    )


@dataclass
class SubsetArrays:
    """The inputs of the living, rent and purchase subsidies, one numpy element per talent.

    Categories are int8 codes (0 = not declared, then the order of CITIES, DEGREES, ...); dates are
    datetime64[D]; money is int64 fen and the rented area int64 hundredths of a ㎡ (0 where not renting).
    """

    city: np.ndarray
    birth_date: np.ndarray
    returnee: np.ndarray
    degree: np.ndarray
    graduation_date: np.ndarray
    talent_category: np.ndarray
    professional_title: np.ndarray
    skill_level: np.ndarray
    top_talent_award: np.ndarray
    national_technical_expert: np.ndarray
    china_skills_award: np.ndarray
    works_in_city: np.ndarray
    renting: np.ndarray
    monthly_rent: np.ndarray
    rent_area: np.ndarray
    has_purchase: np.ndarray
    purchase_date: np.ndarray
    first_home: np.ndarray
    self_occupied: np.ndarray

    def __len__(self) -> int:
        return len(self.city)

    def take(self, index: np.ndarray | slice) -> SubsetArrays:
        return SubsetArrays(**{f.name: getattr(self, f.name)[index] for f in fields(self)})


def _codes(series: pl.Series, names: tuple[str, ...]) -> np.ndarray:
    mapping = {name: code for code, name in enumerate(names, start=1)}
    return series.cast(pl.String).replace_strict(mapping, default=0, return_dtype=pl.Int8).to_numpy()


def subset_arrays(frame: pl.DataFrame) -> SubsetArrays:
    """The subset's inputs from the batch frame (outside any timing: a data set already in memory).

    The peers have no "unknown": a missing degree or city becomes code 0, and the columns they read as
    always known are checked to hold no gaps; nobody has received a policy yet (``received`` is empty), so
    the once-per-person and the exclusive-group checks of the catalog always pass and the peers omit them.
    """
    always_known = ["birth_date", "returnee", "graduation_date", "employment.in_city", "housing.renting",
                    "has_purchase"]
    for name in always_known:
        assert frame[name].null_count() == 0, f"{name} has gaps the peers cannot represent"
    assert int(frame["received"].list.len().max() or 0) == 0, "the peers assume nobody has received a policy"
    renting = frame["housing.renting"].to_numpy()
    bought = frame["has_purchase"].to_numpy()
    assert frame.filter(pl.col("housing.renting"))[["housing.monthly_rent", "housing.rent_area_sqm"]] \
        .null_count().sum_horizontal().item() == 0
    assert frame.filter(pl.col("has_purchase"))[["purchase.date", "purchase.first_home",
                                                 "purchase.self_occupied"]].null_count().sum_horizontal().item() == 0

    def has(honor: str) -> np.ndarray:
        return frame["honors"].list.contains(honor).fill_null(False).to_numpy()

    def day(name: str) -> np.ndarray:
        return frame[name].cast(pl.Int32).fill_null(0).to_numpy().astype("datetime64[D]")

    return SubsetArrays(
        city=_codes(frame["city"], CITIES),
        birth_date=day("birth_date"),
        returnee=frame["returnee"].to_numpy(),
        degree=_codes(frame["degree"], DEGREES),
        graduation_date=day("graduation_date"),
        talent_category=_codes(frame["talent_category"], CATEGORIES),
        professional_title=_codes(frame["professional_title"], TITLES),
        skill_level=_codes(frame["skill_level"], SKILLS),
        top_talent_award=has("top_talent_award"),
        national_technical_expert=has("national_technical_expert"),
        china_skills_award=has("china_skills_award"),
        works_in_city=frame["employment.in_city"].to_numpy(),
        renting=renting,
        monthly_rent=frame["housing.monthly_rent"].fill_null(0).to_numpy().astype(np.int64),
        rent_area=frame["housing.rent_area_sqm"].fill_null(0).to_numpy().astype(np.int64),
        has_purchase=bought,
        purchase_date=day("purchase.date"),
        first_home=frame["purchase.first_home"].fill_null(False).to_numpy(),
        self_occupied=frame["purchase.self_occupied"].fill_null(False).to_numpy(),
    )


def _yuan(fen: int) -> int | float:
    """Fen as a JSON number of yuan with at most two decimals (the calculator reads repr() exactly)."""
    return fen // 100 if fen % 100 == 0 else fen / 100


def profiles(frame: pl.DataFrame) -> list[dict]:
    """Frame rows as calculator-contract profiles (absent fields left out, as a person would)."""
    people = []
    for row in frame.iter_rows(named=True):
        profile: dict = {
            "birth_date": row["birth_date"].isoformat(), "returnee": row["returnee"],
            "graduation_date": row["graduation_date"].isoformat(),
            "honors": row["honors"],
            "employment": {"employer_type": row["employment.employer_type"],
                           "in_city": row["employment.in_city"]},
            "housing": {"renting": row["housing.renting"],
                        "apartment_available": row["housing.apartment_available"]},
            "training": [{"kind": kind, "certified": True} for kind in row["certified_training"]],
        }
        for name in ("city", "degree", "talent_category", "professional_title", "skill_level"):
            if row[name]:
                profile[name] = row[name]
        if row["housing.renting"]:
            profile["housing"]["monthly_rent"] = _yuan(row["housing.monthly_rent"])
            profile["housing"]["rent_area_sqm"] = _yuan(row["housing.rent_area_sqm"])
        if row["has_purchase"]:
            profile["purchase"] = {"date": row["purchase.date"].isoformat(),
                                   "first_home": row["purchase.first_home"],
                                   "self_occupied": row["purchase.self_occupied"]}
        people.append(profile)
    return people
