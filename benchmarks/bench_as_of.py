"""Listings as of a moment at 1M events: a page of each as-of listing beside the same live
page, in the same run, and what the history projections add to a rebuild.

The store is a COPY of bench_projections' generated store (never the cache itself: the
rebuild and the added events write into it). `--augment` adds, once, what the generator does
not make (conversations, campaigns, incidents) through the real commands, spread over days
of a settable clock, so the inbox, incident and campaign listings have histories too.

Run:
    cp -r /tmp/socmed-bench/1000000 /tmp/asof/1000000
    .venv/bin/python -m benchmarks.bench_as_of --store /tmp/asof/1000000 --augment --rebuild
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchmarks.common import HEADER, line, peak_rss_mb, percentiles

CACHE = Path("/tmp/socmed-bench")
TARGET_MS = 50.0


def augment(store: Path, interactions: int = 100_000) -> dict[str, Any]:
    """Conversations, campaigns and incidents, through the commands, on a clock that moves
    an hour per chunk (so the as-of moments fall inside their histories)."""
    from attrs import evolve

    from benchmarks.bench_ingestion import interactions as make_interactions
    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.clock import ManualClock
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import Platform
    from socmed_domain.roles import Role
    from socmed_domain.timezones import WIB

    marker = store / "as_of_augmented.json"
    if marker.exists():
        return dict(json.loads(marker.read_text()))
    start = datetime(2026, 11, 1, 8, tzinfo=WIB)
    clock = ManualClock(start)
    services = bootstrap(store, clock=clock, create=False)
    app = services.app
    for member, role in (("adi.admin", Role.SOCIAL_MEDIA_ADMIN), ("budi.dm",
                                                                  Role.DIGITAL_MARKETING)):
        if member not in {m.member_id for m in app.team.list_members()}:
            app.team.add_member("rina.mm", member, member, role)
    rows = make_interactions(interactions, subjects=interactions // 4)
    chunk, campaigns, incidents = 1000, [], []
    began = time.perf_counter()
    for number in range(0, len(rows), chunk):
        clock.advance(hours=1)
        now = clock()
        app.inbox.ingest_interactions("adi.admin", [
            evolve(r, received_at=now - timedelta(minutes=59 - i * 59 // chunk))
            for i, r in enumerate(rows[number:number + chunk])])
        n = number // chunk
        campaigns.append(app.planning.plan_campaign("budi.dm", CampaignPlan(
            f"Kampanye {n}", Period(now + timedelta(days=n % 10), now + timedelta(days=30)),
            platforms=(Platform.INSTAGRAM, Platform.X))))
        if n % 2:
            app.planning.approve_campaign("rina.mm", campaigns[n - 1])
        incidents.append(app.incidents.open_incident(
            "adi.admin", f"Isu {n}", list(IncidentCategory)[n % 3], "rincian"))
        if n % 3 == 0:
            app.incidents.classify_incident("rina.mm", incidents[-1], 1 + n % 3, "dinilai")
    # no catch-up here: the rebuild that follows builds every read model
    done = {"interactions": len(rows), "campaigns": len(campaigns),
            "incidents": len(incidents), "seconds": time.perf_counter() - began,
            "events": services.projector.head(), "from": start.isoformat(),
            "until": clock().isoformat()}
    services.close()
    marker.write_text(json.dumps(done))
    return done


def child_rebuild(folder: str, which: str) -> None:
    """In a fresh process: rebuild the live projections or the history projections."""
    from socmed_adapters.bootstrap import bootstrap

    services = bootstrap(Path(folder), create=False)
    projector = services.projector
    names = [n for n in projector.names() if n.endswith("_history") == (which == "history")]
    cpu, started = time.process_time(), time.perf_counter()
    count = projector.rebuild(names)
    seconds = time.perf_counter() - started
    print(json.dumps({"events": count, "seconds": seconds, "cpu": time.process_time() - cpu,
                      "rss_mb": peak_rss_mb(), "names": names}))


def run_child(folder: Path, which: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, "-c", "from benchmarks.bench_as_of import child_rebuild; "
                               f"child_rebuild({str(folder)!r}, {which!r})"],
        check=True, capture_output=True, text=True).stdout
    return dict(json.loads(output.strip().splitlines()[-1]))


def measure(query: Callable[[], Any], samples: int) -> tuple[float, float, float]:
    """(p50 ms, p95 ms, CPU ms per call)."""
    times = []
    cpu = time.process_time()
    for _ in range(samples):
        started = time.perf_counter()
        query()
        times.append(time.perf_counter() - started)
    p50, p95 = percentiles(times)
    return p50, p95, (time.process_time() - cpu) * 1000 / samples


def pages(store: Path, samples: int) -> list[tuple[str, tuple[float, float, float],
                                                 tuple[float, float, float]]]:
    """Each listing's page: live, then as of a random moment (the same filters)."""
    from sqlalchemy import func, select

    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.monitoring.inbox_queries import list_conversations
    from socmed_domain.months import Month
    from socmed_domain.timezones import WIB

    services = bootstrap(store, create=False)
    models = services.read_models  # caught up
    engine = services.engine
    audit = services.projector.table("audit_index")
    now = services.clock()
    with engine.connect() as conn:
        first, = conn.execute(select(func.min(audit.c.at))).one()
        inbox_from, inbox_until = conn.execute(
            select(func.min(audit.c.at), func.max(audit.c.at))
            .where(audit.c.aggregate == "Conversation")).one()
    rng = random.Random(5)

    def moment(low: datetime | None = None, high: datetime | None = None) -> datetime:
        low, high = low or first, min(high or now, now)
        return low + (high - low) * rng.random()

    board = services.projector.table("content_board")
    with engine.connect() as conn:
        cursors = [tuple(r) for r in conn.execute(
            select(board.c.created_at, board.c.item_id).order_by(board.c.created_at)
        ).all()][::200]
    log = models.publication_log()
    log_cursors = [(r["published_at"], r["platform"]) for r in log[:: max(len(log) // 500, 1)]]
    month = Month.parse("2026-06")
    rows: list[tuple[str, tuple[float, float, float], tuple[float, float, float]]] = []

    def pair(name: str, live: Callable[[], Any], as_of: Callable[[], Any]) -> None:
        live()
        as_of()  # warm both (statement caches, pages in the OS cache)
        rows.append((name, measure(live, samples), measure(as_of, samples)))

    # An as-of page's cursor comes from an earlier page of the same moment: (moment, cursor)
    # pairs drawn from the first 5,000 rows as of 20 random moments. (A cursor past every
    # row that existed at the moment scans the versions after it: see docs/benchmarks.md.)
    content_pairs, log_pairs = [], []
    for _ in range(20):
        then = moment()
        rows_then = models.content_list_as_of(then, limit=5000)
        content_pairs += [(then, (r.created_at, r.item_id)) for r in rows_then[::100]]
        log_then = models.publication_log_as_of(then, limit=5000)
        log_pairs += [(then, (r["published_at"], r["platform"])) for r in log_then[::100]]

    def content_as_of_page() -> Any:
        then, after = rng.choice(content_pairs)
        return models.content_list_as_of(then, limit=50, after=after)

    def log_as_of_page() -> Any:
        then, after = rng.choice(log_pairs)
        return models.publication_log_as_of(then, limit=50, after=after)

    pair("content list page (50, after a random cursor)",
         lambda: models.content_list(limit=50, after=rng.choice(cursors)), content_as_of_page)
    pair("content list page (50, after an unrelated random cursor: worst case)",
         lambda: models.content_list(limit=50, after=rng.choice(cursors)),
         lambda: models.content_list_as_of(moment(), limit=50, after=rng.choice(cursors)))
    pair("content list page (50), status=scheduled (hardly any at a moment: worst case)",
         lambda: models.content_list("scheduled", limit=50),
         lambda: models.content_list_as_of(moment(), "scheduled", limit=50))
    pair("publication log page (50, after a random cursor)",
         lambda: models.publication_log(limit=50, after=rng.choice(log_cursors)),
         log_as_of_page)
    pair(f"calendar month ({month})",
         lambda: models.calendar_month(month, WIB),
         lambda: models.calendar_month_as_of(moment(), month, WIB))
    pair("inbox page (50, open, latest first)",
         lambda: list_conversations(services, status=("received", "assigned", "replied"),
                                    limit=50),
         lambda: models.conversations_as_of(moment(inbox_from, inbox_until),
                                            status=("received", "assigned", "replied"), limit=50))
    pair("incident list (all)",
         lambda: models.incidents_for("rina.mm"),
         lambda: models.incidents_as_of("rina.mm", moment(inbox_from, inbox_until)))
    pair("campaign list (all)",
         lambda: services.app.planning.list_campaigns(),
         lambda: models.campaigns_as_of("rina.mm", moment(inbox_from, inbox_until)))
    services.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True,
                        help="a copy of the generated store (it is written to)")
    parser.add_argument("--augment", action="store_true")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    store = args.store.resolve()
    if CACHE.resolve() in store.parents or store == CACHE.resolve():
        raise SystemExit(f"{store} is the generator's cache: copy it first (cp -r)")
    print(f"load average at start: {Path('/proc/loadavg').read_text().strip()}  (cores: "
          f"{os.cpu_count()})")
    if args.augment:
        print("augmented:", json.dumps(augment(store)))
    print(HEADER)
    if args.rebuild:
        history = run_child(store, "history")
        live = run_child(store, "live")
        for name, figures in (("rebuild of the live projections", live),
                              ("rebuild of the history projections", history)):
            print(line(f"{name} ({figures['events']:,} events)",
                       f"{figures['seconds']:.1f} s ({figures['events'] / figures['seconds']:,.0f}"
                       f" events/s), CPU {figures['cpu']:.1f} s, peak RSS "
                       f"{figures['rss_mb']:.0f} MB", "-", "(report)", "-"))
    for name, now_page, as_of in pages(store, args.samples):
        print(line(f"{name}, as of a random moment",
                   f"p50 {as_of[0]:.2f} ms, p95 {as_of[1]:.2f} ms, CPU {as_of[2]:.2f} ms/page",
                   f"live: p50 {now_page[0]:.2f} ms, p95 {now_page[1]:.2f} ms, "
                   f"CPU {now_page[2]:.2f} ms",
                   f"p95 <= {TARGET_MS:.0f} ms", "yes" if as_of[1] <= TARGET_MS else "no"))
    print(f"load average at end: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
