"""`socmed notify` on a store: channels, preferences, run, list in every format, errors as one
line writing nothing, and the notifier inside `socmed worker --notify`."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, event_count
from tests.notifications.receivers import SmtpReceiver


@pytest.fixture
def store(tmp_path: Path) -> Socmed:
    socmed = Socmed(tmp_path / "store")
    socmed.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina")
    for handle, role in (("budi.dm", "digital_marketing"), ("dewi.dm", "digital_marketing"),
                         ("adi.admin", "social_media_admin"), ("sari.legal", "legal")):
        socmed.ok("--as", "rina.mm", "team", "add", handle, "--name", handle, "--role", role)
    return socmed


def _submit(store: Socmed) -> None:
    created = store.ok("--as", "budi.dm", "content", "create", "--title", "Promo",
                       "--text", "Kopi baru kami hadir minggu ini", "--platform", "linkedin")
    from tests.cli.helpers import created_id

    store.ok("--as", "budi.dm", "content", "submit-review", created_id(created)[:8])


def test_channels_prefs_run_and_list(store: Socmed, smtp: SmtpReceiver) -> None:
    env = {"SOCMED_SMTP_PORT": str(smtp.port)}
    for who in ("dewi.dm", "sari.legal"):
        store.ok("--as", who, "notify", "channel", "add", "work", "--email",
                 f"{who}@example.co.id")
    store.ok("--as", "rina.mm", "notify", "channel", "add", "team", "--chat",
             "json://127.0.0.1:9/secret-path", "--member", "dewi.dm")
    store.ok("--as", "rina.mm", "notify", "prefs", "set", "awaiting_review", "--mode",
             "immediate", "--channel", "work", "--member", "dewi.dm")
    listed = store.json("--as", "dewi.dm", "notify", "channel", "list")
    assert [(c["channel"], c["kind"]) for c in listed] == [("team", "chat"), ("work", "email")]
    assert "secret-path" not in str(listed)
    prefs = store.json("--as", "dewi.dm", "notify", "prefs", "list")
    assert {"kind": "awaiting_review", "mode": "immediate", "channels": "work"} in prefs
    _submit(store)
    ran = store.ok("notify", "run", "--once", env=env)
    assert "sent 2" in ran.stdout, ran.stdout
    assert sorted(str(m["To"]) for m in smtp.messages) == ["dewi.dm@example.co.id",
                                                          "sari.legal@example.co.id"]
    rows = store.json("notify", "list", "--status", "sent")
    assert {r["recipient"] for r in rows} == {"dewi.dm", "sari.legal"}
    table = list(csv.DictReader(io.StringIO(store.ok("notify", "list", "--format",
                                                     "csv").stdout)))
    assert {r["kind"] for r in table} == {"awaiting_review"}
    assert "awaiting_review" in store.ok("notify", "list").stdout
    audit = store.json("--as", "rina.mm", "audit", "log", "--type", "NotificationSent")
    assert len(audit) == 2
    assert store.json("notify", "rules")[0]["kind"] == "awaiting_review"


@pytest.mark.parametrize("args", [
    ("--as", "budi.dm", "notify", "channel", "add", "work", "--email", "not-an-address"),
    ("--as", "budi.dm", "notify", "channel", "add", "work", "--chat", "no scheme"),
    ("--as", "budi.dm", "notify", "channel", "add", "Bad Name", "--email", "b@x.co.id"),
    ("--as", "budi.dm", "notify", "channel", "add", "w", "--email", "b@x.co.id",
     "--member", "dewi.dm"),
    ("--as", "budi.dm", "notify", "channel", "remove", "nothing"),
    ("--as", "budi.dm", "notify", "prefs", "set", "spike_alert", "--channel", "missing"),
    ("--as", "budi.dm", "notify", "channel", "add", "w", "--email", "b@x.co.id",
     "--member", "nobody"),
])
def test_refusals_are_one_line_and_write_nothing(store: Socmed, args: Any) -> None:
    before = event_count(store.data_dir)  # type: ignore[arg-type]
    result = store(*args)
    assert_one_line_error(result)
    assert event_count(store.data_dir) == before  # type: ignore[arg-type]


def test_the_worker_runs_the_notifier_with_notify(store: Socmed, smtp: SmtpReceiver) -> None:
    store.ok("--as", "dewi.dm", "notify", "channel", "add", "work", "--email",
             "dewi.dm@example.co.id")
    _submit(store)
    ran = store.ok("--as", "adi.admin", "worker", "--once", "--notify",
                   env={"SOCMED_SMTP_PORT": str(smtp.port)})
    assert "sent 1" in ran.stdout, ran.stdout
    assert [str(m["To"]) for m in smtp.messages] == ["dewi.dm@example.co.id"]
