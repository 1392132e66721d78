"""Single sign-on mounted in the real API app (`socmed_web.app.create_app(..., routers=)`):
the session the callback opens is the API's session, its CSRF cookie is the API's, and a
command sent with them records `via=sso:<issuer host>`.

Skipped where the API is not there (the `sso` branch before the API's merge).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from socmed_adapters.identity.oidc import OidcRelyingParty, OidcSettings
from socmed_web.sso import CSRF_COOKIE, sso_router
from tests.conftest import seed_team
from tests.sso.provider import LocalProvider, local_provider
from tests.sso.test_sso_login import _serve

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
web_app = pytest.importorskip("socmed_web.app")


@pytest.fixture(scope="module")
def provider() -> Iterator[LocalProvider]:
    with local_provider() as running:
        yield running


def test_an_sso_session_is_the_apis_session(backend: Any, provider: LocalProvider) -> None:
    services = backend.services()
    seed_team(services.app)
    identity = services.app.identity
    identity.record_email("rina.mm", "budi.dm", "budi@contoh.co.id")
    provider.set_user("budi-api", email="budi@contoh.co.id", email_verified=True)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    rp = OidcRelyingParty(OidcSettings(issuer=provider.issuer, client_id="socmed",
                                       client_secret="api-test-secret",
                                       redirect_url=f"{base}/auth/sso/callback"))
    app = web_app.create_app(services, behind_tls=False, routers=[
        sso_router(rp, identity, secure_cookies=False, clock=services.clock)])
    server, thread = _serve(app, listener)
    host = provider.issuer.split("://")[1]
    try:
        with httpx.Client(timeout=15, follow_redirects=True) as browser:
            page = browser.get(f"{base}/auth/sso/login")
            landed = browser.post(str(page.url), data={"sub": "budi-api"})
            assert landed.status_code == 200, landed.text
            me = browser.get(f"{base}/api/v1/me")
            assert me.status_code == 200, me.text
            assert (me.json()["member_id"], me.json()["via"]) == ("budi.dm", f"sso:{host}")
            no_csrf = browser.post(f"{base}/api/v1/tokens", json={
                "name": "ci", "scope": "read", "expires_in_days": 30})
            assert no_csrf.status_code == 403, no_csrf.text
            created = browser.post(f"{base}/api/v1/tokens", json={
                "name": "ci", "scope": "read", "expires_in_days": 30},
                headers={"X-CSRF-Token": browser.cookies.get(CSRF_COOKIE) or ""})
            assert created.status_code == 201, created.text
    finally:
        server.should_exit = True
        thread.join(10)
        listener.close()
        rp.close()
    events = services.app.audit.log("sari.legal", member="budi.dm")
    assert any(e.event_type == "TokenCreated" and e.via == f"sso:{host}" for e in events), [
        (e.event_type, e.via) for e in events]


def test_the_sso_cookies_are_the_apis_cookies() -> None:
    """The callback sets the session and CSRF cookies itself (the API's sign-in helpers
    are private to its routes): the names and the CSRF derivation must stay the API's."""
    from socmed_web import auth, sso

    assert (sso.SESSION_COOKIE, sso.CSRF_COOKIE) == (auth.SESSION_COOKIE, auth.CSRF_COOKIE)
    assert sso.csrf_token("a-session-secret") == auth.csrf_token("a-session-secret")
