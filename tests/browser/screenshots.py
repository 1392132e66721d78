"""Regenerate the console screenshots of docs/ (one command):

    .venv/bin/python -m tests.browser.screenshots docs/img

The same seeded store, server and Chromium as the browser tests; the pages the docs show,
at 1280 px and 390 px, in English and Indonesian.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


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
                browser.close()
        finally:
            backend.close()
    return written


if __name__ == "__main__":
    for path in main(sys.argv[1] if len(sys.argv) > 1 else "docs/img"):
        print(path)
