"""Journeys through the console only (the store is set up through the application; every
step of the person under test is a click or a keystroke in Chromium):

- the Marketing Manager reads an item's previews and its word diff, then approves it, and an
  item changed while the page was open is refused next to the Approve button;
- an agency member drafts within its campaign (checks update as they type) and cannot open
  another campaign's item;
- the author who edits an approved item is shown that the approval is void.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import Console
from tests.browser.store import approved, awaiting_approval, draft
from tests.conftest import BACKENDS


@pytest.mark.parametrize("console", BACKENDS, indirect=True)
def test_marketing_manager_approves_after_reading_preview_and_diff(
        console: Console, page: Any) -> None:
    item = awaiting_approval(console.app, console.campaign)
    console.sign_in(page, "rina.mm")
    waiting = page.get_by_role("region", name="Content awaiting your approval")
    waiting.get_by_role("link", name="Promo kopi Desember").click()
    page.wait_for_url(f"**/items/{item}")
    previews = page.locator("article.preview")
    assert previews.count() == 2  # LinkedIn and X, each as it would be posted
    x_frame = page.get_by_role("article", name="Preview on X")
    assert "#kopi" in x_frame.locator(".caption").inner_text()
    assert x_frame.locator(".tag", has_text="@kopikita").count() == 1
    assert "weighted" in x_frame.locator(".length").inner_text()
    diff = page.locator("#diff-previous")
    assert "Jumat" in " ".join(diff.locator("ins").all_inner_texts())
    assert "minggu" in " ".join(diff.locator("del").all_inner_texts())
    assert console.axe(page) == []
    console.shots(page, "item-awaiting-approval")
    # by keyboard: Tab reaches the comment, then the Approve button, which Enter presses
    page.focus("#approve-comment")
    page.keyboard.type("Sesuai brief")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "approve"
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/items/{item}")
    assert page.locator(".status").first.inner_text() == "approved"
    assert console.app.content.get(item).approval.approver_id == "rina.mm"
    history = page.get_by_role("region", name="History")
    assert history.get_by_text("session:").count() >= 1  # the approval's via


def test_an_item_changed_while_the_page_was_open_is_not_approved(
        console: Console, page: Any) -> None:
    item = awaiting_approval(console.app, console.campaign)
    console.sign_in(page, "rina.mm")
    page.goto(f"{console.url}/items/{item}")
    shown = page.locator("input[name=revision_sha256]").get_attribute("value")
    # meanwhile the author changes the item (through the application: another person)
    console.app.content.revise("budi.dm", item, draft("Kopi baru: harga berubah"))
    page.get_by_role("button", name="Approve revision 2").click()
    error = page.locator("#error-approve")
    assert error.is_visible()
    assert "cannot approve" in error.inner_text()
    assert console.app.content.get(item).approval is None
    assert console.app.content.get(item).summary.revision_sha256 != shown
    # the page now shows what is there: revision 3, which cannot be approved as it stands
    assert page.get_by_role("button", name="Approve revision 3").is_disabled()
    assert console.axe(page) == []


def test_agency_drafts_within_its_campaign_and_cannot_open_another(
        console: Console, page: Any) -> None:
    other = str(console.app.content.create("budi.dm", "Rahasia kampanye lain",
                                           draft("Belum boleh dilihat agensi"),
                                           console.other_campaign))
    console.sign_in(page, "maya.agency")
    page.get_by_role("link", name="New draft").click()
    options = page.locator("#campaign_id option").all_inner_texts()
    assert options == ["Promo Desember"]  # only the campaign it is assigned to
    page.fill("#title", "Reels kopi")
    page.check("#platform-x")
    page.fill("#text", "Kopi " + "sangat " * 60 + "enak")
    checks = page.locator("#checks")
    checks.get_by_text("of 280 weighted characters").wait_for()  # the domain check, typing
    assert "over" in checks.locator(".length").first.get_attribute("class")
    page.fill("#text", "Kopi enak untuk pagi yang sibuk")
    checks.get_by_text("No automatic check found a problem").wait_for()
    assert console.axe(page) == []
    console.shots(page, "draft")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url("**/items/*")
    assert page.locator("main h1").inner_text() == "Reels kopi"
    made = console.app.content.get(page.url.rsplit("/", 1)[1])
    assert made.summary.campaign_id == console.campaign
    assert made.summary.author_id == "maya.agency"
    answer = page.goto(f"{console.url}/items/{other}")
    assert answer is not None and answer.status == 404
    assert "Belum boleh" not in page.content()
    assert "Rahasia" not in page.content()
    assert console.axe(page) == []


def test_editing_an_approved_item_shows_the_author_the_approval_is_void(
        console: Console, page: Any) -> None:
    item = approved(console.app, console.campaign)
    console.sign_in(page, "budi.dm")
    page.goto(f"{console.url}/items/{item}")
    assert page.locator("#voided").count() == 0
    page.get_by_role("link", name="Edit (a new revision)").click()
    page.fill("#text", "Teh hangat dan kue untuk hari hujan")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url(f"**/items/{item}")
    notice = page.locator("#voided")
    assert "approval of revision 1 is void" in notice.inner_text()
    assert "kue" in " ".join(page.locator("#diff-approved ins").all_inner_texts())
    assert console.axe(page) == []
    console.shots(page, "item-voided")
    page.get_by_role("link", name="My work").click()
    voided = page.get_by_role("region", name="Approvals voided by an edit")
    assert voided.get_by_role("link", name="Promo teh").is_visible()
    # Bahasa Indonesia: the same notice from the catalogue
    page.goto(f"{console.url}/lang/id?next=/items/{item}")
    assert "Persetujuan revisi 1 batal" in page.locator("#voided").inner_text()
    console.shots(page, "item-voided", lang="id")
