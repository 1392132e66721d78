"""Single sign-on end to end: a browser (httpx), a real OpenID Connect provider on 127.0.0.1,
the /auth/sso routes served by uvicorn on 127.0.0.1, and the store on SQLite and PostgreSQL.

What the issue asks of it: a linked member signs in and the resulting session authenticates
`app.identity.session_principal`; what that member then does is recorded with
`via=sso:<issuer host>`; a callback with the wrong state or an ID token with the wrong nonce,
an email the provider did not verify, an unknown subject and a deactivated member are all
refused with a problem and no session.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from attrs import evolve
from litestar import Litestar, Request, Response, get

from socmed_adapters.identity.oidc import OidcRelyingParty, OidcSettings, TransactionSealer
from socmed_domain.errors import SocmedError
from socmed_domain.roles import Role
from socmed_domain.team import TEAM_ID
from socmed_web.sso import SESSION_COOKIE, TRANSACTION_COOKIE, sso_router
from tests.conftest import seed_campaign, seed_team
from tests.sso.provider import LocalProvider, local_provider

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the provider's authlib

SECRET = "client-secret-of-the-sso-tests"


@pytest.fixture(scope="module")
def provider() -> Iterator[LocalProvider]:
    with local_provider() as running:
        yield running


class Site:
    """The app under test, served on 127.0.0.1, and what it runs on."""

    def __init__(self, base: str, services: Any, provider: LocalProvider) -> None:
        self.base = base
        self.services = services
        self.app = services.app
        self.identity = services.app.identity
        self.provider = provider
        self.host = urlsplit(provider.issuer).netloc  # 127.0.0.1:<port>

    def browser(self) -> httpx.Client:
        return httpx.Client(timeout=15, follow_redirects=True)

    def start(self, browser: httpx.Client, next_path: str = "/whoami") -> httpx.Response:
        """Open the sign-in: the provider's page, reached through our 303."""
        page = browser.get(f"{self.base}/auth/sso/login", params={"next": next_path})
        assert page.status_code == 200 and str(page.url).startswith(self.provider.issuer)
        return page

    def sign_in(self, browser: httpx.Client, subject: str,
                lang: str = "en") -> httpx.Response:
        """The whole flow as a person does it: start, submit the provider's form as
        `subject`, land on our callback (redirects followed)."""
        page = self.start(browser)
        return browser.post(str(page.url), data={"sub": subject},
                            headers={"Accept-Language": lang})

    def whoami(self, browser: httpx.Client) -> httpx.Response:
        return browser.get(f"{self.base}/whoami")


def _serve(app: Litestar, listener: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    """uvicorn on an already bound socket, in a thread; returns once it accepts."""
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    return server, thread


@pytest.fixture
def site(backend: Any, provider: LocalProvider) -> Iterator[Site]:
    services = backend.services()
    seed_team(services.app)
    identity = services.app.identity

    @get("/whoami", sync_to_thread=True)
    def whoami(request: Request[Any, Any, Any]) -> dict[str, str]:
        principal = identity.session_principal(request.cookies.get(SESSION_COOKIE, ""))
        return {"member_id": principal.member_id, "via": principal.via}

    def refused(request: Request[Any, Any, Any], error: SocmedError) -> Response[Any]:
        return Response({"code": error.code}, status_code=401)

    # The redirect URL must be known before the app exists: bind first, then build.
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    rp = OidcRelyingParty(OidcSettings(issuer=provider.issuer, client_id="socmed",
                                       client_secret=SECRET,
                                       redirect_url=f"{base}/auth/sso/callback"))
    app = Litestar(route_handlers=[sso_router(rp, identity, secure_cookies=False), whoami],
                   exception_handlers={SocmedError: refused}, debug=False)
    server, thread = _serve(app, listener)
    try:
        yield Site(base, services, provider)
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
        rp.close()


def test_a_member_with_a_verified_email_signs_in_and_acts_via_sso(site: Site) -> None:
    site.identity.record_email("rina.mm", "budi.dm", "budi@contoh.co.id")
    site.provider.set_user("budi-at-idp", email="Budi@Contoh.co.id", email_verified=True)
    with site.browser() as browser:
        landed = site.sign_in(browser, "budi-at-idp")
        assert landed.status_code == 200, landed.text
        assert str(landed.url).startswith(f"{site.base}/auth/sso/callback")
        assert "url=/whoami" in landed.text  # the page moves on to `next`
        token = browser.cookies.get(SESSION_COOKIE)
        assert token and browser.cookies.get("socmed_csrf")
        assert browser.cookies.get(TRANSACTION_COOKIE) is None  # the login is finished
        me = site.whoami(browser).json()
    assert me == {"member_id": "budi.dm", "via": f"sso:{site.host}"}
    principal = site.identity.session_principal(token)
    assert principal.member_id == "budi.dm" and principal.via == f"sso:{site.host}"
    # what the member does in that session is recorded as established by SSO
    campaign_id = seed_campaign(site.app, planner=principal, agencies=(), start=False)
    planned = site.app.planning.campaign_history(campaign_id)[0]
    assert planned.event_type == "CampaignPlanned" and planned.actor_id == "budi.dm"
    assert planned.via == f"sso:{site.host}"
    # and the first login by email linked the provider's subject, as an audited event
    linked = site.app.audit.log("sari.legal", event_type="SsoLinked")
    assert [(e.actor_id, e.via, e.params.get("subject")) for e in linked] == [
        ("budi.dm", "auth:sso", "budi-at-idp")]


def test_once_matched_by_email_the_subject_is_what_signs_in(site: Site) -> None:
    """The first login by verified email links the provider's subject; a later login
    matches the subject even when the provider's email changed meanwhile."""
    site.identity.record_email("rina.mm", "budi.dm", "budi@contoh.co.id")
    site.provider.set_user("budi-at-idp", email="budi@contoh.co.id", email_verified=True)
    with site.browser() as browser:
        assert site.sign_in(browser, "budi-at-idp").status_code == 200
        first = browser.cookies.get(SESSION_COOKIE)
    site.provider.set_user("budi-at-idp", email="budi.santoso@elsewhere.example",
                           email_verified=True)
    with site.browser() as browser:
        browser.cookies.set(SESSION_COOKIE, first or "", domain="127.0.0.1")
        assert site.sign_in(browser, "budi-at-idp").status_code == 200
        second = browser.cookies.get(SESSION_COOKIE)
        assert site.whoami(browser).json()["member_id"] == "budi.dm"
    # a new session id at every login; the one the browser carried is ended, not promoted
    assert second and second != first
    with pytest.raises(SocmedError):
        site.identity.session_principal(first or "")


def _refused(response: httpx.Response, browser: httpx.Client, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert browser.cookies.get(SESSION_COOKIE) is None
    body: dict[str, Any] = response.json()
    return body


def test_an_unverified_email_is_refused(site: Site) -> None:
    site.identity.record_email("rina.mm", "dewi.dm", "dewi@contoh.co.id")
    site.provider.set_user("dewi-at-idp", email="dewi@contoh.co.id", email_verified=False)
    before = site.app.event_count()
    with site.browser() as browser:
        body = _refused(site.sign_in(browser, "dewi-at-idp"), browser, 401)
    assert body["code"].startswith("error.")
    assert site.app.event_count() == before  # nothing linked, no session opened


def test_an_unknown_subject_is_refused_in_the_request_language(site: Site) -> None:
    site.provider.set_user("stranger", email="stranger@elsewhere.example",
                           email_verified=True)
    with site.browser() as browser:
        english = _refused(site.sign_in(browser, "stranger"), browser, 401)
    with site.browser() as browser:
        indonesian = _refused(site.sign_in(browser, "stranger", lang="id"), browser, 401)
    assert english["code"] == indonesian["code"]
    assert english["detail"] != indonesian["detail"]


def test_a_deactivated_member_is_refused(site: Site) -> None:
    site.identity.record_email("rina.mm", "adi.admin", "adi@contoh.co.id")
    site.provider.set_user("adi-at-idp", email="adi@contoh.co.id", email_verified=True)
    with site.browser() as browser:
        assert site.sign_in(browser, "adi-at-idp").status_code == 200
        token = browser.cookies.get(SESSION_COOKIE)
    site.app.team.deactivate_member("rina.mm", "adi.admin", "left the company")
    with pytest.raises(SocmedError):  # the open session fails on its next request
        site.identity.session_principal(token or "")
    with site.browser() as browser:
        _refused(site.sign_in(browser, "adi-at-idp"), browser, 401)


def _callback_params(site: Site, browser: httpx.Client, subject: str) -> dict[str, str]:
    """Start a login and sign in at the provider, stopping before our callback."""
    page = site.start(browser)
    answer = browser.post(str(page.url), data={"sub": subject}, follow_redirects=False)
    assert answer.status_code == 302
    return {k: v[0] for k, v in parse_qs(urlsplit(answer.headers["location"]).query).items()}


def test_a_callback_with_a_wrong_state_or_no_login_of_this_browser_is_refused(
        site: Site) -> None:
    site.identity.record_email("rina.mm", "sari.legal", "sari@contoh.co.id")
    site.provider.set_user("sari-at-idp", email="sari@contoh.co.id", email_verified=True)
    callback = f"{site.base}/auth/sso/callback"
    with site.browser() as browser:
        params = _callback_params(site, browser, "sari-at-idp")
        wrong = browser.get(callback, params={**params, "state": "forged-state"})
        assert _refused(wrong, browser, 400)["code"] == "error.sso_login_expired"
    with site.browser() as other_browser:  # login CSRF: a callback this browser never began
        params = _callback_params(site, site.browser(), "sari-at-idp")
        csrf = other_browser.get(callback, params=params)
        assert _refused(csrf, other_browser, 400)["code"] == "error.sso_login_expired"


def test_an_id_token_with_a_wrong_nonce_is_refused(site: Site) -> None:
    """The transaction cookie names the state the callback carries but another nonce (as a
    replayed ID token of another login would): the token is refused."""
    site.identity.record_email("rina.mm", "maya.agency", "maya@agency.example")
    site.provider.set_user("maya-at-idp", email="maya@agency.example", email_verified=True)
    sealer = TransactionSealer(SECRET)
    with site.browser() as browser:
        params = _callback_params(site, browser, "maya-at-idp")
        cookie = browser.cookies.get(TRANSACTION_COOKIE)
        transaction = sealer.open(cookie)
        assert transaction is not None
        browser.cookies.delete(TRANSACTION_COOKIE)
        browser.cookies.set(TRANSACTION_COOKIE,
                            sealer.seal(evolve(transaction, nonce="another-login")),
                            domain="127.0.0.1", path="/auth/sso")
        answer = browser.get(f"{site.base}/auth/sso/callback", params=params)
        body = _refused(answer, browser, 401)
    assert body["code"] == "error.sso_token_invalid" and "nonce" in body["detail"]


def test_a_subject_linked_by_the_marketing_manager_signs_in_without_a_verified_email(
        site: Site) -> None:
    site.app.sso.link_subject("rina.mm", "dewi.dm", site.provider.issuer, "dewi-linked")
    site.provider.set_user("dewi-linked", email="dewi@personal.example", email_verified=False)
    with site.browser() as browser:
        assert site.sign_in(browser, "dewi-linked").status_code == 200
        assert site.whoami(browser).json() == {"member_id": "dewi.dm",
                                               "via": f"sso:{site.host}"}


def test_a_managers_second_factor_is_the_providers_mfa(site: Site) -> None:
    """Under the default access policy the Marketing Manager needs a second factor to manage
    the team: a session opened by SSO has one when the provider's `amr` says so."""
    site.identity.record_email("rina.mm", "rina.mm", "rina@contoh.co.id")
    site.provider.set_user("rina-pwd-only", email="rina@contoh.co.id", email_verified=True,
                           amr=["pwd"])
    with site.browser() as browser:
        assert site.sign_in(browser, "rina-pwd-only").status_code == 200
        password_only = site.identity.session_principal(browser.cookies.get(SESSION_COOKIE))
    assert password_only.second_factor is False
    with pytest.raises(SocmedError) as refused:
        site.app.team.add_member(password_only, "nina.dm", "Nina", Role.DIGITAL_MARKETING)
    assert refused.value.code == "error.second_factor_needed"
    site.provider.set_user("rina-pwd-only", email="rina@contoh.co.id", email_verified=True,
                           amr=["pwd", "mfa"])
    with site.browser() as browser:
        assert site.sign_in(browser, "rina-pwd-only").status_code == 200
        with_mfa = site.identity.session_principal(browser.cookies.get(SESSION_COOKIE))
    assert with_mfa.second_factor is True
    site.app.team.add_member(with_mfa, "nina.dm", "Nina", Role.DIGITAL_MARKETING)
    added = site.app.history(TEAM_ID)[-1]
    assert (added.event_type, added.actor_id, added.via) == (
        "MemberAdded", "rina.mm", f"sso:{site.host}")
