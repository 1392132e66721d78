"""`socmed login`, `socmed logout`, `socmed whoami`: the CLI as a client of a socmed server.

`login` signs in to the server (password by hidden prompt or standard input, a TOTP code when
the server asks for one), has it issue an API token for the member with the `commands` scope
and an expiry, and keeps server and token in the user's configuration folder (mode 0600).
From then on every command goes through the server's API as that member (`CliState`), and
`--as` is refused: the server decides who acts.
"""

from __future__ import annotations

import getpass
import socket
import sys

import click

from socmed_cli.context import CliState, pass_state


@click.command()
@click.option("--server", "server_url", required=True, metavar="URL",
              help="The server's address, e.g. https://socmed.example.co.id.")
@click.option("--member", default=None, metavar="MEMBER",
              help="Who logs in (asked for when not given).")
@click.option("--password-stdin", is_flag=True, default=False,
              help="Read the password from standard input instead of a hidden prompt.")
@click.option("--otp", default=None, metavar="CODE",
              help="The one-time code of your authenticator app (the server asks for it from "
              "the roles that approve or sign off).")
@click.option("--days", type=click.IntRange(1, 366), default=30, show_default=True,
              help="How long the token lives.")
@pass_state
def login(state: CliState, server_url: str, member: str | None, password_stdin: bool,
          otp: str | None, days: int) -> None:
    """Log in to a socmed server: every later command goes through it as you.

    The server issues an API token for you (scope: your commands; it expires); it is kept in
    $SOCMED_CONFIG_DIR (default ~/.config/socmed) as login.json, readable by you only.
    'socmed logout' revokes it.

    \b
    Example:
      socmed login --server https://socmed.example.co.id --member rina.mm --otp 123456
      echo "$PASSWORD" | socmed login --server http://127.0.0.1:8000 --member budi.dm \\
          --password-stdin
    """
    from socmed_adapters.remote.client import RemoteError, issue_login
    from socmed_adapters.remote.credentials import normalise_server, save_login
    from socmed_cli.i18n import t

    lang = state.lang
    server = normalise_server(server_url)
    member_id = member or click.prompt(t("login.member_prompt", lang))
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(t("login.password_prompt", lang), hide_input=True)
    name = f"socmed login ({getpass.getuser()}@{socket.gethostname()})"
    try:
        made = issue_login(server, member_id, password, otp, name=name, days=days, lang=lang)
    except RemoteError as error:
        if error.code != "error.second_factor_required" or otp is not None \
                or not sys.stdin.isatty():
            raise
        code = click.prompt(t("login.otp_prompt", lang), hide_input=True)
        made = issue_login(server, member_id, password, code, name=name, days=days,
                           lang=lang)
    path = save_login(made)
    state.say("login.done", url=server, member=made.member_id, token=made.token_id,
              expires=state.time(made.expires_at), path=str(path))


@click.command()
@pass_state
def logout(state: CliState) -> None:
    """Revoke the stored token on its server and delete it.

    \b
    Example:
      socmed logout
    """
    from socmed_adapters.remote.client import revoke_login
    from socmed_adapters.remote.credentials import (
        LoginFileError,
        delete_login,
        load_login,
        login_path,
    )

    try:
        # a token others could read is revoked all the more: that is what logging out of
        # a possibly leaked login should do (a file that cannot be read is only removed)
        stored = load_login(check_mode=False)
    except LoginFileError:
        delete_login()
        raise
    if stored is None:
        state.say("logout.none")
        return
    revoked = revoke_login(stored, state.lang)
    delete_login()
    state.say("logout.done" if revoked else "logout.already_invalid", url=stored.server,
              token=stored.token_id, path=str(login_path()))


@click.command()
@pass_state
def whoami(state: CliState) -> None:
    """Who the commands act as: member, role, how the server knows you (via) and the server.

    \b
    Example:
      socmed whoami
    """
    login = state.remote_login()
    if login is not None:
        from socmed_adapters.remote.client import who_am_i

        me = who_am_i(login, state.lang)
        state.say("whoami.remote", member=me["member_id"], role=me["role"], via=me["via"],
                  scope=me["scope"], url=login.server)
        return
    principal = state.acting()
    actor = state.app.actor(principal, reading=True)
    store = "PostgreSQL" if state.database_url else state.services().storage.data_dir
    state.say("whoami.local", member=principal.member_id, role=actor.role.value,
              via=principal.via, store=str(store))
