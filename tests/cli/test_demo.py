"""`socmed demo`: a realistic month, deterministic by seed, reset only what it made."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from click.testing import Result

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

SUMMARY = re.compile(r"published (\d+) posts on (\d+) platforms; (\d+) events recorded; "
                     r"(\d+) refusals")


def _summary(result: Result) -> tuple[int, int, int, int]:
    match = SUMMARY.search(result.stdout)
    assert match, result.stdout
    posts, platforms, events, refusals = (int(g) for g in match.groups())
    return posts, platforms, events, refusals


def _fingerprint(socmed: Socmed) -> tuple[object, ...]:
    """What must repeat with the same seed and month (ids are not compared)."""
    items = socmed.json("content", "list")
    log = socmed.json("--as", "sari.legal", "audit", "log")
    return (
        [(r["title"], r["status"], r["revision"], r["platforms"], r["published"],
          r["scheduled_at"]) for r in items],
        [(e["at"], e["actor"], e["event"]) for e in log],
        event_count(Path(socmed.data_dir)),
    )


# Every module of the production packages and of the CLI, the demo command included, imported
# in a fresh interpreter: none may load the demo or the stand-ins at import time.
_IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
import socmed_adapters, socmed_cli, socmed_domain
names = []
for package in (socmed_domain, socmed_adapters, socmed_cli):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
            names.append(module.name)
assert "socmed_cli.commands.demo" in names and "socmed_adapters.bootstrap" in names, names
print(sorted(m for m in sys.modules if m.split(".")[0] in ("socmed_demo", "socmed_testing")))
"""


def test_loading_the_cli_loads_neither_the_demo_nor_the_stand_ins() -> None:
    """import-linter sees that `socmed_cli.commands.demo` imports `socmed_demo` and
    `socmed_testing`, not that those imports sit inside the command's body; this checks they
    do, so every other command (and the production packages) runs without them loaded."""
    done = subprocess.run([sys.executable, "-c", _IMPORT_EVERYTHING], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_demo_prints_the_published_posts(demo_run: tuple[Path, Result]) -> None:
    folder, result = demo_run
    assert result.exit_code == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("socmed demo: 2026-12 for PT Bank Digital Nusantara Tbk (seed 42)")
    posts, platforms, events, refusals = _summary(result)
    assert posts > 0 and platforms == 5 and refusals > 0
    assert f"Published posts ({posts})" in out
    assert "What the rules stopped" in out and "What went wrong" in out
    assert f"Audit summary: {events} events" in out
    assert events == event_count(folder)
    assert out.count("https://sandbox.socmed.invalid/") >= posts
    assert len(list((folder / "outbox").rglob("*.json"))) == posts
    assert (folder / "demo.marker").exists()


def test_demo_store_answers_the_other_commands(demo_store: Socmed,
                                               demo_run: tuple[Path, Result]) -> None:
    posts, _, events, _ = _summary(demo_run[1])
    items = demo_store.json("content", "list")
    statuses = Counter(r["status"] for r in items)
    assert {"published", "expired", "withdrawn"} <= set(statuses)
    published_pairs = sum(len(r["published"]) for r in items)
    assert published_pairs == posts == len(demo_store.json("publish", "log"))
    assert len(demo_store.json("--as", "sari.legal", "audit", "log")) == events
    roles = {m["role"] for m in demo_store.json("team", "list")}
    assert roles == {"marketing_manager", "digital_marketing", "social_media_admin", "legal",
                     "agency"}


@pytest.mark.slow  # two whole demo months
def test_same_seed_and_month_give_the_same_store(tmp_path: Path) -> None:
    first = Socmed(tmp_path / "one")
    second = Socmed(tmp_path / "two")
    out_one = first.ok("demo", "--quiet", "--seed", "7", "--month", "2027-02")
    out_two = second.ok("demo", "--quiet", "--seed", "7", "--month", "2027-02")
    lines = out_one.stdout.splitlines()  # --quiet: only the summary lines
    assert len(lines) == 4
    assert lines[0] == (f"socmed demo: 2027-02 for PT Bank Digital Nusantara Tbk (seed 7) "
                        f"in {first.data_dir}")
    assert SUMMARY.fullmatch(lines[1])
    reports = first.data_dir / "reports" / "monthly-report-2027-02"  # type: ignore[operator]
    assert lines[2] == f"monthly report: {reports}.html, {reports}.md"
    assert lines[3].startswith(f"next: socmed --data-dir {first.data_dir} --as sari.legal")
    assert _summary(out_one) == _summary(out_two)
    fingerprint = _fingerprint(first)
    assert fingerprint == _fingerprint(second)
    titles = fingerprint[0]
    assert titles and all(str(at).startswith(("2027-02", "2027-01")) or at is None
                          for *_, at in titles)


@pytest.mark.slow  # a whole demo month again
def test_reset_replaces_a_demo_store(demo_copy: Socmed, demo_run: tuple[Path, Result]) -> None:
    folder = Path(demo_copy.data_dir)
    before = _fingerprint(demo_copy)
    # Write something on top, so the reset has something to throw away.
    demo_copy.ok("--as", "rina.mm", "team", "add", "extra.legal", "--name", "Extra",
                 "--role", "legal")
    assert event_count(folder) == before[2] + 1

    refused = demo_copy("demo", "--quiet")
    assert "already holds a socmed store" in assert_one_line_error(refused, "error: ", 1)
    assert event_count(folder) == before[2] + 1

    reset = demo_copy.ok("demo", "--reset", "--quiet")
    assert _summary(reset) == _summary(demo_run[1])
    assert _fingerprint(demo_copy) == before
    assert "extra.legal" not in {m["member"] for m in demo_copy.json("team", "list")}
    posts = _summary(reset)[0]
    assert len(list((folder / "outbox").rglob("*.json"))) == posts


def test_reset_refuses_a_store_made_by_init(socmed: Socmed) -> None:
    socmed.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina")
    folder = Path(socmed.data_dir)
    before = event_count(folder)
    line = assert_one_line_error(socmed("demo", "--reset", "--quiet"), "error: ", 1)
    assert line == (f"error: {folder} holds a store the demo did not make: it is never "
                    "deleted; use another --data-dir")
    assert event_count(folder) == before == 1
    assert not (folder / "demo.marker").exists()
    assert [m["member"] for m in socmed.json("team", "list")] == ["rina.mm"]


def test_bad_month_is_refused_and_creates_nothing(tmp_path: Path) -> None:
    for month in ("2026-13", "december", "2026/12"):
        folder = tmp_path / month.replace("/", "_")
        line = assert_one_line_error(Socmed(folder)("demo", "--month", month), "error: ", 2)
        assert "is not YYYY-MM" in line
        assert not folder.exists()


@pytest.mark.slow  # a whole demo month through five local platform servers
def test_the_demo_can_publish_to_local_stand_ins_of_all_five_platforms(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Through the real adapters, over HTTP on 127.0.0.1: the same month, the same outcomes,
    and the lost answer found on the platform instead of being posted again."""
    run = Socmed(tmp_path / "local")
    out = run.ok("demo", "--platforms", "local", "--quiet").stdout
    assert "published 31 posts on 5 platforms" in out
    log = run.json("publish", "log", "--month", "2026-12")
    assert len(log) == 31 and not any("sandbox.socmed.invalid" in row["url"] for row in log)
    assert {row["url"].split("/")[2] for row in log} >= {
        "www.instagram.com", "www.facebook.com", "www.linkedin.com", "x.com"}
    # No post went to the sandbox; inbox replies still do (no platform reply client yet).
    outbox = tmp_path / "local" / "outbox"
    assert sorted(p.name for p in outbox.iterdir()) == ["replies.jsonl"]
