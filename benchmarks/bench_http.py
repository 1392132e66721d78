"""The HTTP API under load: read endpoints on a 1M-event store at 32 concurrent clients beside
a bare Litestar endpoint, and command endpoints beside the library's own command throughput.

Everything runs as real processes on 127.0.0.1, on ports the OS chooses:

- the server is `socmed serve --port 0 --workers W` (uvicorn, the production app, its request
  log and security headers), each request authenticated by a real API token (bearer);
- the baseline server is `uvicorn benchmarks.bare_litestar:create` (one endpoint returning a
  constant) with the same workers;
- the load is wrk (C, `apt-get install wrk`) with `benchmarks/wrk_paths.lua`, 32 connections
  by default, each request a path drawn at random (random cursors, random items); without
  wrk on PATH, an asyncio + httpx client does the same (it costs the server CPU: on 2 cores
  its figures are worse than wrk's).

Reads, on a copy of the 1M-event store of bench_projections (kept in --cache, made once; the
copy gets the bench's team members, a token and an approval queue of --queue items made by
the real commands, and is kept too):
- approval queue page: `GET /api/v1/content?status=awaiting_approval&limit=50[&after=]`;
- content list page: `GET /api/v1/content?limit=50&after=<random cursor>`;
- one item's audit trail: `GET /api/v1/audit?item=<random item>`.

Commands: the same five commands bench_commands runs in-process (create, submit for review,
review, submit for approval, approve), as POSTs by three members' tokens, against
`bench_commands.socmed_commands` on a fresh store of the same backend. The approve names the
revision hash it was shown, so each item's flow also GETs the item before approving (counted in
the HTTP time, not as a command). The bench store's access policy asks no second factor of
any role (a token cannot carry one), an audited policy change made before the run.

Run:
  .venv/bin/python -m benchmarks.bench_http                     # 1M events, SQLite
  .venv/bin/python -m benchmarks.bench_http --postgres postgresql://postgres@127.0.0.1:5432/socmed_bench
  .venv/bin/python -m benchmarks.bench_http --quick             # a small store, seconds
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.common import HEADER, line

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk_paths.lua"
READ_P95_MS = 25.0
COMMAND_RATIO = 0.7
#: Requests a flow sends per command: five commands and the GET of the item before approving.
REQUESTS_PER_COMMAND = 6 / 5
MEMBERS = (("budi.dm", "Budi", "DIGITAL_MARKETING"), ("dewi.dm", "Dewi", "DIGITAL_MARKETING"))
TEXT = "Promo akhir tahun untuk nasabah setia."


# ------------------------------------------------------------------ servers

class Server:
    """A server process on 127.0.0.1 and a port the OS chose (read from its start-up line)."""

    def __init__(self, argv: list[str], workers: int,
                 env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
                 **(env or {})})
        self.lines: list[str] = []
        self.port: int | None = None
        self.workers, self.started = workers, 0
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 120
        while self.port is None or self.started < workers:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("server did not start:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.05)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for text in self.process.stderr:
            if len(self.lines) < 10_000:
                self.lines.append(text.rstrip("\n"))
            found = re.search(r"running on http://127\.0\.0\.1:(\d+)", text)
            if self.port is None and found:
                self.port = int(found.group(1))
            if "Application startup complete" in text:
                self.started += 1

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)


@contextmanager
def socmed_server(store_args: list[str], workers: int) -> Iterator[Server]:
    server = Server([sys.executable, "-m", "socmed_cli.main", *store_args, "serve",
                     "--port", "0", "--workers", str(workers)], workers)
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def bare_server(workers: int) -> Iterator[Server]:
    server = Server([sys.executable, "-m", "uvicorn", "benchmarks.bare_litestar:create",
                     "--factory", "--host", "127.0.0.1", "--port", "0", "--workers",
                     str(workers), "--no-access-log", "--log-level", "info"], workers)
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------ load

def load(server: Server, paths: list[str], token: str | None, clients: int, seconds: float,
         tool: str) -> dict[str, float]:
    """GET random `paths` from `clients` connections for `seconds` (after a short warm-up):
    p50/p95/p99 in ms, requests/s, how many answers were not 2xx, and the CPU time the
    server's processes spent per request (which, unlike latency, other work on the machine
    does not inflate)."""
    load_fn = _wrk if tool == "wrk" else _httpx
    load_fn(server.url, paths, token, clients, max(1.0, seconds / 5))  # warm-up, discarded
    cpu = idle_cpu_seconds(server.process.pid)
    result = load_fn(server.url, paths, token, clients, seconds)
    # When the load stops, each connection has one request in flight: the server finishes
    # them after the count, so they are counted here.
    result["cpu_ms"] = (idle_cpu_seconds(server.process.pid) - cpu) * 1000 / (
        result["requests"] + clients)
    return result


def idle_cpu_seconds(pid: int) -> float:
    """The server's CPU seconds once it has finished what it was doing."""
    last = server_cpu_seconds(pid)
    for _ in range(150):
        time.sleep(0.2)
        now = server_cpu_seconds(pid)
        if now - last < 0.01:
            return now
        last = now
    return last


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    total, wanted = 0.0, {pid}
    while wanted:
        current = wanted.pop()
        total += times.get(current, 0.0)
        wanted |= {child for child, parent in parents.items() if parent == current}
    return total


def _wrk(url: str, paths: list[str], token: str | None, clients: int,
         seconds: float) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    try:
        done = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{max(1, round(seconds))}s",
             "--timeout", "10s", "-s", str(LUA), url], capture_output=True, text=True,
            env={**os.environ, "BENCH_PATHS": handle.name, "BENCH_TOKEN": token or ""})
        if done.returncode != 0:
            raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
        out = done.stdout
    finally:
        os.unlink(handle.name)
    result = json.loads([t for t in out.splitlines() if t.startswith("{")][-1])
    return {"p50": result["p50_us"] / 1000, "p95": result["p95_us"] / 1000,
            "p99": result["p99_us"] / 1000,
            "rps": result["requests"] / (result["duration_us"] / 1e6),
            "errors": result["status_errors"] + result["socket_errors"],
            "requests": result["requests"]}


def _httpx(url: str, paths: list[str], token: str | None, clients: int,
           seconds: float) -> dict[str, float]:
    import httpx

    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    times: list[float] = []
    errors = 0

    async def client(http: httpx.AsyncClient, stop: float, rng: random.Random) -> None:
        nonlocal errors
        while time.perf_counter() < stop:
            started = time.perf_counter()
            answer = await http.get(rng.choice(paths))
            times.append(time.perf_counter() - started)
            errors += answer.status_code >= 300

    async def run() -> float:
        limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
        async with httpx.AsyncClient(base_url=url, headers=headers, limits=limits,
                                     timeout=30) as http:
            started = time.perf_counter()
            stop = started + seconds
            await asyncio.gather(*(client(http, stop, random.Random(n))
                                   for n in range(clients)))
            return time.perf_counter() - started

    elapsed = asyncio.run(run())
    ordered = sorted(times)

    def pct(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    return {"p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99),
            "rps": len(times) / elapsed, "errors": errors, "requests": len(times)}


# ------------------------------------------------------------------ read store

def read_store(cache: Path, events: int, queue: int) -> tuple[Path, dict[str, Any]]:
    """The store the reads run on: a copy of bench_projections' cached store of `events`
    events with the bench's members, an approval queue, a read token, and the paths to
    request, made once and kept in `cache/http-<events>`."""
    from benchmarks.bench_projections import make_store

    source = cache / str(events)
    target = cache / f"http-{events}-q{queue}"
    meta = target / "bench_http.json"
    if meta.exists():
        return target, json.loads(meta.read_text())
    make_store(source, events)
    partial = cache / f"http-{events}-q{queue}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(source, partial)
    data = _prepare_read_store(partial, queue)
    (partial / "bench_http.json").write_text(json.dumps(data))
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target, data


def _prepare_read_store(folder: Path, queue: int) -> dict[str, Any]:
    from sqlalchemy import select

    from socmed_adapters.bootstrap import bootstrap
    from socmed_domain.identity.principal import Scope
    from socmed_domain.platforms import Platform
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft
    from socmed_domain.roles import Role
    from socmed_web.web import encode_cursor

    services = bootstrap(folder, create=False)
    app = services.app
    for member, name, role in MEMBERS:
        app.add_member("rina.mm", member, name, Role[role])
    draft = Draft(text=TEXT, platforms=(Platform.LINKEDIN,))
    for number in range(queue):
        item = app.create_content("budi.dm", f"Antrean {number}", draft)
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("dewi.dm", item)
    token = app.identity.create_token("rina.mm", "bench_http", Scope.READ, timedelta(days=90))
    models = services.read_models  # caught up
    board = services.projector.table("content_board")
    with services.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(
            select(board.c.created_at, board.c.item_id, board.c.status)
            .order_by(board.c.created_at, board.c.item_id)).all()]
    del models
    rng = random.Random(15)
    everything = [(at, item) for at, item, _ in rows]
    waiting = [(at, item) for at, item, status in rows if status == "awaiting_approval"]
    assert len(waiting) >= queue, "the approval queue is not in the content board"
    base = "/api/v1/content?limit=50"
    queue_paths = [f"{base}&status=awaiting_approval"] + [
        f"{base}&status=awaiting_approval&after={quote(encode_cursor(c))}"
        for c in rng.sample(waiting, min(len(waiting), 199))]
    list_paths = [f"{base}&after={quote(encode_cursor(c))}"
                  for c in rng.sample(everything, min(len(everything), 2000))]
    audit_paths = [f"/api/v1/audit?item={item}"
                   for _, item in rng.sample(everything, min(len(everything), 2000))]
    events = services.app.recorder.max_notification_id()
    services.close()
    return {"events": events, "items": len(rows), "queue": len(waiting),
            "token": token.secret,
            "paths": {"approval queue page (50)": queue_paths,
                      "content list page (50, after a random cursor)": list_paths,
                      "one item's audit trail": audit_paths}}


# ------------------------------------------------------------------ commands

def command_store(folder: Path, database_url: str | None) -> dict[str, str]:
    """A fresh store with the bench's team and a commands token for each member."""
    from socmed_adapters.bootstrap import bootstrap
    from socmed_domain.identity.principal import Scope
    from socmed_domain.roles import Role

    services = bootstrap(folder, database_url=database_url)
    app = services.app
    app.initialise("PT Bench", "rina.mm", "Rina")
    for member, name, role in MEMBERS:
        app.add_member("rina.mm", member, name, Role[role])
    app.identity.set_policy("rina.mm", second_factor_roles=(),
                            reason="bench_http: tokens carry no second factor")
    tokens = {member: app.identity.create_token(member, "bench_http", Scope.COMMANDS,
                                                timedelta(days=1)).secret
              for member in ("rina.mm", "budi.dm", "dewi.dm")}
    services.close()
    return tokens


def http_commands(url: str, tokens: dict[str, str], items: int, clients: int, pid: int
                  ) -> tuple[int, float, float]:
    """`items` flows of five commands over HTTP from `clients` concurrent clients:
    (commands, wall seconds, CPU seconds of the server process `pid` and its workers)."""
    import httpx

    def auth(member: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[member]}"}

    budi, dewi, rina = auth("budi.dm"), auth("dewi.dm"), auth("rina.mm")
    draft = {"text": TEXT, "platforms": ["linkedin"]}

    async def post(http: httpx.AsyncClient, path: str, body: dict[str, Any],
                   headers: dict[str, str]) -> Any:
        answer = await http.post(path, json=body, headers=headers)
        if answer.status_code >= 300:
            raise RuntimeError(f"POST {path}: {answer.status_code} {answer.text[:300]}")
        return answer.json()

    async def flow(http: httpx.AsyncClient) -> None:
        created = await post(http, "/api/v1/content", {"title": "Bench", "draft": draft},
                             budi)
        item = f"/api/v1/content/{created['item_id']}"
        await post(http, f"{item}/submit-review", {}, budi)
        await post(http, f"{item}/review", {"all_checks": True}, dewi)
        await post(http, f"{item}/submit-approval", {}, dewi)
        shown = await http.get(item, headers=rina)
        sha = shown.json()["summary"]["revision_sha256"]
        await post(http, f"{item}/approve", {"revision_sha256": sha}, rina)

    async def client(http: httpx.AsyncClient, count: int) -> None:
        for _ in range(count):
            await flow(http)

    async def run() -> tuple[float, float]:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            # warm-up: connections, each worker's first commands (lazy imports)
            await asyncio.gather(*(flow(http) for _ in range(4)))
            shares = [items // clients + (n < items % clients) for n in range(clients)]
            cpu = idle_cpu_seconds(pid)
            started = time.perf_counter()
            await asyncio.gather(*(client(http, share) for share in shares))
            seconds = time.perf_counter() - started
            return seconds, idle_cpu_seconds(pid) - cpu

    seconds, cpu = asyncio.run(run())
    return items * 5, seconds, cpu


def bare_floor(workers: int, clients: int, requests: int = 600) -> float:
    """Server CPU seconds per request of the bare Litestar endpoint under the commands' own
    client pattern (`clients` httpx clients, each waiting for its answer before the next
    request): the floor a request costs the server and the framework at this concurrency
    (with wrk's 32 pipelined connections a request costs about half as much)."""
    import httpx

    with bare_server(workers) as server:
        async def run() -> float:
            async with httpx.AsyncClient(base_url=server.url, timeout=60) as http:
                async def client(count: int) -> None:
                    for _ in range(count):
                        answer = await http.get("/constant")
                        answer.raise_for_status()

                await asyncio.gather(*(client(20) for _ in range(clients)))  # warm-up
                cpu = idle_cpu_seconds(server.process.pid)
                await asyncio.gather(*(client(requests // clients) for _ in range(clients)))
                return idle_cpu_seconds(server.process.pid) - cpu

        spent = asyncio.run(run())
    return spent / (requests // clients * clients)


def breakdown(folder: Path, items: int, database_url: str | None) -> dict[str, float]:
    """Where a command's server CPU goes, measured in this process (no sockets, no uvicorn):
    the API app (`socmed_web.app.create_app`, its follower running) driven through ASGI by
    the same flows as `http_commands`. Per command, in CPU milliseconds:

    - `loop`: the event loop's thread outside the service calls: routing, the body, the
      principal, the response, the request log, the loop's side of the thread-pool hop, and
      the flow's one GET of the item per five commands;
    - `service`: the service calls and their rendering (`IdempotencyStore.run`, whichever
      thread ran them): the library's own work;
    - `other`: the rest of the process: the worker thread around the call (the principal,
      If-Match), the projection follower and its listener;
    - `total`: the process's CPU (user + system)."""
    import threading

    from socmed_adapters.bootstrap import bootstrap
    from socmed_web import idempotency
    from socmed_web.app import create_app

    tokens = command_store(folder, database_url)
    services = bootstrap(folder, database_url=database_url, create=False)
    app = create_app(services)
    main = threading.get_ident()
    spent = {"loop": 0.0, "service": 0.0, "service_on_loop": 0.0}
    run = idempotency.IdempotencyStore.run

    def timed_run(self: Any, *args: Any, **kwargs: Any) -> Any:
        started = time.thread_time()
        try:
            return run(self, *args, **kwargs)
        finally:
            used = time.thread_time() - started
            spent["service"] += used
            if threading.get_ident() == main:
                spent["service_on_loop"] += used

    async def call(method: str, path: str, body: Any, member: str) -> Any:
        raw = json.dumps(body).encode() if body is not None else b""
        headers = [(b"host", b"127.0.0.1"), (b"accept", b"*/*"),
                   (b"authorization", f"Bearer {tokens[member]}".encode())]
        if body is not None:
            headers += [(b"content-type", b"application/json"),
                        (b"content-length", str(len(raw)).encode())]
        scope = {"type": "http", "asgi": {"version": "3.0", "spec_version": "2.3"},
                 "http_version": "1.1", "method": method, "scheme": "http", "path": path,
                 "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": headers, "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80),
                 "state": {}}
        messages: list[Any] = []
        delivered = False

        async def receive() -> Any:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": raw, "more_body": False}
            await asyncio.sleep(3600)  # no disconnect while the answer is written

        async def send(message: Any) -> None:
            messages.append(message)

        started = time.thread_time()
        await app(scope, receive, send)
        spent["loop"] += time.thread_time() - started
        answer = b"".join(m.get("body", b"") for m in messages[1:])
        if messages[0]["status"] >= 300:
            raise RuntimeError(f"{method} {path}: {messages[0]['status']} {answer[:300]!r}")
        return json.loads(answer)

    async def flow() -> None:
        created = await call("POST", "/api/v1/content",
                             {"title": "Bench", "draft": {"text": TEXT,
                                                          "platforms": ["linkedin"]}},
                             "budi.dm")
        item = f"/api/v1/content/{created['item_id']}"
        await call("POST", f"{item}/submit-review", {}, "budi.dm")
        await call("POST", f"{item}/review", {"all_checks": True}, "dewi.dm")
        await call("POST", f"{item}/submit-approval", {}, "dewi.dm")
        shown = await call("GET", item, None, "rina.mm")
        await call("POST", f"{item}/approve",
                   {"revision_sha256": shown["summary"]["revision_sha256"]}, "rina.mm")

    async def flows() -> float:
        for start in app.on_startup:
            start()
        try:
            for _ in range(4):
                await flow()  # warm-up: lazy imports, the principals' cache
            for name in spent:
                spent[name] = 0.0
            started = time.process_time()
            for _ in range(items):
                await flow()
            # the follower's catch-up after the last command is the commands' cost too
            services.projector.follower.wait_for(services.projector.head())
            return time.process_time() - started
        finally:
            for stop in app.on_shutdown:
                stop()

    idempotency.IdempotencyStore.run = timed_run
    try:
        total = asyncio.run(flows())
    finally:
        idempotency.IdempotencyStore.run = run
        services.close()
    per = 1000 / (items * 5)
    loop = spent["loop"] - spent["service_on_loop"]
    return {"loop": loop * per, "service": spent["service"] * per,
            "other": (total - loop - spent["service"]) * per, "total": total * per}


def library_commands(folder: Path, items: int, database_url: str | None
                     ) -> tuple[int, float, float]:
    """bench_commands' own run: (commands, wall seconds, CPU seconds of the timed part)."""
    from benchmarks import bench_commands

    cpu: list[float] = []
    wall = bench_commands.timed

    def timed(function: Any) -> float:
        started = time.process_time()
        seconds = wall(function)
        cpu.append(time.process_time() - started)
        return seconds

    bench_commands.timed = timed
    try:
        n, s = bench_commands.socmed_commands(folder, items, database_url)
    finally:
        bench_commands.timed = wall
    return n, s, cpu[0]


def fresh_schemas(url: str, count: int) -> list[str]:
    from benchmarks.bench_commands import _fresh_schemas

    return _fresh_schemas(url, count)


def drop_schemas(urls: list[str]) -> None:
    import psycopg

    base = urls[0].split("?")[0]
    with psycopg.connect(base, autocommit=True) as conn:
        for url in urls:
            name = url.rsplit("schema=", 1)[1]
            conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


# ------------------------------------------------------------------ report

def read_line(name: str, figures: dict[str, float], bare: dict[str, float]) -> str:
    verdict = "yes" if figures["p95"] <= READ_P95_MS and not figures["errors"] else "no"
    errors = f", {figures['errors']:.0f} errors" if figures["errors"] else ""
    ratio = figures["cpu_ms"] / bare["cpu_ms"] if bare["cpu_ms"] > 0 else float("nan")
    return line(name, _figures(figures) + f" ({ratio:.1f}x bare's CPU)" + errors,
                "bare Litestar " + _figures(bare), f"p95 <= {READ_P95_MS:g} ms", verdict)


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes): wall-clock figures mean little when
    it is above the number of cores; CPU per request less so."""
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def _figures(f: dict[str, float]) -> str:
    return (f"p50 {f['p50']:.1f} / p95 {f['p95']:.1f} / p99 {f['p99']:.1f} ms, "
            f"{f['rps']:,.0f} req/s, server CPU {f['cpu_ms']:.2f} ms/req")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true",
                        help="a small store and short runs: a smoke test in seconds")
    parser.add_argument("--events", type=int, default=None, help="default 1,000,000")
    parser.add_argument("--queue", type=int, default=None,
                        help="items awaiting approval (default 300)")
    parser.add_argument("--cache", default="/tmp/socmed-bench")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=None,
                        help="per read endpoint (wrk: whole seconds)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--items", type=int, default=None,
                        help="command flows (5 commands each), default 200")
    parser.add_argument("--command-clients", type=int, action="append", default=None,
                        help="concurrent HTTP clients for the commands (repeatable), "
                        "default 1 and 4")
    parser.add_argument("--postgres", default=None, metavar="URL",
                        help="also the commands on PostgreSQL (fresh schemas, dropped after)")
    parser.add_argument("--tool", choices=("wrk", "httpx"), default=None,
                        help="load generator (default wrk when on PATH)")
    parser.add_argument("--skip-reads", action="store_true")
    parser.add_argument("--skip-commands", action="store_true")
    parser.add_argument("--breakdown", action="store_true",
                        help="also split a command's server CPU in-process (the event "
                        "loop's HTTP work, the service call, the follower and the rest)")
    args = parser.parse_args(argv)
    quick = args.quick
    events = args.events or (20_000 if quick else 1_000_000)
    queue = args.queue or (30 if quick else 300)
    seconds = args.seconds or (1.0 if quick else 10.0)
    items = args.items or (10 if quick else 200)
    command_clients = args.command_clients or ([1, 4])
    tool = args.tool or ("wrk" if shutil.which("wrk") else "httpx")

    print(f"load: {tool}, {args.clients} connections, {seconds:g} s per endpoint; "
          f"server: socmed serve --workers {args.workers}; {os.cpu_count()} cores; "
          f"load average {load_average()}")
    print(HEADER)
    if not args.skip_reads:
        folder, data = read_store(Path(args.cache), events, queue)
        with bare_server(args.workers) as bare:
            baseline = load(bare, ["/constant"], None, args.clients, seconds, tool)
        print(line("bare Litestar endpoint returning a constant", _figures(baseline), "-",
                   "(baseline)", "-"))
        with socmed_server(["--data-dir", str(folder)], args.workers) as server:
            for name, paths in data["paths"].items():
                figures = load(server, paths, data["token"], args.clients, seconds, tool)
                print(read_line(f"{name}, {data['events']:,} events, "
                                f"{args.clients} clients", figures, baseline), flush=True)
    if not args.skip_commands:
        backends: list[tuple[str, str | None]] = [("SQLite", None)]
        if args.postgres:
            backends.append(("PostgreSQL", args.postgres))
        for backend, url in backends:
            with tempfile.TemporaryDirectory() as tmp:
                commands_on(backend, url, Path(tmp), items, command_clients, args.workers,
                            split=args.breakdown)
    print(f"load average at the end: {load_average()}")


def commands_on(backend: str, url: str | None, tmp: Path, items: int,
                clients: list[int], workers: int, split: bool = False) -> None:
    schemas = fresh_schemas(url, 2 + len(clients) + split) if url else []
    try:
        # The library runs before and after the HTTP runs (a fresh store each time) and its
        # mean is the baseline: on a shared machine the load drifts during a run.
        n, s, c = library_commands(tmp / "library", items, schemas[0] if url else None)
        before, cpus = n / s, [c / n]
        https = []
        for number, count in enumerate(clients):
            store_url = schemas[1 + number] if url else None
            folder = tmp / f"http{count}"
            tokens = command_store(folder, store_url)
            store_args = ["--database-url", store_url] if store_url else [
                "--data-dir", str(folder)]
            with socmed_server(store_args, workers) as server:
                n, s, cpu = http_commands(server.url, tokens, items, count,
                                          server.process.pid)
            https.append((count, n / s, cpu / n))
        n, s, c = library_commands(tmp / "library-after", items,
                                   schemas[-1] if url else None)
        library, library_cpu = (before + n / s) / 2, (cpus[0] + c / n) / 2
        for count, ours, server_cpu in https:
            ratio = ours / library
            print(line(f"command endpoints, {backend}, {count} client(s) (commands/s)",
                       f"{ours:,.0f}", f"{library:,.0f} the library in-process "
                       f"({before:,.0f} before, {n / s:,.0f} after)",
                       f">= {COMMAND_RATIO:g}x",
                       f"{ratio:.2f}x {'yes' if ratio >= COMMAND_RATIO else 'no'}"),
                  flush=True)
            cpu_ratio = library_cpu / server_cpu
            print(line(f"CPU per command, {backend}, {count} client(s)",
                       f"{server_cpu * 1000:.2f} ms (server processes)",
                       f"{library_cpu * 1000:.2f} ms the library in-process",
                       f">= {COMMAND_RATIO:g}x", f"{cpu_ratio:.2f}x "
                       f"{'yes' if cpu_ratio >= COMMAND_RATIO else 'no'}"), flush=True)
        # What the server and the framework alone cost at the same concurrency: a flow
        # sends six requests for five commands.
        for count, _, server_cpu in https:
            floor = bare_floor(workers, count) * REQUESTS_PER_COMMAND
            print(line(f"bare Litestar endpoint, the commands' {count} client(s)",
                       f"{floor * 1000:.2f} ms per command ({REQUESTS_PER_COMMAND:g} "
                       "requests)", f"{server_cpu * 1000:.2f} ms the command endpoints",
                       "-", f"{floor / server_cpu:.0%} of theirs"), flush=True)
        if split:
            parts = breakdown(tmp / "split", items, schemas[-2] if url else None)
            print(line(f"CPU per command in-process, {backend} (the app through ASGI)",
                       f"{parts['total']:.2f} ms: HTTP in the event loop "
                       f"{parts['loop']:.2f}, service call {parts['service']:.2f}, "
                       f"follower and the rest {parts['other']:.2f}",
                       f"{library_cpu * 1000:.2f} ms the library in-process", "-",
                       f"service {parts['service'] / parts['total']:.0%}"), flush=True)
    finally:
        if schemas:
            drop_schemas(schemas)


if __name__ == "__main__":
    main()
