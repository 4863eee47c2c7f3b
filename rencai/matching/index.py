"""The two in-memory indexes of matching and how they stay current.

``OpportunityIndex``: the open opportunities as numpy arrays (kind, minimum degree, 定向, overseas wanted, industry
chain, district, closing day, shortage-catalog link) and BM25 over their pre-tokenised text (``OpportunityDoc``).
``TalentIndex``: the talents who consent to be found, as arrays (degree, returnee, overseas education, district,
employer's industry) and BM25 over their 专业, schools, title and skill level.

Each process keeps one of each. Before answering, ``current()`` reads the index's generation (one small query):
equal → answer; a few changes behind → read only the rows changed since (an opening is appended, a closing or a
withdrawal masked); far behind, or old → rebuild from the stored tokens (no jieba). Scoring is vectorised: the
hard filters (closed, degree below the minimum, 定向 for a non-returnee) are masks, the structured fit is a sum of
weighted masks, the words BM25 normalised to the best candidate; the top k are picked with argpartition and only
they get their reasons, as Chinese phrases."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

import numpy as np
from django.utils import timezone

from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

from .bm25 import Bm25
from .vocab import CHALLENGE_INDUSTRY, GENERIC_MAJOR_WORDS

DEGREE_RANK = {"": 0, Degree.JUNIOR_COLLEGE: 1, Degree.BACHELOR: 2, Degree.MASTER: 3, Degree.DOCTOR: 4}
DEGREE_LABEL = dict(Degree.choices)
INDUSTRIES = list(Industry.values)
INDUSTRY_LABEL = dict(Industry.choices)
MAX_DELTA = 500  # past this many changes since the last build, rebuild
MAX_AGE = 900  # seconds: a talent index older than this is rebuilt (profiles change without a generation)

# The weights of the structured fit; the words count up to W_TEXT.
W_TEXT, W_MAJOR, W_INDUSTRY, W_TARGETED, W_OVERSEAS, W_DISTRICT, W_SHORTAGE, W_SHORTAGE_SKILL = (
    3.0, 3.0, 2.0, 2.0, 1.5, 1.0, 1.5, 1.0)
W_DEGREE = 1.0
NOTIFY_THRESHOLD = 6.0  # a new opportunity this good (and among the talent's top 10) is worth a notification


def industry_code(value: str) -> int:
    return INDUSTRIES.index(value) if value in INDUSTRIES else -1


def major_words(tokens) -> set[str]:
    return {t for t in tokens if t not in GENERIC_MAJOR_WORDS}


@dataclass
class Profile:
    """A talent as matching sees them (built by selectors.profile_of from the registry)."""

    talent_id: int
    degree: int
    returnee: bool
    overseas: bool
    district: str
    district_name: str
    industries: dict[str, str]  # industry → why it is theirs ("所在单位" / their 专业)
    majors: list[str]
    major_tokens: dict[str, set[str]]  # each 专业 → its specific words
    query: list[str]
    shortage: dict[str, str] = field(default_factory=dict)  # industry → the catalog position their 专业 fits


@dataclass
class Match:
    pk: int
    score: float
    reasons: list[str]


def _bump(name: str) -> int:
    """Move an index's generation forward inside the caller's transaction (the row lock orders writers); return it."""
    from django.db.models import F

    from .models import IndexState

    IndexState.objects.get_or_create(name=name)
    IndexState.objects.filter(name=name).update(generation=F("generation") + 1)
    return IndexState.objects.values_list("generation", flat=True).get(name=name)


def generation_of(name: str) -> int:
    from .models import IndexState

    return IndexState.objects.filter(name=name).values_list("generation", flat=True).first() or 0


class _Arrays:
    """Columns that grow by appending (a few rows between rebuilds)."""

    def __init__(self, columns: dict[str, tuple[list, object]]):
        for name, (values, dtype) in columns.items():
            setattr(self, name, np.asarray(values, dtype=dtype))
        self._names = list(columns)

    def append(self, **values) -> None:
        for name in self._names:
            column = getattr(self, name)
            setattr(self, name, np.append(column, np.asarray([values[name]], dtype=column.dtype)))


class OpportunityIndex:
    NAME = "opportunities"

    def __init__(self):
        self.generation = -1
        self.built_at = 0.0
        self.build_seconds = 0.0

    # -- building -------------------------------------------------------------------------------------------
    def build(self) -> OpportunityIndex:
        from .models import OpportunityDoc

        started = time.perf_counter()
        generation = generation_of(self.NAME)
        rows = (OpportunityDoc.objects.filter(open=True).order_by("pk")
                .values_list(*self._fields()))
        self._reset()
        docs, majors = [], []
        for row in rows.iterator(chunk_size=5000):
            doc, major = self._add_row(row)
            docs.append(doc)
            majors.append(major)
        self._columns_done()
        self.text, self.major_text = Bm25(docs), Bm25(majors)
        self.generation, self.built_at = generation, time.monotonic()
        self.build_seconds = time.perf_counter() - started
        return self

    @staticmethod
    def _fields():
        return ("opportunity_id", "opportunity__kind", "opportunity__degree_min", "opportunity__targeted_returnee",
                "opportunity__overseas_wanted", "opportunity__industry", "opportunity__challenge_field",
                "opportunity__district_id", "opportunity__closes_on", "opportunity__shortage_entry__position",
                "opportunity__shortage_entry__catalog__status", "tokens", "major_tokens")

    def _reset(self):
        self._cols = {k: [] for k in ("ids", "kind", "degree", "targeted", "overseas", "industry", "district",
                                      "closes", "short", "alive")}
        self.tokens: list[tuple[str, ...]] = []
        self.majors: list[frozenset[str]] = []
        self.shortage: dict[int, str] = {}
        self.pos: dict[int, int] = {}

    def _values(self, row):
        (pk, kind, degree_min, targeted, overseas, industry, challenge_field, district, closes_on, position,
         catalog_status, tokens, major_tokens) = row
        industry = industry or CHALLENGE_INDUSTRY.get(challenge_field, "")
        short = bool(position) and catalog_status == "published"
        if short:
            self.shortage[pk] = position
        doc, major = tokens.split(), major_tokens.split()
        values = dict(ids=pk, kind=kind, degree=DEGREE_RANK.get(degree_min, 0), targeted=bool(targeted),
                      overseas=bool(overseas), industry=industry_code(industry), district=int(district),
                      closes=closes_on.toordinal(), short=short, alive=True)
        return values, doc, major

    def _add_row(self, row):
        values, doc, major = self._values(row)
        self.pos[values["ids"]] = len(self.tokens)
        for k, v in values.items():
            self._cols[k].append(v)
        self.tokens.append(tuple(doc))
        self.majors.append(frozenset(major))
        return doc, major

    def _columns_done(self):
        c = self._cols
        self.a = _Arrays({"ids": (c["ids"], np.int64), "kind": (c["kind"], object), "degree": (c["degree"], np.int8),
                          "targeted": (c["targeted"], bool), "overseas": (c["overseas"], bool),
                          "industry": (c["industry"], np.int16), "district": (c["district"], np.int32),
                          "closes": (c["closes"], np.int32), "short": (c["short"], bool),
                          "alive": (c["alive"], bool)})
        self.a.kind = self.a.kind.astype("U12")
        del self._cols

    # -- keeping current --------------------------------------------------------------------------------------
    def catch_up(self) -> OpportunityIndex:
        from .models import OpportunityDoc

        generation = generation_of(self.NAME)
        if generation == self.generation:
            return self
        changed = list(OpportunityDoc.objects.filter(generation__gt=self.generation).order_by("generation")
                       .values_list(*self._fields(), "open"))
        if len(changed) + len(self.text.delta) > MAX_DELTA:
            return self.build()
        for row in changed:
            pk = row[0]
            if pk in self.pos:
                self.a.alive[self.pos[pk]] = False
                del self.pos[pk]
                self.shortage.pop(pk, None)
            if row[-1]:
                values, doc, major = self._values(row[:-1])
                self.pos[pk] = len(self.tokens)
                self.a.append(**values)
                self.tokens.append(tuple(doc))
                self.majors.append(frozenset(major))
                self.text.add(doc)
                self.major_text.add(major)
        self.generation = generation
        return self

    # -- answering --------------------------------------------------------------------------------------------
    def eligible(self, profile: Profile, *, today: dt.date, kinds=None) -> np.ndarray:
        a = self.a
        ok = a.alive & (a.closes >= today.toordinal()) & (a.degree <= profile.degree)
        if not profile.returnee:
            ok &= ~a.targeted
        if kinds:
            ok &= np.isin(a.kind, list(kinds))
        return ok

    def scores(self, profile: Profile, ok: np.ndarray) -> np.ndarray:
        a = self.a
        text = self.text.scores(profile.query)
        best = float(text[ok].max()) if ok.any() else 0.0
        score = W_TEXT * text / best if best > 0 else np.zeros(len(ok), dtype=np.float32)
        all_major = set().union(*profile.major_tokens.values()) if profile.major_tokens else set()
        if all_major:
            score += W_MAJOR * (self.major_text.scores(sorted(all_major)) > 0)
        score += (W_DEGREE - 0.25 * (profile.degree - a.degree)) * (a.degree > 0)
        if profile.returnee:
            score += W_TARGETED * a.targeted
        score += np.where(a.overseas, W_OVERSEAS if profile.overseas else -1.0, 0.0)
        industries = [industry_code(i) for i in profile.industries]
        if industries:
            score += W_INDUSTRY * np.isin(a.industry, industries)
        score += W_DISTRICT * (a.district == int(profile.district or 0))
        score += W_SHORTAGE * a.short
        if profile.shortage:
            score += W_SHORTAGE_SKILL * np.isin(a.industry, [industry_code(i) for i in profile.shortage])
        return np.where(ok, score, -np.inf)

    def top(self, profile: Profile, *, k: int = 20, kinds=None, today: dt.date | None = None) -> list[Match]:
        if not len(self.a.ids):
            return []
        ok = self.eligible(profile, today=today or timezone.localdate(), kinds=kinds)
        score = self.scores(profile, ok)
        n = int(ok.sum())
        if not n:
            return []
        k = min(k, n)
        picked = np.argpartition(-score, k - 1)[:k]
        picked = picked[np.lexsort((self.a.ids[picked], -score[picked]))]
        return [Match(int(self.a.ids[i]), round(float(score[i]), 2), self.reasons(profile, int(i))) for i in picked]

    def reasons(self, profile: Profile, i: int) -> list[str]:
        a, out = self.a, []
        matched = [m for m, words in profile.major_tokens.items() if words & self.majors[i]]
        if matched:
            out.append("专业对口：" + "、".join(matched))
        if a.degree[i] > 0:
            need = next(label for value, label in Degree.choices if DEGREE_RANK[value] == a.degree[i])
            have = next(label for value, label in Degree.choices if DEGREE_RANK[value] == profile.degree)
            out.append(f"学历符合：{have}（要求{need}及以上）")
        if a.targeted[i] and profile.returnee:
            out.append("定向岗位：面向留学回国人员，您是留学回国人员")
        if a.overseas[i]:
            out.append("海外经历：岗位要求海外学习或工作经历，您有境外学历" if profile.overseas
                       else "岗位希望有海外学习或工作经历")
        industry = INDUSTRIES[a.industry[i]] if a.industry[i] >= 0 else ""
        if industry in profile.industries:
            out.append(f"同属产业链：{INDUSTRY_LABEL[industry]}（{profile.industries[industry]}）")
        if profile.district and a.district[i] == int(profile.district):
            out.append(f"所在区县：{profile.district_name}")
        pk = int(a.ids[i])
        if pk in self.shortage:
            out.append(f"急需紧缺目录岗位：{self.shortage[pk]}")
        if industry in profile.shortage:
            out.append(f"急需紧缺目录：{INDUSTRY_LABEL[industry]}产业链急需“{profile.shortage[industry]}”，与您的专业相符")
        stated = set().union(*profile.major_tokens.values()) if profile.major_tokens else set()
        common = [t for t in dict.fromkeys(profile.query) if t in set(self.tokens[i]) and t not in stated
                  and t not in INDUSTRY_LABEL.values()]
        common.sort(key=lambda t: -self.text.idf(t))
        if common:
            out.append("关键词：" + "、".join(common[:5]))
        return out


@dataclass
class JobQuery:
    """A job as the talent index is asked about it."""

    pk: int
    degree: int
    targeted: bool
    overseas: bool
    industry: str
    district: str
    query: list[str]


class TalentIndex:
    NAME = "talents"

    def __init__(self):
        self.generation = -1
        self.built_at = 0.0
        self.build_seconds = 0.0

    def build(self) -> TalentIndex:
        from . import selectors

        started = time.perf_counter()
        generation = generation_of(self.NAME)
        rows = selectors.talent_docs()  # (id, degree rank, returnee, overseas, district, industry code, tokens)
        ids, degree, returnee, overseas, district, industry, docs = [], [], [], [], [], [], []
        for row in rows:
            ids.append(row[0])
            degree.append(row[1])
            returnee.append(row[2])
            overseas.append(row[3])
            district.append(row[4])
            industry.append(row[5])
            docs.append(row[6])
        self.a = _Arrays({"ids": (ids, np.int64), "degree": (degree, np.int8), "returnee": (returnee, bool),
                          "overseas": (overseas, bool), "district": (district, np.int32),
                          "industry": (industry, np.int16), "alive": ([True] * len(ids), bool)})
        self.pos = {pk: i for i, pk in enumerate(ids)}
        self.text = Bm25(docs)
        self.generation, self.built_at = generation, time.monotonic()
        self.build_seconds = time.perf_counter() - started
        return self

    def catch_up(self) -> TalentIndex:
        from . import selectors
        from .models import Consent

        generation = generation_of(self.NAME)
        if generation == self.generation and time.monotonic() - self.built_at < MAX_AGE:
            return self
        changed = list(Consent.objects.filter(generation__gt=self.generation).values_list("talent_id", flat=True))
        if (len(changed) + len(self.text.delta) > MAX_DELTA) or time.monotonic() - self.built_at >= MAX_AGE:
            return self.build()
        for pk in changed:
            if pk in self.pos:
                self.a.alive[self.pos.pop(pk)] = False
        for row in selectors.talent_docs(ids=set(changed)):
            self.pos[row[0]] = len(self.a.ids)
            self.a.append(ids=row[0], degree=row[1], returnee=row[2], overseas=row[3], district=row[4],
                          industry=row[5], alive=True)
            self.text.add(row[6])
        self.generation = generation
        return self

    def top(self, job: JobQuery, *, k: int = 50) -> list[tuple[int, float]]:
        a = self.a
        if not len(a.ids):
            return []
        ok = a.alive & (a.degree >= job.degree)
        if job.targeted:
            ok &= a.returnee
        n = int(ok.sum())
        if not n:
            return []
        text = self.text.scores(job.query)
        best = float(text[ok].max())
        score = W_TEXT * text / best if best > 0 else np.zeros(len(ok), dtype=np.float32)
        if job.industry:
            score += W_INDUSTRY * (a.industry == industry_code(job.industry))
        score += W_DISTRICT * (a.district == int(job.district or 0))
        if job.overseas:
            score += W_OVERSEAS * a.overseas
        if job.degree:
            score += W_DEGREE * (a.degree == job.degree)
        score = np.where(ok, score, -np.inf)
        k = min(k, n)
        picked = np.argpartition(-score, k - 1)[:k]
        picked = picked[np.lexsort((a.ids[picked], -score[picked]))]
        return [(int(a.ids[i]), round(float(score[i]), 2)) for i in picked]


_lock = threading.Lock()
_indexes: dict[str, object] = {}


def current(kind: type[OpportunityIndex] | type[TalentIndex]):
    """This process's index of ``kind``, caught up with the database."""
    with _lock:
        index = _indexes.get(kind.NAME)
        if index is None:
            index = _indexes[kind.NAME] = kind().build()
            return index
        return index.catch_up()


def forget() -> None:
    """Drop this process's indexes and kept catalog words (tests: each starts from its own database)."""
    from . import selectors

    with _lock:
        _indexes.clear()
        selectors._shortage = (-selectors.SHORTAGE_TTL, [])
