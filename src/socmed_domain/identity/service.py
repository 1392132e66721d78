"""The identity service (`app.identity`): who acts, proven.

Local accounts (a one-time set-up code from a Marketing Manager, then a password), a second
factor (TOTP), sessions, API tokens, single sign-on matching and the store's access policy.
Every change to a member's credentials is an audited event on the member's `MemberAccess`
(identity.access) without the secret; the secrets, hashed where they can be, are in the
`CredentialStore` port. Entry points (the CLI, the HTTP server) authenticate with
`sign_in` / `session_principal` / `token_principal` / `sign_in_sso` and pass the resulting
`Principal` to the other services; the kernel's `actor_in` applies the policy.

Decisions (docs/decisions.md, "Identity"): sessions last 12 hours at most and end after 2
idle hours; a set-up code is valid for 72 hours; passwords have 12 to 1024 characters; a
token lives 1 hour to 366 days and cannot create tokens; five failed sign-ins in a row lock
a member out for 15 minutes (the policy's defaults), and attempts while locked out are
refused without checking the password or recording more events.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TypeVar

from attrs import evolve, frozen
from eventsourcing.persistence import IntegrityError

from socmed_domain.actor import Actor
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    SecondFactorRequiredError,
)
from socmed_domain.identity.access import (
    MemberAccess,
    SecondFactor,
    TokenGrant,
    access_id,
)
from socmed_domain.identity.policy import AccessPolicy
from socmed_domain.identity.ports import (
    CredentialStore,
    PasswordHasher,
    SecretSource,
    SessionRecord,
    TokenRecord,
    TotpVerifier,
)
from socmed_domain.identity.principal import (
    ActorRef,
    Principal,
    Scope,
    as_principal,
    issuer_host,
)
from socmed_domain.kernel import RECORD_RETRIES, Kernel, StageService, actor_in
from socmed_domain.roles import Action, Role, check_may
from socmed_domain.team import Member
from socmed_domain.transcoding import register_value_type

R = TypeVar("R")

SESSION_LIFETIME = timedelta(hours=12)
SESSION_IDLE = timedelta(hours=2)
#: A session's last use is written at most this often (not on every request).
SESSION_TOUCH = timedelta(minutes=1)
INVITATION_LIFETIME = timedelta(hours=72)
TOKEN_LIFETIME_RANGE = (timedelta(hours=1), timedelta(days=366))
TOKENS_PER_MEMBER = 20
TOKEN_NAME_LIMIT = 80
PASSWORD_LENGTH = (12, 1024)
REASON_LIMIT = 1000
#: Set-up codes: 16 characters of an alphabet without look-alikes (80 bits), in groups of 4.
SETUP_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
SETUP_LENGTH = 16
TOKEN_PREFIX = "socmed_"
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{1,63}$")
#: A valid argon2id hash of nothing anyone knows, verified when the member is unknown so a
#: sign-in takes as long whether the member exists or not.
_DUMMY_PASSWORD = "socmed-no-such-member-dummy"


@frozen
class SetupCode:
    """A one-time set-up code: shown once to the Marketing Manager, stored hashed."""

    member_id: str
    code: str
    expires_at: datetime


@frozen
class SignedIn:
    """An opened session: the token (shown once, stored hashed) and who it proves."""

    session_token: str
    principal: Principal
    expires_at: datetime


@frozen
class IssuedToken:
    """A new API token: its secret is shown once and stored only as a hash."""

    token_id: str
    secret: str
    expires_at: datetime


@frozen
class TokenInfo:
    """An API token as listed: never its secret."""

    token_id: str
    name: str
    scope: Scope
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    state: str  # "active", "expired" or "revoked"


@frozen
class TotpEnrolment:
    """A TOTP secret being enrolled: shown once, confirmed with a code from the app."""

    secret: str
    uri: str


@frozen
class AccessStatus:
    """Where a member's sign-in stands (no secrets)."""

    member_id: str
    has_password: bool
    second_factor: str
    invitation_expires: datetime | None
    locked_until: datetime | None
    active_tokens: int
    email: str
    sso_issuers: tuple[str, ...]


for _value_type in (AccessPolicy, Scope, TokenGrant):
    register_value_type(_value_type)


def digest(secret: str) -> str:
    """How a high-entropy secret (a session or API token, a set-up code) is stored: its
    SHA-256 (these are random, so a fast hash is enough; passwords get argon2id)."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class IdentityService(StageService):
    """Local accounts, second factor, sessions, API tokens, SSO matching, access policy."""

    def __init__(self, kernel: Kernel, *, credentials: CredentialStore | None = None,
                 hasher: PasswordHasher | None = None, totp: TotpVerifier | None = None,
                 secrets: SecretSource | None = None, issuer_name: str = "socmed") -> None:
        super().__init__(kernel)
        self._credentials = credentials
        self._hasher = hasher
        self._totp = totp
        self._secrets = secrets
        self.issuer_name = issuer_name
        self._dummy_hash: str | None = None

    # ------------------------------------------------------------------ ports

    @property
    def credentials(self) -> CredentialStore:
        if self._credentials is None:
            raise InvalidStateError("error.identity_unavailable")
        return self._credentials

    @property
    def hasher(self) -> PasswordHasher:
        if self._hasher is None:
            raise InvalidStateError("error.identity_unavailable")
        return self._hasher

    @property
    def totp(self) -> TotpVerifier:
        if self._totp is None:
            raise InvalidStateError("error.identity_unavailable")
        return self._totp

    @property
    def secrets(self) -> SecretSource:
        if self._secrets is None:
            raise InvalidStateError("error.identity_unavailable")
        return self._secrets

    # ----------------------------------------------------------------- policy

    def policy(self) -> AccessPolicy:
        return self.kernel.team_read().access_policy

    def set_policy(self, actor_id: ActorRef, *, require_authentication: bool | None = None,
                   second_factor_roles: Iterable[Role] | None = None,
                   lockout_threshold: int | None = None, lockout_minutes: int | None = None,
                   reason: str = "") -> AccessPolicy:
        """Change the store's access policy (Marketing Manager; an audited event). Requiring
        authentication is refused while no active Marketing Manager could sign in (a
        password set, or a linked single sign-on identity): the store would lock itself."""
        current = self.policy()
        changes: dict[str, object] = {}
        if require_authentication is not None:
            changes["require_authentication"] = require_authentication
        if second_factor_roles is not None:
            changes["second_factor_roles"] = tuple(second_factor_roles)
        if lockout_threshold is not None:
            changes["lockout_threshold"] = lockout_threshold
        if lockout_minutes is not None:
            changes["lockout_minutes"] = lockout_minutes
        wanted = evolve(current, **changes).checked()  # type: ignore[arg-type]
        check_text(reason, "reason")
        if wanted.require_authentication and not current.require_authentication:
            actor = self.actor(actor_id, action=Action.MANAGE_TEAM)
            check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
            if not self._a_manager_can_sign_in():
                raise InvalidStateError("error.no_manager_can_sign_in")
        self.kernel.team_command(lambda team: team.set_access_policy(
            actor_in(team, actor_id, action=Action.MANAGE_TEAM), wanted, reason, self._now()),
            "policy")
        return wanted

    def _a_manager_can_sign_in(self, without: tuple[str, str] | None = None) -> bool:
        """Whether an active Marketing Manager has a password or a linked single sign-on
        identity (`without` one (member, issuer) link about to be removed)."""
        managers = [m.member_id for m in self.kernel.team_read().members.values()
                    if m.active and m.role is Role.MARKETING_MANAGER]
        if set(managers) & self.credentials.members_with_password():
            return True
        accesses = self._find_many(MemberAccess, [access_id(m) for m in managers])
        return any(set(a.sso_links) - ({without[1]} if without and without[0] == a.member_id
                                       else set())
                   for a in accesses.values())

    # ------------------------------------------------------------ set-up code

    def invite(self, actor_id: ActorRef, member_id: str) -> SetupCode:
        """A one-time set-up code for `member_id` (Marketing Manager), valid for 72 hours:
        shown once, stored hashed. A new invitation replaces the previous code (it is also
        how a forgotten password is reset)."""
        actor = self.actor(actor_id, action=Action.MANAGE_TEAM)
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        self.kernel.team_read().actor(member_id)  # unknown or deactivated: refused
        now = self._now()
        expires = now + INVITATION_LIFETIME
        code = "".join(self.secrets.choice(SETUP_ALPHABET) for _ in range(SETUP_LENGTH))
        self._access_command(member_id, actor, lambda a: a.invite(actor, expires, now))
        self.credentials.set_setup_code(member_id, digest(code), expires)
        shown = "-".join(code[i:i + 4] for i in range(0, SETUP_LENGTH, 4))
        return SetupCode(member_id=member_id, code=shown, expires_at=expires)

    def set_up_account(self, member_id: str, code: str, password: str) -> None:
        """Set the member's password with their one-time set-up code (the code is then
        spent; any open session of the member ends)."""
        member = self._active_member(member_id, "error.bad_setup_code")
        stored = self.credentials.setup_code(member_id)
        now = self._now()
        given = digest(normalise_code(code))
        if stored is None or now >= stored[1] or not hmac.compare_digest(given, stored[0]):
            raise NotAuthenticatedError("error.bad_setup_code")
        check_password(password, member_id)
        hashed = self.hasher.hash(password)
        actor = auth_actor(member, "setup-code")
        self._retrying(lambda: self._access(member_id),
                       lambda a: a.set_up(actor, now), "access", member_id)
        self.credentials.set_password(member_id, hashed)
        self.credentials.clear_setup_code(member_id)
        self.credentials.end_sessions_of(member_id)
        self.kernel.access_changed()  # after the sessions ended, not only at the event

    def change_password(self, actor_id: ActorRef, current: str, new: str) -> None:
        """The member changes their own password (knowing the current one); every open
        session of the member ends, so they sign in again."""
        actor = self.actor(actor_id)
        member_id = actor.member_id
        stored = self.credentials.password_hash(member_id)
        if stored is None:
            raise InvalidStateError("error.no_password", member=member_id)
        if not self.hasher.verify(stored, current):
            self._record_failure(member_id, actor, "password")
            raise NotAuthenticatedError()
        check_password(new, member_id)
        hashed = self.hasher.hash(new)
        now = self._now()
        self._retrying(lambda: self._access(member_id),
                       lambda a: a.change_password(actor, now), "access", member_id)
        self.credentials.set_password(member_id, hashed)
        self.credentials.end_sessions_of(member_id)
        self.kernel.access_changed()  # after the sessions ended, not only at the event

    # --------------------------------------------------------------- sign-in

    def sign_in(self, member_id: str, password: str, otp: str | None = None) -> SignedIn:
        """Open a session with the member's password and, when they enrolled one, their TOTP
        code. A wrong password or code is recorded (`SignInFailed`); the policy's threshold
        of failures in a row locks the member out (`LockedOut`) for its minutes."""
        now = self._now()
        member = self.kernel.team_read().members.get(member_id)
        stored = self.credentials.password_hash(member_id) if member else None
        if member is None or not member.active or stored is None:
            self.hasher.verify(self._dummy(), password)  # the same time as a real check
            raise NotAuthenticatedError()
        access = self._access(member_id)
        if access.locked(now):
            raise NotAuthenticatedError("error.locked_out", member=member_id,
                                        until=when(access.locked_until))
        actor = auth_actor(member, "password")
        if not self.hasher.verify(stored, password):
            self._record_failure(member_id, actor, "password")
            raise NotAuthenticatedError()
        second_factor = False
        totp = self.credentials.totp(member_id)
        if totp is not None and totp.confirmed:
            if not otp:
                raise SecondFactorRequiredError()
            step = self.totp.matching_step(totp.secret, otp.strip(), now)
            if step is None or not self.credentials.claim_totp_step(member_id, step):
                self._record_failure(member_id, actor, "second_factor")
                raise NotAuthenticatedError("error.bad_second_factor")
            second_factor = True
        if self.hasher.needs_rehash(stored):
            self.credentials.set_password(member_id, self.hasher.hash(password))
        return self._open_session(member, "password", None, second_factor)

    def sign_in_sso(self, issuer: str, subject: str, email: str | None,
                    email_verified: bool, second_factor: bool = False) -> SignedIn:
        """Open a session for the member an OpenID Connect provider vouched for: the member
        whose linked identity is (issuer, subject), else the one member whose recorded email
        is the provider's verified email (linked then, `SsoLinked`). `second_factor` is the
        provider's word that the user proved one (its `amr` claim), for the policy."""
        if not issuer or not subject:
            raise NotAuthenticatedError("error.sso_no_member")
        members = {m.member_id: m for m in self.kernel.team_read().members.values()
                   if m.active}
        accesses = self._find_many(MemberAccess, [access_id(m) for m in members])
        linked = [a for a in accesses.values() if a.sso_links.get(issuer) == subject]
        link = False
        if not linked and email and email_verified:
            wanted = email.strip().lower()
            linked = [a for a in accesses.values() if a.email and a.email == wanted
                      and issuer not in a.sso_links
                      and (issuer, subject) not in getattr(a, "sso_unlinked", ())]
            link = True
        if len(linked) != 1:
            raise NotAuthenticatedError("error.sso_no_member")
        member = members[linked[0].member_id]
        now = self._now()
        if linked[0].locked(now):
            raise NotAuthenticatedError("error.locked_out", member=member.member_id,
                                        until=when(linked[0].locked_until))
        if link:
            actor = auth_actor(member, "sso")
            self._retrying(lambda: self._access(member.member_id),
                           lambda a: a.link_sso(actor, issuer, subject, now), "access",
                           member.member_id)
        return self._open_session(member, "sso", issuer, second_factor)

    def _open_session(self, member: Member, method: str, issuer: str | None,
                      second_factor: bool) -> SignedIn:
        now = self._now()
        token = self.secrets.token_urlsafe(32)
        session_id = self.secrets.token_hex(8)
        via = f"sso:{issuer_host(issuer)}" if issuer else f"session:{session_id[:8]}"
        actor = auth_actor(member, method)
        self._retrying(lambda: self._access(member.member_id, actor),
                       lambda a: a.signed_in(actor, session_id[:8], method, second_factor,
                                             now), "access", member.member_id)
        expires = now + SESSION_LIFETIME
        self.credentials.add_session(SessionRecord(
            session_id=session_id, member_id=member.member_id, via=via,
            second_factor=second_factor, created_at=now, expires_at=expires, last_seen=now),
            digest(token))
        principal = Principal(member.member_id, via, Scope.COMMANDS, second_factor)
        return SignedIn(session_token=token, principal=principal, expires_at=expires)

    def session_principal(self, session_token: str) -> Principal:
        """Who a session token proves, now: refused for an unknown, expired, idle,
        signed-out session, or a member deactivated since (the session then ends)."""
        key = digest(session_token)
        record = self.credentials.session(key)
        now = self._now()
        if record is None:
            raise NotAuthenticatedError("error.session_invalid")
        if now >= record.expires_at or now >= record.last_seen + SESSION_IDLE:
            self.credentials.end_session(key)
            raise NotAuthenticatedError("error.session_invalid")
        member = self.kernel.team_read().members.get(record.member_id)
        if member is None or not member.active:
            self.credentials.end_session(key)
            raise NotAuthenticatedError("error.session_invalid")
        if now - record.last_seen >= SESSION_TOUCH:
            self.credentials.touch_session(key, now)
        return Principal(record.member_id, record.via, Scope.COMMANDS, record.second_factor)

    def sign_out(self, session_token: str) -> None:
        self.credentials.end_session(digest(session_token))
        self.kernel.access_changed()

    # ------------------------------------------------------------ second factor

    def enrol_totp(self, actor_id: ActorRef) -> TotpEnrolment:
        """Start enrolling a TOTP app for the acting member (the secret is shown once);
        `confirm_totp` with a code from the app completes it. A confirmed second factor is
        replaced only after a Marketing Manager resets it."""
        actor = self.actor(actor_id)
        self._check_not_token(actor_id)
        secret = self.totp.new_secret()
        now = self._now()
        self._access_command(actor.member_id, actor,
                             lambda a: a.enrol_second_factor(actor, now))
        self.credentials.set_totp(actor.member_id, secret, confirmed=False)
        uri = self.totp.provisioning_uri(secret, actor.member_id, self.issuer_name)
        return TotpEnrolment(secret=secret, uri=uri)

    def confirm_totp(self, actor_id: ActorRef, code: str) -> None:
        actor = self.actor(actor_id)
        record = self.credentials.totp(actor.member_id)
        if record is None or record.confirmed:
            raise InvalidStateError("error.totp_not_pending", member=actor.member_id)
        now = self._now()
        step = self.totp.matching_step(record.secret, code.strip(), now)
        if step is None:
            raise InvalidInputError("error.bad_totp_code")
        self._retrying(lambda: self._access(actor.member_id),
                       lambda a: a.confirm_second_factor(actor, now), "access",
                       actor.member_id)
        self.credentials.set_totp(actor.member_id, record.secret, confirmed=True)
        self.credentials.claim_totp_step(actor.member_id, step)

    def reset_totp(self, actor_id: ActorRef, member_id: str, reason: str) -> None:
        """Remove a member's second factor (Marketing Manager; a lost phone): the member's
        sessions end and they enrol again."""
        actor = self.actor(actor_id, action=Action.MANAGE_TEAM)
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        reason = check_text(reason, "reason", required=True)
        now = self._now()
        self._retrying(lambda: self._access(member_id),
                       lambda a: a.reset_second_factor(actor, reason, now), "access",
                       member_id)
        self.credentials.clear_totp(member_id)
        self.credentials.end_sessions_of(member_id)
        self.kernel.access_changed()  # after the sessions ended, not only at the event

    def unlock(self, actor_id: ActorRef, member_id: str, reason: str) -> None:
        """End a member's lock-out before its time (Marketing Manager)."""
        actor = self.actor(actor_id, action=Action.MANAGE_TEAM)
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        reason = check_text(reason, "reason", required=True)
        now = self._now()
        self._retrying(lambda: self._access(member_id),
                       lambda a: a.unlock(actor, reason, now), "access", member_id)

    def unlink_sso(self, actor_id: ActorRef, member_id: str, issuer: str,
                   reason: str) -> None:
        """Remove a member's single sign-on identity at `issuer` (the member, or a Marketing
        Manager; audited, `SsoUnlinked`). That identity no longer signs the member in, and is
        not linked to them again by their email; sessions it opened end. Refused when the
        store requires sign-in and no Marketing Manager could sign in without it."""
        actor = self.actor(actor_id, action=Action.MANAGE_TEAM
                           if member_id != as_principal(actor_id).member_id else None)
        if member_id != actor.member_id:
            check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        reason = check_text(reason, "reason", required=True)
        self.kernel.team_read().member(member_id)
        now = self._now()

        def unlink(access: MemberAccess) -> None:
            access.unlink_sso(actor, issuer, reason, now)
            if self.policy().require_authentication and not self._a_manager_can_sign_in(
                    without=(member_id, issuer)):
                raise InvalidStateError("error.no_manager_can_sign_in")

        self._retrying(lambda: self._access(member_id), unlink, "access", member_id)
        self.credentials.end_sessions_of(member_id)

    # ------------------------------------------------------------------ tokens

    def create_token(self, actor_id: ActorRef, name: str, scope: Scope,
                     expires_in: timedelta) -> IssuedToken:
        """An API token for the acting member: read-only or the member's commands, expiring,
        its secret shown once and stored only as a hash. A token cannot create tokens."""
        actor = self.actor(actor_id)
        self._check_not_token(actor_id)
        name = check_text(name, "name", required=True, limit=TOKEN_NAME_LIMIT)
        low, high = TOKEN_LIFETIME_RANGE
        if not low <= expires_in <= high:
            raise InvalidInputError("error.token_lifetime", low=low, high=high)
        now = self._now()
        token_id = self.secrets.token_hex(6)
        secret = f"{TOKEN_PREFIX}{token_id}_{self.secrets.token_urlsafe(32)}"
        expires = now + expires_in

        def create(access: MemberAccess) -> None:
            live = [g for g in access.tokens.values() if g.live(now)]
            if len(live) >= TOKENS_PER_MEMBER:
                raise InvalidStateError("error.too_many_tokens", limit=TOKENS_PER_MEMBER)
            access.create_token(actor, token_id, name, scope, expires, now)

        self._access_command(actor.member_id, actor, create)
        self.credentials.add_token(TokenRecord(token_id, actor.member_id, scope, expires),
                                   digest(secret))
        return IssuedToken(token_id=token_id, secret=secret, expires_at=expires)

    def list_tokens(self, actor_id: ActorRef) -> tuple[TokenInfo, ...]:
        """The acting member's tokens, newest first (never their secrets)."""
        actor = self.actor(actor_id, reading=True)
        access = self._find(MemberAccess, access_id(actor.member_id))
        if access is None:
            return ()
        now = self._now()
        return tuple(token_info(g, now) for g in sorted(
            access.tokens.values(), key=lambda g: g.created_at, reverse=True))

    def revoke_token(self, actor_id: ActorRef, token_id: str, reason: str = "") -> None:
        """Revoke a token at once (its owner, or a Marketing Manager)."""
        actor = self.actor(actor_id)
        reason = check_text(reason, "reason")
        record = self.credentials.token_by_id(token_id)
        if record is None:
            raise NotFoundError(kind="token", ref=token_id, listing="token list")
        if record.member_id != actor.member_id:
            check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        now = self._now()
        self._retrying(lambda: self._access(record.member_id),
                       lambda a: a.revoke_token(actor, token_id, reason, now), "access",
                       token_id)
        self.credentials.revoke_token(token_id)
        self.kernel.access_changed()

    def renew_token(self, actor_id: ActorRef, name: str, scope: Scope,
                    expires_in: timedelta) -> IssuedToken:
        """Rotate the acting member's token named `name` (e.g. the calendar feed's secret
        URL): every active token of that name is revoked, then a new one is issued. Each
        step is recorded (the secret never is); a refusal of the new token leaves the old
        ones revoked, which is the safe side for a secret being replaced."""
        for info in self.list_tokens(actor_id):
            if info.name == name and info.state == "active":
                self.revoke_token(actor_id, info.token_id, "renewed")
        return self.create_token(actor_id, name, scope, expires_in)

    def token_principal(self, secret: str) -> Principal:
        """Who an API token proves, now: refused when unknown, revoked, expired, or its
        member deactivated. The token's scope goes with it; via is ``token:<token id>``."""
        record = self.credentials.token(digest(secret.strip()))
        now = self._now()
        if record is None or record.revoked or now >= record.expires_at:
            raise NotAuthenticatedError("error.token_invalid")
        member = self.kernel.team_read().members.get(record.member_id)
        if member is None or not member.active:
            raise NotAuthenticatedError("error.token_invalid")
        return Principal(record.member_id, f"token:{record.token_id}", record.scope)

    def step_up(self, principal: Principal, code: str) -> Principal:
        """The same principal with a second factor, for this one request: `code` is the
        member's current TOTP code (sent by an API client with the request, header
        `X-Socmed-TOTP`). A code is accepted once, so each stepped-up request needs a fresh
        one; a wrong code is recorded like a failed sign-in and counts towards lock-out.
        A read-only token stays read-only."""
        member = self.kernel.team_read().members.get(principal.member_id)
        if member is None or not member.active:
            raise NotAuthenticatedError("error.token_invalid")
        record = self.credentials.totp(principal.member_id)
        if record is None or not record.confirmed:
            raise PermissionDeniedError("error.step_up_not_enrolled",
                                        member=principal.member_id)
        now = self._now()
        access = self._access(principal.member_id)
        if access.locked(now):
            raise NotAuthenticatedError("error.locked_out", member=principal.member_id,
                                        until=when(access.locked_until))
        step = self.totp.matching_step(record.secret, code.strip(), now)
        if step is None or not self.credentials.claim_totp_step(principal.member_id, step):
            actor = auth_actor(member, "step-up")
            self._record_failure(principal.member_id, actor, "second_factor")
            raise PermissionDeniedError("error.step_up_failed", member=principal.member_id)
        return evolve(principal, second_factor=True)

    # ------------------------------------------------------------- other facts

    def record_email(self, actor_id: ActorRef, member_id: str, email: str) -> None:
        """Record a member's work email (the member, or a Marketing Manager), which single
        sign-on matches a provider's verified email against."""
        actor = self.actor(actor_id)
        if member_id != actor.member_id:
            check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        self.kernel.team_read().actor(member_id)
        email = email.strip().lower()
        if not EMAIL_RE.fullmatch(email):
            raise InvalidInputError("error.bad_email", value=email)
        others = self._find_many(MemberAccess, [
            access_id(m) for m in self.kernel.team_read().members if m != member_id])
        if any(a.email == email for a in others.values()):
            raise InvalidInputError("error.email_taken", value=email)
        now = self._now()
        self._access_command(member_id, actor, lambda a: a.record_email(actor, email, now))

    def access_status(self, actor_id: ActorRef, member_id: str | None = None) -> AccessStatus:
        """Where a member's sign-in stands (the member themself, or a Marketing Manager)."""
        actor = self.actor(actor_id, reading=True)
        member_id = member_id or actor.member_id
        if member_id != actor.member_id:
            check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        self.kernel.team_read().member(member_id)
        access = self._find(MemberAccess, access_id(member_id))
        now = self._now()
        if access is None:
            return AccessStatus(member_id, False, SecondFactor.NONE, None, None, 0, "", ())
        expires = access.invitation_expires
        return AccessStatus(
            member_id=member_id, has_password=access.has_password,
            second_factor=access.second_factor,
            invitation_expires=expires if expires is not None and now < expires else None,
            locked_until=access.locked_until if access.locked(now) else None,
            active_tokens=sum(1 for g in access.tokens.values() if g.live(now)),
            email=access.email, sso_issuers=tuple(sorted(access.sso_links)))

    # ----------------------------------------------------------------- helpers

    def _active_member(self, member_id: str, code: str) -> Member:
        member = self.kernel.team_read().members.get(member_id)
        if member is None or not member.active:
            raise NotAuthenticatedError(code)
        return member

    def _access(self, member_id: str, opener: Actor | None = None) -> MemberAccess:
        access = self._find(MemberAccess, access_id(member_id))
        if access is None:
            if opener is None:
                raise NotFoundError(kind="account", ref=member_id, listing="team list")
            return MemberAccess.open(member_id, opener, self._now())
        return access

    def _access_command(self, member_id: str, actor: Actor,
                        decide: Callable[[MemberAccess], R]) -> R:
        """Decide on the member's access record (opened by `actor` when it has none yet)."""
        return self._retrying(lambda: self._access(member_id, actor), decide, "access",
                              member_id)

    def _record_failure(self, member_id: str, actor: Actor, reason: str) -> None:
        """Record a failed attempt. Attempts race (a script guessing in parallel), and each
        must count, so a lost race is retried up to RECORD_RETRIES times; an attempt that
        finds the member locked out meanwhile records nothing more."""
        policy = self.policy()
        now = self._now()
        for _ in range(RECORD_RETRIES):
            access = self._access(member_id, actor)
            if access.locked(now):
                return
            access.fail_sign_in(actor, reason, policy.lockout_threshold,
                                timedelta(minutes=policy.lockout_minutes), now)
            try:
                self.save(access)
            except IntegrityError:
                continue
            return
        raise ConflictError(kind="access", ref=member_id)

    def _check_not_token(self, actor_id: ActorRef) -> None:
        principal = as_principal(actor_id)
        if principal.via_kind == "token":
            raise PermissionDeniedError("error.token_may_not", actor=principal.member_id)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self.hasher.hash(_DUMMY_PASSWORD)
        return self._dummy_hash


def auth_actor(member: Member, method: str) -> Actor:
    """The actor of an event recorded while the member was being authenticated."""
    return evolve(member.as_actor(), via=f"auth:{method}")


def token_info(grant: TokenGrant, now: datetime) -> TokenInfo:
    state = ("revoked" if grant.revoked_at is not None
             else "expired" if now >= grant.expires_at else "active")
    return TokenInfo(grant.token_id, grant.name, grant.scope, grant.created_at,
                     grant.expires_at, grant.revoked_at, state)


def when(at: datetime | None) -> str:
    return at.isoformat(timespec="minutes") if at is not None else ""


def normalise_code(code: str) -> str:
    """A set-up code as typed: any case, spaces and dashes ignored."""
    return re.sub(r"[\s-]", "", code).upper()


def check_password(password: str, member_id: str) -> None:
    low, high = PASSWORD_LENGTH
    if not low <= len(password) <= high:
        raise InvalidInputError("error.password_length", low=low, high=high)
    if password.strip().lower() == member_id.lower() or not password.strip():
        raise InvalidInputError("error.password_weak")


def check_text(text: str, field: str, *, required: bool = False,
               limit: int = REASON_LIMIT) -> str:
    text = text.strip()
    if required and not text:
        raise InvalidInputError("error.empty", field=field)
    if len(text) > limit:
        raise InvalidInputError("error.too_long", field=field, length=len(text), limit=limit)
    return text
