"""Interactions from files: JSON Lines and CSV exports (a listening tool, a platform's
download, or a spreadsheet kept by hand).

One interaction per line or row, with these fields (CSV: a header row naming them):

    platform, kind (comment | direct_message | mention), message_id, author_handle,
    author_name, text, received_at (ISO 8601 with an offset or zone), thread_id, post_id

`thread_id`, `post_id` and `author_name` may be empty. The file is read by
socmed_adapters.files (size-bounded, UTF-8, no FIFO or device, JSON nesting bounded). A
malformed line stops the read with one message naming the file and line; `check()` reads
the whole file first, so an import that would stop at a bad line stores nothing at all.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from socmed_adapters.files import csv_rows, iter_json_lines
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import platform_named
from socmed_domain.timezones import parse_time

FIELDS = ("platform", "kind", "message_id", "author_handle", "author_name", "text",
          "received_at", "thread_id", "post_id")
REQUIRED = ("platform", "kind", "message_id", "author_handle", "text", "received_at")
KINDS = {k.value: k for k in InteractionKind} | {"dm": InteractionKind.DIRECT_MESSAGE}


def interaction_from(record: Mapping[str, Any]) -> InboundInteraction:
    """One record (a JSON object or a CSV row) as an interaction; refuses missing fields."""
    missing = [name for name in REQUIRED if not str(record.get(name) or "").strip()]
    if missing:
        raise InvalidInputError("error.empty", field=", ".join(missing))
    kind = str(record["kind"]).strip().lower()
    if kind not in KINDS:
        raise InvalidInputError("error.unknown_choice", kind="interaction kind", value=kind,
                                choices=", ".join(k.value for k in InteractionKind))
    return InboundInteraction(
        platform=platform_named(str(record["platform"])), kind=KINDS[kind],
        message_id=str(record["message_id"]).strip(),
        author_handle=str(record["author_handle"]), text=str(record["text"]),
        received_at=parse_time(str(record["received_at"]), field="received_at"),
        author_name=str(record.get("author_name") or ""),
        thread_id=str(record.get("thread_id") or "").strip(),
        post_id=str(record.get("post_id") or "").strip()).validate()


#: Interactions `check()` keeps in memory (about 50 MB), so a file that size is parsed once.
KEEP_CHECKED = 50_000


class FileSource:
    """An `InteractionSource` over a .jsonl/.ndjson or .csv file."""

    def __init__(self, path: Path | str, fmt: str | None = None) -> None:
        self.path = Path(path)
        suffix = self.path.suffix.lower().lstrip(".")
        self.fmt = fmt or ("csv" if suffix == "csv" else "jsonl")
        self._checked: list[InboundInteraction] | None = None

    def check(self) -> int:
        """Read the whole file once, as ingestion will, and return how many interactions it
        holds; a bad line raises here, so an import that would stop half way writes nothing.
        A file of up to KEEP_CHECKED interactions is kept as read, so it is parsed once."""
        kept: list[InboundInteraction] | None = []
        count = 0
        for found in self._read():
            count += 1
            if kept is not None:
                kept.append(found)
                if len(kept) > KEEP_CHECKED:
                    kept = None
        self._checked = kept
        return count

    def interactions(self) -> Iterator[InboundInteraction]:
        if self._checked is not None:
            yield from self._checked
        else:
            yield from self._read()

    def _read(self) -> Iterator[InboundInteraction]:
        records = self._csv() if self.fmt == "csv" else self._jsonl()
        for line, record in records:
            try:
                yield interaction_from(record)
            except SocmedError as error:
                raise InvalidInputError("error.bad_interaction", source=self.path.name,
                                        line=line, detail=error.message("en")) from None

    def _jsonl(self) -> Iterator[tuple[int, Mapping[str, Any]]]:
        for number, record in iter_json_lines(self.path, "interactions"):
            if not isinstance(record, dict):
                raise InvalidInputError("error.bad_interaction", source=self.path.name,
                                        line=number, detail="not a JSON object")
            yield number, record

    def _csv(self) -> Iterator[tuple[int, Mapping[str, Any]]]:
        rows = csv_rows(self.path, "interactions")
        header: list[str] | None = None
        for number, cells in rows:
            if header is None:
                header = [h.strip() for h in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            yield number, dict(zip(header, cells, strict=False))


def write_jsonl(path: Path, interactions: Iterator[InboundInteraction] | list[Any]) -> None:
    """The inverse of FileSource (fixtures, the benchmark, exports for another tool)."""
    with path.open("w", encoding="utf-8") as handle:
        for item in interactions:
            handle.write(json.dumps(as_record(item), ensure_ascii=False) + "\n")


def as_record(item: InboundInteraction) -> dict[str, str]:
    return {"platform": item.platform.value, "kind": item.kind.value,
            "message_id": item.message_id, "author_handle": item.author_handle,
            "author_name": item.author_name, "text": item.text,
            "received_at": item.received_at.isoformat(), "thread_id": item.thread_id,
            "post_id": item.post_id}
