"""The `as_of` query parameter of every listing in /api/v1: the listing as it stood then, the
same visibility rules, and RFC 9457 problems for a bad or future moment."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.web.conftest import Api

ROUTES = ("/api/v1/content", "/api/v1/calendar", "/api/v1/publications",
          "/api/v1/inbox", "/api/v1/incidents", "/api/v1/campaigns")


def _params(url: str) -> dict[str, str]:
    return {"month": "2026-12"} if url.endswith("/calendar") else {}


def _items(member: object, url: str, moment: str | None) -> list[dict[str, object]]:
    params = {**_params(url), **({"as_of": moment} if moment else {})}
    answer = member.get(url, params=params)  # type: ignore[attr-defined]
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


def test_every_listing_as_of_now_is_the_live_one_and_before_it_is_empty(api: Api) -> None:
    clock = api.services.clock
    clock.advance(hours=1)
    api.draft_item(api.campaign)
    api.services.app.incidents.open_incident("adi.admin", "Isu", _category(), "rincian")
    clock.advance(hours=1)
    manager = api.token("rina.mm", scope="read")
    now = clock().isoformat()
    before = (clock() - timedelta(days=30)).isoformat()
    for url in ROUTES:
        assert _instants(_items(manager, url, now)) == \
            _instants(_items(manager, url, None)), url
        assert _items(manager, url, before) == [], url


def test_an_item_drafted_later_is_not_in_the_listing_as_of_before(sqlite_api: Api) -> None:
    clock = sqlite_api.services.clock
    clock.advance(hours=1)
    first = sqlite_api.draft_item(sqlite_api.campaign)
    clock.advance(hours=1)
    between = clock().isoformat()
    clock.advance(hours=1)
    later = sqlite_api.draft_item(sqlite_api.campaign)
    member = sqlite_api.token("budi.dm", scope="read")
    then = [i["item_id"] for i in _items(member, "/api/v1/content", between)]
    assert str(first) in then and str(later) not in then
    now = [i["item_id"] for i in _items(member, "/api/v1/content", clock().isoformat())]
    assert str(later) in now


def test_an_agency_sees_only_its_campaigns_as_of_too(sqlite_api: Api) -> None:
    clock = sqlite_api.services.clock
    clock.advance(hours=1)
    mine = sqlite_api.draft_item(sqlite_api.campaign)
    other = sqlite_api.draft_item(sqlite_api.other_campaign)
    agency = sqlite_api.token("maya.agency", scope="read")
    seen = {i["item_id"] for i in _items(agency, "/api/v1/content", clock().isoformat())}
    assert str(mine) in seen and str(other) not in seen
    campaigns = {c["campaign_id"] for c in _items(agency, "/api/v1/campaigns",
                                                  clock().isoformat())}
    assert campaigns == {sqlite_api.campaign}


@pytest.mark.parametrize("url", ROUTES)
def test_a_bad_or_future_moment_is_a_problem(sqlite_api: Api, url: str) -> None:
    manager = sqlite_api.token("rina.mm", scope="read")
    future = (sqlite_api.services.clock() + timedelta(days=1)).isoformat()
    for moment, code in (("kemarin", "error.bad_time"), (future, "error.as_of_future")):
        answer = manager.get(url, params={**_params(url), "as_of": moment})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert answer.json()["code"] == code


def _instants(value: object) -> object:
    """Times as instants: a read model gives them in UTC, an aggregate in the zone they
    were given in (the same moment either way)."""
    if isinstance(value, dict):
        return {k: _instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_instants(v) for v in value]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def _category() -> object:
    from socmed_domain.crisis.incident import IncidentCategory

    return IncidentCategory.COMPLAINT_WAVE
