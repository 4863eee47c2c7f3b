"""Pages of a policy's test cases (issue 13): the cases with their result against the rule in force (or a draft's
catalog), a form to add or correct one, retiring one, and the cases as YAML in the shipped format. Officers only.

A case's situation is asked with the calculator's own questions; what they cannot hold — a team's or an
organisation's profile, a talent apartment's availability, a job's start, a job outside the city — is written in
full (人员情况全文: the contract's profile as YAML). A case whose profile the questions cannot hold opens in full,
so that correcting it never drops what the questions do not ask."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml
from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from rencai.core.errors import Conflict, NotFound, ValidationFailed
from rencai.policies.calculator import default_catalog
from rencai.policies.forms import CalculatorForm, DateField

from . import services, services_cases
from .cases import Case, cases_for, cases_run, shipped_cases
from .models import CaseStatus, RuleCase
from .views import _officer


class CaseForm(forms.Form):
    name = forms.CharField(label="用例名称", max_length=200, help_text="例如：博士毕业生每月2500元",
                           error_messages={"required": "请填写用例名称", "max_length": "用例名称过长（最多200字）"})
    expected_status = forms.ChoiceField(label="预期结果", choices=CaseStatus.choices,
                                        error_messages={"required": "请选择预期结果",
                                                        "invalid_choice": "请从列表中选择预期结果"})
    expected_monthly = forms.DecimalField(label="预期每月金额（元）", required=False, min_value=0, max_digits=14,
                                          decimal_places=2, help_text="不核对可不填",
                                          error_messages={"invalid": "预期每月金额须为数字（元）",
                                                          "min_value": "预期每月金额不能为负",
                                                          "max_decimal_places": "预期每月金额最多两位小数"})
    expected_one_time = forms.DecimalField(label="预期一次性金额（元）", required=False, min_value=0, max_digits=14,
                                           decimal_places=2, help_text="不核对可不填",
                                           error_messages={"invalid": "预期一次性金额须为数字（元）",
                                                           "min_value": "预期一次性金额不能为负",
                                                           "max_decimal_places": "预期一次性金额最多两位小数"})


def _policy(policy: str):
    compiled = default_catalog().policies.get(policy)
    if compiled is None:
        raise NotFound("未找到该政策规则")
    return compiled


def _answers(case: Case) -> dict:
    """The calculator's answers for a case's profile (the questions it asks)."""
    p = case.profile
    housing, purchase, employment = p.get("housing") or {}, p.get("purchase"), p.get("employment") or {}
    kinds = [t["kind"] for t in p.get("training") or [] if t.get("certified")]
    yes_no = {True: "yes", False: "no"}
    return {
        "city": p.get("city", ""), "birth_date": p.get("birth_date"), "returnee": yes_no.get(p.get("returnee"), ""),
        "degree": p.get("degree", ""), "graduation_date": p.get("graduation_date"),
        "talent_category": p.get("talent_category", ""), "professional_title": p.get("professional_title", ""),
        "skill_level": p.get("skill_level", ""), "honors": p.get("honors", []),
        "training": "both" if len(kinds) > 1 else (kinds[0] if kinds else ""),
        "employer_type": employment.get("employer_type", ""), "renting": yes_no.get(housing.get("renting"), ""),
        "monthly_rent": housing.get("monthly_rent"), "rent_area_sqm": housing.get("rent_area_sqm"),
        "bought_home": "" if purchase is None else "yes", "purchase_date": (purchase or {}).get("date"),
        "first_home": yes_no.get((purchase or {}).get("first_home"), ""),
        "self_occupied": yes_no.get((purchase or {}).get("self_occupied"), ""), "as_of": case.as_of,
    }


def _profile(form: CalculatorForm, before: dict | None) -> dict:
    """The contract profile from the answers; what the questions do not ask (the city code of a case written in
    YAML, a talent apartment's availability, a job's start) is kept from the case as it was."""
    profile = form.profile()
    profile.pop("as_of", None)
    for key in ("housing", "employment", "purchase"):
        kept = {k: v for k, v in ((before or {}).get(key) or {}).items() if k not in profile.get(key, {})}
        if kept and key in profile:
            profile[key] = {**kept, **profile[key]}
    return profile


def _status(expected) -> str:
    return {True: "true", False: "false"}.get(expected, expected)


class ProfileTextForm(forms.Form):
    """The situation in full: the calculator contract's profile, as YAML (what the shipped cases hold)."""

    profile_text = forms.CharField(
        label="人员情况全文", widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false", "translate": "no"}),
        help_text="按计算器接口的字段逐行填写（每行“字段: 值”，下级字段缩进两格），例如团队或单位的情况、"
                  "人才公寓是否可租、入职日期",
        error_messages={"required": "请填写人员情况全文"})
    as_of = DateField(label="按哪一天的政策计算", required=False, help_text="默认今天")

    def clean_profile_text(self) -> dict:
        text = self.cleaned_data["profile_text"]
        try:
            profile = yaml.safe_load(text)
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            where = f"第{mark.line + 1}行" if mark is not None else ""
            raise forms.ValidationError(f"人员情况全文{where}格式有误：每行写“字段: 值”，下级字段缩进两格") from None
        if not isinstance(profile, dict):
            raise forms.ValidationError("人员情况全文应逐行写“字段: 值”")
        profile.pop("as_of", None)  # the day is its own question
        return _plain_dates(profile)


def _plain_dates(value):
    """Dates YAML read as dates back to the contract's ISO text (the profile is kept as JSON)."""
    if isinstance(value, dict):
        return {str(k): _plain_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_dates(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


# What the calculator's questions can hold (CalculatorForm.profile): a profile with anything else is written in full.
ASKED = {"city": None, "birth_date": None, "returnee": None, "degree": None, "graduation_date": None,
         "talent_category": None, "professional_title": None, "skill_level": None, "honors": None, "training": None,
         "employment": {"employer_type", "in_city"}, "housing": {"renting", "monthly_rent", "rent_area_sqm"},
         "purchase": {"date", "first_home", "self_occupied"}}


def _asked_only(profile: dict) -> bool:
    for key, value in profile.items():
        parts = ASKED.get(key, False)
        if parts is False or (parts is not None and not (isinstance(value, dict) and set(value) <= parts)):
            return False
    if (profile.get("employment") or {}).get("in_city") is False:
        return False  # the questions say the job is in the city
    return all(isinstance(t, dict) and set(t) <= {"kind", "certified"} and t.get("certified") is True
               for t in profile.get("training") or [])


def _profile_yaml(profile: dict) -> str:
    return yaml.safe_dump(profile, allow_unicode=True, sort_keys=False, default_flow_style=False)


def _office(row: RuleCase) -> Case:
    from .cases import office_case

    return office_case(row)


def _edit(request, policy: str, *, row: RuleCase | None, shipped: Case | None):
    compiled = _policy(policy)
    source = shipped or (row and _office(row))
    in_full = not _asked_only(source.profile) if source else compiled.subject != "person"
    mode = (request.POST if request.method == "POST" else request.GET).get("mode") or ("text" if in_full else "")
    mode = "text" if mode == "text" or in_full else "questions"  # a case beyond the questions stays in full
    if request.method == "POST":
        case_form = CaseForm(request.POST)
        question_form = ProfileTextForm(request.POST) if mode == "text" else CalculatorForm(request.POST)
    else:
        initial = ({"name": source.name, "expected_status": _status(source.expected),
                    "expected_monthly": source.monthly, "expected_one_time": source.one_time} if source else {})
        case_form = CaseForm(initial=initial)
        if mode == "text":
            profile = source.profile if source else {"subject": compiled.subject, "city": "shenyang"}
            question_form = ProfileTextForm(initial={"profile_text": _profile_yaml(profile),
                                                     "as_of": source.as_of if source else None})
        else:
            question_form = CalculatorForm(initial=_answers(source) if source else None)
    status = 200
    if request.method == "POST":
        status = 422
        if case_form.is_valid() and question_form.is_valid():
            profile = (question_form.cleaned_data["profile_text"] if mode == "text"
                       else _profile(question_form, source.profile if source else None))
            values = {**case_form.cleaned_data, "profile": profile,
                      "as_of": question_form.cleaned_data.get("as_of") or timezone.localdate()}
            try:
                if row is not None:
                    services_cases.case_update(actor=request.user, case=row, **values)
                else:
                    services_cases.case_create(actor=request.user, policy=policy, **values)
            except ValidationFailed as error:
                for e in error.errors:
                    if e.field in case_form.fields:
                        case_form.add_error(e.field, e.message)
                    elif mode == "text" and e.field == "profile":
                        question_form.add_error("profile_text", e.message)
                    else:
                        question_form.add_error("as_of" if e.field == "as_of" else None, e.message)
            except Conflict as error:
                case_form.add_error("name", error.message)
                status = 409
            else:
                return redirect("workbench:cases", policy)
    return render(request, "workbench/case_edit.html", {
        "compiled": compiled, "policy_id": policy, "case_form": case_form, "form": question_form,
        "replacing": shipped is not None, "row": row, "mode": mode, "in_full": in_full}, status=status)


@require_http_methods(["GET", "POST"])
@_officer
def case_new(request, policy: str):
    return _edit(request, policy, row=None, shipped=None)


@require_http_methods(["GET", "POST"])
@_officer
def case_edit(request, case_id: int | None = None, policy: str | None = None, case_name: str | None = None):
    if case_id is not None:
        row = RuleCase.objects.filter(pk=case_id).first()
        if row is None:
            raise NotFound("没有这个用例")
        return _edit(request, row.policy, row=row, shipped=None)
    row = RuleCase.objects.filter(policy=policy, name=case_name).first()
    if row is not None:  # the office already replaced (or retired) it: correct its own case
        return _edit(request, policy, row=row, shipped=None)
    shipped = next((c for c in shipped_cases().get(policy, ()) if c.name == case_name), None)
    if shipped is None:
        raise NotFound("没有这个用例")
    return _edit(request, policy, row=None, shipped=shipped)


@require_POST
@_officer
def case_retire(request, policy: str, case_name: str):
    services_cases.case_retire(actor=request.user, policy=policy, name=case_name)
    return redirect("workbench:cases", policy)


def _rows(results) -> list[dict]:
    rows = []
    for r in results:
        edit = (reverse("workbench:case_edit", args=[r.case.pk]) if r.case.pk
                else reverse("workbench:case_edit", args=[r.case.policy, r.case.name]))
        rows.append({"result": r, "case": r.case, "edit": edit,
                     "expected": dict(CaseStatus.choices)[_status(r.case.expected)]})
    return rows


@_officer
def cases(request, policy: str):
    compiled = _policy(policy)
    results = cases_run(policy, default_catalog())
    return render(request, "workbench/cases.html", {
        "compiled": compiled, "policy_id": policy, "rows": _rows(results), "revision": None,
        "failed": sum(not r.passed for r in results)})


@_officer
def revision_cases(request, revision_id: int):
    revision = services.revision_get(revision_id)
    checked = services.rule_check(revision.file, revision.text)
    compiled = checked.catalog.policies.get(checked.policy)
    if compiled is None:
        raise NotFound("这个版本是不可兼得组，没有测试用例")
    results = cases_run(checked.policy, checked.catalog)
    return render(request, "workbench/cases.html", {
        "compiled": compiled, "policy_id": checked.policy, "rows": _rows(results), "revision": revision,
        "failed": sum(not r.passed for r in results)})


def _plain(value: Decimal | None):
    return None if value is None else (int(value) if value == value.to_integral_value() else float(value))


@_officer
def cases_export(request, policy: str):
    """The policy's cases in force as YAML in the shipped format (catalog/cases/<policy>.yaml)."""
    _policy(policy)
    items = []
    for case in cases_for(policy):
        expect = {"eligible": case.expected}
        if case.monthly is not None:
            expect["monthly_amount"] = _plain(case.monthly)
        if case.one_time is not None:
            expect["one_time_amount"] = _plain(case.one_time)
        items.append({"name": case.name, "as_of": case.as_of.isoformat(), "profile": case.profile,
                      "expect": expect})
    text = yaml.safe_dump({"policy": policy, "cases": items}, allow_unicode=True, sort_keys=False, width=120)
    response = HttpResponse(text, content_type="application/x-yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{policy}.yaml"'
    return response
