"""`MemberAccess`: one aggregate per member recording how the member may sign in, as events
without secrets.

One per member rather than one for the team, so two members signing in (or failing to) at
the same moment never conflict, and a member's sign-in failures count on their own record.
The events say *that* an invitation was issued (with its expiry, never the code), a password
set, a second factor enrolled, a token created (id, name, scope, expiry, never the secret),
a sign-in failed or a member was locked out; the secrets themselves are in the
`CredentialStore` (identity.ports).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import evolve, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidStateError, NotFoundError
from socmed_domain.events import AuditedEvent
from socmed_domain.identity.principal import Scope
from socmed_domain.timezones import require_aware


def access_id(member_id: str) -> UUID:
    """The id of a member's access record (one per member, found without an index)."""
    return uuid5(NAMESPACE_URL, f"socmed:access:{member_id}")


@frozen
class TokenGrant:
    """An API token as the events know it: never its secret."""

    token_id: str
    name: str
    scope: Scope
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at


class SecondFactor:
    """Where a member's TOTP stands."""

    NONE = "none"
    PENDING = "pending"
    CONFIRMED = "confirmed"


class MemberAccess(Aggregate):
    """How one member may sign in: invitation, password, second factor, tokens, lock-out."""

    def __init__(self) -> None:
        self.member_id = ""
        self.invitation_expires: datetime | None = None
        self.has_password = False
        self.second_factor = SecondFactor.NONE
        self.tokens: dict[str, TokenGrant] = {}
        self.failures = 0
        self.locked_until: datetime | None = None
        self.email = ""
        self.sso_links: dict[str, str] = {}  # issuer -> subject
        #: Identities removed (`SsoUnlinked`): never linked to this member again by email.
        self.sso_unlinked: set[tuple[str, str]] = set()

    # ------------------------------------------------------------------ events

    class Opened(AuditedEvent, Aggregate.Created):
        """The member's access record, opened with its first event (an invitation)."""

        member_id: str

        def apply(self, access: MemberAccess) -> None:
            access.member_id = self.member_id

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.AccessOpened", {"member": self.member_id})

    class InvitationIssued(AuditedEvent):
        member_id: str
        expires_at: datetime

        def apply(self, access: MemberAccess) -> None:
            access.invitation_expires = self.expires_at

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.InvitationIssued", {"member": self.member_id,
                                               "expires": self.expires_at.isoformat()})

    class AccountSetUp(AuditedEvent):
        """A password set with a one-time set-up code (first set-up or a reset)."""

        member_id: str

        def apply(self, access: MemberAccess) -> None:
            access.has_password = True
            access.invitation_expires = None
            access.failures = 0
            access.locked_until = None

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.AccountSetUp", {"member": self.member_id})

    class PasswordChanged(AuditedEvent):
        member_id: str

        def apply(self, access: MemberAccess) -> None:
            access.has_password = True

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PasswordChanged", {"member": self.member_id})

    class SecondFactorEnrolled(AuditedEvent):
        member_id: str

        def apply(self, access: MemberAccess) -> None:
            access.second_factor = SecondFactor.PENDING

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SecondFactorEnrolled", {"member": self.member_id})

    class SecondFactorConfirmed(AuditedEvent):
        member_id: str

        def apply(self, access: MemberAccess) -> None:
            access.second_factor = SecondFactor.CONFIRMED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SecondFactorConfirmed", {"member": self.member_id})

    class SecondFactorReset(AuditedEvent):
        member_id: str
        reason: str

        def apply(self, access: MemberAccess) -> None:
            access.second_factor = SecondFactor.NONE

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SecondFactorReset", {"member": self.member_id})

    class TokenCreated(AuditedEvent):
        token_id: str
        name: str
        scope: Scope
        expires_at: datetime

        def apply(self, access: MemberAccess) -> None:
            access.tokens[self.token_id] = TokenGrant(self.token_id, self.name, self.scope,
                                                      self.timestamp, self.expires_at)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.TokenCreated", {"token": self.token_id, "name": self.name,
                                           "scope": self.scope.value,
                                           "expires": self.expires_at.isoformat()})

    class TokenRevoked(AuditedEvent):
        token_id: str
        reason: str

        def apply(self, access: MemberAccess) -> None:
            grant = access.tokens[self.token_id]
            access.tokens[self.token_id] = evolve(grant, revoked_at=self.timestamp)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.TokenRevoked", {"token": self.token_id})

    class SignedIn(AuditedEvent):
        """A session opened: `session` is the public prefix recorded as its events' `via`."""

        session: str
        method: str  # "password" or "sso"
        second_factor: bool

        def apply(self, access: MemberAccess) -> None:
            access.failures = 0

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SignedIn", {"session": self.session, "method": self.method,
                                       "second_factor": "yes" if self.second_factor else "no"})

    class SignInFailed(AuditedEvent):
        """A wrong password or second factor for this member (`failures` in a row)."""

        reason: str  # "password" or "second_factor"
        failures: int

        def apply(self, access: MemberAccess) -> None:
            access.failures = self.failures

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SignInFailed", {"reason": self.reason, "failures": self.failures})

    class LockedOut(AuditedEvent):
        until: datetime
        failures: int

        def apply(self, access: MemberAccess) -> None:
            access.locked_until = self.until
            access.failures = 0

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.LockedOut", {"until": self.until.isoformat(),
                                        "failures": self.failures})

    class Unlocked(AuditedEvent):
        member_id: str
        reason: str

        def apply(self, access: MemberAccess) -> None:
            access.locked_until = None
            access.failures = 0

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Unlocked", {"member": self.member_id})

    class EmailRecorded(AuditedEvent):
        """The member's work email, which single sign-on may match a verified email to."""

        email: str

        def apply(self, access: MemberAccess) -> None:
            access.email = self.email

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.EmailRecorded", {"email": self.email})

    class SsoLinked(AuditedEvent):
        """A single sign-on identity (issuer, subject) linked to the member."""

        issuer: str
        subject: str

        def apply(self, access: MemberAccess) -> None:
            access.sso_links[self.issuer] = self.subject
            getattr(access, "sso_unlinked", set()).discard((self.issuer, self.subject))

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SsoLinked", {"issuer": self.issuer, "subject": self.subject})

    class SsoUnlinked(AuditedEvent):
        """A single sign-on identity removed from the member: it signs them in no more."""

        issuer: str
        subject: str
        reason: str

        def apply(self, access: MemberAccess) -> None:
            access.sso_links.pop(self.issuer, None)
            if not hasattr(access, "sso_unlinked"):  # an aggregate from an older snapshot
                access.sso_unlinked = set()
            access.sso_unlinked.add((self.issuer, self.subject))

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.SsoUnlinked", {"issuer": self.issuer, "subject": self.subject})

    # ---------------------------------------------------------------- commands

    @classmethod
    def open(cls, member_id: str, actor: Actor, at: datetime) -> MemberAccess:
        return cls._create(cls.Opened, id=access_id(member_id), timestamp=require_aware(at),
                           actor=actor, member_id=member_id)

    def invite(self, actor: Actor, expires_at: datetime, at: datetime) -> None:
        self.trigger_event(self.InvitationIssued, timestamp=at, actor=actor,
                           member_id=self.member_id, expires_at=expires_at)

    def set_up(self, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.AccountSetUp, timestamp=at, actor=actor,
                           member_id=self.member_id)

    def change_password(self, actor: Actor, at: datetime) -> None:
        self.trigger_event(self.PasswordChanged, timestamp=at, actor=actor,
                           member_id=self.member_id)

    def enrol_second_factor(self, actor: Actor, at: datetime) -> None:
        if self.second_factor == SecondFactor.CONFIRMED:
            raise InvalidStateError("error.totp_already_confirmed", member=self.member_id)
        self.trigger_event(self.SecondFactorEnrolled, timestamp=at, actor=actor,
                           member_id=self.member_id)

    def confirm_second_factor(self, actor: Actor, at: datetime) -> None:
        if self.second_factor != SecondFactor.PENDING:
            raise InvalidStateError("error.totp_not_pending", member=self.member_id)
        self.trigger_event(self.SecondFactorConfirmed, timestamp=at, actor=actor,
                           member_id=self.member_id)

    def reset_second_factor(self, actor: Actor, reason: str, at: datetime) -> None:
        if self.second_factor == SecondFactor.NONE:
            raise InvalidStateError("error.totp_none", member=self.member_id)
        self.trigger_event(self.SecondFactorReset, timestamp=at, actor=actor,
                           member_id=self.member_id, reason=reason)

    def create_token(self, actor: Actor, token_id: str, name: str, scope: Scope,
                     expires_at: datetime, at: datetime) -> None:
        self.trigger_event(self.TokenCreated, timestamp=at, actor=actor, token_id=token_id,
                           name=name, scope=scope, expires_at=expires_at)

    def revoke_token(self, actor: Actor, token_id: str, reason: str, at: datetime) -> None:
        grant = self.tokens.get(token_id)
        if grant is None:
            raise NotFoundError(kind="token", ref=token_id, listing="token list")
        if grant.revoked_at is not None:
            raise InvalidStateError("error.token_revoked_already", ref=token_id)
        self.trigger_event(self.TokenRevoked, timestamp=at, actor=actor, token_id=token_id,
                           reason=reason)

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def signed_in(self, actor: Actor, session: str, method: str, second_factor: bool,
                  at: datetime) -> None:
        self.trigger_event(self.SignedIn, timestamp=at, actor=actor, session=session,
                           method=method, second_factor=second_factor)

    def fail_sign_in(self, actor: Actor, reason: str, threshold: int, lockout: timedelta,
                     at: datetime) -> bool:
        """Record a failed sign-in; lock the member out at `threshold` failures in a row.
        True when this failure locked the member out."""
        failures = self.failures + 1
        self.trigger_event(self.SignInFailed, timestamp=at, actor=actor, reason=reason,
                           failures=failures)
        if failures < threshold:
            return False
        self.trigger_event(self.LockedOut, timestamp=at, actor=actor, until=at + lockout,
                           failures=failures)
        return True

    def unlock(self, actor: Actor, reason: str, at: datetime) -> None:
        if self.locked_until is None or not self.locked(at):
            raise InvalidStateError("error.not_locked", member=self.member_id)
        self.trigger_event(self.Unlocked, timestamp=at, actor=actor, member_id=self.member_id,
                           reason=reason)

    def record_email(self, actor: Actor, email: str, at: datetime) -> None:
        if email == self.email:
            return
        self.trigger_event(self.EmailRecorded, timestamp=at, actor=actor, email=email)

    def unlink_sso(self, actor: Actor, issuer: str, reason: str, at: datetime) -> None:
        subject = self.sso_links.get(issuer)
        if subject is None:
            raise InvalidStateError("error.sso_not_linked", member=self.member_id,
                                    issuer=issuer,
                                    linked=", ".join(sorted(self.sso_links)) or "-")
        self.trigger_event(self.SsoUnlinked, timestamp=at, actor=actor, issuer=issuer,
                           subject=subject, reason=reason)

    def link_sso(self, actor: Actor, issuer: str, subject: str, at: datetime) -> None:
        self.trigger_event(self.SsoLinked, timestamp=at, actor=actor, issuer=issuer,
                           subject=subject)
