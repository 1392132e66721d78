"""Fixtures for the CLI tests: an isolated click runner, a team store and a demo store.

Every invocation runs in-process through `click.testing.CliRunner` with an explicit
environment: the machine's $LANG, $SOCMED_USER, $SOCMED_HOME, ... never leak into a test.
Stores are SQLite folders under pytest's tmp_path; templates are built once per session and
copied for tests that write.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.helpers import TEAM, Socmed, created_id, current_hash


@pytest.fixture
def socmed(tmp_path: Path) -> Socmed:
    """A runner bound to an empty data dir of this test."""
    return Socmed(tmp_path / "store")


def _build_team_store(data_dir: Path) -> dict[str, str]:
    """init + the team + items in the states the error tests need; returns their ids."""
    run = Socmed(data_dir)
    run.ok("init", "--org", "PT Contoh Tbk", "--manager", "rina.mm", "--name", "Rina Wijaya")
    for handle, name, role in TEAM:
        run.ok("--as", "rina.mm", "team", "add", handle, "--name", name, "--role", role)

    def create(title: str, *platforms: str) -> str:
        options = [arg for p in platforms for arg in ("--platform", p)]
        return created_id(run.ok("--as", "budi.dm", "content", "create", "--title", title,
                                 "--text", f"{title}: info produk", *options))

    ids = {"draft": create("Draft saja", "linkedin")}
    ids["in_review"] = create("Sedang direview", "linkedin")
    run.ok("--as", "budi.dm", "content", "submit-review", ids["in_review"])
    ids["awaiting"] = create("Menunggu persetujuan", "linkedin", "x")
    run.ok("--as", "budi.dm", "content", "submit-review", ids["awaiting"])
    run.ok("--as", "dewi.dm", "content", "review", ids["awaiting"], "--all-checks")
    run.ok("--as", "budi.dm", "content", "submit-approval", ids["awaiting"])
    ids["approved"] = create("Sudah disetujui", "linkedin", "x")
    run.ok("--as", "budi.dm", "content", "submit-review", ids["approved"])
    run.ok("--as", "dewi.dm", "content", "review", ids["approved"], "--all-checks")
    run.ok("--as", "budi.dm", "content", "submit-approval", ids["approved"])
    run.ok("--as", "rina.mm", "content", "approve", ids["approved"], "--hash",
           current_hash(run, ids["approved"]))
    return ids


@pytest.fixture(scope="session")
def team_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("team-template") / "store"
    return folder, _build_team_store(folder)


@pytest.fixture
def team_store(team_template: tuple[Path, dict[str, str]],
               tmp_path: Path) -> tuple[Socmed, dict[str, str]]:
    """A private copy of the team store: (runner bound to it, item ids by state)."""
    template, ids = team_template
    folder = tmp_path / "store"
    shutil.copytree(template, folder)
    return Socmed(folder), ids


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    """One full (not quiet) demo month, shared read-only by the tests that only read."""
    folder = tmp_path_factory.mktemp("demo") / "store"
    result = Socmed(folder).ok("demo")
    return folder, result


@pytest.fixture
def demo_store(demo_run: tuple[Path, Result]) -> Socmed:
    """The shared demo store: read-only use (reads may only catch projections up)."""
    return Socmed(demo_run[0])


@pytest.fixture
def demo_copy(demo_run: tuple[Path, Result], tmp_path: Path) -> Socmed:
    """A private copy of the demo store for tests that write."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_run[0], folder)
    return Socmed(folder)



@pytest.fixture
def remote_sqlite(tmp_path: Path) -> Iterator[tuple[Any, Any, Any]]:
    """A served SQLite store with a remote and a local CLI (tests.cli.test_remote_mode)."""
    from tests.cli.test_remote_mode import serving
    from tests.conftest import Backend

    backend = Backend("sqlite", tmp_path / "store", None)
    try:
        with serving(backend, tmp_path) as made:
            yield made
    finally:
        backend.close()
