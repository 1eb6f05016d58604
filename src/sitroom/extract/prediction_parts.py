"""What the prediction finders share: the candidate clause each trigger proposes, and trimming.

``sitroom.extract.predictions`` turns a ``Candidate`` into a ``Prediction``; the finders in
``forecast_lines`` (labelled and note lines) and ``forecast_odds`` (odds and probability words)
propose candidates as the tree-based triggers in ``predictions`` do.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

SUBJ = {"nsubj", "nsubjpass", "csubj"}


@dataclass(slots=True)
class Candidate:
    """A clause that may be a prediction, as one trigger found it."""

    pred: Token  # the predicted clause's verb (or noun, for "predicts a ceasefire")
    tokens: list[Token]  # the clause, in order
    by: str | None
    prefix: str | None = None  # "X will" of "X is expected to VP" → `what` = "X will VP"
    cue: Token | None = None
    content: Token | None = None  # the infinitive whose subtree follows ``prefix``
    conditional: bool | None = None  # decided by the trigger (labelled lines), else from the tree
    dated: list[Token] | None = None  # where the deadline may come from, when not all of ``tokens``
    when: str | None = None  # the time expression itself, when the finder does not see it ("says Tuesday")


def trim(tokens: list[Token], keep_mark: bool = False) -> list[Token]:
    """The tokens without leading marks/conjunctions/punctuation and trailing conjunctions/punctuation."""
    out = list(tokens)
    lead = ("cc", "punct") if keep_mark else ("mark", "cc", "punct")
    while out and (out[0].dep_ in lead or out[0].is_punct or out[0].is_space):
        out.pop(0)
    while out and (out[-1].dep_ in ("cc", "punct") or out[-1].is_punct or out[-1].is_space):
        out.pop()
    return out


__all__ = ["SUBJ", "Candidate", "trim"]
