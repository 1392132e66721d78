"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.types import DateTime, TypeDecorator

from socmed_domain.bounds import clamp

#: The SQLite text of recent times, shared by every column: a row's times recur in its
#: next versions (equal datetimes are the same instant, so the same text).
_TEXTS: dict[datetime, str] = {}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware in, timezone-aware (UTC) out, whatever the database keeps.

    A time at the edge of what Python represents (only in stores written before the
    documented range of `socmed_domain.bounds` was enforced) is clamped two days inside
    that edge, so converting it to UTC, or a reader converting it to its zone, never
    overflows: the row still loads, and `socmed doctor` names the event it came from.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UtcDateTime column")
        value = clamp(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def bulk_bind(self, dialect: Dialect) -> Any:
        """The bind processor for `BulkTable` (base.py): on SQLite, `process_bind_param`
        and SQLite's DATETIME format (%Y-%m-%d %H:%M:%S.%f, always with microseconds) in
        one step, the same text; elsewhere the processor SQLAlchemy builds."""
        if dialect.name != "sqlite":
            return self._cached_bind_processor(dialect)

        texts = _TEXTS

        def process(value: Any) -> Any:
            if value is None:
                return None
            text = texts.get(value)  # equal datetimes are the same instant: the same text
            if text is not None:
                return text
            if value.tzinfo is None:
                raise ValueError("naive datetime given to a UtcDateTime column")
            if 1 < value.year < 9999:  # far from the edges `clamp` moves (any offset)
                text = value.astimezone(UTC).isoformat(" ", "microseconds")[:-6]
            else:
                text = clamp(value).replace(tzinfo=None).isoformat(" ", "microseconds")
            if len(texts) >= 4_096:
                texts.clear()
            texts[value] = text
            return text

        return process

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
