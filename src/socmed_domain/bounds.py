"""The one documented range of times and numbers the domain accepts (issue 13).

Why: a time at the edge of what Python represents (`9999-12-31 23:59 -12:00`,
`0001-01-01 00:00 +14:00`) can be stored, but converting it to UTC or to the zone a reader
shows overflows, and from then on every read model, report and the scheduler failed for
good. An infinite or absurd number (`--kpi reach=1e309`) did the same to the monthly report.
So every time and number that enters the domain is checked here, when a command records
it, before anything is written:

- times: from 2000-01-01 00:00 UTC (inclusive) to 2100-01-01 00:00 UTC (exclusive). Any
  instant in that range is representable in every zone the product shows (WIB, WITA, WIT,
  UTC and fixed offsets from -23:59 to +23:59), so no conversion can overflow;
- dates and calendar months: from 2000-01-01 to 2099-12-31;
- amounts (KPI targets, budgets in IDR): finite, from 0 to 10^15 (a thousand trillion);
- counts (metric values) keep their own `COUNT_LIMIT` in `evaluation/metrics.py`;
- other numbers a command takes (`projections follow --poll`: POLL_SECONDS) are finite and
  inside their own documented bounds (`check_number`).

The checks run when a command records a value (aggregate guards, value objects'
`validate()`, `parse_time`), never when a stored event is read back: a store written before
this rule still loads, and `socmed doctor` names its out-of-range values. `within_range`
and `clamp` serve the readers of such stores.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from socmed_domain.errors import InvalidInputError

TIME_FLOOR = datetime(2000, 1, 1, tzinfo=UTC)
TIME_CEILING = datetime(2100, 1, 1, tzinfo=UTC)  # exclusive
DATE_FLOOR = date(2000, 1, 1)
DATE_CEILING = date(2099, 12, 31)  # inclusive
YEAR_FLOOR, YEAR_CEILING = 2000, 2099
AMOUNT_LIMIT = Decimal(10) ** 15
#: Seconds between polls of `projections follow`.
POLL_SECONDS = (0.01, 3600.0)

TIME_RANGE_TEXT = "2000-01-01 00:00 UTC .. 2100-01-01 00:00 UTC"
DATE_RANGE_TEXT = "2000-01-01 .. 2099-12-31"

#: Where a reader clamps a stored time it cannot convert: a day inside what Python
#: represents, so it converts to any zone of offset up to 24 hours.
_SAFE_MIN = datetime.min.replace(tzinfo=UTC) + timedelta(days=2)
_SAFE_MAX = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)


def quote(value: object, limit: int = 80) -> str:
    """The offending input as an error line shows it: at most `limit` characters."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def within_range(value: datetime) -> bool:
    """Is this aware time inside the documented range? (No conversion, so never overflows.)"""
    return TIME_FLOOR <= value < TIME_CEILING


def check_time(value: datetime, field: str) -> datetime:
    """Refuse a time outside the documented range, naming the field and the range."""
    if not within_range(value):
        raise InvalidInputError("error.time_range", field=field, value=quote(value.isoformat()),
                                range=TIME_RANGE_TEXT)
    return value


def check_date(value: date, field: str) -> date:
    if not DATE_FLOOR <= value <= DATE_CEILING:
        raise InvalidInputError("error.time_range", field=field, value=quote(value.isoformat()),
                                range=DATE_RANGE_TEXT)
    return value


def check_year(year: int, field: str, shown: str) -> int:
    if not YEAR_FLOOR <= year <= YEAR_CEILING:
        raise InvalidInputError("error.time_range", field=field, value=quote(shown),
                                range=DATE_RANGE_TEXT)
    return year


def check_amount(value: Decimal, field: str) -> Decimal:
    """A finite amount from 0 to AMOUNT_LIMIT (KPI targets, budgets)."""
    if not value.is_finite() or not 0 <= value <= AMOUNT_LIMIT:
        raise InvalidInputError("error.amount_range", field=field, value=quote(value),
                                limit=f"{AMOUNT_LIMIT:.0e}")
    return value


def amount_ok(value: object) -> bool:
    """Would `check_amount` accept this stored value? (Readers of old stores.)"""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return number.is_finite() and 0 <= number <= AMOUNT_LIMIT


def check_number(value: float, field: str, low: float, high: float) -> float:
    """A finite number from `low` to `high` (nan and inf are refused, unlike a plain
    comparison, which lets nan through)."""
    if not math.isfinite(value) or not low <= value <= high:
        raise InvalidInputError("error.number_range", field=field, value=quote(value),
                                low=f"{low:g}", high=f"{high:g}")
    return value


def check_text(value: str, field: str, limit: int, required: bool = True) -> str:
    """`value` stripped: refused when empty (if `required`) or longer than `limit`."""
    value = value.strip()
    if required and not value:
        raise InvalidInputError("error.empty", field=field)
    if len(value) > limit:
        raise InvalidInputError("error.too_long", field=field, length=len(value), limit=limit)
    return value


def clamp(value: datetime) -> datetime:
    """A stored time a reader may convert to any zone without overflow (UTC out). A time in
    range comes back as the same instant; an edge-of-range one is moved two days inward."""
    if value < _SAFE_MIN:
        return _SAFE_MIN
    if value > _SAFE_MAX:
        return _SAFE_MAX
    return value.astimezone(UTC)


def out_of_range(value: object, path: str = "") -> list[tuple[str, str]]:
    """Every value inside `value` (an event's attributes, attrs value objects, mappings,
    sequences) that the rules above would refuse today, as (field path, value shown).
    `socmed doctor` runs it over a store written before the rules were enforced."""
    found: list[tuple[str, str]] = []
    if isinstance(value, datetime):
        if value.tzinfo is not None and not within_range(value):
            found.append((path, value.isoformat()))
    elif isinstance(value, date):
        if not DATE_FLOOR <= value <= DATE_CEILING:
            found.append((path, value.isoformat()))
    elif isinstance(value, Decimal):  # amounts, but also signed scores: magnitude only
        if not value.is_finite() or abs(value) > AMOUNT_LIMIT:
            found.append((path, quote(value)))
    elif isinstance(value, float):
        if not math.isfinite(value):
            found.append((path, str(value)))
    elif isinstance(value, str | bytes | int | bool) or value is None:
        pass
    elif isinstance(value, dict):
        for key, item in value.items():
            found += out_of_range(item, f"{path}[{key}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            found += out_of_range(item, f"{path}[{index}]")
    elif hasattr(value, "__attrs_attrs__"):
        for attribute in value.__attrs_attrs__:
            found += out_of_range(getattr(value, attribute.name),
                                  f"{path}.{attribute.name}" if path else attribute.name)
    return found
