"""Quantities with units and what they are about (component ``sitroom_quantities``).

Found with rules over the text (lexicon: ``data/quantities.json``), then placed in the parse:

* money — "$140 billion" → 140000000000 USD, "€90bn" → EUR, "140 billion euros", "US$5m";
* percentages — "30%", "30 per cent" → unit ``%``; "2 percentage points";
* counts with a noun unit — "50,000 troops" → unit ``troops`` (the unit is the noun the number modifies,
  canonical plural from the lexicon, else the noun as written, lower-cased); "the 28-point plan" → 28
  ``points``; "100 days" → ``days``;
* numbers in words — "half a million", "two and a half times" → 2.5 ``times``; "by half" → 0.5
  ``ratio`` (text "by half"); a word number counts only with a scale word, a fraction preposition or a
  noun unit;
* bare numbers — "as small as 50,000" → 50000, unit ``None``;
* ranges — "600,000–800,000 troops", "between 5 and 10 billion dollars" → **one** fact whose ``value`` is
  the lower bound and whose ``text`` spans the whole range; ``quantity_range(fact)`` recovers both
  bounds from the text. ("from 800,000 to 600,000" is a change, not a range: two facts.)

Excluded: years and dates ("2022", "June 2024", "November 20", "1990s", "2025-11-20"), ordinals, list
markers ("(1)", "1)" or "1." at a line start), times of day ("10:30", "5 pm"), identifiers after a label
("point 5", "Article 5", "No. 7") and model names ("F-16", "S-400").

``about``: the noun phrase the quantity modifies ("$140 billion loan" → "loan"), its "of" complement
("30% of its oil" → "oil"), or the nearest governing noun phrase ("valued at $30 trillion" in "a fund
that is valued at ..." → "fund"); "container" nouns are followed into their complement ("a cap to the
size of the Ukrainian army ... 50,000" → "size of the Ukrainian army"). ``None`` without a parse.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..model import Quantity
from .base import add_fact, alternation, facts_of, load_data

DEFAULT_LEXICON = "quantities.json"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"


@dataclass(slots=True)
class QuantityMatch:
    start: int
    end: int
    value: float
    unit: str | None
    core_end: int  # end of the number itself (before a noun unit)
    words_only: bool = False  # a number in words with neither scale nor unit: needs a noun unit


class QuantityExtractor:
    """The ``sitroom_quantities`` component; ``find(text)`` is the parse-free part."""

    def __init__(self, lexicon_path: str | None = None) -> None:
        data: dict[str, Any] = load_data(lexicon_path, DEFAULT_LEXICON)
        self.symbols: dict[str, str] = data["currency_symbols"]
        self.codes: list[str] = data["currency_codes"]
        self.currency_words: dict[str, str] = data["currency_words"]
        self.scales: dict[str, float] = data["scales"]
        self.attached_only = set(data["attached_only_scales"])
        self.needs_currency = set(data["currency_only_scales"])
        self.percent: dict[str, str] = data["percent"]
        self.number_words: dict[str, int] = data["number_words"]
        self.fractions: dict[str, float] = data["fractions"]
        self.multipliers: dict[str, str] = data["multipliers"]
        self.units: dict[str, str] = data["units"]
        self.known_units = set(self.units.values())
        self.id_labels = set(data["id_labels"])
        self.measure_verbs = set(data["measure_verbs"])
        self.containers = set(data["container_nouns"])
        self.vague_heads = set(data["vague_heads"])
        words = [*self.number_words, "hundred", *(s for s in self.scales if len(s) > 2), "and", "a", "an", "half"]
        self._word_num = re.compile(rf"\b(?:{alternation(words)})(?:[\s-]+(?:{alternation(words)}))*\b", re.I)
        self._digits = re.compile(rf"(?<![\w.,:/])(?:{_DIGITS})(?![\d,]\d)")
        follow = alternation(data["fraction_followers"])
        self._fraction = re.compile(
            rf"\b(?:by\s+(?:{alternation(list(self.fractions))})|in\s+half)(?=\s*(?:[,.;:)!?]|$)|\s+(?:{follow})\b)",
            re.I,
        )
        self._sym_before = re.compile(rf"(?:{alternation(list(self.symbols))})\s?$|\b(?:{alternation(self.codes)})\s$")
        spaced = alternation([s for s in self.scales if s not in self.attached_only])
        self._scale_after = re.compile(
            rf"^(?:(?P<attached>{alternation(list(self.scales))})|\s(?P<spaced>{spaced}))\b", re.I
        )
        self._pct_after = re.compile(rf"^\s?(?:{alternation(list(self.percent))})(?!\w)", re.I)
        self._cur_after = re.compile(
            rf"^\s(?:{alternation(list(self.currency_words))}|{alternation(self.codes)})\b", re.I
        )
        self._mult_after = re.compile(rf"^(?:\s|-)(?:{alternation(list(self.multipliers))})\b", re.I)
        self._hyphen_unit = re.compile(r"^-([A-Za-z]+)\b")
        self._iso_date = re.compile(r"(?<![\d-])\d{4}-\d\d(?:-\d\d)?(?![\d-])")
        self._next_word = re.compile(r"^\s+([A-Za-z]+(?:\s+[A-Za-z]+)?)")
        self._range_after = re.compile(rf"^\s?(?:[-–—]|to)\s?(?:{alternation(list(self.symbols))})?(?={_DIGITS})", re.I)
        self._time_after = re.compile(rf"^(?::\d\d|\s?(?:{alternation(data['time_suffixes'])})(?!\w))", re.I)
        months = alternation(data["month_names"])
        self._month_near = re.compile(rf"\b(?:{months})\.?\s*$")
        self._month_after = re.compile(rf"^\s*(?:of\s+)?(?:{months})\b")

    # ------------------------------------------------------------------ pipeline
    def __call__(self, doc: Doc) -> Doc:
        facts_of(doc).setdefault("quantities", [])
        parsed = doc.has_annotation("DEP")
        text = doc.text  # rebuilt from the tokens on every read: read it once
        for m in self.find(text):
            unit, end = m.unit, m.end
            if unit is None:
                unit, end = self._noun_unit(doc, m) if parsed else self._lexicon_unit(text, m)
            year_like = m.unit is None and self._is_year_like(text[m.start : m.core_end])
            if year_like and unit not in self.known_units:  # "in 2022", "2022 elections"; "2000 troops" stays
                continue
            if unit is None and m.words_only:
                continue
            about = self._about(doc, m.start, end) if parsed else None
            fact = Quantity(
                start=m.start, end=end, value=_clean(m.value), unit=unit, text=text[m.start : end], about=about
            )
            add_fact(doc, "quantities", fact)
        return doc

    # ------------------------------------------------------------------ text rules
    def find(self, text: str) -> list[QuantityMatch]:
        """Quantities found in ``text`` without a parse (counts get their noun unit in ``__call__``)."""
        out: list[QuantityMatch] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        taken.extend((m.start(), m.end()) for m in self._iso_date.finditer(text))
        for m in self._fraction.finditer(text):
            phrase = re.sub(r"\s+", " ", m.group(0).lower()).split(" ", 1)[1]
            out.append(QuantityMatch(m.start(), m.end(), self.fractions[phrase], "ratio", m.end()))
            taken.append((m.start(), m.end()))
        cores = [(m.start(), m.end(), True) for m in self._digits.finditer(text)]
        cores += [(m.start(), m.end(), False) for m in self._word_num.finditer(text)]
        for start, end, is_digit in sorted(cores):
            if not free(start, end):
                continue
            found = self._expand(text, start, end, is_digit)
            if found is not None and free(found.start, found.end):
                out.append(found)
                taken.append((found.start, found.end))
        return sorted(out, key=lambda q: q.start)

    def _expand(self, text: str, start: int, end: int, is_digit: bool) -> QuantityMatch | None:
        core = text[start:end]
        if is_digit:
            value = float(core.replace(",", ""))
        else:
            core = re.sub(r"(?:[\s-]+(?:and|a|an))+$", "", core, flags=re.I)
            end = start + len(core)
            parsed = self._words_value(core)
            if parsed is None:
                return None
            value = parsed
        if not math.isfinite(value) or (is_digit and self._excluded(text, start, end)):
            return None
        unit: str | None = None
        sym = self._sym_before.search(text[max(0, start - 4) : start])
        if sym:
            unit = self.symbols.get(sym.group(0).strip()) or sym.group(0).strip().upper()
            start -= len(sym.group(0))
        low, high_end = value, end
        rng = self._range_after.match(text[end:]) if is_digit else None
        before = text[max(0, start - 10) : start].lower()
        if rng and not before.endswith("from "):
            high = re.match(_DIGITS, text[end + rng.end() :])
            if high:
                high_end = end + rng.end() + high.end()
        elif is_digit and before.endswith("between "):
            high = re.match(rf"\s+and\s+(?:{alternation(list(self.symbols))})?({_DIGITS})", text[end:])
            if high:
                high_end = end + high.end()
        end = high_end
        scale_m = self._scale_after.match(text[end:])
        if scale_m:
            word = (scale_m.group("attached") or scale_m.group("spaced")).lower()
            if scale_m.group("attached") and not is_digit:
                word = ""
            if word and (word not in self.needs_currency or unit):
                low *= self.scales[word]
                end += scale_m.end()
            elif scale_m.group("attached"):
                return None  # "5m" without a currency: metres or minutes, not millions
        elif re.match(r"^[A-Za-z]", text[end:]) and is_digit:
            return None  # "3rd", "90s", "5G"
        if unit is None:
            for rx, kind in ((self._pct_after, "pct"), (self._cur_after, "cur"), (self._mult_after, "mult")):
                u = rx.match(text[end:])
                if u:
                    word = re.sub(r"\s+", " ", u.group(0)).strip(" -").lower()  # \s covers no-break spaces
                    if kind == "pct":
                        unit = self.percent[word]
                    elif kind == "cur":
                        unit = self.currency_words.get(word, word.upper())
                    else:
                        unit = self.multipliers[word]
                    end += u.end()
                    break
        if unit is None:
            hyphen = self._hyphen_unit.match(text[end:])
            if hyphen and is_digit:
                unit = self.units.get(hyphen.group(1).lower(), hyphen.group(1).lower())
                end += hyphen.end()
        words_only = not is_digit and unit is None and not scale_m and not self._has_scale_word(core)
        if words_only and value < 2:
            return None
        return QuantityMatch(start, end, low, unit, end, words_only)

    def _excluded(self, text: str, start: int, end: int) -> bool:
        before, after = text[max(0, start - 20) : start], text[end : end + 12]
        if start >= 2 and text[start - 1] == "-" and (text[start - 2].isalpha() or text[start - 2].isdigit()):
            return True  # F-16, S-400, 2025-11-20 (the high end of a range is taken with its low end)
        if self._time_after.match(after):
            return True
        if before.endswith("(") and after.startswith(")"):
            return True  # (1)
        line_start = start == 0 or text[:start].rstrip(" \t").endswith("\n")
        if line_start and re.match(r"^[.)]\s", after):
            return True  # "1." / "1)" opening a line
        if self._month_near.search(before) or self._month_after.match(after):
            return True
        prev = re.search(r"([A-Za-z.]+)\s*$", before)
        return bool(prev and prev.group(1).lower() in self.id_labels)

    def _words_value(self, phrase: str) -> float | None:
        text = re.sub(r"\s+", " ", phrase.lower().replace("-", " "))
        text = text.replace("and a half", "+half").replace("a half", "half").replace("half a ", "half ")
        total, current, seen = 0.0, 0.0, False
        for word in text.split():
            word = word.lstrip("+")
            if word in self.number_words:
                current += self.number_words[word]
                seen = True
            elif word == "half":
                current += 0.5
                seen = True
            elif word in ("a", "an") and current == 0:
                current = 1
            elif word == "hundred":
                current = (current or 1) * 100
                seen = True
            elif word in self.scales:
                total += (current or 1) * self.scales[word]
                current, seen = 0.0, True
        if not seen or (total == 0 and current == 0):
            return None
        return total + current

    def _has_scale_word(self, core: str) -> bool:
        return any(w in self.scales for w in re.split(r"[\s-]+", core.lower()))

    def _lexicon_unit(self, text: str, m: QuantityMatch) -> tuple[str | None, int]:
        """Without a parse: the next word (or two) when the lexicon knows it as a unit."""
        nxt = self._next_word.match(text[m.end :])
        if nxt is None:
            return None, m.end
        words = nxt.group(1).split()
        for n in (2, 1):
            phrase = " ".join(words[:n]).lower()
            for form in (phrase, phrase[:-1] if phrase.endswith("s") else phrase):
                if len(words) >= n and form in self.units:
                    cut = nxt.group(0).rfind(words[n - 1]) + len(words[n - 1])
                    return self.units[form], m.end + cut
        return None, m.end

    @staticmethod
    def _is_year_like(core: str) -> bool:
        return re.fullmatch(r"(1[0-9]|20)\d\d", core) is not None

    # ------------------------------------------------------------------ parse
    def _noun_unit(self, doc: Doc, m: QuantityMatch) -> tuple[str | None, int]:
        span = doc.char_span(m.start, m.core_end, alignment_mode="expand")
        if span is None:
            return None, m.end
        last = span[-1]
        head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else None
        if head is None or head.i <= last.i or head.i - last.i > 3 or head.pos_ != "NOUN":
            nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
            if nxt is not None and nxt.lemma_.lower() in self.units and nxt.pos_ == "NOUN":
                head = nxt
            else:
                return None, m.end
        unit = self.units.get(head.lemma_.lower(), head.text.lower())
        return unit, head.idx + len(head)

    def _about(self, doc: Doc, start: int, end: int) -> str | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        root = span.root
        inside = {t.i for t in span}
        of = self._of_complement(root, inside)
        if of is not None:
            return of
        cur = root
        for _ in range(8):
            head = cur.head
            if head.i == cur.i:
                return None
            if head.pos_ in ("NOUN", "PROPN") and head.i not in inside and head.lower_ not in self.vague_heads:
                return self._noun_about(head, inside)
            if head.pos_ in ("VERB", "AUX"):
                if head.dep_ == "relcl":
                    return self._noun_about(head.head, inside)
                if head.lemma_.lower() not in self.measure_verbs:
                    break
                # "cut exports from 800,000 to 600,000" → exports; "the fund is valued at $30 trillion" → fund
                for dep in ("dobj", "nsubjpass", "nsubj"):
                    arg = next((c for c in head.children if c.dep_ == dep), None)
                    if arg is not None and arg.pos_ in ("NOUN", "PROPN") and arg.i not in inside:
                        return self._noun_about(arg, inside)
                break
            cur = head
        return self._preceding_container(root, inside)

    def _preceding_container(self, tok: Token, inside: set[int]) -> str | None:
        """Last resort: the nearest earlier container noun of the sentence that names what it measures."""
        sent = tok.sent
        for cand in reversed(tok.doc[max(sent.start, tok.i - 30) : tok.i]):
            if cand.lemma_.lower() in self.containers and cand.pos_ == "NOUN" and cand.i not in inside:
                about = self._container_complement(cand, inside)
                if about is not None:
                    return about
        return None

    def _of_complement(self, tok: Token, inside: set[int]) -> str | None:
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i not in inside:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return self._noun_about(pobj, inside)
        return None

    def _container_complement(self, noun: Token, inside: set[int], depth: int = 0) -> str | None:
        """ "cap to the size of the Ukrainian army" → "size of the Ukrainian army"; None without one."""
        for prep in noun.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "to", "on", "in", "for") and depth < 3:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is None or pobj.i in inside:
                    continue
                if pobj.lemma_.lower() in self.containers:
                    return self._container_complement(pobj, inside, depth + 1) or _text_of(
                        noun.doc[pobj.i : pobj.i + 1], inside
                    )
                return _text_of(noun.doc[noun.i : _phrase_end(pobj) + 1], inside)
        return None

    def _noun_about(self, noun: Token, inside: set[int]) -> str:
        if noun.lemma_.lower() in self.containers:
            about = self._container_complement(noun, inside) or self._preceding_container(noun, inside)
            if about is not None:
                return about
        left = [
            t
            for c in noun.lefts
            if c.dep_ in ("compound", "amod", "nmod") and c.i not in inside
            for t in c.subtree
            if t.i not in inside
        ]
        first = min([t.i for t in left], default=noun.i)
        return _text_of(noun.doc[first : noun.i + 1], inside)


def _phrase_end(tok: Token) -> int:
    """The last token of a noun phrase without its appositions, clauses and coordinations."""
    cut = ("appos", "punct", "relcl", "acl", "conj", "cc", "parataxis")
    return max([tok.i] + [_phrase_end(c) for c in tok.rights if c.dep_ not in cut])


def _text_of(span: Span, inside: set[int]) -> str:
    tokens = [t for t in span if t.i not in inside]
    while tokens and (tokens[0].dep_ in ("det", "poss", "case") or tokens[0].is_punct):
        tokens.pop(0)
    return "".join(t.text_with_ws for t in tokens).strip(" ,;:()")


def _clean(value: float) -> float:
    value = round(value, 6)
    return int(value) if abs(value) < 1e18 and value == int(value) else value


def quantity_range(fact: Quantity) -> tuple[float, float]:
    """The bounds of a quantity: ``(value, value)``, or ``(low, high)`` when its text is a range."""
    numbers = [float(n.replace(",", "")) for n in re.findall(_DIGITS, fact.text)]
    if len(numbers) < 2 or not numbers[0]:
        return fact.value, fact.value
    factor = fact.value / numbers[0]
    return fact.value, _clean(numbers[1] * factor)


@Language.factory(
    "sitroom_quantities",
    requires=["doc.ents"],
    assigns=["doc._.sitroom_facts", "doc.spans"],
    default_config={"lexicon_path": None},
)
def make_quantities(nlp: Language, name: str, lexicon_path: str | None) -> QuantityExtractor:
    return QuantityExtractor(lexicon_path)


__all__ = ["QuantityExtractor", "QuantityMatch", "make_quantities", "quantity_range"]
