"""`socmed audit keygen`, `audit checkpoint`, `audit verify --witness` and the settings they
read: what they write, and one line (English or Indonesian) for everything that is wrong."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.cli.helpers import Socmed


def keys_env(tmp_path: Path, **extra: str) -> dict[str, str | None]:
    return {"SOCMED_AUDIT_SIGNING_KEY": str(tmp_path / "keys" / "audit-signing-key.pem"),
            "SOCMED_AUDIT_VERIFY_KEY": str(tmp_path / "keys" / "audit-verify-key.pem"),
            **extra}


def one_error_line(result: Any, start: str = "error: ") -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), result.stderr
    assert "Traceback" not in result.output
    return str(lines[0])


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites_it(
        socmed: Socmed, tmp_path: Path) -> None:
    made = socmed.ok("audit", "keygen", "--dir", str(tmp_path / "keys"))
    private = tmp_path / "keys" / "audit-signing-key.pem"
    assert f"checkpoint signing key {private}" in made.stdout
    assert os.stat(private).st_mode & 0o777 == 0o600
    assert b"PRIVATE KEY" in private.read_bytes()
    before = private.read_bytes()
    again = socmed("audit", "keygen", "--dir", str(tmp_path / "keys"))
    assert "already exists: a signing key is never overwritten" in one_error_line(again)
    assert private.read_bytes() == before
    id_line = one_error_line(socmed("--lang", "id", "audit", "keygen", "--dir",
                                    str(tmp_path / "keys")), "galat: ")
    assert "tidak pernah ditimpa" in id_line


def test_writes_sign_checkpoints_that_verify_and_reach_the_witness(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    socmed, ids = team_store
    socmed.ok("audit", "keygen", "--dir", str(tmp_path / "keys"))
    witness = tmp_path / "witness"
    witness.mkdir()  # a folder: one new file per checkpoint
    env = keys_env(tmp_path, SOCMED_AUDIT_WITNESS=str(witness),
                   SOCMED_AUDIT_CHECKPOINT_EVENTS="2")
    for _ in range(3):
        socmed.ok("--as", "budi.dm", "content", "revise", ids["draft"], "--text", "Teks lain",
                  env=env)
    files = sorted(witness.iterdir())
    assert len(files) >= 2  # the first write, then every second event
    entry = json.loads(files[-1].read_text(encoding="utf-8"))
    assert entry["format"] == "socmed-audit-checkpoint/1" and len(entry["signature"]) == 128
    verified = socmed.ok("audit", "verify", "--witness", str(witness), env=env)
    assert f"witnessed up to position {entry['position']}" in verified.stdout
    # An entry someone appended without the private key is named.
    forged = dict(entry, position=entry["position"] + 1)
    (witness / "checkpoint-999999999999999-forged.json").write_text(json.dumps(forged))
    broken = socmed("audit", "verify", "--witness", str(witness), env=env)
    assert broken.exit_code == 1
    assert "(checkpoint: the witness holds a checkpoint at position" in broken.stderr


def test_checkpoint_and_witness_mistakes_are_one_line(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    socmed, _ids = team_store
    assert "no checkpoint signing key" in one_error_line(socmed("audit", "checkpoint"))
    socmed.ok("audit", "keygen", "--dir", str(tmp_path / "keys"))
    env = keys_env(tmp_path)
    made = socmed.ok("audit", "checkpoint", env=env)
    assert made.stdout.startswith("signed checkpoint at position ")
    unchecked = socmed.ok("audit", "verify", env={"SOCMED_AUDIT_VERIFY_KEY": None})
    assert unchecked.stderr.strip() == ("note: 1 signed checkpoint in the store not "
                                        "checked: give --public-key")
    assert "signed checkpoints checked: 1" in socmed.ok("audit", "verify", env=env).stdout
    assert "already has a signed checkpoint" in socmed.ok("audit", "checkpoint", env=env).stdout
    garbage = tmp_path / "garbage.jsonl"
    garbage.write_bytes(b"\xff\xfe not json\n")
    line = one_error_line(socmed("audit", "verify", "--witness", str(garbage), env=env))
    assert line.startswith(f"error: cannot read the witness {garbage}")
    garbage.write_text('{"format": "socmed-audit-checkpoint/1", "position": -4}\n')
    assert "position is not a positive integer" in one_error_line(
        socmed("audit", "verify", "--witness", str(garbage), env=env))
    no_key = {"SOCMED_AUDIT_VERIFY_KEY": None}
    assert "needs the checkpoint public key" in one_error_line(
        socmed("audit", "verify", "--witness", str(garbage), env=no_key))
    not_a_key = tmp_path / "not-a-key.pem"
    not_a_key.write_text("hello")
    assert f"cannot use the audit checkpoint key {not_a_key}" in one_error_line(
        socmed("audit", "verify", "--public-key", str(not_a_key)))
    bad_setting = keys_env(tmp_path, SOCMED_AUDIT_CHECKPOINT_EVENTS="0")
    line = one_error_line(socmed("--as", "budi.dm", "content", "create", "--title", "x",
                                 "--text", "y", "--platform", "linkedin", env=bad_setting))
    assert "SOCMED_AUDIT_CHECKPOINT_EVENTS='0' is not a positive number" in line
