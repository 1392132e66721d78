"""/api/v1/me/notifications: a member's own channels and preferences over the API, on
SQLite and PostgreSQL; a bad value is one RFC 9457 problem and writes nothing."""

from __future__ import annotations

from typing import Any


def _events(api: Any) -> int:
    return int(api.services.app.event_count())


def test_a_member_sets_their_own_channels_and_preferences(api: Any) -> None:
    budi = api.session("budi.dm")
    answer = budi.request("PUT", "/api/v1/me/notifications/channels/work",
                          json={"kind": "email", "address": "budi@example.co.id"})
    assert answer.status_code == 200, answer.text
    answer = budi.request("PUT", "/api/v1/me/notifications/channels/team",
                          json={"kind": "chat", "address": "slack://TA/TB/secret-token"})
    assert answer.status_code == 200, answer.text
    answer = budi.request("PUT", "/api/v1/me/notifications/preferences/spike_alert",
                          json={"mode": "digest", "channels": ["team"]})
    assert answer.status_code == 200, answer.text
    view = budi.get("/api/v1/me/notifications").json()
    assert view["member_id"] == "budi.dm"
    assert [(c["name"], c["kind"]) for c in view["channels"]] == [("team", "chat"),
                                                                    ("work", "email")]
    assert "secret-token" not in str(view)  # a webhook's secret is never shown
    spike = next(p for p in view["preferences"] if p["kind"] == "spike_alert")
    assert spike == {"kind": "spike_alert", "mode": "digest", "channels": ["team"]}
    assert budi.delete("/api/v1/me/notifications/channels/team").status_code == 200
    # rina sees only her own: budi's channels are not hers
    assert api.session("rina.mm").get("/api/v1/me/notifications").json()["channels"] == []
    contacts = api.services.app.contacts.view("rina.mm", "budi.dm")
    assert [c.name for c in contacts.channels] == ["work"]


def test_bad_values_are_one_problem_and_write_nothing(api: Any) -> None:
    budi = api.session("budi.dm")
    before = _events(api)
    for url, body in (("/api/v1/me/notifications/channels/work",
                       {"kind": "email", "address": "not an address"}),
                      ("/api/v1/me/notifications/channels/work",
                       {"kind": "pager", "address": "x@y.co"}),
                      ("/api/v1/me/notifications/preferences/nope", {"mode": "digest"}),
                      ("/api/v1/me/notifications/preferences/spike_alert",
                       {"mode": "digest", "channels": ["missing"]})):
        answer = budi.request("PUT", url, json=body)
        assert answer.status_code in (400, 404, 422), answer.text
        problem = answer.json()
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "\n" not in problem["detail"] and "Traceback" not in answer.text
    assert _events(api) == before
