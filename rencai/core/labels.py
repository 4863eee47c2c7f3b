"""One place that turns a field key, code or identifier into the Chinese words people see.

Sources, in order: labels registered here for keys that are not model fields (form-only and API-only
names), the policy profile's field table (``policies.fields.FIELDS``), then the verbose names of every
model field of the project's apps. A key nobody labels is never shown as it is: callers get ``None`` and
word their message without it.
"""

from __future__ import annotations

import re
from functools import cache

# Keys of forms and API bodies that are no model field.
EXTRA_LABELS = {
    "id_number": "证件号码",
    "phone": "手机号码",
    "password": "密码",
    "password1": "密码",
    "password2": "确认密码",
    "username": "用户名",
    "school": "毕业院校",
    "school_country": "毕业院校所在国家（地区）",
    "district": "所在区县",
    "organization_uscc": "用人单位统一社会信用代码",
    "reason": "事由",
    "page": "页码",
    "after": "翻页游标",
    "as_of": "评估日",
    "file": "文件",
    "body": "请求内容",
    "annual_salary": "年薪",
    "annual_tax": "年缴个人所得税",
    "evidence": "证明材料",
    "problem": "补正说明",
    "quota": "名额",
    "salary": "年薪",
    "tax": "年缴个人所得税",
    # 政策兑现 and payments API keys
    "account_number": "银行账号",
    "application_id": "申请",
    "applications": "申请",
    "batch_id": "发放批次",
    "notice_id": "公示",
    "objection_id": "异议",
    "offer_id": "免申即享事项",
    "overdue": "超期",
    "step": "环节",
    "talent_id": "人才",
    "talent_ids": "人才",
    "upheld": "异议是否成立",
    # 数据中心 (datahub) keys
    "rows": "数据行",
    "feed_id": "数据源",
    "load_id": "数据装载",
}

# Numbered keys (evidence_12, quota_B): the label of their stem.
NUMBERED = re.compile(r"^([a-z_]+?)_(?:\d+|[A-D])$")


@cache
def _model_labels() -> dict[str, str]:
    from django.apps import apps

    labels: dict[str, str] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("rencai."):
            continue
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose and field.name not in labels and str(verbose) != field.name.replace("_", " "):
                labels[field.name] = str(verbose)
    return labels


def field_label(key: str) -> str | None:
    """The Chinese label of a field key (``birth_date`` → 出生日期, ``employment.employer_type`` →
    用人单位类型, ``evidence_3`` → 证明材料), or None when the key is unknown."""
    from rencai.policies.fields import FIELDS

    key = str(key)
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    if key in FIELDS:
        return FIELDS[key].label
    if key in _model_labels():
        return _model_labels()[key]
    numbered = NUMBERED.match(key)
    if numbered:
        return field_label(numbered.group(1))
    if "." in key:  # nested API bodies: educations.0.school → 毕业院校
        parts = [p for p in key.split(".") if not p.isdigit()]
        return field_label(parts[-1]) if parts else None
    return None


def field_label_or(key: str, fallback: str = "该项") -> str:
    return field_label(key) or fallback
