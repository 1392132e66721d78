"""A calendar month, as the calendar, the reports and the CLI's `--month` options name it."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, tzinfo

from attrs import frozen

from socmed_domain.bounds import check_year, quote
from socmed_domain.errors import InvalidInputError

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@frozen(order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """'2026-12' -> Month(2026, 12); anything else is one clear error."""
        match = _MONTH.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise InvalidInputError("error.bad_month", value=quote(text))
        check_year(int(match.group(1)), "month", text.strip())
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return self.next.first - timedelta(days=1)

    @property
    def next(self) -> Month:
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def day_count(self) -> int:
        return self.last.day

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range(self.day_count)]

    def bounds(self, zone: tzinfo) -> tuple[datetime, datetime]:
        """[start, end) of the month as instants in `zone`."""
        nxt = self.next
        return (datetime(self.year, self.month, 1, tzinfo=zone),
                datetime(nxt.year, nxt.month, 1, tzinfo=zone))

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"
