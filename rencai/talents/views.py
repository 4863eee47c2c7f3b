"""The registry's pages: staff list and export, detail and reveal, registration, import, 信息维护."""

from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from rencai.accounts.enums import Role
from rencai.accounts.permissions import can_reveal, can_see_birth_date, require_staff
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.confirm import confirm_first
from rencai.core.errors import AppError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.excel import xlsx_response, xlsx_streaming_response
from rencai.core.kept_uploads import upload_keep, upload_take
from rencai.core.paging import list_page
from rencai.core.uploads import check_upload
from rencai.jobs.models import Job
from rencai.regions.models import Region, RegionLevel, code_prefix

from . import confirmations, excel, selectors, services
from .enums import Degree, SensitiveField, TalentCategory
from .forms import RegisterForm, StaffTalentForm, apply_errors, raw_talent_data
from .jobs import KEPT_PURPOSE
from .models import ImportBatch
from .validation import talent_input_validate, talent_raw

PAGE_SIZE = 50


def _posted(request):
    """The posted data for a bound form — an empty POST included, which `request.POST or None` would
    mistake for a first visit."""
    return request.POST if request.method == "POST" else None


def _filters_from(request) -> selectors.TalentFilters:
    returnee = {"1": True, "0": False}.get(request.GET.get("returnee", ""))
    return selectors.TalentFilters(
        name=request.GET.get("name", "")[:50],
        district=request.GET.get("district", "")[:6],
        category=request.GET.get("category", ""),
        degree=request.GET.get("degree", ""),
        returnee=returnee,
    )


def _districts_for(user):
    qs = Region.objects.filter(level=RegionLevel.DISTRICT)
    if user.department_id:
        qs = qs.filter(code__startswith=code_prefix(user.department.region_id))
    elif user.role == Role.EMPLOYER:
        qs = qs.none()
    return qs


@login_required
def staff_list(request):
    filters = _filters_from(request)
    queryset = selectors.talent_list(user=request.user, filters=filters)
    page = list_page(queryset, params=request.GET, per_page=PAGE_SIZE, keys=["id"],
                     count=selectors.talent_count(user=request.user, filters=filters))
    query = request.GET.copy()
    for key in ("page", "after", "before"):
        query.pop(key, None)
    return render(request, "talents/staff_list.html", {
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "districts": _districts_for(request.user),
        "categories": TalentCategory.choices,
        "degrees": Degree.choices,
        "birth_label": "出生日期" if can_see_birth_date(request.user) else "出生年份",
    })


@login_required
def staff_export(request):
    filters = _filters_from(request)
    queryset = selectors.talent_list(user=request.user, filters=filters)
    count = selectors.talent_count(user=request.user, filters=filters)
    count = queryset.count() if count is None else count
    audit_record(actor=request.user, action=AuditAction.EXPORT, object_type="talents.talent",
                 summary="导出人才名单（Excel）", filters=asdict(filters),
                 row_count=min(count, excel.MAX_EXPORT_ROWS))
    sheet = excel.talents_export(queryset, full_birth_date=can_see_birth_date(request.user))
    return xlsx_streaming_response([sheet], "人才名单.xlsx")


@login_required
def talent_detail(request, talent_id: int):
    talent = selectors.talent_get(user=request.user, talent_id=talent_id)
    return render(request, "talents/detail.html", _detail_context(request, talent))


def _detail_context(request, talent) -> dict:
    return {
        "talent": talent, "can_reveal": can_reveal(request.user), "reveal_fields": SensitiveField.choices,
        "can_edit": bool(services.talent_editable_fields(actor=request.user, talent=talent)),
        "can_decide_employment": (request.user.role == Role.STAFF or request.user.is_administrator)
        and talent.organization_id is not None and not talent.employment_confirmed,
        "changes": talent.changes.select_related("actor")[:20]}


@login_required
def claims(request):
    """任职确认: the employment claims waiting for this employer (or, for staff, in their jurisdiction)."""
    queryset = selectors.employment_claims(user=request.user)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talents/claims.html", {"page": page})


DECISIONS = {"confirm": ("确认任职", services.employment_confirm),
             "reject": ("不予确认", services.employment_reject)}


@login_required
@confirm_first(confirmations.claim_decide)
def claim_decide(request, talent_id: int, decision: str):
    """One claim, confirmed or rejected after a confirmation step (GET shows it, POST decides)."""
    if decision not in DECISIONS:
        raise NotFound()
    talent = selectors.employment_claim_get(user=request.user, talent_id=talent_id)
    label, decide = DECISIONS[decision]
    if request.method == "POST":
        kwargs = {"reason": request.POST.get("reason", "")} if decision == "reject" else {}
        try:
            decide(actor=request.user, talent_id=talent.pk, **kwargs)
        except ValidationFailed as exc:
            return render(request, "talents/claim_decide.html", {
                "talent": talent, "decision": decision, "label": label, "error": exc.message}, status=422)
        messages.success(request, f"已{label}：{talent.name}")
        if request.user.role == Role.EMPLOYER:
            return redirect("talents:claims")
        return redirect("talents:detail", talent_id=talent.pk)
    return render(request, "talents/claim_decide.html", {"talent": talent, "decision": decision, "label": label})


@login_required
@require_POST
@confirm_first(confirmations.reveal)
def talent_reveal(request, talent_id: int):
    """The clear number, with its reason; a refusal (no reason, an unknown field) is shown next to its field, in
    the fragment htmx swaps or in the talent's page without the script."""
    field = request.POST.get("field", "")
    reason = request.POST.get("reason", "")
    context = {"talent_id": talent_id, "reveal_fields": SensitiveField.choices, "reveal_field": field,
               "reveal_reason": reason}
    status = 200
    try:
        value = services.talent_reveal(actor=request.user, talent_id=talent_id, field=field, reason=reason,
                                       ip_address=request.META.get("REMOTE_ADDR"))
    except ValidationFailed as exc:
        context["reveal_errors"] = {e.field: e.message for e in exc.errors}
        status = exc.status
    else:
        context.update(revealed={"label": SensitiveField(field).label, "value": value}, reveal_reason="")
    if request.headers.get("HX-Request"):
        return render(request, "talents/_reveal.html", context, status=status)
    talent = selectors.talent_get(user=request.user, talent_id=talent_id)
    return render(request, "talents/detail.html", {**_detail_context(request, talent), **context}, status=status)


@login_required
def talent_create(request):
    require_staff(request.user)
    form = StaffTalentForm(_posted(request))
    if request.method == "POST":
        try:
            data = talent_input_validate(raw_talent_data(form))
            talent = services.talent_create(actor=request.user, data=data)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
            return render(request, "talents/form.html", {"form": form, "title": "登记人才"}, status=422)
        except AppError as exc:
            form.add_error(None, exc.message)
            return render(request, "talents/form.html", {"form": form, "title": "登记人才"}, status=exc.status)
        messages.success(request, f"已登记人才：{talent.name}")
        return redirect("talents:detail", talent_id=talent.pk)
    return render(request, "talents/form.html", {"form": form, "title": "登记人才"})


def register(request):
    if request.user.is_authenticated:
        return redirect("talents:me")
    form = RegisterForm(_posted(request))
    if request.method == "POST":
        username, password = form.data.get("username", "").strip(), form.data.get("password", "")
        # The record and the account are checked together: every problem on the first submit, never one round
        # at a time.
        errors = services.account_input_errors(username=username, password=password)
        try:
            data = talent_input_validate(raw_talent_data(form))
        except ValidationFailed as exc:
            errors, data = errors + exc.errors, None
        if not errors:
            try:
                talent = services.talent_self_register(username=username, password=password, data=data)
            except ValidationFailed as exc:
                errors = exc.errors
            except AppError as exc:
                form.add_error(None, exc.message)
                return render(request, "talents/register.html", {"form": form}, status=exc.status)
        if errors:
            apply_errors(form, errors)
            return render(request, "talents/register.html", {"form": form}, status=422)
        login(request, talent.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "注册成功，欢迎使用人才服务数字化平台")
        return redirect("talents:me")
    return render(request, "talents/register.html", {"form": form})


@login_required
def me(request):
    from rencai.policies.selectors import policies_for_talent

    talent = selectors.talent_for_user(user=request.user)
    context = {"talent": talent}
    if talent:
        context.update(policies_for_talent(talent=talent))
    return render(request, "talents/me.html", context)


@login_required
def import_page(request):
    """A small workbook is imported in the request; a larger one (over RENCAI_IMPORT_INLINE_BYTES) by a
    background job whose progress this page shows (?job=ID), with the same report when it ends. When the check
    finds bad rows and writes nothing, the file is kept for its uploader for an hour: 只导入正确的行 then needs
    no second pick of the file (``kept``)."""
    require_staff(request.user)
    context = {}
    status = 200
    if request.method == "POST":
        only_valid = request.POST.get("only_valid") == "1"
        kept = request.POST.get("kept", "")
        try:
            if kept and request.FILES.get("file") is None:
                with upload_take(kept, user=request.user, purpose=KEPT_PURPOSE, label="导入文件") as upload:
                    outcome = _import(request, upload, only_valid=True)
            else:
                outcome = _import(request, request.FILES.get("file"), only_valid=only_valid)
        except AppError as exc:
            context["error"] = exc.message
            status = exc.status
        else:
            if isinstance(outcome, str):
                return redirect(outcome)
            result, context["kept"] = outcome
            context["result"] = result
            status = 200 if result.imported_rows or not result.errors else 422
    elif request.GET.get("job"):
        from rencai.jobs.selectors import job_get

        job_id = request.GET["job"]
        job = job_get(user=request.user, job_id=int(job_id) if job_id.isdigit() and len(job_id) < 12 else 0)
        if job.kind != "talent_import":
            raise NotFound("未找到该导入任务")
        context["job"] = job
        if job.status == "succeeded" and job.result:
            batch = ImportBatch.objects.filter(pk=job.result.get("batch_id"), actor=request.user).first()
            if batch is not None:
                context["result"] = excel.ImportResult(
                    batch=batch, total_rows=batch.total_rows, valid_rows=job.result.get("valid_rows", 0),
                    imported_rows=batch.imported_rows, errors=[excel.RowError(**e) for e in batch.errors])
                context["kept"] = job.result.get("kept", "")
    return render(request, "talents/import.html", context, status=status)


def _import(request, upload, *, only_valid: bool):
    """Check and import ``upload`` (inline), or start the background job for a large one (returns the page to
    follow it). A check that found bad rows and wrote nothing keeps the file for 只导入正确的行."""
    check_upload(upload, field="file", label="导入文件", extensions=(".xlsx",))
    if upload.size > settings.RENCAI_IMPORT_INLINE_BYTES:
        from rencai.jobs.services import job_enqueue

        from .jobs import import_file_save

        job = job_enqueue(kind="talent_import", title=f"批量导入人才：{(upload.name or '')[:80]}",
                          actor=request.user, link="",
                          params={"stored": import_file_save(upload), "file_name": (upload.name or "")[:200],
                                  "only_valid": only_valid, "actor_id": request.user.pk})
        Job.objects.filter(pk=job.pk).update(link=f"{reverse('talents:import')}?job={job.pk}")
        return f"{reverse('talents:import')}?job={job.pk}"
    result = excel.talent_import(actor=request.user, upload=upload, only_valid=only_valid)
    kept = ""
    if result.errors and not result.imported_rows and result.valid_rows:
        kept = upload_keep(upload, user=request.user, purpose=KEPT_PURPOSE)
    return result, kept


@login_required
def import_template(request):
    require_staff(request.user)
    return xlsx_response(excel.import_template(), "人才导入模板.xlsx")




def _edit(request, talent, *, title: str, done):
    """The 信息维护 form for the fields this user may change; only the changed fields are submitted."""
    allowed = services.talent_editable_fields(actor=request.user, talent=talent)
    if not allowed:
        raise PermissionDenied("您没有修改该人才信息的权限")
    current = talent_raw(talent)
    current["phone"] = ""  # a number is never sent back to the browser; blank means "unchanged"
    form = StaffTalentForm(_posted(request), initial={**current, "returnee": "是" if current["returnee"] else "否"})
    for name in list(form.fields):
        if name not in allowed:
            del form.fields[name]
    form.fields["phone"].label = "手机号码（不修改请留空）"
    if request.method == "POST":
        submitted = {k: request.POST.get(k, "") for k in form.fields if k != "honors"}
        changes = {k: v for k, v in submitted.items() if _differs(k, v, current)}
        try:
            services.talent_update(actor=request.user, talent_id=talent.pk, changes=changes)
        except ValidationFailed as exc:
            apply_errors(form, exc.errors)
            return render(request, "talents/form.html", {"form": form, "title": title}, status=422)
        messages.success(request, "已保存" if changes else "没有需要保存的修改")
        return done
    return render(request, "talents/form.html", {"form": form, "title": title})


def _differs(key: str, submitted: str, current: dict) -> bool:
    if key == "phone":
        return bool(submitted.strip())
    value = current.get(key)
    if isinstance(value, bool):
        return {"是": True, "否": False}.get(submitted, value) != value
    return submitted.strip() != ("" if value is None else str(value))


@login_required
def me_edit(request):
    talent = selectors.talent_for_user(user=request.user)
    if talent is None:
        raise NotFound("您的账号尚未关联人才档案")
    return _edit(request, talent, title="维护我的信息", done=redirect("talents:me"))


@login_required
def talent_edit(request, talent_id: int):
    talent = selectors.talent_get(user=request.user, talent_id=talent_id)
    return _edit(request, talent, title=f"维护人才信息：{talent.name}",
                 done=redirect("talents:detail", talent_id=talent.pk))
