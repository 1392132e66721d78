"""Sentiment and watchlist reading on other cores, for bulk imports.

Assessing a text is pure CPU work in Python and is about a third of what ingesting one
interaction costs, so a large import is faster when other processes read batch n+1 while
this one seals and stores batch n (the domain asks for the next batch's assessments before
it stores the current one). The result is the same as assessing inline: the same pure
function, on the same text.

Worker processes start from a fork server (not a fork of this process, which may hold
database connections or threads), with the assessing modules preloaded.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from decimal import Decimal
from pathlib import Path

from socmed_domain.monitoring.interaction import (
    Assessment,
    InlineAssessor,
    LazyAssessments,
    assess,
)
from socmed_domain.monitoring.lexicon import DEFAULT as DEFAULT_LEXICON
from socmed_domain.monitoring.lexicon import Lexicon
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.monitoring.watchlist import DEFAULT_WATCHLIST, Topic, Watchlist

#: Below this many texts a batch is assessed inline: shipping it costs more than it saves.
SMALL_BATCH = 200


#: An assessment as plain values: cheaper to pickle and unpickle than the value object
#: (its enums and Decimal would each be rebuilt by pickle), which is what the main process,
#: the one that stores, would otherwise pay.
Packed = tuple[str, str, tuple[str, ...], str, str]


#: The company's lexicon and watchlist as plain values for a worker (None: the built-in
#: ones): (lexicon version, its terms, watchlist version, {topic: terms}).
Rules = tuple[str, dict[str, float], str, dict[str, tuple[str, ...]]] | None
#: A worker's rules, built once per (lexicon, watchlist) version pair.
_BUILT: dict[tuple[str, str], tuple[Lexicon, Watchlist]] = {}


def _rules(lexicon: Lexicon, watchlist: Watchlist) -> Rules:
    if lexicon is DEFAULT_LEXICON and watchlist is DEFAULT_WATCHLIST:
        return None
    return (lexicon.version, dict(lexicon.terms), watchlist.version,
            {topic.value: terms for topic, terms in watchlist.topics.items()})


def _built(rules: Rules) -> tuple[Lexicon, Watchlist]:
    if rules is None:
        return DEFAULT_LEXICON, DEFAULT_WATCHLIST
    lexicon_version, terms, watchlist_version, topics = rules
    key = (lexicon_version, watchlist_version)
    if key not in _BUILT:
        _BUILT[key] = (
            DEFAULT_LEXICON.with_terms(terms, lexicon_version),
            Watchlist(watchlist_version, {Topic(t): words for t, words in topics.items()}))
    return _BUILT[key]


def _assess_all(texts: list[str], lexicon: Lexicon = DEFAULT_LEXICON,
                watchlist: Watchlist = DEFAULT_WATCHLIST) -> list[Assessment]:
    return [assess(text, lexicon, watchlist) for text in texts]


def _assess_packed(texts: list[str], rules: Rules = None) -> list[Packed]:
    lexicon, watchlist = _built(rules)
    return [(found.sentiment.value, str(found.score), tuple(t.value for t in found.topics),
             found.lexicon_version, found.watchlist_version)
            for found in (assess(text, lexicon, watchlist) for text in texts)]


class _Unpacker:
    """Packed values back to value objects; equal assessments (most short texts score the
    same few ways) are built once."""

    def __init__(self) -> None:
        self.seen: dict[Packed, Assessment] = {}

    def __call__(self, packed: Packed) -> Assessment:
        found = self.seen.get(packed)
        if found is None:
            if len(self.seen) > 50_000:
                self.seen.clear()
            sentiment, score, topics, lexicon, watchlist = packed
            found = self.seen[packed] = Assessment(
                Polarity(sentiment), Decimal(score), tuple(Topic(t) for t in topics),
                lexicon, watchlist)
        return found


class _FromWorkers(LazyAssessments):
    """A batch's assessments from the workers' futures, each part waited for when one of its
    texts is first read (a batch of repeats waits for none); a broken pool reads the rest
    here."""

    def __init__(self, owner: ParallelAssessor, futures: list[Future[list[Packed]]], size: int,
                 texts: Sequence[str], lexicon: Lexicon, watchlist: Watchlist) -> None:
        super().__init__(texts, lexicon, watchlist)
        self.owner, self.futures, self.size = owner, futures, size
        self.parts: dict[int, Sequence[Assessment]] = {}

    def assessment(self, index: int) -> Assessment:
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        index %= len(self)
        number, offset = divmod(index, self.size)
        part = self.parts.get(number)
        if part is None:
            try:
                part = [self.owner.unpack(found) for found in self.futures[number].result()]
            except BrokenProcessPool:
                self.owner.pool = None
                start = number * self.size
                part = _assess_all(list(self.texts[start:start + self.size]), self.lexicon,
                                   self.watchlist)
            self.parts[number] = part
        return part[offset]


def _startable() -> bool:
    """Whether worker processes can start: they re-import the main program from its file."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None or Path(path).is_file()


def default_workers() -> int:
    """One worker per core beyond the one that stores (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


class ParallelAssessor:
    """An `Assessor` over a pool of worker processes; `close()` (or `with`) stops them.

    The workers start in the background when the first batch large enough to ship comes
    (an import of repeats asks for none, and starts none); batches that come before they
    are ready are assessed here (the first batches are small). If they cannot run (a worker
    dies, or the program has no file for them to start from, such as code piped to
    `python -`), the texts are assessed here instead: the same result, only slower."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        self.pool: ProcessPoolExecutor | None = None
        self.unpack = _Unpacker()
        # Starting the fork server imports the domain (a quarter of a second): done on a
        # thread, so the caller goes on meanwhile.
        self._starting = threading.Thread(target=self._start, daemon=True)

    def _start(self) -> None:
        if not _startable():
            return
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["socmed_domain.monitoring.interaction"])
        pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        for _ in range(self.workers):
            pool.submit(_assess_packed, [])  # start them now, not at first use
        self.pool = pool

    @property
    def started(self) -> bool:
        """Whether the workers were asked to start (a batch of new texts came)."""
        return self._starting.ident is not None

    def _begin(self) -> None:
        if self._starting.ident is None:
            self._starting.start()

    def wait_until_started(self) -> bool:
        """Start the workers if not yet asked to, and block until they have started; False
        when they cannot run here."""
        self._begin()
        self._starting.join()
        return self.pool is not None

    def start(self, texts: Sequence[str], lexicon: Lexicon = DEFAULT_LEXICON,
              watchlist: Watchlist = DEFAULT_WATCHLIST) -> Callable[[], Sequence[Assessment]]:
        """The batch's assessments, read only when the domain reads them: a message already
        stored is never read (a re-imported file waits for no worker), and a batch assessed
        here (before the workers have started, or a small one) assesses only new texts."""
        if len(texts) >= SMALL_BATCH:
            self._begin()
        if self._starting.is_alive() or len(texts) < SMALL_BATCH or self.pool is None:
            # not started yet: the first (small) batches are read here, on demand
            return InlineAssessor().start(texts, lexicon, watchlist)
        size = -(-len(texts) // self.workers)
        rules = _rules(lexicon, watchlist)
        try:
            futures: list[Future[list[Packed]]] = [
                self.pool.submit(_assess_packed, list(texts[start:start + size]), rules)
                for start in range(0, len(texts), size)]
        except BrokenProcessPool:
            self.pool = None
            return InlineAssessor().start(texts, lexicon, watchlist)
        return lambda: _FromWorkers(self, futures, size, texts, lexicon, watchlist)

    def close(self) -> None:
        if self._starting.ident is not None:
            self._starting.join()
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ParallelAssessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
