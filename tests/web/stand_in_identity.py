"""A hand-written stand-in of `app.identity` (the identity service's interface in
docs/api.md), used by these tests until the store's own identity service is wired in.

It keeps sessions and tokens in memory, refuses a deactivated member like the real one, and
mints a fresh session id at every sign-in; passwords are `pw-<member>`.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen

from socmed_domain.errors import SocmedError
from socmed_domain.identity.principal import ActorRef, Principal, Scope, as_principal


class NotAuthenticatedError(SocmedError):
    code = "error.sign_in_required"


@frozen
class SignedIn:
    session_token: str
    principal: Principal
    expires_at: datetime


@frozen
class IssuedToken:
    token_id: str
    secret: str
    expires_at: datetime


@frozen
class SetupCode:
    code: str
    expires_at: datetime


@frozen
class TokenInfo:
    token_id: str
    name: str
    scope: Scope
    expires_at: datetime


class StandInIdentity:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.sessions: dict[str, str] = {}
        self.tokens: dict[str, tuple[str, str, Scope, str]] = {}

    def _active(self, member_id: str) -> None:
        try:
            self.app.actor(member_id, reading=True)
        except SocmedError:
            raise NotAuthenticatedError() from None

    def sign_in(self, member_id: str, password: str, otp: str | None = None) -> SignedIn:
        if password != f"pw-{member_id}":
            raise NotAuthenticatedError()
        self._active(member_id)
        token = secrets.token_urlsafe(32)
        self.sessions[token] = member_id
        return SignedIn(token, Principal(member_id, f"session:{token[:8]}"),
                        self.app.now() + timedelta(hours=8))

    def session_principal(self, session_token: str) -> Principal:
        member = self.sessions.get(session_token)
        if member is None:
            raise NotAuthenticatedError()
        self._active(member)
        return Principal(member, f"session:{session_token[:8]}")

    def sign_out(self, session_token: str) -> None:
        self.sessions.pop(session_token, None)

    def create_token(self, actor: ActorRef, name: str, scope: Scope,
                     expires_in: timedelta) -> IssuedToken:
        member = as_principal(actor).member_id
        token_id = secrets.token_hex(4)
        secret = secrets.token_urlsafe(32)
        self.tokens[secret] = (token_id, member, scope, name)
        return IssuedToken(token_id, secret, self.app.now() + expires_in)

    def list_tokens(self, actor: ActorRef) -> tuple[TokenInfo, ...]:
        member = as_principal(actor).member_id
        return tuple(TokenInfo(t, n, s, self.app.now()) for t, m, s, n in self.tokens.values()
                     if m == member)

    def revoke_token(self, actor: ActorRef, token_id: str) -> None:
        member = as_principal(actor).member_id
        for secret, (t, m, _, _) in list(self.tokens.items()):
            if t == token_id and m == member:
                del self.tokens[secret]

    def token_principal(self, secret: str) -> Principal:
        found = self.tokens.get(secret)
        if found is None:
            raise NotAuthenticatedError()
        token_id, member, scope, _ = found
        self._active(member)
        return Principal(member, f"token:{token_id}", scope)

    def invite(self, actor: ActorRef, member_id: str) -> SetupCode:
        """Only a Marketing Manager invites, and only a member of the team."""
        from socmed_domain.roles import Action, check_may

        inviter = self.app.actor(actor)
        check_may(inviter.member_id, inviter.role, Action.MANAGE_TEAM)
        self.app.team.list_members()
        self._active(member_id) if member_id in {
            m.member_id for m in self.app.team.list_members()} else self._unknown(member_id)
        return SetupCode(secrets.token_hex(8), self.app.now() + timedelta(days=2))

    def _unknown(self, member_id: str) -> None:
        from socmed_domain.errors import NotFoundError

        raise NotFoundError(kind="member", ref=member_id, listing="team list")
