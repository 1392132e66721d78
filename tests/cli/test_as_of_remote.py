"""`--as-of` as of now prints what the live listing prints, on the store and through a
server."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.cli.test_remote_mode import Local, Remote

LISTINGS = (
    ("content", "list"),
    ("calendar", "show", "--month", "2026-12"),
    ("publish", "log"),
    ("inbox", "list", "--all"),
    ("incident", "list"),
    ("campaign", "list"),
)


def test_as_of_through_the_server_and_on_the_store(remote_sqlite: tuple[Any, Remote, Local],
                                                   ) -> None:
    _services, remote, local = remote_sqlite
    remote.login("rina.mm")
    now = datetime.now(UTC).isoformat()
    for listing in LISTINGS:
        args = (*listing, "--format", "csv")
        live = local.ok(*args).stdout
        assert local.ok(*args, "--as-of", now).stdout == live, listing
        # the server withholds the audience's handles and texts from this role, as it does
        # in the live listing
        assert remote.ok(*args, "--as-of", now).stdout == remote.ok(*args).stdout, listing
    refused = remote("content", "list", "--as-of", "kemarin")
    assert refused.exit_code != 0 and refused.stderr.count("\n") == 1
    assert "'kemarin' is not a time" in refused.stderr
