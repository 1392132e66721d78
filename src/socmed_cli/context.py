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
    from socmed_adapters.as_of import ListingReads
    from socmed_adapters.bootstrap import Services
    from socmed_adapters.remote.credentials import Login
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
    #: `--as` as given on the command line (not $SOCMED_USER): refused in remote mode.
    member_flag: str | None = None
    #: `--server` or $SOCMED_SERVER.
    server: str | None = None
    _login: Login | None = field(default=None, alias="_login")
    _login_read: bool = field(default=False, alias="_login_read")

    @classmethod
    def create(cls, data_dir: Path | None, member: str | None, lang: str | None,
               zone: str | None, database_url: str | None = None,
               server: str | None = None) -> CliState:
        from socmed_domain.timezones import DEFAULT_ZONE, zone_named

        zone_name = zone or os.environ.get("SOCMED_TZ")
        return cls(data_dir=data_dir, database_url=database_url,
                   member=member or os.environ.get("SOCMED_USER"),
                   lang=detect_lang(lang),
                   zone=zone_named(zone_name) if zone_name else DEFAULT_ZONE,
                   member_flag=member, server=server or os.environ.get("SOCMED_SERVER") or None)

    # ------------------------------------------------------------ remote mode

    def remote_login(self) -> Login | None:
        """The login the commands go through, None for the local store.

        A server named by `--server` (or $SOCMED_SERVER) needs a login to it; without one,
        the stored login (`socmed login`) is used unless the command names a local store
        (`--data-dir` or `--database-url`)."""
        if not self._login_read:
            from socmed_adapters.remote.credentials import load_login, normalise_server

            self._login_read = True
            if self.server:
                wanted = normalise_server(self.server)
                login = load_login()
                if login is None or login.server != wanted:
                    from socmed_adapters.remote.client import LoginRejectedError

                    raise LoginRejectedError("error.not_logged_in", url=wanted)
                self._login = login
            elif self.data_dir is None and self.database_url is None:
                self._login = load_login()
        return self._login

    @property
    def is_remote(self) -> bool:
        return self.remote_login() is not None

    def refuse_as_when_remote(self, given: str | None) -> None:
        """`--as` names who acts; through a server the token does, so it is refused."""
        login = self.remote_login() if given else None
        if login is not None:
            from socmed_domain.errors import PermissionDeniedError

            raise PermissionDeniedError("error.remote_as_refused", url=login.server,
                                        member=login.member_id)

    def refuse_when_remote(self, command: str) -> None:
        """A command that works on the local store only (init, demo, doctor, ...)."""
        login = self.remote_login()
        if login is not None:
            from socmed_adapters.remote.services import LocalOnlyError

            raise LocalOnlyError(command=command, url=login.server)

    def services(self, create: bool = False) -> Services:
        """The bootstrapped services; read commands refuse to create an empty store. With a
        server configured, the remote stand-in that sends each call to the server."""
        login = self.remote_login() if self._services is None else None
        if login is not None:
            from socmed_adapters.remote.services import RemoteServices

            context = click.get_current_context(silent=True)
            path = context.command_path.split()[1:] if context is not None else []
            command = " ".join(["socmed", *path])
            self._services = RemoteServices(login, self.lang,  # type: ignore[assignment]
                                            command=command, step_up=self.second_factor_code)
        if self._services is None:
            from socmed_adapters.bootstrap import bootstrap

            self._services = bootstrap(self.data_dir, database_url=self.database_url,
                                       create=create, publisher_kind=self.publisher_kind)
        return self._services

    def second_factor_code(self) -> str | None:
        """The member's current TOTP code, for a command the server refuses without a
        second factor (an approval): $SOCMED_OTP, else asked for on a terminal."""
        import sys

        given = os.environ.get("SOCMED_OTP", "").strip()
        if given:
            return given
        if not sys.stdin.isatty():
            return None
        answer: str = click.prompt(t("login.otp_prompt", self.lang), hide_input=True,
                                   default="", show_default=False, err=True)
        return answer.strip() or None

    def observances_dir(self) -> Path | None:
        """The store folder whose observances file adds to the built-in holidays; none
        through a server (the built-in holidays and commercial dates only)."""
        if self.is_remote:
            return None
        return self.services().storage.data_dir

    @property
    def app(self) -> SocmedApplication:
        return self.services().app

    @property
    def read_models(self) -> ListingReads:
        """Queries over the read models, caught up to the newest event first."""
        return self.services().read_models

    def acting(self, override: str | None = None) -> Principal:
        """Who acts: the member named by --as or $SOCMED_USER, as a principal established
        by direct store access (``via=local-cli:<os user>``). The domain refuses it on a
        store whose access policy requires signing in. Through a server, the logged-in
        member (the server decides; `--as` is refused)."""
        from socmed_domain.identity.principal import Principal

        login = self.remote_login()
        if login is not None:
            self.refuse_as_when_remote(override or self.member_flag)
            return Principal(login.member_id, f"token:{login.token_id}")
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


def stop_on_signals() -> Any:
    """A threading.Event that SIGTERM or Ctrl-C sets: a `--loop` finishes the work in hand,
    then stops (`worker`, `notify run`)."""
    import signal
    import threading

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda signum, frame: stop.set())
    return stop
