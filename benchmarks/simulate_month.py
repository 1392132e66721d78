"""A large company's month on PostgreSQL, simulated: 30 brands, 10,000 posts, 2,000,000
interactions (scaled by --scale), with the time each part takes on this machine.

1. the month's content: each post drafted, reviewed, submitted, approved and scheduled (five
   commands) by the brand's digital marketer, reviewer and manager, one platform each (X,
   Facebook, LinkedIn in turn: text posts, no media);
2. publishing: every slot compressed to "now" (the month's posts all due at once), published
   by `socmed worker --queue` processes (the real command, the sandbox publisher) sharing the
   job queue; the time until the last is on record;
3. the month's interactions (comments, mentions, DMs in threads of 3, Indonesian and English
   texts), ingested as `socmed inbox ingest` does (assessed on other cores, 1,000 per
   transaction), in chunks of 50,000 so memory stays flat.

Brands: socmed has no brand entity (a company is one store; a group of companies is one
schema each); a brand here is a title prefix, its own marketer, and its own threads.

Run: SOCMED_TEST_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/DB \\
     .venv/bin/python -m benchmarks.simulate_month [--scale 0.1] [--workers 2] \\
     [--concurrency 4]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from tests.conftest import PostgresSchema

from benchmarks.common import peak_rss_mb
from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.jobs.queue import JobQueue
from socmed_adapters.monitoring.bulk import bulk_ingestion
from socmed_adapters.monitoring.parallel_assess import default_workers
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import ContentType, Draft
from socmed_domain.roles import Role

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "data" / "sentiment_labelled.jsonl"
TEXT_PLATFORMS = (Platform.X, Platform.FACEBOOK, Platform.LINKEDIN)
CHUNK = 50_000


def team(app: Any, brands: int) -> None:
    app.team.initialise("PT Nusantara Raya Group", "rina.mm", "Rina Wijaya")
    app.team.add_member("rina.mm", "dewi.rev", "Dewi Reviewer", Role.DIGITAL_MARKETING)
    app.team.add_member("rina.mm", "adi.admin", "Adi Admin", Role.SOCIAL_MEDIA_ADMIN)
    for b in range(brands):
        app.team.add_member("rina.mm", f"dm.b{b:02d}", f"Marketer brand {b:02d}",
                       Role.DIGITAL_MARKETING)


def content(app: Any, brands: int, posts: int) -> list[Any]:
    """Each post through review and approval; returned approved, not yet scheduled."""
    made = []
    for n in range(posts):
        brand = n % brands
        platform = TEXT_PLATFORMS[n % len(TEXT_PLATFORMS)]
        author = f"dm.b{brand:02d}"
        item = app.content.create(author, f"Brand {brand:02d}: post {n:05d}", Draft(
            f"Brand {brand:02d} menyapa pelanggan, edisi {n:05d}.", (platform,),
            ContentType.TEXT))
        app.content.submit_for_review(author, item)
        app.content.review("dewi.rev", item, CHECKLIST_KEYS)
        app.content.submit_for_approval(author, item)
        app.content.approve("rina.mm", item)
        made.append(item)
    return made


def published_count(url: str, schema: str) -> int:
    with psycopg.connect(url.partition("?")[0]) as conn:
        row = conn.execute(f'SELECT count(*) FROM "{schema}".socmed_events '
                           "WHERE topic LIKE %s", ("%.Published",)).fetchone()
        return int(row[0]) if row else 0


def interactions(start: int, count: int, total: int, brands: int, rng: random.Random,
                 texts: list[str], month: datetime) -> list[InboundInteraction]:
    platforms = list(Platform)
    found = []
    for n in range(start, start + count):
        platform = platforms[(n // 3) % len(platforms)]
        found.append(InboundInteraction(
            platform, rng.choice(list(InteractionKind)), f"{platform.value}-m-{n}",
            f"user_{rng.randrange(total // 4 + 1)}", rng.choice(texts),
            month + timedelta(seconds=n * (30 * 86400) // total),
            author_name=f"Nama {n % 997}", thread_id=f"b{(n // 3) % brands:02d}-t-{n // 3}"))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--brands", type=int, default=30)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--interactions", type=int, default=2_000_000)
    parser.add_argument("--scale", type=float, default=1.0,
                        help="multiply posts and interactions (0.1: a tenth of the month)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    posts = int(args.posts * args.scale)
    total = int(args.interactions * args.scale)
    # One account per platform for 30 brands goes past the default daily quotas (LinkedIn
    # 150, Instagram 100, TikTok 15): a company this size has them raised.
    rules = Path(tempfile.mkdtemp(prefix="simulate-")) / "platform_rules.toml"
    rules.write_text("".join(f"[{p.value}]\ndaily_quota = 1000000\n" for p in Platform))
    os.environ["SOCMED_PLATFORM_RULES"] = str(rules)
    schema = PostgresSchema()
    url = schema.url
    figures: dict[str, str] = {}
    children: list[subprocess.Popen[bytes]] = []
    try:
        services = bootstrap(None, database_url=url,
                             clock=lambda: datetime.now(UTC) - timedelta(hours=1))
        app = services.app
        team(app, args.brands)
        queue = JobQueue.of(services)
        assert queue is not None
        queue.ensure_schema()

        started = time.perf_counter()
        approved = content(app, args.brands, posts)
        seconds = time.perf_counter() - started
        figures["content: 5 commands per post"] = (
            f"{posts:,} posts in {seconds:.1f} s ({posts * 5 / seconds:,.0f} commands/s)")

        # Every slot compressed to one moment: a few seconds from now on the real clock.
        # This process's clock runs an hour behind, so that however long scheduling takes
        # here, the slot is still ahead of it; the workers (real time) find all due.
        slot = datetime.now(UTC) + timedelta(seconds=2)
        started = time.perf_counter()
        for item in approved:
            app.content.schedule("adi.admin", item, slot)
        seconds = time.perf_counter() - started
        figures["scheduling (a job deferred at each slot)"] = (
            f"{posts:,} in {seconds:.1f} s ({posts / seconds:,.0f}/s)")
        time.sleep(max(0.0, (slot - datetime.now(UTC)).total_seconds()))

        env = {**os.environ, "SOCMED_DATABASE_URL": url,
               "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
        socmed = [sys.executable, "-c", "from socmed_cli.main import main; main()"]
        started = time.perf_counter()  # from the workers' start (their start-up included)
        for index in range(args.workers):
            children.append(subprocess.Popen(
                [*socmed, "--as", "adi.admin", "worker", "--queue", "--concurrency",
                 str(args.concurrency), "--publisher", "sandbox"],
                env=env, stdout=subprocess.DEVNULL, stderr=open(  # noqa: SIM115
                    f"/tmp/simulate-worker-{index}.log", "wb")))
        while (done := published_count(url, schema.name)) < posts:
            if time.perf_counter() - started > 3600:
                raise SystemExit(f"only {done} of {posts} published after an hour")
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        figures[f"publishing: {args.workers} workers x {args.concurrency} jobs, sandbox"] = (
            f"{posts:,} posts in {seconds:.1f} s ({posts / seconds:,.1f} posts/s), "
            "from the workers' start")
        for child in children:
            child.send_signal(signal.SIGTERM)
        for child in children:
            child.wait(60)

        texts = [json.loads(row)["text"] for row in TEXTS.read_text().splitlines()
                 if row.strip()]
        rng = random.Random(7)
        month = datetime(2026, 12, 1, tzinfo=UTC)
        assessors = default_workers()
        started = time.perf_counter()
        with bulk_ingestion(app, assessors):
            for start in range(0, total, CHUNK):
                app.inbox.ingest_interactions("adi.admin", interactions(
                    start, min(CHUNK, total - start), total, args.brands, rng, texts, month))
        seconds = time.perf_counter() - started
        figures[f"interactions, bulk ({assessors} assessing processes)"] = (
            f"{total:,} in {seconds:.1f} s ({total / seconds:,.0f}/s)")
        with psycopg.connect(url.partition("?")[0]) as conn:
            row = conn.execute(f'SELECT count(*) FROM "{schema.name}".socmed_events'
                               ).fetchone()
        figures["events in the store"] = f"{row[0] if row else 0:,}"
        figures["peak RSS of this process"] = f"{peak_rss_mb():.0f} MB"
        services.close()
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
        schema.drop()
    print(f"\nA month at scale {args.scale}: {args.brands} brands, {posts:,} posts, "
          f"{total:,} interactions; PostgreSQL, {os.cpu_count()} cores\n")
    print("| part | measured |\n|---|---|")
    for name, value in figures.items():
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
