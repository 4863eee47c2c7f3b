"""The one label source: keys become Chinese words, never shown as they are."""

import pytest

from rencai.core.errors import FieldError, ValidationFailed
from rencai.core.labels import field_label


@pytest.mark.parametrize(("key", "label"), [
    ("birth_date", "出生日期"),                      # a model field
    ("employment.employer_type", "用人单位类型"),     # a policy profile field
    ("housing.apartment_available", "人才公寓有房源"),
    ("id_number", "证件号码"),                       # a form-only key
    ("evidence_12", "证明材料"),                     # a numbered key
    ("educations.0.school", "毕业院校"),             # a nested API key
])
def test_keys_have_chinese_labels(key, label):
    assert field_label(key) == label


def test_unknown_key_has_no_label():
    assert field_label("colour") is None


def test_error_summaries_never_show_the_key():
    failed = ValidationFailed([FieldError("category", "请选择申请的人才类别"),
                               FieldError("annual_salary", "应为数字"),
                               FieldError("mystery_key", "格式不正确")])
    assert "category" not in failed.message and "annual_salary" not in failed.message
    assert "mystery_key" not in failed.message
    assert "年薪：应为数字" in failed.message and "请选择申请的人才类别" in failed.message


def test_a_key_that_models_name_differently_has_a_neutral_word():
    """"部门名称：姓名不能为空" was seen: ``name`` took the first model's verbose name."""
    from rencai.core.errors import FieldError
    from rencai.core.labels import EXTRA_LABELS, NEUTRAL_LABELS, model_field_labels
    from rencai.policies.fields import FIELDS

    several = {key for key, names in model_field_labels().items() if len(names) > 1}
    assert "name" in several
    assert not several - set(NEUTRAL_LABELS) - set(EXTRA_LABELS) - set(FIELDS)
    assert str(FieldError("name", "姓名不能为空")) == "姓名不能为空"
    assert str(FieldError("name", "不能超过 50 个字")) == "名称：不能超过 50 个字"
    assert str(FieldError("kind", "请选择材料类型")) == "请选择材料类型"
