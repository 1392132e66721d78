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
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from decimal import Decimal

from socmed_domain.monitoring.interaction import Assessment, assess
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.monitoring.watchlist import Topic

#: Below this many texts a batch is assessed inline: shipping it costs more than it saves.
SMALL_BATCH = 200


#: An assessment as plain values: cheaper to pickle and unpickle than the value object
#: (its enums and Decimal would each be rebuilt by pickle), which is what the main process,
#: the one that stores, would otherwise pay.
Packed = tuple[str, str, tuple[str, ...], str, str]


def _assess_all(texts: list[str]) -> list[Assessment]:
    return [assess(text) for text in texts]


def _assess_packed(texts: list[str]) -> list[Packed]:
    return [(found.sentiment.value, str(found.score), tuple(t.value for t in found.topics),
             found.lexicon_version, found.watchlist_version)
            for found in map(assess, texts)]


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


def default_workers() -> int:
    """One worker per core beyond the one that stores (at least one)."""
    return max(1, (os.cpu_count() or 2) - 1)


class ParallelAssessor:
    """An `Assessor` over a pool of worker processes; `close()` (or `with`) stops them."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["socmed_domain.monitoring.interaction"])
        self.pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=context)
        self.unpack = _Unpacker()

    def start(self, texts: Sequence[str]) -> Callable[[], Sequence[Assessment]]:
        if len(texts) < SMALL_BATCH:
            return lambda: _assess_all(list(texts))
        size = -(-len(texts) // self.workers)
        futures: list[Future[list[Packed]]] = [
            self.pool.submit(_assess_packed, list(texts[start:start + size]))
            for start in range(0, len(texts), size)]
        unpack = self.unpack
        return lambda: [unpack(found) for future in futures for found in future.result()]

    def close(self) -> None:
        self.pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ParallelAssessor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
