"""Words and number formats shared by the monthly report's renderers, in English and Bahasa
Indonesia. The words are the ``report.*`` codes of the one catalogue (socmed_adapters.messages).
Numbers are formatted the same way in every format except JSON and CSV, which keep raw values
for spreadsheets and scripts."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from socmed_domain.timezones import zone_label


def label(key: str, lang: str) -> str:
    """The monthly report's word `key` (``report.<key>`` in the one catalogue) in `lang`."""
    from socmed_adapters.i18n import render

    return render(f"report.{key}", lang)


def _babel(value: int | Decimal, pattern: str, lang: str) -> str:
    """`value` in the reader's locale (en_US, id_ID) by Babel, with a CLDR `pattern`."""
    from babel.numbers import format_decimal

    from socmed_adapters.i18n import LOCALES

    return str(format_decimal(value, format=pattern, locale=LOCALES.get(lang, "en_US")))


def number(value: int | Decimal | None, lang: str) -> str:
    """1,234,567 (en) or 1.234.567 (id); '-' for no value."""
    if value is None:
        return "-"
    return _babel(int(value), "#,##0", lang)


def signed(value: int | None, lang: str) -> str:
    """+6,014 (en) or +6.014 (id): a change such as follower growth; '-' for no value."""
    if value is None:
        return "-"
    return _babel(int(value), "+#,##0;-#,##0", lang)


def tenths(value: Decimal | float | None, lang: str) -> str:
    """13.3 (en) or 13,3 (id): a cadence target; '-' for no value."""
    if value is None:
        return "-"
    return _babel(Decimal(str(value)), "0.0", lang)


def rate(value: Decimal | None, lang: str, sign: bool = False) -> str:
    """4.56% (en) or 4,56% (id); with sign=True a leading + for increases."""
    if value is None:
        return "-"
    pattern = "+#,##0.00;-#,##0.00" if sign else "#,##0.00"
    return f"{_babel(value, pattern, lang)}%"


def decimal(value: Decimal | None, lang: str) -> str:
    """A target or actual: whole numbers as such, fractions with two decimals."""
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return number(value, lang)
    return rate(value, lang)[:-1]


def span(value: timedelta | None, lang: str) -> str:
    """A duration people read at a glance: '45 min', '2 h 05 min', '3 d 4 h' (id: 'mnt',
    'j', 'h'); '-' for no value. Exact seconds are in the JSON and CSV."""
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    hour, minute, day = ("j", "mnt", "hr") if lang == "id" else ("h", "min", "d")
    if minutes < 60:
        return f"{minutes} {minute}"
    if minutes < 24 * 60:
        return f"{minutes // 60} {hour} {minutes % 60:02d} {minute}"
    return f"{minutes // 1440} {day} {minutes % 1440 // 60} {hour}"


def moment(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "-"
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"


def status(value: str, lang: str) -> str:
    from socmed_adapters.i18n import catalogue

    return label(value, lang) if f"report.{value}" in catalogue() else value
