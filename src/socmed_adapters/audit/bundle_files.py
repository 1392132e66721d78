"""Reading an audit bundle's files (`manifest.json`, `events.jsonl`) as untrusted input.

A bundle travels: it is copied to Legal's laptop, mailed, kept for years, and `audit verify
--manifest` and `audit verify-bundle` read whatever file they are given. So the files are read
by socmed_adapters.files (size-bounded, UTF-8, no FIFO or device, bounded nesting) and every
field the checks use is validated for its type and range first: a wrong file is one line
naming the file and the field, never an internal error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

from socmed_adapters.files import iter_json_lines, read_json
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import Term

WRITER = Term("'socmed audit export'")
_NUMBER = Term("a whole number of 0 or more")
_TEXT = Term("a text")
_TEXT_OR_NULL = Term("a text or null")
_OBJECT = Term("a JSON object")
_HEX = Term("64 hexadecimal digits")
_HEX_OR_NULL = Term("64 hexadecimal digits or null")
_UUID = Term("a UUID")
_LINK = re.compile(r"^[0-9a-fA-F]{64}$")


def _shape(path: str, field: str, expected: Term) -> InvalidInputError:
    return InvalidInputError("error.file_shape", path=path, field=field, expected=expected,
                             writer=WRITER)


def _object(value: Any, path: str, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _shape(path, field, _OBJECT)
    return value


def _field(record: dict[str, Any], path: str, field: str, required: bool,
           valid: Callable[[Any], bool], expected: Term, expected_or_null: Term) -> Any:
    """The field's value when `valid` says it is of its kind (None when absent and not
    required), else one line naming the field and what was expected."""
    value = record.get(field)
    if value is None and not required:
        return None
    if not valid(value):
        raise _shape(path, field, expected if required else expected_or_null)
    return value


def _count(record: dict[str, Any], path: str, field: str, required: bool = True
           ) -> int | None:
    """A whole number >= 0 (never a bool, a float or a string of digits)."""
    number: int | None = _field(
        record, path, field, required,
        lambda v: not isinstance(v, bool) and isinstance(v, int) and v >= 0,
        _NUMBER, _NUMBER)
    return number


def _text(record: dict[str, Any], path: str, field: str, required: bool = True
          ) -> str | None:
    text: str | None = _field(record, path, field, required, lambda v: isinstance(v, str),
                              _TEXT, _TEXT_OR_NULL)
    return text


def _link(record: dict[str, Any], path: str, field: str, required: bool = True
          ) -> str | None:
    """A chain link: 64 hex digits (the links are SHA-256 or HMAC-SHA256 digests)."""
    link: str | None = _field(
        record, path, field, required,
        lambda v: isinstance(v, str) and _LINK.match(v) is not None, _HEX, _HEX_OR_NULL)
    return link


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest with the fields the checks use validated; other fields are kept."""
    name = str(path)
    manifest = _object(read_json(path, "manifest"), name, "manifest")
    _count(manifest, name, "count", required=False)
    _count(manifest, name, "first_position", required=False)
    _count(manifest, name, "last_position", required=False)
    for field in ("previous_link", "last_link", "events_sha256"):
        _link(manifest, name, field, required=False)
    _text(manifest, name, "algorithm", required=False)
    head = manifest.get("chain_head")
    if head is not None:
        head = _object(head, name, "chain_head")
        position = head.get("position")
        if position is not None and (isinstance(position, bool) or not isinstance(position, int)
                                     or position < 0):
            raise _shape(name, "chain_head.position", _NUMBER)
        link = head.get("link")
        if link is not None and not (isinstance(link, str) and _LINK.match(link)):
            raise _shape(name, "chain_head.link", _HEX_OR_NULL)
    return manifest


def read_bundle_manifest(path: Path) -> dict[str, Any]:
    """A bundle's manifest: `events_sha256` and `count` are required."""
    manifest = read_manifest(path)
    _link(manifest, str(path), "events_sha256")
    if _count(manifest, str(path), "count"):
        _link(manifest, str(path), "previous_link")
    return manifest


def read_bundle_events(path: Path) -> list[dict[str, Any]]:
    """Every line of events.jsonl, each with the fields a link is recomputed from."""
    lines = []
    for number, record in iter_json_lines(path, "bundle"):
        where = f"{path}:{number}"
        line = _object(record, where, "line")
        _count(line, where, "position")
        _count(line, where, "version")
        for field in ("originator_id", "topic", "state"):
            _text(line, where, field)
        try:
            UUID(line["originator_id"])
        except ValueError:
            raise _shape(where, "originator_id", _UUID) from None
        _link(line, where, "link")
        lines.append(line)
    return lines
