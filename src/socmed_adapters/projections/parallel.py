"""A rebuild shared by several processes: one process per group of projections.

A rebuild is a reset followed by a catch-up from position 0, and every projection keeps its
own position; so groups of projections can catch up side by side, each in its own process,
each batch committing its rows and its group's positions together exactly as a catch-up in
one process does. A killed rebuild therefore resumes as before (the next catch-up carries
on from each projection's position).

Groups: the projections that need the aggregate replayed share one replay, so they stay
together; the ones that do not (the audit index) are another group. Each process reads and
decodes the log itself: decoding is the price of not shipping decoded events between
processes (pickling them costs more than decoding them again).

The children are fresh interpreters (never a fork: the parent may hold database connections
and a follower thread) and die with the parent (PR_SET_PDEATHSIG), so a rebuild killed with
-9 leaves no process behind that would go on writing.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.utils import get_topic

from socmed_domain.transcoding import SocmedTranscoding

#: The persistence modules another process can open (not the in-memory one).
SHAREABLE = ("sqlite", "postgres")


class LogReader(SocmedTranscoding, Application[UUID]):
    """What a rebuilding process needs of the application: its log, its mapper (the same
    transcoder and value types as `SocmedApplication`) and its repository (for aggregates
    the replay cache no longer holds)."""


def recipe(projector: Any) -> dict[str, Any] | None:
    """How another process opens the same log and read models, or None when it cannot
    (an in-memory store, an application of another kind)."""
    app = projector.app
    module = str(app.env.get("PERSISTENCE_MODULE", ""))
    if not any(kind in module for kind in SHAREABLE):
        return None
    if str(projector.engine.url).startswith("sqlite://") and projector.engine.url.database in (
            None, "", ":memory:"):
        return None
    env = {**dict(app.env), "CREATE_TABLE": "n"}
    return {
        "name": app.name,
        "env": env,
        "url": projector.engine.url.render_as_string(hide_password=False),
        "schema": projector.metadata.schema,
        "classes": [get_topic(type(p)) for p in projector.projections.values()],
    }


def run_partitions(how: dict[str, Any], names: list[str], processes: int, batch: int,
                   stop: int) -> list[int]:
    """Process k of `processes` applies the events up to `stop` of the aggregates whose id
    is k modulo `processes`, to every projection of `names`; returns the events each
    applied.

    Each child is a fresh interpreter running `rebuild_child.child_main` (not
    multiprocessing: its
    'spawn' re-imports the caller's main module, which a script or `python -c` need not
    guard), given its recipe on stdin and printing its count on stdout."""
    children = []
    groups = [names] * processes
    for share in range(processes):
        child = subprocess.Popen(
            [sys.executable, "-c",
             "from socmed_adapters.projections.rebuild_child import child_main; child_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert child.stdin is not None
        child.stdin.write(json.dumps({**how, "names": names, "batch": batch, "stop": stop,
                                      "partition": [share, processes],
                                      "parent": os.getpid()}))
        child.stdin.close()
        children.append(child)
    counts: list[int] = []
    failed: list[str] = []
    try:
        for child, group in zip(children, groups, strict=True):
            assert child.stdout is not None
            output = child.stdout.read()
            if child.wait() != 0:
                failed.append(f"{', '.join(group)} (share {len(failed) + len(counts)})")
            else:
                counts.append(json.loads(output.strip().splitlines()[-1])["events"])
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
                child.wait()
    if failed:
        raise RuntimeError(f"rebuild of {'; '.join(failed)} failed in its process "
                           "(its error is above); catch-up resumes from the positions")
    return counts


def die_with_parent(parent: int) -> None:
    """Linux: SIGKILL this child when the parent dies (a rebuild killed with -9 leaves no
    writer behind); elsewhere nothing more than the check below."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


