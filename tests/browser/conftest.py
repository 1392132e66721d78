"""The browser-test harness: the console served by uvicorn (127.0.0.1, a port the OS picks)
over a real store seeded for the journeys, driven by Playwright in Debian's Chromium.

- `console`: a fresh store per test (SQLite; PostgreSQL too with SOCMED_TEST_POSTGRES_URL when
  the test asks for `console_backend` params) with the demo team, two campaigns (the agency on
  the first only), every member's password set through an invitation (`app.identity`) and TOTP
  enrolled for the approving roles; the clock is a ManualClock the server shares, so each
  sign-in's authenticator code is computed for the clock's next 30-second step.
- `browser`: one Chromium for the session; `page`/`pages`: a new context (1280 px) per test.
- `Console.axe(page)`: axe-core on the page as it is; serious or critical violations fail.
- `Console.shots(page, name)`: screenshots at 1280 px and 390 px into
  $SOCMED_SCREENSHOTS (default: tests/browser/artefacts/, not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.store import password, seeded
from tests.conftest import Backend, PostgresSchema, require_postgres
from tests.web.live import uvicorn_thread

playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM = os.environ.get("SOCMED_CHROMIUM", "/usr/bin/chromium")
ARTEFACTS = Path(os.environ.get("SOCMED_SCREENSHOTS",
                                Path(__file__).resolve().parent / "artefacts"))
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2id with its smallest parameters (the production cost is for attackers)."""
    from socmed_adapters.identity import hashing

    class CheapArgon2(hashing.Argon2Hasher):
        def __init__(self) -> None:
            super().__init__(time_cost=1, memory_cost=1024, parallelism=1)

    monkeypatch.setattr(hashing, "Argon2Hasher", CheapArgon2)


class Console:
    """A served console over a seeded store, and what the journeys need of it."""

    def __init__(self, url: str, services: Any, campaign: str, other_campaign: str,
                 totp: dict[str, str]) -> None:
        self.url = url
        self.services = services
        self.app = services.app
        self.campaign = campaign
        self.other_campaign = other_campaign
        self.totp = totp

    def otp(self, member_id: str) -> str:
        """The member's next authenticator code (the clock moves on a step: a code is
        accepted once)."""
        import pyotp

        now = self.services.clock.advance(seconds=31)
        return str(pyotp.TOTP(self.totp[member_id]).at(now))

    def sign_in(self, page: Any, member_id: str, lang: str | None = None) -> None:
        """Sign in through the login form, as a person would."""
        if lang is not None:
            page.goto(f"{self.url}/lang/{lang}?next=/login")
        else:
            page.goto(f"{self.url}/login")
        page.fill("#member_id", member_id)
        page.fill("#password", password(member_id))
        if member_id in self.totp:
            page.fill("#otp", self.otp(member_id))
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.url}/")

    def axe(self, page: Any) -> list[dict[str, Any]]:
        """axe-core's serious and critical violations of the page (the test asserts none)."""
        from axe_playwright_python.sync_playwright import Axe

        results = Axe().run(page)
        return [v for v in results.response["violations"]
                if v.get("impact") in ("serious", "critical")]

    def shots(self, page: Any, name: str, lang: str = "en",
              widths: tuple[str, ...] = ("1280", "390")) -> list[Path]:
        """Screenshots of the page at desktop and phone width (full page)."""
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        written = []
        for label, size in (("1280", DESKTOP), ("390", PHONE)):
            if label not in widths:
                continue
            page.set_viewport_size(size)
            path = ARTEFACTS / f"{name}-{lang}-{label}.png"
            page.screenshot(path=str(path), full_page=True)
            written.append(path)
        page.set_viewport_size(DESKTOP)
        return written


@pytest.fixture
def console(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Console]:
    """The console over a seeded SQLite store (a test parametrizes it indirectly with
    "postgres" to run on a fresh PostgreSQL schema too)."""
    from socmed_web.app import create_app

    kind = getattr(request, "param", "sqlite")
    schema = None
    if kind == "postgres":
        require_postgres()
        schema = PostgresSchema()
    backend = Backend(kind, tmp_path / "store", schema.url if schema else None)
    try:
        services, campaign, other, totp = seeded(backend)
        with uvicorn_thread(create_app(services)) as url:
            yield Console(url, services, campaign, other, totp)
    finally:
        backend.close()
        if schema is not None:
            schema.drop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module, not per session: Playwright's sync API keeps an event
    loop running in the main thread while it is open, and a later test of another package
    that starts its own loop there (asyncio.run) would be refused."""
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """A factory of pages, each in its own context (its own cookies), at 1280 px."""
    contexts: list[Any] = []

    def make() -> Any:
        ctx = browser.new_context(viewport=DESKTOP)
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()
