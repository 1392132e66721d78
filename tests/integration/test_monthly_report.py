"""The monthly report is computed from the events only: on SQLite and on PostgreSQL, dropping
and rebuilding every read model, or reading from a fresh process, gives the same report down
to the bytes of the HTML page."""

from __future__ import annotations

import pytest

from socmed_adapters.clock import ManualClock
from socmed_adapters.reports.monthly import monthly_report, render
from socmed_demo.common import at, month_days
from socmed_demo.month import build_demo, demo_media_reader
from socmed_domain.timezones import WIB, WITA


@pytest.mark.slow  # a demo month, then a rebuild
def test_rebuild_from_the_events_gives_the_same_report(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(at(month_days("2026-12")[0], 0))
    services = backend.services(clock=clock,
                               media_reader=demo_media_reader(backend.data_dir))
    demo = build_demo(services, clock, "2026-12", seed=42)
    for step in demo.timeline():
        demo.run_step(step)
    live = monthly_report(services, "2026-12", WIB)
    pages = {fmt: render(live, fmt, "id", WIB) for fmt in ("html", "markdown", "json", "csv")}
    assert live.total.posts_published == 31 and live.total.measured == 31
    assert live.total.reach > 0 and live.insights

    projector = services.projector
    rows = {t: projector.rows(t) for t in ("metric_snapshots", "metric_posts")}
    projector.rebuild(projector.names())
    assert {t: projector.rows(t) for t in rows} == rows
    rebuilt = monthly_report(services, "2026-12", WIB)
    assert rebuilt == live
    assert {fmt: render(rebuilt, fmt, "id", WIB) for fmt in pages} == pages

    fresh = backend.services(clock=clock)  # another process, same store
    assert monthly_report(fresh, "2026-12", WIB) == live
    # another zone moves the month's bounds, so it is a different (and valid) report
    assert monthly_report(fresh, "2026-12", WITA).period_start != live.period_start
