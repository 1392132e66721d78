"""X's text rules from twitter-text-parser, the maintained Python port of twitter-text.

Implements the domain's `XText` port: the v3 weighted length (emoji sequences weigh 2, a
valid URL 23), the characters twitter-text calls invalid, and the spans of the URLs it
extracts (with its TLD lists, the 63-character label and 4,096-character URL limits, and
bare domains only on its TLD list). The composition root plugs it into the platform rules
(`wired_rules`). twitter-text-parser does not extract hashtags or mentions; those are the
domain's `text_entities`, on twitter-text's rules, and use the URL spans from here.

twitter-text-parser imports `pkg_resources` (setuptools) to find its emoji table, without
declaring setuptools: our dependencies name it. Importing it reads that table (about half a
second), so it is imported on the first caption read, not by every command that boots.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Mapping
from functools import lru_cache
from types import ModuleType
from typing import Any

from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES, PlatformRules, with_x_text
from socmed_domain.platforms import Platform


@lru_cache(maxsize=1)
def _library() -> ModuleType:
    with warnings.catch_warnings():
        # pkg_resources announces its own deprecation on import; the library still needs it.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", UserWarning)
        import twitter_text
        import twitter_text.has_invalid_characters
    library: ModuleType = twitter_text
    return library


class TwitterText:
    """`XText` by twitter-text-parser (default configuration: v3, 280 weighted)."""

    def weighted_length(self, text: str) -> int:
        return int(_parsed(text).weightedLength)

    def valid(self, text: str) -> bool:
        """twitter-text's own verdict: not empty, within 280 and no invalid character."""
        return bool(_parsed(text).valid)

    def refused_characters(self, text: str) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for char in unicodedata.normalize("NFC", text):
            if _library().has_invalid_characters.has_invalid_characters(char):
                found[char] = None
        return tuple(found)

    def url_spans(self, text: str) -> tuple[tuple[int, int], ...]:
        return _url_spans(text)

    def urls(self, text: str) -> tuple[str, ...]:
        return tuple(text[start:end] for start, end in _url_spans(text))


@lru_cache(maxsize=256)
def _parsed(text: str) -> Any:
    """Cached: the final check counts the same caption once per check, and checks are run
    at review, scheduling and publication."""
    return _library().parse_tweet(text)


@lru_cache(maxsize=256)
def _url_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((int(found["indices"][0]), int(found["indices"][1]))
                 for found in _library().extract_urls_with_indices(text))


X_TEXT = TwitterText()


def wired_rules(rules: Mapping[Platform, PlatformRules] | None = None,
                ) -> dict[Platform, PlatformRules]:
    """`rules` (default: the shipped ones) reading captions by twitter-text."""
    return with_x_text(rules or DEFAULT_PLATFORM_RULES, X_TEXT)
