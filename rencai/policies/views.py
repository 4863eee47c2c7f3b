import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from rencai.accounts.permissions import require_government
from rencai.core.errors import NotFound
from rencai.core.excel import xlsx_response

from . import selectors
from .calculator import ProfileError, calculate, default_catalog
from .excel import matches_export
from .forms import CalculatorForm

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


def calculator(request):
    """The portal calculator: anyone, no login."""
    form = CalculatorForm(request.GET or None, initial={"as_of": dt.date.today(), "city": "shenyang"})
    context: dict = {"form": form, "sections": SECTIONS}
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = calculate(form.profile())
            except ProfileError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message_zh)
                status = 422
            else:
                context.update(result=result, groups=group_results(result))
        else:
            status = 422
    return render(request, "policies/calculator.html", context, status=status)


@login_required
def match_summary(request):
    run = selectors.match_run_latest()
    summaries = selectors.policy_match_summary(user=request.user, run=run) if run else []
    if not run:
        require_government(request.user)
    return render(request, "policies/matches.html", {"run": run, "summaries": summaries})


@login_required
def match_list(request, policy: str):
    run = selectors.match_run_latest()
    if run is None:
        raise NotFound("尚未运行政策找人")
    queryset = selectors.policy_match_list(user=request.user, run=run, policy=policy)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(request, "policies/match_list.html", {
        "run": run, "page": page, "policy": default_catalog().policies[policy]})


@login_required
def match_export(request, policy: str):
    run = selectors.match_run_latest()
    if run is None:
        raise NotFound("尚未运行政策找人")
    queryset = selectors.policy_match_list(user=request.user, run=run, policy=policy)
    title = default_catalog().policies[policy].title
    return xlsx_response(matches_export(queryset, title=title), f"政策找人-{title}.xlsx")
