"""Bounded content commands sent with a cached bearer token run in the event loop on the
embedded SQLite store (`command_async`), on the thread pool otherwise (PostgreSQL, an
Idempotency-Key, a cookie): either way the same guarantees hold: If-Match (412, nothing
written), the actor recorded from the principal, a deactivated member refused on the next
request, a retry with the same key answered once."""

from __future__ import annotations

import threading
from typing import Any

from tests.web.conftest import Api


def threads_of(api: Api, method: str) -> list[str]:
    """Record the thread each call of `app.content.<method>` runs on."""
    service = api.services.app.content
    seen: list[str] = []
    original = getattr(service, method)

    def recording(*args: Any, **kwargs: Any) -> Any:
        seen.append(threading.current_thread().name)
        return original(*args, **kwargs)

    setattr(service, method, recording)
    return seen


def on_loop(api: Api) -> bool:
    return api.services.storage.kind == "sqlite"


def test_a_bounded_command_with_a_cached_token_runs_in_the_event_loop_on_sqlite(
        api: Api) -> None:
    member = api.token("budi.dm")
    assert member.get("/api/v1/me").status_code == 200  # the principal is cached now
    item = api.draft_item()
    seen = threads_of(api, "submit_for_review")
    assert member.post(f"/api/v1/content/{item}/submit-review", json={}).status_code == 200
    in_pool = [name for name in seen if name.startswith("AnyIO worker")]
    assert len(seen) == 1 and bool(in_pool) is not on_loop(api), seen
    # a cookie-authenticated change is proven in full, on the thread pool
    session = api.session("budi.dm")
    other = api.draft_item()
    assert session.post(f"/api/v1/content/{other}/submit-review", json={}).status_code == 200
    assert seen[-1].startswith("AnyIO worker"), seen


def test_if_match_the_actor_and_the_audit_hold_in_the_event_loop(api: Api) -> None:
    author, reviewer = api.token("budi.dm"), api.token("dewi.dm")
    item = api.draft_item()
    etag = author.get(f"/api/v1/content/{item}").headers["etag"]
    assert author.post(f"/api/v1/content/{item}/submit-review",
                       headers={"If-Match": etag}, json={}).status_code == 200
    before = api.services.app.event_count()
    stale = reviewer.post(f"/api/v1/content/{item}/review", headers={"If-Match": etag},
                          json={"all_checks": True})
    assert stale.status_code == 412, stale.text
    assert api.services.app.event_count() == before
    fresh = author.get(f"/api/v1/content/{item}").headers["etag"]
    answer = reviewer.post(f"/api/v1/content/{item}/review", headers={"If-Match": fresh},
                           json={"all_checks": True})
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["confirmed"]) == sorted(api.services.app.content.checklist_keys())
    last = api.services.app.history(api.services.app.content.resolve(item))[-1]
    assert (last.event_type, last.actor_id, last.via) == ("Reviewed", "dewi.dm",
                                                            reviewer.via)


def test_a_deactivated_members_token_fails_on_the_next_command(api: Api) -> None:
    token = api.token("dewi.dm")
    item = api.draft_item()
    assert token.get("/api/v1/me").status_code == 200
    assert api.session("rina.mm").post("/api/v1/team/members/dewi.dm/deactivate",
                                       json={"reason": "left"}).status_code == 200
    before = api.services.app.event_count()
    refused = token.post(f"/api/v1/content/{item}/submit-review", json={})
    assert refused.status_code == 401, refused.text
    assert api.services.app.event_count() == before


def test_a_retry_with_the_same_key_is_answered_once_from_the_thread_pool(api: Api) -> None:
    member = api.token("budi.dm")
    assert member.get("/api/v1/me").status_code == 200
    seen = threads_of(api, "create")
    body = {"title": "Sekali saja", "campaign_id": api.campaign}
    key = {"Idempotency-Key": "create-once"}
    first = member.post("/api/v1/content", json=body, headers=key)
    again = member.post("/api/v1/content", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(seen) == 1 and seen[0].startswith("AnyIO worker"), seen
