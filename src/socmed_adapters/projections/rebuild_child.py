"""A process of a parallel rebuild (started by `parallel.run_partitions`): it opens the log
and the read models from the recipe it is given on stdin, applies its share of the
aggregates to every projection being rebuilt, and prints how many events it applied."""

from __future__ import annotations

import json
import resource
import sys
from typing import Any

from eventsourcing.utils import resolve_topic
from sqlalchemy import create_engine

from socmed_adapters.projections.parallel import LogReader, die_with_parent
from socmed_adapters.projections.projector import Projector
from socmed_adapters.sql_setup import on_connect_pragmas


def child_main() -> None:
    """A rebuilding child: read the recipe, catch the group up, print the count (JSON)."""
    how = json.loads(sys.stdin.read())
    die_with_parent(how["parent"])
    count = catch_up_partition(how)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"events": count, "rss_mb": peak}))


def catch_up_partition(how: dict[str, Any]) -> int:
    """Open the log and the read models, apply this process's share."""
    reader = type("LogReader", (LogReader,), {"name": how["name"]})(env=how["env"])
    url = how["url"]
    if url.startswith("sqlite"):
        engine = on_connect_pragmas(create_engine(url), "busy_timeout=60000",
                                    "synchronous=NORMAL", "cache_size=-16384")
    else:
        engine = create_engine(url, pool_size=1, max_overflow=1)
    try:
        classes = [resolve_topic(topic) for topic in how["classes"]]
        projector = Projector(reader, engine, schema=how["schema"], classes=classes)
        share, parts = how["partition"]
        # this process replays 1/parts of the aggregates: the same hits in 1/parts the room
        projector.cache.maxsize = max(projector.cache.maxsize // parts, 500)
        return projector._catch_up_group(how["names"], how["batch"], None,
                                         partition=(share, parts), stop=how["stop"])
    finally:
        engine.dispose()
        reader.close()


