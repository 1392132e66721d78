"""The second factor for API tokens: a TOTP code sent with one request (`X-Socmed-TOTP`)
steps the token's principal up for that request, so the Marketing Manager approves through a
token under the default policy; without it, with a wrong or a reused code, it is refused and
nothing is written."""

from __future__ import annotations

from typing import Any

from tests.web.conftest import Api


def awaiting_approval(api: Api) -> tuple[str, str]:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft

    content = api.services.app.content
    item = str(content.create("budi.dm", "Promo", Draft(
        "Promo akhir tahun #promo", (Platform.LINKEDIN,), hashtags=("promo",)), api.campaign))
    content.submit_for_review("budi.dm", item)
    content.review("dewi.dm", item, CHECKLIST_KEYS)
    content.submit_for_approval("budi.dm", item)
    return item, content.get(item).summary.revision_sha256


def events(api: Api) -> int:
    return int(api.services.app.audit.event_count())


def refused(answer: Any, code: str) -> None:
    assert answer.status_code == 403, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code


def test_a_token_approves_with_a_code_sent_with_the_request(api: Api) -> None:
    item, sha = awaiting_approval(api)
    token = api.token("rina.mm")
    body = {"revision_sha256": sha}
    count = events(api)
    refused(token.post(f"/api/v1/content/{item}/approve", json=body),
            "error.second_factor_needed")
    refused(token.post(f"/api/v1/content/{item}/approve", json=body,
                       headers={"X-Socmed-TOTP": "000000"}), "error.step_up_failed")
    failures = [e for e in api.services.app.audit.log("sari.legal")[count:]]
    assert [e.event_type for e in failures] == ["SignInFailed"]  # counts towards lock-out
    assert api.services.app.content.get(item).summary.status == "awaiting_approval"
    code = api.otp("rina.mm")
    approved = token.post(f"/api/v1/content/{item}/approve", json=body,
                          headers={"X-Socmed-TOTP": code})
    assert approved.status_code == 200, approved.text
    history = api.services.app.content.history(item)
    assert history[-1].event_type == "Approved" and history[-1].via == token.via
    # the code was spent: sent again (a replay), it is refused
    other, other_sha = awaiting_approval(api)
    refused(token.post(f"/api/v1/content/{other}/approve", json={
        "revision_sha256": other_sha}, headers={"X-Socmed-TOTP": code}),
        "error.step_up_failed")


def test_the_step_up_lifts_no_other_limit(api: Api) -> None:
    item, sha = awaiting_approval(api)
    reader = api.token("rina.mm", scope="read")
    refused(reader.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": sha},
                        headers={"X-Socmed-TOTP": api.otp("rina.mm")}),
            "error.read_only_principal")
    # a member without an authenticator has nothing to step up with
    refused(api.token("budi.dm").post(f"/api/v1/content/{item}/submit-review",
                                      headers={"X-Socmed-TOTP": "123456"}),
            "error.step_up_not_enrolled")
    # the Digital Marketing role still may not approve, with any code
    assert api.services.app.content.get(item).summary.status == "awaiting_approval"
