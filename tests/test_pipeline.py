"""The Extractor: order, chunking of long texts, the author's voice, and worker processes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitroom.extract import pipeline
from sitroom.extract.pipeline import ExtractOptions, Extractor, _chunks
from sitroom.model import Document

pytestmark = pytest.mark.slow

SAMPLE = (
    "Peskov said that the Kremlin had received the 28-point draft. Russian forces captured Kupyansk, "
    "according to the General Staff. Budanov predicts that talks will resume in February. "
    "I think the $140 billion loan will fail.\n\n"
)


def test_chunks_cover_the_text_exactly():
    text = ("word " * 30_000 + "\n\n") * 3
    pieces = list(_chunks(text))
    assert len(pieces) > 1
    assert "".join(p for _, p in pieces) == text
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece


def test_long_text_offsets_survive_chunking(extractor, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 400)
    text = SAMPLE * 6
    ex = extractor.extract(Document(text=text, published=datetime(2025, 11, 20, tzinfo=UTC)))
    assert len([p for p in ex.places if p.name == "Kupiansk"]) == 6
    for a in ex.attributions:
        assert text[a.start : a.end] == a.content
        if a.parent is not None:
            outer = ex.attributions[a.parent]
            assert outer.start <= a.start and a.end <= outer.end
    for q in ex.quantities:
        assert text[q.start : q.end] == q.text


def test_author_voice_becomes_the_document_author(extractor):
    ex = extractor.extract(Document(text=SAMPLE, author="Jane Analyst", published=datetime(2025, 11, 20, tzinfo=UTC)))
    assert any(a.speaker == "Jane Analyst" and a.cue == "think" for a in ex.attributions)
    budanov = [p for p in ex.predictions if p.by == "Kyrylo Budanov"]
    assert budanov and budanov[0].deadline == "2026-02"


def test_two_processes_give_the_same_facts_in_order(extractor):
    docs = [
        Document(text=SAMPLE.replace("Kupyansk", town), source=f"s{i}", published=datetime(2025, 11, 20, tzinfo=UTC))
        for i, town in enumerate(["Kupyansk", "Pokrovsk", "Siversk", "Lyman"])
    ]
    serial = [e.to_contract() for e in extractor.extract_many(docs)]
    parallel = Extractor(nlp=extractor.nlp, options=ExtractOptions(n_process=2, batch_size=1))
    assert [e.to_contract() for e in parallel.extract_many(docs)] == serial
    assert [s["document"]["source"] for s in serial] == ["s0", "s1", "s2", "s3"]
