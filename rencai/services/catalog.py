"""The service catalog as data (``catalog/*.yaml``: one file per service item, ``*.bundle.yaml`` per 一件事
bundle), parsed and checked once. Every mistake is reported with the file, the field and the reason, and if any
file has one nothing is loaded (``CatalogError`` lists them all), as the policy catalog does.

An item says what the documents say about it: its document and a verbatim quote, the jurisdiction it is offered
in, the owning department (a word of the department's name, as ``fulfilment/routes.yaml``), who may request it
(``who``: ``anyone``, or ``any_of`` alternatives, each all of: categories, returnee, degrees,
graduated_within_years), the treatment per level where it differs, the promised time limit in working days
only where a document gives one (with the words it uses: 即时办理, 即时办结 are 0 days), the materials (document
store kinds) and the steps. A time limit no document gives is left open (``deadline`` absent): the office sets
it in the admin site (``ServiceItem.deadline_days``), shown as set by the office.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from rencai.documents.enums import DocumentKind
from rencai.talents.enums import Degree, TalentCategory

CATALOG_DIR = Path(__file__).resolve().parent / "catalog"
LEVELS = ("city", "district")
MAX_DEADLINE_DAYS = 60
ITEM_KEYS = {"key", "title", "summary", "jurisdiction", "department", "level", "source", "also_sources", "who",
             "treatments", "deadline", "materials", "steps", "notes", "requestable"}
BUNDLE_KEYS = {"key", "title", "summary", "jurisdiction", "source", "also_sources", "items", "notes"}
RULE_KEYS = {"categories", "returnee", "degrees", "graduated_within_years"}


class CatalogError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Source:
    document: str
    quote: str


@dataclass(frozen=True)
class Rule:
    """One alternative of who may request: every stated requirement holds."""

    categories: tuple[str, ...] = ()
    returnee: bool | None = None
    degrees: tuple[str, ...] = ()
    graduated_within_years: int | None = None

    def as_dict(self) -> dict:
        data = {"categories": list(self.categories), "returnee": self.returnee, "degrees": list(self.degrees),
                "graduated_within_years": self.graduated_within_years}
        return {k: v for k, v in data.items() if v not in ((), [], None)}


@dataclass(frozen=True)
class Treatment:
    rule: Rule
    text: str


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    summary: str
    jurisdiction: str
    department: str
    level: str
    source: Source
    also_sources: tuple[Source, ...]
    anyone: bool
    rules: tuple[Rule, ...]
    treatments: tuple[Treatment, ...]
    deadline_days: int | None
    deadline_quote: str
    materials: tuple[str, ...]
    steps: tuple[str, ...]
    notes: tuple[str, ...]
    requestable: bool
    file: str


@dataclass(frozen=True)
class Bundle:
    key: str
    title: str
    summary: str
    jurisdiction: str
    source: Source
    also_sources: tuple[Source, ...]
    items: tuple[str, ...]
    notes: tuple[str, ...]
    file: str


@dataclass
class Catalog:
    items: dict[str, Item] = field(default_factory=dict)
    bundles: dict[str, Bundle] = field(default_factory=dict)


class _Problems(list):
    def add(self, file: str, where: str, message: str) -> None:
        self.append(f"{file}: {where}: {message}")


def _text(data: dict, key: str, problems: _Problems, file: str, *, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        problems.add(file, key, "须为非空文字 / must be non-empty text")
        return ""
    return value.strip()


def _source(data: object, problems: _Problems, file: str, where: str) -> Source:
    if not isinstance(data, dict) or set(data) != {"document", "quote"}:
        problems.add(file, where, "须含且只含 document 与 quote / needs document and quote")
        return Source("", "")
    return Source(str(data["document"]), str(data["quote"]))


def _strings(value: object, problems: _Problems, file: str, where: str, allowed=None) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        problems.add(file, where, "须为文字列表 / must be a list of text")
        return ()
    for v in value:
        if allowed is not None and v not in allowed:
            problems.add(file, where, f"未知的值 {v!r} / unknown value")
    return tuple(value)


def _rule(data: object, problems: _Problems, file: str, where: str) -> Rule:
    if not isinstance(data, dict) or not data or set(data) - RULE_KEYS:
        problems.add(file, where, f"须为含 {sorted(RULE_KEYS)} 之一的映射 / unknown or missing requirement")
        return Rule()
    returnee = data.get("returnee")
    if returnee is not None and not isinstance(returnee, bool):
        problems.add(file, f"{where}.returnee", "须为 true 或 false")
    years = data.get("graduated_within_years")
    if years is not None and (not isinstance(years, int) or isinstance(years, bool) or not 0 < years <= 10):
        problems.add(file, f"{where}.graduated_within_years", "须为1到10的整数")
        years = None
    return Rule(categories=_strings(data.get("categories"), problems, file, f"{where}.categories",
                                    TalentCategory.values),
                returnee=returnee if isinstance(returnee, bool) else None,
                degrees=_strings(data.get("degrees"), problems, file, f"{where}.degrees", Degree.values),
                graduated_within_years=years)


def _item(data: dict, file: str, problems: _Problems) -> Item | None:
    unknown = set(data) - ITEM_KEYS
    if unknown:
        problems.add(file, ",".join(sorted(unknown)), "未知的键 / unknown key")
    key = _text(data, "key", problems, file)
    if key and Path(file).name != f"{key}.yaml":
        problems.add(file, "key", f"文件名应为 {key}.yaml / the file must be named by its key")
    level = data.get("level")
    if level not in LEVELS:
        problems.add(file, "level", "须为 city 或 district")
    who = data.get("who")
    anyone, rules = False, ()
    if not isinstance(who, dict) or set(who) not in ({"anyone"}, {"any_of"}):
        problems.add(file, "who", "须为 {anyone: true} 或 {any_of: [...]}")
    elif "anyone" in who:
        anyone = who["anyone"] is True
        if not anyone:
            problems.add(file, "who.anyone", "须为 true")
    elif not isinstance(who["any_of"], list) or not who["any_of"]:
        problems.add(file, "who.any_of", "须为非空列表")
    else:
        rules = tuple(_rule(r, problems, file, f"who.any_of[{i}]") for i, r in enumerate(who["any_of"]))
    treatments = []
    for i, entry in enumerate(data.get("treatments") or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
            problems.add(file, f"treatments[{i}]", "须含 text 与条件")
            continue
        rest = {k: v for k, v in entry.items() if k != "text"}
        treatments.append(Treatment(_rule(rest, problems, file, f"treatments[{i}]"), entry["text"].strip()))
    deadline = data.get("deadline")
    days, quote = None, ""
    if deadline is not None:
        if not isinstance(deadline, dict) or set(deadline) != {"working_days", "quote"}:
            problems.add(file, "deadline", "须含 working_days 与 quote；文件未规定时限的不写")
        else:
            days, quote = deadline["working_days"], str(deadline["quote"])
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= MAX_DEADLINE_DAYS:
                problems.add(file, "deadline.working_days", f"须为0到{MAX_DEADLINE_DAYS}的整数")
                days = None
    requestable = data.get("requestable", True)
    if not isinstance(requestable, bool):
        problems.add(file, "requestable", "须为 true 或 false")
    return Item(
        key=key, title=_text(data, "title", problems, file), summary=_text(data, "summary", problems, file),
        jurisdiction=str(data.get("jurisdiction") or ""), department=_text(data, "department", problems, file),
        level=level if level in LEVELS else "city",
        source=_source(data.get("source"), problems, file, "source"),
        also_sources=tuple(_source(s, problems, file, f"also_sources[{i}]")
                           for i, s in enumerate(data.get("also_sources") or [])),
        anyone=anyone, rules=rules, treatments=tuple(treatments), deadline_days=days, deadline_quote=quote,
        materials=_strings(data.get("materials"), problems, file, "materials", DocumentKind.values),
        steps=_strings(data.get("steps"), problems, file, "steps"),
        notes=_strings(data.get("notes"), problems, file, "notes"), requestable=requestable is not False, file=file)


def _bundle(data: dict, file: str, problems: _Problems) -> Bundle:
    unknown = set(data) - BUNDLE_KEYS
    if unknown:
        problems.add(file, ",".join(sorted(unknown)), "未知的键 / unknown key")
    key = _text(data, "key", problems, file)
    if key and Path(file).name != f"{key}.bundle.yaml":
        problems.add(file, "key", f"文件名应为 {key}.bundle.yaml")
    items = _strings(data.get("items"), problems, file, "items")
    if len(items) < 2:
        problems.add(file, "items", "一件事至少包含两个服务事项")
    return Bundle(key=key, title=_text(data, "title", problems, file),
                  summary=_text(data, "summary", problems, file), jurisdiction=str(data.get("jurisdiction") or ""),
                  source=_source(data.get("source"), problems, file, "source"),
                  also_sources=tuple(_source(s, problems, file, f"also_sources[{i}]")
                                     for i, s in enumerate(data.get("also_sources") or [])),
                  items=items, notes=_strings(data.get("notes"), problems, file, "notes"), file=file)


def load_catalog(directory: Path | str = CATALOG_DIR) -> Catalog:
    """Every item and bundle of ``directory``, or ``CatalogError`` listing every problem (nothing loaded)."""
    problems = _Problems()
    catalog = Catalog()
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            problems.add(path.name, "yaml", str(error).replace("\n", " "))
            continue
        if not isinstance(data, dict):
            problems.add(path.name, "文件", "顶层须为映射 / the file must hold a mapping")
            continue
        if path.name.endswith(".bundle.yaml"):
            bundle = _bundle(data, path.name, problems)
            catalog.bundles[bundle.key] = bundle
        else:
            item = _item(data, path.name, problems)
            if item is not None:
                if item.key in catalog.items:
                    problems.add(path.name, "key", "与其他文件重复")
                catalog.items[item.key] = item
    for bundle in catalog.bundles.values():
        for key in bundle.items:
            if key not in catalog.items:
                problems.add(bundle.file, "items", f"没有服务事项 {key!r}")
            elif not catalog.items[key].requestable:
                problems.add(bundle.file, "items", f"服务事项 {key!r} 不可在线申请")
    if problems:
        raise CatalogError(list(problems))
    return catalog


@cache
def shipped_catalog() -> Catalog:
    return load_catalog()
