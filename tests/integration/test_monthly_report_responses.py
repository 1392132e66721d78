"""Response times and SLA attainment in the monthly report, from the stage 4 inbox: the
figures of a small known month on SQLite and PostgreSQL, in every format and both languages,
and the same report after every read model is rebuilt from the events."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from socmed_adapters.clock import ManualClock
from socmed_adapters.reports.monthly import monthly_report, render
from socmed_domain.monitoring.interaction import (
    InboundInteraction,
    InteractionKind,
    conversation_id,
)
from socmed_domain.monitoring.sla import DEFAULT_CALENDAR, Priority
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB
from tests.conftest import seed_team


def _at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=WIB)


def _message(platform: Platform, message_id: str, at: datetime) -> InboundInteraction:
    return InboundInteraction(platform, InteractionKind.COMMENT, message_id, "@nasabah",
                              "Halo min, jam buka cabang Sudirman hari Sabtu sampai jam "
                              "berapa ya?", at, thread_id=message_id)


def _month_with_conversations(services, clock: ManualClock) -> None:  # type: ignore[no-untyped-def]
    """Instagram: answered in 30 min, closed after 2 h (both SLAs met). X: answered after
    2 h 30 min against a 1 h target, never closed (both SLAs breached by the month's end).
    Facebook: in November, so not in December's report."""
    app = services.app
    app.inbox.business_calendar = DEFAULT_CALENDAR  # Thursday 10 December is a working day anyway
    seed_team(app)
    clock.set(_at(10, 9, 15))
    app.ingest_interactions("adi.admin", [
        _message(Platform.FACEBOOK, "fb-nov", _at(30, 10, month=11)),
        _message(Platform.INSTAGRAM, "ig-1", _at(10, 9)),
        _message(Platform.X, "x-1", _at(10, 9, 10))])
    for platform, ref in ((Platform.INSTAGRAM, "ig-1"), (Platform.X, "x-1")):
        assert app.get_conversation(conversation_id(platform, ref)).priority is Priority.NORMAL
    instagram, x = conversation_id(Platform.INSTAGRAM, "ig-1"), conversation_id(Platform.X, "x-1")
    clock.set(_at(10, 9, 30))
    app.reply_to_conversation("adi.admin", instagram, "Halo Kak, Sabtu buka 08.00-12.00.")
    clock.set(_at(10, 11))
    app.close_conversation("adi.admin", instagram, "terjawab")
    clock.set(_at(10, 11, 40))
    app.reply_to_conversation("adi.admin", x, "Halo Kak, Sabtu buka 08.00-12.00.")
    clock.set(_at(2, 9, month=1).replace(year=2027))


def test_response_times_and_sla_from_the_inbox(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(_at(10, 8))
    services = backend.services(clock=clock)
    _month_with_conversations(services, clock)
    report = monthly_report(services, "2026-12", WIB)
    rows = {row.label: row for row in report.responses}
    assert list(rows) == ["instagram", "x", "all"]
    total = rows["all"]
    assert (total.conversations, total.replied, total.resolved, total.breaches) == (2, 2, 1, 2)
    assert str(total.sla_met_pct) == "50.00"
    assert str(rows["instagram"].sla_met_pct) == "100.00" and rows["instagram"].breaches == 0
    assert str(rows["x"].first_response_met_pct) == "0.00" and rows["x"].breaches == 2
    assert rows["x"].resolution_median is None and rows["x"].resolved == 0
    assert total.first_response_median == total.first_response_mean == timedelta(minutes=90)
    assert rows["instagram"].resolution_median == timedelta(hours=2)

    pages = {(fmt, lang): render(report, fmt, lang, WIB)
             for fmt in ("html", "markdown", "json", "csv") for lang in ("en", "id")}
    data = json.loads(pages["json", "en"])
    assert data["responses"][-1]["label"] == "all"
    assert data["responses"][-1]["conversations"] == 2
    assert "response,all,sla_met_pct,50.00" in pages["csv", "en"]
    assert "Response times and SLA" in pages["markdown", "en"]
    assert "| all | 2 | 2 | 1 h 30 min | 1 h 30 min | 1 | 2 h 00 min |" in pages["markdown",
                                                                                 "en"]
    assert "1 j 30 mnt" in pages["markdown", "id"]
    assert "Waktu respons dan SLA" in pages["markdown", "id"] and "50,00%" in pages["markdown",
                                                                                   "id"]
    assert '<section id="responses"><h2>Waktu respons dan SLA</h2><table>' in pages["html",
                                                                                     "id"]
    assert "No conversation reached the inbox" not in pages["html", "en"]

    projector = services.projector
    projector.rebuild(projector.names())
    rebuilt = monthly_report(services, "2026-12", WIB)
    assert rebuilt == report
    assert {key: render(rebuilt, key[0], key[1], WIB) for key in pages} == pages


def test_a_month_without_conversations_says_so(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(_at(10, 8))
    services = backend.services(clock=clock)
    _month_with_conversations(services, clock)
    report = monthly_report(services, "2026-10", WIB)
    assert report.responses == ()
    assert "No conversation reached the inbox this month" in render(report, "markdown", "en",
                                                                    WIB)
    assert "Tidak ada percakapan yang masuk" in render(report, "html", "id", WIB)
