"""Authentication, CSRF, session fixation, scopes, `via`, ETag/If-Match, problems and headers."""

from __future__ import annotations

import pytest

from socmed_web.app import create_app
from tests.web.conftest import Api


def test_no_credentials_is_401_problem(sqlite_api: Api) -> None:
    answer = sqlite_api.client.get("/api/v1/content")
    assert answer.status_code == 401
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.headers["www-authenticate"].startswith("Bearer")


def test_bad_token_and_bad_cookie_are_refused(sqlite_api: Api) -> None:
    client = sqlite_api.client
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}
                      ).status_code == 401
    assert client.get("/api/v1/me", headers={"Cookie": "socmed_session=nope"}
                      ).status_code == 401


def test_deactivated_members_session_and_token_fail_on_next_request(api: Api) -> None:
    session = api.session("dewi.dm")
    token = api.token("dewi.dm")
    assert session.get("/api/v1/me").status_code == 200
    assert token.get("/api/v1/me").status_code == 200
    manager = api.session("rina.mm")
    assert manager.post("/api/v1/team/members/dewi.dm/deactivate",
                        json={"reason": "left"}).status_code == 200
    assert session.get("/api/v1/me").status_code == 401
    assert token.get("/api/v1/content").status_code == 401


def test_cookie_change_without_csrf_token_is_refused_and_writes_nothing(api: Api) -> None:
    member = api.session("budi.dm")
    cookie_only = {"Cookie": member.headers["Cookie"]}
    before = api.services.app.event_count()
    body = {"title": "x", "campaign_id": api.campaign}
    for headers in (cookie_only, {**cookie_only, "X-CSRF-Token": "0" * 64}):
        answer = api.client.post("/api/v1/content", json=body, headers=headers)
        assert answer.status_code == 403 and answer.json()["code"] == "error.csrf"
    assert api.services.app.event_count() == before
    assert api.client.get("/api/v1/content", headers=cookie_only).status_code == 200
    assert member.post("/api/v1/content", json=body).status_code == 201


def test_sign_in_issues_a_new_session_and_ends_the_one_carried_in(sqlite_api: Api) -> None:
    """Session fixation: a session id the browser already carried (planted by someone else,
    or the member's own older one) is never the one the sign-in gives, and is ended."""
    api = sqlite_api
    first = api.session("budi.dm")
    answer = api.client.post("/api/v1/session", json={
        "member_id": "budi.dm", "password": api.password("budi.dm")},
        headers={"Cookie": first.headers["Cookie"]})
    assert answer.status_code == 201
    cookie = answer.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    new = answer.cookies["socmed_session"]
    assert new != first.session
    assert first.get("/api/v1/me").status_code == 401


def test_sign_out_ends_the_session(sqlite_api: Api) -> None:
    member = sqlite_api.session("budi.dm")
    assert member.delete("/api/v1/session").status_code == 200
    assert member.get("/api/v1/me").status_code == 401


def test_secure_cookie_and_hsts_behind_tls(sqlite_api: Api) -> None:
    from litestar.testing import TestClient

    app = create_app(sqlite_api.services, behind_tls=True)
    with TestClient(app) as client:
        answer = client.post("/api/v1/session", json={"member_id": "budi.dm",
                                                      "password": sqlite_api.password("budi.dm")})
        assert "Secure" in answer.headers["set-cookie"]
        assert answer.headers["strict-transport-security"].startswith("max-age=")
    plain = sqlite_api.client.get("/api/v1/me")
    assert "strict-transport-security" not in plain.headers


def test_security_headers_on_every_answer(sqlite_api: Api) -> None:
    for answer in (sqlite_api.client.get("/api/v1/content"),
                   sqlite_api.client.get("/api/schema"), sqlite_api.client.get("/nope")):
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_read_only_token_reads_but_cannot_command(api: Api) -> None:
    reader = api.token("budi.dm", scope="read")
    assert reader.get("/api/v1/content").status_code == 200
    before = api.services.app.event_count()
    answer = reader.post("/api/v1/content", json={"title": "x", "campaign_id": api.campaign})
    assert answer.status_code == 403
    assert answer.json()["code"] == "error.read_only_principal"
    assert api.services.app.event_count() == before


def test_each_events_via_is_how_its_request_was_authenticated(api: Api) -> None:
    by_session = api.session("budi.dm")
    by_token = api.token("dewi.dm")
    item = by_session.post("/api/v1/content", json={
        "title": "Via", "campaign_id": api.campaign,
        "draft": {"text": "Halo", "platforms": ["instagram"]}}).json()["item_id"]
    assert by_session.post(f"/api/v1/content/{item}/submit-review").status_code == 200
    assert by_token.post(f"/api/v1/content/{item}/review",
                         json={"all_checks": True}).status_code == 200
    history = by_token.get(f"/api/v1/content/{item}/history").json()
    via = {(e["event_type"], e["actor_id"]): e["via"] for e in history}
    assert by_session.via.startswith("session:") and by_token.via.startswith("token:")
    assert via[("Created", "budi.dm")] == by_session.via
    assert via[("SubmittedForReview", "budi.dm")] == by_session.via
    assert via[("Reviewed", "dewi.dm")] == by_token.via
    assert [t["token_id"] for t in by_token.get("/api/v1/tokens").json()] == \
        [by_token.via.removeprefix("token:")]
    legal = api.session("sari.legal")
    by_tokens = legal.get("/api/v1/audit", params={"via": "token", "item": item}).json()
    assert [e["event_type"] for e in by_tokens["items"]] == ["Reviewed"]


def test_an_actor_in_the_body_is_not_who_acts(sqlite_api: Api) -> None:
    member = sqlite_api.token("budi.dm")
    item = member.post("/api/v1/content", json={
        "title": "x", "campaign_id": sqlite_api.campaign, "actor": "rina.mm",
        "as": "rina.mm"}).json()["item_id"]
    history = member.get(f"/api/v1/content/{item}/history").json()
    assert [e["actor_id"] for e in history] == ["budi.dm"]


def test_etag_and_if_match(api: Api) -> None:
    member = api.token("budi.dm")
    item = api.draft_item()
    shown = member.get(f"/api/v1/content/{item}")
    etag = shown.headers["etag"]
    assert etag == f'"{shown.json()["version"]}"'
    other = api.token("dewi.dm")
    assert other.post(f"/api/v1/content/{item}/revise", headers={"If-Match": etag},
                      json={"draft": {"text": "A", "platforms": ["instagram"]}}
                      ).status_code == 200
    before = api.services.app.event_count()
    stale = member.post(f"/api/v1/content/{item}/revise", headers={"If-Match": etag},
                        json={"draft": {"text": "B", "platforms": ["instagram"]}})
    assert stale.status_code == 412
    assert stale.json()["code"] == "error.stale_version"
    assert stale.json()["current_version"] == int(etag.strip('"')) + 1
    assert stale.headers["etag"] == f'"{stale.json()["current_version"]}"'
    assert api.services.app.event_count() == before
    fresh = member.get(f"/api/v1/content/{item}").headers["etag"]
    assert member.post(f"/api/v1/content/{item}/revise", headers={"If-Match": fresh},
                       json={"draft": {"text": "B", "platforms": ["instagram"]}}
                       ).status_code == 200


@pytest.mark.parametrize(("lang", "word"), [("id", "tidak boleh"), ("en", "may not"),
                                            ("fr, id;q=0.5", "tidak boleh")])
def test_problems_in_the_requests_language(sqlite_api: Api, lang: str, word: str) -> None:
    member = sqlite_api.token("budi.dm")
    item = sqlite_api.draft_item()
    answer = member.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": "ab" * 4},
                         headers={"Accept-Language": lang})
    assert answer.status_code == 403
    problem = answer.json()
    assert problem["code"] == "error.not_allowed" and word in problem["detail"]
    assert problem["status"] == 403 and problem["type"].endswith("error.not_allowed")


def test_validation_errors_are_problems_without_traceback(sqlite_api: Api) -> None:
    member = sqlite_api.token("budi.dm")
    for answer in (member.post("/api/v1/content", json={"titel": 1},
                               headers={"Accept-Language": "id"}),
                   member.post("/api/v1/content", content=b"{not json",
                               headers={"Content-Type": "application/json"}),
                   member.get("/api/v1/content?limit=0"),
                   member.get("/api/v1/content?after=%%%"),
                   member.get("/api/v1/content?status=nonsense"),
                   member.get("/api/v1/content/zzzz")):
        assert 400 <= answer.status_code < 500, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert "Traceback" not in answer.text


def test_keyset_pages_cover_the_list_once(sqlite_api: Api) -> None:
    items = {sqlite_api.draft_item() for _ in range(7)}
    member = sqlite_api.token("rina.mm", scope="read")
    seen: list[str] = []
    after = None
    while True:
        url = "/api/v1/content?limit=3" + (f"&after={after}" if after else "")
        body = member.get(url).json()
        seen += [i["item_id"] for i in body["items"]]
        after = body["next"]
        if after is None:
            break
    assert sorted(seen) == sorted(items)


def test_audit_log_as_of_and_paging(sqlite_api: Api) -> None:
    legal = sqlite_api.token("sari.legal", scope="read")
    everything = legal.get("/api/v1/audit?limit=500").json()["items"]
    first = everything[0]["at"]
    then = legal.get("/api/v1/audit", params={"as_of": first}).json()["items"]
    assert then and all(e["at"] <= first for e in then)
    page = legal.get("/api/v1/audit?limit=2").json()
    rest = legal.get(f"/api/v1/audit?limit=500&after={page['next']}").json()["items"]
    assert [e["position"] for e in page["items"] + rest] == \
        [e["position"] for e in everything]


@pytest.mark.parametrize("role", ["social_media_admin", "digital_marketing", "legal",
                                  "marketing_manager"])
def test_personal_data_only_for_roles_that_need_it(sqlite_api: Api, role: str) -> None:
    """Handles and message texts in clear for the roles that answer, triage or erase; the
    Marketing Manager sees the inbox's shape without the audience's words."""
    from pathlib import Path

    from socmed_adapters.monitoring.files import FileSource
    from socmed_domain.access.rules import PERSONAL_DATA_ROLES
    from socmed_domain.roles import Role
    from tests.web.conftest import ROLES

    data = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"
    sqlite_api.services.app.inbox.ingest_interactions(
        "adi.admin", FileSource(data).interactions())
    rows = sqlite_api.token(ROLES[role], scope="read").get("/api/v1/inbox").json()["items"]
    assert rows
    if Role(role) in PERSONAL_DATA_ROLES:
        assert all(r["author"] and not r["personal_data_withheld"] for r in rows)
    else:
        assert all(r["author"] is None and r["last_message"] is None for r in rows)
        assert all(r["personal_data_withheld"] for r in rows)


def test_openapi_document(sqlite_api: Api) -> None:
    document = sqlite_api.client.get("/api/schema").json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/content/{ref}/approve" in document["paths"]


def test_invitation_setup_totp_and_lock_out_through_the_api(sqlite_api: Api) -> None:
    """The Marketing Manager invites; the member sets a password with the code, enrols TOTP
    and must then sign in with it; repeated wrong passwords lock the member out."""
    import pyotp

    api = sqlite_api
    manager = api.session("rina.mm")
    added = manager.post("/api/v1/team/members", json={
        "member_id": "nina.dm", "name": "Nina", "role": "digital_marketing"})
    assert added.status_code == 201, added.text
    code = manager.post("/api/v1/team/invites", json={"member_id": "nina.dm"})
    assert code.status_code == 201 and code.json()["member_id"] == "nina.dm"
    assert api.session("budi.dm").post("/api/v1/team/invites", json={
        "member_id": "nina.dm"}).status_code == 403
    password = api.password("nina.dm")
    setup = api.client.post("/api/v1/account/setup", json={
        "member_id": "nina.dm", "code": code.json()["code"], "password": password})
    assert setup.status_code == 200, setup.text
    assert api.client.post("/api/v1/account/setup", json={
        "member_id": "nina.dm", "code": code.json()["code"], "password": password}
        ).status_code == 401  # the code is spent
    api.totp.pop("nina.dm", None)
    nina = api.session("nina.dm")
    secret = nina.post("/api/v1/account/totp").json()["secret"]
    now = api.services.clock.advance(seconds=31)
    assert nina.post("/api/v1/account/totp/confirm",
                     json={"code": pyotp.TOTP(secret).at(now)}).status_code == 200
    without = api.client.post("/api/v1/session", json={"member_id": "nina.dm",
                                                       "password": password})
    assert without.status_code == 401
    api.totp["nina.dm"] = secret
    assert api.session("nina.dm").get("/api/v1/me").json()["member_id"] == "nina.dm"
    codes = [api.client.post("/api/v1/session", json={
        "member_id": "budi.dm", "password": "salah sekali 123"}).json()["code"]
        for _ in range(12)]
    assert codes[0] == "error.not_authenticated" and codes[-1] == "error.locked_out"
    locked = api.client.post("/api/v1/session", json={
        "member_id": "budi.dm", "password": api.password("budi.dm")})
    assert locked.status_code == 401 and locked.json()["code"] == "error.locked_out"


def test_other_routers_are_mounted_beside_the_api(sqlite_api: Api) -> None:
    """How the webhooks and single sign-on plug in: routers given to create_app."""
    from litestar import Router, get
    from litestar.testing import TestClient

    @get("/ping", sync_to_thread=False)
    def ping() -> dict[str, str]:
        return {"pong": "yes"}

    app = create_app(sqlite_api.services, routers=[Router("/webhooks", route_handlers=[ping])])
    with TestClient(app) as client:
        answer = client.get("/webhooks/ping")
        assert answer.json() == {"pong": "yes"}
        assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
