"""The link stage: claims compared across documents and over time.

* :mod:`.claims` — the statements of a document (attributions and own-voice sentences) with keys.
* :mod:`.copies` — documents that copy another (syndication), found with MinHash.
* :mod:`.groups` — claims that say the same thing, grouped without comparing every pair.
* :mod:`.corpus` — the store read once for the analyse stage: facts with their voice and certainty,
  claims, copies and groups.
"""

from .claims import Claim, ClaimFact, claims_of
from .copies import DocumentText, find_copies
from .corpus import Corpus, DocInfo, FactRef, day_end
from .groups import ClaimGroup, Embedder, Linker, LinkOptions, link_claims

__all__ = [
    "Claim",
    "ClaimFact",
    "ClaimGroup",
    "Corpus",
    "DocInfo",
    "DocumentText",
    "Embedder",
    "FactRef",
    "LinkOptions",
    "Linker",
    "claims_of",
    "day_end",
    "find_copies",
    "link_claims",
]
