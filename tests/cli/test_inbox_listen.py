"""`socmed inbox listen`: real HTTP on 127.0.0.1, real signatures, a real SQLite store.

Most tests run the receiver (`WebhookServer`, what the command serves) on a thread over a
private copy of the team store; one runs the command itself in a subprocess and stops it
with SIGTERM while a request is in flight.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.monitoring.webhook_server import (
    WebhookHandler,
    WebhookServer,
    parse_size,
    serve,
)
from socmed_domain.errors import InvalidInputError
from tests.cli.helpers import CLEAN_ENV, Socmed, assert_one_line_error, event_count

DATA = Path(__file__).parents[1] / "data" / "webhooks"
ROOT = Path(__file__).parents[2]
ENV = {"SOCMED_META_APP_SECRET": "meta-secret", "SOCMED_X_CONSUMER_SECRET": "x-secret",
       "SOCMED_TIKTOK_CLIENT_SECRET": "tiktok-secret",
       "SOCMED_LINKEDIN_CLIENT_SECRET": "linkedin-secret",
       "SOCMED_META_VERIFY_TOKEN": "nusa-verify"}


def sign(family: str, body: bytes) -> dict[str, str]:
    """The header each platform would send with this body."""
    if family == "meta":
        digest = hmac.new(b"meta-secret", body, hashlib.sha256).hexdigest()
        return {"X-Hub-Signature-256": f"sha256={digest}"}
    if family == "x":
        raw = hmac.new(b"x-secret", body, hashlib.sha256).digest()
        return {"x-twitter-webhooks-signature": "sha256=" + base64.b64encode(raw).decode()}
    if family == "tiktok":
        stamp = int(time.time())
        digest = hmac.new(b"tiktok-secret", f"{stamp}.".encode() + body,
                          hashlib.sha256).hexdigest()
        return {"TikTok-Signature": f"t={stamp},s={digest}"}
    digest = hmac.new(b"linkedin-secret", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    return {"X-LI-Signature": digest}


FIXTURES = {"meta": "instagram_comments.json", "x": "x_activity.json",
            "tiktok": "tiktok_comment.json", "linkedin": "linkedin_notifications.json"}


class Receiver:
    """A `WebhookServer` on a free port, served on a thread, with its log lines kept."""

    def __init__(self, data_dir: Path, actor: str = "adi.admin", **options: Any) -> None:
        self.services = bootstrap(data_dir)
        self.lines: list[str] = []
        self.server = WebhookServer(("127.0.0.1", 0), self.services.app, actor,
                                    log=self.lines.append, environ=ENV, **options)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=serve, args=(self.server,), daemon=True)
        self.thread.start()

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def post(self, family: str, body: bytes, headers: dict[str, str] | None = None,
             prefix: str = "/webhooks") -> tuple[int, Any]:
        status, _, data = self.request("POST", f"{prefix}/{family}", body,
                                       sign(family, body) if headers is None else headers)
        return status, json.loads(data)

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(10)
        self.services.close()


@pytest.fixture
def receiver(team_store: tuple[Socmed, dict[str, str]]) -> Iterator[tuple[Socmed, Receiver]]:
    run, _ = team_store
    assert run.data_dir is not None
    listening = Receiver(run.data_dir)
    yield run, listening
    listening.stop()


def test_signed_deliveries_are_stored_once(receiver: tuple[Socmed, Receiver]) -> None:
    run, server = receiver
    assert run.data_dir is not None
    expected = {"meta": (3, 2), "x": (3, 3), "tiktok": (1, 1), "linkedin": (4, 3)}
    for family, name in FIXTURES.items():
        status, answer = server.post(family, (DATA / name).read_bytes())
        assert status == 200, answer
        assert (answer["new"], answer["conversations_opened"]) == expected[family], family
        assert answer["platform"] == family and answer["duplicates"] == 0
    listed = run.json("inbox", "list")
    assert {r["platform"] for r in listed} == {"instagram", "x", "tiktok", "linkedin"}
    assert len(listed) == sum(opened for _, opened in expected.values())
    assert "urn:li:person:Rk3mTq9XyA" in {r["author"] for r in listed}
    before = event_count(run.data_dir)
    for family, name in FIXTURES.items():  # platforms deliver at least once
        status, answer = server.post(family, (DATA / name).read_bytes())
        assert status == 200 and answer["new"] == 0
        assert answer["duplicates"] == expected[family][0]
    assert event_count(run.data_dir) == before
    deliveries = [line for line in server.lines if " new, " in line]
    assert len(deliveries) == 8
    assert deliveries[3].endswith("LinkedIn: 4 new, 0 duplicates of 4; 2 skipped, "
                                  "1 without text")


def test_forged_or_missing_signature_writes_nothing(
        receiver: tuple[Socmed, Receiver]) -> None:
    run, server = receiver
    assert run.data_dir is not None
    before = event_count(run.data_dir)
    body = (DATA / "linkedin_notifications.json").read_bytes()
    forged = hmac.new(b"guessed", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    status, answer = server.post("linkedin", body, {"X-LI-Signature": forged})
    assert status == 403 and "does not match" in answer["error"]
    status, answer = server.post("linkedin", body, {})
    assert status == 401 and "X-LI-Signature header is missing" in answer["error"]
    tampered = body.replace(b"Transfer antarbank", b"Transfer antarbenk")
    status, _ = server.post("linkedin", tampered, sign("linkedin", body))
    assert status == 403
    meta = (DATA / "instagram_comments.json").read_bytes()
    x_style = {"X-Hub-Signature-256": sign("x", meta)["x-twitter-webhooks-signature"]}
    status, _ = server.post("meta", meta, x_style)  # another platform's encoding
    assert status == 403
    assert event_count(run.data_dir) == before
    assert any("refused with 403" in line for line in server.lines)


def test_a_platform_without_its_secret_is_refused(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    before = event_count(run.data_dir)
    server = Receiver(run.data_dir)
    server.server.environ = {k: v for k, v in ENV.items() if "TIKTOK" not in k}
    try:
        body = (DATA / "tiktok_comment.json").read_bytes()
        status, answer = server.post("tiktok", body)
        assert status == 503 and "SOCMED_TIKTOK_CLIENT_SECRET" in answer["error"]
    finally:
        server.stop()
    assert event_count(run.data_dir) == before


def test_subscription_handshakes(receiver: tuple[Socmed, Receiver]) -> None:
    _, server = receiver
    status, headers, data = server.request(
        "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=nusa-verify"
        "&hub.challenge=1158201444")
    assert (status, data) == (200, b"1158201444")
    status, _, _ = server.request(
        "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
    assert status == 403
    status, _, data = server.request("GET", "/webhooks/x?crc_token=crc-abc")
    crc = base64.b64encode(hmac.new(b"x-secret", b"crc-abc", hashlib.sha256).digest())
    assert status == 200
    assert json.loads(data) == {"response_token": "sha256=" + crc.decode()}
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    status, headers, data = server.request("GET", f"/webhooks/linkedin?challengeCode={code}")
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(data) == {
        "challengeCode": code,
        "challengeResponse": hmac.new(b"linkedin-secret", code.encode(),
                                      hashlib.sha256).hexdigest()}
    status, _, data = server.request("GET", "/webhooks/linkedin")
    assert status == 400 and b"challengeCode" in data
    status, headers, _ = server.request("GET", "/webhooks/tiktok")
    assert status == 405 and headers["Allow"] == "POST"
    assert sum("subscription check answered" in line for line in server.lines) == 3


def test_too_large_unknown_path_wrong_method_and_malformed(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    server = Receiver(run.data_dir, max_body=parse_size("2KB"), prefix="/hooks/")
    try:
        before = event_count(run.data_dir)
        body = (DATA / "linkedin_notifications.json").read_bytes()
        assert len(body) > 2048
        status, answer = server.post("linkedin", body, prefix="/hooks")
        assert status == 413 and "over the limit of 2048" in answer["error"]
        status, _, data = server.request("POST", "/webhooks/linkedin", b"{}",
                                         sign("linkedin", b"{}"))
        assert status == 404 and b"/hooks/linkedin" in data
        status, _, _ = server.request("GET", "/hooks/instagram")
        assert status == 404
        status, headers, _ = server.request("PUT", "/hooks/meta", b"{}")
        assert status == 405 and headers["Allow"] == "GET, POST"
        status, _, _ = server.request("DELETE", "/hooks/x")
        assert status == 405
        empty = b'{"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS"}'
        for bad in (b"not json", b"[1, 2]", empty):
            status, answer = server.post("linkedin", bad, prefix="/hooks")
            assert status == 400, bad
            assert answer["error"].startswith("webhook from LinkedIn not read")
        assert event_count(run.data_dir) == before
    finally:
        server.stop()


def _raw(port: int, data: bytes, close_early: bool = False) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        if close_early:
            return b""
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


def test_broken_requests_get_an_answer_and_no_traceback(
        receiver: tuple[Socmed, Receiver], monkeypatch: pytest.MonkeyPatch,
        capfd: pytest.CaptureFixture[str]) -> None:
    run, server = receiver
    assert run.data_dir is not None
    before = event_count(run.data_dir)
    body = (DATA / "linkedin_notifications.json").read_bytes()
    signature = sign("linkedin", body)["X-LI-Signature"]
    head = f"POST /webhooks/linkedin HTTP/1.1\r\nX-LI-Signature: {signature}\r\n"
    answer = _raw(server.port, f"{head}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 411 ")
    answer = _raw(server.port, f"{head}Content-Length: many\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.0 400 ")
    # A client gone mid-body: the short body is refused, the broken pipe is not logged.
    _raw(server.port, f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body[:50],
         close_early=True)
    monkeypatch.setattr(WebhookHandler, "timeout", 0.5)
    answer = _raw(server.port, f"{head}Content-Length: {len(body)}\r\n\r\n".encode()
                  + body[:50])
    assert answer.startswith(b"HTTP/1.0 408 ") and b"within 0.5 s" in answer
    status, answer_json = server.post("linkedin", body)  # still serving
    assert status == 200 and answer_json["new"] == 4
    assert event_count(run.data_dir) > before
    assert "Traceback" not in capfd.readouterr().err
    assert not any("Traceback" in line for line in server.lines)


def test_storage_failure_is_one_json_line(receiver: tuple[Socmed, Receiver],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    run, server = receiver
    assert run.data_dir is not None
    before = event_count(run.data_dir)

    def locked(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database is locked\n[SQL: INSERT ...]")

    monkeypatch.setattr(server.services.app.inbox, "ingest_interactions", locked)
    status, _, data = server.request("POST", "/webhooks/tiktok",
                                     (DATA / "tiktok_comment.json").read_bytes(),
                                     sign("tiktok", (DATA / "tiktok_comment.json").read_bytes()))
    assert status == 500
    assert b"\n" not in data and b"Traceback" not in data
    assert json.loads(data) == {"error": "the delivery could not be stored (OperationalError: "
                                "database is locked); the platform will "
                                "deliver it again"}
    assert event_count(run.data_dir) == before
    assert server.lines[-1].endswith("refused with 500: " + json.loads(data)["error"])


def _linkedin_comment(n: int) -> bytes:
    urn = f"urn:li:comment:(urn:li:activity:7420000000000000000,74200000000000{n:05d})"
    return json.dumps({"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": [{
        "notificationId": 9000 + n, "organizationalEntity": "urn:li:organization:96072893",
        "action": "COMMENT", "sourcePost": "urn:li:share:7420000000000000000",
        "lastModifiedAt": 1798536000000 + n * 1000, "generatedActivity": urn,
        "decoratedGeneratedActivity": {"comment": {
            "entity": urn, "owner": f"urn:li:person:member{n}",
            "text": f"Pertanyaan nomor {n} soal kartu kredit"}}}]}).encode()


def test_concurrent_deliveries_are_serialised(receiver: tuple[Socmed, Receiver]) -> None:
    run, server = receiver
    bodies = [_linkedin_comment(n) for n in range(12)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(lambda body: server.post("linkedin", body), bodies + bodies))
    assert all(status == 200 for status, _ in answers), answers
    assert sum(answer["new"] for _, answer in answers) == 12
    assert sum(answer["duplicates"] for _, answer in answers) == 12
    assert len(run.json("inbox", "list", "--platform", "linkedin")) == 12


def test_listen_refuses_a_member_who_may_not_ingest(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    line = assert_one_line_error(run("--as", "sari.legal", "inbox", "listen", "--port", "0"))
    assert "may not ingest audience interactions" in line
    result = run("--as", "adi.admin", "inbox", "listen", "--max-body", "lots")
    assert result.exit_code == 2 and "'lots' is not a size" in result.output


def test_sizes() -> None:
    assert parse_size("1MB") == parse_size("1m") == parse_size("1 MiB") == 1024 * 1024
    assert parse_size("512KB") == 512 * 1024 and parse_size("65536") == 65536
    assert parse_size("100b") == 100 and parse_size("2 kib") == 2048
    for bad in ("", "0", "-1", "1TB", "1.5MB", "lots", "1ib", "1 bb"):
        with pytest.raises(InvalidInputError):
            parse_size(bad)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_listener(data_dir: Path) -> tuple[subprocess.Popen[str], int]:
    """`socmed inbox listen` as its own process on a free port, once it says it listens."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    env.update(ENV, SOCMED_LANG="en", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    process = subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(data_dir), "--as",
         "adi.admin", "inbox", "listen", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    started = process.stderr.readline()
    assert f"Listening on http://127.0.0.1:{port}/webhooks/" in started, started
    return process, port


def test_sigterm_finishes_the_request_in_flight_then_stops(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir)
    try:
        assert process.stderr is not None
        body = (DATA / "linkedin_notifications.json").read_bytes()
        head = (f"POST /webhooks/linkedin HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"X-LI-Signature: {sign('linkedin', body)['X-LI-Signature']}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
            conn.sendall(head.encode() + body[:100])  # the delivery is in flight...
            time.sleep(0.5)
            process.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert process.poll() is None  # ...so the receiver waits for it
            conn.sendall(body[100:])
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        assert answer.startswith(b"HTTP/1.0 200 OK"), answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["new"] == 4
        assert process.wait(timeout=10) == 0
        rest = process.stderr.read()
        assert "LinkedIn: 4 new, 0 duplicates of 4" in rest
        assert rest.rstrip().endswith("Stopped: every request in flight was finished.")
        assert "Traceback" not in rest
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert len(run.json("inbox", "list", "--platform", "linkedin")) == 3
