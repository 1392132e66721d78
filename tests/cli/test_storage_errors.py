"""A store that cannot be used is one clear line and exit 1, never a traceback."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from tests.cli.helpers import Socmed
from tests.conftest import POSTGRES_URL, require_postgres


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port of this test's own: bound but never listening, so connections to it are
    refused and no other process can take it while the test runs (a fixed port number would
    depend on what happens to run on the machine)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


@pytest.mark.parametrize(("url", "expected"), [
    ("mysql://x/y", "error: unsupported database URL 'mysql://x/y'"),
    ("postgresql://postgres@127.0.0.1:{port}/nothing",
     "error: cannot reach the database server at 127.0.0.1:{port} (Connection refused)"),
])
def test_unusable_database_urls(tmp_path, closed_port: int, url: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    url = url.format(port=closed_port)
    expected = expected.format(port=closed_port)
    result = Socmed(tmp_path)("--database-url", url, "content", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith(expected)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr + result.stdout


def test_a_missing_schema_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    require_postgres()
    url = f"{POSTGRES_URL}{'&' if '?' in POSTGRES_URL else '?'}schema=no_such_schema"
    result = Socmed(tmp_path)("--database-url", url, "content", "list")
    assert result.exit_code == 1
    assert 'schema "no_such_schema" does not exist' in result.stderr
