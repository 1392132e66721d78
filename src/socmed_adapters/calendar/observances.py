"""Indonesian public holidays and observances, and the commercial dates campaigns plan around.

Public holidays and collective leave (cuti bersama) come from the `holidays` package (country
ID), in English and Bahasa Indonesia. Commercial dates are configuration, because marketing
teams add their own: a built-in list (double-date sales, Harbolnas 12.12, payday, the
Ramadan period derived from the Idul Fitri date) that `calendar.toml` in the data folder can
extend or replace.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import holidays
from attrs import frozen

CONFIG_FILE = "calendar.toml"


@frozen
class Observance:
    """A dated marker on the calendar; `end` is inclusive (a one-day date has end == start)."""

    start: date
    end: date
    name_en: str
    name_id: str
    kind: str  # holiday | cuti_bersama | observance | commercial

    def name(self, lang: str) -> str:
        return self.name_id if lang == "id" else self.name_en

    def overlaps(self, first: date, last: date) -> bool:
        return self.start <= last and self.end >= first


def national_holidays(years: Iterable[int]) -> list[Observance]:
    """Public holidays and cuti bersama of Indonesia for `years`."""
    years = sorted(set(years))
    categories = holidays.country_holidays("ID").supported_categories
    english = holidays.country_holidays("ID", years=years, language="en_US",
                                        categories=categories)
    bahasa = holidays.country_holidays("ID", years=years, language="id", categories=categories)
    found = []
    for day in sorted(bahasa):
        for name_id, name_en in zip(bahasa.get_list(day), english.get_list(day), strict=False):
            kind = "cuti_bersama" if name_id.startswith("Cuti Bersama") else "holiday"
            found.append(Observance(day, day, name_en, name_id, kind))
    return found


#: (month, day, English, Indonesian, kind) repeated every year.
_YEARLY: tuple[tuple[int, int, str, str, str], ...] = (
    (2, 14, "Valentine's Day", "Hari Valentine", "observance"),
    (4, 21, "Kartini Day", "Hari Kartini", "observance"),
    (5, 2, "National Education Day", "Hari Pendidikan Nasional", "observance"),
    (9, 4, "National Customer Day", "Hari Pelanggan Nasional", "observance"),
    (10, 2, "National Batik Day", "Hari Batik Nasional", "observance"),
    (10, 28, "Youth Pledge Day", "Hari Sumpah Pemuda", "observance"),
    (11, 10, "Heroes' Day", "Hari Pahlawan", "observance"),
    (12, 22, "Mother's Day (Indonesia)", "Hari Ibu", "observance"),
    (9, 9, "9.9 double-date sale", "Promo tanggal kembar 9.9", "commercial"),
    (10, 10, "10.10 double-date sale", "Promo tanggal kembar 10.10", "commercial"),
    (11, 11, "11.11 double-date sale", "Promo tanggal kembar 11.11", "commercial"),
    (12, 12, "Harbolnas 12.12 (National Online Shopping Day)",
     "Harbolnas 12.12 (Hari Belanja Online Nasional)", "commercial"),
)


def builtin_commercial_dates(years: Iterable[int]) -> list[Observance]:
    found = []
    for year in sorted(set(years)):
        for month, day, name_en, name_id, kind in _YEARLY:
            when = date(year, month, day)
            found.append(Observance(when, when, name_en, name_id, kind))
        for month in range(1, 13):
            payday = date(year, month, 25)
            found.append(Observance(payday, payday, "Payday (gajian)", "Gajian", "commercial"))
        found.extend(_ramadan(year))
    return found


def _ramadan(year: int) -> list[Observance]:
    """The Ramadan period: the 30 days before Idul Fitri (the government's sidang isbat may
    move it by a day; a configured date replaces it)."""
    english = holidays.country_holidays("ID", years=[year], language="en_US")
    eid = sorted(day for day, name in english.items() if "Eid al-Fitr" in name
                 and "Second" not in name)
    return [Observance(day - timedelta(days=30), day - timedelta(days=1),
                       "Ramadan (approximate)", "Bulan Ramadan (perkiraan)", "commercial")
            for day in eid[:1]]


def configured_dates(data_dir: Path | None) -> tuple[list[Observance], bool]:
    """Dates from `<data dir>/calendar.toml` and whether they replace the built-in list:

    \b
        replace_builtin = false
        [[commercial_dates]]
        name = "Anniversary sale"
        name_id = "Promo ulang tahun"
        start = 2026-12-05
        end = 2026-12-07
    """
    if data_dir is None or not (data_dir / CONFIG_FILE).exists():
        return [], False
    path = data_dir / CONFIG_FILE
    try:
        config: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path}: {error}") from None
    found = []
    for index, entry in enumerate(config.get("commercial_dates", []), start=1):
        try:
            start = _date(entry["start"])
            end = _date(entry.get("end", entry["start"]))
            name = str(entry["name"])
        except (KeyError, ValueError, TypeError) as error:
            raise ValueError(f"{path}: commercial_dates entry {index} needs name and start "
                             f"(YYYY-MM-DD): {error}") from None
        if end < start:
            raise ValueError(f"{path}: commercial_dates entry {index} ends before it starts")
        found.append(Observance(start, end, name, str(entry.get("name_id", name)),
                                str(entry.get("kind", "commercial"))))
    return found, bool(config.get("replace_builtin", False))


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@cache
def _holidays_of(years: tuple[int, ...]) -> tuple[Observance, ...]:
    """`national_holidays` of the years, computed once per process (every calendar page
    asks, and the holidays package builds them anew each time)."""
    return tuple(national_holidays(years))


@cache
def _builtin_of(years: tuple[int, ...]) -> tuple[Observance, ...]:
    return tuple(builtin_commercial_dates(years))


def observances(first: date, last: date, data_dir: Path | None = None) -> list[Observance]:
    """Every holiday, observance and commercial date touching [first, last], by date."""
    years = tuple(range(first.year - 1, last.year + 1))  # Ramadan may start the year before
    configured, replace = configured_dates(data_dir)
    commercial = configured if replace else list(_builtin_of(years)) + configured
    found = [o for o in [*_holidays_of(years), *commercial] if o.overlaps(first, last)]
    return sorted(found, key=lambda o: (o.start, o.kind, o.name_en))
