import datetime as dt

import pytest
from stdnum.cn import ric

from rencai.conftest import make_resident_id, talent_data
from rencai.core.errors import ValidationFailed
from rencai.talents.validation import talent_input_validate

pytestmark = pytest.mark.django_db


def fields_of(exc: ValidationFailed) -> dict[str, str]:
    return {e.field: e.message for e in exc.errors}


def test_gender_and_birth_date_come_from_the_resident_id():
    number = make_resident_id("210112", dt.date(1990, 2, 28), male=False)
    cleaned = talent_input_validate(talent_data(id_number=number))
    assert cleaned.birth_date == dt.date(1990, 2, 28)
    assert cleaned.gender == "female"


def test_wrong_checksum_is_refused_naming_the_field():
    number = make_resident_id()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(id_number=wrong))
    assert "校验位错误" in fields_of(info.value)["id_number"]
    assert info.value.status == 422


def test_birth_date_in_the_future_is_refused():
    future = dt.date.today() + dt.timedelta(days=30)
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(id_type="护照", id_number="E12345678", gender="男",
                                          birth_date=future.isoformat()))
    assert "晚于今天" in fields_of(info.value)["birth_date"]


def test_resident_id_with_a_future_birth_date_is_refused():
    future = dt.date.today() + dt.timedelta(days=400)
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(id_number=make_resident_id(birth=future)))
    assert "birth_date" in fields_of(info.value)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate({"name": "", "id_number": "123", "district": "", "phone": "12",
                               "monthly_rent": "-5", "highest_degree": "学士后", "graduation_date": "2020-13-01"})
    fields = fields_of(info.value)
    expected = {"name", "id_number", "district", "phone", "monthly_rent", "highest_degree", "graduation_date"}
    assert expected <= set(fields)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in fields.values())


def test_passport_needs_gender_and_birth_date():
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(id_type="passport", id_number="E12345678"))
    assert {"gender", "birth_date"} <= set(fields_of(info.value))


def test_labels_and_codes_are_both_accepted():
    by_label = talent_input_validate(talent_data(highest_degree="硕士", returnee="是", skill_level="技师"))
    by_code = talent_input_validate(talent_data(highest_degree="master", returnee=True, skill_level="technician"))
    assert (by_label.highest_degree, by_label.returnee, by_label.skill_level) == ("master", True, "technician")
    assert (by_code.highest_degree, by_code.returnee, by_code.skill_level) == ("master", True, "technician")


def test_returnee_defaults_from_the_school_country():
    assert talent_input_validate(talent_data(school_country="英国")).returnee is True
    assert talent_input_validate(talent_data(school_country="中国")).returnee is False


def test_unknown_field_is_named():
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(salary="100"))
    assert "salary" in fields_of(info.value)


def test_counties_missing_from_stdnums_table_are_accepted():
    """210181 新民市 and 210115 辽中区 are real county codes that python-stdnum's table lacks."""
    for county in ("210181", "210115"):
        number = make_resident_id(county)
        assert talent_input_validate(talent_data(id_number=number)).id_number == number


def test_unknown_province_is_refused():
    body = "991234198506150011"
    number = body[:17] + ric.calc_check_digit(body)
    with pytest.raises(ValidationFailed) as info:
        talent_input_validate(talent_data(id_number=number))
    assert "地区码" in fields_of(info.value)["id_number"]
