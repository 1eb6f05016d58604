"""The optional LLM extractor: any OpenAI-compatible chat endpoint (Ollama, llama.cpp, vLLM, a hosted API).

``build_extractor(settings)`` returns the rule pipeline or an :class:`LLMExtractor`. The LLM
extractor sends each ~6,000-character chunk of a document, with its metadata, to
``{base_url}/chat/completions``; the model answers with facts that *quote* their evidence, and the
quotes are located in the text here (exactly, then ignoring case/whitespace/typographic quotes, then
by fuzzy alignment), so every offset is ours and ``text[start:end]`` is the evidence. Items that fail
validation or quote text that is not there are dropped and counted. Names go through the actor
index, places through the gazetteer (the model's coordinates are never asked for).

Answers are cached on disk by chunk, model and ``PROMPT_VERSION``. Timeouts, connection errors,
429 and 5xx are retried with backoff; when the endpoint still fails, or answers with something that
is not JSON, the document goes through the rule pipeline instead, with one warning.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
import platformdirs
from pydantic import ValidationError

from ..config import ENV_VARS, Settings
from ..errors import ExtractionError
from ..model import Attribution, Document, Extraction, Fact, Hedge, Place, Prediction, Provision, Quantity, Stance
from .actors import ActorIndex
from .gazetteer import Gazetteer
from .llm_prompt import (
    AUTHOR,
    CHUNK_CHARS,
    EVIDENCE_FIELD,
    ITEM_MODELS,
    PROMPT_VERSION,
    SYSTEM_PROMPT,
    AttributionItem,
    HedgeItem,
    Item,
    PlaceItem,
    PredictionItem,
    ProvisionItem,
    QuantityItem,
    SpanFinder,
    StanceItem,
    parse_json_object,
    split_text,
    user_message,
)

if TYPE_CHECKING:
    from .pipeline import Extractor

log = logging.getLogger("sitroom.llm")

RETRIES = 3  # after the first attempt; waits 1 s, 2 s, 4 s
BACKOFF = 1.0
MAX_RETRY_AFTER = 30.0  # a server's Retry-After is honoured up to this many seconds
GIVE_UP_AFTER = 3  # documents in a row on which the endpoint failed before the rest go to the rules


class SupportsExtract(Protocol):
    def extract(self, document: Document) -> Extraction: ...


class ExtractorLike(SupportsExtract, Protocol):
    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]: ...


def build_extractor(settings: Settings, *, rules: Extractor | None = None) -> ExtractorLike:
    """The extractor ``settings.extractor`` names; the rule pipeline is also the LLM's fallback."""
    if settings.extractor == "rules":
        if rules is not None:
            return rules
        from .pipeline import Extractor

        return Extractor()
    settings.require_llm()
    return LLMExtractor(settings, fallback=rules if rules is not None else _LazyRules())


class _LazyRules:
    """The rule pipeline, loaded (about a second) only if a document falls back to it."""

    def __init__(self) -> None:
        self._extractor: Extractor | None = None

    def extract(self, document: Document) -> Extraction:
        if self._extractor is None:
            from .pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor.extract(document)


class LLMFailure(ExtractionError):
    """The endpoint gave no usable answer (caught: the document falls back to the rules).

    ``systemic``: the endpoint itself failed, so other documents will likely fail too."""

    def __init__(self, message: str, *, systemic: bool = True) -> None:
        super().__init__(message)
        self.systemic = systemic


# ------------------------------------------------------------------ the extractor


@dataclass(slots=True)
class _Tally:
    """What happened to the model's items in one document: how many, which were dropped and why."""

    total: int = 0
    invalid: Counter[str] = field(default_factory=Counter)
    unlocated: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str | None:
        reasons = ((self.invalid, "invalid"), (self.unlocated, "quoting text not in the document"))
        parts = [
            f"{c.total()} {label} ({', '.join(f'{k} {n}' for k, n in sorted(c.items()))})" for c, label in reasons if c
        ]
        if not parts:
            return None
        return f"dropped {self.invalid.total() + self.unlocated.total()} of {self.total} items: " + "; ".join(parts)


class LLMExtractor:
    """Extracts facts with an OpenAI-compatible chat endpoint; falls back to ``fallback`` per document.

    After each document, ``last_warnings`` holds the lines worth showing a user (a fallback, dropped
    items) and ``last_backend`` says what produced the result: ``llm``, ``cache`` or ``rules``.
    """

    def __init__(
        self,
        settings: Settings,
        fallback: SupportsExtract,
        client: httpx.Client | None = None,
        cache_dir: Path | None = None,
        sleep: Callable[[float], None] = time.sleep,
        *,
        cache: bool = True,
        retries: int = RETRIES,
        backoff: float = BACKOFF,
        chunk_chars: int = CHUNK_CHARS,
        gazetteer: Gazetteer | None = None,
        actors: ActorIndex | None = None,
        actors_paths: Iterable[str] | None = None,
    ) -> None:
        settings.require_llm()
        self.settings = settings
        self.fallback = fallback
        self.url = f"{settings.llm_base_url}/chat/completions"
        self._own_client = client is None
        self.client = client if client is not None else httpx.Client(timeout=settings.llm_timeout)
        self.cache_dir = (cache_dir or Path(platformdirs.user_cache_dir("sitroom")) / "llm") if cache else None
        self.sleep = sleep
        self.retries = retries
        self.backoff = backoff
        self.chunk_chars = chunk_chars
        self._gazetteer = gazetteer
        self._actors = actors
        self._actors_paths = list(actors_paths) if actors_paths is not None else _user_actor_files()
        self._failures_in_a_row = 0
        self.last_warnings: list[str] = []
        self.last_backend = ""

    # -------------------------------------------------------------- public API
    def extract(self, document: Document) -> Extraction:
        self.last_warnings = []
        if self._failures_in_a_row >= GIVE_UP_AFTER:
            self.last_backend = "rules"
            return self.fallback.extract(document)
        pieces = split_text(document.text, self.chunk_chars)
        try:
            results = [self._answer(document, i, piece, len(pieces)) for i, (_, piece) in enumerate(pieces)]
        except LLMFailure as exc:
            self._failures_in_a_row = self._failures_in_a_row + 1 if exc.systemic else 0
            line = f"LLM extractor failed on {_label(document)}: {exc}; used the rule pipeline instead"
            if self._failures_in_a_row >= GIVE_UP_AFTER:
                line += f" (and will for the rest of this run: the endpoint failed {GIVE_UP_AFTER} times in a row)"
            self._warn(line)
            self.last_backend = "rules"
            return self.fallback.extract(document)
        self._failures_in_a_row = 0
        self.last_backend = "cache" if all(cached for _, cached in results) else "llm"
        return self._assemble(document, pieces, [answer for answer, _ in results])

    def extract_many(self, documents: Iterable[Document]) -> Iterator[Extraction]:
        for document in documents:
            yield self.extract(document)

    def close(self) -> None:
        if self._own_client:
            self.client.close()

    def __enter__(self) -> LLMExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -------------------------------------------------------------- resources, built once
    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = Gazetteer.build()
        return self._gazetteer

    @property
    def actors(self) -> ActorIndex:
        if self._actors is None:
            self._actors = ActorIndex.load(self._actors_paths)
        return self._actors

    def _warn(self, line: str) -> None:
        log.warning("%s", line)
        self.last_warnings.append(line)

    # -------------------------------------------------------------- asking, with cache and retries
    def _answer(self, document: Document, index: int, piece: str, parts: int) -> tuple[dict[str, Any], bool]:
        """The parsed answer for one chunk, and whether it came from the cache."""
        key = self._cache_key(document, index, piece)
        cached = self._cache_get(key)
        if cached is not None:
            return cached, True
        messages = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": user_message(document, piece, index, parts)},
        ]
        body = self._post({"model": self.settings.llm_model, "messages": messages, "temperature": 0,
                           "stream": False, "response_format": {"type": "json_object"}})  # fmt: skip
        try:
            choice = body["choices"][0]
            content = choice["message"]["content"]
            if isinstance(content, list):  # content parts
                content = "".join(p.get("text", "") for p in content if isinstance(p, dict))
        except (KeyError, IndexError, TypeError):
            raise LLMFailure("the endpoint's reply is not a chat completion", systemic=False) from None
        answer = parse_json_object(content) if isinstance(content, str) else None
        if answer is None:
            truncated = " (cut off at the token limit)" if choice.get("finish_reason") == "length" else ""
            raise LLMFailure(f"the model's answer is not a JSON object{truncated}", systemic=False)
        self._cache_put(key, document, index, answer)
        return answer, False

    def _post(self, payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.settings.llm_api_key}"} if self.settings.llm_api_key else {}
        reason = ""
        attempt = 0
        while True:
            wait: float | None = None
            try:
                response = self.client.post(
                    self.url, json=payload, headers=headers, timeout=self.settings.llm_timeout, follow_redirects=False
                )
            except httpx.TimeoutException:
                reason = f"no answer within {self.settings.llm_timeout:g} s"
            except httpx.TransportError as exc:
                reason = f"cannot reach {self.url} ({exc.__class__.__name__}: {exc})"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    try:
                        body = response.json()
                    except ValueError:
                        raise LLMFailure("the endpoint's reply is not JSON", systemic=False) from None
                    if not isinstance(body, dict):
                        raise LLMFailure("the endpoint's reply is not a chat completion", systemic=False)
                    return body
                if status in (400, 422) and "response_format" in payload:
                    # some servers reject JSON mode; the answer is parsed leniently anyway
                    payload = {k: v for k, v in payload.items() if k != "response_format"}
                    log.info("%s rejected response_format (HTTP %s); asking again without it", self.url, status)
                    continue
                reason = f"HTTP {status} from {self.url}{_error_detail(response)}"
                if status != 429 and status < 500:
                    raise LLMFailure(reason + _hint(status))
                wait = _retry_after(response)
            if attempt >= self.retries:
                tries = f"{attempt + 1} attempts" if attempt else "1 attempt"
                raise LLMFailure(f"{reason} ({tries})")
            delay = min(wait, MAX_RETRY_AFTER) if wait is not None else self.backoff * 2**attempt
            log.info("%s; retrying in %.1f s", reason, delay)
            self.sleep(delay)
            attempt += 1

    def _cache_key(self, document: Document, index: int, piece: str) -> str:
        ref = document.reference_date
        parts = (document.id, str(index), hashlib.sha256(piece.encode("utf-8")).hexdigest(),
                 self.settings.llm_model or "", PROMPT_VERSION, ref.isoformat() if ref else "")  # fmt: skip
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def _cache_get(self, key: str) -> dict[str, Any] | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / key[:2] / f"{key}.json"
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.debug("ignoring unreadable cache entry %s (%s)", path, exc)
            return None
        answer = record.get("answer") if isinstance(record, dict) else None
        return answer if isinstance(answer, dict) else None

    def _cache_put(self, key: str, document: Document, index: int, answer: dict[str, Any]) -> None:
        if self.cache_dir is None:
            return
        path = self.cache_dir / key[:2] / f"{key}.json"
        created = datetime.now(UTC).isoformat(timespec="seconds")
        record = {"prompt_version": PROMPT_VERSION, "model": self.settings.llm_model, "document_id": document.id,
                  "chunk": index, "created": created, "answer": answer}  # fmt: skip
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            log.warning("cannot write the LLM cache under %s (%s); answers will not be reused", self.cache_dir, exc)

    # -------------------------------------------------------------- answer → facts
    def _assemble(self, document: Document, pieces: list[tuple[int, str]], answers: list[dict[str, Any]]) -> Extraction:
        extraction = Extraction(document=document)
        author = document.author or document.source or "the author"
        tally = _Tally()
        for (offset, piece), answer in zip(pieces, answers, strict=True):
            self._add_chunk(extraction, offset, piece, answer, author, tally)
        _sort(extraction)
        summary = tally.summary()
        if summary:
            self._warn(f"LLM answer for {_label(document)}: {summary}")
        return extraction

    def _add_chunk(self, extraction: Extraction, offset: int, piece: str, answer: Mapping[str, Any], author: str,
                   tally: _Tally) -> None:  # fmt: skip
        finder = SpanFinder(piece)
        base = len(extraction.attributions)
        kept: dict[int, int] = {}  # the model's attribution index → index in extraction.attributions
        parents: list[tuple[int, int]] = []  # (our index, the model's parent index)
        for kind, model in ITEM_MODELS.items():
            raw = answer.get(kind) or []
            if not isinstance(raw, list):
                raw = [raw]
            facts: list[Fact] = getattr(extraction, kind)
            after, taken = 0, [f.start - offset for f in facts if f.start >= offset]
            for n, data in enumerate(raw):
                tally.total += 1
                try:
                    item = model.model_validate(data)
                except ValidationError:
                    tally.invalid[kind] += 1
                    continue
                span = finder.find(getattr(item, EVIDENCE_FIELD[kind]), near=item.start, after=after, taken=taken)
                if span is None:
                    tally.unlocated[kind] += 1
                    continue
                start, end = span
                after, taken = start, [*taken, start]
                fact = self._fact(item, start + offset, end + offset, piece[start:end], author)
                if fact in facts:
                    if isinstance(fact, Attribution):
                        kept[n] = facts.index(fact)
                    continue
                if isinstance(item, AttributionItem):
                    kept[n] = len(facts)
                    if item.parent is not None:
                        parents.append((len(facts), item.parent))
                facts.append(fact)
        for ours, theirs in parents:
            parent = kept.get(theirs)
            if parent is not None and parent != ours and parent >= base:
                extraction.attributions[ours].parent = parent
        if finder.repaired:
            log.info("repaired %d quote(s) that differed from the text in case, spacing or quotes", finder.repaired)

    def _fact(self, item: Item, start: int, end: int, quoted: str, author: str) -> Fact:
        def who(name: str | None) -> str | None:
            if name is None:
                return None
            return author if name.strip().upper() == AUTHOR else self.actors.canonical(name)

        if isinstance(item, AttributionItem):
            return Attribution(start, end, speaker=who(item.speaker) or author, cue=item.cue, content=quoted,
                               certainty=item.certainty)  # fmt: skip
        if isinstance(item, HedgeItem):
            return Hedge(start, end, text=quoted, kind=item.kind)
        if isinstance(item, PlaceItem):
            return self._place(item, start, end, quoted, who(item.by))
        if isinstance(item, ProvisionItem):
            return Provision(start, end, topic=item.topic, text=quoted, number=item.number, plan=item.plan)
        if isinstance(item, StanceItem):
            return Stance(start, end, actor=who(item.actor) or author, target=item.target, stance=item.stance)
        if isinstance(item, PredictionItem):
            return Prediction(start, end, by=who(item.by) or author, what=item.what, deadline=item.deadline,
                              conditional=item.conditional)  # fmt: skip
        if isinstance(item, QuantityItem):
            return Quantity(start, end, value=item.value, unit=item.unit, text=quoted, about=item.about)
        raise TypeError(f"no fact for {type(item).__name__}")

    def _place(self, item: PlaceItem, start: int, end: int, mention: str, by: str | None) -> Place:
        """Coordinates from the gazetteer (the mention, else the model's name); none if it does not know it."""
        entry = self.gazetteer.lookup(mention) or (self.gazetteer.lookup(item.name) if item.name else None)
        if entry is None:
            return Place(start, end, name=item.name or mention, mention=mention, lat=None, lon=None, country=None,
                         admin1=None, status=item.status, by=by)  # fmt: skip
        return Place(start, end, name=entry.name, mention=mention, lat=entry.lat, lon=entry.lon,
                     country=entry.country, admin1=entry.admin1, status=item.status, by=by,
                     geonameid=entry.geonameid, feature=entry.feature)  # fmt: skip


# ------------------------------------------------------------------ small helpers


def _sort(extraction: Extraction) -> None:
    """Facts in text order; attribution parents follow their attributions."""
    for kind in ("hedges", "places", "provisions", "stances", "predictions", "quantities"):
        getattr(extraction, kind).sort(key=lambda f: (f.start, f.end))
    old = extraction.attributions
    order = sorted(range(len(old)), key=lambda i: (old[i].start, old[i].end))
    new_index = {o: n for n, o in enumerate(order)}
    extraction.attributions = [old[i] for i in order]
    for fact in extraction.attributions:
        if fact.parent is not None:
            fact.parent = new_index[fact.parent]


def _label(document: Document) -> str:
    return document.origin or document.title or document.id


def _user_actor_files() -> list[str]:
    """The same files as ``pipeline.user_actor_files`` (not imported from there: that module loads spaCy)."""
    return [str(Path("~/.config/sitroom/actors.json").expanduser()), str(Path.cwd() / "actors.json")]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
        detail = body.get("error", body) if isinstance(body, dict) else body
        if isinstance(detail, dict):
            detail = detail.get("message", detail)
        text = str(detail)
    except ValueError:
        text = response.text
    text = " ".join(text.split())[:200]
    return f": {text}" if text else ""


def _hint(status: int) -> str:
    if status in (401, 403):
        return f" — check {ENV_VARS['llm_api_key']}"
    if status == 404:
        return f" — check {ENV_VARS['llm_base_url']} (usually ends in /v1) and {ENV_VARS['llm_model']}"
    return ""
