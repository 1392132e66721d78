"""`socmed schedule`: when to post (SOP stage 3, prime time)."""

from __future__ import annotations

import re

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.output import emit, format_option

_HOURS = re.compile(r"(\d{1,2})[:.]?\d{0,2}\s*-\s*(\d{1,2})[:.]?\d{0,2}")


@click.group()
def schedule() -> None:
    """Suggest when to post: the audience's prime time (SOP stage 3).

    \b
    Example:
      socmed schedule suggest --platform instagram --audience "Milenial urban"
    """


@schedule.command("suggest")
@click.option("--platform", required=True, help="The platform.")
@click.option("--audience", default=None,
              help="A target audience of the strategy in force: keep its active hours.")
@click.option("--days", type=click.IntRange(7, 365), default=90, show_default=True,
              help="How far back to look at recorded engagement.")
@click.option("--count", type=click.IntRange(1, 20), default=5, show_default=True)
@click.option("--until", default=None, metavar="TIME",
              help="End of the window looked at, with a zone (default: now).")
@format_option
@pass_state
def suggest(state: CliState, platform: str, audience: str | None, days: int, count: int,
            until: str | None, fmt: str) -> None:
    """Best slots of the week from the engagement recorded per hour of the week (in the
    --tz zone, WIB by default); documented defaults fill in where there is not enough data.

    \b
    Example:
      socmed --tz WITA schedule suggest --platform tiktok --days 60 --format json
    """
    from socmed_adapters.prime_time_source import observations
    from socmed_domain.platforms import platform_named
    from socmed_domain.publication.prime_time import suggest_slots

    chosen = platform_named(platform)
    hours = _audience_hours(state, audience) if audience else None
    services = state.services()
    end = state.parse_time(until, "--until") if until else services.clock()
    seen = observations(services.projector, chosen, end, days, state.zone)
    rows = [{"rank": n, "day": s.day, "hour": f"{s.hour:02d}:00", "source": s.source,
             "posts": s.posts, "engagement_rate_pct": s.average_rate_pct}
            for n, s in enumerate(suggest_slots(chosen, seen, count, hours), start=1)]
    emit(rows, [("rank", "#"), ("day", "Day"), ("hour", "Time"), ("source", "Source"),
                ("posts", "Posts"), ("engagement_rate_pct", "Engagement rate %")], fmt,
         state.zone, lang=state.lang)


def _audience_hours(state: CliState, name: str) -> tuple[int, int]:
    from socmed_domain.errors import InvalidInputError, InvalidStateError

    plan = state.app.planning.strategy_in_force()
    if plan is None:
        raise InvalidStateError("error.no_strategy_in_force")
    for audience in plan.audiences:
        if audience.name.strip().lower() == name.strip().lower():
            match = _HOURS.search(audience.active_hours)
            if match is None:
                raise InvalidInputError("error.audience_hours", audience=audience.name,
                                        value=audience.active_hours or "-")
            return int(match.group(1)) % 24, int(match.group(2)) % 24
    names = ", ".join(a.name for a in plan.audiences) or "-"
    raise InvalidInputError("error.unknown_choice", kind="audience", value=name, choices=names)
