"""The port through which a revision's media are read from their bytes when it is saved.

The domain never touches a file or a URL: an adapter (socmed_adapters.media) fetches or
copies the bytes, stores them content-addressed and says what they are (`MediaProbe`). The
application asks it for every media item not yet read, so the revision that is hashed and
approved names the exact bytes.
"""

from __future__ import annotations

from typing import Protocol

from attrs import evolve

from socmed_domain.production.revision import Draft, MediaRef


class MediaReader(Protocol):
    def read(self, media: MediaRef) -> MediaRef:
        """The same reference with its `probe` (and the sniffed `kind`); raises
        InvalidInputError when the bytes cannot be had or are not an image or a video."""
        ...


def read_media(draft: Draft, reader: MediaReader | None) -> Draft:
    """The draft with every unread media item read. Items that carry a probe (carried over
    from the previous revision) keep it: giving the same URL again reads it again."""
    if reader is None or all(media.probe is not None for media in draft.media):
        return draft
    return evolve(draft, media=tuple(media if media.probe is not None else reader.read(media)
                                     for media in draft.media))
