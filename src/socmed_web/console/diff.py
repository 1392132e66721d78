"""Word-level differences between two revisions, for the item page.

A revision is shown as the lines a reviewer reads (platforms, main text, each platform's own
caption, hashtags, media, the flags); the difference is computed on words and the spaces
between them, so a changed word is marked, not the whole line.
"""

from __future__ import annotations

import difflib
import re

from attrs import frozen

from socmed_domain.production.revision import Draft

_TOKENS = re.compile(r"\s+|[\w#@]+|[^\w\s]", re.UNICODE)


@frozen
class Piece:
    """A run of text: "same", "added" or "removed"."""

    op: str
    text: str


def readable(draft: Draft) -> str:
    lines = [" ".join(p.value for p in draft.platforms), "", draft.text]
    for variant in draft.captions:
        lines += ["", f"[{variant.platform.value}] {variant.text}"]
    if draft.hashtags:
        lines += ["", " ".join(f"#{t}" for t in draft.hashtags)]
    for media in draft.media:
        lines += ["", f"{media.kind}: {media.uri} {media.alt_text}".rstrip()]
    flags = [name for name, on in (("sponsored", draft.sponsored),
                                   ("own_brand", draft.own_brand),
                                   ("ai_generated", draft.ai_generated)) if on]
    if flags:
        lines += ["", " ".join(flags)]
    return "\n".join(lines)


def word_diff(before: str, after: str) -> tuple[Piece, ...]:
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("removed", "".join(old[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("added", "".join(new[j1:j2])))
    return tuple(pieces)


def draft_diff(before: Draft | None, after: Draft) -> tuple[Piece, ...]:
    return word_diff(readable(before) if before is not None else "", readable(after))
