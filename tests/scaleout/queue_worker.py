"""One `socmed worker --queue` process as the scale-out tests run it (and kill it).

    python -m tests.scaleout.queue_worker DATABASE_URL [CONCURRENCY]

The same `socmed_adapters.jobs.worker.run` as the command, with the publisher built from the
environment (the local platform servers' SOCMED_*_TOKEN / BASE_URL variables) but with short
HTTP waits (POLICY), so a stalled request becomes an unknown outcome in a second, and a
short heartbeat, so a killed worker's jobs are taken over within seconds.
SOCMED_TEST_QUEUE_LISTEN=n: no LISTEN/NOTIFY (polling), as behind a transaction pooler.
"""

from __future__ import annotations

import os
import sys

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.jobs import worker
from socmed_adapters.platforms.router import publisher_from_config
from tests.integration.publish_crash_worker import ADMIN, POLICY

STALLED_AFTER = 6.0
HEARTBEAT = 1.0


def main(argv: list[str]) -> int:
    url = argv[0]
    concurrency = int(argv[1]) if len(argv) > 1 else 2
    services = bootstrap(None, database_url=url, publisher=publisher_from_config(policy=POLICY))
    from socmed_adapters.twitter_text import X_TEXT

    X_TEXT.weighted_length("ready")  # loaded before the first job, as a long-lived worker has
    print("ready", flush=True)
    worker.run(services, ADMIN, concurrency=concurrency, heartbeat=HEARTBEAT,
               stalled_after=STALLED_AFTER, poll=0.5,
               listen_notify=os.environ.get("SOCMED_TEST_QUEUE_LISTEN") != "n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
