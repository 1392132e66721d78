"""Whole SOP flows through the API: the strategy (its plan in the converter's JSON), content
from draft to approval by the revision hash, an incident from opening to resolution."""

from __future__ import annotations

from socmed_domain.transcoding import converter
from tests.unit.test_strategy import PLAN
from tests.web.conftest import Api


def test_strategy_through_the_api(api: Api) -> None:
    dm, mm = api.session("budi.dm"), api.session("rina.mm")
    plan = converter.unstructure(PLAN)
    assert dm.post("/api/v1/strategy/draft", json={"plan": plan}).status_code == 201
    assert dm.post("/api/v1/strategy/submit", json={"note": "siap"}).status_code == 200
    shown = mm.get("/api/v1/strategy").json()
    assert shown["status"] == "submitted"
    approved = mm.post("/api/v1/strategy/approve",
                       json={"version": shown["current"], "comment": "ok"})
    assert approved.status_code == 200, approved.text
    assert mm.get("/api/v1/strategy").json()["in_force"] == 1
    bad = dm.post("/api/v1/strategy/edit", json={"plan": {"name": 3}})
    assert bad.status_code == 422 and "Traceback" not in bad.text


def test_content_from_draft_to_approval_names_the_hash(api: Api) -> None:
    dm, reviewer, mm = api.session("budi.dm"), api.session("dewi.dm"), api.session("rina.mm")
    item = dm.post("/api/v1/content", json={
        "title": "Promo", "campaign_id": api.campaign,
        "draft": {"text": "Promo akhir tahun #promo", "platforms": ["linkedin"],
                  "hashtags": ["promo"]}}).json()["item_id"]
    assert dm.post(f"/api/v1/content/{item}/submit-review").status_code == 200
    outcome = reviewer.post(f"/api/v1/content/{item}/review", json={"all_checks": True})
    assert outcome.status_code == 200 and outcome.json()["passed"], outcome.text
    assert dm.post(f"/api/v1/content/{item}/submit-approval").status_code == 200
    sha = mm.get(f"/api/v1/content/{item}").json()["summary"]["revision_sha256"]
    missing = mm.post(f"/api/v1/content/{item}/approve", json={})
    assert missing.status_code == 400  # the hash is required: approve what was read
    approved = mm.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": sha})
    assert approved.status_code == 200, approved.text
    assert approved.json() == {"revision_sha256": sha}
    assert mm.get(f"/api/v1/content/{item}").json()["summary"]["status"] == "approved"


def test_incident_from_opening_to_resolution(api: Api) -> None:
    admin, mm = api.session("adi.admin"), api.session("rina.mm")
    opened = admin.post("/api/v1/incidents", json={"title": "Keluhan massal",
                                                    "category": "complaint_wave"})
    assert opened.status_code == 201, opened.text
    ref = opened.json()["incident_id"]
    assert mm.post(f"/api/v1/incidents/{ref}/classify",
                   json={"level": 2, "reason": "banyak keluhan"}).status_code == 200
    assert admin.post(f"/api/v1/incidents/{ref}/act", json={
        "kind": "holding_statement", "text": "Kami sedang memeriksa"}).status_code == 200
    assert mm.post(f"/api/v1/incidents/{ref}/resolve",
                   json={"summary": "selesai"}).status_code == 200
    report = mm.get(f"/api/v1/incidents/{ref}").json()
    assert report and "Traceback" not in str(report)
    history = mm.get(f"/api/v1/incidents/{ref}/history").json()
    assert [e["via"].split(":")[0] for e in history] == ["session"] * len(history)


def test_review_erasure_and_planned_slot(api: Api) -> None:
    """Value objects sent in the converter's JSON (a post-incident review), Legal's erasure,
    and a slot pencilled into the calendar."""
    admin, mm, dm = api.session("adi.admin"), api.session("rina.mm"), api.session("budi.dm")
    ref = admin.post("/api/v1/incidents", json={"title": "Isu", "category": "other"}
                     ).json()["incident_id"]
    assert mm.post(f"/api/v1/incidents/{ref}/classify", json={"level": 1, "reason": "kecil"}
                   ).status_code == 200
    assert mm.post(f"/api/v1/incidents/{ref}/resolve", json={"summary": "ok"}
                   ).status_code == 200
    review = {"timeline_summary": "cepat", "what_worked": "respon", "what_did_not": "-",
              "follow_ups": [{"action": "latihan", "owner_id": "adi.admin",
                              "due": "2027-01-15"}]}
    answer = mm.post(f"/api/v1/incidents/{ref}/review", json={"review": review})
    assert answer.status_code == 200, answer.text
    bad = mm.post(f"/api/v1/incidents/{ref}/review", json={"review": {"x": 1}})
    assert bad.status_code == 422
    assert dm.post("/api/v1/privacy/erase", json={"subject": "someone", "reason": "x"}
                   ).status_code == 403
    item = dm.post("/api/v1/content", json={"title": "Ide", "campaign_id": api.campaign}
                   ).json()["item_id"]
    slot = dm.post(f"/api/v1/content/{item}/plan-slot",
                   json={"at": "2026-12-20 19:00 WIB", "platforms": ["linkedin"]})
    assert slot.status_code == 200, slot.text
    month = dm.get("/api/v1/calendar?month=2026-12").json()["items"]
    assert item in {e["item_id"] for e in month}
