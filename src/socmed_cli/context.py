"""What every command shares: the store location, who acts, the language and the zone."""

from __future__ import annotations

import os
from datetime import date, datetime, time, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click
from attrs import define, field

from socmed_cli.i18n import detect_lang, t

if TYPE_CHECKING:  # typed for mypy; imported lazily at run time (socmed --help stays fast)
    from socmed_adapters.bootstrap import Services
    from socmed_adapters.queries import ReadModels
    from socmed_domain.application import SocmedApplication
    from socmed_domain.identity.principal import Principal


@define
class CliState:
    data_dir: Path | None
    database_url: str | None
    member: str | None
    lang: str
    zone: tzinfo
    _services: Services | None = field(default=None, alias="_services")
    publisher_kind: str | None = None

    @classmethod
    def create(cls, data_dir: Path | None, member: str | None, lang: str | None,
               zone: str | None, database_url: str | None = None) -> CliState:
        from socmed_domain.timezones import DEFAULT_ZONE, zone_named

        zone_name = zone or os.environ.get("SOCMED_TZ")
        return cls(data_dir=data_dir, database_url=database_url,
                   member=member or os.environ.get("SOCMED_USER"),
                   lang=detect_lang(lang),
                   zone=zone_named(zone_name) if zone_name else DEFAULT_ZONE)

    def services(self, create: bool = False) -> Services:
        """The bootstrapped services; read commands refuse to create an empty store."""
        if self._services is None:
            from socmed_adapters.bootstrap import bootstrap

            self._services = bootstrap(self.data_dir, database_url=self.database_url,
                                       create=create, publisher_kind=self.publisher_kind)
        return self._services

    @property
    def app(self) -> SocmedApplication:
        return self.services().app

    @property
    def read_models(self) -> ReadModels:
        """Queries over the read models, caught up to the newest event first."""
        return self.services().read_models

    def acting(self, override: str | None = None) -> Principal:
        """Who acts: the member named by --as or $SOCMED_USER, as a principal established
        by direct store access (``via=local-cli:<os user>``). The domain refuses it on a
        store whose access policy requires signing in."""
        from socmed_domain.identity.principal import Principal

        member = override or self.member
        if not member:
            raise click.UsageError(t("no_actor", self.lang))
        return Principal(member, f"local-cli:{os_user()}")

    def time(self, value: datetime | None) -> str:
        from socmed_cli.output import human_time

        return human_time(value, self.zone)

    def parse_time(self, text: str, field: str = "time") -> datetime:
        """A typed time with its zone, refused outside the documented range naming `field`
        (the option it came from)."""
        from socmed_domain.timezones import parse_time

        return parse_time(text, field=field)

    def day_start(self, day: date, field: str) -> datetime:
        """The start of a day in the CLI's zone, refused outside the documented range."""
        from socmed_domain.bounds import check_date

        return datetime.combine(check_date(day, field), time(0), self.zone)

    def say(self, key: str, **params: Any) -> None:
        click.echo(t(key, self.lang, **params))

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None


def os_user() -> str:
    """The operating-system user running the CLI (recorded in `via`), or "unknown"."""
    import getpass

    try:
        return getpass.getuser() or "unknown"
    except (OSError, KeyError, ImportError):  # no login name and no passwd entry
        return "unknown"


pass_state = click.make_pass_decorator(CliState)

as_option = click.option("--as", "acting_as", metavar="MEMBER", default=None,
                         help="Who acts (overrides the global --as and $SOCMED_USER).")


def choose_publisher(state: CliState, kind: str | None) -> None:
    """`--publisher` of the publishing commands; must run before the services are built."""
    if kind is not None:
        state.publisher_kind = kind


publisher_option = click.option(
    "--publisher", "publisher_kind", type=click.Choice(["sandbox", "platforms"]), default=None,
    help="Where posts go: the sandbox outbox (default, or $SOCMED_PUBLISHER) or the real "
    "platform APIs (credentials: docs/platforms.md).")
