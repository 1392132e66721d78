"""The authenticated principal: the one thing an entry point passes as "who acts".

An entry point never takes the acting member from input. It authenticates a request (a
session cookie, an API token, single sign-on, or the local CLI's OS user on an embedded
store) and hands the resulting `Principal` to a service method; the kernel turns it into the
`Actor` recorded in every event, with `via` saying how the member was established, so Legal
can tell an approval made in a signed-in browser from one made by a script with a token.
"""

from __future__ import annotations

import enum

from attrs import frozen


class Scope(enum.Enum):
    """What a principal may do: read the read models only, or also run the member's commands."""

    READ = "read"
    COMMANDS = "commands"


#: `via` of a call made in-process by Python code that passed a bare member id (the library's
#: own API, the demo, tests): trusted because it runs with the store's own credentials.
LIBRARY_VIA = "library"


@frozen
class Principal:
    """A member as authenticated by an entry point.

    `via` is one of ``session:<id prefix>``, ``sso:<issuer>``, ``token:<token id>``,
    ``local-cli:<os user>`` or ``library``; it is recorded with every event the principal
    causes. `second_factor` says the member proved a second factor (TOTP) when the session
    was opened: approvals and sign-offs by the roles the store's access policy names need it."""

    member_id: str
    via: str
    scope: Scope = Scope.COMMANDS
    second_factor: bool = False

    @property
    def via_kind(self) -> str:
        """``session``, ``sso``, ``token``, ``local-cli`` or ``library``."""
        return self.via.split(":", 1)[0]


#: `via` kinds, for filtering the audit log: how the acting member was established. ``auth``
#: marks events recorded while a member was being authenticated (a sign-in attempt, an
#: account set up with its one-time code), before there was a principal.
VIA_KINDS = ("session", "sso", "token", "local-cli", "library", "auth")


#: What service methods accept as "who acts": an authenticated principal, or a bare member id
#: from trusted in-process code (recorded as ``via=library``).
ActorRef = str | Principal


def issuer_host(issuer: str) -> str:
    """The host of an OpenID Connect issuer URL (what `via=sso:<host>` records)."""
    rest = issuer.split("://", 1)[-1]
    return rest.split("/", 1)[0].split("@")[-1].lower() or issuer


def as_principal(ref: ActorRef) -> Principal:
    """A bare member id becomes a library principal; a principal stays as it is."""
    return ref if isinstance(ref, Principal) else Principal(ref, LIBRARY_VIA)
