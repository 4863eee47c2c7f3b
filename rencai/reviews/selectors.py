"""Reads of expert review: the pool with 回避, a panel's scores and result, a ranking, an expert's tasks."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Prefetch, Q
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.core.errors import NotFound, PermissionDenied

from . import scoring, subjects
from .enums import Stage
from .models import Assignment, ConflictDeclaration, Expert, Panel, Score, Sheet
from .subjects import Ref

ORGANIZATION = "organizations.organization"


# --- 回避 -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Parties:
    """Who an item concerns, as its owner says: ``users`` — user id → who they are (申请人), an expert who is
    one of them stands aside; ``organizations`` — organization id → whose it is (申请人, 团队成员张三), an expert
    working there stands aside; ``subjects`` — other references a declared conflict may name (the talent, the
    team). The item itself and the organizations count for declarations too."""

    users: dict[int, str] = field(default_factory=dict)
    organizations: dict[int, str] = field(default_factory=dict)
    subjects: tuple[Ref, ...] = ()


def declared_conflicts(item: Ref, parties: Parties) -> dict[int, ConflictDeclaration]:
    """expert id → a conflict the expert declared with the item or one of its parties (one query)."""
    refs = [item, *parties.subjects, *(Ref(ORGANIZATION, pk) for pk in parties.organizations)]
    condition = Q(pk__in=[])
    for ref in refs:
        condition |= Q(kind=ref.kind, object_id=ref.id)
    return {d.expert_id: d for d in ConflictDeclaration.objects.filter(condition).order_by("declared_at", "id")}


def conflict_reason(expert: Expert, parties: Parties, declared: dict[int, ConflictDeclaration]) -> str:
    """Why this expert must stand aside (回避) from the item, or "" if not."""
    if expert.user_id in parties.users:
        return f"专家本人为{parties.users[expert.user_id]}"
    if expert.organization_id and expert.organization_id in parties.organizations:
        return f"专家与{parties.organizations[expert.organization_id]}同一单位"
    if expert.pk in declared:
        return f"专家已申报回避（{declared[expert.pk].reason}）"
    return ""


@dataclass(frozen=True)
class Pool:
    available: list[Expert]
    refused: list[tuple[Expert, str]]  # (expert, why they stand aside)


def pool(item: Ref, parties: Parties, *, specialty_id: int | None = None) -> Pool:
    """The active pool (of one specialty, if given) split into those who may sit on the item's panel and those
    who must stand aside, with the reason."""
    experts = Expert.objects.filter(active=True).select_related("organization")
    if specialty_id:
        experts = experts.filter(specialties=specialty_id)
    declared = declared_conflicts(item, parties)
    available, refused = [], []
    for expert in experts:
        reason = conflict_reason(expert, parties, declared)
        (refused.append((expert, reason)) if reason else available.append(expert))
    return Pool(available, refused)


# --- sheets and panels ----------------------------------------------------------------------------------

def sheet_get(code: str) -> Sheet | None:
    return Sheet.objects.filter(code=code).prefetch_related("criteria").first()


def _assignments() -> Prefetch:
    return Prefetch("assignments", queryset=Assignment.objects.select_related("expert")
                    .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
                    .order_by("id"))


def panels_of(kind: str, ids: Iterable[int], stage: str = Stage.REVIEW) -> dict[int, Panel]:
    """object id → its panel at ``stage``, with the sheet, criteria, assignments and scores (four queries)."""
    return {p.object_id: p for p in Panel.objects.filter(kind=kind, object_id__in=list(ids), stage=stage)
            .select_related("sheet").prefetch_related("sheet__criteria", _assignments())}


def panel_of(item: Ref, stage: str = Stage.REVIEW) -> Panel | None:
    return panels_of(item.kind, [item.id], stage).get(item.id)


@dataclass(frozen=True)
class Row:
    """One expert's line of a panel's score table: their score per criterion (None until scored)."""

    assignment: Assignment
    values: list[int | None]
    outlier: bool


@dataclass(frozen=True)
class Result:
    """A panel's scores read together: the per-expert rows (outliers flagged), how many scored, the median and
    the result (``scoring.panel_result``: the mean, or the sheet's trimmed mean); ``complete`` once all
    scored (median and result are None until then)."""

    panel: Panel
    criteria: list
    rows: list[Row]
    scored: int
    median: Decimal | None
    result: Decimal | None
    first_criterion: Decimal | None  # the mean score of the sheet's first criterion (a ranking's last tie-break)

    @property
    def experts(self) -> int:
        return len(self.rows)

    @property
    def complete(self) -> bool:
        return bool(self.rows) and self.scored == len(self.rows)

    @property
    def waiting(self) -> int:
        return len(self.rows) - self.scored

    @property
    def outliers(self) -> list[Assignment]:
        return [r.assignment for r in self.rows if r.outlier]


def result_of(panel: Panel) -> Result:
    """The panel's result from what ``panels_of`` read (no further query)."""
    sheet = panel.sheet
    criteria = list(sheet.criteria.all())
    assignments = list(panel.assignments.all())
    scored = [a for a in assignments if a.scored_at is not None]
    flags = dict(zip([a.pk for a in scored],
                     scoring.outliers([a.total for a in scored], threshold=sheet.outlier_threshold,
                                      min_gap=sheet.outlier_min_gap), strict=True))
    rows = []
    for assignment in assignments:
        given = {s.criterion_id: s.value for s in assignment.scores.all()}
        rows.append(Row(assignment, [given.get(c.pk) for c in criteria], flags.get(assignment.pk, False)))
    complete = bool(assignments) and len(scored) == len(assignments)
    first = None
    if complete and criteria:
        firsts = [r.values[0] for r in rows if r.values[0] is not None]
        first = scoring.rounded(Decimal(sum(firsts)) / len(firsts)) if firsts else Decimal(0)
    return Result(panel=panel, criteria=criteria, rows=rows, scored=len(scored),
                  median=scoring.median([a.total for a in scored]) if complete else None,
                  result=scoring.panel_result([a.total for a in scored], trim=sheet.trim) if complete else None,
                  first_criterion=first)


def panel_result(item: Ref, stage: str = Stage.REVIEW) -> Result | None:
    """The item's panel at ``stage`` and its result; None if it has no panel."""
    panel = panel_of(item, stage)
    return result_of(panel) if panel is not None else None


# --- the final result and the ranking -------------------------------------------------------------------

@dataclass(frozen=True)
class Ranked:
    item: Ref
    rank: int | None  # None: a panel has not finished scoring (listed last)
    final: Decimal | None  # on a 100-point scale (scoring.combined)
    review: Result | None
    defence: Result | None


def ranking(kind: str, ids: Iterable[int], *, defence_weight: Decimal = Decimal(0)) -> list[Ranked]:
    """The items ranked by their final result (``scoring.combined``: the review panel's result, and the defence
    panel's weighed ``defence_weight``), best first; ties broken by ``scoring.ranking_key`` (the review panel's
    median, then the first criterion's mean); items equal on all share a rank (1, 2, 2, 4). An item whose panel
    (or defence panel, when the defence weighs) has not finished is listed after the ranked ones, unranked, as is
    one without a panel. Eight queries whatever the number of items."""
    ids = list(dict.fromkeys(ids))
    reviews = panels_of(kind, ids, Stage.REVIEW)
    defences = panels_of(kind, ids, Stage.DEFENCE) if defence_weight else {}
    ranked, waiting = [], []
    for pk in ids:
        review = result_of(reviews[pk]) if pk in reviews else None
        defence = result_of(defences[pk]) if pk in defences else None
        ready = review is not None and review.complete and (not defence_weight
                                                            or (defence is not None and defence.complete))
        if not ready:
            waiting.append(Ranked(Ref(kind, pk), None, None, review, defence))
            continue
        final = scoring.combined(review.result, review.panel.sheet.total_max,
                                 defence.result if defence else None,
                                 defence.panel.sheet.total_max if defence else None, defence_weight)
        ranked.append((scoring.ranking_key(final, review.median, review.first_criterion), pk, final, review, defence))
    ranked.sort(key=lambda row: (row[0], row[1]))
    result, previous, rank = [], None, 0
    for position, (key, pk, final, review, defence) in enumerate(ranked, start=1):
        if key != previous:
            rank, previous = position, key
        result.append(Ranked(Ref(kind, pk), rank, final, review, defence))
    return result + waiting


# --- the expert's tasks ---------------------------------------------------------------------------------

def review_due(assignment: Assignment) -> dt.date | None:
    """The day an expert's score falls due: the panel's scoring period (working days) from the day it was
    assigned; None where that year's working-day calendar is not entered."""
    from rencai.workdays.services import CalendarMissing, add_working_days

    try:
        return add_working_days(timezone.localtime(assignment.assigned_at).date(), assignment.panel.review_days)
    except CalendarMissing:
        return None


@dataclass
class Task:
    """An assignment as the expert's task list shows it, whatever kind of item it is."""

    assignment: Assignment
    kind_label: str
    item: subjects.Item | None
    url: str
    due: dt.date | None


def tasks_of_expert(*, user: User, open_only: bool = False) -> list[Task]:
    """The expert's assignments of every registered kind (recognition's applications, a programme's), unscored
    first, oldest first; each with its item as its kind describes it (one query per kind) and its due day."""
    if user.role != Role.EXPERT:
        raise PermissionDenied("只有评审专家可以查看评审任务")
    assignments = Assignment.objects.filter(expert__user=user).select_related("panel")
    if open_only:
        assignments = assignments.filter(scored_at__isnull=True)
    assignments = list(assignments.order_by(F("scored_at").asc(nulls_first=True), "-assigned_at", "-id"))
    by_kind: dict[str, set[int]] = defaultdict(set)
    for a in assignments:
        by_kind[a.panel.kind].add(a.panel.object_id)
    items = {kind: subjects.load(kind, ids) for kind, ids in by_kind.items()}
    return [Task(a, subjects.kind_label(a.panel.kind), items[a.panel.kind].get(a.panel.object_id),
                 subjects.score_url(a.panel.kind, a.pk), review_due(a) if a.scored_at is None else None)
            for a in assignments]


def scored_count(*, user: User) -> int:
    return Assignment.objects.filter(expert__user=user, scored_at__isnull=False).count()


def assignment_get(*, user: User, assignment_id: int) -> Assignment:
    """One of the user's own assignments (anyone else's: not found)."""
    assignment = (Assignment.objects.filter(pk=assignment_id, expert__user=user)
                  .select_related("panel", "panel__sheet", "expert").first())
    if assignment is None:
        raise NotFound("未找到该评审任务")
    return assignment


def values_of(assignment: Assignment) -> dict[str, int]:
    """criterion code → the score given (empty until scored)."""
    return dict(assignment.scores.values_list("criterion__code", "value"))


def assigned_item_ids(*, user: User, kind: str):
    """The ids of the items of ``kind`` the user sits on a panel of (a subquery: an expert sees what they review)."""
    return Panel.objects.filter(kind=kind, assignments__expert__user=user).values("object_id")
