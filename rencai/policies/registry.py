"""The registry as the engine's input, in its two shapes: one talent as a calculator profile (the contract's
input, for the talent's own page), and the whole registry as the batch frame (columns as batch.FRAME_SCHEMA,
read straight from the database in chunks). Both read the same facts; a test proves they agree."""

import datetime as dt
from decimal import Decimal

import polars as pl

from rencai.recognition.selectors import categories_on, category_on
from rencai.talents.enums import EmploymentStatus, HousingStatus
from rencai.talents.models import Talent

from .batch import FRAME_SCHEMA


def talent_profile(talent: Talent, *, as_of: dt.date) -> dict:
    """Only what the registry knows; what it does not know stays out, so the engine answers "unknown"
    for it instead of guessing."""
    profile: dict = {
        "as_of": as_of.isoformat(),
        "city": talent.district.parent_id,
        "birth_date": talent.birth_date.isoformat(),
        "returnee": talent.returnee,
        "honors": list(talent.honors),
        # Already received (active entitlements, approved applications): not offered again.
        "received": _received([talent.pk]).get(talent.pk, []),
    }
    if talent.highest_degree:
        profile["degree"] = talent.highest_degree
    if talent.graduation_date:
        profile["graduation_date"] = talent.graduation_date.isoformat()
    # The category valid on the evaluation day: platform recognitions with their validity, or the one
    # recognised before the platform, from the day it was recognised.
    category = category_on(talent, as_of)
    if category:
        profile["talent_category"] = category
    if talent.professional_title:
        profile["professional_title"] = talent.professional_title
    if talent.skill_level:
        profile["skill_level"] = talent.skill_level
    # Employment counts only once the employer (or staff) has confirmed it: a talent's claim is not enough.
    if talent.employer_type and talent.employment_confirmed:
        employment = {"employer_type": talent.employer_type, "in_city": True}
        if talent.employment_start:
            employment["start_date"] = talent.employment_start.isoformat()
        profile["employment"] = employment
    if talent.housing_status:
        housing = {
            "owns_home_in_city": talent.housing_status == HousingStatus.OWNS,
            "renting": talent.housing_status == HousingStatus.RENTING,
        }
        if talent.monthly_rent is not None:
            housing["monthly_rent"] = talent.monthly_rent
        if talent.rent_area_sqm is not None:
            housing["rent_area_sqm"] = talent.rent_area_sqm
        profile["housing"] = housing
    return profile


def _received(pks) -> dict[int, list[str]]:
    from rencai.fulfilment.selectors import received_for

    return received_for(pks)


COLUMNS = (
    "pk", "district__parent_id", "birth_date", "returnee", "highest_degree", "graduation_date", "talent_category",
    "category_recognized_on", "professional_title", "skill_level", "honors", "employer_type", "employment_start",
    "housing_status", "monthly_rent", "rent_area_sqm", "district_id", "employment_status",
)
CHUNK = 50_000


def _scaled(value: Decimal | None) -> int | None:
    return None if value is None else int(value * 100)


def _chunk_frame(rows: list[tuple], as_of: dt.date, recognised: dict[int, str],
                 received: dict[int, list[str]] | None = None) -> pl.DataFrame:
    """``received`` may be given by a caller that reads it set-based (the monthly payment run); else it is
    read for these talents."""
    (pk, city, birth, returnee, degree, graduated, category, recognised_on, title, skill, honors, employer_type,
     start, housing, rent, area, district, employment) = zip(*rows, strict=True)
    # As talent_profile: the platform's recognitions valid that day where there are any, else the
    # registry's category from the day it was recognised.
    valid_category = [
        recognised[p] if p in recognised else (c if c and (r is None or r <= as_of) else "")
        for p, c, r in zip(pk, category, recognised_on, strict=True)
    ]
    received = _received(pk) if received is None else received
    has_housing = [bool(h) for h in housing]
    # As talent_profile: an employment the employer (or staff) has not confirmed is not known.
    has_employer = [bool(e) and s == EmploymentStatus.CONFIRMED for e, s in zip(employer_type, employment,
                                                                                strict=True)]
    columns = {
        "person_id": pl.Series(pk, dtype=pl.Int64),
        "district": pl.Series(district, dtype=pl.String),
        "city": city,
        "birth_date": birth,
        "returnee": returnee,
        "degree": [d or None for d in degree],
        "graduation_date": graduated,
        "talent_category": valid_category,
        "professional_title": title,
        "skill_level": skill,
        "honors": [sorted(set(h)) for h in honors],  # the batch frame holds distinct items
        "employment.employer_type": [e if k else None for e, k in zip(employer_type, has_employer, strict=True)],
        "employment.in_city": [True if e else None for e in has_employer],
        "employment.start_date": [s if e else None for s, e in zip(start, has_employer, strict=True)],
        "housing.owns_home_in_city": [h == HousingStatus.OWNS if k else None for h, k in zip(housing, has_housing,
                                                                                           strict=True)],
        "housing.renting": [h == HousingStatus.RENTING if k else None for h, k in zip(housing, has_housing,
                                                                                   strict=True)],
        "housing.monthly_rent": [_scaled(r) for r in rent],
        "housing.rent_area_sqm": [_scaled(a) for a in area],
        "received": [received.get(p, []) for p in pk],
    }
    schema = {"person_id": pl.Int64, "district": pl.String,
              **{name: FRAME_SCHEMA[name] for name in columns if name in FRAME_SCHEMA}}
    return pl.DataFrame(columns, schema=schema)


def registry_frame(*, as_of: dt.date, queryset=None) -> pl.DataFrame:
    """Every talent of ``queryset`` (default: the whole registry) as the batch input frame, plus
    ``person_id`` and ``district`` columns."""
    queryset = (queryset if queryset is not None else Talent.objects.all()).order_by("pk").values_list(*COLUMNS)
    recognised = categories_on(on=as_of)
    frames, rows = [], []
    for row in queryset.iterator(chunk_size=10_000):
        rows.append(row)
        if len(rows) == CHUNK:
            frames.append(_chunk_frame(rows, as_of, recognised))
            rows = []
    if rows:
        frames.append(_chunk_frame(rows, as_of, recognised))
    if not frames:
        return pl.DataFrame(schema={"person_id": pl.Int64, "district": pl.String, **FRAME_SCHEMA})
    return pl.concat(frames)
