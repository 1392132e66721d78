"""The job queue through a PgBouncer (Debian's package) in transaction pooling mode, and
what cannot go through it (docs/scaling.md, "PgBouncer").

Skipped when pgbouncer is not installed (CI installs it: `apt-get install -y pgbouncer`).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from socmed_testing.platforms import LocalPlatforms
from tests.conftest import POSTGRES_URL, require_postgres
from tests.scaleout import harness
from tests.scaleout.pgbouncer import PgBouncer, binary


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh database (PgBouncer in transaction mode cannot carry a session's
    search_path, so the queue lives in the database's default schema)."""
    require_postgres()
    if binary() is None:
        if os.environ.get("CI"):
            pytest.fail("pgbouncer is not installed: .ci/run must install it under CI")
        pytest.skip("pgbouncer is not installed (apt-get install -y pgbouncer)")
    import psycopg

    name = f"socmed_pgb_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def direct_url(database: str) -> str:
    base = POSTGRES_URL.partition("?")[0].rsplit("/", 1)[0]
    return f"{base}/{database}"


def test_the_queue_runs_through_pgbouncer_in_transaction_mode(
        database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store direct, the queue through PgBouncer (SOCMED_QUEUE_URL), workers polling
    instead of LISTEN: every post once, none early, and the queue's connections were
    PgBouncer's."""
    rules = harness.rules_file(tmp_path)
    monkeypatch.setenv("SOCMED_PLATFORM_RULES", str(rules))
    store = direct_url(database)
    with PgBouncer(POSTGRES_URL) as bouncer, LocalPlatforms() as local:
        monkeypatch.setenv("SOCMED_QUEUE_URL", bouncer.url(database))
        for server in local.servers.values():
            server.refuse_duplicates = False
        harness.prepare(store)
        env = harness.environ(local, rules)
        env.update(SOCMED_QUEUE_URL=bouncer.url(database), SOCMED_TEST_QUEUE_LISTEN="n")
        pool = harness.Workers(store, env, tmp_path)
        pool.start(2)
        seeded = harness.seed(store, local, 6, timedelta(seconds=0.5))
        harness.wait_done(store, seeded, timeout=120)
        pool.stop()
        figures = harness.check(store, local, seeded)
        logins = bouncer.logins(database)
    assert figures["posts"] == 30
    assert logins >= 3, "the queue's connections did not go through PgBouncer"


def test_the_event_store_cannot_go_through_pgbouncer_transaction_mode(database: str) -> None:
    """eventsourcing's PostgreSQL recorder prepares its statements on the server
    (`prepare=True`); PgBouncer before 1.21 cannot follow a prepared statement from one
    server connection to the next in transaction mode. When this starts to pass (a PgBouncer
    with max_prepared_statements), docs/scaling.md should say so."""
    from eventsourcing.persistence import PersistenceError

    from socmed_adapters.bootstrap import bootstrap
    from socmed_domain.errors import SocmedError
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import ContentType, Draft
    from tests.conftest import seed_team

    with PgBouncer(POSTGRES_URL) as bouncer, \
            pytest.raises((PersistenceError, SocmedError)) as raised:
        services = bootstrap(None, database_url=bouncer.url(database))
        try:
            seed_team(services.app)
            for n in range(30):
                services.app.create_content("budi.dm", f"Uji {n}", Draft(
                    "Halo dari Bank Nusa.", (Platform.X,), ContentType.TEXT))
        finally:
            services.close()
    assert "prepared statement" in str(raised.value)
