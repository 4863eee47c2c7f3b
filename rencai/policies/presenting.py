"""Calculator results arranged for people to read, shared by the portal page and the talent's own page.

``arrange_results`` puts first what the person gets (amounts, why, the source), then what they could get and
exactly what is missing to get it (an answer they left at 不知道, a fact only an office decides, a step such
as buying a home or being selected), and folds everything else — what they already receive, other regions,
policies no longer or not yet in force, plain 不符合 — into one list the page shows behind one line.
"""

from collections.abc import Callable

ELIGIBLE_LABELS = {True: "符合", False: "不符合", "manual": "一人一议", "unknown": "信息不足"}
SECTIONS = [("eligible", "您可以享受"), ("manual", "一人一议（金额个别确定）"), ("unknown", "还需要补充信息"),
            ("ineligible", "暂不符合")]

# Why a policy is folded away, by the step that decided it; any other failed condition is 不符合.
FOLDED = {"received": "已享受", "jurisdiction": "其他地区", "in-force-until": "已失效", "in-force-from": "尚未施行"}
FOLDED_ORDER = ["已享受", "不符合", "其他地区", "已失效", "尚未施行"]

# Facts a talent cannot know: never asked, the result says who decides them.
UNANSWERABLE = {
    "housing.apartment_available": "目前是否有可分配的人才公寓房源：由住房保障部门审核时确定，不需要您回答",
}


def group_results(result: dict) -> dict:
    """Results sorted by status: what the person gets first, then what needs more information."""
    groups = {"eligible": [], "manual": [], "unknown": [], "ineligible": []}
    for item in result["results"]:
        key = {True: "eligible", "manual": "manual", "unknown": "unknown"}.get(item["eligible"], "ineligible")
        item["eligible_label"] = ELIGIBLE_LABELS[item["eligible"]]
        groups[key].append(item)
    _label_choices(result)
    return groups


def _label_choices(result: dict) -> None:
    titles = {item["policy"]: item["title"] for item in result["results"]}
    for choice in result["choices"]:
        choice["recommended_title"] = titles[choice["recommended"]]
        choice["option_titles"] = [titles[o] for o in choice["options"]]


def missing_items(missing: list[str], question: Callable[[str], tuple[str, str] | None] | None = None):
    """What a result is waiting for, in words: (answers the person can give, facts someone else decides).
    An answer is {label, anchor}: ``question(field)`` gives the form's question (its anchor and words) on the
    calculator; without it (the talent's own page) the field's Chinese name."""
    from .fields import input_label

    answers, decided_elsewhere, seen = [], [], set()
    for name in missing:
        if name in UNANSWERABLE:
            decided_elsewhere.append(UNANSWERABLE[name])
            continue
        found = question(name) if question else None
        anchor, label = found if found else ("", input_label(name))
        if label not in seen:
            seen.add(label)
            answers.append({"label": label, "anchor": anchor})
    return answers, decided_elsewhere


def _standard(policy_id: str) -> list[str]:
    """A policy's amount table read without a person (what it could pay): at most four rows."""
    from rencai.core.templatetags.rencai_tags import generic_reason

    from .calculator import default_catalog

    policy = default_catalog().policies.get(policy_id)
    if policy is None:
        return []
    rows = [generic_reason(row.reason) for let in policy.lets for row in let.rows if row.value is not None
            or row.manual]
    return rows[:4]


def _has_hint(item: dict) -> bool:
    """A failed result whose deciding condition says what would make it pay (如在…前购房，可获…元)."""
    from .calculator import default_catalog

    policy = default_catalog().policies.get(item["policy"])
    if policy is None or len(item["reasons"]) < 2:
        return False
    return any(c.code == item["decided_by"] and c.hint for c in policy.conditions)


def _worth(item: dict) -> int:
    total = item.get("total") or item.get("one_time_amount") or item.get("monthly_amount") or 0
    return -int(total)


def arrange_results(result: dict, *, question: Callable[[str], tuple[str, str] | None] | None = None) -> dict:
    """The result in three parts: ``get`` (eligible, 一人一议 included), ``could`` (what is missing to get
    it) — grouped by region under "如果您在…" when the person did not say where they are — and ``folded``
    (everything else, with why), plus the exclusive choices."""
    _label_choices(result)
    get, could, folded = [], [], []
    for item in result["results"]:
        status, step = item["eligible"], item["decided_by"].partition("/")[2]
        item["eligible_label"] = ELIGIBLE_LABELS[status]
        if status is True and item["kind"] == "program":
            item["program"] = True  # competitive: apply and be selected
            could.append(item)
        elif status is True or status == "manual":
            get.append(item)
        elif status == "unknown":
            item["answers"], item["decided_elsewhere"] = missing_items(item["missing"], question)
            item["standard"] = _standard(item["policy"])
            could.append(item)
        elif step not in FOLDED and _has_hint(item):
            item["hints"] = item["reasons"][1:]
            could.append(item)
        else:
            item["folded_as"] = FOLDED.get(step, "不符合")
            folded.append(item)
    get.sort(key=lambda r: (r["kind"] == "service", _worth(r)))
    city = result[result.get("subject", "person")].get("city")  # a team's or organization's city too
    could.sort(key=lambda r: (r.get("program", False), r["jurisdiction"]["code"] != city))
    folded.sort(key=lambda r: FOLDED_ORDER.index(r["folded_as"]))
    by_region: dict[str, list] = {}
    if city is None:
        for item in [r for r in could if "city" in r["missing"]]:
            could.remove(item)
            by_region.setdefault(item["jurisdiction"]["name"], []).append(item)
    counts = {label: sum(1 for r in folded if r["folded_as"] == label) for label in FOLDED_ORDER}
    return {
        "get": get, "could": could, "folded": folded,
        # cities before provinces: "如果您在沈阳市工作或生活" comes before 辽宁省
        "could_by_region": sorted(by_region.items(), key=lambda kv: (kv[1][0]["jurisdiction"]["code"].endswith(
            "0000"), kv[1][0]["jurisdiction"]["code"])),
        "folded_summary": "、".join(f"{label} {n} 项" for label, n in counts.items() if n),
        "choices": result["choices"],
    }


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


def in_force_marker(in_force_from, in_force_until, day) -> tuple[str, str]:
    """(state, words) of a policy on ``day``: 已失效 / 尚未施行 / 有效至… / 施行中 (文件未定截止日)."""
    if in_force_until and in_force_until < day:
        return "expired", f"已失效（{in_force_until:%Y-%m-%d} 到期）"
    if in_force_from > day:
        return "future", f"尚未施行（{in_force_from:%Y-%m-%d} 起）"
    if in_force_until:
        return "current", f"有效至 {in_force_until:%Y-%m-%d}"
    return "current", "施行中（文件未定截止日）"
