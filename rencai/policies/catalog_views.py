"""The catalog's pages for people: the public policy calculator (/calc/), the published policy list and each
policy (/policies/), and 预算测算 (/policies/whatif/) for staff and leaders. Each page validates its input, names
every mistake in Chinese beside its field, and calls the engine (calculator, whatif, budget) and presenting."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from rencai.accounts.permissions import require_government, talent_scope_q
from rencai.core.errors import NotFound
from rencai.talents.models import Talent

from .budget import registry_simulate
from .calculator import ProfileError, calculate, default_catalog
from .fields import CITY_NAMES, REGION_LABELS
from .forms import QUESTION_OF, SHORT_LABELS, SUBJECT_CHOICES, SUBJECT_FORMS, CalculatorForm, PolicyFilterForm
from .models import PolicyRecord
from .presenting import arrange_results, in_force_marker
from .published import rule_text
from .whatif import MAX_AMOUNT, OverrideError, parameters, parse_overrides


def calculator(request):
    """The portal calculator: anyone, no login. Only what a talent can answer is asked; the result puts what
    they get first, then what they could get and what is missing, then the rest behind one line. 团队 and 单位
    (``?subject=team|organization``) ask a team's or an organization's questions and answer its programmes."""
    subject = request.GET.get("subject") if request.GET.get("subject") in SUBJECT_FORMS else "person"
    answered = any(key != "subject" for key in request.GET)  # choosing 团队 or 单位 is not yet answering
    if subject == "person":
        form = CalculatorForm(request.GET or None)
        question_of, short_label = QUESTION_OF.get, SHORT_LABELS.get
    else:
        form = SUBJECT_FORMS[subject](request.GET if answered else None)
        question_of, short_label = form.question_field, form.short_label
    context: dict = {"form": form, "questions_asked": True, "subject": subject, "subjects": SUBJECT_CHOICES}
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                result = calculate(form.profile(), unknown=form.unknown_fields())
            except ProfileError as exc:  # what the form's own checks did not catch: named in Chinese
                form.add_error(question_of(exc.field), exc.message_zh)
                status = 422
            else:
                context.update(result=result, arranged=arrange_results(result, question=form.question),
                               city_label=REGION_LABELS.get(result[subject]["city"] or "", ""))
        else:
            status = 422
    if form.errors:
        context["error_labels"] = [(f"q-{name}", short_label(name)) if name in form.fields and name != "subject"
                                   else ("calc-form", "其他") for name in form.errors]
    return render(request, "policies/calculator.html", context, status=status)


def _amount_error(amount: str) -> str:
    """Why a typed new amount cannot be used, in Chinese ('' when it can)."""
    try:
        number = Decimal(amount)
    except InvalidOperation:
        return "新标准金额应为数字（元）"
    if not number.is_finite():
        return "新标准金额应为数字（元）"
    if number < 0:
        return "新标准金额不能为负"
    if number > MAX_AMOUNT:
        return f"新标准金额不能超过{MAX_AMOUNT:,}元"
    if number != number.quantize(Decimal("0.01")):
        return "新标准金额最多两位小数"
    return ""


def _whatif_options(user, options) -> list[tuple[str, list]]:
    """The amounts that can be changed, by region: the viewer's city and province first; another region's
    policies apply to nobody in this registry and are said to."""
    region = getattr(getattr(user, "department", None), "region_id", None) or ""
    home = {region[:4] + "00", region[:2] + "0000"} if region else set()
    catalog = default_catalog()
    groups: dict[str, list] = {}
    for p in options:
        code = catalog.policies[p.policy].jurisdiction
        groups.setdefault(code, []).append(p)
    ordered = sorted(groups, key=lambda c: (home and c not in home, c[:2], c.endswith("0000"), c))
    return [(REGION_LABELS[c] + ("" if not home or c in home else "（不适用于本辖区人员）"), groups[c])
            for c in ordered]


@login_required
def whatif(request):
    """预算测算: leaders and staff change an amount and see what it would cost across the registry. Each
    row's mistake is shown beside that row, all at once, in Chinese."""
    require_government(request.user)
    options = parameters()
    values = {p.key: p.value for p in options}
    keys, amounts = request.GET.getlist("key"), request.GET.getlist("amount")
    rows, chosen = [], []
    for i in range(min(max(len(keys), len(amounts)), 3)):
        key = keys[i] if i < len(keys) else ""
        amount = (amounts[i] if i < len(amounts) else "").strip()[:40]
        row = {"key": key, "amount": amount, "error": ""}
        if key and key not in values:
            row["error"] = "请从列表中选择调整项"
        elif key and not amount:
            row["error"] = "请填写新标准金额（元），或把调整项选回“—”"
        elif amount and not key:
            row["error"] = "请先选择调整项"
        elif key:
            row["error"] = _amount_error(amount)
            if not row["error"]:
                chosen.append(f"{key}={amount}")
        rows.append(row)
    rows += [{"key": "", "amount": "", "error": ""} for _ in range(3 - len(rows))]
    changes, error = None, ""
    day = timezone.localdate()
    if request.GET.get("as_of"):
        try:
            day = dt.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            error = "评估日：请填写有效日期，格式为“年-月-日”"
    row_errors = [r for r in rows if r["error"]]
    job = None
    if chosen and not error and not row_errors:
        try:
            overrides = parse_overrides(chosen)
            scope = Talent.objects.filter(talent_scope_q(request.user))
            if scope.count() > settings.RENCAI_WHATIF_INLINE_TALENTS:  # a large registry: a background job
                from .jobs import whatif_background

                job, changes = whatif_background(user=request.user, as_of=day, chosen=chosen)
            else:
                changes = registry_simulate(as_of=day, overrides=overrides, queryset=scope)
        except OverrideError:  # the rows were checked above; never the internal key on screen
            error = "调整项或金额有误，请重新选择"
    chart = None
    if changes:
        chart = {
            "titles": [c.title for c in changes],
            "before": [float(c.this_year_before) for c in changes],  # display only; the table shows exact yuan
            "after": [float(c.this_year_after) for c in changes],
        }
    return render(request, "policies/whatif.html", {
        "option_groups": _whatif_options(request.user, options), "values": values, "rows": rows,
        "as_of": day, "changes": changes, "error": error, "row_errors": row_errors, "chart": chart, "job": job,
    }, status=422 if error or row_errors else 200)


KIND_LABELS = {"entitlement": "待遇", "program": "项目（择优评审）", "service": "服务"}


def policy_list(request):
    """The published catalog (政策发布): every policy, its region, whether it is in force, its document and
    its words, for anyone. Policies in force first, by region; those no longer or not yet in force behind one
    line; ``?city=`` narrows to one city's policies and its province's."""
    form = PolicyFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "policies/policy_list.html", {"form": form, "by_region": {}, "others": []},
                      status=400)
    city = CITY_NAMES.get(form.cleaned_data.get("city") or "") if form.is_bound else None
    day = timezone.localdate()
    by_region: dict[str, list] = {}
    others = []
    for policy in sorted(default_catalog().policies.values(), key=lambda p: (  # a city, then its province
            p.jurisdiction[:2], p.jurisdiction.endswith("0000"), p.jurisdiction, p.kind, p.id)):
        if city and policy.jurisdiction not in (city, city[:2] + "0000"):
            continue
        state, marker = in_force_marker(policy.in_force_from, policy.in_force_until, day)
        entry = {"policy": policy, "state": state, "marker": marker, "region": REGION_LABELS[policy.jurisdiction],
                 "kind": KIND_LABELS.get(policy.kind, "")}
        if state == "current":
            by_region.setdefault(entry["region"], []).append(entry)
        else:
            others.append(entry)
    return render(request, "policies/policy_list.html", {"form": form, "by_region": by_region, "others": others})


def policy_detail(request, policy: str):
    from rencai.feedback.selectors import faq_for_policy

    found = default_catalog().policies.get(policy)
    if found is None:
        raise NotFound("未找到该政策")
    record = PolicyRecord.objects.filter(policy=policy).prefetch_related("revisions").first()
    rows = [row for let in found.lets for row in let.rows]
    return render(request, "policies/policy_detail.html", {
        "policy": found, "rows": rows, "record": record, "kind_label": KIND_LABELS.get(found.kind, found.kind),
        "region": REGION_LABELS[found.jurisdiction],
        "marker": in_force_marker(found.in_force_from, found.in_force_until, timezone.localdate()),
        "rule_text": rule_text(found.file),  # as in force (the shipped file, or the office's publication)
        "faq": list(faq_for_policy(policy)[:50]),  # 常见问题: answered questions published without names or numbers
    })
