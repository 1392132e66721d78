"""Indonesian time zones and the rule that every time is timezone-aware.

The default zone is WIB (Asia/Jakarta); WITA (Asia/Makassar) and WIT (Asia/Jayapura) are
supported by name, as are IANA names and fixed offsets.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from socmed_domain.errors import InvalidInputError

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")
WIT = ZoneInfo("Asia/Jayapura")
DEFAULT_ZONE = WIB

ZONE_ABBREVIATIONS: dict[str, ZoneInfo] = {"WIB": WIB, "WITA": WITA, "WIT": WIT}


def zone_named(name: str) -> tzinfo:
    """Resolve 'WIB', 'WITA', 'WIT', 'UTC' or an IANA name such as 'Asia/Makassar'."""
    key = name.strip()
    if key.upper() in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[key.upper()]
    if key.upper() == "UTC":
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(
            "error.unknown_choice",
            kind="timezone",
            value=name,
            choices="WIB, WITA, WIT, UTC or an IANA name",
        ) from None


def require_aware(value: datetime) -> datetime:
    """Refuse naive datetimes: a schedule without a zone is ambiguous across Indonesia."""
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise InvalidInputError("error.naive_time", value=value.isoformat(sep=" "))
    return value


def zone_label(value: datetime) -> str:
    """A short label for display: 'WIB' for Asia/Jakarta, otherwise the offset."""
    for label, zone in ZONE_ABBREVIATIONS.items():
        if value.tzinfo == zone:
            return label
    offset = value.utcoffset()
    return "UTC" if offset is not None and offset.total_seconds() == 0 else value.strftime("%z")


def parse_time(text: str, default_zone: tzinfo | None = None, field: str = "time") -> datetime:
    """Parse '2026-12-03 19:00 WIB', '2026-12-03T19:00+07:00' or '... Asia/Makassar'.

    Without a zone in the text and without `default_zone`, the time is refused as naive; a
    time outside the documented range (`bounds.py`) is refused naming `field`, so nothing
    that overflows a conversion ever reaches an aggregate.
    """
    from socmed_domain.bounds import check_time, quote

    raw = text.strip()
    zone: tzinfo | None = None
    head, _, tail = raw.rpartition(" ")
    if head and tail and (tail.upper() in ZONE_ABBREVIATIONS or "/" in tail
                          or tail.upper() == "UTC"):
        zone = zone_named(tail)
        raw = head
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError("error.bad_time", value=quote(text)) from None
    if parsed.tzinfo is None:
        zone = zone or default_zone
        if zone is None:
            raise InvalidInputError("error.naive_time", value=quote(text))
        parsed = parsed.replace(tzinfo=zone)
    check_time(parsed, field)
    if zone is not None and parsed.tzinfo is not zone:
        parsed = parsed.astimezone(zone)
    return parsed
