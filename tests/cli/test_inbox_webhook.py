"""`socmed inbox webhook`: a captured delivery is ingested only with a valid signature."""

from __future__ import annotations

import hashlib
import hmac
import time
from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

DATA = Path(__file__).parents[1] / "data" / "webhooks"
SECRETS = {"SOCMED_META_APP_SECRET": "meta-secret", "SOCMED_X_CONSUMER_SECRET": "x-secret",
           "SOCMED_TIKTOK_CLIENT_SECRET": "tiktok-secret",
           "SOCMED_LINKEDIN_CLIENT_SECRET": "linkedin-secret"}


def _meta(body: bytes) -> str:
    return "sha256=" + hmac.new(b"meta-secret", body, hashlib.sha256).hexdigest()


def test_signed_delivery_is_ingested_once(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    path = DATA / "instagram_comments.json"
    args = ("--as", "adi.admin", "inbox", "webhook", "--platform", "instagram", "--file",
            str(path), "--signature", _meta(path.read_bytes()))
    out = run.ok(*args, env=SECRETS).stdout
    assert "3 new interactions of 3 (0 already here); 2 new conversations" in out
    assert "1 mention delivered without text" in out
    before = event_count(run.data_dir)
    again = run.ok(*args, env=SECRETS).stdout  # Meta redelivers: nothing new
    assert "0 new interactions of 3 (3 already here)" in again
    assert event_count(run.data_dir) == before
    authors = {r["author"] for r in run.json("inbox", "list")}
    assert {"dinda.rahma", "998877"} <= authors


def test_tiktok_delivery_with_a_fresh_signature(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    body = (DATA / "tiktok_comment.json").read_bytes()
    stamp = int(time.time())
    digest = hmac.new(b"tiktok-secret", f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    out = run.ok("--as", "adi.admin", "inbox", "webhook", "--platform", "tiktok", "--file",
                 str(DATA / "tiktok_comment.json"), "--signature", f"t={stamp},s={digest}",
                 env=SECRETS).stdout
    assert "1 new interaction of 1" in out


def test_linkedin_delivery(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    path = DATA / "linkedin_notifications.json"
    digest = hmac.new(b"linkedin-secret", b"hmacsha256=" + path.read_bytes(),
                      hashlib.sha256).hexdigest()
    args = ("--as", "adi.admin", "inbox", "webhook", "--platform", "linkedin", "--file",
            str(path), "--signature", digest)
    out = run.ok(*args, env=SECRETS).stdout
    assert "4 new interactions of 4 (0 already here); 3 new conversations" in out
    assert "Not for the inbox: 2 events" in out
    assert "0 new interactions of 4 (4 already here)" in run.ok(*args, env=SECRETS).stdout
    rows = run.json("inbox", "list", "--platform", "linkedin")
    assert {r["kind"] for r in rows} == {"comment", "mention"}
    line = assert_one_line_error(run(*args[:-1], digest[::-1], env=SECRETS))
    assert "X-LI-Signature signature does not match" in line


def test_bad_or_missing_signature_writes_nothing(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    path = str(DATA / "x_activity.json")
    before = event_count(run.data_dir)
    base = ("--as", "adi.admin", "inbox", "webhook", "--platform", "x", "--file", path)
    line = assert_one_line_error(run(*base, "--signature", "sha256=AAAA", env=SECRETS))
    assert "x-twitter-webhooks-signature signature does not match" in line
    line = assert_one_line_error(run(*base, env=SECRETS))
    assert "header is missing" in line
    line = assert_one_line_error(run("--lang", "id", *base, env=SECRETS), prefix="galat: ")
    assert "tidak ada yang disimpan" in line
    line = assert_one_line_error(run(*base, "--signature", "sha256=AAAA"))
    assert "SOCMED_X_CONSUMER_SECRET" in line
    assert event_count(run.data_dir) == before


def test_refused_delivery_creates_no_store(tmp_path: Path) -> None:
    run = Socmed(tmp_path / "none")
    result = run("--as", "adi.admin", "inbox", "webhook", "--platform", "facebook", "--file",
                 str(DATA / "facebook_feed.json"), "--signature", "sha256=00", env=SECRETS)
    assert_one_line_error(result)
    assert not (tmp_path / "none").exists()
