"""The ports identity needs from the outside: where credentials live, how passwords are
hashed, how a TOTP code is checked, where randomness comes from.

Credentials are never event payloads: the events say *that* a password was set or a token
created (audited, sealed in the chain), the `CredentialStore` holds *what* (hashes, the TOTP
secret, sessions), in tables beside the events, so a secret can be replaced or destroyed
without editing the log. The adapters are in `socmed_adapters.identity` (SQLAlchemy tables,
argon2id through argon2-cffi, pyotp, the `secrets` module).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from attrs import frozen

from socmed_domain.identity.principal import Scope


@frozen
class SessionRecord:
    """A signed-in session as stored: never the session token itself, only its hash (the
    key the store finds it by)."""

    session_id: str  # public, random; its first 8 characters are the principal's `via`
    member_id: str
    via: str
    second_factor: bool
    created_at: datetime
    expires_at: datetime
    last_seen: datetime


@frozen
class TokenRecord:
    """An API token as stored for authenticating requests (its secret only as a hash)."""

    token_id: str
    member_id: str
    scope: Scope
    expires_at: datetime
    revoked: bool = False


@frozen
class TotpRecord:
    secret: str
    confirmed: bool
    #: The last TOTP time step accepted (a code is accepted once: no replay).
    last_step: int = -1


class CredentialStore(Protocol):
    """Password hashes, set-up code hashes, TOTP secrets, token hashes and sessions, by
    member; outside the event payloads (see the module's docstring)."""

    def set_setup_code(self, member_id: str, code_hash: str, expires_at: datetime) -> None: ...

    def setup_code(self, member_id: str) -> tuple[str, datetime] | None: ...

    def clear_setup_code(self, member_id: str) -> None: ...

    def set_password(self, member_id: str, password_hash: str) -> None: ...

    def password_hash(self, member_id: str) -> str | None: ...

    def members_with_password(self) -> frozenset[str]: ...

    def set_totp(self, member_id: str, secret: str, confirmed: bool) -> None: ...

    def totp(self, member_id: str) -> TotpRecord | None: ...

    def clear_totp(self, member_id: str) -> None: ...

    def claim_totp_step(self, member_id: str, step: int) -> bool:
        """Record `step` as used; False when it (or a later one) was used already."""
        ...

    def add_token(self, record: TokenRecord, secret_hash: str) -> None: ...

    def token(self, secret_hash: str) -> TokenRecord | None: ...

    def token_by_id(self, token_id: str) -> TokenRecord | None: ...

    def revoke_token(self, token_id: str) -> None: ...

    def add_session(self, record: SessionRecord, token_hash: str) -> None: ...

    def session(self, token_hash: str) -> SessionRecord | None: ...

    def touch_session(self, token_hash: str, at: datetime) -> None: ...

    def end_session(self, token_hash: str) -> None: ...

    def end_sessions_of(self, member_id: str) -> int: ...


class PasswordHasher(Protocol):
    """A slow, salted password hash (argon2id in production)."""

    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class TotpVerifier(Protocol):
    """RFC 6238 time-based one-time passwords."""

    def new_secret(self) -> str: ...

    def provisioning_uri(self, secret: str, account: str, issuer: str) -> str: ...

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None:
        """The time step `code` is valid for at `at` (allowing one step of clock drift
        either side), or None."""
        ...


class SecretSource(Protocol):
    """Randomness for secrets (the `secrets` module in production)."""

    def token_urlsafe(self, nbytes: int) -> str: ...

    def token_hex(self, nbytes: int) -> str: ...

    def choice(self, alphabet: str) -> str: ...
