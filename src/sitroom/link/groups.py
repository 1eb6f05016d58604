"""Claim groups: statements that assert the same thing, across documents and over time.

Claims are taken in publication order. Each one is compared with the groups that share one of its
*distinctive* features (a content word or key found in at most ``max_share`` of all claims, at
least ``min_postings``), through an inverted index, so a claim is never compared with every other:
the cost grows with the number of claims times the (bounded) number of candidates. A group last
reported more than ``max_gap_days`` before a dated claim cannot be joined, so for such a claim the
index is read only back to that horizon (postings keep their time; a binary search finds it): closed
groups cost no scan and take none of the ``max_candidates`` places. It joins the
group it is most similar to if that similarity reaches ``threshold`` (similarity to a group = the
best similarity to its ``compare_members`` most recent members); otherwise it starts a new group.

Similarity of two claims is the cosine of TF-IDF vectors over their content words plus their keys
(places, names, figures, topics; weighted ``key_weight``), optionally mixed with the cosine of
sentence embeddings (``semantic_weight``, with an :class:`Embedder`). ``docs/analysis.md`` reports
which mix serves best on the project's fixtures and on the public Emergent claims.

A pair is weakened when the two give figures and none agrees, or name places and each names one the
other does not. A name or place found in more than ``backdrop_share`` of the documents is the corpus's
backdrop (the capital every report mentions, the venue of the talks): two claims that share it and
nothing else are not linked, at any density, so unrelated sentences that only name Moscow do not chain
into one group. In a *crowded* stream (``crowded`` claims or more in the ``max_gap_days`` before a
claim) two reports of one kind of event share a place, a figure or a quoted official by chance, and
their family words ("drones", "missiles", "overnight") make them look alike; there a link must also be
backed by what is specific to one event (:meth:`Linker._evidence`), and the best group must score
``clear_ratio`` times the next best, else the claim starts a group of its own. Undated claims and
quiet streams (the project's fixtures, Emergent's headlines) are linked without those two tests.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from ..model import Place
from .claims import Claim
from .text import lexicon


def conflicting_status(a: str, b: str) -> bool:
    """Whether two control statuses cannot both hold for one place at one time (linking.json)."""
    pairs = lexicon()["conflicting_status"]
    return [a, b] in pairs or [b, a] in pairs


Vector = dict[str, float]


class Embedder(Protocol):
    """Turns texts into unit-length vectors (any sentence-embedding model)."""

    def encode(self, texts: Sequence[str]) -> list[list[float]]: ...


@dataclass(frozen=True, slots=True)
class LinkOptions:
    threshold: float = 0.25  # chosen on eval/links (docs/analysis.md), never on Emergent
    key_weight: float = 1.5  # a key counts as much as this many occurrences of a word
    use_words: bool = True
    use_keys: bool = True
    semantic_weight: float = 0.0  # 0: lexical and keys only; 1: embeddings only
    max_share: float = 0.02  # features in more than this share of claims do not retrieve candidates
    min_postings: int = 40  # ... but a feature may always retrieve this many
    # groups compared per claim (those sharing most features first), among those joined in the last
    # max_gap_days for a dated claim (docs/benchmarks.md "Linking cost": at 100k claims, 40 cost 1.7x
    # as much for +0.013 recall)
    max_candidates: int = 16
    compare_members: int = 8  # members of a group a claim is compared with (most recent first)
    link: str = "average"  # "average": mean similarity to those members; "single": the best one (chains more)
    scan_postings: int = 200  # per feature, only the groups most recently joined through it (and in the window)
    max_gap_days: float | None = 21  # a group last reported longer ago than this is not joined (None: no limit)
    agreement_bonus: float = 1.5  # similarity factor when both claim one control status for one place
    mismatch_penalty: float = 0.3  # similarity factor when both give figures (or places) and none agrees
    # In a crowded stream (at least ``crowded`` claims published in the ``max_gap_days`` before a claim)
    # chance overlaps multiply: two reports of one kind of event share a place, a figure or the same
    # official by chance. There a link must be backed by what is specific to one event (see _evidence),
    # and the best group must stand out from the next best. A quiet stream links as before.
    crowded: int | None = 500  # None: never crowded
    thin_evidence: float = 0.5  # (crowded) factor when a pair shares one specific thing, or words too few
    min_what: float = 0.3  # (crowded) cosine of the words saying what happened, below which words are too few
    clear_ratio: float = 1.3  # (crowded) the best group must score this many times the next best
    # A name or place in more than backdrop_share of the documents (copies counted once; and in at least
    # backdrop_documents of them) is the corpus's backdrop and cannot carry a link on its own: two claims
    # that share it and nothing else (its word, name and place keys count as one thing) are not linked.
    # Chosen on eval/links (docs/analysis.md): the fixture scores best with any share up to 0.097 (a
    # name in 4 of its 41 documents is backdrop); below 0.075 Emergent loses recall (its headline topics,
    # "Ebola", are in 7% of its headlines). None: off.
    backdrop_share: float | None = 0.09
    backdrop_documents: int = 3


@dataclass(slots=True)
class ClaimGroup:
    """Claims that say the same thing; ``claims`` in the order they were reported."""

    id: str
    claims: list[Claim] = field(default_factory=list)

    @property
    def first(self) -> Claim:
        return self.claims[0]

    @property
    def latest(self) -> Claim:
        return self.claims[-1]

    @property
    def text(self) -> str:
        """What the group claims: its first report that asserts (not denies or questions) it."""
        for c in self.claims:
            if c.certainty not in ("denied", "questioned"):
                return c.text
        return self.first.text

    def documents(self) -> list[str]:
        return list(dict.fromkeys(c.document_id for c in self.claims))

    def sources(self) -> list[str]:
        """Outlets that carry the claim, first reporter first."""
        return list(dict.fromkeys(c.source or "unknown source" for c in self.claims))

    def independent_sources(self, source_of: Callable[[str], str | None]) -> list[str]:
        """Outlets that support the claim, counted once each, after folding copies into their origin
        document's outlet (``source_of`` gives a document's outlet). Denials do not count."""
        out: dict[str, None] = {}
        for c in self.claims:
            if c.certainty in ("denied", "questioned"):
                continue
            origin = c.origin or c.document_id
            name = source_of(origin) or c.source or f"unknown source (document {origin[:8]})"
            out[name] = None
        return list(out)

    def strongest_certainty(self) -> str:
        ranks: dict[str, int] = lexicon()["certainty_rank"]
        return max((c.certainty for c in self.claims), key=lambda v: ranks.get(v, 0))

    def denials(self) -> list[Claim]:
        return [c for c in self.claims if c.certainty == "denied"]

    def keys(self) -> Counter[str]:
        return Counter(k for c in self.claims for k in c.keys)


def _time_key(c: Claim) -> tuple[int, datetime | str, str, int]:
    return (0, c.published, c.document_id, c.start) if c.published else (1, "", c.document_id, c.start)


def _norm(v: Vector) -> Vector:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {k: x / n for k, x in v.items()} if n else {}


def _dot(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    if b.keys().isdisjoint(a):  # a third of the pairs add compares share no feature (walks a, the smaller)
        return 0.0
    # Only shared features, in the order of the smaller vector: the same sum as over all of its features
    # (adding x * 0.0 changes nothing), so the same float result.
    return sum([x * b[k] for k, x in a.items() if k in b])


def _features(c: Claim, options: LinkOptions) -> dict[str, float]:
    out: dict[str, float] = {}
    if options.use_words:
        for w in c.words:
            out[w] = out.get(w, 0.0) + 1.0
    if options.use_keys:
        for k in sorted(c.keys):  # sorted: the same float sums whatever the hash seed
            out[k] = out.get(k, 0.0) + options.key_weight
    return out


@dataclass(frozen=True, slots=True)
class _Profile:
    figures: frozenset[str]
    places: frozenset[str]
    control: dict[str, str]
    specific: dict[str, str]  # distinctive feature value -> the evidence it counts as (_evidence_labels)
    what: Vector  # its words that are no name, place or figure (what happened), weighted, unit length
    vector: Vector  # its TF-IDF vector (the linker's, not a copy)
    backdrop: tuple[frozenset[str], ...]  # per backdrop name or place it has, the features that are its forms


_CAPITALISED_RUN = re.compile(r"[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def _title_case(text: str) -> bool:
    """Whether most words of a text are capitalised (a headline in title case: capitals name nothing)."""
    words = [w for w in text.split() if w[:1].isalpha()]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _evidence_labels(claim: Claim) -> dict[str, str]:
    """What each key value of a claim ("kyiv" for ``place:kyiv`` and ``name:kyiv``) counts as when two
    claims share it: a place, a figure and a word count each for itself (their own value); the words of
    one name written in a row ("Claire Tarasensky", "Boko Haram") count once together (the name). In a
    title-case headline capitals name nothing, and every word counts for itself."""
    labels: dict[str, str] = {}
    names: dict[str, str] = {}
    if not _title_case(claim.text):
        for run in _CAPITALISED_RUN.finditer(claim.text):
            name = " ".join(run.group().split()).casefold()
            for word in name.split():
                names.setdefault(word, name)
    for key in claim.keys:
        prefix, _, value = key.partition(":")
        if not value:
            continue
        if prefix == "name" and value not in labels:
            labels[value] = "name:" + names.get(value, value)
        elif prefix in ("place", "num"):
            labels[value] = value  # a place or a figure is evidence of its own, even inside a name
    return labels


class Linker:
    """Groups claims; feed them with :meth:`add` (any order is accepted, time order is best)."""

    def __init__(self, claims: Sequence[Claim], options: LinkOptions | None = None, embedder: Embedder | None = None):
        self.options = options or LinkOptions()
        self.embedder = embedder if self.options.semantic_weight > 0 else None
        feats = [_features(c, self.options) for c in claims]
        df: Counter[str] = Counter()
        for f in feats:
            df.update(f.keys())
        n = max(1, len(claims))
        self._idf = {k: math.log((1 + n) / (1 + v)) + 1.0 for k, v in df.items()}
        self._df = df
        self._max_postings = max(self.options.min_postings, int(self.options.max_share * n))
        self._backdrop = self._find_backdrop(claims, feats)
        self._vectors: dict[str, Vector] = {
            c.id: _norm({k: tf * self._idf[k] for k, tf in f.items()}) for c, f in zip(claims, feats, strict=True)
        }
        self._embeddings: dict[str, list[float]] = {}
        if self.embedder is not None and claims:
            vectors = self.embedder.encode([c.text for c in claims])
            self._embeddings = {c.id: v for c, v in zip(claims, vectors, strict=True)}
        self.groups: list[ClaimGroup] = []
        self._group_of: dict[str, int] = {}
        # feature -> the groups joined through it, in the order they were (a group again after another);
        # _posted: when each was (a claim's time, never less than the one before: +inf once undated)
        self._postings: dict[str, list[int]] = defaultdict(list)
        self._posted: dict[str, list[float]] = defaultdict(list)
        self._profiles: dict[str, _Profile] = {}
        self._recent: deque[datetime] = deque()  # publication times of the claims added in the last gap

    def _find_backdrop(self, claims: Sequence[Claim], feats: Sequence[dict[str, float]]) -> frozenset[str]:
        """The names and places ("moscow") found in more than ``backdrop_share`` of the documents (a copy
        counts as its origin) and in at least ``backdrop_documents``, in any of their forms (the name
        key, the place key, the word): the setting of the whole corpus."""
        share = self.options.backdrop_share
        if share is None or not self.options.use_keys:
            return frozenset()
        names = {k.partition(":")[2] for f in feats for k in f if k.startswith(("name:", "place:"))}
        documents: dict[str, set[str]] = defaultdict(set)
        for c, f in zip(claims, feats, strict=True):
            for k in f:
                prefix, _, value = k.partition(":")
                if prefix in ("name", "place") or (not value and k in names):
                    documents[value or k].add(c.origin or c.document_id)
        total = len({c.origin or c.document_id for c in claims})
        floor = max(self.options.backdrop_documents, math.floor(share * total) + 1)
        return frozenset(v for v, docs in documents.items() if len(docs) >= floor)

    def similarity(self, a: Claim, b: Claim) -> float:
        lexical = _dot(self._vectors.get(a.id, {}), self._vectors.get(b.id, {}))
        w = self.options.semantic_weight
        if w <= 0 or a.id not in self._embeddings:
            return lexical
        ea, eb = self._embeddings[a.id], self._embeddings[b.id]
        semantic = sum(x * y for x, y in zip(ea, eb, strict=True))
        return (1 - w) * lexical + w * semantic

    def neighbours(self, probe: Claim) -> list[tuple[Claim, float]]:
        """Members of the groups a claim that is *not* linked (a prediction, a query) would be compared
        with, and their lexical similarity to it: the probe is weighed with this linker's IDF (a feature
        it has never seen counts as the rarest) and its candidates come from the same index."""
        unseen = math.log(1 + len(self._vectors)) + 1.0
        vector = _norm({k: tf * self._idf.get(k, unseen) for k, tf in _features(probe, self.options).items()})
        self._vectors[probe.id] = vector
        try:
            groups = self._candidates(probe, windowed=False)
        finally:
            del self._vectors[probe.id]
        return [
            (member, _dot(vector, self._vectors.get(member.id, {}))) for g in groups for member in self.groups[g].claims
        ]

    def _similarity_to(self, claim: Claim) -> Callable[[Claim], float]:
        """``similarity(claim, ·)``, with the claim's vector looked up once (the hot loop of :meth:`add`).
        The same numbers as :meth:`similarity`, which is still called when embeddings are mixed in or a
        subclass overrides it."""
        if (self.options.semantic_weight > 0 and claim.id in self._embeddings) or (
            type(self).similarity is not Linker.similarity
        ):
            return lambda m: self.similarity(claim, m)
        vector, vectors = self._vectors.get(claim.id, {}), self._vectors
        empty: Vector = {}
        return lambda m: _dot(vector, vectors.get(m.id, empty))

    def _profile(self, claim: Claim) -> _Profile:
        """What a claim says that another can contradict: its figures, its places, control by place."""
        cached = self._profiles.get(claim.id)
        if cached is not None:
            return cached
        figures = frozenset(k for k in claim.keys if k.startswith("num:"))
        places = frozenset(k for k in claim.keys if k.startswith("place:"))
        labels = _evidence_labels(claim)
        specific: dict[str, str] = {}
        evidence: dict[str, str] = {}  # feature -> the evidence it counts as
        backdrop: set[str] = set()  # the evidence its backdrop names and places count as
        vector = self._vectors.get(claim.id, {})
        for feature in vector:
            value = feature.partition(":")[2] if ":" in feature else feature
            label = evidence[feature] = labels.get(value, value)
            if value in self._backdrop and (value == feature or feature.startswith(("name:", "place:"))):
                backdrop.add(label)
            if self._df.get(feature, 0) > self._max_postings:
                continue  # generic: in too many claims to tell one event from another
            specific[value] = label
        forms = tuple(frozenset(f for f, label in evidence.items() if label == b) for b in backdrop)
        what: Vector = {}
        if self.options.use_words:
            for w in claim.words:
                if w not in labels:
                    what[w] = what.get(w, 0.0) + self._idf.get(w, 1.0)
        control: dict[str, str] = {}
        for cf in claim.facts:
            fact = cf.fact
            if isinstance(fact, Place) and fact.status != "mentioned":
                denied = claim.certainty == "denied" and fact.status == "captured"
                control[fact.name] = "contested" if denied else fact.status
        profile = _Profile(figures, places, control, specific, _norm(what), vector, forms)
        self._profiles[claim.id] = profile
        return profile

    def _evidence(self, profile: _Profile, theirs: _Profile) -> float:
        """How well a pair is backed by what is specific to one event, for a crowded stream: 1, or
        ``thin_evidence`` for each of: they share one specific thing only (a place, a figure, a rare word,
        or a name, whose words written in a row count once: the same official quoted on two events); the
        words saying what happened (no names, places or figures) agree too little (cosine below
        ``min_what``: "Kharkiv was hit hardest" / "Kharkiv was captured"). 0 when they share no specific
        thing at all (only generic words: every strike report says "drones", "missiles", "overnight").
        Specific = distinctive, as for retrieving candidates (in at most ``max_share`` of the claims)."""
        mine, other = profile.specific, theirs.specific
        if len(mine) > len(other):
            mine, other = other, mine
        first: str | None = None  # the first shared piece; two different ones are enough to know
        two = False
        for value, label in mine.items():
            if value in other:
                if first is None:
                    first = label
                elif label != first:
                    two = True
                    break
        if first is None:
            return 0.0
        factor = 1.0 if two else self.options.thin_evidence
        if self.options.use_words and _dot(profile.what, theirs.what) < self.options.min_what:
            factor *= self.options.thin_evidence
        return factor

    @staticmethod
    def _backdrop_only(profile: _Profile, theirs: _Profile) -> bool:
        """Whether all two claims share are forms of one backdrop name or place of one of them (its word,
        its name key, its place key; the words of one name written in a row: "Steve Witkoff")."""
        shared = profile.vector.keys() & theirs.vector.keys()
        if not shared:
            return False
        return any(shared <= forms for forms in profile.backdrop) or any(shared <= forms for forms in theirs.backdrop)

    def _compatible(self, profile: _Profile, other: Claim, crowded: bool = False) -> float:
        """1, or less when two claims are unlikely to be one statement: 0 when they give one place
        conflicting control statuses (a contradiction, which the analyse stage reports), and
        ``mismatch_penalty`` for each of: both give figures and none agrees; both name places and each
        names one the other does not (two events of one kind: "strikes on Kharkiv killed 3" / "strikes
        on Odesa killed 5"; "a village in Donetsk region" / "another village in Donetsk region"). In a
        crowded stream, also the factor of :meth:`_evidence`. 0 when all they share is one backdrop name
        or place (:meth:`_backdrop_only`)."""
        theirs = self._profiles.get(other.id) or self._profile(other)
        if (profile.backdrop or theirs.backdrop) and self._backdrop_only(profile, theirs):
            return 0.0
        factor = self._evidence(profile, theirs) if crowded else 1.0
        if not factor or not (profile.figures or profile.places or profile.control):
            return factor  # (nothing to agree or disagree on)
        for place, status in profile.control.items():
            their_status = theirs.control.get(place)
            if their_status is not None and conflicting_status(status, their_status):
                return 0.0
        for place, status in profile.control.items():
            if theirs.control.get(place) == status:
                factor *= self.options.agreement_bonus  # the same place, the same status: one claim
                break
        if profile.figures and theirs.figures and profile.figures.isdisjoint(theirs.figures):
            factor *= self.options.mismatch_penalty
        mine, their_places = profile.places, theirs.places
        if mine and their_places and not (mine <= their_places or their_places <= mine):
            factor *= self.options.mismatch_penalty
        return factor

    def _candidates(self, claim: Claim, windowed: bool = True) -> list[int]:
        """Groups that share most distinctive features with a claim, through the index. For a dated claim
        (``windowed``) only the postings of the last ``max_gap_days`` count: older ones name groups it
        may not join (a group joined through a feature since is posted again), so a crowded stream's
        closed groups neither cost a scan nor take one of the ``max_candidates`` places."""
        shared: Counter[int] = Counter()
        df, cap, postings, posted = self._df, self._max_postings, self._postings, self._posted
        scan, gap = self.options.scan_postings, self.options.max_gap_days
        horizon = None
        if windowed and gap is not None and claim.published is not None:
            horizon = claim.published.timestamp() - gap * 86400
        for feature in self._vectors.get(claim.id, {}):
            if df.get(feature, 0) > cap:
                continue
            found = postings.get(feature)
            if found:
                start = max(0, len(found) - scan)  # the groups most recently joined through it
                if horizon is not None:
                    start = bisect_left(posted[feature], horizon, start)  # ... in the window
                shared.update(found[start:])  # counted in C
        return [g for g, _ in shared.most_common(self.options.max_candidates)]

    def _crowded(self, claim: Claim) -> bool:
        """Whether at least ``crowded`` claims were added in the ``max_gap_days`` before this one (claims
        without a date never are: nothing says how close they are)."""
        recent, limit, gap = self._recent, self.options.crowded, self.options.max_gap_days
        if claim.published is None or limit is None or gap is None:
            return False
        while recent and (claim.published - recent[0]).total_seconds() > gap * 86400:
            recent.popleft()
        recent.append(claim.published)
        return len(recent) > limit

    def add(self, claim: Claim) -> ClaimGroup:
        options = self.options
        best, best_score, runner_up = -1, options.threshold, 0.0
        similarity = self._similarity_to(claim)
        profile = self._profile(claim)
        gap, published, compare = options.max_gap_days, claim.published, options.compare_members
        too_old = timedelta(days=gap) if gap is not None and published is not None else None
        crowded = self._crowded(claim)
        compatible, single, groups = self._compatible, options.link == "single", self.groups
        for g in self._candidates(claim):
            claims = groups[g].claims
            if too_old is not None:
                last = claims[-1].published
                if last is not None and published - last > too_old:  # type: ignore[operator]
                    continue  # an old story told again weeks later starts a new group
            sims = []
            for m in claims[-compare:]:
                factor = compatible(profile, m, crowded)
                # similarity × factor; a factor of 0 (a contradiction, nothing specific shared) makes it
                # 0.0 whatever the similarity (which is finite), so it is not computed
                sims.append(similarity(m) * factor if factor else 0.0)
            score = max(sims) if single else sum(sims) / len(sims)
            if score >= best_score:
                runner_up = max(runner_up, best_score if best >= 0 else 0.0)
                best, best_score = g, score
            else:
                runner_up = max(runner_up, score)
        if crowded and best >= 0 and best_score < self.options.clear_ratio * runner_up:
            best = -1  # it matches another event about as well: not clearly either of them
        if best < 0:
            best = len(self.groups)
            self.groups.append(ClaimGroup(id=claim.id))
        group = self.groups[best]
        group.claims.append(claim)
        self._group_of[claim.id] = best
        when = claim.published.timestamp() if claim.published is not None else math.inf
        for feature in self._vectors.get(claim.id, {}):
            postings, posted = self._postings[feature], self._posted[feature]
            latest = max(when, posted[-1]) if posted else when  # never less than the one before: sorted
            if not postings or postings[-1] != best:
                postings.append(best)
                posted.append(latest)
            else:
                posted[-1] = latest  # joined through it again: posted again
        return group


def build_linker(
    claims: Sequence[Claim], options: LinkOptions | None = None, embedder: Embedder | None = None
) -> Linker:
    """A linker that has grouped ``claims`` in publication order (its index answers later probes)."""
    ordered = sorted(claims, key=_time_key)
    linker = Linker(ordered, options, embedder)
    for claim in ordered:
        linker.add(claim)
    return linker


def link_claims(
    claims: Sequence[Claim], options: LinkOptions | None = None, embedder: Embedder | None = None
) -> list[ClaimGroup]:
    """Group ``claims``; groups come back in the order of their first report."""
    return build_linker(claims, options, embedder).groups


__all__ = ["ClaimGroup", "Embedder", "LinkOptions", "Linker", "build_linker", "conflicting_status", "link_claims"]
