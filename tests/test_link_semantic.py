"""LinkOptions.semantic_weight with a fake embedder (no torch), and link/semantic.py's MiniLMEmbedder."""

from __future__ import annotations

import importlib.util
import math
from collections.abc import Sequence

import pytest

from sitroom.errors import ConfigError
from sitroom.link import Claim, Linker, LinkOptions, link_claims, semantic
from sitroom.link.semantic import MiniLMEmbedder

# Two reports of one event in different words: they share one distinctive word ("pokrovsk"), which
# makes them candidates of each other, and little else (lexical cosine about 0.09).
SEIZED = (
    "Russian troops seized Pokrovsk on Monday after weeks of fighting",
    ("russian", "troops", "seized", "pokrovsk", "monday", "fighting"),
)
FELL = (
    "Pokrovsk fell, the defence ministry in Moscow announced",
    ("pokrovsk", "fell", "defence", "ministry", "moscow", "announced"),
)
# Shares no word or key with the two above.
TALKS = ("Negotiators met in Geneva to discuss a ceasefire", ("negotiators", "met", "geneva", "discuss", "ceasefire"))


def claim(n: int, text: str, words: tuple[str, ...]) -> Claim:
    return Claim(
        id=f"d{n}:0",
        document_id=f"d{n}",
        start=0,
        end=len(text),
        text=text,
        speaker=None,
        source=f"outlet {n}",
        published=None,
        certainty="asserted",
        words=words,
    )


class FakeEmbedder:
    """Unit vectors from a table (text → vector); counts its calls."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table
        self.calls: list[list[str]] = []

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        out = []
        for t in texts:
            v = self.table[t]
            n = math.sqrt(sum(x * x for x in v))
            out.append([x / n for x in v])
        return out


def grouping(claims: list[Claim], weight: float, embedder: FakeEmbedder, threshold: float = 0.25) -> list[set[str]]:
    groups = link_claims(claims, LinkOptions(semantic_weight=weight, threshold=threshold), embedder)
    return [{c.text for c in g.claims} for g in groups]


def pair() -> list[Claim]:
    return [claim(1, *SEIZED), claim(2, *FELL)]


def test_same_meaning_in_other_words_joins_at_weight_1_not_at_0():
    same = FakeEmbedder({SEIZED[0]: [1.0, 0.0], FELL[0]: [1.0, 0.0]})
    assert grouping(pair(), 0.0, same) == [{SEIZED[0]}, {FELL[0]}]
    assert grouping(pair(), 1.0, same) == [{SEIZED[0], FELL[0]}]
    # in between: (1 - w) * 0.09 + w * 1.0 reaches 0.25 from a small weight on
    assert grouping(pair(), 0.3, same) == [{SEIZED[0], FELL[0]}]


def test_unrelated_vectors_keep_lexical_neighbours_apart_when_the_weight_is_high():
    a, b = claim(1, *SEIZED), claim(2, SEIZED[0] + " again", SEIZED[1])  # the same words
    apart = FakeEmbedder({a.text: [1.0, 0.0], b.text: [0.0, 1.0]})
    assert grouping([a, b], 0.0, apart, threshold=0.5) == [{a.text, b.text}]
    assert grouping([a, b], 1.0, apart, threshold=0.5) == [{a.text}, {b.text}]


def test_similarity_is_the_documented_mix():
    claims = pair()
    embedder = FakeEmbedder({SEIZED[0]: [1.0, 0.0], FELL[0]: [0.6, 0.8]})  # cosine 0.6
    lexical = Linker(claims, LinkOptions()).similarity(*claims)
    assert 0.0 < lexical < 0.25
    for w in (0.3, 0.5, 0.7, 1.0):
        mixed = Linker(claims, LinkOptions(semantic_weight=w), embedder).similarity(*claims)
        assert mixed == pytest.approx((1 - w) * lexical + w * 0.6)


def test_weight_0_never_calls_the_embedder():
    embedder = FakeEmbedder({})
    link_claims(pair(), LinkOptions(semantic_weight=0.0), embedder)
    assert embedder.calls == []
    embedder = FakeEmbedder({SEIZED[0]: [1.0], FELL[0]: [1.0]})
    link_claims(pair(), LinkOptions(semantic_weight=0.5), embedder)
    assert len(embedder.calls) == 1 and sorted(embedder.calls[0]) == sorted([SEIZED[0], FELL[0]])


def test_candidates_still_come_from_shared_words_and_keys():
    # Identical vectors but no distinctive feature in common: never compared, so never grouped.
    claims = [claim(1, *SEIZED), claim(3, *TALKS)]
    same = FakeEmbedder({SEIZED[0]: [1.0, 0.0], TALKS[0]: [1.0, 0.0]})
    assert grouping(claims, 1.0, same) == [{SEIZED[0]}, {TALKS[0]}]


# -- MiniLMEmbedder -----------------------------------------------------------------------------------


def test_minilm_without_the_packages_raises_config_error(monkeypatch: pytest.MonkeyPatch):
    real = importlib.util.find_spec

    def no_torch(name: str, *args: object):
        return None if name == "torch" else real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(semantic.importlib.util, "find_spec", no_torch)
    with pytest.raises(ConfigError) as err:
        MiniLMEmbedder()
    assert "sitroom[semantic]" in str(err.value) and "torch" in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.skipif(semantic.available(), reason="the semantic extra is installed here")
def test_minilm_in_the_default_install_raises_config_error():
    with pytest.raises(ConfigError, match=r"install sitroom\[semantic\]"):
        MiniLMEmbedder()


@pytest.mark.slow
@pytest.mark.skipif(not semantic.available(), reason="needs the semantic extra (pip install 'sitroom[semantic]')")
def test_minilm_gives_unit_vectors_offline(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    embedder = MiniLMEmbedder(threads=1, batch_size=2)
    assert embedder.encode([]) == []
    texts = [SEIZED[0], FELL[0], TALKS[0]]
    vectors = embedder.encode(texts)
    assert [len(v) for v in vectors] == [MiniLMEmbedder.dimensions] * 3
    assert all(sum(x * x for x in v) == pytest.approx(1.0, abs=1e-4) for v in vectors)
    cos = [[sum(x * y for x, y in zip(a, b, strict=True)) for b in vectors] for a in vectors]
    assert cos[0][1] > cos[0][2] and cos[0][1] > cos[1][2]
