"""The console's foundation in a real browser: sign in with password (and TOTP for an
approving role), the layout's landmarks and navigation, the language switch, sign out,
accessibility (axe-core) and keyboard reach, screenshots at desktop and phone width."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Console
from tests.browser.store import password


def test_sign_in_shows_my_work_with_counts_and_signs_out(console: Console, page: Any) -> None:
    """A Digital Marketing member signs in; the landing page lists their draft and the
    navigation counts it; signing out ends the session (the page asks to sign in again)."""
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    console.app.content.create("budi.dm", "Promo kopi", Draft("Halo #kopi", (Platform.X,)),
                               console.campaign)
    console.sign_in(page, "budi.dm")
    assert page.locator("main h1").inner_text() == "My work"
    assert page.locator("nav[aria-label=Main] .count").inner_text() == "1"
    assert page.get_by_role("link", name="Promo kopi").is_visible()
    assert console.axe(page) == []
    console.shots(page, "work")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?out=1")
    page.goto(f"{console.url}/")
    assert "/login" in page.url


def test_wrong_password_shows_the_identity_message_next_to_the_form(
        console: Console, page: Any) -> None:
    page.goto(f"{console.url}/login")
    page.fill("#member_id", "budi.dm")
    page.fill("#password", "salah")
    page.click("button[type=submit]")
    assert "sign-in failed" in page.locator("#login-error").inner_text()
    assert console.axe(page) == []
    console.shots(page, "login-error")


def test_an_approving_role_needs_its_authenticator_code(console: Console, page: Any) -> None:
    page.goto(f"{console.url}/login")
    page.fill("#member_id", "rina.mm")
    page.fill("#password", password("rina.mm"))
    page.click("button[type=submit]")
    assert "6-digit code" in page.locator("#login-error").inner_text()
    console.sign_in(page, "rina.mm")
    assert "Marketing Manager" in page.locator(".who").inner_text()


def test_indonesian_is_chosen_and_kept(console: Console, page: Any) -> None:
    console.sign_in(page, "sari.legal", lang="id")
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.locator("main h1").inner_text() == "Pekerjaan saya"
    assert console.axe(page) == []
    console.shots(page, "work", lang="id")
    page.get_by_role("link", name="English").click()
    assert page.locator("main h1").inner_text() == "My work"


def test_keyboard_reaches_skip_link_navigation_and_sign_out(console: Console, page: Any) -> None:
    console.sign_in(page, "adi.admin")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    reached = set()
    page.goto(f"{console.url}/")
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.textContent.trim()"))
    assert "Sign out" in reached
    assert any(text.startswith("My work") for text in reached)


def test_login_page_passes_axe_at_phone_width(console: Console, page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{console.url}/login")
    assert console.axe(page) == []
    console.shots(page, "login")
