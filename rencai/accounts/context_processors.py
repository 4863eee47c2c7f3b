from .enums import Role


def navigation(request):
    """The menu of the signed-in user's role, so every page shows the same navigation."""
    user = request.user
    items = [("home", "首页"), ("policies:list", "政策"), ("policies:calculator", "政策计算器")]
    if user.is_authenticated:
        if user.role == Role.TALENT:
            items += [("talents:me", "我的档案"), ("recognition:mine", "人才认定"), ("fulfilment:mine", "政策兑现"),
                      ("payments:mine", "我的待遇")]
        if user.role == Role.EMPLOYER:
            items += [("talents:staff_list", "本单位人才"), ("talents:claims", "任职确认"),
                      ("recognition:employer", "人才认定"), ("fulfilment:mine", "政策兑现")]
        if user.is_government or user.is_administrator:
            items += [("talents:staff_list", "人才信息库"), ("policies:matches", "政策找人"),
                      ("policies:whatif", "预算测算"), ("recognition:queue", "认定审核"),
                      ("fulfilment:queue", "兑现审批"), ("payments:overview", "资金发放")]
        if user.role == Role.STAFF or user.is_administrator:
            items += [("talents:create", "登记人才"), ("talents:import", "批量导入")]
        if user.role == Role.EXPERT:
            items += [("recognition:reviews", "评审任务")]
        if user.role == Role.AUDITOR or user.is_administrator:
            items += [("audit:events", "审计日志")]
        if user.is_administrator:
            items += [("recognition:authorizations", "自主认定授权"), ("admin:index", "系统管理")]
    return {"nav_items": items, "role_label": Role(user.role).label if user.is_authenticated else ""}
