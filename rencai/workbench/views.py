"""Pages of the policy workbench (政策工作台): the rules, a rule's versions and open points, the editor (common
fields or the whole text), a revision (compared with the rule in force, its cases, its cost, publication),
any two versions side by side, deciding an open point, and who the policy officers are. Officers only; every
page validates and calls a service or a selector."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.core.confirm import confirm_first
from rencai.core.errors import NotFound, PermissionDenied
from rencai.policies.documents import BY_KEY, document_for, document_text, highlighted
from rencai.policies.engine.catalog import DECISION_KIND_LABELS
from rencai.policies.published import effective

from . import confirmations, editing, selectors, services
from .diff import rule_diff
from .forms import DecideForm, FieldsForm, PublishForm, TextForm
from .models import EDIT_PERMISSION, RevisionState
from .permissions import officer_required

_officer = officer_required


def _file(policy: str) -> str:
    file = selectors.file_of(policy)
    if file is None:
        raise NotFound("未找到该政策规则")
    return file


@_officer
def home(request):
    query = request.GET.get("q", "").strip()[:50]
    tools = []
    for name, label in (("workbench:drafting", "起草辅助：读取新政策文本"), ("workbench:ambiguity", "歧义检查")):
        try:
            tools.append((label, reverse(name)))
        except NoReverseMatch:
            pass  # that part of the workbench is not installed
    return render(request, "workbench/home.html", {"rules": selectors.rules_overview(query), "q": query,
                                                   "tools": tools})


@_officer
def policy(request, policy: str):
    file = _file(policy)
    compiled = effective().catalog.policies.get(policy)
    revisions = list(selectors.revisions_of(file))
    return render(request, "workbench/policy.html", {
        "policy_id": policy, "file": file, "compiled": compiled,
        "group": effective().catalog.groups.get(policy), "revisions": revisions,
        "in_force": next((r for r in revisions if r.in_force), None),
        "numbers": [selectors.SHIPPED, *sorted(r.number for r in revisions)],
        "is_new": policy not in effective().catalog.policies and policy not in effective().catalog.groups,
    })


def _base(request, file: str):
    """The version an edit starts from: ?from=<revision pk> (a draft or an earlier revision), else the rule
    in force."""
    pk = request.GET.get("from") or request.POST.get("from")
    if pk:
        revision = services.revision_get(int(pk) if str(pk).isdigit() else 0)
        if revision.file != file:
            raise NotFound("未找到该规则版本")
        return revision, revision.text
    in_force = selectors.revisions_of(file).filter(in_force=True).first()
    return in_force, selectors.in_force_text(file)


def _fields_initial(compiled, text: str) -> dict:
    initial = {"title": compiled.title, "quote": compiled.source.quote, "in_force_from": compiled.in_force_from,
               "in_force_until": compiled.in_force_until, "in_force_note": compiled.in_force_note}
    if compiled.amount is not None and compiled.amount.monthly is not None:
        initial["months"] = compiled.amount.months
    for i, row in enumerate(editing.table_rows(text)):
        initial[f"row_{i}"] = row["value"]
    return initial


@_officer
def edit(request, policy: str):
    file = _file(policy)
    base, text = _base(request, file)
    if not text:
        raise NotFound("未找到该政策规则")
    compiled = None if file.endswith(".group.yaml") else services.rule_check(file, text).catalog.policies.get(policy)
    rows = editing.table_rows(text) if compiled else []
    monthly = bool(compiled and compiled.amount and compiled.amount.monthly is not None)
    mode = request.POST.get("mode", "")
    fields_form = FieldsForm(request.POST if mode == "fields" else None, rows=rows, monthly=monthly,
                             initial=_fields_initial(compiled, text) if compiled else None)
    text_form = TextForm(request.POST if mode == "text" else None, initial={"text": text})
    problems: list[str] = []
    if request.method == "POST":
        try:
            if mode == "fields" and compiled and fields_form.is_valid():
                data = fields_form.cleaned_data
                new_text = editing.edit_fields(
                    text, title=data["title"], quote=data["quote"], in_force_from=data["in_force_from"],
                    in_force_until=data["in_force_until"], in_force_note=data["in_force_note"],
                    months=data.get("months") if monthly else "",
                    values={(row["let"], row["row"]): data[f"row_{i}"] for i, row in enumerate(rows)})
                revision = services.revision_create(actor=request.user, file=file, text=new_text,
                                                    note=data["note"], based_on=base)
                return redirect("workbench:revision", revision.pk)
            if mode == "text" and text_form.is_valid():
                revision = services.revision_create(actor=request.user, file=file, text=text_form.cleaned_data["text"],
                                                    note=text_form.cleaned_data["note"], based_on=base)
                return redirect("workbench:revision", revision.pk)
        except services.RuleError as error:
            problems = error.problems
    document = document_for(compiled.source.document) if compiled else None
    status = 422 if request.method == "POST" else 200
    return render(request, "workbench/edit.html", {
        "policy_id": policy, "file": file, "base": base, "compiled": compiled, "fields_form": fields_form,
        "text_form": text_form, "problems": problems, "mode": mode or "fields",
        "document": document, "document_text": document_text(document.key) if document and document.key in BY_KEY
        else "",
    }, status=status)


@_officer
def revision(request, revision_id: int):
    revision = services.revision_get(revision_id)
    in_force_text = selectors.in_force_text(revision.file)
    problems, cases = [], []
    try:
        checked = services.rule_check(revision.file, revision.text)
    except services.RuleError as error:
        checked, problems = None, error.problems
    if checked is not None and revision.state == RevisionState.DRAFT:
        from .cases import cases_run

        members = (list(checked.catalog.groups[revision.policy].members)
                   if revision.file.endswith(".group.yaml") else [revision.policy])
        cases = [r for pid in members for r in cases_run(pid, checked.catalog)]
    context = {
        "revision": revision,
        "lines": rule_diff(in_force_text, revision.text, changed_only=request.GET.get("all") != "1"),
        "changed_only": request.GET.get("all") != "1", "problems": problems, "cases": cases,
        "cases_failed": sum(1 for c in cases if not c.passed), "publish_form": PublishForm(),
        "may_publish": revision.state == RevisionState.DRAFT and checked is not None,
    }
    context.update(_cost_context(revision, request.user))
    return render(request, "workbench/revision.html", context)


def _cost_context(revision, viewer) -> dict:
    """The cost panel (workbench.cost), where it is built."""
    try:
        from .cost import cost_panel
    except ImportError:
        return {"cost_panel": None}
    return {"cost_panel": cost_panel(revision, viewer)}


@_officer
def revision_export(request, revision_id: int):
    revision = services.revision_get(revision_id)
    response = HttpResponse(revision.text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{revision.policy}-v{revision.number}.yaml"'
    return response


@require_POST
@_officer
@confirm_first(confirmations.publish)
def publish(request, revision_id: int):
    revision = services.revision_get(revision_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        raise services.RuleError(["请填写发布理由（为什么修改这条规则）"], field="reason")
    services.revision_publish(actor=request.user, revision=revision, reason=form.cleaned_data["reason"])
    messages.success(request, f"已发布第{revision.number}版；政策找人正在后台按新规则重新匹配，"
                              "结果有变化的人才将收到通知。")
    return redirect("workbench:policy", revision.policy)


@require_POST
@_officer
@confirm_first(confirmations.discard)
def discard(request, revision_id: int):
    revision = services.revision_discard(actor=request.user, revision=services.revision_get(revision_id))
    messages.success(request, f"已放弃第{revision.number}版草稿。")
    return redirect("workbench:policy", revision.policy)


def _version_label(number: int) -> str:
    return f"第{number}版" if number else "随附版本"


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


@_officer
def compare(request, policy: str):
    file = _file(policy)
    numbers = [selectors.SHIPPED, *sorted(selectors.revisions_of(file).values_list("number", flat=True))]
    left = _number(request.GET.get("a"), selectors.SHIPPED)
    right = _number(request.GET.get("b"), numbers[-1])
    left_text, right_text = selectors.text_of(file, left), selectors.text_of(file, right)
    if left_text is None or right_text is None:
        raise NotFound("未找到要比较的版本")
    return render(request, "workbench/compare.html", {
        "policy_id": policy, "numbers": numbers, "left": left, "right": right,
        "left_label": _version_label(left), "right_label": _version_label(right),
        "lines": rule_diff(left_text, right_text, changed_only=request.GET.get("all") != "1"),
        "all": request.GET.get("all") == "1",
    })


@_officer
def decide(request, policy: str, point: str):
    file = _file(policy)
    base, text = _base(request, file)
    compiled = services.rule_check(file, text).catalog.policies.get(policy)
    found = next((p for p in compiled.open_points if p.id == point), None) if compiled else None
    if found is None:
        raise NotFound("未找到该开放事项")
    rows = editing.table_rows(text)
    form = DecideForm(request.POST or None, rows=rows)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        let, _, row = (data.get("row") or "").partition("|")
        try:
            new_text = editing.decide_point(
                text, point, kind=data["kind"], basis=data["basis"], basis_date=data["basis_date"],
                effective_from=data["effective_from"], by=str(request.user), on=timezone.localdate(),
                note=data["note"],
                condition={"id": data["condition_id"], "test": data["condition_test"],
                           "fail": data["condition_fail"]} if data["kind"] == "condition" else None,
                number={"let": let, "row": row, "value": data["value"]} if data["kind"] == "number" else None)
            revision = services.revision_create(
                actor=request.user, file=file, text=new_text, based_on=base,
                note=f"决定开放事项“{found.question}”：{DECISION_KIND_LABELS[data['kind']]}，依据{data['basis']}")
            messages.success(request, "已生成草稿。请查看测算结果和测试用例后发布；发布前对人才没有任何影响。")
            return redirect("workbench:revision", revision.pk)
        except services.RuleError as error:
            problems = error.problems
    document = document_for(compiled.source.document)
    page_text, located = highlighted(document_text(document.key), found.sentence) if document.key in BY_KEY \
        else ("", False)
    return render(request, "workbench/decide.html", {
        "policy_id": policy, "compiled": compiled, "point": found, "form": form, "problems": problems,
        "base": base, "document": document, "document_html": page_text if located else "",
    }, status=422 if request.method == "POST" else 200)


@login_required
def officers(request):
    """Who the policy officers are: an administrator gives or takes the role (staff members only)."""
    user = request.user
    if not user.is_administrator:
        raise PermissionDenied("只有系统管理员可以指定政策制定人员")
    from django.contrib.auth.models import Permission

    app_label, codename = EDIT_PERMISSION.split(".")
    permission = Permission.objects.get(content_type__app_label=app_label, codename=codename)
    if request.method == "POST":
        target = User.objects.filter(pk=request.POST.get("user"), role=Role.STAFF, is_active=True).first()
        if target is None:
            raise NotFound("未找到该工作人员")
        if request.POST.get("grant") == "1":
            target.user_permissions.add(permission)
            messages.success(request, f"已指定{target}为政策制定人员。")
        else:
            target.user_permissions.remove(permission)
            messages.success(request, f"已取消{target}的政策制定人员角色。")
        return redirect(reverse("workbench:officers"))
    staff = (User.objects.filter(role=Role.STAFF, is_active=True).select_related("department")
             .order_by("department__name", "username"))
    holders = set(permission.user_set.values_list("pk", flat=True))
    return render(request, "workbench/officers.html", {"staff": staff, "holders": holders})
