"""The content calendar on real SQLite and PostgreSQL: the month view, holidays, gaps,
clashes, the .ics export and the month planner."""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar
import pytest

from socmed_adapters.calendar.ics import to_ics
from socmed_adapters.calendar.month import cadence_gaps, clashes, week_target
from socmed_adapters.calendar.observances import observances
from socmed_adapters.calendar.planner import plan_month
from socmed_adapters.clock import ManualClock
from socmed_demo import strategy as demo_strategy
from socmed_demo.common import at, month_days
from socmed_demo.month import build_demo, demo_media_reader
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.months import Month
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB, WIT
from tests.conftest import seed_team

DEC = Month(2026, 12)

pytestmark = pytest.mark.slow  # each test builds a whole demo month


@pytest.fixture
def demo(backend):  # type: ignore[no-untyped-def]
    clock = ManualClock(at(month_days("2026-12")[0], 0))
    services = backend.services(clock=clock,
                               media_reader=demo_media_reader(backend.data_dir))
    month = build_demo(services, clock, "2026-12", seed=3)
    for step in month.timeline():
        month.run_step(step)
    return services


def test_the_month_view_has_every_post_with_its_campaign(demo) -> None:  # type: ignore[no-untyped-def]
    entries = demo.read_models.calendar_month(DEC, WIB)
    published = [e for e in entries if e.state == "published"]
    assert len(published) == 31
    assert {e.state for e in entries} <= {"published", "expired", "withdrawn", "planned",
                                          "scheduled"}
    assert "expired" in {e.state for e in entries} and "withdrawn" in {e.state for e in entries}
    harbolnas = [e for e in entries if e.campaign == "Harbolnas 12.12"]
    assert harbolnas and all(e.special for e in harbolnas)
    assert all(not e.special for e in entries if e.campaign == "KPR Nusa: rumah pertama")
    assert entries == sorted(entries, key=lambda e: (e.at, e.platform, e.item_id))
    only_x = demo.read_models.calendar_month(DEC, WIB, platform="x")
    assert only_x and {e.platform for e in only_x} == {"x"}


def test_the_ics_export_has_one_event_per_scheduled_post(demo) -> None:  # type: ignore[no-untyped-def]
    entries = demo.read_models.calendar_month(DEC, WIB)
    raw = to_ics(entries, "Bank Digital Nusantara 2026-12", datetime(2026, 12, 31, tzinfo=WIB))
    parsed = icalendar.Calendar.from_ical(raw)
    events = list(parsed.walk("VEVENT"))
    booked = [e for e in entries if e.state in ("scheduled", "published", "unknown")]
    assert len(events) == len(booked) == 31
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    first = events[0]
    assert first["DTSTART"].dt == booked[0].at
    assert str(first["SUMMARY"]) == f"[{booked[0].platform}] {booked[0].title}"
    # the same export again gives the same UIDs: re-importing updates, never duplicates
    again = icalendar.Calendar.from_ical(to_ics(entries, "x", datetime(2027, 1, 2,
                                                                         tzinfo=WIB)))
    assert [str(e["UID"]) for e in again.walk("VEVENT")] == uids


def test_holidays_and_commercial_dates_appear_on_their_dates(tmp_path) -> None:  # type: ignore[no-untyped-def]
    found = observances(DEC.first, DEC.last)
    by_date = {(o.start.isoformat(), o.kind): o for o in found}
    assert by_date[("2026-12-25", "holiday")].name_id == "Hari Raya Natal"
    assert by_date[("2026-12-24", "cuti_bersama")]
    assert by_date[("2026-12-12", "commercial")].name_en.startswith("Harbolnas")
    assert by_date[("2026-12-22", "observance")].name_id == "Hari Ibu"
    march = observances(Month(2027, 3).first, Month(2027, 3).last)
    assert any(o.name_en.startswith("Ramadan") for o in march)
    (tmp_path / "calendar.toml").write_text(
        'replace_builtin = true\n[[commercial_dates]]\nname = "Anniversary sale"\n'
        'name_id = "Promo ulang tahun"\nstart = 2026-12-05\nend = 2026-12-07\n')
    configured = observances(DEC.first, DEC.last, tmp_path)
    assert [o.name_id for o in configured if o.kind == "commercial"] == ["Promo ulang tahun"]
    assert any(o.kind == "holiday" for o in configured)  # holidays are never replaced
    (tmp_path / "calendar.toml").write_text('[[commercial_dates]]\nname = "x"\n')
    with pytest.raises(ValueError, match="needs name and start"):
        observances(DEC.first, DEC.last, tmp_path)


def test_gaps_and_clashes(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2026, 11, 20, 9, tzinfo=WIB))
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    app.draft_strategy("budi.dm", demo_strategy.APPROVED)
    app.submit_strategy("budi.dm")
    app.approve_strategy("rina.mm", 1)
    for hour in (19, 20):  # two Instagram posts an hour apart: a clash
        app.plan_idea("budi.dm", f"Ide {hour}", datetime(2026, 12, 8, hour, tzinfo=WIB),
                      (Platform.INSTAGRAM,))
    entries = services.read_models.calendar_month(DEC, WIB)
    found = clashes(entries, timedelta(hours=2))
    assert [(f.platform, f.count) for f in found] == [("instagram", 2)]
    assert clashes(entries, timedelta(minutes=30)) == []
    plan = app.strategy_in_force()
    gaps = cadence_gaps(entries, plan, DEC, WIB)
    week50 = [g for g in gaps if g.platform == "instagram" and g.period == "2026-W50"]
    assert [(g.count, g.target) for g in week50] == [(2, 3)]
    assert week_target(3, 7) == 3 and week_target(4, 6) == 3 and week_target(14, 7) == 14


def test_the_planner_fills_the_cadence_once(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2026, 11, 20, 9, tzinfo=WIB))
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    with pytest.raises(InvalidStateError, match="no strategy version is in force"):
        plan_month(app, "budi.dm", DEC, WIB, [])
    app.draft_strategy("budi.dm", demo_strategy.APPROVED)
    app.submit_strategy("budi.dm")
    app.approve_strategy("rina.mm", 1)
    dry = plan_month(app, "budi.dm", DEC, WIB, services.read_models.calendar_month(DEC, WIB),
                     dry_run=True)
    assert dry and all(i.item_id == "" for i in dry)
    assert app.event_count() == services.app.event_count()
    ideas = plan_month(app, "budi.dm", DEC, WIB, services.read_models.calendar_month(DEC, WIB))
    assert [(i.at, i.platform) for i in ideas] == [(i.at, i.platform) for i in dry]
    entries = services.read_models.calendar_month(DEC, WIB)
    assert len(entries) == len(ideas)
    assert cadence_gaps(entries, app.strategy_in_force(), DEC, WIB) == []
    assert all(e.state == "planned" for e in entries)
    again = plan_month(app, "budi.dm", DEC, WIB, entries)
    assert again == []
    with pytest.raises(PermissionDeniedError, match=r"maya\.agency"):
        plan_month(app, "maya.agency", Month(2027, 1), WIB, [])


def test_a_planned_idea_becomes_a_scheduled_post(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2026, 11, 20, 9, tzinfo=WIB))
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    when = datetime(2026, 12, 3, 12, tzinfo=WIB)
    item = app.plan_idea("budi.dm", "Ide", when, (Platform.X,))
    [entry] = services.read_models.calendar_month(DEC, WIB)
    assert (entry.state, entry.at) == ("planned", when)
    app.revise_content("budi.dm", item, Draft("Halo Desember", (Platform.X,)))
    app.submit_for_review("budi.dm", item)
    app.review_content("dewi.dm", item, CHECKLIST_KEYS)
    app.submit_for_approval("budi.dm", item)
    app.approve_content("rina.mm", item)
    app.schedule_content("adi.admin", item, when + timedelta(hours=1))
    [entry] = services.read_models.calendar_month(DEC, WIB)
    assert (entry.state, entry.at) == ("scheduled", when + timedelta(hours=1))
    # a day is a local day: 23:30 WIB on the 31st is January in WIT
    late = app.plan_idea("budi.dm", "Malam", datetime(2026, 12, 31, 23, 30, tzinfo=WIB),
                         (Platform.X,))
    assert late in {__import__("uuid").UUID(e.item_id)
                    for e in services.read_models.calendar_month(DEC, WIB)}
    assert str(late) not in {e.item_id for e in services.read_models.calendar_month(DEC, WIT)}


def test_a_month_must_be_written_as_year_and_month() -> None:
    assert Month.parse("2026-12").next == Month(2027, 1)
    for bad in ("2026-13", "12-2026", "2026/12", ""):
        with pytest.raises(InvalidInputError, match="is not a month"):
            Month.parse(bad)
