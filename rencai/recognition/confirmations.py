"""What each irreversible act of recognition will do, in the words the confirmation dialog and page show
(core/confirm.py). Each function takes the request and the view's URL arguments, reads what it needs through
the selectors (so it sees only what the user may see) and returns a Confirmation, or None when the post needs
none."""

from rencai.core.confirm import Confirmation
from rencai.core.parsing import optional_int
from rencai.reviews import scoring

from . import selectors
from .enums import Status, Way, category_label


def _who(application) -> str:
    return f"{application.talent.name}（申请{application.number}）"


def _validity(application, category: str) -> str:
    rule = application.standard.rule_for(category)
    return f"有效期{rule.validity_years}年" if rule is not None else ""


def _upgrade(application) -> str:
    held, _ = selectors.category_held(application.talent)
    return f"原{category_label(held)}的认定同时结束（认定升级）" if held else ""


def act(request, application_id: int, action: str) -> Confirmation | None:
    if action not in ("submit", "withdraw", "accept", "reject", "panel", "conclude", "declare"):
        return None  # 退回补正 (the talent corrects and resubmits) and unknown actions: nothing to confirm
    application = selectors.application_get(user=request.user, application_id=application_id)
    category = category_label(application.category)
    if action == "declare":
        from rencai.reviews.models import Expert

        expert = Expert.objects.filter(pk=optional_int(request.POST.get("expert"))).first()
        name = expert.name if expert else "所选专家"
        return Confirmation(
            title=f"确认记录{name}申报回避{_who(application)}？",
            effects=[f"{name}不能进入本申请的评审专家组",
                     "回避理由、记录人和时间保存在专家评审记录中"],
            action="确认记录回避")
    if action == "submit":
        if application.way != Way.EMPLOYER:
            return None  # an application sent to the office can still be withdrawn
        quota = application.authorization.quotas.filter(category=application.category).first()
        left = f"（剩余{quota.quota - quota.used}个，共{quota.quota}个）" if quota else ""
        return Confirmation(
            title=f"确认提交并完成自主认定：{application.talent.name}？",
            effects=[f"{application.talent.name}立即认定为{category}，{_validity(application, application.category)}，"
                     "并发放人才卡",
                     f"占用本单位{category}自主认定名额1个{left}",
                     *(x for x in [_upgrade(application)] if x),
                     "认定结果向人社部门备案，只有人社部门可以撤销"],
            action="确认提交并认定")
    if action == "withdraw":
        return Confirmation(
            title=f"确认撤回认定申请{application.number}？",
            effects=["申请结束，不再办理；已上传的材料保留在材料库中",
                     "如仍需认定，可以重新提出申请"],
            action="确认撤回")
    if action == "accept":
        if application.way == Way.DIRECT:
            item = application.item
            return Confirmation(
                title=f"确认材料齐全，直接认定{application.talent.name}？",
                effects=["所附材料在材料库中标为“已核验”",
                         f"{_who(application)}认定为{category}（符合条目{item.code if item else ''}），"
                         f"{_validity(application, application.category)}，立即发放人才卡",
                         *(x for x in [_upgrade(application)] if x),
                         "认定结果记入办理记录，申请人可以看到"],
                action="确认认定")
        return Confirmation(
            title=f"确认{application.talent.name}的材料齐全？",
            effects=["所附材料在材料库中标为“已核验”，不再退回补正",
                     "申请转入评审：下一步组建评审专家组"],
            action="确认材料齐全")
    if action == "reject":
        reason = request.POST.get("reason", "").strip()
        return Confirmation(
            title=f"确认对{application.talent.name}不予认定？",
            effects=[f"申请{application.number}结束，结果为不予认定",
                     f"决定和理由记入办理记录，申请人可以看到{f'：“{reason}”' if reason else ''}"],
            action="确认不予认定")
    if action == "panel":
        count = len({v for v in request.POST.getlist("experts") if v})
        return Confirmation(
            title=f"确认组建评审专家组（{count}位专家）？",
            effects=[f"所选{count}位专家的评审任务中出现本申请，可以查看申请和材料",
                     "申请进入评审，专家组组建后不能更换"],
            action="确认组建")
    outcome = selectors.review_outcome(application)
    if outcome is None:
        return Confirmation(title="还有专家未提交评分", effects=["现在作出决定会被拒绝：请等全部专家评分后再决定"],
                            action="仍然提交", undo="不会作出任何决定。")
    result = (f"达到{category_label(outcome.category)}分数线{outcome.marks[outcome.category]}分："
              f"认定为{category_label(outcome.category)}，立即发放人才卡" if outcome.category else
              f"未达到{category}分数线{outcome.marks.get(application.category)}分：不予认定")
    return Confirmation(
        title=f"确认按评审结果对{application.talent.name}作出决定？",
        effects=[f"评审专家{outcome.experts}人，平均分{outcome.average}分", result,
                 "决定记入办理记录，申请人可以看到"],
        action="确认作出决定")


def revoke(request, recognition_id: int) -> Confirmation:
    recognition = selectors.recognition_get(user=request.user, recognition_id=recognition_id)
    application = recognition.application
    effects = [f"{recognition.talent.name}的{recognition.get_category_display()}认定撤销，"
               f"人才卡{recognition.serial}立即失效（核验时显示已撤销）"]
    if application.way == Way.EMPLOYER:
        effects.append("退回用人单位该类别的自主认定名额1个")
    restored = selectors.recognition_restored_on_revoke(recognition)
    if restored is not None:
        effects.append(f"被本次认定取代的{restored.get_category_display()}认定（人才卡{restored.serial}）恢复有效")
    effects.append("撤销理由记入办理记录，人才可以看到")
    return Confirmation(title=f"确认撤销{recognition.talent.name}的人才认定？", effects=effects,
                        action="确认撤销认定")


def score(request, assignment_id: int) -> Confirmation | None:
    assignment = selectors.assignment_get(user=request.user, assignment_id=assignment_id)
    application = selectors.application_get(user=request.user, application_id=assignment.panel.object_id)
    if application.status != Status.IN_REVIEW or assignment.scored_at is not None:
        return None  # the service refuses it with its own message
    criteria = list(assignment.panel.sheet.criteria.all())
    values = {c: _score(request.POST.get(c.code), c.maximum) for c in criteria}
    if all(v is not None for v in values.values()):
        total = f"总分{scoring.plain(scoring.weighted_total([(v, c.weight) for c, v in values.items()]))}分"
    else:
        total = "有未填写或超出满分的项目，提交会被拒绝并指出"
    return Confirmation(
        title=f"确认提交对{application.talent.name}的评分？",
        effects=["、".join(f"{c.label}{'未填' if v is None else f'{v}分'}" for c, v in values.items()) + f"；{total}",
                 "评分提交后不能修改，计入专家组平均分"],
        action="确认提交评分")


def _score(raw, maximum: int) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 4 and int(raw) <= maximum else None
