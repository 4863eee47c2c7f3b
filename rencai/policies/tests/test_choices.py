"""The batch path's choices (不可兼得) agree with the calculator's, person by person."""

import datetime as dt
import random

from rencai.policies.batch import choices_frame, evaluate_frame, profiles_to_frame
from rencai.policies.calculator import calculate

AS_OF = dt.date(2024, 6, 1)


def random_people(n: int, seed: int) -> list[dict]:
    rng = random.Random(seed)
    people = []
    for _ in range(n):
        person = {
            "city": "shenyang",
            "birth_date": f"{rng.randint(1965, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "degree": rng.choice(["bachelor", "master", "doctor", "junior_college"]),
            "skill_level": rng.choice([None, "senior_worker", "technician", "senior_technician"]),
            "talent_category": rng.choice([None, None, "A", "B", "C", "D"]),
            "employment": {"employer_type": rng.choice(["enterprise", "institution"]), "in_city": True},
            "housing": {"renting": rng.choice([True, False]), "owns_home_in_city": False,
                        "monthly_rent": rng.randint(500, 6000), "rent_area_sqm": rng.randint(20, 120),
                        "apartment_available": rng.choice([True, False])},
        }
        people.append({key: value for key, value in person.items() if value is not None})
    return people


def test_batch_choices_equal_the_calculators():
    people = random_people(300, seed=11)
    frame = profiles_to_frame(people, as_of=AS_OF, ids=range(len(people)))
    choices = choices_frame(frame, evaluate_frame(frame, as_of=AS_OF), as_of=AS_OF)
    batch = {(r["person_id"], r["exclusive_group"]): (r["recommended"], r["options"])
             for r in choices.iter_rows(named=True)}
    single = {(i, c["exclusive_group"]): (c["recommended"], c["options"])
              for i, person in enumerate(people)
              for c in calculate({**person, "as_of": AS_OF.isoformat()})["choices"]}
    assert len(single) > 50  # the sample does exercise the group
    assert batch == single


def test_the_worked_example_recommends_the_living_subsidy_in_batch():
    person = {"city": "shenyang", "birth_date": "1985-06-15", "degree": "doctor", "graduation_date": "2021-07-01",
              "employment": {"employer_type": "enterprise", "in_city": True},
              "housing": {"owns_home_in_city": False, "renting": True, "monthly_rent": 3200, "rent_area_sqm": 80}}
    frame = profiles_to_frame([person], as_of=dt.date(2023, 6, 1), ids=[1])
    row = choices_frame(frame, evaluate_frame(frame, as_of=dt.date(2023, 6, 1)), as_of=dt.date(2023, 6, 1)).row(
        0, named=True)
    assert row["recommended"] == "sy-living-subsidy-graduate"
    assert row["options"] == ["sy-rent-subsidy", "sy-living-subsidy-graduate"]
