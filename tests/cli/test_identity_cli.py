"""The identity commands (issue 15): invitations and set-up codes, passwords from a hidden
prompt or stdin, TOTP, API tokens, the access policy, `--as` refused on a store that requires
signing in, `via` in the audit log, and `content approve` approving what was read."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pyotp
import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, current_hash, event_count

PASSWORD = "kata sandi yang panjang"
OS_USER = {"LOGNAME": "ops", "USER": "ops", "LNAME": None, "USERNAME": None}


def invite(socmed: Socmed, member: str) -> str:
    out = socmed.ok("--as", "joko.mm", "team", "invite", member, env=OS_USER).stdout
    found = re.search(r"([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})", out)
    assert found, out
    assert "valid until" in out
    return found.group(1)


def set_up(socmed: Socmed, member: str, password: str = PASSWORD) -> None:
    code = invite(socmed, member)
    socmed.ok("account", "setup", member, "--code", code, "--password-stdin",
              input=password + "\n")


def test_invite_then_set_up_with_the_code(team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    code = invite(socmed, "budi.dm")
    refused = socmed("account", "setup", "budi.dm", "--code", "AAAA-AAAA-AAAA-AAAA",
                     "--password-stdin", input=PASSWORD + "\n")
    assert_one_line_error(refused, "error: the set-up code is wrong", 1)
    short = socmed("account", "setup", "budi.dm", "--code", code, "--password-stdin",
                   input="short\n")
    assert_one_line_error(short, "error: a password has 12 to 1024 characters", 1)
    socmed.ok("account", "setup", "budi.dm", "--code", code.lower(), "--password-stdin",
              input=PASSWORD + "\n")
    status = socmed.json("--as", "joko.mm", "account", "status", "budi.dm")
    assert status[0]["password"] is True and status[0]["second_factor"] == "none"
    again = socmed("account", "setup", "budi.dm", "--code", code, "--password-stdin",
                   input=PASSWORD + "\n")
    assert_one_line_error(again, "error: the set-up code is wrong, spent or expired", 1)


def test_a_password_is_never_read_from_a_non_terminal_without_the_flag(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    code = invite(socmed, "budi.dm")
    result = socmed("account", "setup", "budi.dm", "--code", code, input=PASSWORD + "\n")
    assert result.exit_code == 2
    assert "--password-stdin" in result.stderr


def test_tokens_are_shown_once_listed_without_secrets_and_revoked(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    out = socmed.ok("--as", "budi.dm", "token", "create", "--name", "ci", "--scope", "read",
                    "--expires-in", "30d").stdout
    secret = re.search(r"(socmed_[0-9a-f]{12}_\S+)", out)
    assert secret, out
    token_id = secret.group(1).split("_")[1]
    listed = socmed.json("--as", "budi.dm", "token", "list")
    assert [(t["token"], t["name"], t["scope"], t["state"]) for t in listed] == [
        (token_id, "ci", "read", "active")]
    assert secret.group(1) not in socmed.ok("--as", "budi.dm", "token", "list").stdout
    bad = socmed("--as", "budi.dm", "token", "create", "--name", "x", "--expires-in", "2y")
    assert_one_line_error(bad, "error: '2y' is not a lifetime", 1)
    too_long = socmed("--as", "budi.dm", "token", "create", "--name", "x", "--expires-in",
                      "400d")
    assert_one_line_error(too_long, "error: a token lives between", 1)
    socmed.ok("--as", "budi.dm", "token", "revoke", token_id, "--reason", "done")
    assert socmed.json("--as", "budi.dm", "token", "list")[0]["state"] == "revoked"
    log = socmed.json("--as", "sari.legal", "audit", "log", "--type", "TokenCreated")
    assert log[0]["summary"].startswith(f"created API token {token_id} 'ci' (read)")


def test_the_policy_is_shown_and_changed_by_the_marketing_manager(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    shown = socmed.json("team", "policy")
    assert shown == [{"require_auth": False, "second_factor_roles": "marketing_manager, legal",
                      "lockout_threshold": 5, "lockout_minutes": 15}]
    refused = socmed("--as", "budi.dm", "team", "policy", "--lockout-threshold", "3")
    assert "may not manage the team" in assert_one_line_error(refused, "error: ", 1)
    bad = socmed("--as", "joko.mm", "team", "policy", "--second-factor-roles", "boss")
    assert_one_line_error(bad, "error: unknown role 'boss'", 1)
    changed = socmed.json("--as", "joko.mm", "team", "policy", "--second-factor-roles",
                          "legal", "--lockout-minutes", "30", "--reason", "SOP rev 3")
    assert changed[0]["second_factor_roles"] == "legal"
    assert changed[0]["lockout_minutes"] == 30
    entry = socmed.json("--as", "sari.legal", "audit", "log", "--type", "AccessPolicyChanged")
    assert entry[0]["reason"] == "SOP rev 3" and entry[0]["actor"] == "joko.mm"


def test_a_store_that_requires_signing_in_refuses_as(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, ids = team_store
    lonely = socmed("--as", "joko.mm", "team", "policy", "--require-auth")
    assert_one_line_error(lonely, "error: no active Marketing Manager can sign in yet", 1)
    set_up(socmed, "joko.mm")
    socmed.ok("--as", "joko.mm", "team", "policy", "--require-auth", "--reason", "go live")
    before = event_count(socmed.data_dir)  # type: ignore[arg-type]
    for argv in (["--as", "budi.dm", "content", "submit-review", ids["draft"]],
                 ["--as", "sari.legal", "audit", "log"],
                 ["--as", "joko.mm", "team", "policy", "--no-require-auth"]):
        refused = socmed(*argv)
        assert_one_line_error(refused, "error: this store requires signing in: --as", 1)
    assert event_count(socmed.data_dir) == before  # type: ignore[arg-type]
    assert socmed.json("team", "policy")[0]["require_auth"] is True  # reading needs no --as


def test_the_audit_log_shows_and_filters_how_actors_were_established(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    socmed.ok("--as", "budi.dm", "content", "create", "--title", "Via", "--text", "halo",
              "--platform", "x", env=OS_USER)
    local = socmed.json("--as", "sari.legal", "audit", "log", "--via", "local-cli")
    assert local and all(e["via"].startswith("local-cli:") for e in local)
    assert [e["via"] for e in local[-2:]] == ["local-cli:ops"] * 2  # created, revised
    table = socmed.ok("--as", "sari.legal", "audit", "log", "--via", "local-cli").stdout
    assert "Via" in table and "local-cli:ops" in table
    everything = socmed.json("--as", "sari.legal", "audit", "log")
    assert len(local) == sum(1 for e in everything if e["via"].startswith("local-cli:"))
    bad = socmed("--as", "sari.legal", "audit", "log", "--via", "telepathy")
    assert bad.exit_code == 2


def test_approving_off_a_terminal_needs_the_hash(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, ids = team_store
    before = event_count(socmed.data_dir)  # type: ignore[arg-type]
    refused = socmed("--as", "joko.mm", "content", "approve", ids["awaiting"])
    assert_one_line_error(refused, "error: an approval names the revision that was read", 1)
    assert "--hash" in refused.stderr
    assert event_count(socmed.data_dir) == before  # type: ignore[arg-type]
    socmed.ok("--as", "joko.mm", "content", "approve", ids["awaiting"], "--hash",
              current_hash(socmed, ids["awaiting"]))


@pytest.mark.parametrize(("answer", "approved"), [("y\n", True), ("n\n", False)])
def test_approving_on_a_terminal_shows_the_revision_and_asks(
        team_store: tuple[Socmed, dict[str, str]], monkeypatch: Any, answer: str,
        approved: bool) -> None:
    from socmed_cli.commands import content

    socmed, ids = team_store
    sha = current_hash(socmed, ids["awaiting"])
    monkeypatch.setattr(content, "on_terminal", lambda: True)
    result = socmed("--as", "joko.mm", "content", "approve", ids["awaiting"], input=answer)
    assert "Menunggu persetujuan: info produk" in result.stdout  # the text per platform
    assert "--- LinkedIn ---" in result.stdout and "review of revision 1: passed" in result.stdout
    assert f"sha256 {sha[:12]}" in result.stdout
    status = socmed.json("content", "show", ids["awaiting"])["summary"]["status"]
    assert (result.exit_code, status) == ((0, "approved") if approved
                                          else (1, "awaiting_approval"))


def test_totp_enrolment_through_the_cli(team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    out = socmed.ok("--as", "sari.legal", "account", "totp", "enroll").stdout
    secret = re.search(r"secret \(shown once\): ([A-Z2-7]+)", out)
    assert secret and "otpauth://totp/" in out
    wrong = socmed("--as", "sari.legal", "account", "totp", "confirm", "000000")
    if wrong.exit_code == 0:  # one in a million: 000000 was the code
        return
    assert_one_line_error(wrong, "error: the authenticator code does not match", 1)
    code = pyotp.TOTP(secret.group(1)).now()  # the CLI's clock is the system clock
    socmed.ok("--as", "sari.legal", "account", "totp", "confirm", code)
    again = socmed("--as", "sari.legal", "account", "totp", "enroll")
    assert "already has a confirmed authenticator" in assert_one_line_error(again, "error: ", 1)
    socmed.ok("--as", "joko.mm", "account", "totp", "reset", "sari.legal", "--reason",
              "lost phone")
    types = [e["event"] for e in socmed.json("--as", "sari.legal", "audit", "log")]
    assert types[-3:] == ["SecondFactorEnrolled", "SecondFactorConfirmed",
                          "SecondFactorReset"]


def test_audit_vias_finds_a_session_made_in_the_database(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_domain.identity.ports import SessionRecord
    from socmed_domain.identity.service import digest
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    socmed, _ = team_store
    clean = socmed.ok("--as", "sari.legal", "audit", "vias")
    assert "every event through a session, token or single sign-on" in clean.stdout
    services = bootstrap(socmed.data_dir)
    try:
        now = services.clock()
        services.app.identity.credentials.add_session(SessionRecord(
            "abcdef0123456789", "budi.dm", "session:abcdef01", False, now,
            now + timedelta(hours=1), now), digest("made by a DBA"))
        principal = services.app.identity.session_principal("made by a DBA")
        services.app.content.create(principal, "Forged", Draft("x", (Platform.X,)))
    finally:
        services.close()
    found = socmed("--as", "sari.legal", "audit", "vias", "--format", "csv")
    assert found.exit_code == 1
    rows = found.stdout.strip().splitlines()
    assert rows[0] == "position,at,actor,via,event,why"
    assert [r.split(",")[2:] for r in rows[1:]] == [
        ["budi.dm", "session:abcdef01", "Created", "no_sign_in"],
        ["budi.dm", "session:abcdef01", "Revised", "no_sign_in"]]
    assert "2 events were caused through a credential" in found.stderr
