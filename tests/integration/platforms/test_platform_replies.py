"""With posts going to the platforms, replies from the inbox go there too: a comment fetched
from the local X server, answered through `reply_to_conversation`, lands on X once, and the
conversation records the platform's reply id."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.interactions.source import interactions_from_config
from socmed_adapters.monitoring.wiring import PlatformReplies
from socmed_domain.monitoring.conversation import Conversation, ConversationStatus
from socmed_testing.platforms import LocalPlatforms


def test_a_reply_goes_out_through_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    with LocalPlatforms() as local:
        for name, value in local.environ().items():
            monkeypatch.setenv(name, value)
        clock = ManualClock(datetime.now(UTC))
        services = bootstrap(storage="memory", clock=clock, publisher=local.publisher())
        try:
            app = services.app
            seed_team(app)
            assert isinstance(app.reply_sender, PlatformReplies)
            post = local.x.seed_post("Info promo KPR", age=timedelta(hours=3))
            local.x.seed_reply(str(post["id"]), "min, syaratnya apa aja?",
                               age=timedelta(minutes=5))
            source = interactions_from_config(clock=clock, since=clock() - timedelta(hours=1),
                                              posts={})
            report = app.fetch_interactions("adi.admin", source)
            source.close()
            assert report.new == 1
            cid = next(iter(app.inbox._scan_conversation_ids()))
            assert app.reply_to_conversation(
                "adi.admin", cid, "Halo Kak, syaratnya ada di banknusa.co.id/kpr ya") == "sent"
            assert len(local.x.replies) == 1
            conversation = app.find(Conversation, cid)
            assert conversation is not None
            assert conversation.status is ConversationStatus.REPLIED
            assert conversation.replies[0].platform_reply_id == str(local.x.replies[0]["id"])
        finally:
            services.close()
