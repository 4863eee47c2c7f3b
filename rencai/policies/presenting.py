"""Calculator results arranged for people to read, shared by the portal page and the talent's own page."""

ELIGIBLE_LABELS = {True: "符合", False: "不符合", "manual": "一人一议", "unknown": "信息不足"}
SECTIONS = [("eligible", "您可以享受"), ("manual", "一人一议（金额个别确定）"), ("unknown", "还需要补充信息"),
            ("ineligible", "暂不符合")]


def group_results(result: dict) -> dict:
    """Results sorted for reading: what the person gets first, then what needs more information."""
    groups = {"eligible": [], "manual": [], "unknown": [], "ineligible": []}
    for item in result["results"]:
        key = {True: "eligible", "manual": "manual", "unknown": "unknown"}.get(item["eligible"], "ineligible")
        item["eligible_label"] = ELIGIBLE_LABELS[item["eligible"]]
        groups[key].append(item)
    titles = {item["policy"]: item["title"] for item in result["results"]}
    for choice in result["choices"]:
        choice["recommended_title"] = titles[choice["recommended"]]
        choice["option_titles"] = [titles[o] for o in choice["options"]]
    return groups


# The fixed steps every policy's evaluation may end on (see engine.catalog.Policy.codes).
STEP_LABELS = {
    "jurisdiction": "不在适用地区", "in-force-from": "尚未施行", "in-force-until": "已停止执行",
    "received": "已享受", "amount": "金额无法计算", "screening": "需评审或一人一议", "ok": "符合全部条件",
}


def decision_label(code: str) -> str:
    """The condition or table row that decided a result, as the rule words it (its placeholders read
    generically); the code itself is for the API and the export."""
    from rencai.core.templatetags.rencai_tags import generic_reason

    from .calculator import default_catalog

    policy_id, _, step = code.partition("/")
    policy = default_catalog().policies.get(policy_id)
    if policy is None:
        return "—"
    if step in STEP_LABELS:
        return STEP_LABELS[step]
    for condition in policy.conditions:
        if condition.code == code:
            return generic_reason(condition.passed or condition.fail)
    for let in policy.lets:
        for row in let.rows:
            if row.code == code:
                return generic_reason(row.reason)
        if let.is_table and let.none_code == code:
            return generic_reason(let.none)
    return "—"
