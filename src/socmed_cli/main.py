"""The `socmed` command: global options, one-line errors, and lazily loaded subcommands.

Every failure the user can cause ends as one line on stderr ('error: ...' / 'galat: ...') and a
non-zero exit: 1 for a refused command, 2 for a malformed invocation. Never a traceback.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

import click

from socmed_cli.context import CliState
from socmed_cli.i18n import detect_lang, t
from socmed_cli.lazy import LazyGroup

COMMANDS = {
    "init": ("socmed_cli.commands.init", "init"),
    "team": ("socmed_cli.commands.team", "team"),
    "account": ("socmed_cli.commands.account", "account"),
    "token": ("socmed_cli.commands.token", "token"),
    "strategy": ("socmed_cli.commands.strategy", "strategy"),
    "config": ("socmed_cli.commands.config", "config"),
    "campaign": ("socmed_cli.commands.campaign", "campaign"),
    "calendar": ("socmed_cli.commands.calendar", "calendar"),
    "content": ("socmed_cli.commands.content", "content"),
    "publish": ("socmed_cli.commands.publish", "publish"),
    "incident": ("socmed_cli.commands.incident", "incident"),
    "inbox": ("socmed_cli.commands.inbox", "inbox"),
    "privacy": ("socmed_cli.commands.privacy", "privacy"),
    "metrics": ("socmed_cli.commands.metrics", "metrics"),
    "report": ("socmed_cli.commands.report", "report"),
    "dashboard": ("socmed_cli.commands.dashboard", "dashboard"),
    "platforms": ("socmed_cli.commands.platforms", "platforms"),
    "schedule": ("socmed_cli.commands.schedule", "schedule"),
    "audit": ("socmed_cli.commands.audit", "audit"),
    "demo": ("socmed_cli.commands.demo", "demo"),
    "projections": ("socmed_cli.commands.projections", "projections"),
    "doctor": ("socmed_cli.commands.doctor", "doctor"),
    "serve": ("socmed_cli.commands.serve", "serve"),
    "login": ("socmed_cli.commands.login", "login"),
    "logout": ("socmed_cli.commands.login", "logout"),
    "whoami": ("socmed_cli.commands.login", "whoami"),
    "worker": ("socmed_cli.commands.worker", "worker"),
    "notify": ("socmed_cli.commands.notify", "notify"),
}
#: Commands about the local store itself: refused in one line when a server is configured.
LOCAL_ONLY = frozenset({"init", "demo", "doctor"})
#: Commands that manage the login itself (run whatever the login file says).
LOGIN_COMMANDS = frozenset({"login", "logout"})


class SocmedGroup(LazyGroup):
    """Turns every error into one line and an exit code."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        lang = _lang_from_argv(argv)
        bad = _not_utf8(argv)
        if bad is not None and standalone_mode:
            from socmed_domain.i18n import render

            _fail(lang, render("error.arg_not_utf8", lang, option=bad(lang)), 2)
        if not standalone_mode:
            return super().main(argv, prog_name, complete_var, False, **extra)
        try:
            result = super().main(argv, prog_name or "socmed", complete_var, False, **extra)
        except click.exceptions.Abort:
            _fail(lang, t("click.aborted", lang), 130)
        except click.ClickException as error:
            from socmed_cli.i18n import translate_click

            _fail(lang, translate_click(error.format_message(), lang), error.exit_code)
        except BrokenPipeError:
            sys.exit(0)
        except Exception as error:
            from socmed_domain.errors import SocmedError, quoted

            if isinstance(error, SocmedError):
                from socmed_adapters.i18n import BABEL

                _fail(lang, error.message(lang, BABEL), 1)
            if isinstance(error, FileNotFoundError):
                _fail(lang, t("no_store", lang, path=Path(str(error)).parent), 1)
            if _is_database_error(error):
                detail = quoted("detail", (str(error).strip().splitlines()
                                           or [type(error).__name__])[0])
                _fail(lang, t("database_failed", lang, detail=detail), 1)
            if isinstance(error, OSError):
                _fail(lang, f"{error.strerror or error}: "
                      f"{quoted('path', str(error.filename or ''))}".strip(), 1)
            if os.environ.get("SOCMED_DEBUG"):
                raise
            _fail(lang, t("internal_error", lang, kind=type(error).__name__,
                          detail=quoted("detail", str(error))), 70)
        sys.exit(result if isinstance(result, int) else 0)


def _is_database_error(error: BaseException) -> bool:
    """eventsourcing's and SQLAlchemy's database errors, without importing either eagerly."""
    module = type(error).__module__
    return module.startswith(("eventsourcing.persistence", "sqlalchemy.exc", "psycopg",
                              "sqlite3"))


def _not_utf8(argv: list[Any]) -> Any:
    """The option (or argument position) whose value is not valid UTF-8, as a function of
    the language; None when every argument is text. Python keeps undecodable argv bytes as
    lone surrogates (U+DC80-U+DCFF), which no store, file or terminal can take: refuse them
    here, once, before any command sees them."""
    for index, arg in enumerate(argv):
        if isinstance(arg, bytes):
            try:
                arg = arg.decode("utf-8")
            except UnicodeDecodeError:
                arg = "\udcff"
        if not _SURROGATE.search(str(arg)):
            continue
        text = str(arg)
        if text.startswith("--") and "=" in text and not _SURROGATE.search(text.split("=")[0]):
            name = text.split("=", 1)[0]
            return lambda lang: name
        previous = str(argv[index - 1]) if index else ""
        if previous.startswith("-") and "=" not in previous and not _SURROGATE.search(previous):
            return lambda lang: previous
        return lambda lang: t("arg_position", lang, n=index + 1)
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")
#: A quoted value in an error line (click's "Invalid value for '--at': '<value>'") is cut to
#: this many characters, and the whole line to LINE_LIMIT: the messages are for people.
QUOTE_LIMIT = 80
LINE_LIMIT = 1000
_QUOTED = re.compile(rf"'([^']{{{QUOTE_LIMIT + 1},}})'|\"([^\"]{{{QUOTE_LIMIT + 1},}})\"")


def _shorten(line: str) -> str:
    """Every quoted value over QUOTE_LIMIT shortened, the line bounded, and any character
    a terminal cannot take (a lone surrogate) replaced: done here, where every error line is
    rendered, instead of in each message."""
    def cut(match: re.Match[str]) -> str:
        quote = "'" if match.group(1) is not None else '"'
        value = match.group(1) if match.group(1) is not None else match.group(2)
        return f"{quote}{value[:QUOTE_LIMIT - 1]}…{quote}"

    line = _QUOTED.sub(cut, line)
    if len(line) > LINE_LIMIT:
        line = line[:LINE_LIMIT - 1] + "…"
    return line.encode("utf-8", "replace").decode("utf-8")


def _fail(lang: str, message: str, code: int) -> None:
    line = _shorten(" ".join(str(message).split()))
    click.echo(f"{t('error', lang)}: {line}", err=True)
    sys.exit(code)


def _lang_from_argv(argv: list[str]) -> str:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv) and argv[index + 1] in ("en", "id"):
            return argv[index + 1]
        if arg.startswith("--lang=") and arg[7:] in ("en", "id"):
            return arg[7:]
    return detect_lang()


@click.group(cls=SocmedGroup, lazy=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Store folder (default $SOCMED_HOME, else the XDG data dir).")
@click.option("--database-url", default=None, envvar="SOCMED_DATABASE_URL", metavar="URL",
              help="PostgreSQL URL (postgresql://user@host/db); default: SQLite in the data dir.")
@click.option("--as", "member", metavar="MEMBER", default=None,
              help="Who acts (default $SOCMED_USER).")
@click.option("--server", default=None, metavar="URL",
              help="A socmed server to send every command to, as the member logged in with "
              "'socmed login' (default $SOCMED_SERVER, else the stored login, if any).")
@click.option("--lang", type=click.Choice(["en", "id"]), default=None,
              help="Language of messages (default from $SOCMED_LANG or the locale).")
@click.option("--tz", "zone", default=None, metavar="ZONE",
              help="Zone for showing times: WIB (default), WITA, WIT or IANA. Times you type "
              "always carry their own zone.")
@click.version_option(package_name="socmed", prog_name="socmed")
@click.pass_context
def cli(ctx: click.Context, data_dir: Path | None, database_url: str | None,
        member: str | None, server: str | None, lang: str | None, zone: str | None) -> None:
    """socmed: run the company's social media by SOP-0042, with every step audited.

    \b
    Example:
      socmed demo
      socmed --as rina.mm content list --status awaiting_approval
    """
    ctx.obj = state = CliState.create(data_dir=data_dir, member=member, lang=lang, zone=zone,
                                      database_url=database_url, server=server)
    ctx.call_on_close(state.close)
    sub = ctx.invoked_subcommand
    if sub in LOGIN_COMMANDS:
        return
    if member is not None:
        state.refuse_as_when_remote(member)
    if sub in LOCAL_ONLY:
        state.refuse_when_remote(f"socmed {sub}")


def main() -> None:
    cli.main(prog_name="socmed")


if __name__ == "__main__":
    main()
