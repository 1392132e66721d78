"""The witness: an append-only copy of every signed checkpoint, kept on other storage.

A database writer can delete the newest events with their links, or recompute the whole
chain; the copy of each checkpoint the witness holds is out of their reach, so
`audit verify --witness PATH` proves that every event at or before the newest witnessed
position is still there, unchanged, with nothing inserted (see docs/audit-guide.md for WORM
storage: S3 Object Lock in compliance mode, `chattr +a`, a WORM share).

$SOCMED_AUDIT_WITNESS names it: an existing folder gets one new file per checkpoint (created
exclusively, never rewritten: what object-locked buckets and WORM shares accept); any other
path is a file that gets one JSON line appended per checkpoint (what `chattr +a` allows).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from socmed_adapters.audit.signing import FORMAT, Checkpoint

WITNESS_ENV = "SOCMED_AUDIT_WITNESS"
#: A witness is small (a line per checkpoint); refuse to read more than this.
MAX_WITNESS_BYTES = 64 * 1024 * 1024
MAX_ENTRY_BYTES = 4096
log = logging.getLogger(__name__)


class Witness:
    def __init__(self, path: Path) -> None:
        self.path = path

    def append(self, checkpoint: Checkpoint) -> None:
        data = json.dumps(checkpoint.as_json(), sort_keys=True)
        if self.path.is_dir():
            name = f"checkpoint-{checkpoint.position:015d}-{checkpoint.signature[:16]}.json"
            fd = os.open(self.path / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
            payload = data + "\n"
        else:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
            payload = data + "\n"
        try:
            os.write(fd, payload.encode())
            os.fsync(fd)
        finally:
            os.close(fd)

    def append_quietly(self, checkpoints: list[Checkpoint]) -> None:
        """After the events are committed: a witness that cannot be written (storage
        away) must not fail the command; the next checkpoint is witnessed instead, and the
        gap shows as an older witnessed head."""
        for checkpoint in checkpoints:
            try:
                self.append(checkpoint)
            except OSError as error:
                log.warning("audit witness %s not written: %s", self.path, error)


def configured_witness() -> Witness | None:
    named = os.environ.get(WITNESS_ENV)
    return Witness(Path(named).expanduser()) if named else None


def read_witness(path: Path) -> tuple[list[Checkpoint], list[str]]:
    """Every checkpoint a witness holds, and what could not be read (one text each)."""
    if path.is_dir():
        texts = []
        for entry in sorted(path.iterdir()):
            if entry.is_file() and entry.name.startswith("checkpoint-"):
                texts.append((entry.name, _read_bounded(entry, MAX_ENTRY_BYTES)))
    else:
        body = _read_bounded(path, MAX_WITNESS_BYTES)
        texts = [(f"line {number}", line) for number, line in
                 enumerate(body.splitlines(), start=1) if line.strip()]
    checkpoints, problems = [], []
    for where, text in texts:
        try:
            checkpoints.append(_parse(text))
        except (ValueError, TypeError, KeyError) as error:
            problems.append(f"{where}: {error}")
    return checkpoints, problems


def _read_bounded(path: Path, limit: int) -> str:
    if not path.is_file():
        raise OSError(f"{path} is not a regular file or folder")
    with path.open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise OSError(f"{path} is larger than {limit} bytes")
    return data.decode("utf-8")


def _parse(text: str) -> Checkpoint:
    if len(text) > MAX_ENTRY_BYTES:
        raise ValueError("entry too long")
    record: Any = json.loads(text)
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ValueError(f"not a {FORMAT} entry")
    position = record["position"]
    if not isinstance(position, int) or isinstance(position, bool) or position < 1:
        raise ValueError("position is not a positive integer")
    fields = ("link", "created_at", "algorithm", "key_id", "signature")
    if not all(isinstance(record[name], str) for name in fields):
        raise ValueError("a field is not text")
    return Checkpoint(position, record["link"], record["created_at"], record["algorithm"],
                      record["key_id"], record["signature"])
