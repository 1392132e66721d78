"""`socmed serve` as a real process on SQLite and PostgreSQL, real HTTP; SIGTERM finishes
the request in flight; request logs are JSON lines without secrets; Idempotency-Key holds
under 10 concurrent requests on a real server."""

from __future__ import annotations

import json
import signal
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_domain.roles import Role
from socmed_web.app import create_app
from tests.conftest import Backend
from tests.web.conftest import make_api
from tests.web.live import ServeProcess, init_store, uvicorn_thread


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_socmed_serve_answers_over_http(kind: str, tmp_path: Path,
                                        request: pytest.FixtureRequest) -> None:
    database_url = None
    if kind == "postgres":
        database_url = request.getfixturevalue("postgres_schema").url
    args = init_store(tmp_path / "store", database_url)
    services = bootstrap(tmp_path / "store", database_url=database_url)
    try:  # a member with a password, made through the library on the same store
        services.app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
        code = services.app.identity.invite("rina.mm", "budi.dm").code
        services.app.identity.set_up_account("budi.dm", code, "kata sandi budi 2026")
    finally:
        services.close()
    server = ServeProcess(args)
    try:
        with httpx.Client(base_url=server.url, timeout=10) as client:
            signed = client.post("/api/v1/session", json={
                "member_id": "budi.dm", "password": "kata sandi budi 2026"})
            assert signed.status_code == 201, signed.text
            token = client.post("/api/v1/tokens", json={"name": "ci", "scope": "commands"},
                                headers={"X-CSRF-Token": signed.json()["csrf_token"]})
            assert token.status_code == 201, token.text
            created = client.post("/api/v1/content", json={"title": "Lewat HTTP"},
                                  headers={"Authorization": f"Bearer {token.json()['secret']}",
                                           "Idempotency-Key": "serve-1"})
            assert created.status_code == 201, created.text
            listed = client.get("/api/v1/content", headers={
                "Authorization": f"Bearer {token.json()['secret']}"}).json()["items"]
            assert [i["title"] for i in listed] == ["Lewat HTTP"]
            client.cookies.clear()
            schema = client.get("/api/schema")
            assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.1")
            refused = client.get("/api/v1/content",
                                 headers={"Authorization": "Bearer s3cret-never-logged"})
            assert refused.status_code == 401
            assert refused.headers["content-type"].startswith("application/problem+json")
    finally:
        assert server.stop()
    logged = [r for r in server.records() if r["logger"] == "socmed_web.requests"]
    assert {r["route"] for r in logged} >= {"/api/v1/content"}
    assert all({"method", "status", "duration_ms", "request_id"} <= r.keys() for r in logged)
    secrets = ("s3cret", "kata sandi", token.json()["secret"], signed.cookies["socmed_session"])
    assert not any(secret in line for line in server.lines for secret in secrets)
    assert {r["via"] for r in logged} >= {"session", "token"}


@pytest.mark.slow
def test_sigterm_finishes_the_request_in_flight(tmp_path: Path) -> None:
    """The request's headers and half its body are in when SIGTERM arrives: the server
    stops listening but still reads the rest, answers it, and then exits cleanly."""
    server = ServeProcess(init_store(tmp_path / "store", None))
    body = json.dumps({"member_id": "rina.mm", "password": "x" * 40}).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: application/json\r\n"
                     + f"Content-Length: {len(body)}\r\n\r\n".encode() + body[:10])
        time.sleep(0.5)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(0.5)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
        sock.sendall(body[10:])
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]
    assert b"application/problem+json" in answer
    assert server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_ten_concurrent_posts_with_one_idempotency_key_record_one_set_of_events(
        kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    database_url = None
    if kind == "postgres":
        database_url = request.getfixturevalue("postgres_schema").url
    backend = Backend(kind, tmp_path / "store", database_url)
    try:
        api, client = make_api(backend)
        with client:
            member = api.token("budi.dm")
        before = api.services.app.event_count()
        with uvicorn_thread(create_app(api.services)) as url:
            def post(_: int) -> Any:
                return httpx.post(f"{url}/api/v1/content", timeout=60, headers={
                    **member.headers, "Idempotency-Key": "create-promo-1"}, json={
                    "title": "Sekali", "campaign_id": api.campaign,
                    "draft": {"text": "Halo", "platforms": ["instagram"]}})
            with ThreadPoolExecutor(10) as pool:
                answers = list(pool.map(post, range(10)))
        assert {a.status_code for a in answers} == {201}, [a.text for a in answers]
        assert len({a.json()["item_id"] for a in answers}) == 1
        assert api.services.app.event_count() == before + 2  # Created, Revised: once
        titles = [s.title for s in api.services.read_models.content_list()]
        assert titles.count("Sekali") == 1
    finally:
        backend.close()


def test_same_key_different_request_is_refused(sqlite_api: Any) -> None:
    member = sqlite_api.token("budi.dm")
    headers = {"Idempotency-Key": "k-1"}
    first = member.post("/api/v1/content", json={"title": "A", "campaign_id":
                                                  sqlite_api.campaign}, headers=headers)
    again = member.post("/api/v1/content", json={"title": "A", "campaign_id":
                                                  sqlite_api.campaign}, headers=headers)
    other = member.post("/api/v1/content", json={"title": "B", "campaign_id":
                                                  sqlite_api.campaign}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert other.status_code == 422 and other.json()["code"] == "error.idempotency_reused"
    refused = member.post("/api/v1/content/0000/approve", json={"revision_sha256": "a" * 8},
                          headers={"Idempotency-Key": "k-2"})
    replayed = member.post("/api/v1/content/0000/approve", json={"revision_sha256": "a" * 8},
                           headers={"Idempotency-Key": "k-2"})
    assert refused.status_code == replayed.status_code
    assert refused.json()["code"] == replayed.json()["code"]
