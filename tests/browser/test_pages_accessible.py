"""Every console page, as the role that uses it, in English and Indonesian at desktop and
phone width: zero serious or critical axe-core violations, no horizontal scrolling of the
page at 390 px, and a screenshot of each (tests/browser/artefacts/)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import PHONE, Console
from tests.browser.store import approved, awaiting_approval, draft

#: (screenshot name, member, path template); {item} is an item awaiting approval,
#: {voided} an approved item its author edited since, {campaign} a campaign awaiting approval
#: (a strategy version awaits approval too).
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
    ("campaign", "rina.mm", "/campaigns/{campaign}"),
    ("strategy", "rina.mm", "/strategy"),
    ("configuration", "rina.mm", "/team/configuration"),
]


def _planning(app: Any) -> str:
    """A campaign planned and a strategy submitted: both await the manager's approval."""
    from datetime import datetime

    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.planning.goals import Goal, GoalKind
    from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    app.planning.draft_strategy("budi.dm", StrategyPlan(
        "Strategi 2027", goals=(Goal(GoalKind.BRAND_AWARENESS),),
        platforms=(PlatformChoice(Platform.INSTAGRAM, "audiens muda", 4),),
        key_messages=("Kopi lokal, rasa global",)))
    app.planning.submit_strategy("budi.dm")
    return str(app.planning.plan_campaign("budi.dm", CampaignPlan(
        "Promo Imlek", Period(datetime(2027, 1, 20, tzinfo=WIB),
                              datetime(2027, 2, 20, tzinfo=WIB)),
        platforms=(Platform.INSTAGRAM,), key_messages=("Angpao kopi",))))


@pytest.mark.parametrize(("name", "member_id", "path"), PAGES, ids=[p[0] for p in PAGES])
def test_page_is_accessible_in_both_languages_and_widths(
        console: Console, new_page: Any, name: str, member_id: str | None, path: str) -> None:
    app = console.app
    item = awaiting_approval(app, console.campaign)
    voided = approved(app, console.campaign)
    app.content.revise("budi.dm", voided, draft("Teh hangat dan kue untuk hari hujan"))
    app.content.create("maya.agency", "Draf agensi", draft("Kopi pagi"), console.campaign)
    campaign = _planning(app)
    url = console.url + path.format(item=item, voided=voided, campaign=campaign)
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


def _tab_to(page: Any, script: str, wanted: str) -> None:
    """Tab until `script` (about document.activeElement) gives `wanted`."""
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate(script) == wanted:
            return
    raise AssertionError(f"Tab never reached {wanted}")


def test_the_manager_approves_a_campaign_and_the_strategy_by_keyboard(
        console: Console, page: Any) -> None:
    """From My work to each page and its Approve button with Tab and Enter only."""
    app = console.app
    campaign = _planning(app)
    console.sign_in(page, "rina.mm")
    for href, done in ((f"/campaigns/{campaign}",
                        lambda: app.planning.get_campaign(campaign).summary.status == "approved"),
                       ("/strategy?version=1",
                        lambda: app.planning.get_strategy().in_force == 1)):
        page.goto(f"{console.url}/")
        _tab_to(page, "document.activeElement.getAttribute('href')", href)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        _tab_to(page, "document.activeElement.id", "approve")
        with page.expect_navigation():
            page.keyboard.press("Enter")
        assert done(), href
