"""link/text.py: sentence bounds, content words and stems, figures, MinHash and Jaccard."""

from __future__ import annotations

import os
import subprocess
import sys

from sitroom.link.text import (
    content_words,
    jaccard,
    minhash,
    numbers,
    sentence_around,
    sentence_bounds,
    shingles,
    stable_hash,
    stem,
)


def pieces(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_bounds(text)]


# -- sentence bounds ------------------------------------------------------------------------------


def test_sentence_bounds_split_on_terminal_punctuation_and_keep_it():
    text = "Engineers rebuilt the ferry pier. Did the barges return?  Nobody knows!"
    assert pieces(text) == ["Engineers rebuilt the ferry pier.", "Did the barges return?", "Nobody knows!"]


def test_sentence_bounds_are_trimmed_offsets_into_the_text():
    text = "   The river rose overnight.   \n\n  Roads to Varnel closed.  "
    bounds = sentence_bounds(text)
    assert len(bounds) == 2
    for start, end in bounds:
        assert not text[start].isspace() and not text[end - 1].isspace()
    assert text[bounds[0][0] : bounds[0][1]] == "The river rose overnight."
    assert text[bounds[1][0] : bounds[1][1]] == "Roads to Varnel closed."


def test_sentence_bounds_closing_quote_stays_with_its_sentence():
    text = 'The mayor wrote: "We will stay." Crews left at dawn.'
    assert pieces(text) == ['The mayor wrote: "We will stay."', "Crews left at dawn."]


def test_sentence_bounds_break_at_headline_and_list_lines_but_not_wrapped_lines():
    text = "Flood warning for the valley\nResidents moved uphill\n- pumps arrived\nthe water kept\nrising slowly."
    assert pieces(text) == [
        "Flood warning for the valley",
        "Residents moved uphill",
        "- pumps arrived\nthe water kept\nrising slowly.",
    ]


def test_sentence_bounds_blank_line_ends_a_paragraph_without_punctuation():
    assert pieces("first paragraph has no stop\n\nsecond one neither") == [
        "first paragraph has no stop",
        "second one neither",
    ]


def test_sentence_bounds_of_empty_or_blank_text():
    assert sentence_bounds("") == []
    assert sentence_bounds("   \n\n  ") == []


def test_sentence_around_covers_the_sentences_a_span_touches():
    text = "One quiet morning. The convoy crossed the bridge. Then it rained."
    bounds = sentence_bounds(text)
    start = text.index("convoy")
    assert sentence_around(bounds, start, start + 6) == (text.index("The convoy"), text.index("Then") - 1)
    # a span across two sentences grows to both
    s, e = sentence_around(bounds, text.index("bridge"), text.index("rained"))
    assert text[s:e] == "The convoy crossed the bridge. Then it rained."


# -- words and stems ------------------------------------------------------------------------------


def test_stem_folds_inflections_together():
    assert stem("captured") == stem("captures") == stem("capturing")
    assert stem("talks") == stem("talk") == "talk"
    assert stem("batteries") == stem("battery")
    assert stem("Varnel's") == "varnel"
    assert stem("Varnel’s") == "varnel"  # typographic apostrophe


def test_stem_leaves_short_words_alone():
    for word in ("bus", "gas", "red", "was"):
        assert stem(word) == word


def test_content_words_drop_stopwords_digits_and_single_letters():
    words = content_words("On Monday the 3 engineers said a new bridge at Varnel is ready, and x marks it.")
    assert "monday" not in words and "the" not in words and "said" not in words
    assert "3" not in words and "x" not in words and "a" not in words
    assert words == ["engineer", "bridge", "varnel", "ready", "mark"]


def test_content_words_are_stemmed_and_lower_cased():
    assert content_words("Shelling Towns") == ["shell", "town"]


# -- figures --------------------------------------------------------------------------------------


def test_numbers_normalise_thousands_separators_and_trailing_stops():
    assert numbers("A cap of 600,000 troops, not 800,000.") == {"600000", "800000"}


def test_numbers_keep_decimals_years_and_small_counts():
    assert numbers("In 2031 the 4.5 km canal had 3 locks") == {"2031", "4.5", "3"}


def test_numbers_of_text_without_figures():
    assert numbers("no figures here, only words") == set()


# -- MinHash and Jaccard --------------------------------------------------------------------------


def test_shingles_are_word_five_grams_and_short_texts_become_one_shingle():
    assert shingles("one two three four five six") == {"one two three four five", "two three four five six"}
    assert shingles("Too Short") == {"too short"}
    assert shingles("") == set()


def test_minhash_is_deterministic_and_order_free():
    items = {"alpha beta", "gamma delta", "epsilon zeta"}
    a = minhash(items, 32)
    assert len(a) == 32
    assert a == minhash(list(reversed(sorted(items))), 32)
    assert a != minhash(items | {"eta theta"}, 32)


def test_minhash_of_nothing_is_the_maximum_everywhere():
    assert minhash([], 8) == tuple([2**32 - 1] * 8)


def test_minhash_is_the_same_in_another_process_with_another_hash_seed():
    code = (
        "from sitroom.link.text import minhash, shingles, stable_hash;"
        "print(stable_hash('Varnel bridge'), minhash(shingles('the ferry pier at Varnel was rebuilt in May'), 16))"
    )
    outputs = set()
    for seed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        outputs.add(run.stdout.strip())
    here = f"{stable_hash('Varnel bridge')} {minhash(shingles('the ferry pier at Varnel was rebuilt in May'), 16)}"
    assert outputs == {here}


def test_minhash_agreement_estimates_jaccard():
    a = {f"item {i}" for i in range(100)}
    b = {f"item {i}" for i in range(50, 150)}  # Jaccard 50/150 = 1/3
    sa, sb = minhash(a, 256), minhash(b, 256)
    agreement = sum(x == y for x, y in zip(sa, sb, strict=True)) / 256
    assert abs(agreement - jaccard(a, b)) < 0.12
    assert minhash(a, 64) == minhash(set(a), 64)


def test_jaccard_values():
    assert jaccard({"a", "b"}, {"b", "c"}) == 1 / 3
    assert jaccard({"a"}, {"a"}) == 1.0
    assert jaccard({"a"}, {"b"}) == 0.0
    assert jaccard(set(), {"a"}) == 0.0
    assert jaccard(set(), set()) == 0.0
    assert jaccard(frozenset({"x", "y"}), {"x"}) == 0.5


def test_ordinals_and_labels_are_not_figures():
    from sitroom.link.text import numbers

    assert numbers("its 23rd package names 184 tankers and 1,200 crew") == {"184", "1200"}
    assert numbers("an Su-34 was lost near 5G masts") == set()
