"""Bulk ingestion as `socmed inbox ingest` runs it, for any caller of the library:

    with bulk_ingestion(app, workers=3):
        app.inbox.ingest_interactions("adi.admin", FileSource("export.jsonl").interactions())

Two things make a large import faster without changing what is stored:

- The assessment (sentiment, watchlist) runs on `workers` other processes while this one
  seals and stores (`ParallelAssessor`); 0 keeps it in this process.
- Python's cyclic garbage collector leaves alone what existed before the import. An import
  allocates millions of short-lived objects, which reference counting frees; each of them
  counts towards the collector's next run, and a full run walks every object of the process
  (modules, caches, the database layers): measured, a fifth of the import's time. Objects
  made before the import are frozen out of the collector's view for its duration
  (`gc.freeze`) and thawed after, and the collector runs less often while it lasts (after
  10,000 new objects rather than 700): everything made during the import is still
  collected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from socmed_adapters.monitoring.parallel_assess import ParallelAssessor

#: The collector's generation thresholds during an import (Python's default: 700, 10, 10).
BULK_THRESHOLDS = (10_000, 20, 20)


@contextmanager
def bulk_ingestion(app: Any, workers: int = 0) -> Iterator[None]:
    previous = app.inbox.assessor
    assessor = ParallelAssessor(workers) if workers else None
    thresholds = gc.get_threshold()
    # A host that freezes its own heap (a pre-forking server) keeps control of it: thawing
    # after the import would thaw theirs too.
    freezing = gc.get_freeze_count() == 0
    if freezing:
        gc.freeze()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        if assessor is not None:
            app.inbox.assessor = assessor
        yield
    finally:
        app.inbox.assessor = previous
        gc.set_threshold(*thresholds)
        if freezing:
            gc.unfreeze()
        if assessor is not None:
            assessor.close()
