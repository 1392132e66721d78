"""Instagram announces @mentions by webhook as ids only: with Instagram credentials the
receiver reads their text from the API (the local Instagram server) before ingesting; without
them, or when the API cannot answer, they stay counted as unread."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.webhook_delivery import mention_reader, receive_delivery
from socmed_domain.monitoring.conversation import Conversation
from socmed_domain.monitoring.interaction import InteractionKind
from socmed_testing.platforms import EXPIRED_TOKEN, LocalPlatforms, fast_policy

SECRET = "meta-secret"


def _delivery(local: LocalPlatforms, ids: list[tuple[str, str]]) -> tuple[bytes, str]:
    body = json.dumps({"object": "instagram", "entry": [{
        "id": local.instagram.user_id, "time": int(datetime.now(UTC).timestamp()),
        "changes": [{"field": "mentions", "value": {"media_id": media, "comment_id": comment}}
                    for media, comment in ids]}]}).encode()
    return body, "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


@pytest.fixture
def world() -> Iterator[tuple[LocalPlatforms, Any]]:
    with LocalPlatforms() as local:
        services = bootstrap(storage="memory", clock=ManualClock(datetime.now(UTC)))
        seed_team(services.app)
        yield local, services.app
        services.close()


def _env(local: LocalPlatforms) -> dict[str, str]:
    return {**local.environ(), "SOCMED_META_APP_SECRET": SECRET}


def test_a_mention_announced_by_id_is_read_and_ingested(world: Any) -> None:
    local, app = world
    mention = local.instagram.seed_comment_mention("@banknusa kapan cashback-nya cair?")
    body, signature = _delivery(local, [(mention["media_id"], mention["id"])])
    env = _env(local)
    reader = mention_reader(env)
    assert reader is not None
    report = receive_delivery("meta", body, signature, "adi.admin", lambda: app,
                              environ=env, mentions=reader)
    assert (report.new, report.unread) == (1, 0)
    conversation = next(c for c in (app.find(Conversation, i)
                                    for i in app.inbox._scan_conversation_ids()) if c)
    assert conversation.messages[0].kind is InteractionKind.MENTION
    assert conversation.thread_id == f"mention:{mention['media_id']}:{mention['id']}"
    again = receive_delivery("meta", body, signature, "adi.admin", lambda: app,
                             environ=env, mentions=reader)
    assert (again.new, again.duplicates) == (0, 1)


def test_without_credentials_or_when_the_api_fails_mentions_stay_unread(world: Any) -> None:
    local, app = world
    mention = local.instagram.seed_comment_mention("@banknusa halo")
    body, signature = _delivery(local, [(mention["media_id"], mention["id"])])
    env = {"SOCMED_META_APP_SECRET": SECRET}
    assert mention_reader(env) is None
    report = receive_delivery("meta", body, signature, "adi.admin", lambda: app,
                              environ=env, mentions=mention_reader(env))
    assert (report.new, report.unread) == (0, 1)
    from socmed_adapters.interactions.instagram import InstagramInteractions

    client = InstagramInteractions(local.credentials()[local.instagram.platform],
                                   policy=fast_policy())
    local.instagram.inject(EXPIRED_TOKEN, route="*", times=5)
    failing = receive_delivery("meta", body, signature, "adi.admin", lambda: app,
                               environ=_env(local), mentions=client.mentioned)
    assert (failing.new, failing.unread) == (0, 1)
    client.close()


def test_a_mention_instagram_no_longer_has_is_skipped(world: Any) -> None:
    local, app = world
    body, signature = _delivery(local, [("18000000000009999", "17900000000009999")])
    env = _env(local)
    report = receive_delivery("meta", body, signature, "adi.admin", lambda: app,
                              environ=env, mentions=mention_reader(env))
    assert (report.new, report.unread, report.skipped) == (0, 0, 1)
