"""Malformed files and arguments: one line naming the file (line, column) or the option, exit
1 or 2, nothing written, never an internal error (issue 13, items 4-6).

Every command that reads a user's file is fed the same bad files: UTF-16, Latin-1, binary,
deeply nested, a lone surrogate, an over-long CSV field, a FIFO and /dev/zero.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from socmed_adapters import files
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import MESSAGES
from tests.cli.helpers import Socmed, assert_one_line_error, event_count

#: (file suffix, the command after the file is made: FILE is replaced by its path)
COMMANDS = {
    "strategy draft": (".toml", ["--as", "budi.dm", "strategy", "draft", "--file", "FILE"]),
    "strategy edit": (".toml", ["--as", "budi.dm", "strategy", "edit", "--file", "FILE"]),
    "strategy revise": (".toml", ["--as", "budi.dm", "strategy", "revise", "--file", "FILE",
                                  "--reason", "x"]),
    "inbox ingest jsonl": (".jsonl", ["--as", "adi.admin", "inbox", "ingest", "FILE"]),
    "inbox ingest csv": (".csv", ["--as", "adi.admin", "inbox", "ingest", "FILE"]),
    "metrics import": (".csv", ["--as", "adi.admin", "metrics", "import", "FILE"]),
    "inbox webhook": (".json", ["--as", "adi.admin", "inbox", "webhook", "--platform", "x",
                                "--file", "FILE", "--signature", "sha256=x"]),
    "audit verify --manifest": (".json", ["--as", "sari.legal", "audit", "verify",
                                          "--manifest", "FILE"]),
}

DEEP_JSON = b"[" * 20000 + b"]" * 20000 + b"\n"
DEEP_TOML = b"x = " + b"[" * 20000 + b"]" * 20000 + b"\n"
#: (content, the message fragment expected in English); content None: a special file.
BAD = {
    "utf16": ("caf\u00e9 = 1\n".encode("utf-16"), "is UTF-16 text: save it as UTF-8"),
    "utf16 without BOM": ("abcdef = 1\n".encode("utf-16-le"), "is UTF-16 text"),
    "latin1": ("title = 'caf\u00e9'\n".encode("latin-1"),
               "line 1, column 13: byte 0xE9 is not UTF-8 (Latin-1"),
    "binary": (b"\x00\x00\x00\rIHDR\x89PNG\r\n\x1a\n", "line 1, column 1: binary data"),
    "empty": (b"", None),
}


@pytest.fixture
def store(team_store: tuple[Socmed, dict[str, str]]) -> Socmed:
    run, _ = team_store
    return run


#: The X consumer secret the webhook command checks signatures with.
SECRET = {"SOCMED_X_CONSUMER_SECRET": "x-secret"}


def _args(command: str, path: Path | str) -> list[str]:
    """The command's arguments; a webhook body is signed with SECRET, so what is tested is
    the reading of a delivery that passed its signature check."""
    args = [str(path) if a == "FILE" else a for a in COMMANDS[command][1]]
    if command == "inbox webhook" and Path(path).is_file():
        import base64
        import hashlib
        import hmac

        digest = hmac.new(b"x-secret", Path(path).read_bytes(), hashlib.sha256).digest()
        args[-1] = "sha256=" + base64.b64encode(digest).decode()
    return args


@pytest.mark.parametrize("bad", [b for b in BAD if BAD[b][1]])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_badly_encoded_files_are_one_line(store: Socmed, tmp_path: Path, command: str,
                                          bad: str) -> None:
    assert store.data_dir is not None
    content, expected = BAD[bad]
    path = tmp_path / f"bad{COMMANDS[command][0]}"
    path.write_bytes(content)
    before = event_count(store.data_dir)
    line = assert_one_line_error(store(*_args(command, path), env=SECRET), exit_code=1)
    assert expected in line and str(path) in line, line
    assert event_count(store.data_dir) == before


@pytest.mark.parametrize("command", list(COMMANDS))
def test_dev_zero_and_fifos_are_refused_at_once(store: Socmed, tmp_path: Path,
                                                command: str) -> None:
    fifo = tmp_path / f"pipe{COMMANDS[command][0]}"
    os.mkfifo(fifo)
    for path in ("/dev/zero", fifo):
        started = time.monotonic()
        line = assert_one_line_error(store(*_args(command, path)), exit_code=1)
        assert f"{path} is not a regular file" in line
        assert time.monotonic() - started < 10


@pytest.mark.parametrize("command", [c for c in COMMANDS if COMMANDS[c][0] != ".csv"])
def test_deeply_nested_files_are_refused(store: Socmed, tmp_path: Path, command: str) -> None:
    suffix = COMMANDS[command][0]
    path = tmp_path / f"deep{suffix}"
    path.write_bytes(DEEP_TOML if suffix == ".toml" else DEEP_JSON)
    line = assert_one_line_error(store(*_args(command, path), env=SECRET), exit_code=1)
    assert "nested deeper than" in line, line


def test_lone_surrogates_and_odd_numbers_in_json_lines(store: Socmed, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(GOOD_LINE + '{"text": "\\ud800"}\n', encoding="utf-8")
    line = assert_one_line_error(store("--as", "adi.admin", "inbox", "ingest", str(path)))
    assert "line 2: a string holds a lone surrogate escape" in line
    path.write_text('\n\n{"received_at": 1e400}\n', encoding="utf-8")
    line = assert_one_line_error(store("--as", "adi.admin", "inbox", "ingest", str(path)))
    assert "line 3: 1e400 is not a finite number in range" in line
    path.write_text('{"a": NaN}\n', encoding="utf-8")
    line = assert_one_line_error(store("--as", "adi.admin", "inbox", "ingest", str(path)))
    assert "line 1: NaN is not a finite number" in line
    path.write_text('{"a": 1,\n', encoding="utf-8")
    line = assert_one_line_error(store("--as", "adi.admin", "inbox", "ingest", str(path)))
    assert "line 1, column 9: not valid JSON" in line


GOOD_LINE = ('{"platform": "x", "kind": "mention", "message_id": "m1", "author_handle": '
             '"sari", "text": "halo", "received_at": "2026-12-01T10:00:00+07:00"}\n')


@pytest.mark.parametrize(("command", "header"), [
    ("inbox ingest csv", "platform,kind,text"),
    ("metrics import", "platform,post_id,measured_at,reach")])
def test_a_csv_field_over_the_limit_is_one_line(store: Socmed, tmp_path: Path, command: str,
                                                header: str) -> None:
    path = tmp_path / "big.csv"
    path.write_text(header + "\nx,comment,\"" + "a" * 200_000 + "\"\n", encoding="utf-8")
    line = assert_one_line_error(store(*_args(command, path)), exit_code=1)
    assert "line 2: a field is longer than 131072 characters" in line, line


def test_a_bom_is_accepted(store: Socmed, tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_LINE.encode())
    before = len(store.json("--as", "adi.admin", "inbox", "list", "--platform", "x"))
    store.ok("--as", "adi.admin", "inbox", "ingest", str(path))
    assert len(store.json("--as", "adi.admin", "inbox", "list", "--platform", "x")) == before + 1


def test_a_toml_syntax_error_names_line_and_column(store: Socmed, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[goals]\nreach = = 3\n", encoding="utf-8")
    line = assert_one_line_error(store("--as", "budi.dm", "strategy", "draft", "--file",
                                       str(path)))
    assert f"{path} line 2, column 9: not valid TOML" in line, line


def test_indonesian_file_messages(store: Socmed, tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes("x = 'caf\u00e9'\n".encode("latin-1"))
    line = assert_one_line_error(store("--lang", "id", "--as", "budi.dm", "strategy", "draft",
                                       "--file", str(path)), prefix="galat: ")
    assert "baris 1, kolom 9: byte 0xE9 bukan UTF-8" in line
    line = assert_one_line_error(store("--lang", "id", "--as", "budi.dm", "strategy", "draft",
                                       "--file", "/dev/zero"), prefix="galat: ")
    assert "/dev/zero bukan berkas biasa" in line


# ------------------------------------------------------------------- audit files


@pytest.fixture
def bundle(store: Socmed, tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    store.ok("--as", "sari.legal", "audit", "export", "--out", str(folder))
    store.ok("--as", "sari.legal", "audit", "verify-bundle", str(folder))
    return folder


MANIFESTS = {
    "not JSON": (b"manifest", "line 1, column 1: not valid JSON"),
    "a list": (b"[1, 2]", "'manifest' must be a JSON object"),
    "a string position": (b'{"last_position": "9", "last_link": "ab"}',
                          "'last_position' must be a whole number of 0 or more"),
    "a negative position": (b'{"last_position": -1}',
                            "'last_position' must be a whole number of 0 or more"),
    "a true position": (b'{"last_position": true}', "'last_position' must be a whole number"),
    "a float position": (b'{"last_position": 1.5}', "'last_position' must be a whole number"),
    "a numeric link": (b'{"last_position": 3, "last_link": 7}',
                       "'last_link' must be 64 hexadecimal digits or null"),
    "a short link": (b'{"last_position": 3, "last_link": "abc"}',
                     "'last_link' must be 64 hexadecimal digits"),
    "a head that is a list": (b'{"chain_head": [1]}', "'chain_head' must be a JSON object"),
    "a negative head": (b'{"chain_head": {"position": -5, "link": null}}',
                        "'chain_head.position' must be a whole number"),
    "a huge integer": (b'{"last_position": 1' + b"0" * 5000 + b"}",
                       "is not a finite number in range"),
}


@pytest.mark.parametrize("name", list(MANIFESTS))
def test_wrong_manifests_are_one_line(store: Socmed, tmp_path: Path, name: str) -> None:
    content, expected = MANIFESTS[name]
    path = tmp_path / "manifest.json"
    path.write_bytes(content)
    line = assert_one_line_error(store("--as", "sari.legal", "audit", "verify", "--manifest",
                                       str(path)), exit_code=1)
    assert expected in line, line
    assert "'socmed audit export'" in line or "JSON" in line or "number" in line


@pytest.mark.parametrize(("change", "expected"), [
    (lambda folder: (folder / "manifest.json").write_text("{bad", encoding="utf-8"),
     "manifest.json line 1, column 2: not valid JSON"),
    (lambda folder: _edit_manifest(folder, events_sha256=None),
     "'events_sha256' must be 64 hexadecimal digits"),
    (lambda folder: _edit_manifest(folder, count="3"), "'count' must be a whole number"),
    (lambda folder: (folder / "events.jsonl").write_bytes(b"\x00\x01\x02binary"),
     "events.jsonl line 1, column 1: binary data"),
    (lambda folder: (folder / "events.jsonl").write_text('{"position": "x"}\n',
                                                         encoding="utf-8"),
     "events.jsonl:1: 'position' must be a whole number"),
    (lambda folder: (folder / "events.jsonl").write_text(
        '{"position": 1, "version": 1, "originator_id": "nope", "topic": "t", "state": "{}",'
        ' "link": null}\n', encoding="utf-8"),
     "events.jsonl:1: 'originator_id' must be a UUID"),
    (lambda folder: (folder / "manifest.json").unlink(), "manifest.json: no such file"),
])
def test_wrong_bundles_are_one_line(store: Socmed, bundle: Path, change, expected: str
                                    ) -> None:  # type: ignore[no-untyped-def]
    change(bundle)
    line = assert_one_line_error(store("--as", "sari.legal", "audit", "verify-bundle",
                                       str(bundle)), exit_code=1)
    assert expected in line, line


def _edit_manifest(folder: Path, **changes: object) -> None:
    import json

    path = folder / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            manifest.pop(key, None)
        else:
            manifest[key] = value
    path.write_text(json.dumps(manifest), encoding="utf-8")


def test_an_intact_manifest_still_verifies(store: Socmed, bundle: Path) -> None:
    result = store.ok("--as", "sari.legal", "audit", "verify", "--manifest",
                      str(bundle / "manifest.json"))
    assert "chain intact" in result.stdout


# ------------------------------------------------------------------- the module


def test_limits_are_checked_before_and_while_reading(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.json"
    path.write_bytes(b"[" + b"1," * 600 + b"1]")
    monkeypatch.setitem(files.LIMITS, "manifest", 1000)
    with pytest.raises(InvalidInputError) as caught:
        files.read_json(path, "manifest")
    assert caught.value.code == "error.file_too_large"
    assert "over the limit of 1000 bytes" in caught.value.message()
    assert "melebihi batas 1000 byte" in caught.value.message("id")
    monkeypatch.setattr(files, "MAX_LINE", 100)
    path.write_bytes(b'{"a": "' + b"x" * 200 + b'"}\n')
    with pytest.raises(InvalidInputError) as caught:
        list(files.iter_json_lines(path, "interactions"))
    assert caught.value.code == "error.file_line_too_long"
    assert "line 1: longer than 100 bytes" in caught.value.message()
    assert "baris 1: lebih dari 100 byte" in caught.value.message("id")


def test_a_fifo_without_a_writer_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            files.read_text(fifo, "strategy")
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive()
    assert isinstance(outcome[0], InvalidInputError)
    assert outcome[0].code == "error.file_not_regular"


def test_a_folder_and_a_missing_file(tmp_path: Path) -> None:
    for path, code, en, id_ in ((tmp_path, "error.file_not_regular", "not a regular file",
                                 "bukan berkas biasa"),
                                (tmp_path / "nope", "error.file_missing", "no such file",
                                 "berkas tidak ada")):
        with pytest.raises(InvalidInputError) as caught:
            files.read_bytes(path, "strategy")
        assert caught.value.code == code
        assert en in caught.value.message() and id_ in caught.value.message("id")


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0,
                    reason="root reads any file")
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.toml"
    path.write_text("a = 1\n", encoding="utf-8")
    path.chmod(0)
    with pytest.raises(InvalidInputError) as caught:
        files.read_toml(path, "strategy")
    assert caught.value.code == "error.file_unreadable"
    assert caught.value.message().startswith(f"cannot read {path}: Permission denied")
    assert caught.value.message("id").startswith(f"{path} tidak dapat dibaca")


def test_positions_count_characters_not_bytes() -> None:
    data = "baris satu\nkolom é ü ".encode() + b"\xff"
    with pytest.raises(InvalidInputError) as caught:
        files.decode(data, "f.txt")
    assert caught.value.params["line"] == 2 and caught.value.params["column"] == 11


def test_every_file_message_exists_in_both_languages() -> None:
    codes = [code for code in MESSAGES if code.startswith(("error.file_", "error.arg_",
                                                           "error.storage_u"))]
    assert len(codes) >= 17
    for code in codes:
        assert MESSAGES[code]["en"] and MESSAGES[code]["id"]
        assert MESSAGES[code]["en"] != MESSAGES[code]["id"]


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize(("args", "option"), [
    (["--as", "budi.dm", "content", "create", "--title", "t", "--text", "x",
      "--media", "\udcff\udcfe"], "--media"),
    (["--as", "budi.dm", "campaign", "plan", "--name", "n", "--goal", "\udcff"], "--goal"),
    (["--as", "adi.admin", "inbox", "reply", "abcd", "--text", "\udcff"], "--text"),
    (["--as", "adi.admin", "inbox", "webhook", "--platform", "x", "--file", "f",
      "--signature", "\udcff"], "--signature"),
    (["--as", "budi.dm", "content", "create", "--title=caf\udce9"], "--title"),
    (["--as", "budi.dm", "content", "show", "\udcff"], "argument 7"),
])
def test_invalid_utf8_arguments_are_one_line(store: Socmed, args: list[str],
                                             option: str) -> None:
    assert store.data_dir is not None
    before = event_count(store.data_dir)
    line = assert_one_line_error(store(*args), exit_code=2)
    assert line == (f"error: {option} is not valid UTF-8 text: type it again, or set the "
                    "terminal to UTF-8")
    assert event_count(store.data_dir) == before


def test_invalid_utf8_arguments_in_indonesian(store: Socmed) -> None:
    line = assert_one_line_error(store("--lang", "id", "--as", "budi.dm", "content", "show",
                                       "\udcff"), prefix="galat: ", exit_code=2)
    assert line == ("galat: argumen ke-9 bukan teks UTF-8 yang valid: ketik ulang, atau atur "
                    "terminal ke UTF-8")


def test_long_inputs_are_quoted_short(store: Socmed) -> None:
    huge = "a" * 100_000
    for args in (["--as", "budi.dm", "content", "show", huge],
                 ["--as", "budi.dm", "campaign", "show", huge],
                 ["--as", "adi.admin", "inbox", "show", huge],
                 ["--as", "budi.dm", "content", "list", "--format", huge],
                 ["--as", huge, "content", "create", "--title", "t", "--text", "x",
                  "--platform", "x"],
                 ["--as", "budi.dm", "content", "create", "--title", huge, "--text", "x",
                  "--platform", "x"]):
        line = assert_one_line_error(store(*args))
        assert len(line) < 700, (args[:4], len(line))
        assert "a" * 80 not in line
        assert "…" in line or "a" * 20 not in line
        assert "database" not in line


def test_a_long_id_prefix_is_not_found(store: Socmed) -> None:
    line = assert_one_line_error(store("--as", "budi.dm", "content", "show", "a" * 100_000),
                                 exit_code=1)
    assert line.startswith("error: no content 'aaaa") and "content list" in line
    line = assert_one_line_error(store("--lang", "id", "--as", "budi.dm", "content", "show",
                                       "a" * 100_000), prefix="galat: ", exit_code=1)
    assert "a" * 80 not in line


# --------------------------------------------------------------- database URLs


@pytest.mark.parametrize(("url", "detail"), [
    ("postgresql://[::1", "Invalid IPv6 URL"),
    ("postgresql://postgres@127.0.0.1:99999/x", "Port out of range"),
    ("postgresql://postgres@127.0.0.1:0/x", "port 0"),
    ("postgresql://postgres@127.0.0.1:port/x", "Port could not be cast"),
])
def test_malformed_database_urls_are_one_line(tmp_path: Path, url: str, detail: str) -> None:
    line = assert_one_line_error(Socmed(tmp_path)("--database-url", url, "content", "list"),
                                 exit_code=1)
    assert line.startswith("error: malformed database URL (") and detail in line, line
    line = assert_one_line_error(Socmed(tmp_path)("--lang", "id", "--database-url", url,
                                                  "content", "list"), prefix="galat: ")
    assert line.startswith("galat: URL basis data salah bentuk (")


def test_an_unreachable_server_is_reported_within_three_seconds(tmp_path: Path) -> None:
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://postgres@127.0.0.1:{port}/socmed"
    started = time.monotonic()
    result = Socmed(tmp_path)("--database-url", url, "content", "list")
    took = time.monotonic() - started
    line = assert_one_line_error(result, exit_code=1)
    assert took < 3.0, took
    assert line.startswith(f"error: cannot reach the database server at 127.0.0.1:{port} (")
    assert "check that PostgreSQL runs there" in line
    line = assert_one_line_error(Socmed(tmp_path)("--lang", "id", "--database-url", url,
                                                  "content", "list"), prefix="galat: ")
    assert f"server basis data di 127.0.0.1:{port} tidak terjangkau" in line


def test_the_id_of_another_kind_of_record_is_not_found(demo_store: Socmed) -> None:
    campaign = demo_store.json("campaign", "list")[0]["id"]
    incident = demo_store.json("incident", "list")[0]["id"]
    for args, expected in (
            (["content", "show", campaign], f"error: no content '{campaign}'"),
            (["--as", "rina.mm", "content", "approve", incident], f"error: no content "
                                                                  f"'{incident}'"),
            (["--as", "rina.mm", "publish", "reconcile", incident, "--platform", "x",
              "--lookup", "--note", "n"], f"error: no content '{incident}'"),
            (["inbox", "show", campaign], f"error: no conversation '{campaign}'")):
        line = assert_one_line_error(demo_store(*args), exit_code=1)
        assert line.startswith(expected), line


def test_error_parameters_are_quoted_short_in_both_languages() -> None:
    from socmed_domain.errors import NotFoundError

    error = NotFoundError(kind="content", ref="b" * 5000, listing="content list")
    for lang in ("en", "id"):
        message = error.message(lang)
        assert "b" * 79 + "…" in message and "b" * 80 not in message
        assert message.endswith("content list'") or "content list" in message
    long_path = InvalidInputError("error.file_missing", path="/d/" + "p" * 1000)
    assert len(long_path.message()) < 260 and "…" in long_path.message()


def test_the_cli_error_printer_bounds_what_it_quotes() -> None:
    from socmed_cli.main import LINE_LIMIT, _shorten

    line = _shorten("Invalid value for '--at': '" + "x" * 500 + "' is not a time")
    assert line == "Invalid value for '--at': '" + "x" * 79 + "…' is not a time"
    assert len(_shorten("y " * 5000)) == LINE_LIMIT
    assert _shorten("bad \udcff byte") == "bad ? byte"


def test_a_100kb_data_dir_is_one_short_line(tmp_path: Path) -> None:
    result = Socmed(tmp_path / ("d" * 100_000))("content", "list")
    line = assert_one_line_error(result, exit_code=1)
    assert len(line) < 400, len(line)


@pytest.mark.parametrize(("change", "expected"), [
    ((b'"time": 1798536000', b'"time": 1e400'), "1e400 is not a finite number in range"),
    ((b'"time": 1798536000', b'"time": 1e20'), "outside the supported range"),
    ((b'"sama kak, aku juga"', b'"\\ud800"'), "lone surrogate escape"),
    ((b'{"object"', b'[' * 20000 + b']' * 20000 + b', {"object"'), "nested deeper than 64"),
])
def test_signed_but_malformed_captured_deliveries(store: Socmed, tmp_path: Path,
                                                  change: tuple[bytes, bytes],
                                                  expected: str) -> None:
    import hashlib
    import hmac

    assert store.data_dir is not None
    body = (Path(__file__).parents[1] / "data" / "webhooks" / "instagram_comments.json"
            ).read_bytes().replace(*change)
    path = tmp_path / "body.json"
    path.write_bytes(body)
    signature = "sha256=" + hmac.new(b"meta-secret", body, hashlib.sha256).hexdigest()
    before = event_count(store.data_dir)
    for lang, prefix, start in (("en", "error: ", "webhook from Meta not read ("),
                                ("id", "galat: ", "webhook dari Meta tidak terbaca (")):
        line = assert_one_line_error(store(
            "--lang", lang, "--as", "adi.admin", "inbox", "webhook", "--platform",
            "instagram", "--file", str(path), "--signature", signature,
            env={"SOCMED_META_APP_SECRET": "meta-secret"}), prefix=prefix, exit_code=1)
        assert line.startswith(prefix + start), line
        if lang == "en":
            assert expected in line, line
    assert event_count(store.data_dir) == before
