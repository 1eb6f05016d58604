"""Forecasts written as lines rather than sentences, for ``sitroom_predictions``.

- a line labelled as the writer's forecast: "Prediction: no ceasefire this year", "My guess: ..."
  (weak labels, "My view:", need a future marker in what follows; labels in ``predictions.json``);
- a bulleted note "- Budanov, November: talks resume in February": the label names the predictor
  and the day the forecast was made, which is the reference date for its deadline;
- a note where someone names only the date: "Kushner says Tuesday", "Ushakov said early next week".

Each finder takes the ``PredictionExtractor`` for its lexicon and clause tests.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span

from .base import add_fact, entities
from .dates import previous_occurrence
from .lexicon import alternation
from .prediction_parts import Candidate, trim

if TYPE_CHECKING:
    from .predictions import PredictionExtractor


def label_pattern(labels: list[str]) -> re.Pattern[str]:
    """A line that opens with a forecast label: "- Prediction:", "Here's my guess:", "Our view:"."""
    return re.compile(
        rf"^[\s\-–—*•]*(?:(?:here'?s|here\s+is|this\s+is)\s+)?(?:(?:my|our)\s+)?"
        rf"(?P<label>{alternation(labels)})\s*:\s*",
        re.I,
    )


def note_lines(ex: PredictionExtractor, doc: Doc, ref: date | None) -> list[tuple[int, int]]:
    """Bulleted note lines "- Budanov, November: talks resume in February." whose first statement has a
    verb and a time later than the label's date (or open-ended): a forecast by the one the label names.
    The parser often runs such lines together, so they are read line by line."""
    found: list[tuple[int, int]] = []
    offset = 0
    text = doc.text  # rebuilt from the tokens on every read: read it once
    for line in text.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        if not re.match(r"^\s*[-–—*•]\s*\S", line):
            continue
        first = doc.char_span(start, start + len(line.rstrip()), alignment_mode="contract")
        note = note_label(ex, first, ex.date_rules_in(first), ref) if first is not None else None
        if note is None:
            continue
        end, name, said_on = note
        stop = re.search(r"[.!?](?:\s|$)", text[end:offset])
        content = doc.char_span(end, end + stop.start() if stop else offset, alignment_mode="expand")
        local_ref = said_on or ref
        if content is None or local_ref is None:
            continue
        tokens, times = trim(list(content)), ex.date_rules_in(content)
        verb = any(t.pos_ in ("VERB", "AUX") and t.lemma_ not in ("be", "have") for t in tokens)
        if not verb or not ex.future_in(tokens, times, local_ref):
            continue
        cand = Candidate(tokens[0], tokens, name, conditional=bool(ex.condition_tokens(tokens)))
        fact = ex.make_fact(cand, times, local_ref, [])
        if fact is not None:
            add_fact(doc, "predictions", fact)
            found.append((fact.start, fact.end))
    return found


def note_label(
    ex: PredictionExtractor, sent: Span, times: list[tuple[int, int, str]], ref: date | None
) -> tuple[int, str | None, date | None] | None:
    """A note line "Budanov, November: talks resume in February" / "Okafor (me), 29 Nov: ...": the end
    of the label, who it names (``None``: the writer) and the date it gives the forecast (the latest
    such date not after the reference date), or ``None`` if the line has no such label."""
    m = re.match(r"^[\s\-–—*•]*([^:\n]{2,60}?)\s*:\s+(?=\S)", sent.text)
    if m is None or ex.label_rx.match(sent.text):
        return None
    end = sent.start_char + m.end()
    label = [t for t in sent if t.idx < end and not t.is_punct and not t.is_space]
    if not label or label[0].pos_ == "ADP" or any(t.tag_ in ("VBZ", "VBP", "VBD", "MD") for t in label):
        return None
    known = [t for t in label if t.ent_type_ == "PERSON" or ex.actors.lookup(t.text) is not None]
    name: str | None = None  # "Okafor (me)": the writer
    if not re.search(r"\((?:me|myself)\)", m.group(1), re.I):
        if not known:
            return None
        ent = next((e for e in entities(sent.doc) if e.start <= known[0].i < e.end), None)
        name = ex.actors.canonical(ent.text if ent is not None else known[0].text)
    in_label = [e for s, e2, e in times if sent.start_char <= s and e2 <= end]
    said = previous_occurrence(in_label[0], ref, lexicon_path=ex.dates_lexicon_path) if ref and in_label else None
    return end, name, date.fromisoformat((said + "-01-01")[:10]) if said else None


def from_label(
    ex: PredictionExtractor, sent: Span, times: list[tuple[int, int, str]], ref: date | None
) -> Candidate | None:
    """A line labelled as the writer's forecast: "Prediction: no ceasefire this year", "My guess: ...";
    weak labels ("My view:") need a future marker in what follows."""
    m = ex.label_rx.match(sent.text)
    if m is None:
        return None
    tokens = trim([t for t in sent if t.idx >= sent.start_char + m.end()], keep_mark=True)
    if not tokens:
        return None
    condition = ex.condition_tokens(tokens)
    main = [t for t in tokens if t.i not in condition]
    strong = ex.labels[next(k for k in ex.labels if re.fullmatch(alternation([k]), m.group("label"), re.I))]
    if not strong and not ex.future_in(main, times, ref):
        return None
    return Candidate(tokens[0], tokens, None, conditional=bool(condition), dated=main)


def said_when(ex: PredictionExtractor, sent: Span, ref: date | None) -> Candidate | None:
    """A note that someone named only the date: "Ushakov said early next week", "Kushner says Tuesday"."""
    for verb in sent:
        if verb.lemma_.lower() not in ("say", "tell") or verb.pos_ != "VERB":
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        rest = trim([t for t in sent if t.i > verb.i])
        when = "".join(t.text_with_ws for t in rest).strip()
        if subject is None or not 0 < len(rest) <= 5 or subject.lower_ in ex.first_person:
            continue
        if rest[0].pos_ == "ADP" or not ex.strictly_after(when, ref):  # "said on Monday": when it was said
            continue
        tokens = [*subject.subtree, verb, *rest]
        return Candidate(verb, sorted(tokens, key=lambda t: t.i), ex.name_of(subject), when=when)
    return None


__all__ = ["from_label", "label_pattern", "note_label", "note_lines", "said_when"]
