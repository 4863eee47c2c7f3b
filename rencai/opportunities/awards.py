"""揭榜挂帅 awards as the rest of the platform reads them: on a talent's registry record, to reviewers of a
programme application, and to the policy engine.

An award is an ``Application`` to a challenge in the state 揭榜成功 (``awarded``) with its ``award_amount``; it is
made only by services.application_transition, under the challenge's row lock. Nothing here writes.

How an award counts:
- the registry: the talent's record (staff's talent page, the talent's 我的档案) lists their awards
  (templatetags/challenge_tags.py, included by talents/_profile.html);
- programme calls: the application page and the expert's score sheet show the applicant's (and the team
  members') awards beside the registry facts — shown to reviewers, not scored by a rule (no document sets a
  weight for it);
- the policy engine: ``talent_profile`` (policies/registry.py) gives the person field ``challenge_awarded``
  (fields.py; the contract's "fields may be added") from ``awarded_talent_ids`` — the batch frame reads the same
  set — so a catalog condition may name it (none does yet: 000 names 揭榜挂帅 only as a way to bring returnees in,
  with no benefit tied to having taken one)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max, Q
from django.utils import timezone

from .enums import ApplicationState, OpportunityKind
from .models import Application


@dataclass(frozen=True)
class ChallengeAward:
    application_id: int
    talent_id: int
    title: str
    field: str  # the challenge's field as people read it (新材料 …)
    sponsor: str
    amount: Decimal | None
    awarded_on: object  # a date

    @property
    def number(self) -> str:
        return f"DJ{self.application_id:07d}"


def _awarded():
    return Application.objects.filter(state=ApplicationState.AWARDED, opportunity__kind=OpportunityKind.CHALLENGE)


def awards_of(talent_ids: Iterable[int]) -> dict[int, list[ChallengeAward]]:
    """Every challenge award of these talents, newest first, by talent id (one query)."""
    ids = list(talent_ids)
    found: dict[int, list[ChallengeAward]] = {}
    if not ids:
        return found
    rows = (_awarded().filter(talent_id__in=ids).select_related("opportunity", "opportunity__organization")
            .annotate(awarded_at=Max("steps__at", filter=Q(steps__to_state=ApplicationState.AWARDED)))
            .order_by("-updated_at", "-id"))
    for a in rows:
        o = a.opportunity
        found.setdefault(a.talent_id, []).append(ChallengeAward(
            application_id=a.pk, talent_id=a.talent_id, title=o.title,
            field=o.get_challenge_field_display() if o.challenge_field else "", sponsor=o.publisher_name,
            amount=a.award_amount, awarded_on=timezone.localtime(a.awarded_at or a.updated_at).date()))
    return found


def awards_for(talent) -> list[ChallengeAward]:
    return awards_of([talent.pk]).get(talent.pk, [])


def awarded_talent_ids(talent_ids: Iterable[int] | None = None) -> set[int]:
    """The talents (of those given, or all) who have been awarded a 揭榜挂帅 challenge: the engine's
    ``challenge_awarded``."""
    rows = _awarded()
    if talent_ids is not None:
        rows = rows.filter(talent_id__in=list(talent_ids))
    return set(rows.values_list("talent_id", flat=True).distinct())
