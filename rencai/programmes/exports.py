"""Every list of 项目申报 as .xlsx, through the one writer (core/excel.py: cells never become formulas); an export
naming people is logged in the audit log. No personal numbers are exported."""

from __future__ import annotations

from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.audit.enums import AuditAction
from rencai.audit.services import audit_record
from rencai.core.excel import Sheet, xlsx_bytes, xlsx_response
from rencai.payments.models import fen_to_yuan

from . import selectors
from .enums import AwardStatus


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


APPLICATION_HEADER = ["申报编号", "申报通知", "申报主体", "申报人（团队、单位）", "项目名称", "申报档次", "状态",
                      "提交时间", "评审得分", "排名"]


def _application_row(a) -> list:
    return [a.number, a.call.title, a.get_subject_display(), a.applicant_name, a.project_title,
            a.tier.label if a.tier_id else "", a.get_status_display(), _when(a.submitted_at),
            a.review_total, a.rank]


def call_applications(request, *, user, call):
    applications = list(selectors.call_applications(user=user, call=call))
    awards = list(selectors.awards_of_call(call).prefetch_related("stages"))
    award_rows = [[w.number, w.application.number, w.application.applicant_name, w.tier.label, w.amount,
                   w.get_status_display(), _when(w.granted_at)] for w in awards]
    stage_rows = [[s.reference, w.application.applicant_name, s.get_trigger_display(), s.amount,
                   s.get_status_display(), s.month.strftime("%Y-%m") if s.month else ""]
                  for w in awards for s in w.stages.all()]
    content = xlsx_bytes([
        Sheet("申报", APPLICATION_HEADER, [_application_row(a) for a in applications]),
        Sheet("立项", ["立项编号", "申报编号", "申报人（团队、单位）", "档次", "资助金额（元）", "状态", "立项时间"],
              award_rows),
        Sheet("拨付", ["拨付编号", "申报人（团队、单位）", "拨付条件", "金额（元）", "状态", "发放月份"], stage_rows),
    ])
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="programmes.application",
                 summary=f"导出{call.title}的申报和立项清单", filters={"call": call.pk}, row_count=len(applications))
    return xlsx_response(content, f"项目申报-{call.year}-{call.pk}.xlsx")


def applications_mine(request, *, user):
    rows = list(selectors.applications_visible(user).select_related("call", "talent", "organization", "tier")
                .order_by("-created_at")[:5000])
    content = xlsx_bytes([Sheet("项目申报", APPLICATION_HEADER, [_application_row(a) for a in rows])])
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="programmes.application",
                 summary="导出项目申报清单", row_count=len(rows))
    return xlsx_response(content, f"项目申报-{timezone.localdate():%Y%m%d}.xlsx")


def calls(request, *, user):
    rows = [[c.title, c.policy_title, c.get_subject_display(), c.year, c.opens_on, c.closes_on, c.money,
             "；".join(f"{t.label}：计划{t.places}项（上限{t.places_max}项），每项{t.amount}元" for t in c.tiers.all()),
             "已发布" if c.published else "未发布"] for c in selectors.calls_all(user)]
    header = ["通知", "项目", "申报主体", "年度", "申报开始", "申报截止", "本批资金（元）", "档次和名额", "状态"]
    sheets = [Sheet("申报通知", header, rows)]
    waiting = selectors.applications_to_check(user, limit=5000) if user.role != Role.LEADER else []
    if waiting:  # the district's queue of the index page, as it shows it
        sheets.append(Sheet("待形式审查", APPLICATION_HEADER, [_application_row(a) for a in waiting]))
        audit_record(actor=user, action=AuditAction.EXPORT, object_type="programmes.application",
                     summary="导出待形式审查的项目申报清单", row_count=len(waiting))
    return xlsx_response(xlsx_bytes(sheets), f"申报通知-{timezone.localdate():%Y%m%d}.xlsx")


def programme_years(request, *, user, policy):
    rows = [[y.year, y.applied, y.shortlisted, y.awarded_count, fen_to_yuan(y.awarded_fen), fen_to_yuan(y.paid_fen),
             y.accepted] for y in selectors.programme_figures(user=user, policy=policy.id)]
    header = ["年度", "申报", "入围（已排名）", "立项", "立项金额（元）", "已拨付（元）", "通过验收"]
    content = xlsx_bytes([Sheet("分年度情况", header, rows)])
    return xlsx_response(content, f"{policy.title[:30]}-分年度.xlsx")


def employer_awards(request, *, user):
    awards = (selectors.awards_of_call_for(user).exclude(status__in=(AwardStatus.PROPOSED, AwardStatus.WITHDRAWN)))
    rows = [[w.number, w.application.call.title, w.application.applicant_name, w.tier.label, w.amount,
             w.get_status_display()] for w in awards]
    header = ["立项编号", "申报通知", "申报人（团队、单位）", "档次", "资助金额（元）", "状态"]
    content = xlsx_bytes([Sheet("立项", header, rows)])
    audit_record(actor=user, action=AuditAction.EXPORT, object_type="programmes.award",
                 summary="导出本单位立项清单", row_count=len(rows))
    return xlsx_response(content, f"本单位立项-{timezone.localdate():%Y%m%d}.xlsx")
