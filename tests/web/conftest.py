"""The API under test: a real store (SQLite or PostgreSQL), the demo's team, two campaigns
(the agency is on the first only), and members signed in the ways the API accepts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from socmed_web.app import create_app
from tests.conftest import Backend, seed_campaign, seed_team
from tests.web.stand_in_identity import StandInIdentity

ROLES = {
    "marketing_manager": "rina.mm",
    "digital_marketing": "budi.dm",
    "social_media_admin": "adi.admin",
    "legal": "sari.legal",
    "agency": "maya.agency",
}


class Member:
    """One member's requests: a session (cookie + CSRF header) or a bearer token."""

    def __init__(self, client: TestClient[Any], member_id: str, headers: dict[str, str],
                 session: str | None = None) -> None:
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
                 campaign: str, other_campaign: str) -> None:
        self.client = client
        self.services = services
        self.identity = identity
        self.campaign = campaign
        self.other_campaign = other_campaign

    def password(self, member_id: str) -> str:
        return f"pw-{member_id}"

    def session(self, member_id: str) -> Member:
        self.client.cookies.clear()
        answer = self.client.post("/api/v1/session", json={
            "member_id": member_id, "password": self.password(member_id)})
        assert answer.status_code == 201, answer.text
        token = answer.cookies["socmed_session"]
        self.client.cookies.clear()  # each Member sends its own cookie
        return Member(self.client, member_id, {
            "Cookie": f"socmed_session={token}",
            "X-CSRF-Token": answer.json()["csrf_token"]}, session=token)

    def token(self, member_id: str, scope: str = "commands") -> Member:
        owner = self.session(member_id)
        answer = owner.post("/api/v1/tokens", json={"name": "ci", "scope": scope})
        assert answer.status_code == 201, answer.text
        return Member(self.client, member_id,
                      {"Authorization": f"Bearer {answer.json()['secret']}"})

    def draft_item(self, campaign: str | None = None, author: str = "budi.dm") -> str:
        """An item with a first draft, made through the application (not the API)."""
        from socmed_domain.platforms import Platform
        from socmed_domain.production.revision import Draft

        return str(self.services.app.content.create(
            author, "Promo", Draft("Halo #promo", (Platform.INSTAGRAM,)),
            campaign or self.campaign))


def make_api(backend: Backend) -> tuple[Api, Any]:
    services = backend.services()
    seed_team(services.app)
    campaign = str(seed_campaign(services.app))
    other = str(seed_campaign(services.app, agencies=(), name="Promo Lain"))
    identity = StandInIdentity(services.app)
    client = TestClient(create_app(services, identity=identity))
    return Api(client, services, identity, campaign, other), client


@pytest.fixture
def api(backend: Backend) -> Iterator[Api]:
    made, client = make_api(backend)
    with client:
        yield made


@pytest.fixture
def sqlite_api(tmp_path: Any) -> Iterator[Api]:
    made, client = make_api(Backend("sqlite", tmp_path / "store", None))
    with client:
        yield made
