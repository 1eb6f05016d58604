"""Predictions: claims about the future, who made them and by when (component ``sitroom_predictions``).

A clause is a prediction when one of these holds (lexicon: ``data/predictions.json``):

1. it is the complement of a cue verb ("X predicts/expects that A and that B", "X expects Y to VP",
   "X predicts a ceasefire by Christmas"); ``needs_future`` cues ("warns", "bets") need a modal,
   "going to" or a time expression in the clause; or of a cue noun ("Budanov's prediction that ...");
2. a raising construction, "X is expected/likely/set/due to VP" (`what` = "X will VP" unless negated),
   or a participle of expectation with a time ("A third round is expected in Geneva next week", "the
   next round of talks, expected on 1 February");
3. a future modal with a time expression, vague ones included ("could take place in the coming
   days"), or with a predictive adverb ("will likely"); "will"/"shall" inside someone's reported words;
4. a present-tense (or passive present) event verb with a later or open-ended time ("Russia takes
   Kostiantynivka this winter", "elections are held within 100 days of a ceasefire");
5. odds on an event ("I'd say 50/50 it slips", "one chance in four", "a 50-50 proposition") or a
   probability adjective with a time ("a ceasefire over Christmas was possible") — ``forecast_odds``;
6. a labelled line ("Prediction: ...", "My guess: ...", "My view: ..." with a future marker), a bulleted
   note "- Budanov, November: talks resume in February" (predictor and date from the label), or a note
   where someone names only the date ("Kushner says Tuesday") — ``forecast_lines``.

Skipped: a plan's numbered points; clauses under "whether"/interrogative "if"; stated intentions (the
subject is the speaker: he/she/they under a third-person speaker, "I/we", or the speaker's own name;
a cue verb still makes them predictions); effort estimates are not triggers.

``by``: the innermost attribution containing the clause (a source that holds no view, "intelligence
suggests", passes to the one around it); else the subject of the cue / speech verb, the possessor of
the cue noun, the agent, "according to X", a note's label; canonical names from the shipped actor
table; counted speakers by kind ("two officials" → "officials"); first person or the author → ``None``.
``deadline``: the first time expression of the clause (not of its condition) that is not before the
reference date, resolved with the analyst's convention (``resolve_deadline(style="deadline")``); a
recalled forecast ("I said there would be no deal by Thanksgiving") keeps a date that just passed.
``conditional``: an if/unless/provided clause on the path. ``start``/``end``: the clause.
Without a dependency parse the component finds nothing.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Attribution, Prediction, Provision
from .actors import ActorIndex
from .base import add_fact, entities, facts_of, reference_date
from .dates import date_rules as _date_rules
from .dates import previous_occurrence, resolve_deadline
from .forecast_lines import from_label, label_pattern, note_label, note_lines, said_when
from .forecast_odds import from_odds, it_is_likely
from .lexicon import load_data
from .prediction_parts import SUBJ, Candidate, trim

DEFAULT_LEXICON = "predictions.json"
_CLAUSE_CUT = {"advcl", "parataxis", "cc", "preconj"}
_WH = {"WDT", "WP", "WP$"}
_COUNTED = re.compile(r"^(?:an?|one|two|three|four|five|six|several|some)\s+(?!of\b)(?=\S)", re.I)


class PredictionExtractor:
    """The ``sitroom_predictions`` component."""

    def __init__(self, lexicon_path: str | None = None, dates_lexicon_path: str | None = None) -> None:
        data: dict[str, Any] = load_data(lexicon_path, DEFAULT_LEXICON)
        self.cue_verbs: dict[str, bool] = data["cue_verbs"]
        self.cue_nouns = set(data["cue_nouns"])
        self.raising: dict[str, dict[str, Any]] = data["raising"]
        self.modals = set(data["future_modals"])
        self.strict_future = {m for m in self.modals if m in ("will", "'ll", "’ll", "shall", "wo")}
        self.adverbs = set(data["predictive_adverbs"])
        self.speech_verbs = set(data["speech_verbs"])
        self.cond_openers = sorted(data["conditional_openers"], key=len, reverse=True)
        self.not_cond_openers = tuple(data["not_conditional_openers"])
        self.question_marks = set(data["question_marks"])
        self.first_person = set(data["first_person"])
        self.third_person = set(data["third_person"])
        self.weak_times = set(data["weak_time_expressions"])
        self.author_speakers = set(data["author_speakers"])
        self.non_holders = {w.lower() for w in data["non_holders"]}
        self.plan_point = re.compile(data["plan_point"], re.I)
        self.labels: dict[str, bool] = data["labels"]
        self.odds = re.compile("|".join(f"(?:{rx})" for rx in data["odds_patterns"]), re.I)
        self.odds_verbs = set(data["odds_verbs"])
        self.odds_words = set(data["odds_words"])
        self.probability_adjectives = set(data["probability_adjectives"])
        self.label_rx = label_pattern(list(self.labels))
        self.actors = ActorIndex.load()
        self.dates_lexicon_path = dates_lexicon_path
        self.date_rules = _date_rules(dates_lexicon_path)

    # ------------------------------------------------------------------ pipeline
    def __call__(self, doc: Doc) -> Doc:
        facts_of(doc).setdefault("predictions", [])
        if not doc.has_annotation("DEP"):
            return doc
        ref = reference_date(doc)
        attributions = [a for a in facts_of(doc).get("attributions", []) if isinstance(a, Attribution)]
        numbered = [p for p in facts_of(doc).get("provisions", []) if isinstance(p, Provision) and p.number]
        noted = note_lines(self, doc, ref)
        for sent in doc.sents:
            times = self.date_rules_in(sent)
            reported = [(a.start, a.end) for a in attributions if a.start < sent.end_char and sent.start_char < a.end]
            in_point = any(p.start <= sent.start_char + 1 and sent.end_char - 1 <= p.end for p in numbered)
            if in_point or self.plan_point.match(sent.text):
                continue  # a plan's numbered point ("Point 25: ...") says what a text provides, not what will happen
            note = note_label(self, sent, times, ref)
            local_ref = note[2] if note is not None and note[2] is not None else ref
            for cand in self._candidates(sent, times, local_ref, reported):
                inside = [t for t in cand.tokens if note is not None and t.idx >= note[0]]
                if note is not None and inside:  # the label's name predicts; the label is no evidence
                    cand = replace(cand, tokens=inside, by=note[1], prefix=None, content=None)
                fact = self.make_fact(cand, times, local_ref, attributions)
                if fact is not None and not any(fact.start < e and s < fact.end for s, e in noted):
                    add_fact(doc, "predictions", fact)
        return doc

    def date_rules_in(self, span: Span) -> list[tuple[int, int, str]]:
        """Time expressions in a span, with document offsets."""
        return [(span.start_char + s, span.start_char + e, x) for s, e, x in self.date_rules.find(span.text)]

    def _candidates(
        self,
        sent: Span,
        times: list[tuple[int, int, str]],
        ref: date | None,
        reported: list[tuple[int, int]] = (),  # type: ignore[assignment]
    ) -> list[Candidate]:
        special = (
            from_label(self, sent, times, ref)
            or from_odds(self, sent, times, ref)
            or said_when(self, sent, ref)
            or it_is_likely(self, sent)
        )
        if special is not None:
            return [special]
        found: dict[int, Candidate] = {}
        for tok in sent:
            triggered = self._from_cue_verb(tok, times) + self._from_cue_noun(tok) + self._from_raising(tok, times, ref)
            for cand in triggered:
                found.setdefault(cand.pred.i, cand)
        for tok in sent:
            subject = next((c for c in tok.head.children if c.dep_ in SUBJ and c.pos_ == "PROPN"), None)
            if tok.lower_ == "next" and tok.dep_ == "acomp" and tok.head.lemma_ == "be" and subject is not None:
                found.setdefault(tok.head.i, Candidate(tok.head, self.clause_of(tok.head), None))  # "Orikhiv is next"
        for tok in sent:
            if tok.i not in found:
                modal = self._from_modal(tok, times, ref, reported)
                if modal is not None:
                    found[tok.i] = modal
        return [
            c for c in sorted(found.values(), key=lambda c: c.tokens[0].i) if not self._is_question(c.pred) and c.tokens
        ]

    # ------------------------------------------------------------------ triggers
    def _from_cue_verb(self, tok: Token, times: list[tuple[int, int, str]]) -> list[Candidate]:
        if tok.lemma_.lower() not in self.cue_verbs or tok.pos_ not in ("VERB", "AUX"):
            return []
        if any(c.dep_ == "auxpass" for c in tok.children):
            return []  # "is expected to" is a raising construction
        needs_future = self.cue_verbs[tok.lemma_.lower()]
        subject = self.subject_of(tok)
        by = self.name_of(subject) if subject is not None else None
        out: list[Candidate] = []
        for comp in tok.children:
            if comp.dep_ in ("ccomp", "xcomp") and comp.pos_ in ("VERB", "AUX"):
                for pred in [comp, *self._clausal_conjuncts(comp)]:
                    tokens = self.clause_of(pred)
                    if needs_future and not self._has_future_marker(pred, tokens, times):
                        continue
                    own_subject = any(c.dep_ in SUBJ for c in pred.children)
                    if own_subject or subject is None:
                        out.append(Candidate(pred, tokens, by, None, tok))
                    else:  # "Russia expects to take Kupiansk" → "Russia will take Kupiansk"
                        prefix = f"{self._np_text(subject)} will"
                        out.append(Candidate(pred, tokens, by, prefix, tok, pred))
            elif comp.dep_ == "prep" and comp.lower_ == "on" and tok.lemma_ == "bet":  # "betting on a truce"
                obj = next((c for c in comp.children if c.dep_ == "pobj"), None)
                if obj is not None:
                    out.append(Candidate(obj, list(obj.subtree), by, None, tok))
            elif comp.dep_ == "dobj" and comp.pos_ in ("NOUN", "PROPN") and not needs_future:
                extra = [c for c in tok.children if c.dep_ in ("prep", "npadvmod") and c.i > comp.i]
                tokens = sorted({t for root in [comp, *extra] for t in root.subtree}, key=lambda t: t.i)
                out.append(Candidate(comp, tokens, by, None, tok))
        return out

    def _from_cue_noun(self, tok: Token) -> list[Candidate]:
        if tok.lemma_.lower() not in self.cue_nouns or tok.pos_ != "NOUN":
            return []
        owner = next((c for c in tok.children if c.dep_ == "poss"), None)
        by = self.name_of(owner) if owner is not None else None
        out = []
        for comp in tok.children:
            if comp.dep_ in ("acl", "ccomp") and any(c.dep_ == "mark" and c.lower_ == "that" for c in comp.children):
                out.append(Candidate(comp, self.clause_of(comp), by, None, tok))
        return out

    def _from_raising(self, tok: Token, times: list[tuple[int, int, str]], ref: date | None) -> list[Candidate]:
        entry = self.raising.get(tok.lower_)
        if entry is None:
            return []
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if xcomp is None or not any(c.lower_ == "to" for c in xcomp.children):
            return self._scheduled(tok, times, ref)
        passive = any(c.dep_ in ("auxpass", "aux") and c.lemma_ == "be" for c in tok.children)
        root = tok.head if tok.dep_ == "acomp" else tok
        if not (passive or tok.dep_ == "acomp" or tok.lower_ == "going"):
            return []
        tokens = self.clause_of(root)
        if entry["needs_time"] and not self.times_in(tokens, times, ref):
            return []
        agent = next((c for c in tok.children if c.dep_ == "agent"), None)
        pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        by = self.name_of(pobj) if pobj is not None else None
        negated = any(c.dep_ == "neg" for c in [*tok.children, *root.children])
        subject = next((c for c in root.children if c.dep_ in SUBJ), None)
        if entry["rewrite"] and not negated and subject is not None:
            prefix = f"{self._np_text(subject)} {entry['rewrite']}"
            return [Candidate(root, tokens, by, prefix, tok, xcomp)]
        return [Candidate(root, tokens, by, None, tok)]

    def _scheduled(self, tok: Token, times: list[tuple[int, int, str]], ref: date | None) -> list[Candidate]:
        """A participle of expectation with a time and no infinitive: "A third round is expected in Geneva
        next week", "the next round of talks, expected on 1 February" (the noun phrase it describes)."""
        due = tok.lower_ == "due" and tok.dep_ == "acomp"  # "Lavrov is due in Ankara on Monday"
        if (tok.tag_ != "VBN" and not due) or tok.lower_ in ("going", "likely", "unlikely", "certain", "bound"):
            return []
        passive = any(c.dep_ == "auxpass" for c in tok.children)
        if due and any(c.dep_ in SUBJ for c in tok.head.children):
            tokens = self.clause_of(tok.head)
        elif passive and any(c.dep_ in SUBJ for c in tok.children):
            tokens = self.clause_of(tok)
        elif not passive and tok.dep_ in ("acl", "advcl") and tok.i > 0 and tok.nbor(-1).lower_ == ",":
            noun = tok.nbor(-2) if tok.i > 1 else tok
            while noun.dep_ in ("pobj", "compound", "appos") and noun.head.i != noun.i:
                up = noun.head.head if noun.dep_ == "pobj" else noun.head
                if up.pos_ not in ("NOUN", "PROPN"):
                    break
                noun = up
            if noun.pos_ not in ("NOUN", "PROPN"):
                return []
            tokens = list(tok.doc[noun.left_edge.i : tok.right_edge.i + 1])
        else:
            return []
        own = [t for t in tokens if t.i >= tok.i]  # the time must describe the expected event
        if not [t for t in self.times_in(own, times, ref) if t[2].lower() not in self.weak_times]:
            return []
        return [Candidate(tok, tokens, None, None, tok)]

    def _from_modal(
        self,
        tok: Token,
        times: list[tuple[int, int, str]],
        ref: date | None,
        reported: list[tuple[int, int]] = (),  # type: ignore[assignment]
    ) -> Candidate | None:
        """Rule 4, plus: a plain "will" clause inside someone's reported words, and a present-tense
        clause with a future time expression ("Witkoff goes to Moscow next week")."""
        if tok.pos_ not in ("VERB", "AUX") or tok.dep_ in ("aux", "auxpass"):
            return None
        auxes = [c.lower_ for c in tok.children if c.dep_ == "aux"]
        modal = any(a in self.modals for a in auxes)
        passive_present = [c.tag_ for c in tok.children if c.dep_ == "auxpass"] in (["VBZ"], ["VBP"])
        present = (
            (tok.tag_ in ("VBZ", "VBP") or (tok.tag_ == "VBN" and passive_present))
            and not auxes
            and tok.dep_ in ("ROOT", "ccomp", "conj")
            and tok.lemma_.lower() not in self.cue_verbs
            and tok.lemma_.lower() not in self.speech_verbs
            and not any(c.dep_ in ("ccomp", "xcomp") for c in tok.children)
        )
        if not (modal or present):
            return None
        tokens = self.clause_of(tok)
        lost = next((c for c in tok.head.children if c.dep_ == "dobj" and c.i < tok.i), None)
        if modal and tok.dep_ == "ccomp" and lost is not None and not any(c.dep_ in SUBJ for c in tok.children):
            # "I think Kellogg's departure in January, ..., will remove X": the subject parsed as an object
            tokens = sorted([*lost.subtree, *tokens], key=lambda t: t.i)
        adverb = any(c.dep_ == "advmod" and _subtree_text(c).lower() in self.adverbs for c in tok.children)
        timed = [t for t in self.times_in(tokens, times, ref) if t[2].lower() not in self.weak_times]
        strict_future = any(a in self.strict_future for a in auxes)
        inside_report = any(s <= tok.idx < e for s, e in reported)
        if present:
            # a schedule in the present tense counts only for a later period and a real event verb
            later = [t for t in timed if self.strictly_after(t[2], ref) or self._open_future(t[2], ref)]
            later = [t for t in later if not re.match(r"(?:until|till|til|through)\b", t[2], re.I)]  # "lasts until"
            in_subject = {t.i for c in tok.children if c.dep_ in SUBJ for t in c.subtree}
            later = [t for t in later if not self.times_in([x for x in tokens if x.i in in_subject], [t], None)]
            if not later or tok.lemma_ in ("be", "have"):
                return None
        if not (adverb or timed or (strict_future and inside_report)):
            return None
        speaker_verb = self._governing_speech_verb(tok)
        subject = self.subject_of(speaker_verb) if speaker_verb is not None else None
        if not adverb and self._is_intention(tok, subject):  # "we will likely see": not a plan
            return None
        by = self.name_of(subject) if subject is not None else self._according_to(tok)
        return Candidate(tok, tokens, by)

    # ------------------------------------------------------------------ facts
    def make_fact(
        self,
        cand: Candidate,
        times: list[tuple[int, int, str]],
        ref: date | None,
        attributions: list[Attribution],
    ) -> Prediction | None:
        tokens = trim(cand.tokens, keep_mark=cand.conditional is not None)
        if not tokens:
            return None
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        in_clause = self.times_in(tokens, times, None)
        deadline = self._resolve(cand.when, ref) if cand.when is not None and ref is not None else None
        if ref is not None and deadline is None:
            recalled = self._recalled(cand)
            for _s, _e, expr in self.times_in(cand.dated, times, None) if cand.dated is not None else in_clause:
                value = self._resolve(expr, ref)
                if recalled and value is not None:
                    value = self._recent(expr, value, ref)
                if value is not None and (recalled or value >= ref.isoformat()[: len(value)]):
                    deadline = value
                    break
        what = self._what(cand, tokens, in_clause)
        attributed = _attributed_speaker(attributions, start, end, self.non_holders)
        by = cand.by if attributed is None or attributed in self.author_speakers else attributed
        if cand.cue is not None and cand.by is not None and attributed is not None and by != cand.by:
            # "sources are telling him the Kremlin expects a deal": the holder of the expectation
            holder = next((c for c in cand.cue.children if c.dep_ in SUBJ), None)
            nested = any(a.speaker == attributed and a.start <= cand.cue.idx < a.end for a in attributions)
            if holder is not None and holder.pos_ != "PRON" and nested:
                by = cand.by
        if by is not None and by == cand.by:  # a name as written: the canonical one where known
            by = self.actors.canonical(by)
        if cand.cue is None and cand.when is None and by is not None and self._own_plan(cand.pred, by):
            return None
        if by is not None:  # "One diplomat", "two people familiar with the talks": the kind of speaker
            by = _COUNTED.sub("", by) or by
        return Prediction(
            start=start,
            end=end,
            by=by,
            what=what,
            deadline=deadline,
            conditional=self._is_conditional(cand.pred, cand.cue) if cand.conditional is None else cand.conditional,
        )

    def _what(self, cand: Candidate, tokens: list[Token], times: list[tuple[int, int, str]]) -> str:
        text_tokens = tokens
        prefix = ""
        if cand.prefix is not None and cand.content is not None:
            content = cand.content
            inside = {t.i for t in content.subtree}
            text_tokens = [
                t
                for t in tokens
                if t.i in inside and not (t.head.i == content.i and t.dep_ == "aux" and t.lower_ == "to")
            ]
            prefix = cand.prefix
        elif cand.pred.dep_ == "relcl":  # "elections that will topple X" → "elections will topple X"
            rel = next((c for c in cand.pred.children if c.dep_ in SUBJ and c.tag_ in _WH), None)
            if rel is not None:
                text_tokens = [t for t in tokens if t.i != rel.i]
                prefix = _phrase_without(cand.pred.head, cand.pred)
        pieces: list[str] = []
        for t in trim(text_tokens):
            if any(s <= t.idx < e for s, e, _ in times):
                continue
            word = "will" if t.lower_ == "to" and t.dep_ == "aux" and t.head.i == cand.pred.i else t.text
            pieces.append(word + t.whitespace_)
        body = re.sub(r"\s+", " ", "".join(pieces)).strip(" ,;:.-–—")
        body = re.sub(r"\s+([,;:.])", r"\1", body)
        cue_outside = cand.cue is not None and all(t.i != cand.cue.i for t in tokens)
        if cand.cue is not None and cue_outside and not prefix and any(c.dep_ == "neg" for c in cand.cue.children):
            # "Analysts do not expect a breakthrough" → "do not expect a breakthrough"
            cue = cand.cue
            lead = [t for t in cue.lefts if t.dep_ in ("aux", "neg")]
            prefix = " ".join(t.text for t in [*lead, cue])
        return f"{prefix} {body}".strip() if prefix else body

    # ------------------------------------------------------------------ clauses
    def clause_of(self, pred: Token) -> list[Token]:
        """The predicate's subtree without its own adverbial clauses and coordinated clauses."""
        cut: set[int] = set()
        for child in pred.children:
            if (
                child.dep_ in _CLAUSE_CUT
                or (child.dep_ == "conj" and self._is_clausal_conjunct(child))
                or child.lower_ == "according"
            ):
                cut.update(t.i for t in child.subtree)
        return [t for t in pred.subtree if t.i not in cut]

    def _is_clausal_conjunct(self, tok: Token) -> bool:
        return tok.pos_ in ("VERB", "AUX") and any(
            c.dep_ in SUBJ or c.dep_ == "mark" or (c.dep_ == "aux" and c.lower_ in self.modals) for c in tok.children
        )

    def _clausal_conjuncts(self, tok: Token) -> list[Token]:
        out = []
        for child in tok.children:
            if child.dep_ == "conj" and self._is_clausal_conjunct(child):
                out.append(child)
                out.extend(self._clausal_conjuncts(child))
        return out

    def times_in(
        self, tokens: list[Token], times: list[tuple[int, int, str]], ref: date | None
    ) -> list[tuple[int, int, str]]:
        if not tokens:
            return []
        ids = {t.i for t in tokens}
        doc = tokens[0].doc
        out = []
        for s, e, expr in times:
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or not all(t.i in ids for t in span):
                continue
            if ref is not None:
                value = self._resolve(expr, ref)
                if value is not None and value < ref.isoformat()[: len(value)]:
                    continue  # "in 2022" is no deadline
            out.append((s, e, expr))
        return out

    def _resolve(self, expr: str, ref: date) -> str | None:
        if ref.month == 12 and ref.day >= 29 and re.search(r"\bend of the year|\byear[\s-]end", expr, re.I):
            ref = date(ref.year + 1, 1, 1)  # written as the year closes, "the end of the year" is the next one's
        return resolve_deadline(expr, ref, lexicon_path=self.dates_lexicon_path, style="deadline")

    def _open_future(self, expr: str, ref: date | None) -> bool:
        """A forward-looking expression with no date: "in the coming weeks", "within 100 days of a ceasefire"."""
        return ref is not None and self._resolve(expr, ref) is None

    def condition_tokens(self, tokens: list[Token]) -> set[int]:
        """Token ids of conditional clauses ("if ..., unless ...") among ``tokens``."""
        return {x.i for t in tokens if t.dep_ == "advcl" and self._is_condition(t) for x in t.subtree}

    def future_in(self, tokens: list[Token], times: list[tuple[int, int, str]], ref: date | None) -> bool:
        """A modal, or a time expression that is later than the reference date or open-ended."""
        if any(t.dep_ == "aux" and t.lower_ in self.modals for t in tokens):
            return True
        timed = [t for t in self.times_in(tokens, times, ref) if t[2].lower() not in self.weak_times]
        return any(self.strictly_after(e, ref) or self._open_future(e, ref) for _, _, e in timed)

    def strictly_after(self, expr: str, ref: date | None) -> bool:
        if ref is None:
            return False
        value = self._resolve(expr, ref)
        return value is not None and value > ref.isoformat()[: len(value)]

    def _has_future_marker(self, pred: Token, tokens: list[Token], times: list[tuple[int, int, str]]) -> bool:
        if any(c.dep_ == "aux" and c.lower_ in self.modals | {"to"} for c in pred.children):
            return True
        if pred.lower_ == "going" and any(c.dep_ == "xcomp" for c in pred.children):
            return True
        return bool(self.times_in(tokens, times, None))

    # ------------------------------------------------------------------ tests on the tree
    def _is_question(self, pred: Token) -> bool:
        for tok in (pred, pred.head):
            for c in tok.children:
                interrogative = c.lower_ != "if" or tok.dep_ in ("ccomp", "xcomp")
                if c.dep_ == "mark" and c.lower_ in self.question_marks and interrogative:
                    return True
        return False

    def _is_conditional(self, pred: Token, cue: Token | None) -> bool:
        path = [*_ancestors_and_self(pred), *(_ancestors_and_self(cue) if cue is not None else [])]
        for tok in path:
            clauses = [c for c in tok.children if c.dep_ == "advcl"]
            if tok.dep_ == "advcl":
                clauses.append(tok)
            if any(self._is_condition(clause) for clause in clauses):
                return True
        return False

    def _is_condition(self, clause: Token) -> bool:
        """An adverbial clause opened by "if", "unless", "provided", inverted "should/were/had" ..."""
        opening = " ".join(t.lower_ for t in list(clause.subtree)[:4])
        if opening.startswith(self.not_cond_openers):
            return False
        if not any(re.match(rf"{re.escape(o)}\b", opening) for o in self.cond_openers):
            return False
        first = next(iter(clause.subtree))
        return not (first.lower_ in ("should", "were", "had") and first.dep_ not in ("aux", "auxpass"))

    def _governing_speech_verb(self, tok: Token) -> Token | None:
        cur = tok
        while cur.dep_ in ("ccomp", "conj", "xcomp") and cur.head.i != cur.i:
            cur = cur.head
            if cur.lemma_.lower() in self.speech_verbs:
                return cur
        return None

    def _is_intention(self, pred: Token, speaker: Token | None) -> bool:
        subject = next((c for c in pred.children if c.dep_ in SUBJ), None)
        if subject is None or pred.lemma_ == "see":  # "we'll see a deal by spring": no plan of ours
            return False
        if speaker is None:
            return subject.lower_ in self.first_person
        if speaker.lower_ in self.first_person:  # "I think they'll find the money": about others
            return subject.lower_ in self.first_person
        if subject.lower_ in self.third_person | self.first_person:
            return True
        return subject.lemma_.lower() == speaker.lemma_.lower()

    def _recalled(self, cand: Candidate) -> bool:
        """A forecast recalled in the past tense: "two weeks ago I said there would be no deal by X"."""
        verb = cand.cue if cand.cue is not None else self._governing_speech_verb(cand.pred)
        backshifted = any(c.dep_ == "aux" and c.lower_ == "would" for c in cand.pred.children)
        return verb is not None and verb.tag_ == "VBD" and backshifted

    def _recent(self, expr: str, value: str, ref: date) -> str:
        """For a recalled forecast, a holiday, month or date that just passed rather than the next one."""
        earlier = previous_occurrence(expr, ref, lexicon_path=self.dates_lexicon_path)
        recent = earlier is not None and (ref - date.fromisoformat((earlier + "-28")[:10])).days <= 62
        return earlier if earlier is not None and recent else value

    def _own_plan(self, pred: Token, speaker: str) -> bool:
        """A speaker's words about what the speaker will do ("Umerov said Umerov will fly to Miami",
        "'We will sign next week,' Yermak said"): an intention, not a forecast."""
        subject = next((c for c in pred.children if c.dep_ in SUBJ), None)
        if subject is None and pred.dep_ == "conj":  # "Kyiv does not agree ... and will not sign them"
            subject = self.subject_of(pred)
        if subject is None or pred.lemma_.lower() in self.cue_verbs or pred.lemma_.lower() in self.speech_verbs:
            return False
        if subject.lower_ in self.first_person:
            return True
        who = {speaker.lower(), self.actors.canonical(speaker).lower()}
        owner = next((c for c in subject.children if c.dep_ == "poss"), None)  # "the Kremlin's truce"
        texts = [self._np_text(t) for t in (subject, owner) if t is not None]
        names = {n.lower() for t in texts for n in (t, self.actors.canonical(t))}
        return any(n in who or any(f"{n}'s" in w for w in who) for n in names if len(n) > 3)

    def _according_to(self, tok: Token) -> str | None:
        for anc in _ancestors_and_self(tok):
            for c in anc.children:
                if c.lower_ == "according":
                    for to in c.children:
                        pobj = next((p for p in to.children if p.dep_ == "pobj"), None)
                        if pobj is not None:
                            return self.name_of(pobj)
        return None

    @staticmethod
    def subject_of(verb: Token) -> Token | None:
        cur: Token | None = verb
        while cur is not None:
            subj = next((c for c in cur.children if c.dep_ in ("nsubj", "csubj")), None)
            if subj is not None:
                return subj
            cur = cur.head if cur.dep_ in ("conj", "xcomp") and cur.head.i != cur.i else None
        return None

    def name_of(self, tok: Token) -> str | None:
        """The predictor's name as written: a PERSON inside the phrase, else the entity, else the phrase."""
        if tok.lower_ in self.first_person:
            return None
        if tok.lower_ in self.third_person and tok.pos_ == "PRON":
            return _previous_person(tok) or tok.text
        phrase = list(tok.subtree)
        for label in ("PERSON", "ORG", "NORP", "GPE"):
            for ent in entities(tok.doc):
                inside = ent.start >= phrase[0].i and ent.end <= phrase[-1].i + 1
                if ent.label_ == label and inside and (label == "PERSON" or ent.start <= tok.i < ent.end):
                    return ent.text
        return self._np_text(tok)

    @staticmethod
    def _np_text(tok: Token) -> str:
        keep = [tok] + [
            t
            for c in tok.children
            if c.dep_ in ("compound", "amod", "nmod", "poss", "det", "nummod", "case")
            or (c.dep_ == "prep" and c.lower_ == "of")
            for t in c.subtree
        ]
        ids = sorted(t.i for t in keep)
        span = tok.doc[ids[0] : ids[-1] + 1]
        text = span.text
        if len(span) > 1 and span[0].dep_ == "det" and span[0].lower_ in ("the", "a", "an"):
            text = span[1:].text
        return text


def _phrase_without(head: Token, clause: Token) -> str:
    """The noun phrase of ``head`` without ``clause`` and what follows it ("a movement towards X")."""
    tokens = [t for t in head.subtree if t.i < clause.left_edge.i]
    tokens = trim(tokens)
    if tokens and tokens[0].dep_ == "det":
        tokens = tokens[1:]
    return "".join(t.text_with_ws for t in tokens).strip()


def _ancestors_and_self(tok: Token) -> list[Token]:
    return [tok, *tok.ancestors]


def _subtree_text(tok: Token) -> str:
    return " ".join(t.text for t in tok.subtree)


def _previous_person(tok: Token) -> str | None:
    """The nearest PERSON named before a pronoun, in its sentence or the one before (no coreference)."""
    sent_start = tok.sent.start
    earlier = tok.doc[max(0, sent_start - 1)].sent.start if sent_start > 0 else sent_start
    people = [e for e in entities(tok.doc) if e.label_ == "PERSON" and earlier <= e.start and e.end <= tok.i]
    return people[-1].text if people else None


def _attributed_speaker(
    attributions: list[Attribution],
    start: int,
    end: int,
    non_holders: set[str] = frozenset(),  # type: ignore[assignment]
) -> str | None:
    """The speaker of the innermost attribution containing the span; a source that holds no view
    ("intelligence suggests ...") passes to the attribution around it."""
    containing = [a for a in attributions if a.start <= start and end <= a.end and a.speaker]
    containing.sort(key=lambda a: a.end - a.start)
    for a in containing:
        if a.speaker and a.speaker.lower() not in non_holders and a.speaker.lower().split()[-1] not in non_holders:
            return a.speaker
    return containing[0].speaker if containing else None


@Language.factory(
    "sitroom_predictions",
    requires=["doc.sents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None, "dates_lexicon_path": None},
)
def make_predictions(
    nlp: Language, name: str, lexicon_path: str | None, dates_lexicon_path: str | None
) -> PredictionExtractor:
    return PredictionExtractor(lexicon_path, dates_lexicon_path)


__all__ = ["PredictionExtractor", "make_predictions"]
