"""`socmed inbox listen`: the command itself, as a process (uvicorn serving the webhook
router), over a private copy of the team store; real HTTP on 127.0.0.1, real signatures.

The endpoint's behaviour in detail (every status, refusals kept, 413 writing nothing, the
concurrency bound, malformed bodies) is tested in tests/webhooks/; here: the command starts,
records and (with its in-process worker) processes a delivery, answers subscription checks,
refuses a member who may not ingest, and stops on SIGTERM after finishing the request in
flight, and within seconds while slow clients hold connections open.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.cli.helpers import CLEAN_ENV, Socmed, assert_one_line_error
from tests.webhooks.helpers import DATA, ENV, sign
from tests.webhooks.test_malformed import MALFORMED

ROOT = Path(__file__).parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_listener(data_dir: Path, *options: str) -> tuple[subprocess.Popen[str], int]:
    """`socmed inbox listen` as its own process on a free port, once it says it listens."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
    env.update(ENV, SOCMED_LANG="en", NO_COLOR="1",
               PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
    process = subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(data_dir), "--as",
         "adi.admin", "inbox", "listen", "--port", str(port), "--body-timeout", "5",
         *options], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    started = process.stderr.readline()
    assert f"Listening on http://127.0.0.1:{port}/webhooks/" in started, started
    _wait_for_port(port, process)
    return process, port


def _wait_for_port(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            # uvicorn accepts on the bound socket before the app is loaded: ask it once.
            answer = _exchange(port, b"GET /webhooks/tiktok HTTP/1.1\r\nHost: x\r\n"
                               b"Connection: close\r\n\r\n")
            if answer.startswith(b"HTTP/1.1 405"):
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the listener did not answer")


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as conn:
        conn.sendall(data)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
        return answer


def _post(port: int, family: str, body: bytes) -> tuple[int, dict[str, object]]:
    headers = "".join(f"{k}: {v}\r\n" for k, v in sign(family, body).items())
    answer = _exchange(port, (f"POST /webhooks/{family} HTTP/1.1\r\nHost: x\r\n{headers}"
                              f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
                              ).encode() + body)
    head, _, data = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(data)


def _stop(process: subprocess.Popen[str]) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=20)
    return err


@pytest.mark.slow  # a server process started, fed and stopped
def test_listen_records_processes_and_answers_handshakes(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir)
    try:
        status, answer = _post(port, "linkedin",
                               (DATA / "linkedin_notifications.json").read_bytes())
        assert status == 200 and answer["state"] == "pending"
        body = MALFORMED["NaN time"]
        assert _post(port, "meta", body)[0] == 400
        crc = _exchange(port, b"GET /webhooks/x?crc_token=abc HTTP/1.1\r\nHost: x\r\n"
                        b"Connection: close\r\n\r\n")
        assert crc.startswith(b"HTTP/1.1 200 ") and b"response_token" in crc
        deadline = time.monotonic() + 20
        while len(run.json("inbox", "list", "--platform", "linkedin")) < 3:
            assert time.monotonic() < deadline, "the in-process worker did not process it"
            time.sleep(0.2)
    finally:
        err = _stop(process)
    assert process.returncode == 0
    assert "LinkedIn: delivery 1 recorded" in err
    assert "delivery 1 (LinkedIn): 4 new, 0 duplicates of 4; 2 skipped, 1 without text" in err
    assert "Meta: refused with 400: webhook from Meta not read" in err
    assert err.rstrip().endswith("Stopped: every request in flight was finished.")
    assert "Traceback" not in err
    status = json.loads(run.ok("worker", "status", "--format", "json").stdout)
    assert status["counts"] == {"pending": 0, "done": 1, "failed": 0, "refused": 1}


@pytest.mark.slow
def test_without_a_worker_deliveries_wait_for_socmed_worker(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir, "--no-worker")
    try:
        assert _post(port, "tiktok", (DATA / "tiktok_comment.json").read_bytes())[0] == 200
    finally:
        _stop(process)
    assert run.json("inbox", "list", "--platform", "tiktok") == []
    assert "1 pending" in run.ok("worker", "status").stdout
    done = run.ok("--as", "adi.admin", "worker", "--once").stdout
    assert "delivery 1 (TikTok): 1 new" in done and "Processed 1 delivery" in done
    assert len(run.json("inbox", "list", "--platform", "tiktok")) == 1
    again = run.ok("--as", "adi.admin", "worker", "--once").stdout
    assert "Processed 0 deliveries" in again


def test_listen_and_worker_refuse_a_member_who_may_not_ingest(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    line = assert_one_line_error(run("--as", "sari.legal", "inbox", "listen", "--port", "0"))
    assert "may not ingest audience interactions" in line
    line = assert_one_line_error(run("--as", "sari.legal", "worker", "--once"))
    assert "may not ingest audience interactions" in line
    result = run("--as", "adi.admin", "inbox", "listen", "--max-body", "lots")
    assert result.exit_code == 2 and "'lots' is not a size" in result.output


@pytest.mark.slow  # a server process stopped with a request in flight
def test_sigterm_finishes_the_request_in_flight_then_stops(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir)
    try:
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
        assert answer.startswith(b"HTTP/1.1 200 OK"), answer
        assert json.loads(answer.split(b"\r\n\r\n", 1)[1])["state"] == "pending"
        assert process.wait(timeout=15) == 0
        rest = _stop(process)
        assert rest.rstrip().endswith("Stopped: every request in flight was finished.")
        assert "Traceback" not in rest
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    # Recorded before the answer; processed now if the in-process worker had no time.
    run.ok("--as", "adi.admin", "worker", "--once")
    assert len(run.json("inbox", "list", "--platform", "linkedin")) == 3


@pytest.mark.slow  # a server process stopped with clients attached
def test_sigterm_stops_within_seconds_while_slow_clients_stay_connected(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    assert run.data_dir is not None
    process, port = start_listener(run.data_dir)
    clients: list[socket.socket] = []
    try:
        silent = socket.create_connection(("127.0.0.1", port), timeout=10)
        clients.append(silent)  # connected, never sends a byte
        slow = socket.create_connection(("127.0.0.1", port), timeout=10)
        slow.sendall(b"POST /webhooks/meta HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Hub-")
        clients.append(slow)  # a request line and half a header, then nothing
        answered = socket.create_connection(("127.0.0.1", port), timeout=10)
        answered.sendall(b"GET /webhooks/nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        assert answered.recv(65536).startswith(b"HTTP/1.1 404 ")
        clients.append(answered)  # answered, left open by the client
        time.sleep(0.3)
        stopped_at = time.monotonic()
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=20)
        took = time.monotonic() - stopped_at
        assert code == 0
        assert took < 12, took  # uvicorn's graceful shutdown bound (10 s), not a socket timeout
        assert "Traceback" not in _stop(process)
    finally:
        for client in clients:
            client.close()
        if process.poll() is None:
            process.kill()
            process.wait()


def test_worker_status_shows_a_failed_delivery_and_retry_puts_it_back(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    from datetime import UTC, datetime

    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.monitoring.webhook_inbox import NewDelivery, WebhookInbox

    run, _ = team_store
    assert run.data_dir is not None
    services = bootstrap(run.data_dir)
    try:
        inbox = WebhookInbox.of(services)
        inbox.record([NewDelivery("linkedin", datetime.now(UTC), b"[1, 2]", {}, "valid",
                                  "pending"),
                      NewDelivery("tiktok", datetime.now(UTC),
                                  (DATA / "tiktok_comment.json").read_bytes(), {}, "valid",
                                  "pending")])
    finally:
        services.close()
    done = run.ok("--as", "adi.admin", "worker").stdout  # --once is the default
    assert "Processed 1 delivery; 0 to retry later, 1 failed." in done
    status = run.ok("worker", "status").stdout
    assert "1 done, 1 failed, 0 refused" in status
    assert "#1 linkedin, 1 attempts, failed: webhook from LinkedIn not read" in status
    assert json.loads(run.ok("worker", "status", "--format", "json").stdout)["failed"][0][
        "id"] == 1
    assert "1 failed delivery put back" in run.ok("worker", "retry", "1").stdout
    assert "1 pending, 1 done, 0 failed" in run.ok("--lang", "en", "worker", "status").stdout
    indonesian = run.ok("--lang", "id", "worker", "status").stdout
    assert "Kiriman webhook: 1 menunggu, 1 selesai, 0 gagal, 0 ditolak." in indonesian
