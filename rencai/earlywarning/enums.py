from django.db import models


class RuleKind(models.TextChoices):
    """What a rule watches; each kind has one evaluator (evaluators.py) and its own parameters (params.py)."""

    TALENT_LOSS = "talent_loss", "流失预警"
    NET_OUTFLOW = "net_outflow", "区县人才净流出"
    ENTITLEMENT_ENDING = "entitlement_ending", "待遇即将到期"
    FULFILMENT_OVERDUE = "fulfilment_overdue", "政策兑现超期"
    PROGRAMME_OVERDUE = "programme_overdue", "项目申报逾期"
    SERVICE_OVERDUE = "service_overdue", "人才服务超期"
    BUDGET_PACE = "budget_pace", "预算执行过快"
    POLICY_EXPIRING = "policy_expiring", "政策即将到期"
    RECOGNITION_EXPIRING = "recognition_expiring", "人才认定即将到期"


class State(models.TextChoices):
    OPEN = "open", "待处理"
    ACKNOWLEDGED = "acknowledged", "处理中"
    RESOLVED = "resolved", "已解决"
    DISMISSED = "dismissed", "已排除"


OPEN_STATES = (State.OPEN, State.ACKNOWLEDGED)


class Action(models.TextChoices):
    RAISE = "raise", "发出预警"
    ACKNOWLEDGE = "acknowledge", "确认并处理"
    RESOLVE = "resolve", "已解决"
    DISMISS = "dismiss", "排除"
    AUTO_RESOLVE = "auto_resolve", "条件消除，自动解除"


# action → (states it starts from, state it ends in). The one table of the state machine.
TRANSITIONS = {
    Action.ACKNOWLEDGE: ((State.OPEN,), State.ACKNOWLEDGED),
    Action.RESOLVE: (OPEN_STATES, State.RESOLVED),
    Action.DISMISS: (OPEN_STATES, State.DISMISSED),
    Action.AUTO_RESOLVE: (OPEN_STATES, State.RESOLVED),
}
# What a person may do from the page or the API (the auto-resolution is the evaluation's own).
PERSON_ACTIONS = (Action.ACKNOWLEDGE, Action.RESOLVE, Action.DISMISS)

