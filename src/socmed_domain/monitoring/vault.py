"""The personal-data vault port: audience members' names, handles and words never reach an
event in plaintext (UU PDP, Law 27/2022; DESIGN.md 'Events').

Each data subject (an audience member on one platform) has a key of their own. Events carry
`SealedText`, the text encrypted under that key, named by an opaque key id that reveals
nothing about the person. Erasing a subject destroys their key (crypto-shredding): every
sealed value of theirs, in every stored event and read model, becomes unreadable at once,
while the events themselves stay immutable and the audit chain stays intact.

The domain only defines the port; the adapter (socmed_adapters.monitoring.vault) holds the
keys and does the cryptography.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Protocol

from attrs import frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform, platform_named

#: How a read model or report shows a value whose key was destroyed.
ERASED = "[erased]"


@frozen
class SealedText:
    """Ciphertext of one personal value, under the key `key_id` of one data subject."""

    key_id: str
    ciphertext: str


class PersonalDataVault(Protocol):
    """Keys per data subject; sealing, opening and destroying them."""

    def seal(self, subject_id: str, plaintext: str) -> SealedText:
        """Encrypt `plaintext` under the subject's key (created on first use)."""
        ...

    def seal_all(self, subject_id: str, *plaintexts: str) -> tuple[SealedText, ...]:
        """`seal` of each value, under the subject's one key (an inbound message's handle,
        name and text are sealed together)."""
        ...

    def open(self, sealed: SealedText) -> str | None:
        """The plaintext, or None when the subject's key has been destroyed."""
        ...

    def key_for(self, subject_id: str) -> str | None:
        """The subject's key id, or None when the vault holds no key for them."""
        ...

    def erase(self, subject_id: str) -> str | None:
        """Destroy the subject's key for good; returns its id (None: there was none)."""
        ...

    def prefetch(self, subject_ids: Iterable[str]) -> None:
        """Load the keys of these subjects in one go (bulk ingestion); only an optimisation,
        `seal` finds keys by itself."""
        ...

    def flush(self) -> None:
        """Make keys created by `seal` durable. Called before the events that carry their
        sealed values are saved, so no stored event ever names a key that was lost."""
        ...

    def discard_flushed(self) -> None:
        """Destroy the keys the last `flush` stored, because saving the events that name
        them failed: a command that fails leaves no key of a subject it never recorded."""
        ...


@lru_cache(maxsize=16_384)
def subject_id(platform: Platform, handle: str) -> str:
    """'PLATFORM:HANDLE' in one canonical form: lower case, without the leading '@'. Cached:
    an import asks for each message's subject four times, and an author writes many."""
    cleaned = handle.strip().lstrip("@").strip().lower()
    if not cleaned:
        raise InvalidInputError("error.empty", field="author handle")
    return f"{platform.value}:{cleaned}"


def parse_subject(text: str) -> str:
    """A subject typed by a person ('instagram:@Budi_99', 'twitter:budi') made canonical."""
    name, sep, handle = text.partition(":")
    if not sep:
        raise InvalidInputError("error.subject_format", value=text)
    return subject_id(platform_named(name), handle)


def reveal(vault: PersonalDataVault, sealed: SealedText | None) -> str:
    """The plaintext for display, or ERASED once the subject's key is gone."""
    if sealed is None:
        return ""
    opened = vault.open(sealed)
    return ERASED if opened is None else opened
