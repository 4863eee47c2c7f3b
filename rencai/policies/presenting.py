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
