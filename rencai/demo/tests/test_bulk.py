"""The PostgreSQL bulk path of the demo (COPY, secondary indexes and constraints made after the load) writes
the same pool as the portable path, and leaves the schema as it found it."""

import pytest
from django.db import connection

from rencai.demo import generator
from rencai.organizations.models import Organization
from rencai.talents.models import Education, Talent

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")]


def _schema() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)
                          UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
                          WHERE conrelid::regclass::text = ANY(%s) ORDER BY 1, 2""",
                       [["talents_talent", "talents_education"]] * 2)
        return cursor.fetchall()


def _snapshot():
    talents = list(Talent.objects.order_by("id_number_hash").values_list(
        "id_number_hash", "phone_hash", "id_number_masked", "name", "gender", "birth_date", "talent_category",
        "category_recognized_on", "district", "organization__uscc", "highest_degree", "graduation_date", "returnee",
        "employer_type", "employment_start", "social_insurance", "professional_title", "skill_level", "honors",
        "housing_status", "monthly_rent", "rent_area_sqm", "source", "employment_status"))
    educations = list(Education.objects.order_by("talent__id_number_hash").values_list(
        "talent__id_number_hash", "degree", "school", "country", "overseas", "graduation_date", "major"))
    return talents, educations


def _wipe():
    Education.objects.all().delete()
    Talent.objects.all().delete()
    Organization.objects.all().delete()


def test_copy_path_equals_the_orm_path_and_restores_indexes(monkeypatch):
    schema = _schema()
    monkeypatch.setattr(generator, "DEFER_INDEXES_FROM", 0)  # take the large-load path at a small size
    monkeypatch.setattr(generator, "CHUNK", 150)  # and more than one chunk (on both paths)
    result = generator.demo_load(seed=5, size=400)
    assert result.talents == Talent.objects.count() == Education.objects.count() == 400
    assert _schema() == schema  # every index and constraint is back, as it was
    from rencai.talents.tests.test_counts import _actual, _counted

    assert _counted() == _actual()  # the kept counts, counted once after the load instead of by the trigger
    copied = _snapshot()
    assert Talent.objects.exclude(created_at__isnull=False).count() == 0
    _wipe()
    monkeypatch.setattr(generator, "_use_copy", lambda: False)
    generator.demo_load(seed=5, size=400)
    assert _snapshot() == copied
    assert copied[0][0][0] and any(row[18] for row in copied[0])  # non-trivial rows (some honours)


def test_the_restored_unique_constraint_still_guards():
    generator.DEFER_INDEXES_FROM, saved = 0, generator.DEFER_INDEXES_FROM
    try:
        generator.demo_load(seed=3, size=120)
    finally:
        generator.DEFER_INDEXES_FROM = saved
    first = Talent.objects.order_by("pk").first()
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Talent.objects.filter(pk=Talent.objects.exclude(pk=first.pk).order_by("pk").first().pk).update(
            id_number_hash=first.id_number_hash)


def test_a_large_load_killed_half_way_leaves_nothing_behind(monkeypatch):
    schema = _schema()
    monkeypatch.setattr(generator, "DEFER_INDEXES_FROM", 0)
    monkeypatch.setattr(generator, "CHUNK", 100)
    copied = []

    def copy_then_fail(talents, educations):
        if copied:
            raise RuntimeError("中断")
        copied.append(talents.height)
        real_copy(talents, educations)

    real_copy = generator._copy_people
    monkeypatch.setattr(generator, "_copy_people", copy_then_fail)
    with pytest.raises(RuntimeError):
        generator.demo_load(seed=7, size=300)
    assert copied == [100] and not Talent.objects.exists()  # the first chunk was written, then rolled back
    assert _schema() == schema
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled FROM pg_trigger WHERE tgname = %s", [generator.COUNT_ON_INSERT])
        assert cursor.fetchone()[0] == "O"  # the kept counts' trigger is on again
