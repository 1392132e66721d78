"""Indonesian zones by name, and no naive time ever gets in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from socmed_domain.errors import InvalidInputError
from socmed_domain.timezones import (
    WIB,
    WIT,
    WITA,
    parse_time,
    require_aware,
    zone_label,
    zone_named,
)


@pytest.mark.parametrize(
    ("text", "zone", "hours"),
    [
        ("2026-12-03 19:00 WIB", WIB, 7),
        ("2026-12-03 19:00 WITA", WITA, 8),
        ("2026-12-03 19:00 WIT", WIT, 9),
        ("2026-12-03 19:00 wib", WIB, 7),
        ("2026-12-03T19:00 wita", WITA, 8),
        ("2026-12-03 19:00 Asia/Makassar", WITA, 8),
    ],
)
def test_indonesian_zones_by_name(text: str, zone: object, hours: int) -> None:
    parsed = parse_time(text)
    assert parsed.tzinfo == zone
    assert parsed.utcoffset() == timedelta(hours=hours)
    assert (parsed.hour, parsed.minute) == (19, 0)


def test_wib_wita_wit_are_one_hour_apart() -> None:
    wib = parse_time("2026-12-03 19:00 WIB")
    wita = parse_time("2026-12-03 20:00 WITA")
    wit = parse_time("2026-12-03 21:00 WIT")
    assert wib == wita == wit
    assert wib.astimezone(UTC) == datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-12-03 19:00 UTC", "2026-12-03 19:00 utc",
                                  "2026-12-03T19:00Z", "2026-12-03T19:00+00:00"])
def test_utc_spellings(text: str) -> None:
    assert parse_time(text) == datetime(2026, 12, 3, 19, 0, tzinfo=UTC)


def test_an_explicit_offset_is_kept() -> None:
    parsed = parse_time("2026-12-03T19:00+07:00")
    assert parsed.utcoffset() == timedelta(hours=7)
    assert parsed == datetime(2026, 12, 3, 19, 0, tzinfo=WIB)


def test_offset_and_zone_name_means_the_same_instant_shown_in_that_zone() -> None:
    parsed = parse_time("2026-12-03T19:00+07:00 WITA")
    assert parsed.tzinfo == WITA
    assert parsed.hour == 20
    assert parsed == datetime(2026, 12, 3, 19, 0, tzinfo=WIB)


@pytest.mark.parametrize("text", ["2026-12-03 19:00", "2026-12-03T19:00", "2026-12-03"])
def test_a_naive_time_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_time(text)
    assert raised.value.code == "error.naive_time"
    assert "timezone" in str(raised.value)


def test_a_default_zone_makes_a_naive_time_aware() -> None:
    parsed = parse_time("2026-12-03 19:00", default_zone=WITA)
    assert parsed.tzinfo == WITA and parsed.hour == 19
    # an explicit zone wins over the default
    assert parse_time("2026-12-03 19:00 WIT", default_zone=WITA).tzinfo == WIT


@pytest.mark.parametrize("text", ["tomorrow at seven", "2026-13-03 19:00 WIB", "", "19:00 WIB"])
def test_garbage_is_refused_with_an_example(text: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_time(text)
    assert "2026-12-03 19:00 WIB" in str(raised.value)


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(InvalidInputError) as raised:
        parse_time("2026-12-03 19:00 Mars/Olympus")
    assert "WIB, WITA, WIT" in str(raised.value)


def test_require_aware() -> None:
    aware = datetime(2026, 12, 3, 19, tzinfo=WIB)
    assert require_aware(aware) is aware
    with pytest.raises(InvalidInputError):
        require_aware(datetime(2026, 12, 3, 19))


def test_zone_named_and_labels() -> None:
    assert zone_named("wita") == WITA
    assert zone_named(" UTC ") == zone_named("utc")
    with pytest.raises(InvalidInputError):
        zone_named("Nowhere/Land")
    assert zone_label(datetime(2026, 1, 1, tzinfo=WIB)) == "WIB"
    assert zone_label(datetime(2026, 1, 1, tzinfo=WIT)) == "WIT"
    assert zone_label(datetime(2026, 1, 1, tzinfo=UTC)) == "UTC"
    assert zone_label(datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=5, minutes=30)))) \
        == "+0530"
