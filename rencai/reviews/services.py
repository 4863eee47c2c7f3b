"""Writes of expert review. Each service owns its transaction; the caller (recognition's state machine, a
programme's) has checked that the actor may take the step and that the item is at that step.

- ``panel_form``: a panel of experts from the pool for an item, with 回避 (the item's parties, declared
  conflicts) — every refused expert named with the reason, at once; formed once (the database's unique panel
  per item and stage): the same panel again changes nothing, another is a 409.
- ``score_submit``: an expert scores an item on the panel's sheet — only an item assigned to them (else 403),
  once (the same scores again change nothing, other scores are a 409).
- ``conflict_declare``: an expert declares a conflict with an item or a party of one (kept with reason and time).
- ``sheet_ensure``: a sheet by its code, created from a definition the first time it is needed."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.core.errors import Conflict, FieldError, PermissionDenied, ValidationFailed

from . import scoring, selectors
from .enums import Stage
from .models import Assignment, ConflictDeclaration, Criterion, Expert, Panel, Score, Sheet
from .selectors import Parties
from .subjects import Ref

COMMENT_MAX = 2000


# --- sheets ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionSpec:
    code: str
    label: str
    maximum: int
    weight: str = "1"


@transaction.atomic
def sheet_ensure(*, code: str, name: str, criteria: Sequence[CriterionSpec], note: str = "",
                 outlier_min_gap: str = "0", trim: int = 0) -> Sheet:
    """The sheet with this code; created with these criteria if there is none (an existing sheet is data and is
    left as its administrators keep it)."""
    sheet = Sheet.objects.filter(code=code).first()
    if sheet is not None:
        return sheet
    try:
        with transaction.atomic():
            sheet = Sheet.objects.create(code=code, name=name, note=note, outlier_min_gap=outlier_min_gap, trim=trim)
    except IntegrityError:  # created meanwhile
        return Sheet.objects.get(code=code)
    Criterion.objects.bulk_create([Criterion(sheet=sheet, code=c.code, label=c.label, maximum=c.maximum,
                                             weight=c.weight, position=i) for i, c in enumerate(criteria)])
    return sheet


# --- panels ---------------------------------------------------------------------------------------------

def _ids(raw: Iterable) -> list[int]:
    ids: list[int] = []
    for value in raw or []:
        try:
            number = int(value)
        except (TypeError, ValueError):
            continue
        if number > 0 and number not in ids:
            ids.append(number)
    return ids


@transaction.atomic
def panel_form(*, actor: User, item: Ref, parties: Parties, expert_ids: Iterable, sheet: Sheet, size: int,
               review_days: int, stage: str = Stage.REVIEW) -> tuple[Panel, bool]:
    """Form the item's panel at ``stage`` from the pool: at least ``size`` experts, none of whom must stand aside
    (``selectors.conflict_reason``: the applicant themself, an organization of the item's parties, a declared
    conflict). Every problem is reported at once (422, nothing written). (panel, created): the same experts
    again — a form posted twice, two staff choosing alike at once — is the panel already formed; other experts
    for an item that has its panel are a 409."""
    ids = _ids(expert_ids)
    experts = {e.pk: e for e in Expert.objects.filter(pk__in=ids).select_related("organization")}
    declared = selectors.declared_conflicts(item, parties)
    errors = []
    if len(ids) < size:
        errors.append(FieldError("experts", f"评审专家组至少{size}人，已选{len(ids)}人"))
    for pk in ids:
        expert = experts.get(pk)
        if expert is None or not expert.active:
            errors.append(FieldError("experts", f"专家{pk}不在专家库中"))
        elif reason := selectors.conflict_reason(expert, parties, declared):
            errors.append(FieldError("experts", f"{expert.name}须回避：{reason}"))
    if errors:
        raise ValidationFailed(errors)
    existing = _existing_panel(item, stage, ids)
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            panel = Panel.objects.create(kind=item.kind, object_id=item.id, stage=stage, sheet=sheet,
                                         review_days=review_days, formed_by=actor, formed_at=now)
    except IntegrityError:  # formed at the same moment by someone else: theirs stands
        existing = _existing_panel(item, stage, ids)
        if existing is None:
            raise Conflict("该事项的评审专家组已由他人组建", code="panel_exists") from None
        return existing, False
    Assignment.objects.bulk_create([Assignment(panel=panel, expert=experts[pk], assigned_at=now) for pk in ids])
    return panel, True


def _existing_panel(item: Ref, stage: str, ids: list[int]) -> Panel | None:
    """The item's panel at this stage if it has one: None if not; a 409 if its experts are not ``ids``."""
    panel = Panel.objects.filter(kind=item.kind, object_id=item.id, stage=stage).select_related("formed_by").first()
    if panel is None:
        return None
    if set(panel.assignments.values_list("expert_id", flat=True)) != set(ids):
        raise Conflict(f"该事项的{Stage(stage).label}专家组已由{panel.formed_by}于"
                       f"{timezone.localtime(panel.formed_at):%Y-%m-%d %H:%M}组建，不能更换", code="panel_exists")
    return panel


# --- scores ---------------------------------------------------------------------------------------------

def _whole(value) -> int | None:
    text = str(value).strip() if value is not None else ""
    if not text.isdigit() or len(text) > 4:
        return None
    return int(text)


def scores_checked(sheet: Sheet, scores: dict) -> dict[int, int]:
    """criterion id → score, every criterion of the sheet in whole points within its maximum; every problem at
    once, each named by its criterion (422)."""
    errors, values = [], {}
    for criterion in sheet.criteria.all():
        value = _whole((scores or {}).get(criterion.code))
        if value is None:
            errors.append(FieldError(criterion.code, f"{criterion.label}：请填写0至{criterion.maximum}的整数分"))
        elif value > criterion.maximum:
            errors.append(FieldError(criterion.code, f"{criterion.label}：应在0至{criterion.maximum}分之间"))
        else:
            values[criterion.pk] = value
    if errors:
        raise ValidationFailed(errors)
    return values


@transaction.atomic
def score_submit(*, actor: User, item: Ref, scores: dict, comment: str = "", stage: str = Stage.REVIEW
                 ) -> tuple[Assignment, bool]:
    """The actor's scores on an item assigned to them (an expert of its panel at ``stage``; anyone else: 403,
    nothing written). Scores are given once: the same scores and comment again are (assignment, False), others a
    409. The total is the sheet's weighted sum."""
    assignment = (Assignment.objects.select_for_update(of=("self",))
                  .filter(panel__kind=item.kind, panel__object_id=item.id, panel__stage=stage, expert__user=actor)
                  .select_related("panel__sheet").first()) if actor.role == Role.EXPERT else None
    if assignment is None:
        raise PermissionDenied("您不是该事项的评审专家，不能评分")
    sheet = assignment.panel.sheet
    values = scores_checked(sheet, scores)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise ValidationFailed([FieldError("comment", f"评审意见不能超过{COMMENT_MAX}字")])
    if assignment.scored_at is not None:
        given = dict(assignment.scores.values_list("criterion_id", "value"))
        if given == values and assignment.comment == comment:
            return assignment, False
        raise Conflict("您已提交评分，评分一经提交不能修改", code="already_scored")
    criteria = {c.pk: c for c in sheet.criteria.all()}
    Score.objects.bulk_create([Score(assignment=assignment, criterion_id=pk, value=v) for pk, v in values.items()])
    assignment.total = scoring.weighted_total([(v, criteria[pk].weight) for pk, v in values.items()])
    assignment.comment = comment
    assignment.scored_at = timezone.now()
    assignment.save(update_fields=["total", "comment", "scored_at"])
    return assignment, True


# --- declared conflicts ---------------------------------------------------------------------------------

@transaction.atomic
def conflict_declare(*, actor: User, subject: Ref, reason: str, expert_id: int | None = None
                     ) -> tuple[ConflictDeclaration, bool]:
    """An expert declares a conflict of interest with ``subject`` (an item, or a party of one: a talent, an
    organization); staff or an administrator may record one for an expert (``expert_id``). Kept with the reason
    and the time; the same declaration again is the first (created=False)."""
    if actor.role == Role.EXPERT:
        expert = Expert.objects.filter(user=actor).first()
        if expert is None:
            raise PermissionDenied("您的账号尚未录入评审专家库")
    elif actor.role == Role.STAFF or actor.is_administrator:
        expert = Expert.objects.filter(pk=expert_id or 0).first()
        if expert is None:
            raise ValidationFailed([FieldError("expert", "请选择专家库中的专家")])
    else:
        raise PermissionDenied("只有评审专家本人或人社部门工作人员可以申报回避")
    reason = (reason or "").strip()
    if len(reason) < 2 or len(reason) > 200:
        raise ValidationFailed([FieldError("reason", "请填写回避理由（2至200字）")])
    existing = ConflictDeclaration.objects.filter(expert=expert, kind=subject.kind, object_id=subject.id).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            declaration = ConflictDeclaration.objects.create(expert=expert, kind=subject.kind, object_id=subject.id,
                                                             reason=reason, declared_by=actor,
                                                             declared_at=timezone.now())
    except IntegrityError:
        return ConflictDeclaration.objects.get(expert=expert, kind=subject.kind, object_id=subject.id), False
    return declaration, True
