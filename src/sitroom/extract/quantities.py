"""Quantities with units and what they are about (component ``sitroom_quantities``).

Found with rules over the text (lexicon: ``data/quantities.json``), then placed in the parse:

* money — "$140 billion" → 140000000000 USD, "€90bn" → EUR, "140 billion euros", "US$5m";
* percentages — "30%", "30 per cent" → unit ``%``; "2 percentage points";
* counts with a noun unit — "50,000 troops" → unit ``troops`` (the unit is the noun the number modifies,
  canonical plural from the lexicon, else the noun as written, lower-cased); "the 28-point plan" → 28
  ``points``; "100 days" → ``days``;
* numbers in words — "half a million", "two and a half times" → 2.5 ``times``, "within a week" → 1
  ``weeks``; a word number counts only with a scale word or a known noun unit ("two sides" does not);
* fractions — "by half" 0.5, "a third" 0.333, "two-thirds" 0.667, "another fifth" 0.2 (unit ``ratio``);
  "a quarter of a million" is a count (250000);
* odds — "60/40", "50-50" → 60, 50 ``%``; "one chance in four" → 25 ``%``;
* bare numbers — "as small as 50,000" → 50000, unit ``None``, unless the neighbours give one: "from 28
  points to 19" → ``points``; a force size ("the army cap is 600,000", "an army of 800,000 men") →
  ``troops`` (other men are ``soldiers``); a bare "ninety billion" → the currency used before it;
* ranges — "600,000–800,000 troops", "between 5 and 10 billion dollars", "Sixty, maybe seventy percent"
  → **one** fact whose ``value`` is
  the lower bound and whose ``text`` spans the whole range; ``quantity_range(fact)`` recovers both
  bounds from the text. ("from 800,000 to 600,000" is a change, not a range: two facts.)

Excluded: years and dates ("2022", "June 2024", "November 20", "1990s", "2025-11-20"), ordinals, list
markers ("(1)", "1)" or "1." at a line start), times of day ("10:30", "5 pm"), identifiers after a label
("point 5", "Article 5", "No. 7"), model names ("F-16", "S-400"), plan names ("the 28-point plan"),
relative time ("two weeks ago") and counts of sources ("two people familiar with the talks").

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
from .base import add_fact, facts_of
from .lexicon import alternation, load_data

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
        self.multipliers: dict[str, str] = data["multipliers"]
        self.units: dict[str, str] = data["units"]
        self.known_units = set(self.units.values()) | {"people"}
        self.currency_units = set(self.symbols.values()) | set(self.codes) | set(self.currency_words.values())
        self.id_labels = set(data["id_labels"])
        self.measure_verbs = set(data["measure_verbs"])
        self.containers = set(data["container_nouns"])
        self.vague_heads = set(data["vague_heads"])
        self.denominators: dict[str, int] = data["fraction_denominators"]
        self.numerators: dict[str, int] = data["fraction_numerators"]
        self.not_before_half = set(data["ordinal_before_half"])
        self.people_nouns = set(data["people_nouns"])
        self.force_nouns = set(data["force_nouns"])
        self.name_hyphen_units = set(data["name_hyphen_units"])
        self.currency_context: dict[str, str] = data["currency_context"]
        self._army_size = re.compile(rf"\b(?:{alternation(data['army_size_words'])})\b", re.I)
        self._source = re.compile(
            rf"^(?:{alternation(data['source_nouns'])})\s+(?:{alternation(data['source_followers'])})\b", re.I
        )
        self._relative_after = re.compile(rf"^\s+(?:{alternation(data['relative_after'])})\b", re.I)
        self._unit_link = re.compile(rf"\s*(?:{alternation(data['unit_links'])})\.?\s*", re.I)
        self._currency_words = re.compile(rf"\b(?:{alternation(list(self.currency_context))})\b", re.I)
        qual = alternation(data["qualifiers"])
        self._fraction_rx = re.compile(
            rf"\b(?:(?P<by>by|in)\s+(?:(?:{qual})\s+)?)?(?:(?P<num>{alternation(list(self.numerators))})[\s-]+)?"
            rf"(?P<den>{alternation(list(self.denominators))})\b",
            re.I,
        )
        self._of_scale = re.compile(
            rf"^\s+of\s+an?\s+(?P<scale>{alternation([s for s in self.scales if len(s) > 3])})\b", re.I
        )
        self._follow = re.compile(
            rf"^(?:\s*(?:[,.;:)!?]|$)|\s+(?:of|{alternation(data['fraction_followers'])})\b)", re.I
        )
        self._odds = re.compile(r"(?<![\w.,/-])(\d{1,2})\s?[/-]\s?(\d{1,2})(?![\w/-]|[.,]\d|\s?(?:%|per))")
        nums = alternation([*self.number_words, "a", "an"])
        self._chance = re.compile(
            rf"\b(?P<k>{nums})\s+(?:chances?\s+)?in\s+(?P<n>{alternation(list(self.number_words))}|\d{{1,3}})\b", re.I
        )
        self._single = re.compile(
            rf"\b(?:{alternation(data['duration_preceders'])})\s+(?P<q>an?\s+(?P<u>{alternation(data['single_durations'])}))\b",
            re.I,
        )
        self.measure_units: dict[str, str] = data["measure_units"]
        self.signed_units = set(data["signed_units"])
        self._measure_after = re.compile(rf"^\s?({alternation(list(self.measure_units))})(?![A-Za-z])")
        self.multiplier_verbs: dict[str, int] = data["multiplier_verbs"]
        self._multiplier_verb = re.compile(
            rf"\b({alternation(list(self.multiplier_verbs))})\b"
            rf"(?=\s*(?:[,.;:)!?]|$)|\s+(?:{alternation(data['multiplier_followers'])})\b)",
            re.I,
        )
        joiners = alternation(data["range_joiners"])
        self._word_range = re.compile(rf"^(?:\s*(?:to|or|-|–)\s*|,\s*(?:{joiners})\s+)(?=[A-Za-z])", re.I)
        words = [*self.number_words, "hundred", *(s for s in self.scales if len(s) > 2), "and", "a", "an", "half"]
        self._word_num = re.compile(rf"\b(?:{alternation(words)})(?:[\s-]+(?:{alternation(words)}))*\b", re.I)
        self._digits = re.compile(rf"(?<![\w.,:/])(?:{_DIGITS})(?![\d,]\d)")
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
        found: list[Quantity] = []
        for m in self.find(text):
            unit, end = m.unit, m.end
            if unit is None:
                unit, end = self._noun_unit(doc, m) if parsed else self._lexicon_unit(text, m)
            year_like = m.unit is None and self._is_year_like(text[m.start : m.core_end])
            if year_like and unit not in self.known_units:  # "in 2022", "2022 elections"; "2000 troops" stays
                continue
            if m.words_only and unit not in self.known_units:  # "two sides", "six main changes"
                continue
            if self._relative_after.match(text[end:]) or self._source.match(text[m.core_end :].lstrip()):
                continue  # "two weeks ago"; "two people familiar with the talks" count sources
            unit = self._context_unit(text, m, unit, end, found)
            about = self._about(doc, m.start, end) if parsed else None
            fact = Quantity(
                start=m.start, end=end, value=_clean(m.value), unit=unit, text=text[m.start : end], about=about
            )
            found.append(fact)
            add_fact(doc, "quantities", fact)
        return doc

    def _context_unit(
        self, text: str, m: QuantityMatch, unit: str | None, end: int, found: list[Quantity]
    ) -> str | None:
        """A unit the number's neighbours give it: "from 28 points to 19" → points; a bare 600,000 in a
        sentence about an army's size → troops; "the ninety billion" after "€90 billion" → EUR."""
        prev = found[-1] if found else None
        sentence = _sentence_around(text, m.start, end)
        if unit in ("soldiers", "troops") and text[m.core_end : end].strip().lower() in self.force_nouns:
            return "troops" if self._army_size.search(sentence) else "soldiers"
        if unit is not None:
            return unit
        if prev is not None and prev.unit and self._unit_link.fullmatch(text[prev.end : m.start]):
            return prev.unit
        if m.value >= 1e9:  # a bare "ninety billion": money, in the currency the text has been using
            earlier = [q.unit for q in found if q.unit in self.currency_units]
            if earlier:
                return earlier[-1]
            context = text[sentence_start(text, max(0, sentence_start(text, m.start) - 2)) : end]
            cur = {self.currency_context[w.lower()] for w in self._currency_words.findall(context)}
            return cur.pop() if len(cur) == 1 else None
        if m.value >= 1000 and not self._is_year_like(text[m.start : m.core_end]):
            recent = prev is not None and prev.unit == "troops" and m.start - prev.end < 300
            if self._army_size.search(sentence) or recent:
                return "troops"
        return None

    # ------------------------------------------------------------------ text rules
    def find(self, text: str) -> list[QuantityMatch]:
        """Quantities found in ``text`` without a parse (counts get their noun unit in ``__call__``)."""
        out: list[QuantityMatch] = []
        taken: list[tuple[int, int]] = []

        def free(s: int, e: int) -> bool:
            return all(e <= a or s >= b for a, b in taken)

        taken.extend((m.start(), m.end()) for m in self._iso_date.finditer(text))
        doubles = [
            QuantityMatch(m.start(), m.end(), float(self.multiplier_verbs[m.group(1).lower()]), "ratio", m.end())
            for m in self._multiplier_verb.finditer(text)
        ]
        for q in (*self._odds_matches(text), *self._fraction_matches(text), *self._single_durations(text), *doubles):
            if free(q.start, q.end):
                out.append(q)
                taken.append((q.start, q.end))
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

    def _odds_matches(self, text: str) -> list[QuantityMatch]:
        """Odds as a percentage: "60/40" and "50-50" → 60 and 50 %, "one chance in four" → 25 %."""
        out = [
            QuantityMatch(m.start(), m.end(), float(m.group(1)), "%", m.end())
            for m in self._odds.finditer(text)
            if int(m.group(1)) + int(m.group(2)) == 100
        ]
        for m in self._chance.finditer(text):
            k = 1 if m.group("k").lower() in ("a", "an") else self.number_words[m.group("k").lower()]
            n_word = m.group("n").lower()
            n = int(n_word) if n_word.isdigit() else self.number_words[n_word]
            if 0 < k < n:
                out.append(QuantityMatch(m.start(), m.end(), round(100 * k / n, 1), "%", m.end()))
        return out

    def _fraction_matches(self, text: str) -> list[QuantityMatch]:
        """ "by half", "a third", "two-thirds", "another fifth" → ratio; "a quarter of a million" → 250000."""
        out: list[QuantityMatch] = []
        for m in self._fraction_rx.finditer(text):
            den_word, num_word = m.group("den").lower(), (m.group("num") or "").lower()
            den, num = self.denominators[den_word], self.numerators.get(num_word, 1)
            after = text[m.end() :]
            by = m.group("by") if m.group("by") and (m.group("by").lower() == "by" or den_word == "half") else None
            start = m.start() if by and m.group(0).lower().split()[1] == (num_word or den_word) else None
            if start is None:
                start = m.start("num") if num_word else m.start("den")
            scale = self._of_scale.match(after)
            if scale and num_word:  # "a quarter of a million": a count, its unit comes from the noun
                value = num / den * self.scales[scale.group("scale").lower()]
                out.append(QuantityMatch(start, m.end() + scale.end(), value, None, m.end() + scale.end()))
                continue
            if den_word == "half":
                before = re.findall(r"[a-z]+", text[max(0, m.start() - 12) : m.start()].lower())
                ok = bool(by) or (after.lower().lstrip().startswith("of ") and not num_word)
                if not ok or (not by and before and before[-1] in self.not_before_half):
                    continue
            elif not (num > 1 and den_word.endswith("s")) and not num_word:
                continue  # "third", "quarter" alone: an ordinal or a district
            elif num == 1 and not by and not self._follow.match(after):
                continue  # "a third party", "a quarter century"
            out.append(QuantityMatch(start, m.end(), round(num / den, 3), "ratio", m.end()))
        return out

    def _single_durations(self, text: str) -> list[QuantityMatch]:
        """ "within a week", "for an hour" → 1 week / 1 hour."""
        out = []
        for m in self._single.finditer(text):
            if self._relative_after.match(text[m.end() :]):
                continue
            unit = self.units[m.group("u").lower()]
            out.append(QuantityMatch(m.start("q"), m.end("q"), 1.0, unit, m.end("q")))
        return out

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
        if not is_digit and (joiner := self._word_range.match(text[end:])):
            second = self._word_num.match(text, end + joiner.end())
            if second and self._words_value(second.group(0)) is not None:
                high_end = second.end()
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
        if unit is None and (measure := self._measure_after.match(text[end:])):
            unit = self.measure_units[re.sub(r"\s+", " ", measure.group(1))]
            end += measure.end()
            sign = re.search(r"(?:\bminus\s+|(?<![\w-])-)$", text[max(0, start - 7) : start], re.I)
            if sign and unit in self.signed_units:  # "-20°C", "minus 15 degrees"
                low, start = -low, start - len(sign.group(0))
        if unit is None:
            hyphen = self._hyphen_unit.match(text[end:])
            if hyphen and is_digit:
                word = hyphen.group(1).lower()
                if word in self.name_hyphen_units and re.match(r"^\s+[a-z]", text[end + hyphen.end() :]):
                    return None  # "the 28-point plan" names a plan
                unit = self.units.get(word, word)
                end += hyphen.end()
        words_only = not is_digit and unit is None and not scale_m and not self._has_scale_word(core)
        if words_only and value < 2:
            return None
        return QuantityMatch(start, end, low, unit, end, words_only)

    def _excluded(self, text: str, start: int, end: int) -> bool:
        before, after = text[max(0, start - 20) : start], text[end : end + 12]
        if start >= 2 and text[start - 1] == "-" and (text[start - 2].isalpha() or text[start - 2].isdigit()):
            return True  # F-16, S-400, 2025-11-20 (the high end of a range is taken with its low end)
        if self._time_after.match(after) or re.match(r"^/\d", after):
            return True  # 10:30, 24/7
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
        if words[0].lower() in self.people_nouns:
            return "people", m.end + nxt.group(0).find(words[0]) + len(words[0])
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
        nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if nxt is not None and nxt.lower_ in self.people_nouns:  # "six million Ukrainians"
            return "people", nxt.idx + len(nxt)
        head = last.head if last.dep_ in ("nummod", "quantmod", "compound") else None
        if head is None or head.i <= last.i or head.i - last.i > 3 or head.pos_ != "NOUN":
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


def sentence_start(text: str, pos: int) -> int:
    """Start of the sentence (or line) around ``pos``, by punctuation."""
    cut = max(text.rfind(c, 0, pos) for c in (". ", "! ", "? ", "\n", "; "))
    return cut + 1 if cut >= 0 else 0


def _sentence_around(text: str, start: int, end: int) -> str:
    stops = [i for i in (text.find(c, end) for c in (". ", "! ", "? ", "\n")) if i >= 0]
    return text[sentence_start(text, start) : min(stops, default=len(text))]


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
