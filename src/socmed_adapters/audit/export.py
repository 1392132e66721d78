"""Audit bundles: a time window of the event log as JSON Lines, with a manifest that lets
anyone re-check it later against the chain (`socmed audit verify-bundle DIR`)."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from socmed_adapters.audit.bundle_files import (
    read_bundle_events,
    read_bundle_manifest,
    read_manifest,
)
from socmed_adapters.audit.chain import KEY_ENV, algorithm, canonical, link
from socmed_adapters.audit.verify import EventTables
from socmed_adapters.files import read_text

EVENTS_FILE = "events.jsonl"
MANIFEST_FILE = "manifest.json"


def export_bundle(tables: EventTables, mapper: Any, out: Path, since: datetime | None,
                  until: datetime | None, now: datetime) -> dict[str, Any]:
    """Write the contiguous range of positions whose events fall in [since, until)."""
    out.mkdir(parents=True, exist_ok=True)
    lines: list[dict[str, Any]] = []
    links = dict(tables.links_from(1))
    for position, originator_id, version, topic, state in tables.events_from(1):
        from eventsourcing.persistence import StoredEvent

        event = mapper.to_domain_event(StoredEvent(originator_id, version, topic, state))
        at = event.timestamp
        inside = (since is None or at >= since) and (until is None or at < until)
        if not inside and not lines:
            continue
        if not inside and until is not None and at >= until:
            break  # keep the range contiguous: stop at the first event after the window
        actor = getattr(event, "actor", None)
        lines.append({
            "position": position, "originator_id": str(originator_id), "version": version,
            "topic": topic, "state": state.decode("utf-8"), "link": links.get(position),
            "timestamp": at.isoformat(), "event_type": type(event).__name__,
            "actor": actor.member_id if actor is not None else None,
        })
    body = "".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                   for line in lines)
    (out / EVENTS_FILE).write_text(body, encoding="utf-8")
    head = max(links) if links else 0
    manifest = {
        "format": "socmed-audit-bundle/1",
        "created_at": now.astimezone(UTC).isoformat(),
        "since": since.isoformat() if since else None,
        "until": until.isoformat() if until else None,
        "count": len(lines),
        "first_position": lines[0]["position"] if lines else None,
        "last_position": lines[-1]["position"] if lines else None,
        "previous_link": tables.link_before(lines[0]["position"]) if lines else None,
        "last_link": lines[-1]["link"] if lines else None,
        "chain_head": {"position": head, "link": links.get(head)},
        "algorithm": algorithm(),
        "events_sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(),
        "event_types": _counts(lines, "event_type"),
    }
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                     encoding="utf-8")
    return manifest


def _counts(lines: list[dict[str, Any]], key: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in lines:
        counts[str(line[key])] = counts.get(str(line[key]), 0) + 1
    return dict(sorted(counts.items()))


def verify_bundle(folder: Path) -> list[str]:
    """Problems found in a bundle on its own (empty list: the bundle is intact)."""
    manifest = read_bundle_manifest(folder / MANIFEST_FILE)
    body = read_text(folder / EVENTS_FILE, "bundle")
    problems = []
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != manifest["events_sha256"]:
        problems.append("events.jsonl does not match the manifest's events_sha256")
    previous = manifest["previous_link"]
    key: bytes | None = b""  # plain SHA-256 links
    if manifest.get("algorithm") == "hmac-sha256":
        env_key = os.environ.get(KEY_ENV)
        if not env_key:
            return [*problems, f"the bundle's links are HMACs: set {KEY_ENV} to check them"]
        key = env_key.encode()
    lines = read_bundle_events(folder / EVENTS_FILE)
    if len(lines) != manifest["count"]:
        problems.append(f"{len(lines)} events, the manifest says {manifest['count']}")
    for line in lines:
        expected = link(previous, canonical(line["position"], line["originator_id"],
                                            line["version"], line["topic"],
                                            line["state"].encode("utf-8")), key)
        if expected != line["link"]:
            problems.append(f"position {line['position']}: link does not recompute")
        previous = line["link"]
    if lines and previous != manifest["last_link"]:
        problems.append("the last link differs from the manifest's last_link")
    return problems


def pinned_links(manifest_path: Path) -> dict[int, str]:
    manifest = read_manifest(manifest_path)
    pins = {}
    if manifest.get("last_position") and manifest.get("last_link"):
        pins[int(manifest["last_position"])] = manifest["last_link"]
    head = manifest.get("chain_head") or {}
    if head.get("position") and head.get("link"):
        pins[int(head["position"])] = head["link"]
    return pins


def export_bundle_zip(services: Any, principal: Any, since: datetime | None,
                      until: datetime | None) -> bytes:
    """The bundle of [since, until) as a zip of `events.jsonl` and `manifest.json` (what
    `socmed audit export` writes to a folder), for a member who may read the audit log."""
    import io
    import tempfile
    import zipfile

    from socmed_domain.roles import Action, check_may

    reader = services.app.actor(principal, reading=True)
    check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
    with tempfile.TemporaryDirectory(prefix="socmed-bundle-") as folder:
        out = Path(folder)
        export_bundle(services.event_tables, services.app.mapper, out, since, until,
                      services.clock())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in (EVENTS_FILE, MANIFEST_FILE):
                archive.write(out / name, name)
    return buffer.getvalue()
