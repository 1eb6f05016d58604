"""store stage: a SQLite (or PostgreSQL) database of documents, their facts, and briefs.

    with Store.open(path_or_url) as store:      # None → $SITROOM_DB or the user data folder
        result = store.save(extraction)           # "new" | "unchanged" | "version"
        store.search("Pokrovsk")

Modules: ``database`` (Store), ``schema`` (tables), ``migrations`` (named recorded steps),
``dialect`` (the only SQLite/PostgreSQL-specific code), ``codec`` (dataclass ⇄ row),
``records`` (rows returned besides model dataclasses).
"""

from .database import ENV_VAR, Store, resolve_url
from .dialect import HIGHLIGHT_END, HIGHLIGHT_START
from .records import SaveResult, SaveStatus, SearchHit, StoredDocument, StoredFact

__all__ = [
    "ENV_VAR",
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "SaveResult",
    "SaveStatus",
    "SearchHit",
    "Store",
    "StoredDocument",
    "StoredFact",
    "resolve_url",
]
