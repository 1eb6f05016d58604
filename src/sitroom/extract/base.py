"""Conventions shared by sitroom's spaCy components.

Each extractor is a spaCy component registered with ``@Language.factory`` that declares what it
reads (``requires``) and writes (``assigns``). A component writes:

* its evidence spans to ``doc.spans["sitroom_<kind>"]`` (token-aligned, for display and tests), and
* its facts — ``sitroom.model`` dataclasses with exact character offsets — to
  ``doc._.sitroom_facts[<kind>]``.

Components read the document's reference date (for "in February") from ``doc._.sitroom_ref_date``.
Lexicons and patterns are JSON files in ``sitroom/extract/data``; each factory takes the path of
its data file as config, so tests can run a component on ``spacy.blank("en")`` with fixture data.
"""

from __future__ import annotations

import weakref
from bisect import bisect_left
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from spacy.tokens import Doc, Span

from ..model import Fact

T = TypeVar("T")
_PER_DOC: weakref.WeakKeyDictionary[Doc, dict[str, Any]] = weakref.WeakKeyDictionary()


def per_doc(doc: Doc, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` once per Doc and ``key`` (kept while the Doc lives, never serialised with it).

    For what costs a walk over the whole document on every access: ``doc.ents`` builds its spans
    from every token each time it is read, so a component that reads it once per sentence or per
    mention is quadratic in the document's length.
    """
    cache = _PER_DOC.setdefault(doc, {})
    if key not in cache:
        cache[key] = compute()
    value: T = cache[key]
    return value


def entities(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents`` without the walk over every token (components run after the NER and do not change
    entities). The cache keeps token offsets and labels, never Spans: a Span holds its Doc, and a value
    that holds its key would keep every Doc alive."""
    found = per_doc(doc, "ents", lambda: tuple((e.start, e.end, e.label) for e in doc.ents))
    return tuple(Span(doc, start, end, label=label) for start, end, label in found)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once per Doc (spaCy rebuilds it from every token on each read)."""
    return per_doc(doc, "text", lambda: doc.text)


def tokens_between(doc: Doc, start_char: int, end_char: int) -> Span:
    """The tokens that start in ``[start_char, end_char)``, found by bisection (not a walk over the doc)."""
    starts = per_doc(doc, "token_starts", lambda: [t.idx for t in doc])
    return doc[bisect_left(starts, start_char) : bisect_left(starts, end_char)]


FACTS_EXT = "sitroom_facts"
REF_DATE_EXT = "sitroom_ref_date"

if not Doc.has_extension(FACTS_EXT):
    Doc.set_extension(FACTS_EXT, default=None)
if not Doc.has_extension(REF_DATE_EXT):
    Doc.set_extension(REF_DATE_EXT, default=None)


def span_key(kind: str) -> str:
    return f"sitroom_{kind}"


def facts_of(doc: Doc) -> dict[str, list[Any]]:
    """The facts dict of a doc, created on first use."""
    facts = doc._.get(FACTS_EXT)
    if facts is None:
        facts = {}
        doc._.set(FACTS_EXT, facts)
    return facts


def add_fact(doc: Doc, kind: str, fact: Fact, label: str = "") -> None:
    """Record a fact and its token-aligned evidence span."""
    facts_of(doc).setdefault(kind, []).append(fact)
    span = doc.char_span(fact.start, fact.end, label=label or kind, alignment_mode="expand")
    if span is not None:
        key = span_key(kind)
        if key not in doc.spans:
            doc.spans[key] = []
        doc.spans[key].append(span)


def reference_date(doc: Doc) -> date | None:
    """The date set by the pipeline (an ISO string, so docs cross process boundaries), or None."""
    value = doc._.get(REF_DATE_EXT)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def sentence_of(doc: Doc, char: int) -> Span | None:
    """The sentence containing character ``char`` (needs sentence boundaries)."""
    if not doc.has_annotation("SENT_START"):
        return None
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return sent
    return None
