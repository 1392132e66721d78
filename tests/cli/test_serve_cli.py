"""`socmed serve`'s bad options: one line each, nothing served and nothing written. (The
command fuzz leaves `serve` out because a valid invocation serves until stopped.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, event_count


@pytest.mark.parametrize("args", [
    ("--port", "65536"), ("--port", "http"), ("--workers", "0"), ("--workers", "65"),
    ("--graceful-timeout", "0"), ("--no-such-option",),
])
def test_bad_serve_options_are_one_line_and_serve_nothing(tmp_path: Path,
                                                          args: tuple[str, ...]) -> None:
    run = Socmed(tmp_path / "store")
    run.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina")
    before = event_count(tmp_path / "store")
    assert_one_line_error(run("serve", *args), exit_code=2)
    assert event_count(tmp_path / "store") == before
