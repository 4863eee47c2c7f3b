from dataclasses import dataclass, field, replace

from .enums import Role


@dataclass(frozen=True)
class NavEntry:
    """A menu entry: a page (``url_name``), or a group of pages under one word (``items``), so that a role with
    many pages still has a menu of one row on a desktop."""

    label: str
    url_name: str = ""
    items: tuple["NavEntry", ...] = field(default=())
    current: bool = False  # the page shown, or a group holding it

    def marked(self, view_name: str) -> "NavEntry":
        items = tuple(item.marked(view_name) for item in self.items)
        return replace(self, items=items, current=self.url_name == view_name or any(i.current for i in items))


def _page(url_name: str, label: str) -> NavEntry:
    return NavEntry(label, url_name)


def _group(label: str, *items: NavEntry) -> NavEntry:
    return NavEntry(label, items=items)


def nav_entries(user) -> list[NavEntry]:
    """The menu of a role: its daily work first, reference pages in a group."""
    policies = [_page("policies:list", "政策"), _page("policies:calculator", "政策计算器")]
    if not user.is_authenticated:
        return [_page("home", "首页"), *policies]
    entries = [_page("home", "首页")]
    if user.role == Role.TALENT:
        entries += [_page("talents:me", "我的档案"), _page("recognition:mine", "人才认定"),
                    _page("fulfilment:mine", "政策兑现"), _page("payments:mine", "我的待遇"),
                    # One group for the one-stop services and the questions and ratings about them, so that the
                    # top row keeps to eight entries.
                    _group("服务与咨询", _page("services:mine", "人才服务"), _page("feedback:mine", "咨询评价")),
                    # 人才对接 (issue 11): what fits the talent and who wants to reach them; 项目申报 joins them
                    # here so that the top row keeps to eight entries.
                    _group("人才对接", _page("opportunities:browse", "岗位与见习"),
                           _page("matching:for_me", "为我推荐"), _page("matching:contacts", "联系请求"),
                           _page("opportunities:challenges", "揭榜挂帅"), _page("opportunities:projects", "项目成果"),
                           _page("programmes:index", "项目申报"),
                           _page("events:list", "活动"))]
    if user.role == Role.EMPLOYER:
        entries += [_page("talents:staff_list", "本单位人才"), _page("talents:claims", "任职确认"),
                    _page("recognition:employer", "人才认定"), _page("fulfilment:mine", "政策兑现"),
                    _page("programmes:index", "项目申报"), _group("人才对接", *_opportunity_pages(user))]
    if user.is_government or user.is_administrator:
        reviews = [_page("recognition:queue", "认定审核"), _page("fulfilment:queue", "兑现审批"),
                   _page("programmes:index", "项目申报"), _page("documents:queue", "材料核验")]
        if user.role == Role.STAFF or user.is_administrator:
            reviews += [_page("talents:claims", "任职确认"), _page("feedback:queue", "咨询答复")]
        reviews += _feedback_pages(user)
        # 登记人才 and 批量导入 are the 人才信息库 page's own buttons.
        entries += [_page("talents:staff_list", "人才信息库"), _group("审核", *reviews),
                    _page("payments:overview", "资金发放"),
                    _group("人才服务", _page("services:queue", "服务办理"), _page("services:specialist", "专员工作台"),
                           _page("services:supervision", "服务督办"), _page("services:catalog", "服务事项")),
                    # What the office sees of the whole (issue 10: 人才地图, the leader's display first) and the
                    # departments' data it is drawn from, in one group so that the top row keeps to eight.
                    _group("人才数据", _page("command:display", "指挥调度"), _page("analytics:map", "人才地图"),
                           _page("analytics:sources", "人才来源"), _page("analytics:flows", "人才流动"),
                           _page("earlywarning:list", "决策预警"), _page("ledgers:index", "工作台账"),
                           _page("datahub:dashboard", "数据中心"))]
        policies += [_page("policies:matches", "政策找人"), _page("policies:whatif", "预算测算")]
        from rencai.workbench.permissions import is_officer

        if is_officer(user):  # issue 13: the rules themselves, for policy officers and administrators
            policies += [_page("workbench:home", "政策工作台")]
        if not user.is_administrator:  # the administrator's top row is full: theirs is in 管理
            entries += [_group("人才对接", *_opportunity_pages(user))]
    if user.role == Role.EXPERT:
        entries += [_page("reviews:assignments", "评审任务")]
    if user.role == Role.AUDITOR and not user.is_administrator:
        entries += [_page("audit:events", "审计日志")]
    entries += [_group("政策", *policies)]
    if user.is_administrator:
        entries += [_group("管理", *_opportunity_pages(user), _page("audit:events", "审计日志"),
                           _page("recognition:authorizations", "自主认定授权"), _page("admin:index", "系统管理"))]
    return entries


def _opportunity_pages(user) -> list[NavEntry]:
    """人才对接 (issue 11): the pages of staff and employers."""
    return [_page("opportunities:challenges", "揭榜挂帅"), _page("opportunities:projects", "项目成果"),
            *_jobs_pages(user), _page("opportunities:shortage_index", "急需紧缺目录"),
            *([_page("matching:employer_jobs", "人才推荐")] if user.role == Role.EMPLOYER else []),
            *_events_pages(user)]


def _events_pages(user) -> list[NavEntry]:
    """对接活动 (issue 11): the events for everyone who takes part; 我的跟踪 for the staff who follow talents up."""
    return [_page("events:list", "活动"),
            *([_page("events:followups", "我的跟踪")] if user.role == Role.STAFF or user.is_administrator else [])]


def _jobs_pages(user) -> list[NavEntry]:
    """Jobs and 见习 (issue 11): 岗位管理 for an employer, 岗位审核 (and the list of all) for government users."""
    if user.role == Role.EMPLOYER:
        return [_page("opportunities:jobs_mine", "岗位管理")]
    if user.is_government or user.is_administrator:
        return [_page("opportunities:review_queue", "岗位审核")]
    return []


def _feedback_pages(user) -> list[NavEntry]:
    """差评回访 and complaints for supervisors (and administrators); satisfaction for them and leaders."""
    from rencai.feedback.supervisors import is_supervisor

    supervisor = is_supervisor(user) or user.is_administrator
    return ([_page("feedback:cases", "回访督办")] if supervisor else []) + (
        [_page("feedback:satisfaction", "满意度")] if supervisor or user.role == Role.LEADER else [])


def navigation(request):
    """The menu of the signed-in user's role, so every page shows the same navigation."""
    user = request.user
    view_name = request.resolver_match.view_name if request.resolver_match else ""
    return {"nav_entries": [entry.marked(view_name) for entry in nav_entries(user)],
            "role_label": Role(user.role).label if user.is_authenticated else ""}
