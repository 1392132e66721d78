"""The webhook endpoints over real HTTP (uvicorn on 127.0.0.1), on SQLite and PostgreSQL.

Every delivery answered 2xx is a committed row of the webhook inbox with its signature
verdict; refused deliveries are kept as refused and never reach the event store; a body over
the limit writes nothing; the worker turns recorded deliveries into the inbox exactly as
`socmed inbox webhook` does (redeliveries add nothing). These are the assertions of the
retired http.server receiver's tests, ported to the new receiver.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from socmed_adapters.bootstrap import Services
from socmed_adapters.monitoring.webhook_delivery import parse_size
from socmed_adapters.monitoring.webhook_worker import WebhookWorker
from socmed_domain.errors import InvalidInputError
from tests.conftest import Backend, seed_team
from tests.webhooks.helpers import DATA, ENV, FIXTURES, LiveWebhooks, linkedin_comment, raw, sign


def events(services: Services) -> int:
    """The position of the last event recorded (the log only grows)."""
    return int(services.app.recorder.max_notification_id() or 0)


@pytest.fixture
def store(backend: Backend) -> Services:
    services = backend.services()
    seed_team(services.app)
    return services


@pytest.fixture
def live(store: Services) -> Iterator[LiveWebhooks]:
    server = LiveWebhooks(store)
    yield server
    server.stop()


def worker(services: Services, **options: Any) -> WebhookWorker:
    options.setdefault("mentions", None)
    return WebhookWorker.of(services, "adi.admin", **options)


def test_signed_deliveries_are_recorded_then_processed_once(live: LiveWebhooks,
                                                           store: Services) -> None:
    before = events(store)
    expected = {"meta": (3, 2), "x": (3, 3), "tiktok": (1, 1), "linkedin": (4, 3)}
    for family, name in FIXTURES.items():
        status, answer = live.post(family, (DATA / name).read_bytes())
        assert status == 200, answer
        assert answer["platform"] == family and answer["state"] == "pending"
        row = live.inbox.get(answer["delivery"])
        assert row is not None and row.verdict == "valid" and row.state == "pending"
        assert row.body == (DATA / name).read_bytes()  # the raw body, byte for byte
        assert set(row.headers) == set(sign(family, row.body))
    assert events(store) == before  # recorded, not yet processed
    done: list[tuple[str, int, int]] = []
    processor = worker(store, on_done=lambda d, r: done.append((d.platform, r.new, r.opened)))
    assert processor.drain().done == 4
    assert {(p, new, opened) for p, new, opened in done} == {
        (family, new, opened) for family, (new, opened) in expected.items()}
    after = events(store)
    assert after > before
    for family, name in FIXTURES.items():  # platforms deliver at least once
        status, answer = live.post(family, (DATA / name).read_bytes())
        assert status == 200
    second = worker(store)
    assert second.drain().done == 4
    assert events(store) == after  # every message counted as a duplicate, nothing added
    results = [row.result for row in live.inbox.all()]
    assert [r["duplicates"] for r in results[4:] if r] == [3, 3, 1, 4]
    assert sum("recorded" in line for line in live.lines) == 8


def test_unsigned_forged_and_stale_deliveries_are_kept_refused_and_never_processed(
        live: LiveWebhooks, store: Services) -> None:
    before = events(store)
    body = (DATA / "linkedin_notifications.json").read_bytes()
    forged = hmac.new(b"guessed", b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    status, answer = live.post("linkedin", body, {"X-LI-Signature": forged})
    assert status == 403 and "does not match" in answer["error"]
    assert "kept as refused, never processed" in answer["error"]
    status, answer = live.post("linkedin", body, {})
    assert status == 401 and "X-LI-Signature header is missing" in answer["error"]
    tampered = body.replace(b"Transfer antarbank", b"Transfer antarbenk")
    status, _ = live.post("linkedin", tampered, sign("linkedin", body))
    assert status == 403
    meta = (DATA / "instagram_comments.json").read_bytes()
    x_style = {"X-Hub-Signature-256": sign("x", meta)["x-twitter-webhooks-signature"]}
    assert live.post("meta", meta, x_style)[0] == 403  # another platform's encoding
    tiktok = (DATA / "tiktok_comment.json").read_bytes()
    old = int(time.time()) - 3600
    digest = hmac.new(b"tiktok-secret", f"{old}.".encode() + tiktok, hashlib.sha256).hexdigest()
    status, answer = live.post("tiktok", tiktok, {"TikTok-Signature": f"t={old},s={digest}"})
    assert status == 403 and "a replay?" in answer["error"]
    rows = live.inbox.all()
    assert [(r.verdict, r.state) for r in rows] == [
        ("bad_signature", "refused"), ("unsigned", "refused"), ("bad_signature", "refused"),
        ("bad_signature", "refused"), ("stale", "refused")]
    assert rows[0].body == body and rows[0].headers == {"X-LI-Signature": forged}
    assert rows[0].last_error is not None and "error.webhook_bad_signature" in rows[0].last_error
    assert worker(store).drain().claimed == 0
    assert events(store) == before
    assert sum("refused with 403" in line for line in live.lines) == 4


def test_a_platform_without_its_secret_is_refused_and_kept(store: Services) -> None:
    before = events(store)
    server = LiveWebhooks(store, environ={k: v for k, v in ENV.items() if "TIKTOK" not in k})
    try:
        status, answer = server.post("tiktok", (DATA / "tiktok_comment.json").read_bytes())
        assert status == 503 and "SOCMED_TIKTOK_CLIENT_SECRET" in answer["error"]
        assert [(r.verdict, r.state) for r in server.inbox.all()] == [("no_secret", "refused")]
    finally:
        server.stop()
    assert worker(store).drain().claimed == 0 and events(store) == before


def test_subscription_handshakes(live: LiveWebhooks) -> None:
    status, _, data = live.request(
        "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=nusa-verify"
        "&hub.challenge=1158201444")
    assert (status, data) == (200, b"1158201444")
    status, _, _ = live.request(
        "GET", "/webhooks/meta?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1")
    assert status == 403
    status, _, data = live.request("GET", "/webhooks/x?crc_token=crc-abc")
    crc = base64.b64encode(hmac.new(b"x-secret", b"crc-abc", hashlib.sha256).digest())
    assert status == 200
    assert json.loads(data) == {"response_token": "sha256=" + crc.decode()}
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    status, headers, data = live.request("GET", f"/webhooks/linkedin?challengeCode={code}")
    assert status == 200 and headers["content-type"] == "application/json"
    assert json.loads(data) == {
        "challengeCode": code,
        "challengeResponse": hmac.new(b"linkedin-secret", code.encode(),
                                      hashlib.sha256).hexdigest()}
    status, _, data = live.request("GET", "/webhooks/linkedin")
    assert status == 400 and b"challengeCode" in data
    status, headers, _ = live.request("GET", "/webhooks/tiktok")
    assert status == 405 and headers["allow"] == "POST"
    assert sum("subscription check answered" in line for line in live.lines) == 3
    assert live.inbox.all() == []  # handshakes are not deliveries


def test_too_large_writes_nothing_and_other_refusals(store: Services) -> None:
    server = LiveWebhooks(store, max_body=parse_size("2KB"), prefix="/hooks/")
    try:
        body = (DATA / "linkedin_notifications.json").read_bytes()
        assert len(body) > 2048
        status, answer = server.post("linkedin", body, prefix="/hooks")
        assert status == 413 and "over the limit of 2048" in answer["error"]
        # Chunked, no Content-Length: counted as it arrives, refused past the limit.
        signature = sign("linkedin", body)["X-LI-Signature"]
        head = (f"POST /hooks/linkedin HTTP/1.1\r\nHost: x\r\nX-LI-Signature: {signature}\r\n"
                "Transfer-Encoding: chunked\r\n\r\n").encode()
        chunked = b"".join(f"{len(body[i:i + 1000]):x}\r\n".encode() + body[i:i + 1000]
                           + b"\r\n" for i in range(0, len(body), 1000)) + b"0\r\n\r\n"
        assert raw(server.port, head + chunked).startswith(b"HTTP/1.1 413 ")
        assert server.inbox.all() == []  # nothing written
        status, _, data = server.request("POST", "/webhooks/linkedin", b"{}",
                                         sign("linkedin", b"{}"))
        assert status == 404
        status, _, data = server.request("POST", "/hooks/instagram", b"{}")
        assert status == 404 and b"/hooks/linkedin" in data
        status, headers, _ = server.request("PUT", "/hooks/meta", b"{}")
        assert status == 405 and headers["allow"] == "GET, POST"
        status, _, _ = server.request("DELETE", "/hooks/x")
        assert status == 405
        empty = b'{"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS"}'
        for bad in (b"not json", b"[1, 2]", empty):
            status, answer = server.post("linkedin", bad, prefix="/hooks")
            assert status == 400, bad
            assert answer["error"].startswith("webhook from LinkedIn not read")
        assert [(r.verdict, r.state) for r in server.inbox.all()] == [("valid", "refused")] * 3
        assert worker(store).drain().claimed == 0
    finally:
        server.stop()


def test_broken_and_slow_requests_get_an_answer_and_no_traceback(
        store: Services, capfd: pytest.CaptureFixture[str]) -> None:
    server = LiveWebhooks(store, body_timeout=0.5)
    try:
        body = (DATA / "linkedin_notifications.json").read_bytes()
        signature = sign("linkedin", body)["X-LI-Signature"]
        head = f"POST /webhooks/linkedin HTTP/1.1\r\nHost: x\r\nX-LI-Signature: {signature}\r\n"
        answer = raw(server.port, f"{head}Content-Length: many\r\n\r\n".encode())
        assert answer.startswith(b"HTTP/1.1 400 ")
        raw(server.port, f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body[:50],
            close_early=True)  # a client gone mid-body
        answer = raw(server.port, f"{head}Content-Length: {len(body)}\r\n\r\n".encode()
                     + body[:50])
        assert answer.startswith(b"HTTP/1.1 408 ") and b"within 0.5 s" in answer
        assert server.inbox.all() == []
        status, answer_json = server.post("linkedin", body)  # still serving
        assert status == 200 and answer_json["state"] == "pending"
    finally:
        server.stop()
    assert "Traceback" not in capfd.readouterr().err
    assert not any("Traceback" in line for line in server.lines)


def test_storage_failure_is_one_json_line_and_nothing_kept(
        live: LiveWebhooks, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise OSError("database is locked\n[SQL: INSERT ...]")

    receiver_inbox = live.inbox
    monkeypatch.setattr(live.endpoints.receiver.writer.inbox, "record", locked)
    body = (DATA / "tiktok_comment.json").read_bytes()
    status, _, data = live.request("POST", "/webhooks/tiktok", body, sign("tiktok", body))
    assert status == 500
    assert b"\n" not in data and b"Traceback" not in data
    assert json.loads(data) == {"error": "the delivery could not be stored (OSError: "
                                "database is locked); the platform will deliver it again"}
    monkeypatch.undo()
    assert receiver_inbox.all() == []
    assert live.lines[-1].endswith("refused with 500: " + json.loads(data)["error"])


def test_concurrent_deliveries_are_each_recorded_and_processed_once(
        live: LiveWebhooks, store: Services) -> None:
    bodies = [linkedin_comment(n) for n in range(12)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda body: live.post("linkedin", body), bodies + bodies))
    assert all(status == 200 for status, _ in answers), answers
    assert len({answer["delivery"] for _, answer in answers}) == 24
    report = worker(store).drain()
    assert report.done == 24
    results = [row.result for row in live.inbox.all()]
    assert sum(r["new"] for r in results if r) == 12
    assert sum(r["duplicates"] for r in results if r) == 12


def test_more_deliveries_at_once_than_the_bound_are_answered_503(store: Services) -> None:
    server = LiveWebhooks(store, max_concurrent=1, body_timeout=5)
    try:
        body = linkedin_comment(1)
        signature = sign("linkedin", body)["X-LI-Signature"]
        head = (f"POST /webhooks/linkedin HTTP/1.1\r\nHost: x\r\nX-LI-Signature: {signature}"
                f"\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
            slow.sendall(head + body[:20])  # holds the one slot while its body arrives
            time.sleep(0.3)
            status, headers, data = server.request("POST", "/webhooks/linkedin", body,
                                                   sign("linkedin", body))
            assert status == 503 and headers["retry-after"] == "1"
            assert "too many deliveries at once" in json.loads(data)["error"]
            slow.sendall(body[20:])
            assert slow.recv(65536).startswith(b"HTTP/1.1 200 ")
        assert len(server.inbox.all()) == 1  # the refused one was not kept
    finally:
        server.stop()


def test_a_failing_delivery_is_retried_with_backoff_then_given_up_and_surfaced(
        live: LiveWebhooks, store: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import UTC, datetime, timedelta

    assert live.post("linkedin", linkedin_comment(7))[0] == 200
    original = store.app.inbox.ingest_interactions

    def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("platform vault unreachable")

    monkeypatch.setattr(store.app.inbox, "ingest_interactions", down)
    processor = worker(store, max_attempts=3)
    before = datetime.now(UTC)
    assert processor.run_once().retrying == 1
    after = datetime.now(UTC)
    row = live.inbox.all()[0]
    assert row.state == "pending" and row.attempts == 1
    assert row.last_error == "ConnectionError: platform vault unreachable"
    assert row.next_attempt_at is not None
    # 5 s after the failure, which came between `before` and `after` (a loaded CI machine
    # took over a second between the two)
    assert before + timedelta(seconds=5) <= row.next_attempt_at <= after + timedelta(seconds=5)
    assert processor.run_once().claimed == 0  # not due yet
    status = live.inbox.status()
    assert [r.id for r in status.retrying] == [row.id] and status.counts["pending"] == 1
    later = datetime.now(UTC) + timedelta(seconds=6)
    before = datetime.now(UTC)
    assert processor.run_once(now=later).retrying == 1
    after = datetime.now(UTC)
    second = live.inbox.all()[0]
    assert second.attempts == 2 and second.next_attempt_at is not None
    assert (before + timedelta(seconds=10) <= second.next_attempt_at
            <= after + timedelta(seconds=10))  # doubled
    assert processor.run_once(now=later + timedelta(seconds=11)).failed == 1
    assert live.inbox.status().counts["failed"] == 1
    assert [r.id for r in live.inbox.status().failed] == [row.id]
    monkeypatch.setattr(store.app.inbox, "ingest_interactions", original)
    assert live.inbox.retry() == 1
    assert processor.run_once().done == 1
    assert live.inbox.status().counts == {"pending": 0, "done": 1, "failed": 0, "refused": 0}


def test_a_recorded_delivery_that_cannot_be_read_fails_at_once(store: Services) -> None:
    from datetime import UTC, datetime

    from socmed_adapters.monitoring.webhook_inbox import NewDelivery, WebhookInbox

    inbox = WebhookInbox.of(store)
    [delivery_id] = inbox.record([NewDelivery("linkedin", datetime.now(UTC), b"[1]", {},
                                              "valid", "pending")])
    assert worker(store).run_once().failed == 1
    row = inbox.get(delivery_id)
    assert row is not None and row.state == "failed" and row.attempts == 1
    assert row.last_error is not None and "not read" in row.last_error


def test_group_commit_records_a_burst_in_few_transactions(store: Services) -> None:
    """Concurrent deliveries wait for one commit together: 50 arriving at once take far
    fewer than 50 transactions, and every one gets its own id."""
    from datetime import UTC, datetime

    from socmed_adapters.monitoring.webhook_inbox import NewDelivery, WebhookInbox
    from socmed_adapters.monitoring.webhook_receiver import GroupCommit

    inbox = WebhookInbox.of(store)
    calls: list[int] = []
    record = inbox.record

    def counted(rows: Any) -> list[int]:
        calls.append(len(rows))
        return record(rows)

    inbox.record = counted  # type: ignore[method-assign]
    writer = GroupCommit(inbox)

    async def burst() -> list[int]:
        rows = [NewDelivery("x", datetime.now(UTC), b"{}", {"h": "\u00e9"}, "valid",
                            "pending") if n % 3 else
                NewDelivery("x", datetime.now(UTC), b"\x00\xff", {}, "unsigned", "refused",
                            "error.webhook_unsigned: ...") for n in range(50)]
        return list(await asyncio.gather(*(writer.record(r) for r in rows)))

    # in a thread of its own: a browser test's Playwright (sync API) may have left an event
    # loop running in this worker's main thread, where asyncio.run refuses to start
    with ThreadPoolExecutor(1) as pool:
        ids = pool.submit(asyncio.run, burst()).result()
    assert len(set(ids)) == 50 and sum(calls) == 50 and len(calls) <= 3, calls
    assert sorted(ids) == ids
    kept = {row.id: row for row in inbox.all()}
    assert [kept[i].state for i in ids] == ["refused" if n % 3 == 0 else "pending"
                                            for n in range(50)]
    assert kept[ids[0]].body == b"\x00\xff" and kept[ids[0]].next_attempt_at is None
    assert kept[ids[1]].headers == {"h": "\u00e9"}
    assert kept[ids[1]].next_attempt_at == kept[ids[1]].received_at


def test_sizes() -> None:
    assert parse_size("1MB") == parse_size("1m") == parse_size("1 MiB") == 1024 * 1024
    assert parse_size("512KB") == 512 * 1024 and parse_size("65536") == 65536
    assert parse_size("100b") == 100 and parse_size("2 kib") == 2048
    for bad in ("", "0", "-1", "1TB", "1.5MB", "lots", "1ib", "1 bb"):
        with pytest.raises(InvalidInputError):
            parse_size(bad)


def test_a_server_with_the_worker_in_process_processes_what_it_records(
        store: Services) -> None:
    """What `socmed serve` mounts: the router and the worker hooks; a delivery wakes the
    worker, which processes it without being asked."""
    from litestar import Litestar

    from socmed_web.webhooks import webhooks_with_worker

    router, start, stop = webhooks_with_worker(store, "adi.admin", environ=ENV,
                                               worker_options={"mentions": None,
                                                               "poll": 30.0})
    app = Litestar(route_handlers=[router], on_startup=start, on_shutdown=stop)
    server = LiveWebhooks(store, app=app)
    try:
        status, answer = server.post("linkedin", (DATA / "linkedin_notifications.json"
                                                  ).read_bytes())
        assert status == 200
        deadline = time.monotonic() + 10  # far less than the 30 s poll: woken, not polled
        while (row := server.inbox.get(answer["delivery"])) is None or row.state != "done":
            assert time.monotonic() < deadline, row
            time.sleep(0.05)
        assert row.result is not None and row.result["new"] == 4
    finally:
        server.stop()


def test_create_webhook_app_serves_the_router_alone(store: Services) -> None:
    from socmed_web.webhooks import create_webhook_app

    server = LiveWebhooks(store, app=create_webhook_app(store, environ=ENV, prefix="/in"))
    try:
        status, answer = server.post("x", (DATA / "x_activity.json").read_bytes(),
                                     prefix="/in")
        assert status == 200 and server.inbox.get(answer["delivery"]) is not None
        assert server.request("GET", "/webhooks/x?crc_token=a")[0] == 404
    finally:
        server.stop()


def test_a_delivery_whose_worker_keeps_dying_is_given_up(store: Services) -> None:
    """A delivery that kills its worker each time (say, out of memory) is not claimed
    forever: once its attempts reach max_attempts and the last lease ran out, the next
    claim marks it failed, saying why."""
    from datetime import UTC, datetime, timedelta

    from socmed_adapters.monitoring.webhook_inbox import NewDelivery, WebhookInbox

    inbox = WebhookInbox.of(store)
    [delivery_id] = inbox.record([NewDelivery("linkedin", datetime.now(UTC),
                                              linkedin_comment(1), {}, "valid", "pending")])
    now = datetime.now(UTC)
    for attempt in range(2):  # two workers claim it and die (they never finish or fail)
        claim = inbox.claim("doomed", lease=timedelta(seconds=10), max_attempts=2,
                            now=now + timedelta(seconds=11 * attempt))
        assert [d.id for d in claim.deliveries] == [delivery_id]
    assert inbox.claim("next", max_attempts=2, now=now + timedelta(seconds=5)).deliveries == ()
    assert inbox.claim("next", max_attempts=2, now=now + timedelta(seconds=30)).deliveries == ()
    row = inbox.get(delivery_id)
    assert row is not None and (row.state, row.attempts) == ("failed", 2)
    assert row.last_error == "given up after 2 attempts (the worker stopped during processing)"
