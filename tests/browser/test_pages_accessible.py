"""Every console page, as the role that uses it, in English and Indonesian at desktop and
phone width: zero serious or critical axe-core violations, no horizontal scrolling of the
page at 390 px, and a screenshot of each (tests/browser/artefacts/)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, Console
from tests.browser.store import approved, awaiting_approval, draft

#: (screenshot name, member, path template); {item} is an item awaiting approval,
#: {voided} an approved item its author edited since.
PAGES = [
    ("login", None, "/login"),
    ("work-mm", "rina.mm", "/"),
    ("work-dm", "budi.dm", "/"),
    ("work-admin", "adi.admin", "/"),
    ("work-legal", "sari.legal", "/"),
    ("work-agency", "maya.agency", "/"),
    ("items", "budi.dm", "/items"),
    ("item", "rina.mm", "/items/{item}"),
    ("item-author", "budi.dm", "/items/{voided}"),
    ("new-draft", "maya.agency", "/items/new"),
    ("edit-draft", "budi.dm", "/items/{voided}/edit"),
    ("not-found", "budi.dm", "/items/00000000"),
]


@pytest.mark.parametrize(("name", "member_id", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_in_both_languages_and_widths(
        console: Console, new_page: Any, name: str, member_id: str | None, path: str) -> None:
    app = console.app
    item = awaiting_approval(app, console.campaign)
    voided = approved(app, console.campaign)
    app.content.revise("budi.dm", voided, draft("Teh hangat dan kue untuk hari hujan"))
    app.content.create("maya.agency", "Draf agensi", draft("Kopi pagi"), console.campaign)
    url = console.url + path.format(item=item, voided=voided)
    for lang in ("en", "id"):
        page = new_page()
        if member_id is None:
            page.goto(f"{console.url}/lang/{lang}?next=/login")
        else:
            console.sign_in(page, member_id, lang=lang)
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("main#main").count() == 1
        assert page.locator("a.skip").count() == 1
        assert console.axe(page) == [], (name, lang)
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], \
            (name, lang, "scrolls sideways at 390 px")
        assert console.axe(page) == [], (name, lang, "390 px")
        console.shots(page, name, lang)
