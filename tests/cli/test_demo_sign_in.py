"""`socmed demo --sign-in`: the demo's members can sign in to the server with what it prints."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pyotp
import pytest

from socmed_adapters.bootstrap import bootstrap
from tests.cli.helpers import Socmed, event_count

ROW = re.compile(r"│ (\S+)\s+│ (\S+)\s+│ (demo-\S+)\s+│ (\S+)\s+│")


@pytest.mark.slow
def test_demo_members_sign_in_with_the_printed_demo_only_credentials(tmp_path: Path) -> None:
    socmed = Socmed(tmp_path / "store")
    result = socmed("demo", "--sign-in")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "demo-only sign-in" in out.lower()
    rows = {m.group(1): (m.group(2), m.group(3), m.group(4)) for m in ROW.finditer(out)}
    assert set(rows) == {"adi.admin", "budi.dm", "dewi.dm", "maya.agency", "rina.mm",
                         "sari.legal"}
    # the approving roles got a TOTP secret; the others did not
    assert rows["rina.mm"][2] != "-" and rows["sari.legal"][2] != "-"
    assert rows["budi.dm"][2] == "-"
    # the month's record is the plain demo's, plus the accounts' audited events
    summary = re.search(r"(\d+) events recorded", out)
    assert summary and event_count(tmp_path / "store") > int(summary.group(1))

    services = bootstrap(tmp_path / "store")
    try:
        identity = services.app.identity
        signed = identity.sign_in("budi.dm", rows["budi.dm"][1])
        assert identity.session_principal(signed.session_token).member_id == "budi.dm"
        # the code of the next 30 s step: the current one was claimed by the enrolment's
        # confirmation a moment ago (a used code is refused), and the window allows one step
        manager = identity.sign_in("rina.mm", rows["rina.mm"][1],
                                   pyotp.TOTP(rows["rina.mm"][2]).at(time.time() + 30))
        assert manager.principal.second_factor
    finally:
        services.close()


def test_the_plain_demo_prints_no_credentials(tmp_path: Path) -> None:
    """Without --sign-in nothing about passwords is printed (and no account is made)."""
    socmed = Socmed(tmp_path / "store")
    result = socmed("demo", "--quiet")
    assert result.exit_code == 0, result.output
    assert "demo-" not in result.stdout.replace("socmed demo", "")
    assert "TOTP" not in result.stdout
