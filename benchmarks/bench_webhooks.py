"""Webhook deliveries acknowledged per second, signatures checked, each one a committed row of
the durable webhook inbox, beside a bare Litestar endpoint in the same server and run.

One uvicorn process serves both `/webhooks/linkedin` (the real router: body read with its
limit, HMAC-SHA256 checked, payload read, the row committed through the group commit, then
200) and `/bare` (reads the body, answers a constant). A client process keeps CONCURRENCY
keep-alive connections busy with signed LinkedIn deliveries (a comment each) and counts the
200s. Run on SQLite (synchronous=FULL: an acknowledged delivery is on disk) and on
PostgreSQL when reachable.

Run: .venv/bin/python -m benchmarks.bench_webhooks [--deliveries 6000] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import HEADER, line

SECRET = "bench-linkedin-secret"
TARGET = 1000.0


def body_of(n: int) -> bytes:
    urn = f"urn:li:comment:(urn:li:activity:7420000000000000000,7{n:018d})"
    return json.dumps({"type": "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS", "notifications": [{
        "notificationId": n, "organizationalEntity": "urn:li:organization:96072893",
        "action": "COMMENT", "sourcePost": "urn:li:share:7420000000000000000",
        "lastModifiedAt": 1798536000000 + n, "generatedActivity": urn,
        "decoratedGeneratedActivity": {"comment": {
            "entity": urn, "owner": f"urn:li:person:member{n}",
            "text": f"Pertanyaan nomor {n} soal kartu kredit"}}}]}).encode()


def request_of(path: str, body: bytes) -> bytes:
    digest = hmac.new(SECRET.encode(), b"hmacsha256=" + body, hashlib.sha256).hexdigest()
    return (f"POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"X-LI-Signature: {digest}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body


# ------------------------------------------------------------------------------- server

def serve(data_dir: str, url: str | None) -> None:
    """The server process: prints its port, serves until killed."""
    import socket

    import uvicorn
    from litestar import Litestar, Request, post

    from socmed_adapters.bootstrap import bootstrap
    from socmed_web.webhooks import webhook_router

    services = bootstrap(data_dir, database_url=url)

    @post("/bare", status_code=200)
    async def bare(request: Request) -> dict[str, str]:  # type: ignore[type-arg]
        await request.body()
        return {"state": "ok"}

    router = webhook_router(services, environ={"SOCMED_LINKEDIN_CLIENT_SECRET": SECRET},
                            max_concurrent=4096)
    app = Litestar(route_handlers=[router, bare], openapi_config=None, logging_config=None)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    print(sock.getsockname()[1], flush=True)
    uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False,
                                  lifespan="on")).run(sockets=[sock])


# ------------------------------------------------------------------------------- client

async def _connection(port: int, requests: list[bytes], counts: dict[str, int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for request in requests:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for header in head.split(b"\r\n"):
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":", 1)[1])
            await reader.readexactly(length)
            counts[str(status)] = counts.get(str(status), 0) + 1
    finally:
        writer.close()


async def _load(port: int, requests: list[bytes], concurrency: int) -> tuple[float, dict[str,
                                                                                      int]]:
    shares = [requests[i::concurrency] for i in range(concurrency)]
    counts: dict[str, int] = {}
    started = time.perf_counter()
    await asyncio.gather(*(_connection(port, share, counts) for share in shares))
    return time.perf_counter() - started, counts


def load(port: int, path: str, first: int, count: int, concurrency: int) -> tuple[float, dict[
        str, int]]:
    requests = [request_of(path, body_of(n)) for n in range(first, first + count)]
    return asyncio.run(_load(port, requests, concurrency))


# ------------------------------------------------------------------------------- run

def start_server(data_dir: str, url: str | None) -> tuple[subprocess.Popen[str], int]:
    root = Path(__file__).parents[1]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.bench_webhooks", "--serve",
                                data_dir, *(["--url", url] if url else [])],
                               stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    port = int(process.stdout.readline())
    time.sleep(1.0)  # the app loads
    return process, port


def measure(kind: str, data_dir: str, url: str | None, deliveries: int,
            concurrency: int) -> list[str]:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.monitoring.webhook_inbox import WebhookInbox

    services = bootstrap(data_dir, database_url=url)
    services.app.team.initialise("PT Bench", "rina.mm", "Rina Wijaya")
    inbox = WebhookInbox.of(services)
    process, port = start_server(data_dir, url)
    try:
        load(port, "/bare", 0, 500, concurrency)  # warm both paths
        load(port, "/webhooks/linkedin", 10**9, 500, concurrency)
        bare_s, bare_counts = load(port, "/bare", 0, deliveries, concurrency)
        ours_s, counts = load(port, "/webhooks/linkedin", 0, deliveries, concurrency)
    finally:
        process.terminate()
        process.wait(timeout=30)
    rows = inbox.status().counts
    services.close()
    assert counts == {"200": deliveries}, counts
    assert bare_counts == {"200": deliveries}, bare_counts
    assert rows["pending"] == deliveries + 500, rows  # every acknowledged one is a row
    ours, bare = deliveries / ours_s, deliveries / bare_s
    return [line(f"webhook deliveries acknowledged, signed + recorded ({kind}, "
                 f"{concurrency} concurrent, {deliveries:,})", f"{ours:,.0f}/s",
                 f"{bare:,.0f}/s bare Litestar POST", f">= {TARGET:,.0f}/s",
                 "yes" if ours >= TARGET else "no")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", default=None)
    parser.add_argument("--url", default=None)
    parser.add_argument("--deliveries", type=int, default=6000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--postgres", default=os.environ.get(
        "SOCMED_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/socmed_webhooks"))
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.url)
        return
    lines = []
    with tempfile.TemporaryDirectory() as folder:
        lines += measure("SQLite", str(Path(folder) / "store"), None, args.deliveries,
                         args.concurrency)
    try:
        import psycopg

        schema = f"bench_webhooks_{os.getpid()}"
        with psycopg.connect(args.postgres, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"CREATE SCHEMA {schema}")
        try:
            with tempfile.TemporaryDirectory() as folder:
                lines += measure("PostgreSQL", str(Path(folder) / "store"),
                                 f"{args.postgres}?schema={schema}", args.deliveries,
                                 args.concurrency)
        finally:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f"DROP SCHEMA {schema} CASCADE")
    except psycopg.OperationalError as error:
        lines.append(f"(PostgreSQL not measured: {error})")
    print(HEADER)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
