import datetime as dt
import itertools

from stdnum.cn import ric

from rencai.core.masking import (
    id_candidates,
    id_check_char,
    mask_id_number,
    mask_numbers_in_text,
    mask_phone,
    other_candidates,
)

NUMBER = "210102198506151230"  # 和平区, 1985-06-15, sequence 123 (odd: a man), check 0


def _brute_force(mask: str, regions, births, male) -> int:
    """Every number the long way: each region, date and sequence, validated by python-stdnum."""
    count = 0
    for region, day, seq in itertools.product(regions, births, range(1000)):
        if male is not None and seq % 2 != (1 if male else 0):
            continue
        body = f"{region}{day:%Y%m%d}{seq:03d}"
        number = body + ric.calc_check_digit(body + "0")
        if all(m in ("*", c) for m, c in zip(mask, number, strict=True)):
            count += 1
    return count


def test_check_character_agrees_with_stdnum():
    for body in ("21010219850615123", "11010519491231002", "44030419991111009"):
        assert id_check_char(body) == ric.calc_check_digit(body + "0")


def test_the_id_mask_hides_the_sequence_and_keeps_the_check_character():
    assert mask_id_number(NUMBER) == "2101*************0"
    assert mask_id_number(" 21010219850615123x ") == "2101*************X"
    assert mask_id_number("E12345678") == "E1*****78"
    assert mask_id_number("AB12345") == "AB***45"
    assert mask_id_number("A1234") == "***34"
    assert mask_id_number("ABC") == "***"
    assert mask_phone("13912345678") == "139****5678"


def test_the_counter_equals_brute_force():
    day = dt.date(1985, 6, 15)
    year = [dt.date(1985, 1, 1) + dt.timedelta(days=n) for n in range(0, 365, 17)]
    cases = [
        ("2101*************0", ["210102"], [day], True),
        ("2101*************0", ["210102", "210103", "220102"], [day], None),
        ("2101**********1230", ["210102"], [day], True),  # the old mask: only the true number is left
        ("2101*************0", ["210102"], year, False),
        ("******************", ["210102"], [day], None),
    ]
    for mask, regions, births, male in cases:
        expected = _brute_force(mask, regions, births, male)
        assert id_candidates(mask, regions=regions, births=births, male=male) == expected


def test_what_the_old_mask_gave_away_and_what_the_new_one_leaves():
    known = {"regions": ["210102"], "births": [dt.date(1985, 6, 15)], "male": True}
    assert id_candidates("2101**********1230", **known) == 1
    assert id_candidates(mask_id_number(NUMBER), **known) == 45  # about 500 / 11
    year = [dt.date(1985, 1, 1) + dt.timedelta(days=n) for n in range(365)]
    assert id_candidates(mask_id_number(NUMBER), regions=["210102"], births=year, male=True) > 16_000
    assert id_candidates(mask_id_number(NUMBER), births=[dt.date(1985, 6, 15)], male=True) > 4_000  # region unknown


def test_unknown_birth_dates_span_the_given_range_and_respect_the_calendar():
    mask = "210102********1230"
    assert id_candidates(mask, regions=["210102"], male=True, earliest=dt.date(2024, 2, 1),
                         latest=dt.date(2024, 2, 29)) == _brute_force(
        mask, ["210102"], [dt.date(2024, 2, d) for d in range(1, 30)], True)


def test_phone_and_passport_candidates():
    assert other_candidates(mask_phone("13912345678")) == 10_000
    assert other_candidates(mask_id_number("E12345678")) == 100_000
    assert other_candidates(mask_id_number("A1234")) == 1_000


def test_numbers_in_a_message_are_masked():
    text = "居民身份证号码“210102198506151235”无效；手机号码“13912345678”；第12行，2021-07-01，金额3200"
    masked = mask_numbers_in_text(text)
    assert "210102198506151235" not in masked and "2101*************5" in masked
    assert "13912345678" not in masked and "139****5678" in masked
    assert "第12行，2021-07-01，金额3200" in masked
