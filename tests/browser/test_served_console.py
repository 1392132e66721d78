"""The console through the real command: `socmed serve` as a child process on a store made
by `socmed init` (templates, static files and htmx found by the installed package), a
member set up through `app.identity`, and Chromium signing in and drafting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_domain.roles import Role
from tests.web.live import ServeProcess, init_store


@pytest.mark.slow  # about 30 s: `socmed init`, the server's start, argon2id at full cost
def test_socmed_serve_serves_the_console(tmp_path: Path, page: Any) -> None:
    args = init_store(tmp_path / "store", None)
    services = bootstrap(tmp_path / "store")
    try:
        services.app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
        code = services.app.identity.invite("rina.mm", "budi.dm").code
        services.app.identity.set_up_account("budi.dm", code, "kata sandi budi 2026")
    finally:
        services.close()
    server = ServeProcess(args)
    try:
        page.goto(f"{server.url}/")
        assert page.url.endswith("/login?next=/")
        page.fill("#member_id", "budi.dm")
        page.fill("#password", "kata sandi budi 2026")
        page.click("button[type=submit]")
        page.wait_for_url(f"{server.url}/")
        assert page.evaluate("typeof window.htmx") == "object"  # the vendored htmx ran
        page.get_by_role("link", name="New draft").click()
        page.fill("#title", "Lewat konsol")
        page.check("#platform-linkedin")
        page.fill("#text", "Halo dari konsol")
        page.locator("#checks").get_by_text("No automatic check found a problem").wait_for()
        page.get_by_role("button", name="Save the draft").click()
        page.wait_for_url("**/items/*")
        assert page.locator("main h1").inner_text() == "Lewat konsol"
        page.get_by_role("link", name="My work").click()
        assert page.get_by_role("region", name="Drafts").get_by_role(
            "link", name="Lewat konsol").is_visible()
    finally:
        assert server.stop()
    routes = {str(r.get("route")) for r in server.records() if r.get("message") == "request"}
    assert {"/login", "/items/new", "/items/checks"} <= routes, routes
