"""The API under test: a real store (SQLite or PostgreSQL), the demo's team, two campaigns
(the agency is on the first only), and members signed in the ways the API accepts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import TestClient

from socmed_web.app import create_app
from tests.conftest import Backend, seed_campaign, seed_team

ROLES = {
    "marketing_manager": "rina.mm",
    "digital_marketing": "budi.dm",
    "social_media_admin": "adi.admin",
    "legal": "sari.legal",
    "agency": "maya.agency",
}


@pytest.fixture(autouse=True)
def _cheap_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same argon2id, with the smallest parameters: these tests sign members in dozens
    of times, and the production cost (64 MiB, t=3) is there to slow attackers, not CI."""
    from socmed_adapters.identity import hashing

    class CheapArgon2(hashing.Argon2Hasher):
        def __init__(self) -> None:
            super().__init__(time_cost=1, memory_cost=1024, parallelism=1)

    monkeypatch.setattr(hashing, "Argon2Hasher", CheapArgon2)


class Member:
    """One member's requests: a session (cookie + CSRF header) or a bearer token."""

    def __init__(self, client: TestClient[Any], member_id: str, headers: dict[str, str],
                 session: str | None = None, via: str = "") -> None:
        self.via = via  # how the server said it authenticated this member
        self.client = client
        self.member_id = member_id
        self.headers = headers
        self.session = session

    def request(self, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any) -> Any:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, json: Any = None, **kwargs: Any) -> Any:
        return self.request("POST", url, json={} if json is None else json, **kwargs)

    def delete(self, url: str, **kwargs: Any) -> Any:
        return self.request("DELETE", url, **kwargs)


class Api:
    def __init__(self, client: TestClient[Any], services: Any, identity: Any,
                 campaign: str, other_campaign: str, totp: dict[str, str]) -> None:
        self.totp = totp
        self.client = client
        self.services = services
        self.identity = identity
        self.campaign = campaign
        self.other_campaign = other_campaign

    def otp(self, member_id: str) -> str | None:
        """The member's current TOTP code (the clock moves on a step first: a code is
        accepted once), or None for a member without a second factor."""
        import pyotp

        secret = self.totp.get(member_id)
        if secret is None:
            return None
        now = self.services.clock.advance(seconds=31)
        return str(pyotp.TOTP(secret).at(now))

    def password(self, member_id: str) -> str:
        return f"kata sandi {member_id} 2026"

    def session(self, member_id: str) -> Member:
        self.client.cookies.clear()
        answer = self.client.post("/api/v1/session", json={
            "member_id": member_id, "password": self.password(member_id),
            "otp": self.otp(member_id)})
        assert answer.status_code == 201, answer.text
        token = answer.cookies["socmed_session"]
        self.client.cookies.clear()  # each Member sends its own cookie
        return Member(self.client, member_id, {
            "Cookie": f"socmed_session={token}",
            "X-CSRF-Token": answer.json()["csrf_token"]}, session=token,
            via=answer.json()["via"])

    def token(self, member_id: str, scope: str = "commands") -> Member:
        owner = self.session(member_id)
        answer = owner.post("/api/v1/tokens", json={"name": "ci", "scope": scope})
        assert answer.status_code == 201, answer.text
        return Member(self.client, member_id,
                      {"Authorization": f"Bearer {answer.json()['secret']}"},
                      via=f"token:{answer.json()['token_id']}")

    def draft_item(self, campaign: str | None = None, author: str = "budi.dm") -> str:
        """An item with a first draft, made through the application (not the API)."""
        from socmed_domain.platforms import Platform
        from socmed_domain.production.revision import Draft

        return str(self.services.app.content.create(
            author, "Promo", Draft("Halo #promo", (Platform.INSTAGRAM,)),
            campaign or self.campaign))


#: The members who sign in with a second factor (the approving roles, as the policy asks).
SECOND_FACTOR = ("rina.mm", "sari.legal")


def make_api(backend: Backend) -> tuple[Api, Any]:
    import pyotp

    from socmed_adapters.clock import ManualClock
    from socmed_domain.timezones import WIB

    services = backend.services(clock=ManualClock(datetime(2026, 12, 1, 8, 0, tzinfo=WIB)))
    seed_team(services.app)
    campaign = str(seed_campaign(services.app))
    other = str(seed_campaign(services.app, agencies=(), name="Promo Lain"))
    identity = services.app.identity
    for member_id in ROLES.values():  # every member sets a password with an invitation
        code = identity.invite("rina.mm", member_id).code
        identity.set_up_account(member_id, code, f"kata sandi {member_id} 2026")
    identity.set_up_account("dewi.dm", identity.invite("rina.mm", "dewi.dm").code,
                            "kata sandi dewi.dm 2026")
    totp = {}
    for member_id in SECOND_FACTOR:
        totp[member_id] = identity.enrol_totp(member_id).secret
        identity.confirm_totp(member_id, pyotp.TOTP(totp[member_id]).at(services.clock()))
    client = TestClient(create_app(services))
    return Api(client, services, identity, campaign, other, totp), client


@pytest.fixture
def api(backend: Backend) -> Iterator[Api]:
    made, client = make_api(backend)
    with client:
        yield made


@pytest.fixture
def sqlite_api(tmp_path: Any) -> Iterator[Api]:
    backend = Backend("sqlite", tmp_path / "store", None)
    try:
        made, client = make_api(backend)
        with client:
            yield made
    finally:
        backend.close()
