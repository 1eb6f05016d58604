"""The guard: the bind check, the token, CSRF, headers, Host, the body cap, path traversal."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from sitroom.errors import ConfigError
from sitroom.web import UnsafeBindError, WebSettings, check_bind, is_loopback, serve

from .conftest import BASE, csrf_of

TOKEN = "s3cret-token-for-tests"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"])
def test_loopback_needs_no_token(host):
    assert is_loopback(host)
    check_bind(WebSettings(host=host))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_another_address_without_a_token_is_refused(host):
    assert not is_loopback(host)
    with pytest.raises(UnsafeBindError) as err:
        check_bind(WebSettings(host=host))
    assert isinstance(err.value, ConfigError) and err.value.exit_code == 2
    assert "SITROOM_TOKEN" in str(err.value) and "\n" not in str(err.value)
    check_bind(WebSettings(host=host, token=TOKEN))  # with a token it may listen


def test_serve_refuses_before_opening_anything(tmp_path, monkeypatch):
    monkeypatch.delenv("SITROOM_TOKEN", raising=False)
    with pytest.raises(UnsafeBindError):
        serve(str(tmp_path / "never.db"), host="0.0.0.0", port=8765)
    assert not (tmp_path / "never.db").exists()


def test_the_token_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("SITROOM_TOKEN", " from-env ")
    assert WebSettings.from_env(host="0.0.0.0").token == "from-env"
    assert WebSettings.from_env(token="given").token == "given"
    with pytest.raises(ConfigError):
        WebSettings(token="   ")


def test_without_a_token_everything_is_open(client):
    assert client.get("/api/v1/documents").status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/", "/documents", "/api/v1/documents", "/openapi.json", "/static/sitroom.css"])
def test_with_a_token_every_request_needs_it(make_client, path):
    client = make_client(WebSettings(token=TOKEN))
    denied = client.get(path)
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"] == "Bearer"
    assert client.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get(path, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_unauthorised_api_gets_json_and_pages_get_the_login_form(make_client):
    client = make_client(WebSettings(token=TOKEN))
    api = client.get("/api/v1/documents")
    assert api.json() == {"error": "a token is required: send Authorization: Bearer <token>", "status": 401}
    page = client.get("/documents")
    assert 'action="/login"' in page.text and TOKEN not in page.text


def test_token_link_sets_a_cookie_and_drops_the_token_from_the_address(make_client):
    client = make_client(WebSettings(token=TOKEN))
    r = client.get(f"/documents?kind=article&token={TOKEN}")
    assert r.status_code == 303
    assert r.headers["location"] == "/documents?kind=article"
    cookie = r.headers["set-cookie"]
    assert "sitroom_token=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert client.get("/documents").status_code == 200  # the cookie now carries it
    assert make_client(WebSettings(token=TOKEN)).get("/documents?token=wrong").status_code == 401


def test_login_form_checks_the_token_and_csrf(make_client):
    client = make_client(WebSettings(token=TOKEN))
    client.get("/login")
    csrf = client.cookies["sitroom_csrf"]
    wrong = client.post("/login", data={"token": "nope", "next": "/plans", "csrf_token": csrf})
    assert wrong.status_code == 401 and "not right" in wrong.text
    assert client.post("/login", data={"token": TOKEN, "next": "/plans"}).status_code == 403  # no CSRF field
    ok = client.post("/login", data={"token": TOKEN, "next": "/plans", "csrf_token": csrf})
    assert ok.status_code == 303 and ok.headers["location"] == "/plans"
    assert client.get("/plans").status_code == 200


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:x"])
def test_login_never_sends_you_to_another_site(make_client, target):
    client = make_client(WebSettings(token=TOKEN))
    client.get("/login")
    csrf = client.cookies["sitroom_csrf"]
    r = client.post("/login", data={"token": TOKEN, "next": target, "csrf_token": csrf})
    assert r.headers["location"] == "/"


def test_the_comparison_is_constant_time():
    import inspect

    from sitroom.web import security

    assert "hmac.compare_digest" in inspect.getsource(security.same)
    assert security.same("a", "a") and not security.same("a", "b") and not security.same(None, "a")


def resolve_form(extra: dict[str, str]) -> dict[str, str]:
    return {"outcome": "true", "note": "it happened", **extra}


def first_prediction_id(client: TestClient) -> int:
    return int(client.get("/api/v1/predictions").json()["items"][0]["id"])


def test_a_form_post_without_or_with_a_wrong_csrf_token_is_refused(client, story):
    pid = first_prediction_id(client)
    csrf = csrf_of(client)
    assert client.post(f"/predictions/{pid}/resolve", data=resolve_form({})).status_code == 403
    assert client.post(f"/predictions/{pid}/resolve", data=resolve_form({"csrf_token": "x" * 43})).status_code == 403
    assert story.store.prediction_resolutions() == {}
    ok = client.post(f"/predictions/{pid}/resolve", data=resolve_form({"csrf_token": csrf}))
    assert ok.status_code == 303
    assert story.store.prediction_resolutions()[pid]["outcome"] == "true"


def test_a_post_without_the_cookie_is_refused_even_with_a_field(make_client, story):
    client = make_client()
    pid = first_prediction_id(client)
    token = csrf_of(client)
    client.cookies.clear()
    r = client.post(f"/predictions/{pid}/resolve", data=resolve_form({"csrf_token": token}))
    assert r.status_code == 403


def test_api_posts_need_the_csrf_header_unless_they_carry_the_bearer_token(make_client, story):
    client = make_client()
    pid = first_prediction_id(client)
    assert client.post(f"/api/v1/predictions/{pid}/resolve", json={"outcome": "false"}).status_code == 403
    r = client.post(
        f"/api/v1/predictions/{pid}/resolve", json={"outcome": "false"}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert r.status_code == 201 and r.json()["outcome"] == "false"
    with_token = make_client(WebSettings(token=TOKEN))
    r = with_token.post(
        f"/api/v1/predictions/{pid}/resolve", json={"outcome": "void"}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 201
    assert story.store.prediction_resolutions()[pid]["outcome"] == "void"


def test_the_ingest_api_needs_csrf_or_the_bearer_token_and_caps_the_size(make_client, story):
    client = make_client(WebSettings(max_upload_bytes=2000))
    before = story.store.count_documents()
    assert client.post("/api/v1/documents", json={"text": "Kherson was shelled."}).status_code == 403
    big = client.post("/api/v1/documents", json={"text": "x " * 1500}, headers={"X-CSRF-Token": csrf_of(client)})
    assert big.status_code == 413 and big.json()["status"] == 413 and "\n" not in big.json()["error"]
    assert story.store.count_documents() == before and story.extractor.seen == []
    with_token = make_client(WebSettings(token=TOKEN))
    r = with_token.post(
        "/api/v1/documents", json={"text": "Kherson was shelled."}, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert r.status_code == 201 and story.store.count_documents() == before + 1
    assert with_token.post("/api/v1/documents", json={"text": "x"}).status_code == 401  # no token


def test_a_cross_site_origin_is_refused(client):
    pid = first_prediction_id(client)
    csrf = csrf_of(client)
    r = client.post(
        f"/predictions/{pid}/resolve",
        data=resolve_form({"csrf_token": csrf}),
        headers={"Origin": "https://evil.example"},
    )
    assert r.status_code == 403


def test_security_headers_on_pages_api_and_errors(client):
    for path in ("/", "/api/v1/documents", "/no-such-page", "/static/sitroom.css"):
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["x-frame-options"] == "DENY"


def test_pages_have_no_inline_script_or_handlers(client, story):
    for path in ("/", "/documents", f"/documents/{story.plain.id}", "/predictions", "/ingest", "/map"):
        html = client.get(path).text
        for tag in re.findall(r"<script[^>]*>", html):
            assert "src=" in tag, f"inline script on {path}"
        assert " onclick=" not in html and " onload=" not in html


def test_the_csrf_cookie_is_handed_out_once(client):
    first = client.get("/")
    assert "sitroom_csrf=" in first.headers["set-cookie"]
    assert "sitroom_csrf=" not in client.get("/").headers.get("set-cookie", "")


def test_an_unknown_host_is_refused_on_loopback(story, make_client):
    client = make_client()
    assert client.get("/api/v1/documents", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/v1/documents", headers={"Host": "localhost:8765"}).status_code == 200
    assert client.get("/api/v1/documents", headers={"Host": "[::1]:8765"}).status_code == 200
    assert client.get("/api/v1/documents", headers={"Host": "127.0.0.1.evil.example"}).status_code == 400
    assert client.get("/api/v1/documents", headers={"Host": "[::2]:8765"}).status_code == 400


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("127.0.0.1:8765", "127.0.0.1"),
        ("LocalHost", "localhost"),
        ("[::1]:80", "::1"),
        ("[::1]", "::1"),
        ("::1", "::1"),
    ],
)
def test_host_names_lose_their_port(header, name):
    from sitroom.web.settings import host_name

    assert host_name(header) == name


def test_other_hosts_are_allowed_when_bound_beyond_loopback_with_a_token(make_client):
    client = make_client(WebSettings(host="0.0.0.0", token=TOKEN))
    r = client.get("/api/v1/documents", headers={"Host": "analyst-box.lan", "Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200


def test_a_declared_body_over_the_cap_is_refused_before_parsing(make_client):
    client = make_client(WebSettings(max_upload_bytes=1000))
    big = b"x" * (1000 + 1024 * 1024 + 1)
    r = client.post("/ingest/text", content=big, headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


def test_a_streamed_body_over_the_cap_is_cut_off(make_client):
    client = make_client(WebSettings(max_upload_bytes=1000))
    csrf = csrf_of(client)

    def chunks():
        yield f"csrf_token={csrf}&text=".encode()
        for _ in range(40):
            yield b"y" * 65536

    r = client.post("/ingest/text", content=chunks(), headers={"content-type": "application/x-www-form-urlencoded"})
    assert r.status_code == 413


@pytest.mark.parametrize(
    "path",
    [
        "/static/../pyproject.toml",
        "/static/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e%2fsettings.py",
        "/static//etc/passwd",
        "/static/templates/base.html",
        "/api/v1/export/..%2f..%2fetc%2fpasswd",
        "/api/v1/export/../../etc/passwd",
        "/api/v1/export/%2e%2e%2fsettings.py",
        "/api/v1/documents/..%2f..%2fetc%2fpasswd",
    ],
)
def test_path_traversal_finds_nothing(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "root:" not in r.text and "[project]" not in r.text and "import" not in r.text


def test_no_cdn_docs_pages(client):
    assert client.get("/docs").status_code == 404
    assert client.get("/redoc").status_code == 404
    assert BASE.startswith("http://127.0.0.1")


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/ingest/text", {"text": "Kherson was shelled."}),
        ("/ingest/url", {"url": "https://example.org/a"}),
        ("/login", {"token": "x"}),
        ("/brief/read", {"upto": "2026-03-01T00:00:00+00:00"}),
    ],
)
def test_every_form_refuses_a_post_without_csrf(client, story, path, data):
    before = story.store.count_documents()
    assert client.post(path, data=data).status_code == 403
    assert client.post(path, data={**data, "csrf_token": "wrong-but-long-enough-to-look-real"}).status_code == 403
    assert story.store.count_documents() == before and story.extractor.seen == []


def test_an_upload_without_csrf_is_refused(client, story):
    r = client.post("/ingest/file", files={"file": ("a.txt", b"Kherson was shelled.", "text/plain")})
    assert r.status_code == 403 and story.extractor.seen == []


def test_every_route_is_one_the_tests_know(client):
    """A new route must come with tests: this list is what the web tests exercise."""
    known = {
        ("GET", "/"),
        ("GET", "/documents"),
        ("GET", "/documents/{document_id}"),
        ("GET", "/search"),
        ("GET", "/claims"),
        ("GET", "/claims/{group_id}"),
        ("GET", "/plans"),
        ("GET", "/plans/{name}"),
        ("GET", "/places"),
        ("GET", "/map"),
        ("GET", "/timeline"),
        ("GET", "/predictions"),
        ("GET", "/sources"),
        ("GET", "/ingest"),
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/predictions/{prediction_id}/resolve"),
        ("POST", "/ingest/text"),
        ("POST", "/ingest/file"),
        ("POST", "/ingest/url"),
        ("POST", "/brief/read"),
        ("POST", "/api/v1/documents"),
    }
    for name in ("documents", "facts", "search", "claim-groups", "places", "plans", "predictions", "sources"):
        known.add(("GET", f"/api/v1/{name}"))
    known |= {("GET", "/api/v1/contradictions"), ("POST", "/api/v1/predictions/{prediction_id}/resolve")}
    for one in ("documents/{document_id}", "claim-groups/{group_id}", "plans/{name}"):
        known.add(("GET", f"/api/v1/{one}"))
    for export in ("documents.jsonl", "facts.csv", "places.geojson", "brief.md", "claim-groups.jsonld"):
        known.add(("GET", f"/api/v1/export/{export}"))
    from sitroom.web import api, exports, forms, pages

    routes = {
        (method, route.path)
        for router in (api.router, exports.router, forms.router, pages.router)
        for route in router.routes
        for method in getattr(route, "methods", None) or ()
        if method != "HEAD"
    }
    assert routes == known
