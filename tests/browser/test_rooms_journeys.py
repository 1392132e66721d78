"""The console's calendar, inbox, incident room, reports and audit, and team pages in a real
browser (Playwright + Debian's Chromium over `socmed_web` served by uvicorn on a real
store): the issue's journeys through the UI only, axe-core on every page (no serious or
critical violation), keyboard reach, and screenshots EN/ID at desktop and phone width."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Console


def _conversations(console: Console, count: int) -> None:
    """`count` mentions on X, each its own conversation (ingested by the Admin)."""
    from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    console.app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-{n}", f"warga{n}", "kapan promonya mulai?",
        datetime(2026, 12, 1, 7, n % 60, tzinfo=WIB)) for n in range(count)])


def test_admin_bulk_assigns_twenty_conversations_and_replies_with_a_template(
        console: Console, page: Any) -> None:
    """The Admin filters the inbox, chooses 20 conversations, assigns them in one command
    (all of them recorded), then answers one with the 'question' template."""
    _conversations(console, 20)
    console.sign_in(page, "adi.admin")
    page.get_by_role("link", name="Inbox").click()
    page.select_option("#f-platform", "x")
    page.get_by_role("button", name="Filter").click()
    boxes = page.locator("input[name=ids]")
    assert boxes.count() == 20
    assert console.axe(page) == []
    console.shots(page, "inbox")
    for i in range(20):
        boxes.nth(i).check()
    page.select_option("#bulk-action", "assign")
    page.fill("#bulk-assignee", "adi.admin")
    page.click("#bulk-submit")
    assert "assign:20" in page.locator("p.ok").inner_text()
    rows = console.services.read_models.inbox_page("adi.admin", console.services)
    assert len(rows) == 20 and {r["assignee"] for r in rows} == {"adi.admin"}

    page.locator("table a").first.click()
    assert page.locator("main h1").inner_text().startswith("Conversation")
    assert page.locator("#sla-h").is_visible()
    assert console.axe(page) == []
    console.shots(page, "conversation")
    page.select_option("#template", "question")
    page.fill("#value_answer", "Promonya mulai 12 Desember.")
    page.click("#send-reply")
    assert "Reply sent." in page.locator("p.ok").inner_text()


def test_bulk_close_is_all_or_nothing_and_shows_the_refusal_next_to_the_control(
        console: Console, page: Any) -> None:
    """Assigning to someone not on the team is refused with the domain's message next to
    the bulk button, and no conversation changed."""
    _conversations(console, 3)
    console.sign_in(page, "adi.admin")
    page.goto(f"{console.url}/inbox")
    for i in range(3):
        page.locator("input[name=ids]").nth(i).check()
    page.select_option("#bulk-action", "assign")
    page.fill("#bulk-assignee", "nobody.here")
    page.click("#bulk-submit")
    assert "nobody.here" in page.locator("#error-bulk").inner_text()
    assert page.locator("#bulk-submit").get_attribute("aria-describedby") == "error-bulk"
    rows = console.services.read_models.inbox_page("adi.admin", console.services)
    assert len(rows) == 3 and all(r["assignee"] == "" for r in rows)


def _statement(console: Console) -> tuple[str, str]:
    """A level 3 incident freezing publishing, and its statement item awaiting review."""
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    app = console.app
    incident = app.incidents.open_incident("rina.mm", "Kebocoran data pelanggan",
                                           IncidentCategory.PERSONAL_DATA_BREACH)
    app.incidents.classify_incident("rina.mm", incident, 3, "data pribadi pelanggan bocor")
    item = app.content.create("budi.dm", "Pernyataan resmi", Draft(
        "Kami sedang menangani insiden data. Info: support@contoh.co.id", (Platform.X,)),
        console.campaign)
    app.incidents.link_statement("rina.mm", incident, str(item))
    app.content.submit_for_review("budi.dm", str(item))
    return str(incident)[:8], str(item)


def test_legal_signs_off_a_statement_during_a_level_3_incident_under_the_freeze_banner(
        console: Console, page: Any) -> None:
    from socmed_domain.production.quality import CHECKLIST_KEYS

    ref, item = _statement(console)
    console.sign_in(page, "sari.legal")
    assert "frozen" in page.locator("#freeze-banner").inner_text()
    page.get_by_role("link", name="Incidents").click()
    page.locator("main").get_by_role("link", name=f"{ref} · Kebocoran data pelanggan").click()
    assert page.locator("#level").inner_text() == "3"
    assert "pending" in page.locator("#pdp").inner_text()
    assert page.locator("#freeze-banner").is_visible()
    assert console.axe(page) == []
    console.shots(page, "incident")
    page.get_by_role("link", name=f"statement item {item[:8]}").click()
    assert page.locator("#freeze-banner").is_visible()
    for key in CHECKLIST_KEYS:
        page.check(f"#check-{key}")
    page.fill("#review-comment", "Legal: disetujui untuk terbit")
    page.get_by_role("button", name="Review").click()
    page.wait_for_url(f"**/items/{item}")
    events = [e.event_type for e in console.app.content.history_for("sari.legal", item)]
    assert "Reviewed" in events
    assert page.locator("#freeze-banner").is_visible()


def test_legal_searches_the_audit_log_and_downloads_a_bundle_that_verifies(
        console: Console, page: Any, tmp_path: Path) -> None:
    console.sign_in(page, "sari.legal")
    page.get_by_role("link", name="Audit").click()
    assert console.axe(page) == []
    page.fill("#a-member", "rina.mm")
    page.select_option("#a-type", "MemberAdded")
    page.click("#audit-search")
    results = page.locator("#audit-results tbody tr")
    assert results.count() == 5
    page.select_option("#a-via", "session")
    page.click("#audit-search")
    assert page.locator("#audit-results").count() == 0  # seeded in-process: via library
    page.select_option("#a-via", "library")
    page.click("#audit-search")
    assert page.locator("#audit-results tbody tr").count() == 5
    assert console.axe(page) == []
    console.shots(page, "audit")
    with page.expect_download() as download:
        page.click("#bundle")
    archive = tmp_path / "bundle.zip"
    download.value.save_as(archive)
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    checked = subprocess.run([str(Path(sys.executable).parent / "socmed"), "audit", "verify-bundle",
                              str(folder)], capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "bundle intact" in checked.stdout


def test_the_marketing_manager_adds_and_invites_a_member_and_sees_the_code_once(
        console: Console, page: Any) -> None:
    console.sign_in(page, "rina.mm")
    page.get_by_role("link", name="Team").click()
    assert console.axe(page) == []
    console.shots(page, "team")
    page.fill("#add-id", "tono.dm")
    page.fill("#add-name", "Tono Wibowo")
    page.select_option("#add-role", "digital_marketing")
    page.click("#add-member")
    page.click("#invite-tono\\.dm")
    code = page.locator("#setup-code").inner_text()
    assert len(code) >= 8
    console.app.identity.set_up_account("tono.dm", code, "kata sandi tono 2026 baru")
    page.goto(f"{console.url}/team")
    assert page.locator("#setup-code").count() == 0


def test_calendar_month_and_week_with_holidays_posts_and_the_secret_feed(
        console: Console, page: Any) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft
    from socmed_domain.timezones import WIB
    from tests.conftest import seed_approved

    item = seed_approved(console.app, "Promo Natal", Draft("Promo natal #kopi",
                                                           (Platform.X,)))
    console.app.schedule_content("adi.admin", item, datetime(2026, 12, 24, 19, 0, tzinfo=WIB))
    console.sign_in(page, "adi.admin")
    page.get_by_role("link", name="Calendar").click()
    assert "2026-12" in page.locator("main h1").inner_text()
    assert page.get_by_text("Christmas", exact=False).first.is_visible()
    assert page.get_by_role("link", name="19:00 x · Promo Natal").is_visible()
    assert console.axe(page) == []
    console.shots(page, "calendar")
    page.goto(f"{console.url}/calendar?week=2026-12-24")
    assert page.locator("table.calendar tbody tr").count() == 1
    page.get_by_role("link", name="19:00 x · Promo Natal").click()
    assert page.url.endswith(f"/items/{item}")
    page.goto(f"{console.url}/calendar")
    page.click("#rotate-feed")
    url = page.locator("#feed-url").input_value()
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as answer:
        body = answer.read().decode()
    assert "BEGIN:VCALENDAR" in body and "Promo Natal" in body
    page.goto(f"{console.url}/calendar")
    page.click("#rotate-feed")
    import urllib.error

    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(url, timeout=10)


def test_reports_page_passes_axe(console: Console, page: Any) -> None:
    console.sign_in(page, "rina.mm")
    page.get_by_role("link", name="Reports").click()
    assert "2026-12" in page.locator("main h1").inner_text()
    assert console.axe(page) == []
    console.shots(page, "reports")


@pytest.mark.parametrize("path", ["/calendar", "/inbox", "/incidents", "/audit", "/team",
                                  "/reports"])
def test_indonesian_pages_pass_axe_at_phone_width(console: Console, page: Any,
                                                  path: str) -> None:
    _conversations(console, 2)
    console.sign_in(page, "rina.mm", lang="id")
    page.goto(f"{console.url}{path}")
    assert page.locator("html").get_attribute("lang") == "id"
    assert console.axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert console.axe(page) == []
    console.shots(page, path.strip("/"), lang="id")


def test_keyboard_reaches_the_bulk_controls_of_the_inbox(console: Console, page: Any) -> None:
    _conversations(console, 1)
    console.sign_in(page, "adi.admin")
    page.goto(f"{console.url}/inbox")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.id || document.activeElement.name"))
    assert {"bulk-action", "bulk-assignee", "bulk-submit"} <= reached
    assert any(str(name).startswith("c-") for name in reached)  # a conversation's box
