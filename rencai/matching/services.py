"""Writes of matching: the opportunity index following publication and closing, a talent's consent to be found
and their subscription, an employer's contact request and the talent's answer, and the subscription notices.
Each write is one transaction; notices and the notice job are sent after the commit."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from rencai.accounts.enums import Role
from rencai.core.errors import Conflict, FieldError, NotFound, PermissionDenied, ValidationFailed
from rencai.notifications.services import Message, notify, notify_many
from rencai.opportunities.enums import OpportunityStatus
from rencai.opportunities.models import Opportunity
from rencai.talents.models import Talent

from . import index as ix
from . import selectors
from .enums import ContactState
from .models import Consent, ContactRequest, OpportunityDoc, Subscription
from .tokenizer import tokens

NOTIFY_JOB = "match_notify"


def opportunity_link(pk: int) -> str:
    """The logged-in page of an opportunity (the jobs part's ``opportunities:detail``), or none yet."""
    try:
        return reverse("opportunities:detail", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


# -- the opportunity index ---------------------------------------------------------------------------------------
def opportunity_index_sync(*, opportunity_id: int) -> bool:
    """Bring one opportunity's entry in the index in line with it: open (published, not past its closing day) →
    its words tokenised and stored; closed or withdrawn → marked closed. Moves the index's generation so every
    process catches up before its next answer. Returns whether it has just opened (for the subscription notices)."""
    today = timezone.localdate()
    with transaction.atomic():
        opportunity = (Opportunity.objects.select_related("shortage_entry").filter(pk=opportunity_id).first())
        if opportunity is None:
            return False
        doc = OpportunityDoc.objects.select_for_update().filter(pk=opportunity_id).first()
        is_open = opportunity.status == OpportunityStatus.PUBLISHED and opportunity.closes_on >= today
        was_open = doc is not None and doc.open
        if not is_open and not was_open:
            return False
        generation = ix._bump(ix.OpportunityIndex.NAME)
        if is_open:
            text, majors = selectors.opportunity_text(opportunity)
            OpportunityDoc.objects.update_or_create(
                opportunity_id=opportunity_id,
                defaults={"tokens": " ".join(tokens(text)), "major_tokens": " ".join(ix.major_words(tokens(majors))),
                          "open": True, "generation": generation})
        else:
            OpportunityDoc.objects.filter(pk=opportunity_id).update(open=False, generation=generation)
    opened = is_open and not was_open
    if opened and Subscription.objects.filter(enabled=True).exists():
        from rencai.jobs.services import job_enqueue

        job_enqueue(kind=NOTIFY_JOB, title=f"新机会推荐通知：{opportunity.title}",
                    params={"opportunity_id": opportunity_id}, dedupe_key=f"match-notify-{opportunity_id}")
    return opened


def opportunity_index_rebuild() -> int:
    """Bring every opportunity's entry in line (after the demo load, a vocabulary change, or opportunities changed
    without a save, e.g. by a queryset update): what ``rencai match_index`` runs. Returns the open entries."""
    for pk in Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).values_list("pk", flat=True):
        opportunity_index_sync(opportunity_id=pk)
    for pk in OpportunityDoc.objects.filter(open=True).exclude(
            opportunity__status=OpportunityStatus.PUBLISHED).values_list("pk", flat=True):
        opportunity_index_sync(opportunity_id=pk)
    return OpportunityDoc.objects.filter(open=True).count()


# -- consent and subscription ------------------------------------------------------------------------------------
def _own_talent(actor) -> Talent:
    if not (actor.is_authenticated and actor.role == Role.TALENT):
        raise PermissionDenied("只有人才本人可以设置")
    talent = Talent.objects.select_for_update().filter(user=actor).first()
    if talent is None:
        raise NotFound("您的账号尚未关联人才档案")
    return talent


@transaction.atomic
def consent_give(*, actor) -> Consent:
    """The talent agrees to be found by employers, from now on (a new row: the history keeps every period)."""
    talent = _own_talent(actor)
    if Consent.objects.filter(talent=talent, withdrawn_at__isnull=True).exists():
        raise Conflict("您已同意被用人单位查找，无需重复操作")
    return Consent.objects.create(talent=talent, given_at=timezone.now(),
                                  generation=ix._bump(ix.TalentIndex.NAME))


@transaction.atomic
def consent_withdraw(*, actor) -> Consent:
    """The talent withdraws: from this moment no employer finds or reaches them."""
    talent = _own_talent(actor)
    consent = Consent.objects.select_for_update().filter(talent=talent, withdrawn_at__isnull=True).first()
    if consent is None:
        raise Conflict("您目前没有同意被用人单位查找，无需撤回")
    consent.withdrawn_at = timezone.now()
    consent.generation = ix._bump(ix.TalentIndex.NAME)
    consent.save(update_fields=["withdrawn_at", "generation"])
    return consent


@transaction.atomic
def subscription_set(*, actor, enabled: bool) -> Subscription:
    talent = _own_talent(actor)
    subscription, _ = Subscription.objects.update_or_create(talent=talent, defaults={"enabled": bool(enabled)})
    return subscription


# -- contact requests ---------------------------------------------------------------------------------------------
def contact_request(*, actor, job_id: int, talent_id: int, message: str = "") -> ContactRequest:
    """An employer asks a consenting talent whether it may contact them about one of its published jobs."""
    message = (message or "").strip()
    if len(message) > 300:
        raise ValidationFailed([FieldError("note", "留言不能超过300个字")])
    with transaction.atomic():
        job = selectors.employer_job(actor, job_id)
        talent = selectors.consenting().select_for_update().filter(pk=talent_id).first()
        if talent is None:
            raise NotFound(selectors.NOT_FOUND)
        try:
            with transaction.atomic():
                contact = ContactRequest.objects.create(organization_id=actor.organization_id, talent=talent,
                                                        opportunity=job, note=message, requested_by=actor)
        except IntegrityError:
            raise Conflict("已就该岗位向这位人才发送过联系请求") from None
        if talent.user_id:
            notify(recipients=[talent.user_id], kind="match_contact", key=f"match-contact-{contact.pk}",
                   title=f"{job.publisher_name}希望就“{job.title}”与您联系",
                   body="同意后，对方可以看到您的姓名和手机号码（脱敏）；也可以拒绝。",
                   link=reverse("matching:contacts"))
    return contact


def contact_answer(*, actor, contact_id: int, accept: bool) -> ContactRequest:
    """The talent accepts (the employer then sees their name and masked phone) or declines, once."""
    with transaction.atomic():
        talent = _own_talent(actor)
        contact = (ContactRequest.objects.select_for_update().select_related("opportunity")
                   .filter(pk=contact_id, talent=talent).first())
        if contact is None:
            raise NotFound("未找到该联系请求")
        if contact.state != ContactState.REQUESTED:
            raise Conflict(f"该请求已答复（{contact.get_state_display()}）")
        contact.state = ContactState.ACCEPTED if accept else ContactState.DECLINED
        contact.answered_at = timezone.now()
        contact.save(update_fields=["state", "answered_at"])
        notify(recipients=[contact.requested_by_id], kind="match_contact", key=f"match-contact-answer-{contact.pk}",
               title=f"人才已{'同意' if accept else '拒绝'}您就“{contact.opportunity.title}”的联系请求",
               link=reverse("matching:talent", kwargs={"match_job_id": contact.opportunity_id,
                                                        "match_talent_id": talent.pk}))
    return contact


# -- subscription notices ----------------------------------------------------------------------------------------
def subscribers_notify(*, opportunity_id: int) -> int:
    """Tell every subscribed talent for whom the newly opened opportunity is a good match (among their top ten
    and above the threshold), with the reasons; once per talent and opportunity (the notification key)."""
    idx = ix.current(ix.OpportunityIndex)
    if opportunity_id not in idx.pos:
        return 0
    opportunity = Opportunity.objects.get(pk=opportunity_id)
    shortage = selectors._shortage_entries()
    link = opportunity_link(opportunity_id) or reverse("matching:for_me")
    messages = []
    for talent in selectors.subscribers().iterator(chunk_size=500):
        found = idx.top(selectors.profile_of(talent, shortage=shortage), k=10)
        match = next((m for m in found if m.pk == opportunity_id), None)
        if match is None or match.score < ix.NOTIFY_THRESHOLD:
            continue
        messages.append(Message(recipient_id=talent.user_id, title=f"新机会与您匹配：{opportunity.title}",
                                body="推荐理由：" + "；".join(match.reasons), link=link,
                                key=f"match-opportunity-{opportunity_id}"))
    notify_many(messages, kind="match_opportunity")
    return len(messages)
