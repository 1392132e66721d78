"""Hashtags and @mentions in a caption, read the way each platform reads them.

One implementation for the final check (hashtag limit, mention limit, the `#iklan`
disclosure) and for monitoring (`monitoring/normalise.py`), so the two never disagree on
what a tag is. The rules, per platform, with their sources, are in docs/platforms.md; in
short:

- a hashtag is a hash sign (`#` or the fullwidth `＃`) that does not follow a letter, digit
  or `&`, then letters, combining marks, digits, `_` and the joiners U+200C/U+200D (so
  Indic, Thai and Arabic tags are not cut at a vowel sign or a joiner), with at least one
  letter or mark: `#16` and `#2026` are not hashtags. A tag directly followed by another
  hash sign or by `://` is no tag, and a tag inside a URL is none either. On X the rules
  are twitter-text's, which add a few punctuation marks used inside Japanese, Hebrew and
  Tibetan words (`・`, `״`, `་`, ...).
- a mention is an at sign (`@`, `＠`) not preceded by a letter, digit, `_` or one of
  ``!#$%&*@`` (but `RT@name` and `RT:@name` mention `name`), then the handle characters of
  the platform; one directly followed by another at sign (`@test@example.com`), a Latin
  accented letter or `://` is no mention.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache

from attrs import frozen

from socmed_domain.platforms import Platform
from socmed_domain.text_length import plain_url_spans

HASH_SIGNS = "#\uff03"
AT_SIGNS = "@\uff20"
#: Joiners that live inside words of Indic and Arabic scripts.
JOINERS = "\u200c\u200d"
#: twitter-text's hashtag special characters (beyond letters, marks and digits).
X_HASHTAG_SPECIALS = ("_\u200c\u200d\ua67e\u05be\u05f3\u05f4\uff5e\u301c\u309b\u309c"
                      "\u30a0\u30fb\u3003\u0f0b\u0f0c\u00b7")
#: twitter-text's Latin accented letters: a mention directly followed by one is no mention.
_LATIN_ACCENTS = ("\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256"
                  "\u0257\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f"
                  "\u1e00-\u1eff")
_MENTION_PRECEDING = (r"(?:^|[^a-zA-Z0-9_!#$%&*@\uff20]|(?:^|[^a-zA-Z0-9_+~.-])"
                      r"(?:rt|RT|rT|Rt):?)")


@frozen
class TagRules:
    """How one platform reads hashtags and mentions."""

    #: Characters besides letters, marks and digits a hashtag may hold.
    hashtag_extra: str
    #: The handle after the at sign (a regular expression, one group).
    handle: str
    #: Whether X's `@name/list` form is read (the list is not part of the mention).
    lists: bool = False
    #: Handles may hold dots but never end with one ('@sari.' mentions 'sari').
    trim_dots: bool = False


TAG_RULES: dict[Platform, TagRules] = {
    # twitter-text (X's own library): handles of 1-20 [A-Za-z0-9_], lists after a slash.
    Platform.X: TagRules(X_HASHTAG_SPECIALS, r"([a-zA-Z0-9_]{1,20})", lists=True),
    # Instagram: usernames of up to 30 letters, digits, '.' and '_'.
    Platform.INSTAGRAM: TagRules("_" + JOINERS, r"([a-zA-Z0-9_.]{1,30})", trim_dots=True),
    # TikTok: usernames of 2-24 letters, digits, '.' and '_'.
    Platform.TIKTOK: TagRules("_" + JOINERS, r"([a-zA-Z0-9_.]{2,24})", trim_dots=True),
    # Facebook: usernames of letters, digits and '.', at least 5 (we accept from 1, so a
    # short handle is still counted rather than missed).
    Platform.FACEBOOK: TagRules("_" + JOINERS, r"([a-zA-Z0-9_.]{1,50})", trim_dots=True),
    # LinkedIn: vanity names of letters, digits and '-'.
    Platform.LINKEDIN: TagRules("_" + JOINERS, r"([a-zA-Z0-9_.-]{1,100})", trim_dots=True),
}
#: Inbound text (monitoring), whose platform's rules may differ: the widest handle set.
GENERIC = TagRules("_" + JOINERS, r"([a-zA-Z0-9_.]{1,30})", trim_dots=True)


@frozen
class Entity:
    """A hashtag, mention or URL found in a text: its kind, code point span and value (the
    tag or handle without its sign, or the URL)."""

    kind: str  # "hashtag" | "mention" | "url"
    start: int
    end: int
    value: str


@lru_cache(maxsize=1)
def _letters_and_marks_and_digits() -> tuple[str, str]:
    """Character-class bodies of every letter and mark (Unicode L*, M*) and every decimal
    digit (Nd). Python's `\\w` leaves out marks, which is what cut 'नमस्ते' after 'नमस'."""
    letters: list[tuple[int, int]] = []
    digits: list[tuple[int, int]] = []
    for point in (*range(0x40000), *range(0xE0000, 0xE01F0)):
        category = unicodedata.category(chr(point))
        target = letters if category[0] in "LM" else digits if category == "Nd" else None
        if target is None:
            continue
        if target and target[-1][1] == point - 1:
            target[-1] = (target[-1][0], point)
        else:
            target.append((point, point))

    def body(ranges: list[tuple[int, int]]) -> str:
        return "".join(
            re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"
            for lo, hi in ranges)

    return body(letters), body(digits)


@lru_cache(maxsize=8)
def _hashtag_re(extra: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The tag (a hash sign, not '#' + U+FE0F/U+20E3, which is the keycap emoji #️⃣) and the
    characters a tag must not follow (letters, digits, its extra characters, '&'). The
    regular expression starts at the sign, so the engine only tries where a sign is."""
    letters, digits = _letters_and_marks_and_digits()
    alnum = f"[{letters}{digits}{re.escape(extra)}]"
    tag = re.compile(
        rf"[{HASH_SIGNS}](?![\ufe0f\u20e3])({alnum}*[{letters}]{alnum}*)")
    blocked = re.compile(rf"[{letters}{digits}{re.escape(extra)}&]")
    return tag, blocked


@lru_cache(maxsize=8)
def _mention_re(handle: str, lists: bool) -> re.Pattern[str]:
    tail = r"(/[a-zA-Z][a-zA-Z0-9_-]{0,24})?" if lists else "()"
    return re.compile(rf"({_MENTION_PRECEDING})[{AT_SIGNS}]{handle}{tail}")


_END_HASHTAG = re.compile(rf"[{HASH_SIGNS}]|://")
_END_MENTION = re.compile(rf"[{AT_SIGNS}{_LATIN_ACCENTS}]|://")


def rules_for(platform: Platform | None) -> TagRules:
    return GENERIC if platform is None else TAG_RULES[platform]


def hashtag_entities(text: str, rules: TagRules,
                     url_spans: Iterable[tuple[int, int]] | None = None) -> list[Entity]:
    return _without_overlaps(_hashtags(text, rules), text, url_spans)


def mention_entities(text: str, rules: TagRules,
                     url_spans: Iterable[tuple[int, int]] | None = None) -> list[Entity]:
    return _without_overlaps(_mentions(text, rules), text, url_spans)


def _hashtags(text: str, rules: TagRules) -> list[Entity]:
    if not any(sign in text for sign in HASH_SIGNS):
        return []
    tag, blocked = _hashtag_re(rules.hashtag_extra)
    tags = []
    for match in tag.finditer(text):
        before = text[match.start() - 1] if match.start() else ""
        # Variation selectors are marks but end an emoji: a tag may follow them.
        if before and before not in "\ufe0e\ufe0f" and blocked.match(before):
            continue
        if _END_HASHTAG.match(text, match.end()):
            continue
        tags.append(Entity("hashtag", match.start(), match.end(), match.group(1)))
    return tags


def _mentions(text: str, rules: TagRules) -> list[Entity]:
    if not any(sign in text for sign in AT_SIGNS):
        return []
    mentions = []
    for match in _mention_re(rules.handle, rules.lists).finditer(text):
        if _END_MENTION.match(text, match.end()):
            continue
        handle = match.group(2)
        end = match.end()
        if rules.trim_dots:
            trimmed = handle.rstrip(".")
            end -= len(handle) - len(trimmed)
            handle = trimmed
        if handle:
            mentions.append(Entity("mention", match.end(1), end, handle))
    return mentions


def _without_overlaps(found: list[Entity], text: str,
                      url_spans: Iterable[tuple[int, int]] | None) -> list[Entity]:
    """`found` less what overlaps a URL (a tag inside a URL goes; a URL starting inside a
    tag does, so the tag stays)."""
    spans = plain_url_spans(text) if url_spans is None else tuple(url_spans)
    if not found or not spans:
        return found
    urls = [Entity("url", s, e, text[s:e]) for s, e in spans]
    return [e for e in _first_of_overlapping([*found, *urls]) if e.kind != "url"]


def hashtags_in(text: str, platform: Platform | None = None,
                url_spans: Sequence[tuple[int, int]] | None = None) -> list[str]:
    """The hashtags of `text` as `platform` reads them (None: inbound text of any platform),
    without their sign; `url_spans` are the URLs found by the platform's URL rules (default:
    scheme, `www.` and common bare domains)."""
    return [e.value for e in hashtag_entities(text, rules_for(platform), url_spans)]


def mentions_in(text: str, platform: Platform | None = None,
                url_spans: Sequence[tuple[int, int]] | None = None) -> list[str]:
    """The handles @mentioned in `text` as `platform` reads them, without the at sign."""
    return [e.value for e in mention_entities(text, rules_for(platform), url_spans)]


def entities_in(text: str, platform: Platform | None = None,
                url_spans: Sequence[tuple[int, int]] | None = None) -> list[Entity]:
    """URLs, hashtags and mentions of `text` in order, none overlapping another."""
    rules = rules_for(platform)
    spans = plain_url_spans(text) if url_spans is None else tuple(url_spans)
    found = [*(Entity("url", s, e, text[s:e]) for s, e in spans),
             *_hashtags(text, rules), *_mentions(text, rules)]
    return _first_of_overlapping(found)


def _first_of_overlapping(entities: list[Entity]) -> list[Entity]:
    """twitter-text's rule: sorted by start, an entity that begins inside the one before it
    is dropped."""
    kept: list[Entity] = []
    for entity in sorted(entities, key=lambda found: found.start):
        if kept and kept[-1].end > entity.start:
            continue
        kept.append(entity)
    return kept
