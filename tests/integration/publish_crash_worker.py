"""The publishing loop that test_publish_crash_platforms kills with SIGKILL.

    python -m tests.integration.publish_crash_worker DATA_DIR [DATABASE_URL]

Everything else comes from the environment, as for a deployed publisher: the platforms'
SOCMED_*_TOKEN / account / BASE_URL variables (pointing at the local servers, which live in
the test process and outlive this one), and SOCMED_TEST_CLOCK_OFFSET, seconds added to the
real time, so the test can put "now" past the slot (and later past STALE_ATTEMPT) without
waiting. It prints "ready" once bootstrapped, then one line per outcome, and publishes what is
due over and over until it is killed.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.platforms.base import HttpPolicy
from socmed_adapters.platforms.router import publisher_from_config
from socmed_adapters.twitter_text import X_TEXT

ADMIN = "adi.admin"
# Real waits, kept short: a request the local servers stall for longer than request_timeout
# becomes an unknown outcome; backoff and status polls take tens of milliseconds.
POLICY = HttpPolicy(request_timeout=1.0, connect_timeout=0.5, deadline=6.0, max_attempts=4,
                    backoff_base=0.05, backoff_cap=0.2, poll_interval=0.05, poll_limit=20)


def offset_clock(offset: timedelta) -> Callable[[], datetime]:
    """The real time moved by `offset` (it keeps running, unlike a ManualClock)."""
    def now() -> datetime:
        return datetime.now(UTC) + offset
    return now


def main(argv: list[str]) -> int:
    data_dir = Path(argv[0])
    database_url = argv[1] if len(argv) > 1 and argv[1] else None
    clock = offset_clock(timedelta(seconds=float(os.environ["SOCMED_TEST_CLOCK_OFFSET"])))
    publisher = publisher_from_config(policy=POLICY, clock=clock)  # credentials from env
    services = bootstrap(data_dir, database_url=database_url, publisher=publisher, clock=clock)
    # twitter-text loads on the first caption read (half a second of emoji table); load it
    # now, so that 'ready' means ready to publish and the kills land in the publishing.
    X_TEXT.weighted_length("ready")
    print("ready", flush=True)
    while True:
        lines = services.app.publish_due(ADMIN)
        for line in lines:
            print(f"{line.item_id} {line.platform} {line.outcome}", flush=True)
        if not lines:
            print("idle", flush=True)
            time.sleep(0.05)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
