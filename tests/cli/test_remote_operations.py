"""Commands that used to be refused through a server, now carried by the API: audit verify
and export, inbox ingest, metrics import, the access policy, unlock, password change; and the
step-up with which the Marketing Manager approves through a token under the default policy."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pyotp

from tests.cli.test_remote_mode import Local, Remote, password

SAMPLE = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"


def test_audit_verify_and_export_through_the_server(
        remote_sqlite: tuple[Any, Remote, Local], tmp_path: Path) -> None:
    services, remote, local = remote_sqlite
    remote.login("rina.mm")
    a, b = remote.ok("audit", "verify"), local.ok("audit", "verify")
    count = services.app.audit.event_count()
    # the remote run's sign-in and token creation come before its verify: the same chain
    assert a.stdout.startswith(f"audit chain intact: {count} events checked") or \
        a.stdout.split(";")[0] == b.stdout.split(";")[0], (a.stdout, b.stdout)
    assert "intact" in a.stdout and "intact" in b.stdout
    refused = remote("audit", "verify", "--read-models")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    assert "--read-models" in refused.stderr
    out = tmp_path / "bundle"
    exported = remote.ok("audit", "export", "--out", str(out))
    assert exported.stdout.startswith(f"exported {services.app.audit.event_count()} events")
    checked = local.ok("audit", "verify-bundle", str(out))
    assert "intact" in checked.stdout or "ok" in checked.stdout.lower(), checked.stdout
    remote.as_member("budi.dm")  # a role that may not read the audit log: one line
    result = remote("audit", "export", "--out", str(tmp_path / "other"))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert not (tmp_path / "other").exists()


def test_ingest_and_metrics_import_through_the_server(
        remote_sqlite: tuple[Any, Remote, Local], tmp_path: Path) -> None:
    services, remote, _ = remote_sqlite
    remote.login("adi.admin")
    fresh = tmp_path / "fresh.jsonl"
    fresh.write_text(SAMPLE.read_text().replace('"message_id": "', '"message_id": "n9-'))
    lines = len(fresh.read_text().splitlines())
    first = remote.ok("inbox", "ingest", str(fresh))
    again = remote.ok("inbox", "ingest", str(fresh), "--no-alerts")
    assert first.stdout.startswith(f"Ingested {lines} new interactions of {lines} (0 ")
    assert again.stdout.startswith(f"Ingested 0 new interactions of {lines} ({lines} already")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(fresh.read_text().replace('"n9-', '"n8-') + '{"platform": "myspace"}\n')
    before = services.app.audit.event_count()
    result = remote("inbox", "ingest", str(bad))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "line" in result.stderr
    assert services.app.audit.event_count() == before

    csv = tmp_path / "metrics.csv"
    csv.write_text("platform,post_id,measured_at,followers\n"
                   f"instagram,,{datetime.now().astimezone().isoformat()},1500\n")
    done = remote.ok("metrics", "import", str(csv))
    assert done.stdout.startswith("Recorded 1 snapshot; skipped 0"), done.stdout
    assert remote.ok("metrics", "import", str(csv)).stdout.startswith(
        "Recorded 0 snapshots; skipped 1")
    remote.as_member("rina.mm")  # the manager neither records metrics nor ingests
    for args in (("metrics", "import", str(csv)), ("inbox", "ingest", str(fresh))):
        result = remote(*args)
        assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
        assert "marketing_manager" in result.stderr


def test_policy_unlock_and_password_through_the_server(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    services, remote, local = remote_sqlite
    remote.login("rina.mm")
    a = remote.ok("team", "policy", "--format", "json")
    b = local.ok("team", "policy", "--format", "json")
    assert a.stdout == b.stdout
    remote.ok("team", "policy", "--lockout-threshold", "4", "--reason", "SOP")
    assert services.app.identity.policy().lockout_threshold == 4
    for _ in range(4):
        remote("login", "--server", remote.url, "--member", "dewi.dm", "--password-stdin",
               stdin="salah\n")
    status = services.app.identity.access_status("rina.mm", "dewi.dm")
    assert "locked" in json.dumps(str(status)).lower()
    remote.ok("account", "unlock", "dewi.dm", "--reason", "lupa")
    services.app.sso.link_subject("rina.mm", "dewi.dm", "https://login.contoh.co.id", "00u-d")
    unlinked = remote.ok("account", "sso-unlink", "dewi.dm", "--issuer",
                         "https://login.contoh.co.id", "--reason", "akun diganti")
    assert unlinked.stdout.startswith("dewi.dm: single sign-on https://login.contoh.co.id "
                                      "removed")
    assert services.app.identity.access_status("rina.mm", "dewi.dm").sso_issuers == ()
    remote.ok("logout")
    remote.login("dewi.dm")  # unlocked: she signs in again
    result = remote("account", "password", "--password-stdin",
                    stdin=f"{password('dewi.dm')}\nkata-sandi-baru-dewi-2027\n")
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert services.app.identity.sign_in("dewi.dm", "kata-sandi-baru-dewi-2027")


def test_the_manager_approves_through_the_remote_cli_with_a_code(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft
    from socmed_domain.roles import Role

    services, remote, _ = remote_sqlite
    identity, content = services.app.identity, services.app.content
    identity.set_policy("rina.mm", second_factor_roles=(Role.MARKETING_MANAGER, Role.LEGAL),
                        reason="default")
    remote.login("rina.mm")  # before enrolling: a token with no second factor
    secret = identity.enrol_totp("rina.mm").secret
    totp = pyotp.TOTP(secret)
    identity.confirm_totp("rina.mm", totp.at(datetime.now().timestamp() - 30))
    item = content.create("budi.dm", "Promo", Draft("Promo #promo", (Platform.LINKEDIN,)))
    content.submit_for_review("budi.dm", item)
    content.review("dewi.dm", item, CHECKLIST_KEYS)
    content.submit_for_approval("budi.dm", item)
    sha = content.get(item).summary.revision_sha256

    without = remote("content", "approve", str(item)[:8], "--hash", sha[:12])
    assert without.exit_code == 1 and without.stderr.count("\n") == 1, without.stderr
    assert "SOCMED_OTP" in without.stderr
    wrong = remote("content", "approve", str(item)[:8], "--hash", sha[:12],
                   env={"SOCMED_OTP": "000000"})
    assert wrong.exit_code == 1 and "wrong or was used already" in wrong.stderr
    assert content.get(item).summary.status == "awaiting_approval"
    done = remote("content", "approve", str(item)[:8], "--hash", sha[:12],
                  env={"SOCMED_OTP": totp.now()})
    assert done.exit_code == 0, (done.stdout, done.stderr)
    assert content.get(item).summary.status == "approved"
    approval = content.history(item)[-1]
    assert approval.event_type == "Approved" and approval.via.startswith("token:")


def test_calendar_plan_through_the_server(demo_copy: Any, tmp_path: Path) -> None:
    """`calendar plan` through a server plans what it plans on the store (the demo's strategy
    and calendar), dry run first, then for real, then nothing is left to plan."""
    from socmed_adapters.bootstrap import bootstrap
    from socmed_web.app import create_app
    from tests.web.live import uvicorn_thread

    services = bootstrap(demo_copy.data_dir)
    try:
        identity = services.app.identity
        for member in ("budi.dm", "rina.mm"):
            identity.set_up_account(member, identity.invite("rina.mm", member).code,
                                    password(member))
        args = ("calendar", "plan", "--month", "2027-02", "--format", "json")
        local_dry = demo_copy.json("--as", "budi.dm", *args, "--dry-run")
        assert local_dry
        with uvicorn_thread(create_app(services)) as url:
            remote = Remote(url, tmp_path / "config")
            remote.login("rina.mm")
            count = services.app.audit.event_count()
            refused = remote(*args)  # the Marketing Manager does not plan the calendar
            assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
            assert services.app.audit.event_count() == count
            remote.as_member("budi.dm")
            dry = json.loads(remote.ok(*args, "--dry-run").stdout)
            assert dry == local_dry
            planned = json.loads(remote.ok(*args).stdout)
            assert [(i["at"], i["platform"]) for i in planned] == [
                (i["at"], i["platform"]) for i in dry]
            assert all(i["item_id"] for i in planned)
            assert json.loads(remote.ok(*args).stdout) == []
    finally:
        services.close()
