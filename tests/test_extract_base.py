"""Per-Doc caches in extract/base.py: computed once, right, and never shared between Docs."""

from __future__ import annotations

import spacy
from spacy.tokens import Span

from sitroom.extract.base import doc_text, entities, per_doc, tokens_between


def test_per_doc_computes_once_per_doc_and_key():
    nlp = spacy.blank("en")
    a, b = nlp("one two"), nlp("three")
    calls: list[str] = []
    for doc in (a, a, b):
        per_doc(doc, "k", lambda d=doc: calls.append(d.text) or len(d))
    assert calls == ["one two", "three"]
    assert per_doc(a, "k", lambda: -1) == 2 and per_doc(b, "k", lambda: -1) == 1


def test_entities_text_and_token_ranges_match_spacy():
    nlp = spacy.blank("en")
    doc = nlp("Talks in Geneva resumed on Monday in Kyiv.")
    doc.ents = [Span(doc, 2, 3, label="GPE"), Span(doc, 7, 8, label="GPE")]
    assert [e.text for e in entities(doc)] == ["Geneva", "Kyiv"]
    assert doc_text(doc) == doc.text
    start = doc.text.index("resumed")
    assert [t.text for t in tokens_between(doc, start, doc.text.index(" in Kyiv"))] == ["resumed", "on", "Monday"]
    assert list(tokens_between(doc, 0, 0)) == []


def test_the_cache_does_not_keep_docs_alive():
    import gc

    from sitroom.extract import base

    nlp = spacy.blank("en")
    before = len(base._PER_DOC)
    for _ in range(5):
        doc = nlp("Talks in Geneva resumed.")
        doc.ents = [Span(doc, 2, 3, label="GPE")]
        entities(doc)
        doc_text(doc)
        tokens_between(doc, 0, 5)
    del doc
    gc.collect()
    assert len(base._PER_DOC) == before


def test_view_layers_do_not_import_spacy() -> None:
    """The analyse, link and store layers read lexicons and the plan catalogue without paying for spaCy
    (about 2 s per CLI view command): only extraction loads it."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import sitroom.analyse.plans, sitroom.analyse.contradictions, sitroom.analyse.ground\n"
        "import sitroom.analyse.predictions, sitroom.analyse.records, sitroom.link.corpus\n"
        "import sitroom.present.brief, sitroom.present.story\n"
        "print('spacy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
