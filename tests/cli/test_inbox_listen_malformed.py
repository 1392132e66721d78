"""The webhook receiver under signed but malformed deliveries, odd methods and slow clients.

A platform retries a 500 for days, so a delivery that is signed but can never be read must be
answered 400 (one JSON line) and stored nowhere; OPTIONS, TRACE and CONNECT get 405 with
`Allow`, not http.server's 501 HTML page; and SIGTERM stops the receiver within a few seconds
even while clients hold connections open without finishing a request.
"""

from __future__ import annotations

import json
import signal
import socket
import time
from collections.abc import Iterator

import pytest

from socmed_adapters.monitoring.webhook_server import REQUEST_TIMEOUT, STOP_GRACE
from tests.cli.helpers import Socmed, event_count
from tests.cli.test_inbox_listen import (
    DATA,
    Receiver,
    _raw,
    sign,
    start_listener,
)

BASE = (DATA / "instagram_comments.json").read_bytes()
DEEP = (b'{"object": "instagram", "entry": ' + b"[" * 20000 + b"]" * 20000 + b"}")

MALFORMED = {
    "20,000-deep JSON": DEEP,
    "time 1e400": BASE.replace(b'"time": 1798536000', b'"time": 1e400'),
    "time 1e20": BASE.replace(b'"time": 1798536000', b'"time": 1e20'),
    "time -1e20": BASE.replace(b'"time": 1798536000', b'"time": -1e20'),
    "a 5,000-digit time": BASE.replace(b'"time": 1798536000', b'"time": 1' + b"0" * 5000),
    "NaN time": BASE.replace(b'"time": 1798536000', b'"time": NaN'),
    "a lone surrogate escape": BASE.replace(b'"sama kak, aku juga"', b'"sama \\ud800 kak"'),
    "a lone surrogate key": BASE.replace(b'"object"', b'"\\udfff"', 1),
    "Latin-1 bytes": BASE.replace(b"sama kak", b"sam\xe9 kak"),
    "a NUL byte": BASE.replace(b"sama kak", b"sama\x00kak"),
    "entries that are not objects": b'{"object": "instagram", "entry": [1, "x", null]}',
    "changes that are a string": BASE.replace(b'"changes": [', b'"changes": "x", "y": ['),
}


@pytest.fixture
def receiver(team_store: tuple[Socmed, dict[str, str]]) -> Iterator[tuple[Socmed, Receiver]]:
    run, _ = team_store
    assert run.data_dir is not None
    listening = Receiver(run.data_dir)
    yield run, listening
    listening.stop()


@pytest.mark.parametrize("name", list(MALFORMED))
def test_signed_malformed_deliveries_answer_400_and_store_nothing(
        receiver: tuple[Socmed, Receiver], name: str) -> None:
    run, server = receiver
    assert run.data_dir is not None
    before = event_count(run.data_dir)
    body = MALFORMED[name]
    status, headers, data = server.request("POST", "/webhooks/meta", body, sign("meta", body))
    assert status == 400, (name, data[:300])
    assert headers["Content-Type"] == "application/json"
    assert b"\n" not in data and b"Traceback" not in data
    error = json.loads(data)["error"]
    assert error.startswith("webhook from Meta not read (") and len(error) < 600, error
    assert event_count(run.data_dir) == before
    assert server.lines[-1].endswith(f"refused with 400: {error}")


def test_a_malformed_delivery_is_named_in_indonesian(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    server = Receiver(run.data_dir, lang="id")
    try:
        for body, expected in ((DEEP, "bersarang lebih dari 64 tingkat"),
                               (MALFORMED["a lone surrogate escape"], "surrogate tunggal"),
                               (MALFORMED["time 1e400"], "bukan angka hingga")):
            status, _, data = server.request("POST", "/webhooks/meta", body,
                                             sign("meta", body))
            error = json.loads(data)["error"]
            assert status == 400 and error.startswith("webhook dari Meta tidak terbaca")
            assert expected in error, error
    finally:
        server.stop()


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PROPFIND", "BREW"])
def test_other_methods_answer_405_with_allow(receiver: tuple[Socmed, Receiver],
                                             method: str) -> None:
    _, server = receiver
    status, headers, data = server.request(method, "/webhooks/meta")
    assert status == 405
    assert headers["Allow"] == "GET, POST"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(data)["error"] == f"{method} is not accepted here: use GET, POST"
    status, headers, _ = server.request(method, "/webhooks/tiktok")
    assert status == 405 and headers["Allow"] == "POST"


def test_connect_answers_405_with_allow(receiver: tuple[Socmed, Receiver]) -> None:
    _, server = receiver
    answer = _raw(server.port, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 405 ")
    assert b"\r\nAllow: GET, POST" in head
    assert json.loads(body)["error"] == "CONNECT is not accepted here: use GET, POST"


def test_a_long_method_is_quoted_short(receiver: tuple[Socmed, Receiver]) -> None:
    _, server = receiver
    answer = _raw(server.port, b"X" * 5000 + b" /webhooks/meta HTTP/1.1\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.0 405 ")
    assert len(json.loads(body)["error"]) < 250


@pytest.mark.slow  # a server process stopped with clients attached
def test_sigterm_stops_within_seconds_while_slow_clients_stay_connected(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir)
    clients: list[socket.socket] = []
    try:
        assert process.stderr is not None
        silent = socket.create_connection(("127.0.0.1", port), timeout=10)
        clients.append(silent)  # connected, never sends a byte
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Hub-")
        clients.append(slow)  # a request line and half a header, then nothing
        answered = socket.create_connection(("127.0.0.1", port), timeout=10)
        answered.sendall(b"GET /webhooks/nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answered.recv(65536).startswith(b"HTTP/1.0 404 ")
        clients.append(answered)  # answered, left open by the client
        time.sleep(0.3)
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=STOP_GRACE + 10)
        took = time.monotonic() - stopped_at
        assert code == 0
        # Without the shutdown of idle and slow connections the stop waited for the socket
        # timeout (REQUEST_TIMEOUT, 30 s) and longer; with it, about STOP_GRACE (3 s).
        assert took < REQUEST_TIMEOUT / 2, took
        rest = process.stderr.read()
        assert "Traceback" not in rest
    finally:
        for client in clients:
            client.close()
        if process.poll() is None:
            process.kill()
            process.wait()
