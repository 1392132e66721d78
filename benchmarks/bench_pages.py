"""Server time of every console page, per role, on the demo store and on a 1M-event store
(issue 16: every page's p95 <= 50 ms).

    .venv/bin/python -m benchmarks.bench_pages                 # the demo store and 1M events
    .venv/bin/python -m benchmarks.bench_pages --skip-million  # the demo store only

Stores (each made once and kept in --cache, this bench's own folder):
- `demo`: `socmed demo` (a month of SOP work: ~700 events, an incident, an inbox);
- `http-1000000-q300`: bench_http's 1M-event store with its members and approval queue,
  prepared from a copy of the generated 1M-event store in --source. The bench never writes
  into --source (a folder other benches share): the generated store is copied into --cache
  first, and only once its `generated.json` says the generation finished. Generating it
  (bench_projections' generator, about 45 minutes) is left to `benchmarks.bench_projections`.

The bench gives the team's members a password (invitation and set-up, the identity
service's own commands, recorded as events) and signs each in; the pages are requested
through the whole ASGI app (Litestar's TestClient: middleware, the session cookie, the
templates; no network), with the projection follower running as under `socmed serve`. After
one warm-up request per page, each page is requested `--repeat` times one after another:
p50/p95 are of the wall time the client waited (the server's time plus the test client's
few hundred microseconds), and CPU is the process's CPU per request (server and client).
On a shared machine look at the CPU column and the load average printed with the table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.common import HEADER, line, percentiles

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 50.0
PASSWORD = "kata sandi bench 2026"  # a bench-only password, on bench-only stores
ROLES = ("rina.mm", "sari.legal", "adi.admin", "budi.dm", "maya.agency")


def demo_store(cache: Path) -> Path:
    folder = cache / "demo"
    if not (folder / "demo.marker").exists():
        subprocess.run([sys.executable, "-m", "socmed_cli.main", "--data-dir", str(folder),
                        "demo", "--quiet", "--reset"], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL,
                       env={**os.environ, "PYTHONPATH": os.pathsep.join(
                           [str(ROOT / "src"), str(ROOT)])})
    return folder


def million_store(cache: Path, source: Path) -> Path:
    """bench_http's read store of 1M events, made in `cache` from a copy of the generated
    store in `source` (which is only read)."""
    import shutil

    from benchmarks.bench_http import read_store

    events = 1_000_000
    generated = source / str(events)
    own = cache / str(events)
    if not (cache / f"http-{events}-q300" / "bench_http.json").exists() and not (
            own / "generated.json").exists():
        if not (generated / "generated.json").exists():
            raise SystemExit(f"{generated} is not generated yet (no generated.json): run "
                             "benchmarks.bench_projections first, or --skip-million")
        partial = cache / f"{events}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(generated, partial)
        partial.rename(own)
    folder, _data = read_store(cache, events, 300)  # copies `own` again before writing
    return folder


def _sessions(services: Any, members: list[str]) -> dict[str, str]:
    """A session token for each member (a password set up first where there is none)."""
    from socmed_domain.errors import SocmedError

    identity = services.app.identity
    tokens = {}
    for member in members:
        try:
            tokens[member] = identity.sign_in(member, PASSWORD).session_token
        except SocmedError:
            code = identity.invite("rina.mm", member).code
            identity.set_up_account(member, code, PASSWORD)
            tokens[member] = identity.sign_in(member, PASSWORD).session_token
    return tokens


def _pages(services: Any, member: str) -> list[str]:
    """The console's pages a member of that role opens (the first item, incident and
    conversation they can see stand for the item, room and conversation pages)."""
    models = services.read_models
    pages = ["/", "/items", "/items?status=awaiting_approval", "/calendar", "/incidents",
             "/items/new"]
    visible = models.content_page(member, limit=1)
    if visible:
        pages.append(f"/items/{visible[0].item_id}")
    try:
        incidents = models.incidents_for(member)
    except Exception:
        incidents = ()
    if incidents:
        pages.append(f"/incidents/{str(incidents[-1].incident_id)[:8]}")
    if member in ("adi.admin", "sari.legal", "rina.mm"):
        pages.append("/inbox")
        rows = models.inbox_page(member, services, limit=1)
        if rows:
            pages.append(f"/inbox/{rows[0]['conversation_id'][:8]}")
    if member == "sari.legal":
        pages += ["/audit", "/audit?search=1&member_id=budi.dm", "/reports"]
    if member == "rina.mm":
        pages += ["/team", "/reports"]
    return pages


def calendar_rows(services: Any, name: str, repeat: int) -> list[str]:
    """The month calendar's data as the page asks for it now (`calendar.month_view`: each
    day's first 8 posts with counts, their clashes, counted posts per day for the gaps)
    against the named baseline of the same run: the whole month built in Python
    (`month_entries` + `cadence_gaps` + `clashes`, what the page did before)."""
    from socmed_adapters.calendar.month import cadence_gaps, clashes, gaps_from_counts
    from socmed_adapters.calendar.month_view import counted_per_day, shown_posts
    from socmed_domain.months import Month
    from socmed_domain.timezones import WIB

    models = services.read_models
    now = services.clock().astimezone(WIB)
    month = Month(now.year, now.month)
    plan = services.app.planning.strategy_in_force()
    posts, campaigns = (models.projector.table("calendar_posts"),
                        models.projector.table("calendar_campaigns"))

    def before() -> int:
        entries = models.calendar_month(month, WIB)
        found = (cadence_gaps(entries, plan, month, WIB) if plan else []) + clashes(entries)
        return len(entries) + len(found)

    def after() -> int:
        shown = shown_posts(models.engine, posts, campaigns, month.dates(), WIB, 8, 0, None,
                            services.app.clock())
        counts = counted_per_day(models.engine, posts, month.dates(), WIB, None,
                                 services.app.clock())
        gaps = gaps_from_counts(counts, plan, month) if plan else []
        return len(shown.clashes) + len(gaps)

    timed = {}
    for label, call in (("before", before), ("after", after)):
        call()
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(repeat):
            call()
        timed[label] = ((time.process_time() - cpu) / repeat * 1000,
                        (time.perf_counter() - wall) / repeat * 1000)
    row = line(f"calendar {month} data ({name})",
               f"{timed['after'][0]:.1f} ms CPU, {timed['after'][1]:.1f} ms wall",
               f"whole month in Python: {timed['before'][0]:.1f} ms CPU, "
               f"{timed['before'][1]:.1f} ms wall",
               "-", f"{timed['after'][0] / max(timed['before'][0], 0.01):.2f}x the CPU")
    print(row, flush=True)
    return [row]


def report_rows(services: Any, name: str) -> list[str]:
    """The reports page's monthly report (this month): its first load in a process (computed
    while the reader waits), a kept page, and a recomputation (what the background thread
    does after an event or a minute) with the charts' figures unchanged and changed."""
    from socmed_adapters.reports.console_pages import report_pages
    from socmed_domain.months import Month
    from socmed_domain.timezones import WIB

    now = services.clock().astimezone(WIB)
    month = Month(now.year, now.month)
    pages = report_pages(services)
    rows = []
    from socmed_adapters.reports.monthly_charts import _drawn

    def recompute(redraw: bool) -> None:
        pages._models.clear()  # as after an event: the model is computed again
        if redraw:
            _drawn.cache_clear()  # and every chart's figures changed
        pages._compute((str(month), str(WIB), "en"), month, WIB, "en")

    for label, call in (
            ("first load", lambda: pages.page(month, WIB, "en")),
            ("kept page", lambda: pages.page(month, WIB, "en")),
            ("recomputed, charts unchanged", lambda: recompute(False)),
            ("recomputed, charts redrawn", lambda: recompute(True))):
        cpu, wall = time.process_time(), time.perf_counter()
        call()
        rows.append(line(f"monthly report {month} {label} ({name})",
                         f"{(time.process_time() - cpu) * 1000:.1f} ms CPU, "
                         f"{(time.perf_counter() - wall) * 1000:.1f} ms wall", "-", "-", "-"))
        print(rows[-1], flush=True)
    return rows


def run_store(name: str, folder: Path, repeat: int) -> list[str]:
    from litestar.testing import TestClient

    from socmed_adapters.bootstrap import bootstrap
    from socmed_web.app import create_app
    from socmed_web.auth import SESSION_COOKIE

    services = bootstrap(folder, create=False)
    rows = []
    try:
        team = services.app.team_read().members
        members = [m for m in ROLES if m in team and team[m].active]
        tokens = _sessions(services, members)
        events = services.app.event_count()
        rows += calendar_rows(services, name, max(repeat // 4, 3))
        rows += report_rows(services, name)
        with TestClient(create_app(services)) as client:
            for member in members:
                client.cookies.clear()
                client.cookies.set(SESSION_COOKIE, tokens[member])
                for path in _pages(services, member):
                    answer = client.get(path)  # warm-up
                    if answer.status_code in (403, 404):
                        continue  # not a page of this member's role (the agency's rooms)
                    assert answer.status_code == 200, (path, answer.status_code,
                                                       answer.text[:300])
                    samples = []
                    cpu = time.process_time()
                    for _ in range(repeat):
                        started = time.perf_counter()
                        answer = client.get(path)
                        samples.append(time.perf_counter() - started)
                    cpu_ms = (time.process_time() - cpu) / repeat * 1000
                    p50, p95 = percentiles(samples)
                    shown = path if len(path) <= 24 else path[:21] + "..."
                    rows.append(line(f"{shown} as {member} ({name}, {events:,} events)",
                                     f"p50 {p50:.1f} ms, p95 {p95:.1f} ms",
                                     f"{cpu_ms:.1f} ms CPU/request",
                                     f"p95 <= {TARGET_MS:g} ms",
                                     "yes" if p95 <= TARGET_MS else "no"))
                    print(rows[-1], flush=True)
    finally:
        services.close()
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cache", default="/tmp/socmed-bench-pages",
                        help="this bench's own stores (written)")
    parser.add_argument("--source", default="/tmp/socmed-bench",
                        help="where the generated 1M-event store is (only read)")
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--skip-million", action="store_true")
    args = parser.parse_args(argv)
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          f"{args.repeat} requests per page after one warm-up")
    print(HEADER)
    rows = []
    if not args.skip_demo:
        rows += run_store("demo store", demo_store(cache), args.repeat)
    if not args.skip_million:
        rows += run_store("1M store", million_store(cache, Path(args.source)), args.repeat)
    rows = [r for r in rows if r.startswith("| /")]
    missed = [r for r in rows if r.rstrip().endswith("no |")]
    print(f"{len(rows) - len(missed)} of {len(rows)} pages within p95 <= {TARGET_MS:g} ms; "
          f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
