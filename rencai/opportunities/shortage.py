"""急需紧缺人才需求目录 (004: "围绕…“5+3+7+5”20条产业链发展需求…编制《沈阳市急需紧缺人才需求目录》"): services
(writes, each its own transaction) and selectors (reads) of the shortage catalog.

Who does what (the project's choice; 004 names the catalog, not its office):

- City staff (a city or provincial department, or an administrator) keep the catalogs: one per industry chain
  and year (``catalog_create``), its positions (``entry_save``, ``entry_delete``, ``entries_import`` from the
  Excel template), and its publication (``catalog_transition``: publish, or withdraw the publication — the one
  transition function of a catalog). A published catalog is read-only; a new revision is next year's catalog,
  or an explicit withdrawal (refused once a 急需紧缺 declaration names one of its positions).
- District staff read every catalog and decide (accept into the catalog, or reject with a reason) the demand
  entries of the employers of their district (``demand_decide``; city staff may decide any). Leaders read.
- Employers submit demand entries for their own industry chain (their organization's industry) and this year or
  next (``demand_submit``) while that catalog is not published, and see each entry's state; a rejection's reason
  is the message they are sent (the entry keeps no reason field) and their list shows it.
- Published catalogs are public (``published_catalogs``), and feed the 急需紧缺 reward (``declarable_entries``,
  read by rencai.programmes) and the matching (``published_entries``).

The registry's Industry choices stand for 004's 20 chains, which 004 does not list."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.accounts.models import User
from rencai.accounts.permissions import jurisdiction_codes
from rencai.core.errors import AppError, Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.core.excel import Sheet, xlsx_bytes
from rencai.core.parsing import FieldErrors, is_blank, optional_int, parse_choice
from rencai.core.uploads import check_upload, xlsx_rows
from rencai.notifications.services import notify
from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

from .enums import CatalogStatus, DemandStatus, Urgency
from .models import ShortageCatalog, ShortageEntry

FIRST_YEAR = 2020
HEADCOUNT_MAX = 10_000
IMPORT_ROWS_MAX = 2_000
NOTICE_KIND = "opportunities.shortage"
CHAINS_NOTE = ("文件提出围绕“5+3+7+5”20条产业链编制目录，但未列出各条产业链的名称；本平台按人才信息库登记的重点产业"
               "分目录编制，每个产业一份。")
# The import template's columns, in order: (key, header).
COLUMNS = (("position", "岗位名称"), ("skills", "技能和专业要求"), ("degree_min", "最低学历"),
           ("headcount", "需求人数"), ("urgency", "紧缺程度"))
LABELS = dict(COLUMNS)


def this_year() -> int:
    return timezone.localdate().year


# --- who may act -----------------------------------------------------------------------------------------------

def is_city_office(user: User) -> bool:
    """City (or provincial) staff and administrators keep the catalogs: the offices that open 项目申报's calls
    (the same rule, one place)."""
    from rencai.programmes.services import is_call_office

    return user.is_active and is_call_office(user)


def is_reader(user: User) -> bool:
    """Staff, leaders and administrators read every catalog, drafts too (no personal data in them)."""
    return user.is_authenticated and user.is_active and (user.is_government or user.is_administrator)


def _require_city_office(user: User) -> None:
    if not is_city_office(user):
        raise PermissionDenied("急需紧缺人才需求目录由市级人社部门编制和发布")


def _may_decide(user: User, entry: ShortageEntry) -> bool:
    if is_city_office(user):
        return True
    return (user.is_authenticated and user.role == Role.STAFF and user.department_id is not None
            and entry.organization_id is not None
            and entry.organization.district_id in jurisdiction_codes(user))


# --- reading a year and an entry's fields ------------------------------------------------------------------------

def year_check(year, *, field: str = "year") -> int:
    value = optional_int(year)
    if value is None or not FIRST_YEAR <= value <= this_year() + 1:
        raise ValidationFailed([FieldError(field, f"年度应为{FIRST_YEAR}年至{this_year() + 1}年之间的年份")])
    return value


def industry_check(industry, *, field: str = "industry") -> str:
    if industry not in Industry.values:
        raise ValidationFailed([FieldError(field, "请选择所属产业链")])
    return industry


@dataclass
class EntryInput:
    position: str = ""
    skills: str = ""
    degree_min: str = ""
    headcount: int | str | None = 1
    urgency: str = ""


def _whole(value) -> int | None:
    """A whole number typed in a form or a cell (Excel gives 5.0); blank is 1, anything else None."""
    if is_blank(value):
        return 1
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    return optional_int(str(value).strip())


def _entry_values(data: EntryInput | dict, errors: FieldErrors, *, label=LABELS.get) -> dict:
    """The entry's columns checked, every problem added to ``errors`` (field key, Chinese message naming it)."""
    raw = data if isinstance(data, dict) else data.__dict__
    position = "" if is_blank(raw.get("position")) else str(raw["position"]).strip()
    if not 2 <= len(position) <= 100:
        errors.add("position", f"请填写{label('position')}（2至100字）")
    skills = "" if is_blank(raw.get("skills")) else str(raw["skills"]).strip()
    if len(skills) > 300:
        errors.add("skills", f"{label('skills')}不能超过300字")
    degree = parse_choice(raw.get("degree_min"), Degree, field="degree_min", label=label("degree_min"),
                          errors=errors)
    headcount = _whole(raw.get("headcount"))
    if headcount is None or not 1 <= headcount <= HEADCOUNT_MAX:
        errors.add("headcount", f"{label('headcount')}应为1至{HEADCOUNT_MAX}之间的整数")
    urgency = parse_choice(raw.get("urgency"), Urgency, field="urgency", label=label("urgency"),
                           errors=errors) or Urgency.NORMAL
    return {"position": position, "skills": skills, "degree_min": degree, "headcount": headcount or 1,
            "urgency": urgency}


def _entry_values_or_fail(data: EntryInput) -> dict:
    errors = FieldErrors()
    values = _entry_values(data, errors)
    if errors:
        raise ValidationFailed(list(errors))
    return values


# --- catalogs ----------------------------------------------------------------------------------------------------

def _catalog_locked(catalog_id) -> ShortageCatalog:
    catalog = ShortageCatalog.objects.select_for_update().filter(pk=optional_int(catalog_id) or 0).first()
    if catalog is None:
        raise NotFound("未找到该急需紧缺人才需求目录")
    return catalog


def _require_draft(catalog: ShortageCatalog) -> None:
    if catalog.status == CatalogStatus.PUBLISHED:
        raise Conflict(f"《{catalog}急需紧缺人才需求目录》已发布，不能修改；如需修订，请先撤回发布",
                       code="catalog_published")


@transaction.atomic
def catalog_create(*, actor: User, year, industry: str) -> ShortageCatalog:
    """A new catalog (编制中) for one industry chain and year; a second one of the same chain and year is a 409."""
    _require_city_office(actor)
    errors: list[FieldError] = []
    for check, value in ((year_check, year), (industry_check, industry)):
        try:
            check(value)
        except ValidationFailed as failed:
            errors += failed.errors
    if errors:
        raise ValidationFailed(errors)
    year = int(year)
    try:
        with transaction.atomic():
            return ShortageCatalog.objects.create(year=year, industry=industry)
    except IntegrityError:
        raise Conflict(f"{year}年{Industry(industry).label}的急需紧缺人才需求目录已经建立，不能重复建立",
                       code="catalog_exists") from None


def _require_none_pending(catalog: ShortageCatalog) -> None:
    pending = catalog.entries.filter(demand_status=DemandStatus.SUBMITTED).count()
    if pending:
        raise Conflict(f"尚有{pending}条用人单位需求待采纳，请先逐条采纳或不采纳后再发布", code="demands_pending")


@transaction.atomic
def catalog_transition(*, actor: User, catalog_id, action: str) -> ShortageCatalog:
    """The one way a catalog's status changes: ``publish`` (编制中 → 已发布: at least one position, no employer
    demand left undecided) or ``withdraw`` (已发布 → 编制中, refused once a 急需紧缺 declaration names one of its
    positions: what was declared against stays as it was published). Doing what is already done is a 409."""
    _require_city_office(actor)
    catalog = _catalog_locked(catalog_id)
    if action == "publish":
        if catalog.status == CatalogStatus.PUBLISHED:
            raise Conflict(f"《{catalog}急需紧缺人才需求目录》已经发布", code="catalog_published")
        _require_none_pending(catalog)
        if not catalog.entries.filter(demand_status=DemandStatus.ACCEPTED).exists():
            raise ValidationFailed([FieldError("position", "目录中还没有岗位，请先添加岗位再发布")])
        catalog.status, catalog.published_at, catalog.published_by = CatalogStatus.PUBLISHED, timezone.now(), actor
    elif action == "withdraw":
        if catalog.status != CatalogStatus.PUBLISHED:
            raise Conflict(f"《{catalog}急需紧缺人才需求目录》尚未发布，无需撤回", code="catalog_draft")
        named = catalog_declarations(catalog)
        if named:
            raise Conflict(f"目录中的岗位已被{named}份急需紧缺人才奖励申报引用，不能撤回发布；"
                           "如需修订，请编制下一年度目录", code="catalog_in_use")
        catalog.status, catalog.published_at, catalog.published_by = CatalogStatus.DRAFT, None, None
    else:
        raise ValidationFailed([FieldError("action", "未知的操作")])
    catalog.save(update_fields=["status", "published_at", "published_by"])
    return catalog


def catalog_declarations(catalog: ShortageCatalog) -> int:
    """How many 急需紧缺 declarations (rencai.programmes) name a position of this catalog."""
    from rencai.programmes.models import Application

    return Application.objects.filter(shortage_entry__catalog=catalog).count()


# --- entries kept by staff ---------------------------------------------------------------------------------------

@transaction.atomic
def entry_save(*, actor: User, catalog_id, data: EntryInput, entry_id=None) -> ShortageEntry:
    """Add a position to a catalog being compiled, or change one (``entry_id``)."""
    _require_city_office(actor)
    catalog = _catalog_locked(catalog_id)
    _require_draft(catalog)
    values = _entry_values_or_fail(data)
    if entry_id is None:
        return ShortageEntry.objects.create(catalog=catalog, created_by=actor, demand_status=DemandStatus.ACCEPTED,
                                            **values)
    entry = catalog.entries.filter(pk=optional_int(entry_id) or 0).first()
    if entry is None:
        raise NotFound("未找到该岗位")
    for key, value in values.items():
        setattr(entry, key, value)
    entry.save(update_fields=list(values))
    return entry


@transaction.atomic
def entry_delete(*, actor: User, entry_id) -> ShortageCatalog:
    _require_city_office(actor)
    entry = ShortageEntry.objects.filter(pk=optional_int(entry_id) or 0).first()
    if entry is None:
        raise NotFound("未找到该岗位")
    catalog = _catalog_locked(entry.catalog_id)
    _require_draft(catalog)
    if entry.programme_applications.exists():
        raise Conflict("该岗位已被急需紧缺人才奖励申报引用，不能删除", code="entry_in_use")
    entry.delete()
    return catalog


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"第{self.row}行“{self.column}”：{self.message}"


class ImportFailed(AppError):
    """The import's bad rows, every one (row, column, reason); nothing was written."""

    def __init__(self, rows: list[RowError]):
        shown = "；".join(str(r) for r in rows[:20]) + ("……" if len(rows) > 20 else "")
        super().__init__(message=f"导入文件有{len({r.row for r in rows})}行不符合要求，未导入任何岗位：{shown}",
                         code="bad_rows", status=422,
                         errors=[FieldError("file", str(r)) for r in rows])
        self.rows = rows


def import_template() -> bytes:
    example = ["芯片设计工程师", "数字集成电路设计；微电子、电子科学与技术专业", "硕士", 5, "急需"]
    notes = [["岗位名称", "必填，2至100字"], ["技能和专业要求", "可不填，最多300字"],
             ["最低学历", "专科、本科、硕士、博士，可不填"], ["需求人数", "1至10000的整数，不填为1"],
             ["紧缺程度", "紧缺、急需、急需且紧缺，不填为紧缺"]]
    return xlsx_bytes([Sheet("急需紧缺岗位", [h for _, h in COLUMNS], [example], column_width=22),
                       Sheet("填写说明", ["列名", "说明"], notes, column_width=22)])


def _import_rows(upload) -> tuple[list[tuple[int, dict]], list[RowError]]:
    check_upload(upload, field="file", label="导入文件", extensions=(".xlsx",))
    rows = xlsx_rows(upload, label="导入文件")
    header = [str(h).strip() if h is not None else "" for h in (next(rows, None) or ())]
    keys = {header: key for key, header in COLUMNS}
    unknown = [h for h in header if h and h not in keys]
    if "岗位名称" not in header or unknown:
        problems = ([f"未知列“{'、'.join(unknown)}”"] if unknown else []) + \
            ([] if "岗位名称" in header else ["缺少必填列“岗位名称”"])
        raise AppError("导入文件：第1行应为模板的列名；" + "；".join(problems), code="bad_header", status=400)
    columns = {i: keys[h] for i, h in enumerate(header) if h}
    good: list[tuple[int, dict]] = []
    bad: list[RowError] = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(is_blank(v) for v in values):
            continue
        if len(good) + len({r.row for r in bad}) >= IMPORT_ROWS_MAX:
            raise AppError(f"导入文件：超过{IMPORT_ROWS_MAX}行的上限，请拆分后导入", code="too_many_rows", status=400)
        raw = {key: values[i] if i < len(values) else None for i, key in columns.items()}
        errors = FieldErrors()
        entry = _entry_values(raw, errors)
        if errors:
            bad += [RowError(number, LABELS[e.field], e.message) for e in errors]
        else:
            good.append((number, entry))
    return good, bad


@transaction.atomic
def entries_import(*, actor: User, catalog_id, upload) -> int:
    """Positions from the Excel template into a catalog being compiled: every bad row is reported (row, column,
    reason) and nothing is written unless every row is good. Returns how many were added."""
    _require_city_office(actor)
    catalog = _catalog_locked(catalog_id)
    _require_draft(catalog)
    good, bad = _import_rows(upload)
    if bad:
        raise ImportFailed(bad)
    if not good:
        raise ValidationFailed([FieldError("file", "导入文件中没有岗位（第2行起填写）")])
    ShortageEntry.objects.bulk_create([ShortageEntry(catalog=catalog, created_by=actor,
                                                     demand_status=DemandStatus.ACCEPTED, **values)
                                       for _, values in good])
    return len(good)


# --- employers' demand entries -----------------------------------------------------------------------------------

def _employer_organization(actor: User):
    if not actor.is_authenticated or actor.role != Role.EMPLOYER or actor.organization_id is None:
        raise PermissionDenied("急需紧缺人才需求由用人单位填报")
    organization = actor.organization
    if not organization.industry:
        raise ValidationFailed([FieldError("industry", "本单位尚未登记所属产业，无法填报；请联系所在区人社部门补充")])
    return organization


def demand_years() -> list[int]:
    return [this_year(), this_year() + 1]


@transaction.atomic
def demand_submit(*, actor: User, year, data: EntryInput) -> ShortageEntry:
    """An employer's demand entry (待采纳) in its own industry chain's catalog of ``year`` (this year or next),
    the catalog made (编制中) if it is the first word of that chain and year. Refused (409) once that catalog
    is published."""
    organization = _employer_organization(actor)
    errors = FieldErrors()
    value = optional_int(year)
    if value not in demand_years():
        errors.add("year", f"需求年度应为{'年或'.join(str(y) for y in demand_years())}年")
    values = _entry_values(data, errors)
    if errors:
        raise ValidationFailed(list(errors))
    try:
        with transaction.atomic():
            catalog, _ = ShortageCatalog.objects.get_or_create(year=value, industry=organization.industry)
    except IntegrityError:  # another employer of the chain made it at the same moment
        catalog = ShortageCatalog.objects.get(year=value, industry=organization.industry)
    catalog = _catalog_locked(catalog.pk)
    if catalog.status == CatalogStatus.PUBLISHED:
        raise Conflict(f"《{catalog}急需紧缺人才需求目录》已发布，不再接收需求；可填报下一年度的需求",
                       code="catalog_published")
    entry = ShortageEntry.objects.create(catalog=catalog, organization=organization, created_by=actor,
                                         demand_status=DemandStatus.SUBMITTED, **values)
    from rencai.accounts.permissions import staff_over

    notify(recipients=staff_over(organization.district_id), kind=NOTICE_KIND,
           title=f"{organization.name}填报了急需紧缺人才需求：{entry.position}",
           body=f"{catalog}，需求{entry.headcount}人", link=reverse("opportunities:shortage_demands"),
           key=f"shortage-demand-{entry.pk}-submitted")
    return entry


def _rejection_key(entry_id: int) -> str:
    return f"shortage-demand-{entry_id}-rejected"


@transaction.atomic
def demand_decide(*, actor: User, entry_id, accept: bool, reason: str = "") -> ShortageEntry:
    """Take an employer's demand entry into its catalog (已采纳) or set it aside (未采纳, with a reason the employer
    is sent and sees beside the entry) — the one transition of a demand entry. City staff decide any; district
    staff those of their district's employers. A decided entry, or a published catalog, is a 409."""
    entry = (ShortageEntry.objects.select_related("organization", "catalog")
             .filter(pk=optional_int(entry_id) or 0, organization__isnull=False).first())
    if entry is None or not is_reader(actor):
        raise NotFound("未找到该需求，或不在您的管辖范围内")
    if actor.role == Role.LEADER:
        raise PermissionDenied("领导账号只能查看，采纳需求由人社部门办理")
    if not _may_decide(actor, entry):
        raise NotFound("未找到该需求，或不在您的管辖范围内")
    reason = (reason or "").strip()
    if not accept and not 2 <= len(reason) <= 300:
        raise ValidationFailed([FieldError("reason", "请填写不采纳的理由（2至300字），理由将告知需求单位")])
    catalog = _catalog_locked(entry.catalog_id)
    entry = ShortageEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.demand_status != DemandStatus.SUBMITTED:
        raise Conflict(f"该需求已{entry.get_demand_status_display()}，不能再次处理", code="already_decided")
    _require_draft(catalog)
    entry.demand_status = DemandStatus.ACCEPTED if accept else DemandStatus.REJECTED
    entry.save(update_fields=["demand_status"])
    employer_users = User.objects.filter(role=Role.EMPLOYER, organization_id=entry.organization_id, is_active=True)
    link = reverse("opportunities:shortage_index")
    if accept:
        notify(recipients=list(employer_users), kind=NOTICE_KIND, title=f"急需紧缺人才需求已采纳：{entry.position}",
               body=f"已列入《{catalog}急需紧缺人才需求目录》，目录发布后公开", link=link,
               key=f"shortage-demand-{entry.pk}-accepted")
    else:
        notify(recipients=list(employer_users), kind=NOTICE_KIND, title=f"急需紧缺人才需求未采纳：{entry.position}",
               body=reason, link=link, key=_rejection_key(entry.pk))
    return entry


# --- selectors ---------------------------------------------------------------------------------------------------

def _accepted() -> Q:
    return Q(entries__demand_status=DemandStatus.ACCEPTED)


def catalogs_of_year(year: int) -> list[ShortageCatalog]:
    """Every catalog of the year (for staff), with ``positions`` (accepted entries), ``headcount_total`` and
    ``pending`` (employers' entries waiting) counted."""
    from django.db.models import Sum

    return list(ShortageCatalog.objects.filter(year=year).annotate(
        positions=Count("entries", filter=_accepted()),
        pending=Count("entries", filter=Q(entries__demand_status=DemandStatus.SUBMITTED)),
        headcount_total=Sum("entries__headcount", filter=_accepted())).order_by("industry"))


def catalog_get(*, user: User, catalog_id) -> ShortageCatalog:
    """A catalog the user may read: staff, leaders and administrators any; everyone else a published one."""
    catalog = ShortageCatalog.objects.filter(pk=optional_int(catalog_id) or 0).first()
    if catalog is None or (catalog.status != CatalogStatus.PUBLISHED and not is_reader(user)):
        raise NotFound("未找到该急需紧缺人才需求目录")
    return catalog


def catalog_entries(catalog: ShortageCatalog) -> QuerySet[ShortageEntry]:
    """The catalog's positions (accepted entries), most urgent first."""
    order = {Urgency.CRITICAL: 0, Urgency.HIGH: 1, Urgency.NORMAL: 2}
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(*[When(urgency=k, then=Value(v)) for k, v in order.items()], output_field=IntegerField())
    return (catalog.entries.filter(demand_status=DemandStatus.ACCEPTED).select_related("organization")
            .annotate(urgency_rank=rank).order_by("urgency_rank", "position", "id"))


def published_catalogs(year: int | None = None) -> QuerySet[ShortageCatalog]:
    """The published catalogs (of ``year``), each with its positions prefetched as ``positions``."""
    catalogs = ShortageCatalog.objects.filter(status=CatalogStatus.PUBLISHED)
    if year is not None:
        catalogs = catalogs.filter(year=year)
    return catalogs.order_by("-year", "industry").prefetch_related(Prefetch(
        "entries", queryset=ShortageEntry.objects.filter(demand_status=DemandStatus.ACCEPTED)
        .select_related("organization").order_by("position", "id"), to_attr="positions"))


def published_years() -> list[int]:
    return list(ShortageCatalog.objects.filter(status=CatalogStatus.PUBLISHED).values_list("year", flat=True)
                .distinct().order_by("-year"))


def published_entries(year: int | None = None) -> QuerySet[ShortageEntry]:
    """The positions of the published 急需紧缺人才需求目录 — what the matching reads (issue 11).

    Every ``ShortageEntry`` accepted into a published ``ShortageCatalog`` (employers' entries still waiting or
    not accepted are left out), of ``year`` if given, else of every year. Each row carries its catalog
    (``entry.catalog.year``, ``entry.catalog.industry`` — an ``organizations.enums.Industry`` value, the chain;
    ``entry.catalog.get_industry_display()`` its Chinese name) and the position's ``position``, ``skills``
    (skills and majors, free text separated by 、，；), ``degree_min`` (a ``talents.enums.Degree`` value or ""),
    ``headcount``, ``urgency`` (``enums.Urgency``) and ``organization`` (the employer whose demand it was, or
    None). No personal data. Ordered by year (newest first), chain, position."""
    entries = ShortageEntry.objects.filter(catalog__status=CatalogStatus.PUBLISHED,
                                           demand_status=DemandStatus.ACCEPTED)
    if year is not None:
        entries = entries.filter(catalog__year=year)
    return entries.select_related("catalog", "organization").order_by("-catalog__year", "catalog__industry",
                                                                      "position", "id")


def declaration_years(call_year: int) -> tuple[int, int]:
    """The catalogs a 急需紧缺 declaration of a call of ``call_year`` may name: that year's and the year before's.
    004 leaves it open; a reward called in one year is mostly for talent introduced the year before (under that
    year's catalog), or earlier in the call's own year (under its catalog)."""
    return call_year, call_year - 1


def declarable_entries(*, organization, call_year: int) -> QuerySet[ShortageEntry]:
    """The positions an employer may name in a 急需紧缺 declaration: of a published catalog of its own industry
    chain, of the call's year or the year before."""
    if organization is None or not organization.industry:
        return ShortageEntry.objects.none()
    return published_entries().filter(catalog__industry=organization.industry,
                                      catalog__year__in=declaration_years(call_year))


def entry_label(entry: ShortageEntry) -> str:
    return f"《{entry.catalog}急需紧缺人才需求目录》{entry.position}"


def demands_for_staff(*, user: User, year: int) -> QuerySet[ShortageEntry]:
    """Employers' demand entries of the year a staff member may see (and decide): city staff every employer's,
    district staff their district's employers'. Waiting ones first."""
    if not is_reader(user):
        return ShortageEntry.objects.none()
    entries = ShortageEntry.objects.filter(catalog__year=year, organization__isnull=False)
    if not user.is_administrator:
        entries = entries.filter(organization__district_id__in=jurisdiction_codes(user))
    waiting_first = Q(demand_status=DemandStatus.SUBMITTED)
    from django.db.models import BooleanField, ExpressionWrapper

    return (entries.select_related("catalog", "organization")
            .annotate(waiting=ExpressionWrapper(waiting_first, output_field=BooleanField()))
            .order_by("-waiting", "catalog__industry", "organization__name", "id"))


def demands_of_employer(user: User) -> list[ShortageEntry]:
    """An employer's own demand entries, newest year first, each with ``reason`` (a rejection's, from the
    message it was sent)."""
    if not user.is_authenticated or user.role != Role.EMPLOYER or user.organization_id is None:
        return []
    from rencai.notifications.models import Notification

    entries = list(ShortageEntry.objects.filter(organization_id=user.organization_id).select_related("catalog")
                   .order_by("-catalog__year", "-created_at", "-id")[:500])
    keys = {_rejection_key(e.pk): e for e in entries if e.demand_status == DemandStatus.REJECTED}
    reasons = dict(Notification.objects.filter(key__in=keys, recipient__organization_id=user.organization_id)
                   .values_list("key", "body")) if keys else {}
    for entry in entries:
        entry.reason = reasons.get(_rejection_key(entry.pk), "")
    return entries


def catalog_sheet(catalogs: Iterable[ShortageCatalog]) -> Sheet:
    """One sheet of the positions of the given catalogs (what 导出 writes)."""
    rows = []
    for catalog in catalogs:
        positions = getattr(catalog, "positions", None)
        for entry in positions if positions is not None else catalog_entries(catalog):
            rows.append([catalog.year, catalog.get_industry_display(), entry.position, entry.skills,
                         entry.get_degree_min_display() if entry.degree_min else "不限", entry.headcount,
                         entry.get_urgency_display(), entry.organization.name if entry.organization_id else "",
                         catalog.get_status_display()])
    return Sheet("急需紧缺人才需求目录", ["年度", "产业链", "岗位名称", "技能和专业要求", "最低学历", "需求人数",
                                  "紧缺程度", "需求单位", "目录状态"], rows, column_width=18)
