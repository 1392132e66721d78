"""The CLI scenario end to end on SQLite and on PostgreSQL: the demo month, the read models,
rebuilds, the audit chain and export, and a refused command that writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.helpers import Socmed


def runner(backend) -> tuple[Socmed, dict[str, str]]:  # type: ignore[no-untyped-def]
    env = {"SOCMED_DATABASE_URL": backend.database_url} if backend.database_url else {}
    return Socmed(backend.data_dir), env


def events(socmed: Socmed, env: dict[str, str]) -> int:
    return len(socmed.json("--as", "sari.legal", "audit", "log", env=env))


@pytest.mark.slow  # a demo month through the CLI
def test_the_month_on_each_backend(backend, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    socmed, env = runner(backend)
    demo = socmed.ok("demo", "--quiet", env=env)
    assert "published 31 posts on 5 platforms" in demo.stdout
    listing = socmed.json("content", "list", env=env)
    assert {row["status"] for row in listing} >= {"published", "expired", "withdrawn"}
    log = socmed.json("publish", "log", "--month", "2026-12", env=env)
    assert len(log) == 31 and all(row["approved_by"] == "rina.mm" for row in log)
    before = socmed.json("projections", "status", env=env)
    assert all(row["lag"] == 0 for row in before)
    socmed.ok("projections", "rebuild", env=env)
    assert socmed.json("content", "list", env=env) == listing
    assert socmed.json("publish", "log", "--month", "2026-12", env=env) == log
    verify = socmed.ok("audit", "verify", env=env)
    assert "chain intact" in verify.stdout
    bundle = tmp_path / "bundle"
    socmed.ok("--as", "sari.legal", "audit", "export", "--out", str(bundle), env=env)
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert manifest["count"] == events(socmed, env)
    socmed.ok("audit", "verify-bundle", str(bundle), env=env)
    socmed.ok("audit", "verify", "--manifest", str(bundle / "manifest.json"), env=env)

    count = events(socmed, env)
    item = next(row["id"] for row in listing if row["status"] == "published")
    refused = socmed("--as", "maya.agency", "content", "approve", item, env=env)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: maya.agency (agency) may not approve content")
    assert events(socmed, env) == count
