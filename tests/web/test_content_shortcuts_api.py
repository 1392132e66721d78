"""Issue 17's content shortcuts through the API: check (nothing recorded), clone (provenance in
the copy's history) and import (all checked first, all or nothing)."""

from __future__ import annotations

from tests.web.conftest import Api


def test_check_clone_and_import_through_the_api(api: Api) -> None:
    dm = api.session("budi.dm")
    item = dm.post("/api/v1/content", json={
        "title": "Promo", "campaign_id": api.campaign,
        "draft": {"text": "Promo pasti untung", "platforms": ["linkedin"]}}).json()["item_id"]
    before = dm.get(f"/api/v1/content/{item}").json()["version"]
    checked = dm.get(f"/api/v1/content/{item}/check")
    assert checked.status_code == 200, checked.text
    assert [f["code"] for f in checked.json()["findings"]] == ["finding.banned_word"]
    assert dm.get(f"/api/v1/content/{item}").json()["version"] == before

    cloned = dm.post(f"/api/v1/content/{item}/clone", json={"title": "Promo lagi"})
    assert cloned.status_code == 201, cloned.text
    copy = cloned.json()["item_id"]
    history = dm.get(f"/api/v1/content/{copy}/history").json()
    assert [e["event_type"] for e in history] == ["Created", "ClonedFrom", "Revised"]

    bad = "title,text,platforms\nSatu,Info produk,linkedin\nDua,Info,myspace\n"
    refused = dm.post("/api/v1/content/import", json={"csv": bad})
    assert refused.status_code == 200, refused.text
    report = refused.json()
    assert report["created"] == [] and [(p["row"], p["column"])
                                        for p in report["problems"]] == [(3, "platforms")]
    good = bad.replace("myspace", "x")
    done = dm.post("/api/v1/content/import", json={"csv": good}).json()
    assert len(done["created"]) == 2 and done["problems"] == []
