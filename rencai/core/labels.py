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

# Keys that several models name differently (name: 姓名, 单位名称, 数据源名称 …): shown without a model, the neutral
# word; a message that already says one of the models' words is not prefixed at all (FieldError). A test keeps
# every such key listed here, so a new model cannot make "部门名称：姓名不能为空" again.
NEUTRAL_LABELS = {
    "active": "启用", "actor": "操作人", "subject": "对象", "summary": "摘要", "due_on": "期限",
    "amount_fen": "金额", "answered_at": "答复时间", "category": "类别",
    "code": "编号", "number": "编号", "file": "文件", "date": "日期",
    "comment": "意见", "created_at": "创建时间", "created_by": "发起人", "decided_at": "办理时间",
    "decided_by": "办理人", "department": "部门", "document": "文件", "documents": "材料",
    "email": "电子邮箱", "ended_on": "终止日期", "error": "错误", "errors": "错误", "finished_at": "完成时间",
    "graduation_date": "毕业日期", "is_example": "示例数据",
    "granted_at": "授予时间", "key": "编号", "kind": "类别", "label": "名称", "link": "链接", "load": "装载批次",
    "monthly_fen": "每月金额",
    "months": "月数",
    "n": "数量", "name": "名称", "note": "说明", "object_id": "事项编号", "organization": "单位", "period": "期间",
    "policy": "政策",
    "policy_title": "政策名称",
    "position": "顺序", "reference": "编号", "review_days": "评分期限（工作日）", "round": "轮次",
    "seconds": "用时（秒）", "sha256": "摘要",
    "source": "来源", "status": "状态", "text": "内容", "title": "名称", "total": "合计", "total_fen": "合计金额",
    "total_rows": "数据行数",
    "closes_on": "截止日期", "closed_at": "结束时间", "description": "说明", "outcome": "结果", "place": "地点",
    "reviewed_at": "审核时间", "reviewed_by": "审核人",
    "updated_at": "更新时间", "valid_from": "起始日期", "valid_until": "截止日期", "value": "内容",
}

# Numbered keys (evidence_12, quota_B): the label of their stem.
NUMBERED = re.compile(r"^([a-z_]+?)_(?:\d+|[A-D])$")


@cache
def model_field_labels() -> dict[str, tuple[str, ...]]:
    """Every verbose name the project's models give a field key (one for most keys, several for ``name``)."""
    from django.apps import apps

    labels: dict[str, list[str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("rencai."):
            continue
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose and str(verbose) != field.name.replace("_", " "):
                names = labels.setdefault(field.name, [])
                if str(verbose) not in names:
                    names.append(str(verbose))
    return {key: tuple(names) for key, names in labels.items()}


@cache
def _model_labels() -> dict[str, str]:
    """Each key's one label: the models' own where they agree, else the neutral word (NEUTRAL_LABELS)."""
    return {key: NEUTRAL_LABELS.get(key, names[0]) if len(names) > 1 else names[0]
            for key, names in model_field_labels().items()}


def field_words(key: str) -> tuple[str, ...]:
    """Every Chinese word a field key may stand for: its label and each model's verbose name of it."""
    key = str(key)
    label = field_label(key)
    return tuple(dict.fromkeys(([label] if label else []) + list(model_field_labels().get(key, ()))))


def field_label(key: str) -> str | None:
    """The Chinese label of a field key (``birth_date`` → 出生日期, ``employment.employer_type`` →
    用人单位类型, ``evidence_3`` → 证明材料), or None when the key is unknown."""
    from rencai.policies.fields import ALL_FIELDS

    key = str(key)
    if key in EXTRA_LABELS:
        return EXTRA_LABELS[key]
    if key in ALL_FIELDS:  # a person's, a team's and an organization's profile fields
        return ALL_FIELDS[key].label
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
