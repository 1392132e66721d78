"""The port through which a revision's media are read from their bytes when it is saved.

The domain never touches a file or a URL: an adapter (socmed_adapters.media) fetches or
copies the bytes, stores them content-addressed and says what they are (`MediaProbe`). The
application asks it for every media item not yet read, so the revision that is hashed and
approved names the exact bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from attrs import evolve

from socmed_domain.production.revision import Draft, MediaRef


class MediaReader(Protocol):
    def read(self, media: MediaRef) -> MediaRef:
        """The same reference with its `probe` (and the sniffed `kind`); raises
        InvalidInputError when the bytes cannot be had or are not an image or a video."""
        ...


@runtime_checkable
class MediaStore(Protocol):
    """A reader that also keeps bytes a member uploads (the API's POST /media): no URL is
    fetched on a client's behalf, the client sends the bytes."""

    def store(self, chunks: Iterable[bytes]) -> MediaRef:
        """The stored bytes as a reference a draft can name (`sha256:<hex>`), with its
        probe; raises InvalidInputError when they are not an image or a video or too large."""
        ...

    def thumbnail(self, sha256: str, edge: int) -> bytes | None:
        """A PNG of at most `edge` pixels a side of the stored image (a video's first
        frame); None when no such file is stored."""
        ...


def read_media(draft: Draft, reader: MediaReader | None) -> Draft:
    """The draft with every unread media item read. Items that carry a probe (carried over
    from the previous revision) keep it: giving the same URL again reads it again."""
    if reader is None or all(media.probe is not None for media in draft.media):
        return draft
    return evolve(draft, media=tuple(media if media.probe is not None else reader.read(media)
                                     for media in draft.media))
