"""Randomness for secrets from the operating system (`secrets`), the `SecretSource` port."""

from __future__ import annotations

import secrets


class SystemSecrets:
    def token_urlsafe(self, nbytes: int) -> str:
        return secrets.token_urlsafe(nbytes)

    def token_hex(self, nbytes: int) -> str:
        return secrets.token_hex(nbytes)

    def choice(self, alphabet: str) -> str:
        return secrets.choice(alphabet)
