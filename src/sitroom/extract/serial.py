"""Facts across process boundaries: msgpack hooks so ``nlp.pipe(n_process=2)`` can return docs whose
``doc._.sitroom_facts`` hold ``model`` dataclasses. Registered through the ``srsly_msgpack_encoders``
and ``srsly_msgpack_decoders`` entry points in pyproject.toml, not at import time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from ..model import FACT_KINDS, Fact

_TAG = "__sitroom_fact__"
_CLASSES: dict[str, type[Fact]] = {cls.__name__: cls for cls in FACT_KINDS.values()}


def encode_fact(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, Fact):
        return {_TAG: type(obj).__name__, **asdict(obj)}
    return obj if chain is None else chain(obj)


def decode_fact(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _TAG in obj:
        fields = dict(obj)
        cls = _CLASSES[fields.pop(_TAG)]
        return cls(**fields)
    return obj if chain is None else chain(obj)
