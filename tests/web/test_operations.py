"""The endpoints of the commands that worked on the store only: audit verify and bundle,
ingest (JSON Lines) and spike alerts, metrics import, the access policy, unlock, password
change. Each: who may, who may not, bad input as a problem with nothing written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import Api


def problem(answer: Any, status: int, code: str | None = None) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Traceback" not in answer.text
    if code is not None:
        assert answer.json()["code"] == code, answer.text


def events(api: Api) -> int:
    return int(api.services.app.audit.event_count())


SAMPLE = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"


def test_audit_verify_and_bundle_for_the_roles_that_read_the_audit_log(
        api: Api, tmp_path: Path) -> None:
    from socmed_adapters.audit.export import verify_bundle

    legal = api.session("sari.legal")
    answer = legal.get("/api/v1/audit/verify")
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert report["problems"] == [] and report["checked"] == events(api) > 10
    bundle = legal.get("/api/v1/audit/bundle")
    assert bundle.status_code == 200 and bundle.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as archive:
        archive.extractall(tmp_path / "bundle")
    manifest = json.loads((tmp_path / "bundle" / "manifest.json").read_text())
    assert manifest["count"] == events(api)
    assert verify_bundle(tmp_path / "bundle") == []  # what `audit verify-bundle` checks
    for member in ("budi.dm", "adi.admin", "maya.agency"):
        session = api.session(member)
        problem(session.get("/api/v1/audit/verify"), 403, "error.not_allowed")
        problem(session.get("/api/v1/audit/bundle"), 403, "error.not_allowed")
    problem(legal.get("/api/v1/audit/bundle", params={"since": "kemarin"}), 422)
    assert api.client.get("/api/v1/audit/verify").status_code == 401


def test_ingest_json_lines_and_spike_alerts(api: Api) -> None:
    admin, legal = api.session("adi.admin"), api.session("sari.legal")
    before = events(api)
    body = SAMPLE.read_bytes()
    answer = admin.request("POST", "/api/v1/inbox/ingest", content=body,
                           headers={"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    lines = len([line for line in body.splitlines() if line.strip()])
    assert report["received"] == lines and report["new"] == lines
    again = admin.request("POST", "/api/v1/inbox/ingest", content=body,
                          headers={"Content-Type": "application/x-ndjson"}).json()
    assert again["new"] == 0 and again["duplicates"] == lines
    assert events(api) > before
    alerts = admin.post("/api/v1/inbox/alerts", json={"since": report["first_at"],
                                                      "until": report["last_at"]})
    assert alerts.status_code == 200 and isinstance(alerts.json(), list), alerts.text
    # a bad third line refuses the whole body: nothing stored
    count = events(api)
    bad = body.splitlines(keepends=True)
    broken = b"".join([*bad[:2], b'{"platform": "myspace"}\n', *bad[3:]]).replace(
        b"ig-", b"ig2-")
    problem(admin.request("POST", "/api/v1/inbox/ingest", content=broken,
                          headers={"Content-Type": "application/x-ndjson"}), 422)
    problem(admin.request("POST", "/api/v1/inbox/ingest", content=b"not json\n",
                          headers={"Content-Type": "application/x-ndjson"}), 422)
    problem(legal.request(
        "POST", "/api/v1/inbox/ingest", content=body,
        headers={"Content-Type": "application/x-ndjson"}), 403, "error.not_allowed")
    problem(admin.post("/api/v1/inbox/alerts", json={"since": "x", "until": "y"}), 422)
    assert events(api) == count


def snapshot(post_id: str = "", followers: int = 1200, at: str = "2026-11-30T09:00:00+07:00"
             ) -> dict[str, Any]:
    return {"platform": "instagram", "post_id": post_id, "measured_at": at,
            "values": {"followers": followers}}


def test_metrics_import(api: Api) -> None:
    admin, agency = api.session("adi.admin"), api.session("maya.agency")
    answer = admin.post("/api/v1/metrics/import", json={
        "snapshots": [snapshot()], "source": "IG export"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"recorded": 1, "skipped": 0, "series_started": 1}
    again = admin.post("/api/v1/metrics/import", json={"snapshots": [snapshot()]})
    assert again.json()["skipped"] == 1
    count = events(api)
    for bad in ([snapshot(followers=-5)], [snapshot(at="2030-01-01T00:00:00+07:00")],
                [{"platform": "myspace"}], [snapshot(), {"values": "banyak"}]):
        problem(admin.post("/api/v1/metrics/import", json={"snapshots": bad}), 422)
    problem(agency.post("/api/v1/metrics/import", json={
        "snapshots": [snapshot(followers=1300)]}), 403, "error.not_allowed")
    assert events(api) == count


def test_policy_unlock_and_password(api: Api) -> None:
    mm, dm, mm_token = api.session("rina.mm"), api.session("budi.dm"), api.token("rina.mm")
    shown = dm.get("/api/v1/team/policy")
    assert shown.status_code == 200
    assert sorted(shown.json()["second_factor_roles"]) == ["legal", "marketing_manager"]
    changed = mm.post("/api/v1/team/policy", json={"lockout_threshold": 4, "reason": "SOP"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["lockout_threshold"] == 4
    assert api.services.app.identity.policy().lockout_threshold == 4
    count = events(api)
    problem(dm.post("/api/v1/team/policy", json={"lockout_threshold": 5}), 403,
            "error.not_allowed")
    problem(mm.post("/api/v1/team/policy", json={"lockout_threshold": 999}), 422,
            "error.policy_out_of_range")
    problem(mm.post("/api/v1/team/policy", json={"second_factor_roles": ["raja"]}), 422)
    # a token carries no second factor: the manager's policy change is refused through it
    problem(mm_token.post("/api/v1/team/policy", json={"lockout_threshold": 5}),
            403, "error.second_factor_needed")
    assert events(api) == count

    for _ in range(4):  # dewi.dm locks herself out
        api.client.post("/api/v1/session", json={"member_id": "dewi.dm", "password": "x"})
    locked = api.client.post("/api/v1/session", json={
        "member_id": "dewi.dm", "password": api.password("dewi.dm")})
    assert locked.status_code == 401 and locked.json()["code"] == "error.locked_out"
    problem(dm.post("/api/v1/team/members/dewi.dm/unlock", json={"reason": "x"}), 403)
    problem(mm.post("/api/v1/team/members/dewi.dm/unlock", json={"reason": ""}), 422)
    assert mm.post("/api/v1/team/members/dewi.dm/unlock",
                   json={"reason": "lupa kata sandi"}).status_code == 200
    assert api.session("dewi.dm").member_id == "dewi.dm"

    count = events(api)
    problem(dm.post("/api/v1/account/password", json={"current": "salah", "new": "x" * 16}),
            401)
    assert events(api) == count + 1  # the failure is recorded (SignInFailed), nothing else
    problem(dm.post("/api/v1/account/password", json={
        "current": api.password("budi.dm"), "new": "123"}), 422)
    done = dm.post("/api/v1/account/password", json={
        "current": api.password("budi.dm"), "new": "kata sandi baru budi 2027"})
    assert done.status_code == 200, done.text
    assert dm.get("/api/v1/me").status_code == 401  # every session of the member ended
    assert api.client.post("/api/v1/session", json={
        "member_id": "budi.dm", "password": "kata sandi baru budi 2027"}).status_code == 201
    assert "kata sandi baru" not in json.dumps([
        e.params for e in api.services.app.audit.log("sari.legal")])


VALID = {
    "/api/v1/inbox/ingest": (SAMPLE.read_bytes(), "application/x-ndjson"),
    "/api/v1/metrics/import": (json.dumps({"snapshots": [snapshot()]}).encode(),
                               "application/json"),
    "/api/v1/team/policy": (b'{"lockout_threshold": 4}', "application/json"),
    "/api/v1/account/password": (b'{"current": "kata sandi adi.admin 2026", '
                                 b'"new": "kata sandi baru adi 2027"}', "application/json"),
    "/api/v1/media": (b"GIF89a", "image/gif"),
}


@pytest.mark.parametrize("path", sorted(VALID))
def test_a_read_only_token_cannot_use_them(api: Api, path: str) -> None:
    reader = api.token("adi.admin", scope="read")
    count = events(api)
    content, kind = VALID[path]
    problem(reader.request("POST", path, content=content, headers={"Content-Type": kind}),
            403, "error.read_only_principal")
    assert events(api) == count


def test_sso_unlink(api: Api) -> None:
    issuer = "https://login.contoh.co.id"
    api.services.app.sso.link_subject("rina.mm", "dewi.dm", issuer, "00u-dewi")
    mm, dm = api.session("rina.mm"), api.session("budi.dm")
    count = events(api)
    problem(dm.post("/api/v1/team/members/dewi.dm/sso/unlink",
                    json={"issuer": issuer, "reason": "x"}), 403, "error.not_allowed")
    problem(mm.post("/api/v1/team/members/dewi.dm/sso/unlink",
                    json={"issuer": "https://lain.example", "reason": "x"}), 409,
            "error.sso_not_linked")
    problem(mm.post("/api/v1/team/members/dewi.dm/sso/unlink", json={"issuer": issuer}), 400)
    assert events(api) == count
    done = mm.post("/api/v1/team/members/dewi.dm/sso/unlink",
                   json={"issuer": issuer, "reason": "akun IdP diganti"})
    assert done.status_code == 200, done.text
    entry = api.services.app.audit.log("sari.legal", event_type="SsoUnlinked")[-1]
    assert (entry.actor_id, entry.via) == ("rina.mm", mm.via)


def test_calendar_plan_refusals_write_nothing(api: Api) -> None:
    dm, mm = api.session("budi.dm"), api.session("rina.mm")
    count = events(api)
    problem(dm.post("/api/v1/calendar/plan", json={"month": "2027-13"}), 422)
    problem(dm.post("/api/v1/calendar/plan", json={"month": "2027-02",
                                                   "platforms": ["myspace"]}), 422)
    problem(dm.post("/api/v1/calendar/plan", json={"month": "2027-02", "tz": "Mars/Base"}),
            422)
    # this store has no strategy in force: nothing to plan against
    problem(dm.post("/api/v1/calendar/plan", json={"month": "2027-02"}), 409,
            "error.no_strategy_in_force")
    problem(mm.post("/api/v1/calendar/plan", json={"month": "2027-02"}), 409)
    assert events(api) == count


def test_inbox_fetch_refusals_write_nothing(api: Api) -> None:
    admin = api.session("adi.admin")
    count = events(api)
    problem(admin.post("/api/v1/inbox/fetch", json={"since": "kemarin"}), 422)
    problem(admin.post("/api/v1/inbox/fetch", json={"platforms": ["myspace"]}), 422)
    unconfigured = admin.post("/api/v1/inbox/fetch", json={})  # no platform credentials here
    assert 400 <= unconfigured.status_code < 500, unconfigured.text
    assert unconfigured.headers["content-type"].startswith("application/problem+json")
    assert events(api) == count


def test_metrics_fetch_refusals_write_nothing(api: Api) -> None:
    admin = api.session("adi.admin")
    count = events(api)
    problem(admin.post("/api/v1/metrics/fetch", json={"since": "kemarin"}), 422)
    problem(admin.post("/api/v1/metrics/fetch", json={"platforms": ["myspace"]}), 422)
    unconfigured = admin.post("/api/v1/metrics/fetch", json={})  # no credentials here
    assert 400 <= unconfigured.status_code < 500, unconfigured.text
    assert unconfigured.headers["content-type"].startswith("application/problem+json")
    assert events(api) == count


def test_audit_checkpoint_for_the_marketing_manager_only(
        api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from socmed_adapters.audit.signing import generate_key_pair
    from socmed_adapters.audit.witness import read_witness

    path = "/api/v1/audit/checkpoint"
    problem(api.session("rina.mm").post(path, json={}), 422, "error.audit_no_signing_key")
    generate_key_pair(tmp_path / "keys")
    monkeypatch.setenv("SOCMED_AUDIT_SIGNING_KEY",
                       str(tmp_path / "keys" / "audit-signing-key.pem"))
    monkeypatch.setenv("SOCMED_AUDIT_WITNESS", str(tmp_path / "witness.jsonl"))
    for member in ("budi.dm", "adi.admin", "sari.legal", "maya.agency"):
        problem(api.session(member).post(path, json={}), 403, "error.not_allowed")
    assert not (tmp_path / "witness.jsonl").exists()
    manager = api.session("rina.mm")
    answer = manager.post(path, json={})
    assert answer.status_code == 200, answer.text
    signed = answer.json()
    assert signed["created"] is True and signed["position"] == events(api)
    assert signed["witness"] == str(tmp_path / "witness.jsonl")
    checkpoints, problems = read_witness(tmp_path / "witness.jsonl")
    assert problems == [] and [c.position for c in checkpoints] == [signed["position"]]
    again = manager.post(path, json={}).json()  # no new event: that position has one
    assert again["created"] is False and again["position"] == signed["position"]
    verified = api.session("sari.legal").get("/api/v1/audit/verify").json()
    assert verified["problems"] == []
    read_only = api.token("rina.mm", scope="read")
    problem(read_only.post(path, json={}), 403)
