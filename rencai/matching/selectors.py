"""Reads of matching: a talent's profile as the index sees it, the documents of the talent index, the matches a
talent is shown, an employer's jobs and the masked rows of the talent who fit one. Every read is scoped: a talent
sees their own matches; an employer only its own organization's published jobs and, for them, only talent who
consent (a talent who never consented, or withdrew, is a 404 everywhere)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.core.errors import NotFound, PermissionDenied
from rencai.opportunities.enums import OpportunityKind, OpportunityStatus
from rencai.opportunities.models import Opportunity, ShortageEntry
from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree, ProfessionalTitle, SkillLevel
from rencai.talents.models import Education, Talent

from . import index as ix
from .enums import ContactState
from .models import Consent, ContactRequest, Subscription
from .tokenizer import tokens, tokens_cached
from .vocab import CHALLENGE_INDUSTRY, industries_of_text

TITLE_LABEL = dict(ProfessionalTitle.choices)
SKILL_LABEL = dict(SkillLevel.choices)
INDUSTRY_LABEL = dict(Industry.choices)
JOB_KINDS = (OpportunityKind.JOB, OpportunityKind.INTERNSHIP)
NOT_FOUND = "该人才不存在，或未同意被用人单位查找"


# -- the talent as matching sees them --------------------------------------------------------------------------
SHORTAGE_TTL = 60.0  # seconds a process keeps the published catalogs' words (they change a few times a year)
_shortage: tuple[float, list] = (-SHORTAGE_TTL, [])


def _shortage_entries() -> list[tuple[str, str, set[str]]]:
    """(industry, position, words) of the accepted entries of published catalogs, kept a minute per process (a
    talent's page then reads none of it; a catalog published shows in matches within the minute)."""
    global _shortage
    if time.monotonic() - _shortage[0] < SHORTAGE_TTL:
        return _shortage[1]
    rows = (ShortageEntry.objects.filter(catalog__status="published", demand_status="accepted")
            .values_list("catalog__industry", "position", "skills"))
    entries = [(industry, position, ix.major_words(tokens(f"{position} {skills}")))
               for industry, position, skills in rows]
    _shortage = (time.monotonic(), entries)
    return entries


def profile_of(talent: Talent, *, shortage=None) -> ix.Profile:
    educations = list(talent.educations.all())
    majors = list(dict.fromkeys(e.major for e in educations if e.major))
    major_tokens = {m: ix.major_words(tokens_cached(m)) for m in majors}
    words = set().union(*major_tokens.values()) if major_tokens else set()
    industries = {i: "您的专业" for i in industries_of_text(words)}
    org_industry = talent.organization.industry if talent.organization_id else ""
    if org_industry:
        industries[org_industry] = "所在单位"
    query = [t for m in majors for t in tokens_cached(m)]
    query += [t for i in industries for t in tokens_cached(INDUSTRY_LABEL[i])]
    for label in (TITLE_LABEL.get(talent.professional_title), SKILL_LABEL.get(talent.skill_level)):
        query += list(tokens_cached(label or ""))
    fits = {}
    for industry, position, entry_words in (shortage if shortage is not None else _shortage_entries()):
        if words & entry_words and industry not in fits:
            fits[industry] = position
    return ix.Profile(
        talent_id=talent.pk, degree=ix.DEGREE_RANK.get(talent.highest_degree, 0), returnee=talent.returnee,
        overseas=any(e.overseas for e in educations), district=talent.district_id or "",
        district_name=talent.district.name if talent.district_id else "", industries=industries, majors=majors,
        major_tokens=major_tokens, query=query, shortage=fits)


def talent_of_user(user) -> Talent:
    if not (user.is_authenticated and user.role == Role.TALENT):
        raise PermissionDenied("只有人才本人可以使用此功能")
    talent = (Talent.objects.select_related("district", "organization").prefetch_related("educations")
              .filter(user=user).first())
    if talent is None:
        raise NotFound("您的账号尚未关联人才档案")
    return talent


# -- opportunities for a talent ----------------------------------------------------------------------------------
@dataclass
class MatchRow:
    opportunity: Opportunity
    score: float
    reasons: list[str]


def matches_for_talent(talent: Talent, *, kinds=None, k: int = 20, today: dt.date | None = None) -> list[MatchRow]:
    idx = ix.current(ix.OpportunityIndex)
    found = idx.top(profile_of(talent), k=k, kinds=kinds, today=today)
    opportunities = Opportunity.objects.select_related("district", "organization").in_bulk([m.pk for m in found])
    return [MatchRow(opportunities[m.pk], m.score, m.reasons) for m in found if m.pk in opportunities]


def opportunity_text(opportunity: Opportunity) -> tuple[str, str]:
    """The words an opportunity is found by, and the words of its 专业 requirement."""
    parts = [opportunity.title, opportunity.title, opportunity.description, opportunity.majors,
             INDUSTRY_LABEL.get(opportunity.industry, ""), opportunity.get_challenge_field_display()]
    entry = opportunity.shortage_entry
    if entry is not None:
        parts += [entry.position, entry.skills]
    return " ".join(p for p in parts if p), opportunity.majors


# -- talent for an employer's job --------------------------------------------------------------------------------
def talent_docs(ids: set[int] | None = None):
    """(id, degree rank, returnee, overseas education, district, industry code, words) of every consenting
    talent (or of ``ids`` among them), read in two ordered streams (talents, educations) merged by id."""
    consenting = Consent.objects.filter(withdrawn_at__isnull=True)
    if ids is not None:
        consenting = consenting.filter(talent_id__in=list(ids))
    who = consenting.values("talent_id")
    talents = (Talent.objects.filter(pk__in=who).order_by("pk")
               .values_list("pk", "highest_degree", "returnee", "district_id", "organization__industry",
                            "professional_title", "skill_level").iterator(chunk_size=20000))
    educations = iter(Education.objects.filter(talent_id__in=who).order_by("talent_id")
                      .values_list("talent_id", "major", "school", "overseas").iterator(chunk_size=20000))
    pending = next(educations, None)
    industries = {v: i for i, v in enumerate(ix.INDUSTRIES)}
    for pk, degree, returnee, district, industry, title, skill in talents:
        words: list[str] = []
        overseas = False
        while pending is not None and pending[0] < pk:
            pending = next(educations, None)
        while pending is not None and pending[0] == pk:
            words += tokens_cached(pending[1] or "")
            words += tokens_cached(pending[2] or "")
            overseas = overseas or pending[3]
            pending = next(educations, None)
        words += tokens_cached(TITLE_LABEL.get(title, ""))
        words += tokens_cached(SKILL_LABEL.get(skill, ""))
        yield (pk, ix.DEGREE_RANK.get(degree, 0), returnee, overseas, int(district or 0),
               industries.get(industry, -1), words)


def employer_jobs(user):
    """The employer's own published jobs and internships (what it may look for talent for)."""
    if not (user.is_authenticated and user.role == Role.EMPLOYER and user.organization_id):
        raise PermissionDenied("只有用人单位可以查看人才推荐")
    return (Opportunity.objects.filter(organization_id=user.organization_id, kind__in=JOB_KINDS,
                                       status=OpportunityStatus.PUBLISHED)
            .select_related("district").order_by("-published_at", "-id"))


def employer_job(user, job_id: int) -> Opportunity:
    job = employer_jobs(user).select_related("shortage_entry").filter(pk=job_id).first()
    if job is None:
        raise NotFound("未找到该岗位，或它不是本单位已发布的岗位")
    return job


def job_query(job: Opportunity) -> ix.JobQuery:
    industry = job.industry or CHALLENGE_INDUSTRY.get(job.challenge_field, "")
    text = f"{job.title} {job.majors} {INDUSTRY_LABEL.get(industry, '')}"
    if job.shortage_entry_id:
        text += f" {job.shortage_entry.position} {job.shortage_entry.skills}"
    return ix.JobQuery(pk=job.pk, degree=ix.DEGREE_RANK.get(job.degree_min, 0), targeted=job.targeted_returnee,
                       overseas=job.overseas_wanted, industry=industry, district=job.district_id or "",
                       query=tokens(text))


def _years_band(graduated: dt.date | None, today: dt.date) -> str:
    if graduated is None:
        return "—"
    years = (today - graduated).days / 365.25
    if years < 0:
        return "应届"
    for limit, label in ((3, "毕业3年以内"), (5, "毕业3至5年"), (10, "毕业5至10年")):
        if years < limit:
            return label
    return "毕业10年以上"


@dataclass
class TalentRow:
    """A talent as an employer sees them: masked until the talent accepts contact (then name and masked phone)."""

    talent_id: int
    label: str
    degree: str
    major: str
    band: str
    district: str
    returnee: bool
    score: float
    contact: ContactRequest | None

    @property
    def revealed(self) -> bool:
        return self.contact is not None and self.contact.state == ContactState.ACCEPTED


def _rows(job: Opportunity, talents: list[Talent], scores: dict[int, float]) -> list[TalentRow]:
    contacts = {c.talent_id: c for c in ContactRequest.objects.filter(opportunity=job, talent__in=talents)}
    today = timezone.localdate()
    out = []
    for t in talents:
        educations = sorted(t.educations.all(), key=lambda e: e.graduation_date, reverse=True)
        contact = contacts.get(t.pk)
        accepted = contact is not None and contact.state == ContactState.ACCEPTED
        out.append(TalentRow(
            talent_id=t.pk, label=t.name if accepted else (t.name[:1] + "*"),
            degree=Degree(t.highest_degree).label if t.highest_degree else "—",
            major=educations[0].major if educations and educations[0].major else "—",
            band=_years_band(t.graduation_date, today), district=t.district.name, returnee=t.returnee,
            score=scores.get(t.pk, 0.0), contact=contact))
    return out


def consenting():
    """The talents who consent now (a subquery: a talent with no consent row at all is never among them)."""
    return Talent.objects.filter(pk__in=Consent.objects.filter(withdrawn_at__isnull=True).values("talent_id"))


def _consenting(ids) -> list[Talent]:
    return list(consenting().filter(pk__in=list(ids))
                .select_related("district").prefetch_related(Prefetch("educations")))


def talents_for_job(user, job_id: int, *, k: int = 50) -> tuple[Opportunity, list[TalentRow]]:
    """The top ``k`` consenting talent for the employer's own job, masked. The index answers from memory; the
    consent of every row is checked again in the database, so a withdrawal hides the talent at once."""
    job = employer_job(user, job_id)
    found = ix.current(ix.TalentIndex).top(job_query(job), k=k + 10)
    scores = dict(found)
    talents = {t.pk: t for t in _consenting(scores)}
    ordered = [talents[pk] for pk, _ in found if pk in talents][:k]
    return job, _rows(job, ordered, scores)


def talent_for_job(user, job_id: int, talent_id: int) -> tuple[Opportunity, TalentRow, Talent]:
    """One consenting talent for the employer's job (a direct address): 404 when they do not consent."""
    job = employer_job(user, job_id)
    talents = _consenting([talent_id])
    if not talents:
        raise NotFound(NOT_FOUND)
    return job, _rows(job, talents, {})[0], talents[0]


# -- the talent's own settings and requests ----------------------------------------------------------------------
def consent_history(talent: Talent):
    return list(Consent.objects.filter(talent=talent).order_by("-given_at", "-id"))


def consent_active(talent: Talent) -> Consent | None:
    return Consent.objects.filter(talent=talent, withdrawn_at__isnull=True).first()


def subscribed(talent: Talent) -> bool:
    return Subscription.objects.filter(talent=talent, enabled=True).exists()


def contacts_of(talent: Talent):
    return (ContactRequest.objects.filter(talent=talent).select_related("organization", "opportunity")
            .order_by("-requested_at", "-id"))


def subscribers():
    """(talent, user id) of every talent who asked to be told of new opportunities, with what profiles need."""
    return (Talent.objects.filter(match_subscription__enabled=True, user__isnull=False)
            .select_related("district", "organization").prefetch_related("educations"))
