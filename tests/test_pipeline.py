"""The Extractor: order, chunking of long texts, the author's voice, and worker processes."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, datetime

import pytest
import spacy
from spacy.language import Language

from sitroom.errors import ExtractionError
from sitroom.extract import pipeline
from sitroom.extract.pipeline import ExtractOptions, Extractor, _chunks
from sitroom.model import Document

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


@pytest.mark.slow
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


@pytest.mark.slow
def test_author_voice_becomes_the_document_author(extractor):
    text = SAMPLE + "I support the energy truce.\n"
    ex = extractor.extract(Document(text=text, author="Jane Analyst", published=datetime(2025, 11, 20, tzinfo=UTC)))
    assert any(a.speaker == "Jane Analyst" and a.cue == "think" for a in ex.attributions)
    assert [(s.actor, s.stance, s.target) for s in ex.stances] == [("Jane Analyst", "support", "energy truce")]
    budanov = [p for p in ex.predictions if p.by == "Kyrylo Budanov"]
    assert budanov and budanov[0].deadline == "2026-02"


@pytest.mark.slow
def test_two_processes_give_the_same_facts_in_order(extractor):
    docs = [
        Document(text=SAMPLE.replace("Kupyansk", town), source=f"s{i}", published=datetime(2025, 11, 20, tzinfo=UTC))
        for i, town in enumerate(["Kupyansk", "Pokrovsk", "Siversk", "Lyman"])
    ]
    serial = [e.to_contract() for e in extractor.extract_many(docs)]
    parallel = Extractor(nlp=extractor.nlp, options=ExtractOptions(n_process=2, batch_size=1))
    assert [e.to_contract() for e in parallel.extract_many(docs)] == serial
    assert [s["document"]["source"] for s in serial] == ["s0", "s1", "s2", "s3"]


# A pipeline on spacy.blank("en") with a component that fails on a marker word: "RAISE" raises,
# "DIE" ends the process at once (as a segfault or the OOM killer would). It runs in a child
# interpreter with a timeout, so a hang fails the test instead of stalling the suite.
_BAD_DOCUMENTS = """
import json, multiprocessing, os, sys
import spacy
from spacy.language import Language
from sitroom.extract.pipeline import ExtractOptions, Extractor
from sitroom.model import Document

@Language.component("test_fails_on_marker")
def fails_on_marker(doc):
    if "RAISE" in doc.text:
        raise ValueError("a component bug")
    if "DIE" in doc.text:
        os._exit(7)
    return doc

n_process, batch_size, marks, take = json.loads(sys.argv[1])
nlp = spacy.blank("en")
nlp.add_pipe("sentencizer")
nlp.add_pipe("sitroom_hedges")
nlp.add_pipe("test_fails_on_marker")
extractor = Extractor(nlp=nlp, options=ExtractOptions(n_process=n_process, batch_size=batch_size))
texts = [f"Document {i} reportedly says {marks.get(str(i), 'nothing')}, perhaps." for i in range(40)]
documents = [Document(text=t, origin=f"doc{i}.txt") for i, t in enumerate(texts)]
out = []
stream = extractor.extract_each(documents)
for outcome in stream:
    facts = outcome.extraction.to_contract()["hedges"] if outcome.extraction else None
    out.append([outcome.document.origin, facts, str(outcome.error) if outcome.error else None])
    if take is not None and len(out) == take:
        stream.close()
        break
print(json.dumps({"outcomes": out, "children": len(multiprocessing.active_children())}))
"""


def _run_bad_documents(n_process: int, batch_size: int, marks: dict[str, str], take: int | None = None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_BAD_DOCUMENTS), json.dumps([n_process, batch_size, marks, take])],
        capture_output=True,
        text=True,
        timeout=120,  # a hang fails here
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("marker", ["RAISE", "DIE"])
def test_a_failing_document_in_a_worker_is_one_error_and_the_rest_go_on(marker):
    result = _run_bad_documents(2, 4, {"13": marker, "30": marker})
    serial = _run_bad_documents(1, 4, {})
    origins = [o[0] for o in result["outcomes"]]
    assert origins == [f"doc{i}.txt" for i in range(40)]  # input order, every document once
    failed = {o[0]: o[2] for o in result["outcomes"] if o[2] is not None}
    assert set(failed) == {"doc13.txt", "doc30.txt"}
    line = failed["doc13.txt"]
    assert "\n" not in line and line.startswith("doc13.txt: extraction failed (")
    expected = "ValueError: a component bug" if marker == "RAISE" else "ended unexpectedly (exit code 7)"
    assert expected in line and "sitroom --debug extract" in line
    for got, alone in zip(result["outcomes"], serial["outcomes"], strict=True):
        if got[0] not in failed:
            assert got[1] == alone[1] and got[1]  # the same facts as in one process
    assert result["children"] == 0  # every worker was joined


def test_in_one_process_the_error_lands_on_the_document_at_fault():
    result = _run_bad_documents(1, 16, {"5": "RAISE"})
    failed = [o[0] for o in result["outcomes"] if o[2] is not None]
    assert failed == ["doc5.txt"]
    assert len(result["outcomes"]) == 40


def test_closing_the_stream_early_stops_the_workers():
    result = _run_bad_documents(2, 2, {}, take=3)
    assert len(result["outcomes"]) == 3
    assert result["children"] == 0


def test_extract_many_ends_with_the_error_of_the_failing_document():
    if "test_raises_on_raise" not in Language.factories:
        Language.component("test_raises_on_raise", func=_raise_on_marker)
    nlp = spacy.blank("en")
    nlp.add_pipe("test_raises_on_raise")
    docs = [Document(text=f"text {i}" + (" RAISE" if i == 2 else ""), origin=f"d{i}") for i in range(5)]
    got = []
    with pytest.raises(ExtractionError) as caught:
        for extraction in Extractor(nlp=nlp, options=ExtractOptions(batch_size=8)).extract_many(docs):
            got.append(extraction.document.origin)
    assert got == ["d0", "d1"]
    assert caught.value.input == "d2"


def _raise_on_marker(doc):
    if "RAISE" in doc.text:
        raise ValueError("boom")
    return doc
