"""Every endpoint x every role x own/other's object: the read matrix and the role matrix of the
domain, seen through the API; an agency's scope is its campaigns, by list and by id."""

from __future__ import annotations

from typing import Any

import pytest

from socmed_domain.access.rules import READ_MATRIX, Readable
from socmed_domain.roles import ROLE_MATRIX, Action, Role
from tests.web.conftest import ROLES, Api

# (path, what the domain's read matrix calls it)
READS = [
    ("/api/v1/content", Readable.CONTENT),
    ("/api/v1/campaigns", Readable.CAMPAIGNS),
    ("/api/v1/calendar?month=2026-12", Readable.CALENDAR),
    ("/api/v1/publications", Readable.PUBLICATION_LOG),
    ("/api/v1/audit", Readable.AUDIT_LOG),
    ("/api/v1/inbox", Readable.INBOX),
    ("/api/v1/incidents", Readable.INCIDENTS),
    ("/api/v1/reports/monthly?month=2026-12", Readable.REPORTS),
    ("/api/v1/metrics/latest", Readable.METRICS),
    ("/api/v1/team/members", Readable.TEAM),
    ("/api/v1/projections", Readable.PROJECTIONS),
]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_read_endpoint_for_every_role(sqlite_api: Api, role: Role) -> None:
    """A role the read matrix lets read gets 200, any other a 403 problem; never a 5xx."""
    member = sqlite_api.token(ROLES[role.value], scope="read")
    for path, what in READS:
        answer = member.get(path)
        if role in READ_MATRIX[what]:
            assert answer.status_code == 200, (path, answer.text)
        else:
            assert answer.status_code == 403, (path, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"] in ("error.not_visible", "error.not_allowed")


def _item_commands(api: Api, item: str, sha: str) -> list[tuple[str, dict[str, Any], Action]]:
    return [
        (f"/api/v1/content/{item}/revise",
         {"draft": {"text": "Baru", "platforms": ["instagram"]}}, Action.REVISE_CONTENT),
        (f"/api/v1/content/{item}/submit-review", {}, Action.SUBMIT_FOR_REVIEW),
        (f"/api/v1/content/{item}/review", {"all_checks": True}, Action.REVIEW_CONTENT),
        (f"/api/v1/content/{item}/submit-approval", {}, Action.SUBMIT_FOR_APPROVAL),
        (f"/api/v1/content/{item}/approve", {"revision_sha256": sha}, Action.APPROVE_CONTENT),
        (f"/api/v1/content/{item}/request-changes", {"comment": "x"}, Action.REQUEST_CHANGES),
        (f"/api/v1/content/{item}/schedule", {"at": "2026-12-20 19:00 WIB"},
         Action.SCHEDULE_CONTENT),
        (f"/api/v1/content/{item}/withdraw", {"reason": "x"}, Action.WITHDRAW_CONTENT),
        (f"/api/v1/content/{item}/archive", {}, Action.ARCHIVE_CONTENT),
        (f"/api/v1/campaigns/{api.campaign}/cancel", {"reason": "x"}, Action.CANCEL_CAMPAIGN),
        (f"/api/v1/campaigns/{api.campaign}/complete", {}, Action.RUN_CAMPAIGN),
        (f"/api/v1/campaigns/{api.other_campaign}/agencies", {"member_id": "maya.agency"},
         Action.ASSIGN_AGENCY),
        ("/api/v1/publish/due", {}, Action.PUBLISH_CONTENT),
        ("/api/v1/team/members", {"member_id": "nina.dm", "name": "Nina",
                                  "role": "digital_marketing"}, Action.MANAGE_TEAM),
        ("/api/v1/incidents", {"title": "x", "category": "complaint_wave"},
         Action.OPEN_INCIDENT),
        ("/api/v1/metrics/import", {"snapshots": [{
            "platform": "x", "post_id": "", "measured_at": "2026-11-30T09:00:00+07:00",
            "values": {"followers": 10}}]}, Action.RECORD_METRICS),
        ("/api/v1/team/policy", {"lockout_threshold": 6}, Action.MANAGE_TEAM),
        ("/api/v1/team/members/dewi.dm/unlock", {"reason": "x"}, Action.MANAGE_TEAM),
    ]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_every_command_endpoint_for_every_role(sqlite_api: Api, role: Role) -> None:
    """A role the matrix refuses gets 403 and nothing is recorded; an allowed role is never
    refused for its role (it may still meet a workflow state that does not fit: 409)."""
    api = sqlite_api
    item = api.draft_item()
    sha = api.services.app.content.get(item).summary.revision_sha256
    member = api.session(ROLES[role.value])
    for path, body, action in _item_commands(api, item, sha):
        before = api.services.app.event_count()
        answer = member.post(path, json=body)
        assert answer.status_code < 500, (path, answer.text)
        if role in ROLE_MATRIX[action]:
            body = answer.json()
            assert not isinstance(body, dict) or body.get("code") != "error.not_allowed", \
                (path, answer.text)
        else:
            assert answer.status_code == 403, (path, role, answer.text)
            assert api.services.app.event_count() == before, path


@pytest.mark.parametrize("own", [True, False], ids=["own_campaign", "other_campaign"])
def test_agency_sees_and_touches_only_its_campaigns_items(api: Api, own: bool) -> None:
    campaign = api.campaign if own else api.other_campaign
    item = api.draft_item(campaign)
    agency = api.session("maya.agency")
    listed = [i["item_id"] for i in agency.get("/api/v1/content").json()["items"]]
    shown = agency.get(f"/api/v1/content/{item}")
    history = agency.get(f"/api/v1/content/{item}/history")
    before = api.services.app.event_count()
    revised = agency.post(f"/api/v1/content/{item}/revise",
                          json={"draft": {"text": "Diubah", "platforms": ["instagram"]}})
    campaign_shown = agency.get(f"/api/v1/campaigns/{campaign}")
    if own:
        assert item in listed
        assert shown.status_code == 200 and history.status_code == 200
        assert revised.status_code == 200, revised.text
        assert campaign_shown.status_code == 200
    else:
        assert item not in listed
        assert shown.status_code == 404 and shown.json()["code"] == "error.not_found"
        assert history.status_code == 404
        assert revised.status_code == 403, revised.text
        assert api.services.app.event_count() == before
        assert campaign_shown.status_code == 404
    calendar = agency.get("/api/v1/calendar?month=2026-12").json()["items"]
    assert all(e["campaign_id"] == api.campaign for e in calendar)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_staff_see_every_item(sqlite_api: Api, role: Role) -> None:
    api = sqlite_api
    mine, other = api.draft_item(), api.draft_item(api.other_campaign)
    member = api.token(ROLES[role.value], scope="read")
    for item, visible in ((mine, True), (other, role is not Role.AGENCY)):
        answer = member.get(f"/api/v1/content/{item}")
        assert answer.status_code == (200 if visible else 404), answer.text
