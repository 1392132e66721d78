"""The CLI's login file and the decoding of API problems, without a server.

The token in `login.json` is a bearer secret: it is written 0600 from the first byte and a
file others can read is refused. A problem's code and params rebuild the same domain error,
so the CLI prints the line it prints on a local store.
"""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from socmed_adapters.remote.client import RemoteError, domain_error
from socmed_adapters.remote.credentials import (
    Login,
    LoginFileError,
    delete_login,
    load_login,
    login_path,
    normalise_server,
    save_login,
)
from socmed_domain.errors import NotFoundError, PermissionDeniedError

LOGIN = Login(server="http://127.0.0.1:8000", member_id="budi.dm", token_id="ab12cd34ef56",
              secret="socmed_ab12cd34ef56_secret", expires_at=datetime(2027, 1, 6, tzinfo=UTC))


@pytest.fixture(autouse=True)
def config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "config" / "socmed"
    monkeypatch.setenv("SOCMED_CONFIG_DIR", str(folder))
    return folder


def test_saved_with_mode_0600_in_a_0700_folder_and_read_back(config: Path) -> None:
    path = save_login(LOGIN)
    assert path == login_path() == config / "login.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config.stat().st_mode) == 0o700
    assert load_login() == LOGIN
    assert delete_login() and load_login() is None and not delete_login()


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o666])
def test_a_file_others_can_read_is_refused(mode: int) -> None:
    save_login(LOGIN).chmod(mode)
    with pytest.raises(LoginFileError) as refused:
        load_login()
    assert f"(mode {mode:04o})" in refused.value.message("en")
    assert "dapat dibaca pihak lain" in refused.value.message("id")


def test_a_corrupt_file_is_one_clear_refusal() -> None:
    save_login(LOGIN).write_text("{not json")
    with pytest.raises(LoginFileError) as refused:
        load_login()
    assert refused.value.code == "error.login_file_corrupt"


def test_server_urls_compare_without_trailing_slash_or_api_prefix() -> None:
    assert normalise_server("http://h:8000/") == "http://h:8000"
    assert normalise_server(" http://h:8000/api/v1/ ") == "http://h:8000"


def test_a_problem_rebuilds_the_domain_error_with_its_code_and_params() -> None:
    local = NotFoundError(kind="content", ref="zzzz", listing="content list")
    error = domain_error(404, {"code": "error.not_found", "detail": "x",
                               "params": {"kind": "content", "ref": "zzzz",
                                          "listing": "content list"}})
    assert isinstance(error, NotFoundError) and isinstance(error, RemoteError)
    for lang in ("en", "id"):
        assert error.message(lang) == local.message(lang)


def test_nested_messages_arrive_rendered_in_each_language() -> None:
    error = domain_error(403, {"code": "error.not_allowed", "detail": "x", "params": {
        "actor": "budi.dm", "role": "digital_marketing",
        "action": {"rendered": {"en": "approve content", "id": "menyetujui konten"}},
        "allowed": "marketing_manager"}})
    assert isinstance(error, PermissionDeniedError)
    assert "approve content" in error.message("en")
    assert "menyetujui konten" in error.message("id")


def test_an_unknown_code_prints_the_servers_sentence() -> None:
    error = domain_error(409, {"code": "error.from_a_newer_server", "detail": "as the server "
                               "put it", "params": {}})
    assert error.message("en") == "as the server put it"
