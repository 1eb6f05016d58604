"""Hand-made extractions for the link/analyse/story tests: invented text, facts at real offsets.

No extractor runs: each helper finds its evidence in the document text (``text.index``), so a fact's
``start``/``end`` always point at the words it stands for.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sitroom import model
from sitroom.link import Corpus

Ids = dict[str, list[int]]


def day(n: int, hour: int = 9) -> datetime:
    """A date in March 2026 (the 2nd is a Monday), UTC."""
    return datetime(2026, 3, n, hour, tzinfo=UTC)


def span(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


class Doc:
    """Builds one :class:`model.Extraction` fact by fact."""

    def __init__(self, text: str, source: str | None = "Harbor Post", when: datetime | None = None, **fields):
        self.text = text
        self.extraction = model.Extraction(model.Document(text=text, source=source, published=when, **fields))

    def said(self, speaker: str, content: str, certainty: str = "asserted", cue: str = "said") -> Doc:
        s, e = span(self.text, content)
        self.extraction.attributions.append(model.Attribution(s, e, speaker, cue, content, certainty))
        return self

    def hedge(self, needle: str, kind: str = "hedged") -> Doc:
        s, e = span(self.text, needle)
        self.extraction.hedges.append(model.Hedge(s, e, needle, kind))
        return self

    def place(
        self,
        mention: str,
        status: str = "captured",
        by: str | None = None,
        name: str | None = None,
        lat: float | None = 48.5,
        lon: float | None = 35.25,
        nth: int = 0,
        feature: str = "city",
    ) -> Doc:
        s, e = span(self.text, mention, nth)
        self.extraction.places.append(
            model.Place(s, e, name or mention, mention, lat, lon, "XX", "North", status, by, None, feature)
        )
        return self

    def quantity(self, needle: str, value: float, unit: str | None, about: str | None = None, nth: int = 0) -> Doc:
        s, e = span(self.text, needle, nth)
        self.extraction.quantities.append(model.Quantity(s, e, value, unit, needle, about))
        return self

    def provision(self, needle: str, topic: str, plan: str | None = None, number: int | None = None) -> Doc:
        s, e = span(self.text, needle)
        self.extraction.provisions.append(model.Provision(s, e, topic, needle, number, plan))
        return self

    def stance(self, needle: str, actor: str, target: str, stance: str) -> Doc:
        s, e = span(self.text, needle)
        self.extraction.stances.append(model.Stance(s, e, actor, target, stance))
        return self

    def predicts(self, needle: str, by: str | None, what: str, deadline: str | None, conditional: bool = False) -> Doc:
        s, e = span(self.text, needle)
        self.extraction.predictions.append(model.Prediction(s, e, by, what, deadline, conditional))
        return self

    @property
    def id(self) -> str:
        return self.extraction.document.id


def ids_for(extraction: model.Extraction, first_id: int = 1) -> Ids:
    """Row ids for every fact, as the store would give them (numbered from ``first_id``)."""
    out: Ids = {}
    n = first_id
    for kind in model.FACT_KINDS:
        facts = getattr(extraction, kind)
        out[kind] = list(range(n, n + len(facts)))
        n += len(facts)
    return out


def corpus_of(*docs: Doc, until: datetime | None = None, **kwargs) -> Corpus:
    """A corpus of the documents, in the order given, with distinct fact ids across documents."""
    rows = []
    next_id = 1
    for d in docs:
        ids = ids_for(d.extraction, next_id)
        next_id += sum(len(v) for v in ids.values())
        rows.append((d.extraction, ids))
    return Corpus.from_extractions(rows, until=until, **kwargs)
