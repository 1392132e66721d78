"""/api/v1/configuration: show, history, export and apply, as `socmed config` does; a bad
configuration is a 422 problem naming the field, nothing applied; only the Marketing Manager
applies; export -> apply is refused as unchanged."""

from __future__ import annotations

from socmed_adapters.configuration_file import read_pack
from tests.web.conftest import Api


def test_configuration_through_the_api(api: Api) -> None:
    dm, mm = api.session("budi.dm"), api.session("rina.mm")
    shown = dm.get("/api/v1/configuration")
    assert shown.status_code == 200, shown.text
    assert shown.json()["version"] == 0
    assert shown.json()["configuration"]["name"] == "banking"
    refused = dm.post("/api/v1/configuration/apply", json={"pack": "food"})
    assert refused.status_code == 403, refused.text
    applied = mm.post("/api/v1/configuration/apply", json={"pack": "food", "reason": "tea"})
    assert applied.status_code == 201, applied.text
    assert applied.json() == {"version": 1}
    now = dm.get("/api/v1/configuration").json()
    assert (now["version"], now["applied_by"], now["reason"]) == (1, "rina.mm", "tea")
    assert now["configuration"]["checklist"][-1]["key"] == "health_claims"
    assert dm.get("/api/v1/content/checklist").json()[-1] == "health_claims"
    exported = dm.get("/api/v1/configuration/export")
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("application/toml")
    again = mm.post("/api/v1/configuration/apply", json={"toml": exported.text})
    assert again.status_code == 409, again.text  # unchanged
    edited = exported.text.replace('"menyembuhkan",', '"menyembuhkan",\n    "detoks",')
    assert mm.post("/api/v1/configuration/apply",
                   json={"toml": edited, "reason": "Legal"}).json() == {"version": 2}
    # the JSON of `show` is accepted back too
    telecom = mm.post("/api/v1/configuration/apply", json={
        "configuration": dm.get("/api/v1/configuration", params={"version": 0}).json()[
            "configuration"]})
    assert telecom.json() == {"version": 3}
    history = mm.get("/api/v1/configuration/history").json()
    assert [v["version"] for v in history] == [0, 1, 2, 3]
    assert history[2]["changed"] == ["content"]
    assert read_pack("food").name == history[1]["configuration"]["name"]


def test_a_bad_configuration_is_a_problem_and_nothing_is_applied(api: Api) -> None:
    mm = api.session("rina.mm")
    text = mm.get("/api/v1/configuration/export").text.replace("monday = [", "funday = [")
    bad = mm.post("/api/v1/configuration/apply", json={"toml": text})
    assert bad.status_code == 422, bad.text
    problem = bad.json()
    assert "sla.business_hours.funday" in problem["detail"] and "monday" in problem["detail"]
    assert "Traceback" not in bad.text
    both = mm.post("/api/v1/configuration/apply", json={"pack": "food", "toml": text})
    assert both.status_code == 422
    unknown = mm.post("/api/v1/configuration/apply", json={"pack": "shoes"})
    assert unknown.status_code == 422 and "banking, food, telecom" in unknown.text
    assert mm.get("/api/v1/configuration").json()["version"] == 0
    missing = mm.get("/api/v1/configuration", params={"version": 5})
    assert missing.status_code == 422
