"""Approval routes over HTTP (issue 17): the API item shows the bound route and what is
missing, POST /api/v1/content/{ref}/steps records a step (the author's refused as a problem,
nothing written), and the console's item page shows the route with a button for the member
who may record a step."""

from __future__ import annotations

import re

from attrs import evolve

from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft
from socmed_domain.production.routing import ApprovalRoute, ApprovalRoutes, RouteStep
from socmed_domain.roles import Role
from tests.web.conftest import Api
from tests.web.test_console_pages import console_client

ROUTES = ApprovalRoutes(steps=(RouteStep("legal", Role.LEGAL, label="Legal compliance review"),),
                        routes=(ApprovalRoute("sponsored", ("legal",), sponsored=True),))


def routed_item(api: Api) -> tuple[str, str]:
    app = api.services.app
    app.configuration.apply("rina.mm", evolve(DEFAULT_CONFIGURATION, approval_routes=ROUTES),
                            "Legal reviews ads")
    item = str(app.content.create("budi.dm", "Iklan", Draft(
        "Promo mitra #iklan", (Platform.LINKEDIN,), sponsored=True), api.campaign))
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, app.content.checklist_keys())
    app.content.submit_for_approval("budi.dm", item)
    return item, str(app.content.get(item).summary.revision_sha256)


def test_a_step_through_the_api(api: Api) -> None:
    item, sha = routed_item(api)
    mm, legal, dm = api.session("rina.mm"), api.session("sari.legal"), api.session("budi.dm")
    shown = mm.get(f"/api/v1/content/{item}").json()
    assert shown["route"]["steps"][0]["key"] == "legal"
    assert shown["steps_missing"] == ["legal"]
    refused = mm.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": sha})
    assert refused.status_code == 409 or refused.status_code == 422, refused.text
    assert "still requires legal" in refused.json()["detail"]
    before = api.services.app.event_count()
    by_author = dm.post(f"/api/v1/content/{item}/steps",
                        json={"step": "legal", "revision_sha256": sha})
    assert by_author.status_code == 403, by_author.text
    assert api.services.app.event_count() == before
    recorded = legal.post(f"/api/v1/content/{item}/steps",
                          json={"step": "legal", "revision_sha256": sha, "comment": "EPI ok"})
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["member_id"] == "sari.legal"
    assert mm.get(f"/api/v1/content/{item}").json()["steps_missing"] == []
    approved = mm.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": sha})
    assert approved.status_code == 200, approved.text


def test_the_console_shows_the_route_and_records_the_step(api: Api) -> None:
    item, sha = routed_item(api)
    manager = console_client(api, "rina.mm").get(f"/items/{item}").text
    assert 'id="route"' in manager and "Legal compliance review" in manager
    assert 'id="record-legal"' not in manager  # the manager may not record Legal's step
    legal = console_client(api, "sari.legal")
    page = legal.get(f"/items/{item}").text
    assert 'id="record-legal"' in page
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page)
    assert token
    done = legal.post(f"/items/{item}/step", data={
        "csrf_token": token.group(1), "step": "legal", "revision_sha256": sha,
        "comment": "sesuai"}, follow_redirects=False)
    assert done.status_code == 303, done.text
    after = legal.get(f"/items/{item}").text
    assert "recorded by sari.legal" in after and 'id="record-legal"' not in after
    again = legal.post(f"/items/{item}/step", data={
        "csrf_token": token.group(1), "step": "legal", "revision_sha256": sha})
    assert again.status_code in (409, 422) and "already recorded" in again.text
