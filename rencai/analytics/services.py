"""Writes of the registry's dated history. The registry's own services call ``history_record`` after every change
of a talent (registration, 信息维护, recognition), in their transaction; the Excel import calls
``history_record_bulk`` once for all its rows. Nothing here owns a transaction of its own but ``origin_set``: the
history is written with the change it records, or not at all."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction

from rencai.accounts.models import User
from rencai.accounts.permissions import require_staff, talent_scope_q
from rencai.core.errors import Conflict, NotFound, ValidationFailed
from rencai.core.parsing import FieldErrors, parse_choice

from .enums import PROVINCES, Channel, HistoryReason, OriginKind
from .models import EmploymentSpell, Move, Origin

SNAPSHOT_FIELDS = ("district_id", "organization_id", "employment_start", "returnee")
CHINA = ("中国", "中国大陆")
UNFILLED_SCHOOL = "（未填写）"  # talents.services.education_build's placeholder: no school known


def history_snapshot(talent) -> dict:
    """What the history compares before and after a change (no query)."""
    return {name: getattr(talent, name) for name in SNAPSHOT_FIELDS}


def _city4() -> str:
    from rencai.datahub.discrepancies import city_prefix

    return city_prefix()


def origin_inferred(talent, education=None) -> dict:
    """The origin the registry tells: overseas (returnee, or the latest degree abroad) with the degree's country
    and school; else the 身份证's region code (as employment statistics read 生源地): 本市 or the province; else
    unknown. The same rule as the backfill's SQL (backfill.py)."""
    overseas = bool(talent.returnee or (education is not None and education.overseas))
    school = education.school if education is not None and education.school != UNFILLED_SCHOOL else ""
    masked = talent.id_number_masked or ""
    province = masked[:2] + "0000" if talent.id_type == "resident_id" and masked[:2] + "0000" in PROVINCES else ""
    if overseas:
        country = education.country if education is not None and education.country not in CHINA else ""
        return {"kind": OriginKind.OVERSEAS, "province_code": "", "country": country, "university": school}
    if province:
        kind = OriginKind.LOCAL if masked[:4] == _city4() else OriginKind.DOMESTIC
        return {"kind": kind, "province_code": province, "country": "", "university": school}
    return {"kind": OriginKind.UNKNOWN, "province_code": "", "country": "", "university": school}


def _spell(talent, *, started_on: dt.date, reason: str) -> EmploymentSpell:
    organization = talent.organization if talent.employment_status != "rejected" else None
    return EmploymentSpell(talent_id=talent.pk, organization=organization, district_id=talent.district_id,
                           industry=organization.industry if organization is not None else "",
                           started_on=started_on, reason=reason)


def _first_records(talent, *, on: dt.date, reason: str, education, channel: str):
    started = talent.employment_start or on
    return (_spell(talent, started_on=started, reason=reason),
            Move(talent_id=talent.pk, from_district=None, to_district_id=talent.district_id, on=started,
                 reason=reason),
            Origin(talent_id=talent.pk, channel=channel or Channel.UNKNOWN, **origin_inferred(talent, education)))


def history_record(talent, *, before: dict | None, on: dt.date, reason: str, education=None,
                   channel: str = "") -> None:
    """Record what changed of ``talent`` (saved) since ``before`` (``history_snapshot`` taken before the change;
    None for a new talent), on the day ``on``, in the caller's transaction.

    - New: an open spell from the employment start (else ``on``), a move into the district from nowhere, the
      origin the registry tells (``education``: the degree row just written).
    - District or employer changed: the open spell ends and the next opens on the day (the new employment start
      when that changed too and is not before the open spell began); a change of district is a move.
    - Only the employment start corrected, while the talent has one spell: that spell and its arrival move are
      dated from it.
    - Returnee or education changed: an inferred origin is read again (one set by staff stays).
    - ``channel``: the channel that brought the talent, where none is known yet (自主认定 by recognition).
    Nothing changed, nothing written and no query."""
    if before is None:
        spell, move, origin = _first_records(talent, on=on, reason=reason, education=education, channel=channel)
        spell.save()
        move.save()
        origin.save()
        return
    now = history_snapshot(talent)
    if now["district_id"] != before["district_id"] or now["organization_id"] != before["organization_id"]:
        _spell_change(talent, before=before, on=on, reason=reason)
    elif now["employment_start"] != before["employment_start"] and now["employment_start"] is not None:
        _spell_start_correct(talent, old=before["employment_start"], new=now["employment_start"])
    if now["returnee"] != before["returnee"] or education is not None:
        if education is None:
            education = talent.educations.order_by("-graduation_date", "-id").first()
        inferred = origin_inferred(talent, education)
        if not Origin.objects.filter(talent_id=talent.pk, inferred=True).update(**inferred):
            Origin.objects.get_or_create(talent_id=talent.pk, defaults=inferred)
    if channel:
        _channel_record(talent, channel)


def _spell_change(talent, *, before: dict, on: dt.date, reason: str) -> None:
    open_spell = EmploymentSpell.objects.select_for_update().filter(talent_id=talent.pk, ended_on=None).first()
    start = on
    new_start = talent.employment_start
    if new_start is not None and new_start != before["employment_start"] and new_start <= on:
        start = new_start
    if open_spell is not None:
        start = max(start, open_spell.started_on)
        open_spell.ended_on = start
        open_spell.save(update_fields=["ended_on"])
    try:
        with transaction.atomic():  # the partial unique index: one open spell, whatever raced
            _spell(talent, started_on=start, reason=reason).save()
    except IntegrityError as exc:
        raise Conflict("该人才的任职经历刚刚已由他人更新，请刷新后重试", code="spell_changed") from exc
    if talent.district_id != before["district_id"]:
        Move.objects.create(talent_id=talent.pk, from_district_id=before["district_id"],
                            to_district_id=talent.district_id, on=start, reason=reason)
        from rencai.earlywarning.services import talent_changed

        talent_changed(talent.pk)  # 流失预警: evaluated for the talent after the commit


def _spell_start_correct(talent, *, old: dt.date | None, new: dt.date) -> None:
    """A corrected employment start dates the talent's one spell (and its arrival) from it; with an earlier spell
    behind it, the history already says when this one began."""
    if EmploymentSpell.objects.filter(talent_id=talent.pk, ended_on__isnull=False).exists():
        return
    first = EmploymentSpell.objects.filter(talent_id=talent.pk, ended_on=None).first()
    if first is None:
        return
    arrival = first.started_on
    EmploymentSpell.objects.filter(pk=first.pk).update(started_on=new)
    Move.objects.filter(talent_id=talent.pk, from_district=None, on=arrival).update(on=new)


def _channel_record(talent, channel: str) -> None:
    if Origin.objects.filter(talent_id=talent.pk, channel=Channel.UNKNOWN).update(channel=channel):
        return
    if not Origin.objects.filter(talent_id=talent.pk).exists():
        education = talent.educations.order_by("-graduation_date", "-id").first()
        Origin.objects.create(talent_id=talent.pk, channel=channel, **origin_inferred(talent, education))


def history_employment_decided(talent) -> None:
    """An employer's (or staff's) decision on a claimed employment: a rejected claim was never an employment, so
    the open spell keeps no employer; a confirmed one names it. One UPDATE."""
    organization = talent.organization if talent.employment_status != "rejected" else None
    EmploymentSpell.objects.filter(talent_id=talent.pk, ended_on=None).update(
        organization=organization, industry=organization.industry if organization is not None else "")


def history_record_bulk(talents: list, *, educations: list, on: dt.date, reason: str = HistoryReason.IMPORT) -> None:
    """``history_record(before=None)`` for many new talents at once (the Excel import): three bulk inserts,
    no query per row. ``educations[i]`` is the degree row written for ``talents[i]`` (or None)."""
    spells, moves, origins = [], [], []
    for talent, education in zip(talents, educations, strict=True):
        spell, move, origin = _first_records(talent, on=on, reason=reason, education=education, channel="")
        spells.append(spell)
        moves.append(move)
        origins.append(origin)
    EmploymentSpell.objects.bulk_create(spells, batch_size=1000)
    Move.objects.bulk_create(moves, batch_size=1000)
    Origin.objects.bulk_create(origins, batch_size=1000)


@transaction.atomic
def origin_set(*, actor: User, talent_id: int, kind: str, channel: str, province_code: str = "",
               country: str = "", university: str = "") -> Origin:
    """Staff record where a talent of their jurisdiction came from and the channel that brought them; kept as
    set (no longer inferred from the registry)."""
    require_staff(actor)
    from rencai.talents.models import Talent

    # The talent's row locked first: a change of district at the same time then waits, so the kept district
    # counts (analytics.triggers) move this origin's buckets from the district it is really in.
    if not list(Talent.objects.select_for_update().filter(talent_scope_q(actor), pk=talent_id)
                .values_list("pk", flat=True)):
        raise NotFound()
    errors = FieldErrors()
    kind = parse_choice(kind, OriginKind, field="kind", label="人才来源", errors=errors)
    channel = parse_choice(channel, Channel, field="channel", label="引进渠道", errors=errors)
    if not kind and not any(e.field == "kind" for e in errors):
        errors.add("kind", "请选择人才来源")
    if not channel and not any(e.field == "channel" for e in errors):
        errors.add("channel", "请选择引进渠道")
    province_code, country, university = (str(v or "").strip() for v in (province_code, country, university))
    if province_code and province_code not in PROVINCES:
        errors.add("province_code", "来源省份无效")
    if kind == OriginKind.DOMESTIC and not province_code:
        errors.add("province_code", "来自国内其他地区的，请选择来源省份")
    if kind == OriginKind.OVERSEAS and not country:
        errors.add("country", "海外留学回国的，请填写留学国家/地区")
    for field, value, label, most in (("country", country, "留学国家/地区", 50),
                                      ("university", university, "毕业院校", 100)):
        if len(value) > most:
            errors.add(field, f"{label}不能超过{most}个字")
    if errors:
        raise ValidationFailed(errors)
    values = {"kind": kind, "channel": channel, "province_code": province_code if kind != OriginKind.OVERSEAS else "",
              "country": country if kind == OriginKind.OVERSEAS else "", "university": university, "inferred": False}
    origin, _ = Origin.objects.update_or_create(talent_id=talent_id, defaults=values)
    return origin
