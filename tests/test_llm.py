"""The LLM extractor against a local fake chat-completions server (no network, no spaCy, no model).

The server is a fixture: it records every request, answers with whatever the test's ``respond``
function returns for the request, and can be told to fail (status codes) or hang (past a short
client timeout) for the next requests.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from sitroom.config import Settings
from sitroom.errors import ConfigError
from sitroom.extract.actors import ActorIndex
from sitroom.extract.gazetteer import Gazetteer
from sitroom.extract.llm import LLMExtractor, build_extractor
from sitroom.extract.llm_prompt import (
    PROMPT_VERSION,
    SYSTEM_PROMPT,
    SpanFinder,
    parse_json_object,
    split_text,
)
from sitroom.model import CONTRACT_FIELDS, Document, Extraction, Hedge

# ------------------------------------------------------------------ the fake endpoint


class FakeChatServer:
    """A chat-completions endpoint on 127.0.0.1 (ephemeral port) serving canned answers."""

    MAX_HANG = 5.0  # a hanging request never outlives this, nor the fixture

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []  # {"path", "headers", "body"}
        self.respond: Callable[[dict[str, Any]], str] = lambda body: "{}"
        self.failures: list[tuple[int, dict[str, str]]] = []  # served first, one per request
        self.hangs = 0  # the next N requests hang
        self.reject_response_format = False
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # silence
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": "not found"}})
                if server.hangs:
                    server.hangs -= 1
                    server._release.wait(server.MAX_HANG)
                    return self._send(200, {"late": True})
                if server.failures:
                    status, headers = server.failures.pop(0)
                    return self._send(status, {"error": {"message": f"fake failure {status}"}}, headers)
                if server.reject_response_format and "response_format" in body:
                    return self._send(400, {"error": {"message": "response_format is not supported"}})
                content = server.respond(body)
                self._send(200, {"id": "chatcmpl-1", "object": "chat.completion", "model": body.get("model"),
                                 "choices": [{"index": 0, "finish_reason": "stop",
                                              "message": {"role": "assistant", "content": content}}]})  # fmt: skip

            def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for key, value in (headers or {}).items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout test)
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._stopper = threading.Timer(60.0, self.httpd.shutdown)  # stops itself if a test never returns
        self._stopper.daemon = True

    def __enter__(self) -> FakeChatServer:
        self._thread.start()
        self._stopper.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._release.set()
        self._stopper.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()
        self._thread.join(timeout=5)

    @property
    def calls(self) -> int:
        return len(self.requests)

    def user_message(self, n: int = -1) -> str:
        return self.requests[n]["body"]["messages"][1]["content"]


def reply(**kinds: list[Any]) -> str:
    return json.dumps(kinds)


class FakeRules:
    """Stands in for the rule pipeline (no spaCy): one hedge over the first word."""

    def __init__(self) -> None:
        self.documents: list[Document] = []

    def extract(self, document: Document) -> Extraction:
        self.documents.append(document)
        end = document.text.find(" ")
        return Extraction(document=document, hedges=[Hedge(0, end, text=document.text[:end])])


# ------------------------------------------------------------------ fixtures

TEXT = (
    "According to Alex Mercouris, the plan is still in progress. Kellogg does not agree with the 28-point plan.\n\n"
    "Russia has taken control of Pokrovsk. The plan is rumored to have been leaked.\n\n"
    "Budanov predicts that peace talks will resume in February. The draft calls for a cap of 600,000 troops "
    "and a $140 billion loan."
)

HAPPY = reply(
    attributions=[{"speaker": "Mercouris", "cue": "According to", "content": "the plan is still in progress",
                   "certainty": "asserted"}],
    hedges=[{"text": "rumored to have been leaked", "kind": "rumored"}],
    places=[{"mention": "Pokrovsk", "name": "Pokrovsk", "status": "captured", "by": "Russia", "lat": 1, "lon": 2}],
    provisions=[{"topic": "army_size", "text": "a cap of 600,000 troops", "number": None, "plan": "28-point plan"}],
    stances=[{"actor": "Kellog", "target": "28-point plan", "stance": "oppose",
              "evidence": "Kellogg does not agree with the 28-point plan."}],
    predictions=[{"by": "Budanov", "what": "peace talks will resume", "deadline": "2026-02",
                  "evidence": "peace talks will resume in February"}],
    quantities=[{"value": 140000000000, "unit": "USD", "text": "$140 billion", "about": "loan"},
                {"value": "600,000", "unit": "troops", "text": "600,000 troops", "about": "army size cap"}],
)  # fmt: skip

CITIES = [
    {"geonameid": 704422, "name": "Pokrovsk", "latitude": 48.28, "longitude": 37.18, "countrycode": "UA",
     "population": 60127, "timezone": "", "admin1code": "05", "alternatenames": ["Pokrovs'k"]},
    {"geonameid": 703448, "name": "Kyiv", "latitude": 50.45, "longitude": 30.52, "countrycode": "UA",
     "population": 2952301, "timezone": "", "admin1code": "12", "alternatenames": ["Kiev"]},
]  # fmt: skip


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory) -> Gazetteer:
    path = tmp_path_factory.mktemp("gaz") / "cities.json"
    path.write_text(json.dumps({str(c["geonameid"]): c for c in CITIES}), encoding="utf-8")
    return Gazetteer.build(countries=("UA",), min_population=0, cities_path=path)


@pytest.fixture(scope="module")
def actors() -> ActorIndex:
    return ActorIndex.load([])  # the shipped table only: the user's files must not leak into tests


@pytest.fixture()
def server() -> Iterator[FakeChatServer]:
    with FakeChatServer() as fake:
        yield fake


@pytest.fixture()
def sleeps() -> list[float]:
    return []


@pytest.fixture()
def make(server, tmp_path, gazetteer, actors, sleeps) -> Iterator[Callable[..., LLMExtractor]]:
    made: list[LLMExtractor] = []

    def build(settings: Settings | None = None, **kwargs: Any) -> LLMExtractor:
        settings = settings or Settings(extractor="llm", llm_base_url=server.url, llm_model="test-model",
                                        llm_timeout=5.0)  # fmt: skip
        kwargs.setdefault("fallback", FakeRules())
        kwargs.setdefault("cache_dir", tmp_path / "cache")
        extractor = LLMExtractor(settings, sleep=sleeps.append, gazetteer=gazetteer, actors=actors, **kwargs)
        made.append(extractor)
        return extractor

    yield build
    for extractor in made:
        extractor.close()


def document(text: str = TEXT, **kwargs: Any) -> Document:
    kwargs.setdefault("published", datetime(2025, 11, 20))
    return Document(text=text, source="Test Wire", **kwargs)


def evidence_of(kind: str, row: dict[str, Any], text: str) -> None:
    """Every fact's offsets slice out exactly its evidence."""
    field = {"attributions": "content", "places": "mention", "hedges": "text", "provisions": "text",
             "quantities": "text"}.get(kind)  # fmt: skip
    span = text[row["start"] : row["end"]]
    assert span, (kind, row)
    if field:
        assert span == row[field], (kind, row)


# ------------------------------------------------------------------ the happy path


def test_happy_path_gives_a_contract_valid_extraction(server, make):
    server.respond = lambda body: HAPPY
    doc = document(url="https://example.org/story", origin="/home/me/secret/notes.txt", author=None)
    extractor = make()
    result = extractor.extract(doc)
    contract = result.to_contract()
    for kind, fields in CONTRACT_FIELDS.items():
        assert contract[kind], kind
        for row in contract[kind]:
            assert set(fields) <= set(row), (kind, row)
            evidence_of(kind, row, TEXT)
    assert extractor.last_backend == "llm" and extractor.last_warnings == []

    (attribution,) = result.attributions
    assert attribution.speaker == "Alex Mercouris" and attribution.certainty == "asserted"
    assert result.hedges[0].kind == "rumoured"
    (place,) = result.places
    assert (place.name, place.lat, place.lon, place.country, place.status, place.by) == (
        "Pokrovsk", 48.28, 37.18, "UA", "captured", "Russia")  # fmt: skip
    assert result.stances[0].actor == "Keith Kellogg" and result.stances[0].stance == "oppose"
    assert result.predictions[0].by == "Kyrylo Budanov" and result.predictions[0].deadline == "2026-02"
    assert [q.value for q in result.quantities] == [600000, 140000000000]  # text order
    assert result.provisions[0].topic == "army_size"

    (request,) = server.requests
    body = request["body"]
    assert body["model"] == "test-model" and body["temperature"] == 0
    assert body["response_format"] == {"type": "json_object"}
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][0]["content"] == SYSTEM_PROMPT
    user = server.user_message()
    assert TEXT in user and "published: 2025-11-20" in user and "source: Test Wire" in user
    # only the text and its metadata are sent: not the URL, not the local path
    assert "example.org" not in json.dumps(body) and "secret" not in json.dumps(body)
    assert "authorization" not in {k.lower() for k in request["headers"]}


def test_extract_many_streams_in_order(server, make):
    server.respond = lambda body: HAPPY
    docs = [document(), document(TEXT + " More.")]
    results = list(make().extract_many(docs))
    assert [r.document for r in results] == docs


def test_api_key_is_sent_as_bearer_token(server, make):
    server.respond = lambda body: "{}"
    settings = Settings(extractor="llm", llm_base_url=server.url, llm_model="m", llm_api_key="sekrit")
    make(settings).extract(document())
    assert server.requests[0]["headers"]["Authorization"] == "Bearer sekrit"


# ------------------------------------------------------------------ validation and quotes


def test_quotes_with_other_whitespace_case_and_quote_marks_are_repaired(server, make):
    text = "Trump’s “peace envoy”  Steve Witkoff\nmet Kirill Dmitriev in Miami — reportedly twice."
    server.respond = lambda body: reply(
        attributions=[{"speaker": "Test Wire", "cue": "reportedly",
                       "content": '"Peace envoy" Steve Witkoff met Kirill Dmitriev in Miami - reportedly twice'}],
        hedges=[{"text": "REPORTEDLY", "kind": "rumoured"}],
    )  # fmt: skip
    result = make().extract(document(text))
    (attribution,) = result.attributions
    assert attribution.content == text[attribution.start : attribution.end]
    assert attribution.content == "peace envoy”  Steve Witkoff\nmet Kirill Dmitriev in Miami — reportedly twice"
    assert result.hedges[0].text == "reportedly"


def test_fuzzy_alignment_repairs_a_slightly_misquoted_long_quote(server, make):
    server.respond = lambda body: reply(
        attributions=[{"speaker": "Mercouris", "content": "the plan is stil in progress"}],  # a typo
        stances=[{"actor": "Kellogg", "target": "28-point plan", "stance": "oppose",
                  "evidence": "Kellogg does not agree with the 28 point plan"}],
    )  # fmt: skip
    result = make().extract(document())
    assert result.attributions[0].content == "the plan is still in progress"
    assert TEXT[result.stances[0].start : result.stances[0].end] == "Kellogg does not agree with the 28-point plan"


def test_a_hallucinated_quote_is_rejected_and_counted(server, make, caplog):
    server.respond = lambda body: reply(
        attributions=[{"speaker": "Putin", "content": "Russia will withdraw from Crimea by Christmas"},
                      {"speaker": "Mercouris", "content": "the plan is still in progress"}],
        quantities=[{"value": 150000000000, "unit": "USD", "text": "$150 billion"}],
    )  # fmt: skip
    extractor = make()
    with caplog.at_level(logging.WARNING, logger="sitroom.llm"):
        result = extractor.extract(document())
    assert [a.speaker for a in result.attributions] == ["Alex Mercouris"]
    assert result.quantities == []
    (warning,) = extractor.last_warnings
    assert "dropped 2 of 3 items" in warning and "2 quoting text not in the document" in warning
    assert [r.getMessage() for r in caplog.records if r.name == "sitroom.llm"] == [warning]


def test_invalid_items_are_dropped_not_the_whole_answer(server, make):
    server.respond = lambda body: reply(
        attributions=[{"speaker": "Mercouris", "content": "the plan is still in progress", "certainty": "certain"},
                      {"speaker": "Mercouris", "content": "the plan is still in progress", "certainty": "Hedged"},
                      "not an object"],
        stances=[{"actor": "Kellogg", "target": "plan", "stance": "maybe", "evidence": "Kellogg does not agree"}],
        provisions=[{"topic": "weather", "text": "a cap of 600,000 troops"}],
        places=[{"mention": "Pokrovsk", "status": "liberated"}],
        predictions=[{"by": "Budanov", "what": "talks", "deadline": "next year", "evidence": "peace talks"},
                     {"by": "Budanov", "what": "talks", "deadline": "2026-13", "evidence": "peace talks"}],
        quantities=[{"value": "a lot", "text": "$140 billion"}, {"value": 1.4e11, "text": "$140 billion"}],
    )  # fmt: skip
    extractor = make()
    result = extractor.extract(document())
    assert [a.certainty for a in result.attributions] == ["hedged"]
    assert (result.stances, result.provisions, result.places, result.predictions) == ([], [], [], [])
    assert len(result.quantities) == 1
    (warning,) = extractor.last_warnings
    assert "dropped 8 of 10 items: 8 invalid" in warning


def test_non_list_and_missing_kinds_are_tolerated(server, make):
    server.respond = lambda body: json.dumps({"hedges": {"text": "rumored"}, "places": None, "extra": [1]})
    result = make().extract(document())
    assert [h.text for h in result.hedges] == ["rumored"] and result.places == []


def test_a_repeated_quote_takes_the_next_occurrence(server, make):
    text = "Kyiv wants 50,000 more troops. Moscow offers 50,000 fewer troops. Kiev said no to Atlantis."
    server.respond = lambda body: reply(
        quantities=[{"value": 50000, "unit": "troops", "text": "50,000"}, {"value": 50000, "text": "50,000"}],
        places=[{"mention": "Kyiv"}, {"mention": "Kiev", "name": "Kyiv"}, {"mention": "Atlantis"}],
    )  # fmt: skip
    result = make().extract(document(text))
    assert [q.start for q in result.quantities] == [11, 45]
    assert [(p.name, p.mention, p.lat) for p in result.places] == [
        ("Kyiv", "Kyiv", 50.45), ("Kyiv", "Kiev", 50.45), ("Atlantis", "Atlantis", None)]  # fmt: skip


def test_a_model_offset_hint_picks_the_nearest_occurrence(server, make):
    text = "Ukraine said one thing. Later Ukraine said another."
    server.respond = lambda body: reply(places=[{"mention": "Ukraine", "start": 28}])
    assert make().extract(document(text)).places[0].start == 30


def test_nested_attributions_keep_their_parent(server, make):
    text = "Mercouris suggests that recent reports indicate that we now have a draft agreement in writing."
    server.respond = lambda body: reply(
        attributions=[{"speaker": "recent reports", "content": "we now have a draft agreement in writing",
                       "parent": 1},
                      {"speaker": "Mercouris", "cue": "suggests",
                       "content": "recent reports indicate that we now have a draft agreement in writing"}],
    )  # fmt: skip
    result = make().extract(document(text))
    outer, inner = result.attributions
    assert (outer.speaker, outer.parent) == ("Alex Mercouris", None)
    assert (inner.speaker, inner.parent) == ("recent reports", 0)


def test_author_speaks_as_the_document_author(server, make):
    text = "I think the plan will fail by March."
    server.respond = lambda body: reply(
        attributions=[{"speaker": "AUTHOR", "cue": "I think", "content": "the plan will fail by March"}],
        predictions=[{"by": None, "what": "the plan will fail", "deadline": "2026-03",
                      "evidence": "the plan will fail by March"}],
    )  # fmt: skip
    result = make().extract(document(text, author="Jane Analyst"))
    assert result.attributions[0].speaker == "Jane Analyst" and result.predictions[0].by == "Jane Analyst"


def test_fenced_or_chatty_answers_are_parsed(server, make):
    server.respond = lambda body: "<think>hmm</think>Sure! Here it is:\n```json\n" + HAPPY + "\n```\nAnything else?"
    assert make().extract(document()).attributions


def test_a_server_that_rejects_json_mode_is_asked_again_without_it(server, make):
    server.reject_response_format = True
    server.respond = lambda body: HAPPY
    extractor = make()
    assert extractor.extract(document()).attributions
    assert [("response_format" in r["body"]) for r in server.requests] == [True, False]
    assert extractor.last_warnings == []


# ------------------------------------------------------------------ chunks and cache


def test_long_documents_are_chunked_and_offsets_shifted(server, make):
    paragraphs = [f"Paragraph {i}: fighting continues near Pokrovsk, says source {i}." for i in range(6)]
    text = "\n\n".join(paragraphs)

    def respond(body: dict[str, Any]) -> str:
        user = body["messages"][1]["content"]
        i = int(user.split("Paragraph ")[1].split(":")[0])
        return reply(places=[{"mention": "Pokrovsk", "status": "contested"}],
                     hedges=[{"text": f"says source {i}"}])  # fmt: skip

    server.respond = respond
    result = make(chunk_chars=150).extract(document(text))
    chunks = split_text(text, 150)
    assert len(chunks) > 2 and server.calls == len(chunks)
    assert f"part 2 of {len(chunks)}" in server.user_message(1)
    assert [p.start for p in result.places] == [text.find("Pokrovsk", o) for o, _ in chunks]
    for hedge in result.hedges:
        assert text[hedge.start : hedge.end] == hedge.text
    assert len({h.start for h in result.hedges}) == len(chunks)


def test_a_cache_hit_makes_no_request(server, make, tmp_path):
    server.respond = lambda body: HAPPY
    first = make().extract(document())
    assert server.calls == 1
    again = make()  # a new extractor, same cache folder
    second = again.extract(document())
    assert server.calls == 1 and again.last_backend == "cache"
    assert second.to_contract() == first.to_contract()
    files = list((tmp_path / "cache").rglob("*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text())["prompt_version"] == PROMPT_VERSION
    # another publication date can resolve deadlines differently: not the same cache entry
    again.extract(document(published=datetime(2026, 1, 5)))
    assert server.calls == 2


def test_the_cache_can_be_turned_off_and_survives_garbage(server, make, tmp_path):
    server.respond = lambda body: HAPPY
    make(cache=False).extract(document())
    make(cache=False).extract(document())
    assert server.calls == 2 and not (tmp_path / "cache").exists()
    make().extract(document())
    for path in (tmp_path / "cache").rglob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    make().extract(document())
    assert server.calls == 4


# ------------------------------------------------------------------ failures


def test_server_errors_are_retried_with_backoff(server, make, sleeps):
    server.failures = [(500, {}), (503, {})]
    server.respond = lambda body: HAPPY
    extractor = make()
    result = extractor.extract(document())
    assert server.calls == 3 and sleeps == [1.0, 2.0]
    assert result.attributions and extractor.last_backend == "llm" and extractor.last_warnings == []


def test_retry_after_is_honoured_and_capped(server, make, sleeps):
    server.failures = [(429, {"Retry-After": "7"}), (429, {"Retry-After": "3600"})]
    server.respond = lambda body: HAPPY
    make().extract(document())
    assert sleeps == [7.0, 30.0]


def test_exhausted_retries_fall_back_to_the_rules_with_one_warning(server, make, sleeps, caplog):
    server.failures = [(500, {})] * 10
    rules = FakeRules()
    extractor = make(fallback=rules)
    doc = document()
    with caplog.at_level(logging.WARNING, logger="sitroom.llm"):
        result = extractor.extract(doc)
    assert result == FakeRules().extract(doc)
    assert rules.documents == [doc]
    assert server.calls == 4 and sleeps == [1.0, 2.0, 4.0]
    (warning,) = extractor.last_warnings
    assert "HTTP 500" in warning and "4 attempts" in warning and "rule pipeline" in warning
    assert extractor.last_backend == "rules"
    assert [r.getMessage() for r in caplog.records if r.name == "sitroom.llm"] == [warning]


@pytest.mark.slow
def test_the_real_rule_pipeline_is_loaded_for_a_fallback(server, extractor, tmp_path, sleeps):
    """build_extractor without ``rules`` loads the rule pipeline only when a document falls back."""
    server.failures = [(500, {})] * 10
    settings = Settings(extractor="llm", llm_base_url=server.url, llm_model="m")
    llm = build_extractor(settings)
    assert isinstance(llm, LLMExtractor)
    llm.cache_dir, llm.sleep = tmp_path, sleeps.append
    doc = document()
    assert llm.extract(doc).to_contract() == extractor.extract(doc).to_contract()
    assert llm.last_backend == "rules" and len(llm.last_warnings) == 1
    llm.close()


def test_client_errors_are_not_retried(server, make, sleeps):
    server.failures = [(401, {})]
    extractor = make()
    extractor.extract(document())
    assert server.calls == 1 and sleeps == []
    assert "HTTP 401" in extractor.last_warnings[0] and "SITROOM_LLM_API_KEY" in extractor.last_warnings[0]


def test_a_wrong_base_url_says_so(server, make):
    settings = Settings(extractor="llm", llm_base_url=server.url.removesuffix("/v1"), llm_model="m")
    extractor = make(settings)
    extractor.extract(document())
    assert "HTTP 404" in extractor.last_warnings[0] and "SITROOM_LLM_BASE_URL" in extractor.last_warnings[0]


def test_timeouts_are_retried_then_fall_back(server, make, sleeps):
    server.hangs = 2
    settings = Settings(extractor="llm", llm_base_url=server.url, llm_model="m", llm_timeout=0.2)
    extractor = make(settings, retries=1)
    result = extractor.extract(document())
    assert server.calls == 2 and sleeps == [1.0]
    assert result.hedges[0].text == "According"  # FakeRules
    assert "no answer within 0.2 s" in extractor.last_warnings[0]


def test_an_unreachable_endpoint_falls_back(make, sleeps):
    settings = Settings(extractor="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m", llm_timeout=1)
    extractor = make(settings, retries=1)
    extractor.extract(document())
    assert "cannot reach" in extractor.last_warnings[0] and sleeps == [1.0]


def test_unparseable_output_falls_back_without_retrying(server, make, sleeps):
    server.respond = lambda body: "I'm sorry, I can't help with that."
    extractor = make()
    result = extractor.extract(document())
    assert server.calls == 1 and sleeps == []
    assert result.hedges[0].text == "According"
    assert "not a JSON object" in extractor.last_warnings[0]
    assert not list(extractor.cache_dir.rglob("*.json"))  # nothing cached


def test_after_repeated_endpoint_failures_the_rest_goes_straight_to_the_rules(server, make):
    server.failures = [(500, {})] * 100
    extractor = make(retries=0)
    for i in range(3):
        extractor.extract(document(f"Document {i} text."))
    assert server.calls == 3 and "rest of this run" in extractor.last_warnings[0]
    result = extractor.extract(document("Document 3 text."))
    assert server.calls == 3 and result.hedges and extractor.last_warnings == []


# ------------------------------------------------------------------ the factory


def test_build_extractor_for_rules_returns_the_rules():
    rules = FakeRules()
    assert build_extractor(Settings(), rules=rules) is rules  # type: ignore[arg-type]


def test_build_extractor_for_llm(server):
    settings = Settings(extractor="llm", llm_base_url=server.url, llm_model="m")
    extractor = build_extractor(settings, rules=FakeRules())  # type: ignore[arg-type]
    assert isinstance(extractor, LLMExtractor)
    extractor.close()


def test_missing_settings_are_a_config_error():
    with pytest.raises(ConfigError, match="SITROOM_LLM_BASE_URL"):
        build_extractor(Settings(extractor="llm"))
    with pytest.raises(ConfigError, match="SITROOM_LLM_MODEL"):
        build_extractor(Settings(extractor="llm", llm_base_url="http://127.0.0.1:1/v1"))


# ------------------------------------------------------------------ helpers


@pytest.mark.parametrize("size", [10, 37, 100, 10_000])
def test_split_text_covers_the_text(size):
    text = TEXT * 3
    pieces = split_text(text, size)
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert all(len(p) <= size for _, p in pieces)
    assert split_text("") == [(0, "")]


def test_split_text_prefers_paragraph_breaks():
    text = "a" * 60 + "\n\n" + "b" * 60 + ". " + "c" * 30
    assert split_text(text, 100)[0][1] == "a" * 60 + "\n\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [('{"a": 1}', {"a": 1}), ('```json\n{"a": 1}\n```', {"a": 1}), ('Here: {"a": {"b": 2}} done', {"a": {"b": 2}}),
     ('<think>{"no": 1}</think>{"a": 1}', {"a": 1}), ("[1, 2]", None), ("no json here", None), ('{"a": ', None)],
)  # fmt: skip
def test_parse_json_object(content, expected):
    assert parse_json_object(content) == expected


def test_span_finder_across_an_ellipsis():
    text = "The plan as it stands (and we dont yet know for sure what it includes) builds on Anchorage."
    finder = SpanFinder(text)
    span = finder.find("The plan as it stands ... builds on Anchorage")
    assert span == (0, len(text) - 1)


def test_span_finder_rejects_short_near_misses():
    finder = SpanFinder("a $140 billion loan")
    assert finder.find("$150 billion") is None
    assert finder.find("$140 Billion") == (2, 14)
