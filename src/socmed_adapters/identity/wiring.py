"""Identity's parts, built once by bootstrap() and passed to the application's constructor."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from attrs import frozen

from socmed_adapters.storage import StorageConfig
from socmed_domain.identity.ports import (
    CredentialStore,
    PasswordHasher,
    SecretSource,
    TotpVerifier,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


@frozen
class IdentityParts:
    credentials: CredentialStore
    hasher: PasswordHasher
    totp: TotpVerifier
    secrets: SecretSource


def identity_parts(config: StorageConfig, *, engine: Callable[[], Engine],
                   create: bool = True) -> IdentityParts:
    """The credential tables beside the events (opened on first use), argon2id, pyotp and
    the operating system's randomness."""
    from socmed_adapters.identity.credentials import credential_store_for
    from socmed_adapters.identity.hashing import Argon2Hasher
    from socmed_adapters.identity.random_secrets import SystemSecrets
    from socmed_adapters.identity.totp import PyOtpVerifier

    return IdentityParts(
        credentials=cast(CredentialStore, credential_store_for(config, engine, create)),
        hasher=Argon2Hasher(), totp=PyOtpVerifier(), secrets=SystemSecrets())
