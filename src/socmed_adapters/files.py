"""Reading a file a user hands to a command: one way, with the same limits and messages.

Every command that reads a user's file (`strategy draft|edit|revise --file`, `inbox ingest`,
`inbox webhook --file`, `metrics import`, `audit verify --manifest`, `audit verify-bundle`)
reads it here, because a file is input like any argument and a malformed one must end as one
line naming the file, the line (and column where known) and what is wrong, never an internal
error, a traceback or a read that never ends:

- only a regular file is read: a FIFO, a device (`/dev/zero`), a socket or a folder is
  refused before a byte is read (opened non-blocking, so a FIFO without a writer cannot hang);
- its size is bounded per kind (`LIMITS`, documented in docs/decisions.md), checked before
  reading and again while reading (a file that grows is cut at the limit and refused);
- it is decoded as UTF-8 (a byte order mark is accepted and dropped); UTF-16, Latin-1 or
  Windows-1252 text and binary data are each named as such;
- JSON is parsed strictly: nesting deeper than `JSON_DEPTH`, NaN/Infinity, a number out of
  float range and a lone surrogate escape (`\\ud800`) are refused; TOML nesting is bounded by
  `TOML_DEPTH`;
- a CSV field over the csv module's field limit is refused with its line.

Errors are `InvalidInputError`s with codes `error.file_*` (English and Indonesian in the
domain catalogue), so the CLI prints them as one line with exit 1, and the webhook receiver
answers 400.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from socmed_domain.errors import InvalidInputError

MiB = 1024 * 1024
#: The largest file of each kind, in bytes. Generous for the real thing (a month of a busy
#: account's interactions is tens of MB), small enough that a mistake cannot fill memory.
LIMITS: dict[str, int] = {
    "strategy": 1 * MiB,         # a strategy TOML (docs/examples/strategy-2027.toml: 4 KB)
    "configuration": 4 * MiB,    # a company configuration TOML (the packs: 20 KB)
    "caption": 1 * MiB,          # a caption read with --text-file (platforms take < 64 KB)
    "content_csv": 64 * MiB,     # `content import` CSV (at most 5,000 rows)
    "interactions": 2048 * MiB,  # JSON Lines / CSV, streamed line by line
    "metrics": 256 * MiB,        # metrics CSV (at most 200,000 rows)
    "webhook": 16 * MiB,         # one captured delivery body (platforms send < 1 MB)
    "manifest": 1 * MiB,         # an audit bundle's manifest.json
    "bundle": 2048 * MiB,        # an audit bundle's events.jsonl
}
#: The longest line of a line-oriented file (JSON Lines, CSV), in bytes.
MAX_LINE = 16 * MiB
#: The deepest nesting of JSON objects and arrays (platform payloads nest about 6 deep).
JSON_DEPTH = 64
#: The deepest nesting of TOML tables and arrays (a strategy nests 3 deep).
TOML_DEPTH = 32

_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _error(code: str, path: Path | str, **params: Any) -> InvalidInputError:
    return InvalidInputError(code, path=str(path), **params)


def _where(line: int | None, column: int | None) -> dict[str, Any]:
    """The position parameters: messages with a column name it, others name the line."""
    return {"line": line if line is not None else 1, "column": column or 1}


def open_user_file(path: Path | str, kind: str) -> tuple[IO[bytes], int]:
    """The file opened for binary reading and its size; refuses what is not a regular file
    and a file over the kind's limit. The caller closes the handle."""
    limit = LIMITS[kind]
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise _error("error.file_missing", path) from None
    except IsADirectoryError:
        raise _error("error.file_not_regular", path) from None
    except OSError as error:
        raise _error("error.file_unreadable", path, detail=error.strerror or str(error)
                     ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise _error("error.file_not_regular", path)
        if info.st_size > limit:
            raise _error("error.file_too_large", path, size=info.st_size, limit=limit)
        return os.fdopen(fd, "rb"), info.st_size
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: Path | str, kind: str) -> bytes:
    """The whole file as bytes (bounded by the kind's limit)."""
    handle, _ = open_user_file(path, kind)
    with handle:
        data = handle.read(LIMITS[kind] + 1)
    if len(data) > LIMITS[kind]:
        raise _error("error.file_too_large", path, size=len(data), limit=LIMITS[kind])
    return data


def decode(data: bytes, path: Path | str, first_line: int = 1) -> str:
    """`data` as UTF-8 text (a leading BOM dropped), or one error naming line and column."""
    if first_line == 1:
        if data.startswith(_UTF16_BOMS):
            raise _error("error.file_utf16", path)
        if data.startswith(_BOM):
            data = data[len(_BOM):]
    nul = data.find(b"\x00")
    if nul >= 0:
        line, column = _position(data, nul, first_line)
        code = "error.file_utf16" if _looks_utf16(data) else "error.file_binary"
        raise _error(code, path, **_where(line, column))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start, first_line)
        raise _error("error.file_not_utf8", path, byte=f"0x{data[error.start]:02X}",
                     **_where(line, column)) from None


def _looks_utf16(data: bytes) -> bool:
    """ASCII text in UTF-16 without a BOM: every other byte is NUL."""
    sample = data[:200]
    return len(sample) >= 4 and (sample[1::2].count(0) >= len(sample) // 2 - 1
                                 or sample[0::2].count(0) >= len(sample) // 2 - 1)


def _position(data: bytes, offset: int, first_line: int) -> tuple[int, int]:
    """Line and column (in characters, from 1) of a byte offset."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = first_line + data.count(b"\n", 0, offset)
    column = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return line, column


def read_text(path: Path | str, kind: str) -> str:
    """The whole file as text, checked as `decode` does."""
    return decode(read_bytes(path, kind), path)


def iter_lines(path: Path | str, kind: str) -> Iterator[tuple[int, str]]:
    """(line number, text with its line ending) for each line, decoded one at a time, so a
    large file is never all in memory; a line over MAX_LINE bytes is refused."""
    handle, _ = open_user_file(path, kind)
    limit, total = LIMITS[kind], 0
    with handle:
        for number in range(1, 1 << 62):
            raw = handle.readline(MAX_LINE + 1)
            if not raw:
                return
            total += len(raw)
            if total > limit:
                raise _error("error.file_too_large", path, size=total, limit=limit)
            if len(raw) > MAX_LINE and not raw.endswith(b"\n"):
                raise _error("error.file_line_too_long", path, line=number, limit=MAX_LINE)
            yield number, decode(raw, path, first_line=number)


# ------------------------------------------------------------------------------ JSON


def _no_constant(name: str) -> Any:
    raise ValueError(name)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


_DECODER = json.JSONDecoder(parse_constant=_no_constant, parse_float=_finite)


def parse_json(text: str, path: Path | str, line: int | None = None,
               max_depth: int = JSON_DEPTH) -> Any:
    """Strict JSON: one error naming the file, the line (and column) and what is wrong."""
    try:
        value = _DECODER.decode(text)
    except json.JSONDecodeError as error:
        at = error.lineno if line is None else line + error.lineno - 1
        raise _error("error.file_syntax", path, format="JSON", detail=error.msg,
                     **_where(at, error.colno)) from None
    except RecursionError:
        raise _error("error.file_too_deep", path, limit=max_depth, **_where(line, None)
                     ) from None
    except ValueError as error:  # NaN, Infinity, 1e400, an integer of > 4300 digits
        raise _error("error.file_number", path, value=_short(str(error).split(":")[0]),
                     **_where(line, None)) from None
    # The walk is needed only when the text could nest that deep or escapes a surrogate
    # (decoded UTF-8 holds none otherwise): most records skip it.
    if (text.count("[") + text.count("{") > max_depth
            or _SURROGATE_ESCAPE.search(text) is not None):
        check_tree(value, path, line, max_depth)
    return value


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def check_tree(value: Any, path: Path | str, line: int | None, max_depth: int) -> None:
    """Refuse nesting deeper than `max_depth` and strings holding lone surrogates (which no
    UTF-8 store or file can hold), walking without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > max_depth:
                raise _error("error.file_too_deep", path, limit=max_depth, **_where(line, None))
            children = list(item.items()) if isinstance(item, dict) else item
            for child in children:
                if isinstance(child, tuple):
                    stack.append((child[0], depth))
                    stack.append((child[1], depth + 1))
                else:
                    stack.append((child, depth + 1))
        elif isinstance(item, str) and _SURROGATE.search(item):
            raise _error("error.file_surrogate", path, **_where(line, None))


def read_json(path: Path | str, kind: str, max_depth: int = JSON_DEPTH) -> Any:
    return parse_json(read_text(path, kind), path, max_depth=max_depth)


def iter_json_lines(path: Path | str, kind: str) -> Iterator[tuple[int, Any]]:
    """(line number, value) of each non-blank line of a JSON Lines file."""
    for number, text in iter_lines(path, kind):
        if text.strip():
            yield number, parse_json(text.rstrip("\r\n"), path, line=number)


# ------------------------------------------------------------------------------ TOML

_TOML_AT = re.compile(r"\(at (?:line (\d+), column (\d+)|end of document)\)")


def read_toml(path: Path | str, kind: str, max_depth: int = TOML_DEPTH) -> dict[str, Any]:
    text = read_text(path, kind)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        found = _TOML_AT.search(message)
        detail = _TOML_AT.sub("", message).strip() or "invalid"
        line, column = None, None
        if found and found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        elif found:  # at the end of the document
            line = text.count("\n") + 1
            column = len(text.rsplit("\n", 1)[-1]) + 1
        raise _error("error.file_syntax", path, format="TOML", detail=detail,
                     **_where(line, column)) from None
    except RecursionError:
        raise _error("error.file_too_deep", path, limit=max_depth, **_where(None, None)
                     ) from None
    check_tree(data, path, None, max_depth)
    return data


# ------------------------------------------------------------------------------- CSV


def csv_rows(path: Path | str, kind: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the row ends, cells) of each row; a field over the csv module's
    limit, a NUL or a malformed quote is one error with its line."""
    lines = iter_lines(path, kind)
    reader = csv.reader(text for _, text in lines)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            detail = str(error)
            if "field larger than field limit" in detail:
                raise _error("error.file_csv_field", path, limit=csv.field_size_limit(),
                             **_where(reader.line_num, None)) from None
            raise _error("error.file_syntax", path, format="CSV", detail=detail,
                         **_where(reader.line_num, None)) from None
        yield reader.line_num, cells
