"""How each platform counts a caption's length, and which characters it refuses.

X counts weighted characters by twitter-text, its own published rules (v3 configuration:
Latin and general punctuation weigh 1, other code points 2, an emoji sequence 2 whatever
its parts, a *valid* URL 23; U+FFFE, U+FEFF and U+FFFF make a post invalid). Those rules
(with their TLD list, the host and label limits and the emoji table) are a maintained
library, so the domain names them as a port, `XText`, and the composition root plugs in
the implementation (`socmed_adapters.twitter_text`); the domain holds no copy of them.
TikTok counts UTF-16 code units; Instagram, Facebook and LinkedIn count characters (code
points after NFC).

Counting is a check, never part of a revision's hash: a change here changes what the final
check says about a caption, not which revision an approval names.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Protocol

#: A URL as the monitoring normaliser strips it (no port there: inbound text is read, not
#: sent). Scheme URLs, `www.` and bare domains on a few common TLDs.
PLAIN_URL_RE = re.compile(
    r"(?:https?://[^\s]+|(?<![@\w])(?:www\.[^\s]+|(?:[a-z0-9-]+\.)+"
    r"(?:com|id|co\.id|net|org|io|ly|me|app|shop)(?:/[^\s]*)?))",
    re.IGNORECASE,
)


class XText(Protocol):
    """X's text rules (twitter-text): the weighted length, the refused characters and the
    spans of the URLs it recognises (valid hosts on its TLD list only)."""

    def weighted_length(self, text: str) -> int:
        """The length X counts against its 280 limit."""
        ...

    def refused_characters(self, text: str) -> tuple[str, ...]:
        """The distinct characters of `text` that make X refuse it, in order of appearance."""
        ...

    def url_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        """(start, end) code point offsets into `text` of each URL twitter-text extracts,
        with or without a scheme."""
        ...


class TextRulesNotWiredError(RuntimeError):
    """The final check was asked to read a caption without the text rules the composition
    root plugs in (`bootstrap()`, or `socmed_adapters.twitter_text.wired_rules()`)."""


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def char_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


def plain_url_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(match.span() for match in PLAIN_URL_RE.finditer(text))


def _is_noncharacter(point: int) -> bool:
    return 0xFDD0 <= point <= 0xFDEF or (point & 0xFFFE) == 0xFFFE


def _refused_everywhere(point: int) -> bool:
    """Characters refused for every platform: lone surrogates (not encodable as UTF-8, so the
    request itself cannot be sent), Unicode noncharacters (never meant for interchange), and
    control characters other than tab, line feed and carriage return. The platforms publish
    no list; these are invisible in every editor and no caption needs them, so they are
    refused before a platform can drop or reject them (docs/platforms.md)."""
    return (0xD800 <= point <= 0xDFFF or _is_noncharacter(point)
            or (point < 0x20 and point not in (0x09, 0x0A, 0x0D)) or point == 0x7F)


def refused_characters(text: str, x_text: XText | None = None) -> tuple[str, ...]:
    """The distinct characters a platform refuses, in order of appearance: for X (given its
    port) twitter-text's invalid characters as well."""
    found: dict[str, None] = {}
    for char in text:
        if _refused_everywhere(ord(char)):
            found[char] = None
    if x_text is not None:
        safe = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        for char in x_text.refused_characters(safe):
            found[char] = None
    return tuple(found)


def describe_character(char: str) -> str:
    """'U+FFFE' followed by the character's Unicode name, or its category where it has none
    (noncharacters and controls have none), so a person can find it in the text."""
    point = ord(char)
    name = unicodedata.name(char, "")
    if not name:
        kinds = {"Cc": "control", "Cs": "surrogate", "Cn": "noncharacter",
                 "Cf": "format"}
        name = kinds.get(unicodedata.category(char), unicodedata.category(char))
    return f"U+{point:04X} {name}"
