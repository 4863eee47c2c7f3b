"""Demo in-site messages: each demo account finds something in 站内消息 that leads to its work."""

from django.db import transaction

from rencai.accounts.models import User
from rencai.notifications.services import notify

MESSAGES = {
    "talent": ("欢迎使用人才服务数字化平台",
               "您的认定、申请和发放进度都会通过站内消息告诉您；也可以先看看您可能符合的政策。", "/me/"),
    "employer": ("人才认定申请退回补正", "本单位为员工提交的人才认定申请被退回补正，请按一次性告知补齐材料后重新提交。",
                 "/recognition/employer/"),
    "city_staff": ("认定申请待审核", "有人才认定申请等待审核，请按承诺时限办理。", "/recognition/queue/"),
    "heping_staff": ("认定申请待审核", "和平区有人才认定申请等待审核，请按承诺时限办理。", "/recognition/queue/"),
    "hunnan_staff": ("认定申请待审核", "浑南区有人才认定申请等待审核，请按承诺时限办理。", "/recognition/queue/"),
    "leader": ("政策找人结果已更新", "可查看全市符合条件而尚未享受政策的人数和金额。", "/policies/matches/"),
    "policy_officer": ("高校毕业生生活补贴有待决定的开放事项",
                       "文件未写明毕业年限等条件：可在政策工作台作出决定（写明依据的实施细则），先测算再发布。",
                       "/workbench/rules/sy-living-subsidy-graduate/"),
    "auditor": ("审计日志", "工作人员的登记、导入、决定和导出均记录在审计日志中。", "/audit/"),
    "admin": ("请录入2027年放假安排", "2027年的工作日历为暂定（只含法定节假日，未含调休），国务院办公厅通知发布后请在"
              "系统管理的“年度放假安排”中录入，以免办理时限计算有误。", "/admin/workdays/holidayyear/"),
}


def inbox_demo_load() -> int:
    """One message per demo account (safe to run again: the same key is never sent twice)."""
    experts = [f"expert{i}" for i in range(1, 6)]
    users = {u.username: u for u in User.objects.filter(username__in=[*MESSAGES, *experts])}
    with transaction.atomic():
        for username, (title, body, link) in MESSAGES.items():
            if username in users:
                notify(recipients=[users[username]], kind="demo", title=title, body=body, link=link,
                       key="demo:welcome")
        reviewers = [users[name] for name in experts if name in users]
        if reviewers:
            notify(recipients=reviewers, kind="demo", title="有评审任务", key="demo:welcome",
                   body="您有分配给您的人才认定评审任务，请在评分期限内完成打分。", link="/recognition/reviews/")
    return len(users)
