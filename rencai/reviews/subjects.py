"""What can be reviewed, by a generic reference: ``kind`` ("app_label.model") and id — as feedback/subjects.py
names what can be rated. Each kind's app registers an adapter (``register``, from its AppConfig.ready) that
reads its items in one query and says, for each, what the expert's task list shows (its number, the applicant,
what is applied for) and where the expert scores it. Recognition registers "recognition.application"; a
programme's app will register its applications the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Ref:
    """A reviewed item (or a party a conflict is declared against): "app_label.model" and the row's id."""

    kind: str
    id: int

    @classmethod
    def of(cls, obj) -> Ref:
        return cls(f"{obj._meta.app_label}.{obj._meta.model_name}", obj.pk)


@dataclass(frozen=True)
class Item:
    number: str  # the item's number as its own pages show it (RD0000012)
    applicant: str  # who applied (a name; never an ID number)
    detail: str  # what is applied for (C类（领军人才）, a programme and tier)


@dataclass(frozen=True)
class Kind:
    kind: str
    label: str  # what the item is called on screen (人才认定申请)
    load: Callable[[Iterable[int]], dict[int, Item]]  # id → Item, one query
    score_url: Callable[[int], str]  # an assignment's id → the page where its expert scores it


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.kind] = kind


def kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else "评审事项"


def load(kind: str, ids: Iterable[int]) -> dict[int, Item]:
    if kind not in KINDS:
        return {}
    return KINDS[kind].load([i for i in ids if i])


def score_url(kind: str, assignment_id: int) -> str:
    return KINDS[kind].score_url(assignment_id) if kind in KINDS else ""
