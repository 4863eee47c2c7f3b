"""The shipped rules: one per kind, loaded by migration 0002 and ``rencai earlywarning_setup`` (missing rules
only: an administrator's edits stay). Where no document gives a number, the number is the office's example
(``basis`` says so), to be set by the office in the admin site (决策预警 → 预警规则)."""

from __future__ import annotations

from .enums import RuleKind

PEOPLE = "人力资源和社会保障局"
EXAMPLE = "文件未规定具体数值，为本办示例值，可在后台调整"

SHIPPED = [
    {"key": "talent-loss-abc", "kind": RuleKind.TALENT_LOSS, "name": "高层次人才流失预警",
     "params": {"categories": ["A", "B", "C"], "days": 90}, "department": PEOPLE, "level": "district",
     "basis": "004“人才地图”之决策预警：A、B、C类人才停缴社保或迁出本市；回看天数" + EXAMPLE},
    {"key": "net-outflow", "kind": RuleKind.NET_OUTFLOW, "name": "区县人才月度净流出",
     "params": {"threshold": 5, "by_district": {}, "months": 3}, "department": PEOPLE, "level": "district",
     "basis": "004“人才流动”“决策预警”；每月净流出5人的阈值和回看3个月" + EXAMPLE + "，各区县可分别设定阈值"},
    {"key": "entitlement-ending", "kind": RuleKind.ENTITLEMENT_ENDING, "name": "待遇即将到期",
     "params": {"days": 60}, "department": PEOPLE, "level": "district",
     "basis": "享受资格的最后发放月份；提前60天" + EXAMPLE},
    {"key": "fulfilment-overdue", "kind": RuleKind.FULFILMENT_OVERDUE, "name": "政策兑现审批超期",
     "params": {}, "department": PEOPLE, "level": "district",
     "basis": "各审批环节的承诺时限（工作日，见政策兑现的审批路径）"},
    {"key": "programme-overdue", "kind": RuleKind.PROGRAMME_OVERDUE, "name": "项目申报中期检查、验收逾期",
     "params": {}, "department": PEOPLE, "level": "district",
     "basis": "项目申报的中期检查、结题验收提交期限"},
    {"key": "service-overdue", "kind": RuleKind.SERVICE_OVERDUE, "name": "人才服务事项超期",
     "params": {}, "department": PEOPLE, "level": "district",
     "basis": "服务事项的承诺时限（工作日，文件规定的或窗口设定的）"},
    {"key": "budget-pace", "kind": RuleKind.BUDGET_PACE, "name": "预算支出快于时间进度",
     "params": {"margin": "0.10"}, "department": "财政局", "level": "city",
     "basis": "已安排发放占预算的比例超过全年时间进度10个百分点；10个百分点" + EXAMPLE},
    {"key": "policy-expiring", "kind": RuleKind.POLICY_EXPIRING, "name": "政策即将到期",
     "params": {"days": 180}, "department": PEOPLE, "level": "city",
     "basis": "issue 10：截止日期在180天以内的政策，提前研究续期或调整"},
    {"key": "recognition-expiring", "kind": RuleKind.RECOGNITION_EXPIRING, "name": "人才认定即将到期",
     "params": {"days": 90}, "department": PEOPLE, "level": "district",
     "basis": "认定结果（人才卡）的有效期；提前90天" + EXAMPLE},
]


def rules_setup(model=None) -> int:
    """Create the shipped rules that are missing (by key); returns how many were created. ``model``: the
    migration's historical WarningRule."""
    if model is None:
        from .models import WarningRule as model
    existing = set(model.objects.values_list("key", flat=True))
    missing = [model(**{**rule, "kind": str(rule["kind"])}) for rule in SHIPPED if rule["key"] not in existing]
    model.objects.bulk_create(missing)
    return len(missing)
