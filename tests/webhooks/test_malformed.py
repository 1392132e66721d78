"""The webhook endpoints under signed but malformed deliveries and odd methods.

A platform retries a 500 for days, so a delivery that is signed but can never be read is
answered 400 (one JSON line), kept as refused and never processed; other methods get 405
with `Allow`, in JSON.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import Services, bootstrap
from tests.conftest import seed_team
from tests.webhooks.helpers import DATA, LiveWebhooks, raw, sign

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
def store(tmp_path: Path) -> Iterator[Services]:
    services = bootstrap(tmp_path / "store")
    seed_team(services.app)
    yield services
    services.close()


@pytest.fixture
def live(store: Services) -> Iterator[LiveWebhooks]:
    server = LiveWebhooks(store)
    yield server
    server.stop()


@pytest.mark.parametrize("name", list(MALFORMED))
def test_signed_malformed_deliveries_answer_400_kept_refused(
        live: LiveWebhooks, store: Services, name: str) -> None:
    before = store.app.recorder.max_notification_id()
    body = MALFORMED[name]
    status, headers, data = live.request("POST", "/webhooks/meta", body, sign("meta", body))
    assert status == 400, (name, data[:300])
    assert headers["content-type"] == "application/json"
    assert b"\n" not in data and b"Traceback" not in data
    error = json.loads(data)["error"]
    assert error.startswith("webhook from Meta not read (") and len(error) < 600, error
    [row] = live.inbox.all()
    assert (row.verdict, row.state, row.body) == ("valid", "refused", body)
    assert store.app.recorder.max_notification_id() == before
    assert live.lines[-1].endswith(f"refused with 400: {error}")


def test_a_malformed_delivery_is_named_in_indonesian(store: Services) -> None:
    server = LiveWebhooks(store, lang="id")
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


@pytest.mark.parametrize("method", ["OPTIONS", "TRACE", "PATCH", "DELETE"])
def test_other_methods_answer_405_with_allow(live: LiveWebhooks, method: str) -> None:
    status, headers, data = live.request(method, "/webhooks/meta")
    assert status == 405
    assert headers["allow"] == "GET, POST"
    assert headers["content-type"] == "application/json"
    assert json.loads(data)["error"] == f"{method} is not accepted here: use GET, POST"
    status, headers, _ = live.request(method, "/webhooks/tiktok")
    assert status == 405 and headers["allow"] == "POST"


@pytest.mark.parametrize("method", ["PROPFIND", "BREW", "CONNECT", "X" * 5000])
def test_unknown_methods_get_a_4xx_and_no_traceback(live: LiveWebhooks, method: str) -> None:
    """Methods HTTP does not define are refused by the server before the router (405 or
    400), never a 5xx, and nothing is recorded."""
    answer = raw(live.port, f"{method} /webhooks/meta HTTP/1.1\r\nHost: x\r\n"
                 "Connection: close\r\n\r\n".encode())
    status = int(answer.split(b" ", 2)[1]) if answer else 400
    assert 400 <= status < 500 and b"Traceback" not in answer
    assert live.inbox.all() == []
