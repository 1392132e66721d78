"""How each platform counts a caption's length.

X counts weighted characters (twitter-text v3): code points in the Latin, general punctuation
and similar ranges weigh 1, everything else (CJK, most symbols) weighs 2, an emoji sequence
weighs 2 whatever its parts, and every URL weighs 23. TikTok counts UTF-16 code units;
Instagram, Facebook and LinkedIn count characters (code points).
"""

from __future__ import annotations

import re
import unicodedata

URL_RE = re.compile(
    r"(?:https?://[^\s]+|(?<![@\w])(?:[a-z0-9-]+\.)+(?:com|id|co\.id|net|org|io|ly|me|app)"
    r"(?:/[^\s]*)?)",
    re.IGNORECASE,
)
HASHTAG_RE = re.compile(r"(?<![\w&])#(\w+)", re.UNICODE)
MENTION_RE = re.compile(r"(?<![\w@])@(\w[\w.]*)", re.UNICODE)

X_URL_WEIGHT = 23
_X_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_JOINERS = {0x200D, 0xFE0F, 0xFE0E, 0x20E3}
_KEYCAP_BASES = frozenset(map(ord, "0123456789#*"))


def _is_light(code_point: int) -> bool:
    return any(lo <= code_point <= hi for lo, hi in _X_LIGHT_RANGES)


def _is_emoji_base(code_point: int) -> bool:
    return (
        0x1F000 <= code_point <= 0x1FAFF
        or 0x2600 <= code_point <= 0x27BF
        or 0x1F1E6 <= code_point <= 0x1F1FF
    )


def _is_emoji_tail(code_point: int) -> bool:
    return (
        code_point in _JOINERS
        or 0x1F3FB <= code_point <= 0x1F3FF
        or 0xE0020 <= code_point <= 0xE007F
    )


def x_weighted_length(text: str) -> int:
    """Length of `text` as X counts it against its 280 limit."""
    text = unicodedata.normalize("NFC", text)
    total = 0
    position = 0
    for match in URL_RE.finditer(text):
        total += _weigh_plain(text[position : match.start()])
        total += X_URL_WEIGHT
        position = match.end()
    return total + _weigh_plain(text[position:])


def _is_regional_indicator(code_point: int) -> bool:
    return 0x1F1E6 <= code_point <= 0x1F1FF


def _keycap_length(points: list[int], index: int) -> int:
    """Code points in a keycap emoji ('1', optional U+FE0F, U+20E3) starting here, else 0."""
    if points[index] not in _KEYCAP_BASES:
        return 0
    rest = points[index + 1 : index + 3]
    if rest[:1] == [0x20E3]:
        return 2
    if rest == [0xFE0F, 0x20E3]:
        return 3
    return 0


def _weigh_plain(text: str) -> int:
    total = 0
    index = 0
    points = [ord(ch) for ch in text]
    while index < len(points):
        point = points[index]
        keycap = _keycap_length(points, index)
        if keycap:
            index += keycap
            total += 2
            continue
        if _is_emoji_base(point):
            index += 1
            # A flag is exactly two regional indicators; the next pair is another flag.
            if (_is_regional_indicator(point) and index < len(points)
                    and _is_regional_indicator(points[index])):
                index += 1
            # Swallow the rest of the emoji sequence: modifiers, joiners and joined emoji.
            while index < len(points) and (
                _is_emoji_tail(points[index])
                or (points[index - 1] == 0x200D and _is_emoji_base(points[index]))
            ):
                index += 1
            total += 2
            continue
        total += 1 if _is_light(point) else 2
        index += 1
    return total


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def char_length(text: str) -> int:
    return len(unicodedata.normalize("NFC", text))


COUNTERS = {"chars": char_length, "utf16": utf16_length, "x_weighted": x_weighted_length}


def hashtags_in(text: str) -> list[str]:
    return HASHTAG_RE.findall(text)


def mentions_in(text: str) -> list[str]:
    return MENTION_RE.findall(text)
