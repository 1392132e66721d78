"""Issue 13, item 3: a command that exits non-zero has written nothing.

Every command below writes more than one thing (events of several aggregates, or events and
personal-data keys). Each must record its events in ONE transaction (one `save`), with the
keys it creates written before it and destroyed again if that save fails. The test injects an
unexpected failure into the save, after the command's first write (the keys), and checks that
the event log and the vault's keys are exactly as before; then it runs the command for real
and checks that it saved once. On SQLite and on PostgreSQL.

Left out on purpose, with the reason: `publish due` (each post is its own protocol step,
recorded before and after the platform call, docs/architecture.md), `inbox reply` (the
platform is called before the reply is recorded), `demo` (a generator), and `inbox ingest`
of more than one batch (INGEST_BATCH interactions; each batch is a transaction and running
the file again adds only what is missing).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from socmed_domain.application import SocmedApplication
from tests.cli.bounds_helpers import fingerprint
from tests.cli.helpers import Socmed

pytestmark = pytest.mark.slow  # each multi-write command run twice, on both backends


class Injected(RuntimeError):
    pass


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Counts SocmedApplication.save calls; fails the call numbered `fail_at` (0: none)."""
    state: dict[str, Any] = {"calls": 0, "fail_at": 0}
    original = SocmedApplication.save

    def save(self: SocmedApplication, *objs: Any, **kwargs: Any) -> Any:
        state["calls"] += 1
        if state["calls"] == state["fail_at"]:
            raise Injected("injected failure")
        return original(self, *objs, **kwargs)

    monkeypatch.setattr(SocmedApplication, "save", save)
    return state


def _commands(tmp_path: Path) -> list[tuple[str, list[str]]]:
    jsonl = tmp_path / "two.jsonl"
    jsonl.write_text("".join(json.dumps({
        "platform": "instagram", "kind": "comment", "message_id": f"inj-{n}",
        "author_handle": f"@baru{n}", "author_name": f"Baru {n}", "text": "kartu saya diblokir",
        "received_at": "2026-12-20T10:00:00+07:00"}) + "\n" for n in range(2)))
    csv = tmp_path / "two.csv"
    csv.write_text("platform,kind,message_id,author_handle,text,received_at\n"
                   "x,mention,inj-c1,@csv1,halo bank,2026-12-20T11:00:00+07:00\n"
                   "x,mention,inj-c2,@csv2,halo lagi,2026-12-20T11:05:00+07:00\n")
    metrics = tmp_path / "metrics.csv"
    metrics.write_text("platform,post_id,measured_at,reach\n"
                       "instagram,,2026-11-30T10:00:00+07:00,123456\n"
                       "x,,2026-11-30T10:00:00+07:00,654\n")
    return [
        ("content create with a draft", ["--as", "budi.dm", "content", "create", "--title",
                                         "Suntik", "--text", "Info produk", "--platform", "x"]),
        ("campaign plan", ["--as", "budi.dm", "campaign", "plan", "--name", "Suntik",
                           "--platform", "instagram", "--start", "2027-02-01 00:00 WIB",
                           "--end", "2027-02-10 00:00 WIB", "--kpi", "reach=1000@instagram"]),
        ("calendar plan (a month of ideas)", ["--as", "budi.dm", "calendar", "plan",
                                              "--month", "2027-03"]),
        ("inbox ingest jsonl (new subjects: keys)", ["--as", "adi.admin", "inbox", "ingest",
                                                     str(jsonl), "--no-alerts"]),
        ("inbox ingest csv (new subjects: keys)", ["--as", "adi.admin", "inbox", "ingest",
                                                   str(csv), "--no-alerts"]),
        ("metrics import (two series)", ["--as", "adi.admin", "metrics", "import",
                                         str(metrics)]),
        ("team add", ["--as", "rina.mm", "team", "add", "tono.dm", "--name", "Tono",
                      "--role", "digital_marketing"]),
    ]


def test_an_injected_failure_after_the_first_write_leaves_nothing(
        backend: Any, tmp_path: Path, counting: dict[str, Any]) -> None:
    env = {"SOCMED_DATABASE_URL": backend.database_url} if backend.database_url else {}
    socmed = Socmed(backend.data_dir)
    socmed.ok("demo", "--quiet", env=env)
    for name, argv in _commands(tmp_path):
        before = fingerprint(backend.data_dir, backend.database_url)
        counting.update(calls=0, fail_at=1)
        failed = socmed(*argv, env=env)
        assert failed.exit_code == 70, (name, failed.output)
        lines = failed.stderr.splitlines()
        assert len(lines) == 1 and "internal error (Injected" in lines[0], (name, lines)
        assert "Traceback" not in failed.output
        assert fingerprint(backend.data_dir, backend.database_url) == before, name

        counting.update(calls=0, fail_at=0)
        socmed.ok(*argv, env=env)
        assert counting["calls"] == 1, (name, "saved in more than one transaction",
                                        counting["calls"])
        assert fingerprint(backend.data_dir, backend.database_url) != before, name
    socmed.ok("projections", "rebuild", env=env)
    socmed.ok("audit", "verify", env=env)
