"""The console calendar's posts and findings, asked of the database for what a page shows.

A store that schedules hundreds of posts a day has twelve thousand posts and as many clashes
in a month: building them all in Python to show eight a day and fifty findings cost a page a
quarter of a second. Here each answer is one SQL statement whose result is as small as the
page:

- `shown_posts`: the first `per_day` posts of each day (after `skip`) with the day's total,
  and for each one the counted post before it on its platform in the same month (its clash,
  if they are closer than the interval): the findings of what is shown. The days are a small
  table of their bounds in the reader's zone; the posts of a day past those shown are not
  read (the day's cut-off is the time of its last shown post, found through the index);
- `counted_per_day`: how many counted posts each platform has each day (the cadence gaps are
  computed from these few numbers by `month.gaps_from_counts`, the same rule as `socmed
  calendar check`).

"Counted" is the calendar's rule (`month.NOT_COUNTED`, a planned post whose time has passed is
missed), written as a condition on the row.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from attrs import frozen
from sqlalchemy import (
    ColumnElement,
    Engine,
    FromClause,
    Integer,
    Select,
    Table,
    and_,
    bindparam,
    func,
    literal,
    not_,
    or_,
    select,
    union_all,
)

from socmed_adapters.calendar.month import (
    DEFAULT_CLASH_INTERVAL,
    NOT_COUNTED,
    CalendarEntry,
    CalendarFinding,
    clash_finding,
)
from socmed_adapters.projections.sqltypes import UtcDateTime
from socmed_domain.planning.cadence import MISSED, PLANNED, shown_state
from socmed_domain.platforms import Platform


@frozen
class DayPosts:
    """The posts a day shows (after `skip`) and how many the day has in all."""

    day: date
    entries: tuple[CalendarEntry, ...]
    total: int


@frozen
class ShownPosts:
    """The days' shown posts, and the clashes of those posts with the post before each."""

    days: dict[date, DayPosts]
    clashes: tuple[CalendarFinding, ...]


def day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day as instants."""
    return (datetime.combine(day, time(0), zone),
            datetime.combine(day + timedelta(days=1), time(0), zone))


#: The statements' column names (names, not report words: the catalogue test reads
#: `label` calls with a literal as report words).
(_N, _DAY_START, _DAY_END, _MONTH_START, _CUT, _TOTAL, _RANK, _BEFORE_AT, _BEFORE_ID,
 _BEFORE_TITLE, _POSTS) = ("n", "day_start", "day_end", "month_start", "cut", "total", "rank",
                           "before_at", "before_id", "before_title", "posts")

#: One instance for every bound of the days' table: SQLAlchemy computes a type's cache key
#: once per instance.
_INSTANT = UtcDateTime()
_NUMBER = Integer()


def _days(count: int) -> Any:
    """`count` days as a small table (n, start, end, the start of the day's month) the posts
    are joined to by time range; the bounds are parameters (`_day_params`)."""
    rows = [select(literal(n, _NUMBER).label(_N),
                   bindparam(f"start_{n}", type_=_INSTANT).label(_DAY_START),
                   bindparam(f"end_{n}", type_=_INSTANT).label(_DAY_END),
                   bindparam(f"month_{n}", type_=_INSTANT).label(_MONTH_START))
            for n in range(count)]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("days")


def _day_params(days: Sequence[date], zone: tzinfo) -> dict[str, Any]:
    params = {}
    for n, day in enumerate(days):
        params[f"start_{n}"], params[f"end_{n}"] = day_bounds(day, zone)
        params[f"month_{n}"] = day_bounds(day.replace(day=1), zone)[0]
    return params


def _visible(posts: FromClause, agency: bool) -> list[ColumnElement[bool]]:
    """An agency reads its campaigns' posts only (the parameter `visible`)."""
    return [posts.c.campaign_id.in_(bindparam("visible", expanding=True))] if agency else []


def _params(visible: frozenset[str] | None, now: datetime | None) -> dict[str, Any]:
    params: dict[str, Any] = {} if visible is None else {"visible": sorted(visible)}
    if now is not None:
        params["now"] = now
    return params


def counted(posts: FromClause, dated: bool) -> ColumnElement[bool]:
    """The row fills a slot (`month.CalendarEntry.counted` as SQL; `dated`: as of the
    parameter `now`, a planned post whose time has passed is missed)."""
    stored = sorted(NOT_COUNTED - {MISSED})
    condition: ColumnElement[bool] = posts.c.state.notin_(stored)
    if dated:
        condition = and_(condition, not_(and_(
            posts.c.state == PLANNED, posts.c.at < bindparam("now", type_=_INSTANT))))
    return condition


@functools.lru_cache(maxsize=64)
def _shown_query(posts: Table, campaigns: Table, count: int, agency: bool,
                 dated: bool) -> Select[Any]:
    """The statement of `shown_posts` for `count` days (made once per shape: building it
    costs more than running it)."""
    table = _days(count)
    within = [posts.c.at >= table.c.day_start, posts.c.at < table.c.day_end,
              *_visible(posts, agency)]
    cut = (select(table,
                  func.coalesce(select(posts.c.at).where(*within).order_by(posts.c.at)
                                .limit(1).offset(bindparam("before_cut", type_=_NUMBER))
                                .scalar_subquery(),
                                table.c.day_end).label(_CUT),
                  select(func.count()).select_from(posts).where(*within).scalar_subquery()
                  .label(_TOTAL))
           .cte("cut"))
    ranked = (select(cut.c.n, cut.c.month_start, cut.c.total, posts.c.item_id,
                     posts.c.platform,
                     func.row_number().over(partition_by=cut.c.n, order_by=(
                         posts.c.at, posts.c.platform, posts.c.item_id)).label(_RANK))
              .select_from(cut.join(posts, and_(posts.c.at >= cut.c.day_start,
                                                posts.c.at <= cut.c.cut,
                                                posts.c.at < cut.c.day_end)))
              .where(*_visible(posts, agency))
              .subquery("ranked"))
    earlier = posts.alias("earlier")
    before_at = (select(earlier.c.at)
                 .where(earlier.c.platform == posts.c.platform,
                        earlier.c.at >= ranked.c.month_start, earlier.c.at <= posts.c.at,
                        or_(earlier.c.at < posts.c.at, earlier.c.item_id < posts.c.item_id),
                        counted(earlier, dated), *_visible(earlier, agency))
                 .order_by(earlier.c.at.desc()).limit(1).scalar_subquery())
    shown = (select(ranked.c.n, ranked.c.rank, ranked.c.total, posts.c.at, posts.c.platform,
                    posts.c.title, posts.c.state, posts.c.item_id, posts.c.campaign_id,
                    posts.c.url, campaigns.c.name, campaigns.c.special,
                    before_at.label(_BEFORE_AT))
             .select_from(ranked
                          .join(posts, and_(posts.c.item_id == ranked.c.item_id,
                                            posts.c.platform == ranked.c.platform))
                          .outerjoin(campaigns,
                                     posts.c.campaign_id == campaigns.c.campaign_id))
             .where(ranked.c.rank > bindparam("skip", type_=_NUMBER),
                    ranked.c.rank <= bindparam("last", type_=_NUMBER))
             .subquery("shown"))
    named = posts.alias("named")
    same = [named.c.platform == shown.c.platform, named.c.at == shown.c.before_at,
            or_(named.c.at < shown.c.at, named.c.item_id < shown.c.item_id),
            counted(named, dated), *_visible(named, agency)]
    before_id = select(func.max(named.c.item_id)).where(*same).scalar_subquery()
    paired = select(shown, before_id.label(_BEFORE_ID)).subquery("paired")
    titled = posts.alias("titled")
    return (select(paired, titled.c.title.label(_BEFORE_TITLE))
            .select_from(paired.outerjoin(titled, and_(
                titled.c.item_id == paired.c.before_id,
                titled.c.platform == paired.c.platform)))
            .order_by(paired.c.n, paired.c.rank))


def shown_posts(engine: Engine, posts: Table, campaigns: Table, days: Sequence[date],
                zone: tzinfo, per_day: int, skip: int = 0,
                visible: frozenset[str] | None = None, now: datetime | None = None,
                interval: timedelta = DEFAULT_CLASH_INTERVAL) -> ShownPosts:
    """Posts `skip+1`..`skip+per_day` of each day in time order (then platform, item), with
    each day's total (days without posts are absent), and the clashes among them: a counted
    post shown less than `interval` after the counted post before it on its platform that
    month (visible to the reader; shown or not), in `month.clashes` order."""
    if not days or per_day < 1:
        return ShownPosts({}, ())
    query = _shown_query(posts, campaigns, len(days), visible is not None, now is not None)
    params = {**_day_params(days, zone), **_params(visible, now), "skip": skip,
              "last": skip + per_day, "before_cut": skip + per_day - 1}
    with engine.connect() as conn:
        rows = conn.execute(query, params).mappings().all()
    by_day: dict[int, list[CalendarEntry]] = defaultdict(list)
    totals: dict[int, int] = {}
    order = {p.value: n for n, p in enumerate(Platform)}
    found = []
    for r in rows:
        totals[r["n"]] = r["total"]
        entry = CalendarEntry(
            at=r["at"], platform=r["platform"], title=r["title"],
            state=shown_state(r["state"], r["at"], now), item_id=r["item_id"],
            campaign_id=r["campaign_id"], campaign=r["name"] or "",
            special=bool(r["special"]), url=r["url"])
        by_day[r["n"]].append(entry)
        before = r["before_at"]
        if entry.counted and before is not None and entry.at - before < interval:
            found.append(((order.get(entry.platform, len(order)), entry.at, entry.item_id),
                          clash_finding(entry.platform, before, r["before_id"],
                                        r["before_title"], entry.at, entry.item_id,
                                        entry.title, interval)))
    found.sort(key=lambda pair: pair[0])
    return ShownPosts({days[n]: DayPosts(days[n], tuple(by_day[n]), total)
                       for n, total in totals.items()}, tuple(f for _, f in found))


@functools.lru_cache(maxsize=64)
def _counted_query(posts: Table, count: int, agency: bool, dated: bool) -> Select[Any]:
    table = _days(count)
    return (select(table.c.n, posts.c.platform, func.count().label(_POSTS))
            .select_from(table.join(posts, and_(posts.c.at >= table.c.day_start,
                                                posts.c.at < table.c.day_end)))
            .where(counted(posts, dated), *_visible(posts, agency))
            .group_by(table.c.n, posts.c.platform))


def counted_per_day(engine: Engine, posts: Table, days: Sequence[date], zone: tzinfo,
                    visible: frozenset[str] | None = None,
                    now: datetime | None = None) -> dict[tuple[str, date], int]:
    """{(platform, day): counted posts} for the days (absent: none)."""
    if not days:
        return {}
    query = _counted_query(posts, len(days), visible is not None, now is not None)
    with engine.connect() as conn:
        rows = conn.execute(query, {**_day_params(days, zone), **_params(visible, now)}).all()
    return {(platform, days[n]): count for n, platform, count in rows}
