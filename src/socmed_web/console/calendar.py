"""The calendar in the console: a month (or one week) of posts by day, with Indonesian
holidays and commercial dates, the campaigns running as bands, and the cadence gaps and
clashes against the strategy in force; each post links to its item.

The iCalendar feed a calendar app subscribes to lives at a per-member secret URL: the
secret is a read-only token of `app.identity` named "calendar feed" (stored hashed; its
creation and revocation are audited events without the secret), rotated with one command
(`renew_token`), shown once. The feed answers the previous, current and next two months.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import InvalidInputError
from socmed_domain.identity.principal import Scope
from socmed_domain.months import Month
from socmed_domain.timezones import DEFAULT_ZONE, WIB
from socmed_web.console.base import Req, checked, lang_of, member, page
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]

FEED_TOKEN = "calendar feed"
FEED_LIFETIME = timedelta(days=366)


def _month_of(day: date) -> Month:
    return Month(day.year, day.month)


def _day(value: str | None, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError("error.bad_time", value=value) from None


def _weeks(month: Month) -> list[list[date]]:
    """Monday-first weeks covering the month (days of the neighbouring months included)."""
    first = month.first - timedelta(days=month.first.weekday())
    weeks, day = [], first
    while day <= month.last:
        weeks.append([day + timedelta(days=i) for i in range(7)])
        day += timedelta(days=7)
    return weeks


#: Posts a day shows in the month view and in the week view (the rest are behind the day's
#: "+k more" link), a page of the day view, and the findings listed above the grid: a store
#: scheduling hundreds of posts a day would otherwise render tens of thousands of rows per
#: page. The database returns only these rows and the counts (`calendar.month_view`).
DAY_SHOWN = 8
WEEK_SHOWN = 40
DAY_PAGE = 200
FINDINGS_SHOWN = 50


@get("/calendar", sync_to_thread=True, include_in_schema=False)
def calendar_page(request: Req, month: str | None = None, week: str | None = None,
                  day: str | None = None, start: int = 0) -> Any:
    """`month=2026-12` (default: this month), `week=2026-12-14` (the week of that day) or
    `day=2026-12-14` (every post of that day, `start` = posts skipped, a page at a time)."""
    from socmed_adapters.calendar.page import calendar_page as build

    principal = member(request)
    services = context(request).services
    today = services.clock().astimezone(WIB).date()
    week_day, one_day = _day(week, "week"), _day(day, "day")
    chosen = (Month.parse(month) if month else _month_of(one_day or week_day or today))
    weeks = _weeks(chosen)
    if one_day is not None:
        shown, per_day, skip = [one_day], DAY_PAGE, max(start, 0)
        weeks = []
    elif week_day is not None:
        monday = week_day - timedelta(days=week_day.weekday())
        weeks = [[monday + timedelta(days=i) for i in range(7)]]
        shown, per_day, skip = weeks[0], WEEK_SHOWN, 0
    else:
        shown, per_day, skip = chosen.dates(), DAY_SHOWN, 0
    view = build(services, principal, chosen, DEFAULT_ZONE, shown, per_day, skip)
    lang = lang_of(request)
    by_day = {d: [(e.at.astimezone(WIB).strftime("%H:%M"), e) for e in posts.entries]
              for d, posts in view.days.items()}
    totals = {d: posts.total for d, posts in view.days.items()}
    marks: dict[date, list[Any]] = {}
    for mark in view.observances:
        current = mark.start
        while current <= mark.end:
            marks.setdefault(current, []).append(mark)
            current += timedelta(days=1)
    bands: dict[date, list[Any]] = {}
    for band in view.campaigns:
        current, last = band.start.astimezone(WIB).date(), band.end.astimezone(WIB).date()
        while current <= last:
            bands.setdefault(current, []).append(band)
            current += timedelta(days=1)
    return page(request, "console/calendar.html", principal, month=str(chosen),
                previous=str(_month_of(chosen.first - timedelta(days=1))),
                following=str(chosen.next), weeks=weeks, by_day=by_day, totals=totals,
                marks=marks, bands=bands, campaigns=view.campaigns,
                findings=view.findings[:FINDINGS_SHOWN],
                findings_more=max(len(view.findings) - FINDINGS_SHOWN, 0),
                some_hidden=any(len(by_day[d]) < totals[d] for d in totals),
                week=week_day, day=one_day,
                skip=skip, day_page=DAY_PAGE, today=today, month_number=chosen.month,
                lang=lang, feed=None,
                week_days=[(chosen.first - timedelta(days=chosen.first.weekday())
                            + timedelta(days=i)) for i in range(7)])


@post("/calendar/feed", sync_to_thread=True, include_in_schema=False, status_code=200)
def rotate_feed(request: Req, data: Form) -> Any:
    """A new secret feed URL for the member (the previous one stops working), shown once."""
    principal = checked(request, data)
    issued = context(request).services.app.identity.renew_token(
        principal, FEED_TOKEN, Scope.READ, FEED_LIFETIME)
    url = f"{request.base_url}/calendar/feed/{issued.secret}.ics".replace("//calendar",
                                                                           "/calendar")
    return page(request, "console/calendar_feed.html", principal, url=url,
                expires_at=issued.expires_at)


@get("/calendar/feed/{name:str}", sync_to_thread=True, include_in_schema=False)
def feed(request: Req, name: str) -> Any:
    """The iCalendar feed of the member whose secret the URL carries (no session: calendar
    apps cannot sign in); an unknown, revoked or expired secret is refused."""
    from socmed_adapters.calendar.ics import to_ics

    services = context(request).services
    principal = services.app.identity.token_principal(name.removesuffix(".ics"))
    today = _month_of(services.clock().astimezone(WIB).date())
    months = [_month_of(today.first - timedelta(days=1)), today, today.next,
              today.next.next]
    entries = [e for m in months for e in services.read_models.calendar_for(
        principal, m, DEFAULT_ZONE)]
    name_shown = f"{services.app.team.organisation()} socmed"
    return Response(to_ics(entries, name_shown, services.clock()),
                    media_type="text/calendar; charset=utf-8",
                    headers={"Cache-Control": "private, max-age=300"})


HANDLERS = [calendar_page, rotate_feed, feed]
