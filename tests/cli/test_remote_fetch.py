"""`socmed inbox fetch` through a server: the server reads the platforms (the local platform
servers) with its own credentials and ingests; the CLI prints what it prints on the store;
a platform that refuses is one line and nothing is written; a role that may not ingest is
refused before any platform is asked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from socmed_domain.platforms import Platform
from socmed_testing.platforms import LocalPlatforms
from tests.cli.helpers import Socmed
from tests.cli.test_inbox_fetch import _publish
from tests.cli.test_remote_mode import Remote, password


@pytest.fixture
def served_world(team_store: Any, tmp_path: Path,
                 monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Any, Remote, Socmed]]:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_web.app import create_app
    from tests.web.live import uvicorn_thread

    run, _ = team_store
    with LocalPlatforms() as local:
        posts = _publish(run, local)
        local.x.seed_reply(posts[Platform.X], "kemarin saldo saya kepotong 2x",
                           age=timedelta(minutes=10))
        local.x.seed_dm("min tolong cek DM, transfer saya belum masuk",
                        age=timedelta(minutes=5))
        local.facebook.seed_comment(posts[Platform.FACEBOOK], "Syukurlah sudah normal",
                                    age=timedelta(minutes=20))
        env = local.environ()
        env.pop("SOCMED_TIKTOK_TOKEN", None)
        for key, value in env.items():  # the server's own configuration
            monkeypatch.setenv(key, value)
        services = bootstrap(run.data_dir)
        try:
            identity = services.app.identity
            for member in ("adi.admin", "sari.legal"):
                identity.set_up_account(member, identity.invite("joko.mm", member).code,
                                        password(member))
            with uvicorn_thread(create_app(services)) as url:
                yield services, Remote(url, tmp_path / "config"), run
        finally:
            services.close()


def test_fetch_through_the_server(served_world: tuple[Any, Remote, Socmed]) -> None:
    services, remote, _ = served_world
    remote.login("sari.legal")
    count = services.app.audit.event_count()
    refused = remote("inbox", "fetch", "--since", "1h")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "legal" in refused.stderr and services.app.audit.event_count() == count
    remote.as_member("adi.admin")
    out = remote.ok("inbox", "fetch", "--since", "1h", "--no-alerts").stdout
    assert out.startswith("Fetched from instagram, facebook, linkedin, x"), out
    assert "Ingested 3 new interactions of 3" in out
    again = remote.ok("inbox", "fetch", "--no-alerts").stdout
    assert "Ingested 0 new interactions of 3 (3 already here)" in again
    only_x = remote.ok("inbox", "fetch", "--platform", "x", "--no-alerts").stdout
    assert "Fetched from x" in only_x and "of 2 " in only_x
    listed = json.loads(remote.ok("inbox", "list", "--format", "json").stdout)
    assert {row["platform"] for row in listed} == {"facebook", "x"}


def test_metrics_fetch_through_the_server(served_world: tuple[Any, Remote, Socmed]) -> None:
    services, remote, run = served_world
    remote.login("sari.legal")
    count = services.app.audit.event_count()
    refused = remote("metrics", "fetch")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1, refused.stderr
    assert services.app.audit.event_count() == count
    remote.as_member("adi.admin")
    out = remote.ok("metrics", "fetch").stdout
    assert out.startswith("Fetched insights of 3 posts"), out
    assert services.app.audit.event_count() > count
    latest = run.json("metrics", "latest")  # on the store the server recorded into
    assert {row["platform"] for row in latest} >= {"facebook", "linkedin", "x"}
