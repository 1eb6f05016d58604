"""store stage: a SQLite (or PostgreSQL) database of documents, their facts, and briefs.

    with Store.open(path_or_url) as store:      # None → $SITROOM_DB or the user data folder
        result = store.save(extraction)           # "new" | "unchanged" | "version"
        store.search("Pokrovsk")

Modules: ``database`` (Store), ``schema`` (tables), ``migrations`` (named recorded steps),
``dialect`` (the only SQLite/PostgreSQL-specific code), ``codec`` (dataclass ⇄ row),
``records`` (rows returned besides model dataclasses), ``linkresults`` (persisted claim groups),
``analysisresults`` (the stored analysis snapshot).
"""

from .database import ENV_VAR, Store, resolve_url
from .dialect import HIGHLIGHT_END, HIGHLIGHT_START
from .linkresults import GROUP_ORDERS, GroupOrder, GroupQuery
from .records import (
    AnalysisState,
    LinkState,
    SaveResult,
    SaveStatus,
    SearchHit,
    StoredClaim,
    StoredClaimGroup,
    StoredDocument,
    StoredFact,
    StoreGeneration,
)

__all__ = [
    "ENV_VAR",
    "GROUP_ORDERS",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "AnalysisState",
    "GroupOrder",
    "GroupQuery",
    "LinkState",
    "SaveResult",
    "SaveStatus",
    "SearchHit",
    "Store",
    "StoreGeneration",
    "StoredClaim",
    "StoredClaimGroup",
    "StoredDocument",
    "StoredFact",
    "resolve_url",
]
