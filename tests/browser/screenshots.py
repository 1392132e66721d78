"""Regenerate the console screenshots of docs/ (one command):

    .venv/bin/python -m tests.browser.screenshots docs/img

The same seeded store, server and Chromium as the browser tests; the pages the docs show,
at 1280 px and 390 px, in English and Indonesian.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any


def main(target: str) -> list[Path]:
    import os

    os.environ["SOCMED_SCREENSHOTS"] = str(Path(target).resolve())
    from playwright.sync_api import sync_playwright

    from socmed_web.app import create_app
    from tests.browser import conftest
    from tests.browser.store import approved, awaiting_approval, draft, seeded
    from tests.conftest import Backend
    from tests.web.live import uvicorn_thread

    conftest.ARTEFACTS = Path(target).resolve()
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        backend = Backend("sqlite", Path(tmp) / "store", None)
        try:
            services, campaign, other, totp = seeded(backend)
            app = services.app
            item = awaiting_approval(app, campaign)
            voided = approved(app, campaign)
            app.content.revise("budi.dm", voided, draft("Teh hangat dan kue untuk hari hujan"))
            app.content.create("budi.dm", "Ide kuis Natal", draft("Kuis: tebak rasa kopi"),
                               campaign)
            with uvicorn_thread(create_app(services)) as url, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=conftest.CHROMIUM)
                console = conftest.Console(url, services, campaign, other, totp)
                for lang in ("en", "id"):
                    author = browser.new_context(viewport=conftest.DESKTOP).new_page()
                    console.sign_in(author, "budi.dm", lang=lang)
                    written += console.shots(author, "console-work", lang, ("1280",))
                    author.goto(f"{url}/items/{voided}")
                    written += console.shots(author, "console-item-voided", lang, ("390",))
                    manager = browser.new_context(viewport=conftest.DESKTOP).new_page()
                    console.sign_in(manager, "rina.mm", lang=lang)
                    manager.goto(f"{url}/items/{item}")
                    written += console.shots(manager, "console-item", lang, ("1280",))
                written += _rooms(browser, console, url, campaign)
                browser.close()
        finally:
            backend.close()
    return written


def _rooms(browser: Any, console: Any, url: str, campaign: str) -> list[Path]:
    """The calendar, inbox, reports and audit pages, then the incident room of a level 3
    incident with the freeze banner (last: the freeze holds from then on)."""
    from datetime import datetime, timedelta

    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB
    from tests.browser import conftest
    from tests.browser.store import approved

    app = console.app
    for day, title in ((9, "Promo teh pagi"), (16, "Kuis kopi akhir pekan")):
        app.content.schedule("adi.admin", approved(app, campaign, title),
                             datetime(2026, 12, day, 10, 0, tzinfo=WIB))
    app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.INSTAGRAM, InteractionKind.COMMENT, f"ig-{n}", f"warga{n}",
        ("kapan promonya mulai?", "kopinya enak sekali!", "pesanan saya belum sampai")[n % 3],
        datetime(2026, 12, 1, 7, 0, tzinfo=WIB) + timedelta(minutes=7 * n))
        for n in range(6)])
    written: list[Path] = []
    for lang in ("en", "id"):
        for member_id, path, name in (("rina.mm", "/calendar?month=2026-12", "console-calendar"),
                                      ("adi.admin", "/inbox", "console-inbox"),
                                      ("rina.mm", "/reports?month=2026-12", "console-reports"),
                                      ("sari.legal", "/audit?search=1", "console-audit")):
            page = browser.new_context(viewport=conftest.DESKTOP).new_page()
            console.sign_in(page, member_id, lang=lang)
            page.goto(f"{url}{path}")
            written += console.shots(page, name, lang, ("1280",))
    incident = app.incidents.open_incident("rina.mm", "Kebocoran data pelanggan",
                                           IncidentCategory.PERSONAL_DATA_BREACH)
    app.incidents.classify_incident("rina.mm", incident, 3, "data pribadi pelanggan bocor")
    for lang in ("en", "id"):
        page = browser.new_context(viewport=conftest.DESKTOP).new_page()
        console.sign_in(page, "sari.legal", lang=lang)
        page.goto(f"{url}/incidents/{str(incident)[:8]}")
        written += console.shots(page, "console-incident", lang, ("390",))
    return written


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "docs/img"):
        print(path)
