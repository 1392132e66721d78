"""`socmed token`: API tokens for other services, created by a member for themselves.

A token is read-only or carries the member's commands, expires, is shown once and stored only
as a hash; events record its id, name, scope and expiry, never the secret.
"""

from __future__ import annotations

import click

from socmed_cli.choices import SCOPE, EnumChoice
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option


def parse_lifetime(text: str) -> object:
    """'90d', '12h', '2w' as a timedelta (the range is the domain's to check)."""
    import re
    from datetime import timedelta

    from socmed_domain.errors import InvalidInputError

    found = re.fullmatch(r"\s*(\d{1,5})\s*([hdw])\s*", text.lower())
    if not found:
        raise InvalidInputError("error.bad_lifetime", value=text)
    unit = {"h": "hours", "d": "days", "w": "weeks"}[found.group(2)]
    return timedelta(**{unit: int(found.group(1))})


@click.group()
def token() -> None:
    """API tokens for other services: created for yourself, scoped, expiring, revocable.

    \b
    Example:
      socmed --as budi.dm token create --name ci-reports --scope read --expires-in 90d
    """


@token.command("create")
@click.option("--name", required=True, help="What the token is for (shown in listings).")
@click.option("--scope", type=EnumChoice(SCOPE), default="read", show_default=True,
              help="read: the read models only; commands: also your commands.")
@click.option("--expires-in", "expires_in", default="90d", show_default=True,
              help="How long it lives: hours, days or weeks (12h, 90d, 8w); at most 366 days.")
@as_option
@pass_state
def create(state: CliState, name: str, scope: str, expires_in: str,
           acting_as: str | None) -> None:
    """Create a token for yourself; its secret is shown once (store it now).

    \b
    Example:
      socmed --as budi.dm token create --name ci-reports --scope read --expires-in 90d
    """
    from datetime import timedelta
    from typing import cast

    from socmed_domain.identity.principal import Scope

    lifetime = cast(timedelta, parse_lifetime(expires_in))
    issued = state.app.identity.create_token(state.acting(acting_as), name, Scope(scope),
                                             lifetime)
    state.say("identity.cli.token_created", token=issued.token_id, secret=issued.secret,
              expires=state.time(issued.expires_at))


@token.command("list")
@format_option
@as_option
@pass_state
def list_tokens(state: CliState, fmt: str, acting_as: str | None) -> None:
    """Your tokens, newest first: id, name, scope, expiry, state (never the secret).

    \b
    Example:
      socmed --as budi.dm token list --format json
    """
    rows = [{"token": i.token_id, "name": i.name, "scope": i.scope.value,
             "created": i.created_at, "expires": i.expires_at, "state": i.state,
             "revoked": i.revoked_at}
            for i in state.app.identity.list_tokens(state.acting(acting_as))]
    emit(rows, [("token", "Token"), ("name", "Name"), ("scope", "Scope"),
                ("created", "Created"), ("expires", "Expires"), ("state", "State"),
                ("revoked", "Revoked")], fmt, state.zone, lang=state.lang)


@token.command("revoke")
@click.argument("token_id")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@as_option
@pass_state
def revoke(state: CliState, token_id: str, reason: str, acting_as: str | None) -> None:
    """Revoke a token at once (yours, or any member's for a Marketing Manager).

    \b
    Example:
      socmed --as budi.dm token revoke 3f9a1c2b7d4e --reason "CI job retired"
    """
    state.app.identity.revoke_token(state.acting(acting_as), token_id, reason)
    state.say("identity.cli.token_revoked", token=token_id)
