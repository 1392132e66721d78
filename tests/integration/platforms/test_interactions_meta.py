"""The Instagram and Facebook interaction clients against the local Graph API servers on
127.0.0.1: comments, direct messages and mentions read with the webhook's ids, paging,
`since`, retries, one-line token errors, and replies that are never posted twice."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socmed_adapters.bootstrap import Services
from socmed_adapters.interactions.facebook import FacebookInteractions
from socmed_adapters.interactions.instagram import InstagramInteractions
from socmed_adapters.interactions.meta import MetaInteractions
from socmed_adapters.interactions.source import PlatformInteractions
from socmed_adapters.monitoring.webhook_payloads import parse_payload
from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import (
    InboundInteraction,
    InteractionKind,
    InteractionsUnavailable,
)
from socmed_domain.monitoring.replies import OutboundReply, ReplyError
from socmed_domain.platforms import Platform
from socmed_testing.platforms import (
    DROP,
    ERROR_AFTER_ACCEPT,
    EXPIRED_TOKEN,
    HANG,
    RATE_LIMIT,
    SERVER_ERROR,
    TOKEN,
    FakeTime,
    LocalFacebook,
    LocalGraphServer,
    LocalInstagram,
    fast_policy,
)

WEBHOOKS = Path(__file__).parents[2] / "data" / "webhooks"
COMMENT, DM, MENTION = (InteractionKind.COMMENT, InteractionKind.DIRECT_MESSAGE,
                        InteractionKind.MENTION)
HOUR = timedelta(hours=1)


@pytest.fixture
def ig() -> Iterator[LocalInstagram]:
    with LocalInstagram(hang_seconds=2.0) as server:
        yield server


@pytest.fixture
def fb() -> Iterator[LocalFacebook]:
    with LocalFacebook(hang_seconds=2.0) as server:
        yield server


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def client(server: LocalGraphServer, fake_time: FakeTime, **policy: Any) -> MetaInteractions:
    cls = InstagramInteractions if isinstance(server, LocalInstagram) else FacebookInteractions
    credentials = PlatformCredentials(server.platform, token=TOKEN, account_id=server.own_id,
                                      base_url=server.api_url)
    return cls(credentials, policy=fast_policy(**policy), timing=fake_time.timing())


def since(hours: float = 24) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def ref(post: dict[str, Any]) -> PostRef:
    return PostRef(str(post["id"]), datetime.now(UTC) - timedelta(days=2))


def by_id(found: list[InboundInteraction]) -> dict[str, InboundInteraction]:
    return {item.message_id: item for item in found}


def reply(platform: Platform, thread: str, text: str = "Halo Kak, kami bantu cek ya",
          key: str = "conv-1:3") -> OutboundReply:
    return OutboundReply(platform, thread, thread.removeprefix("dm:"), text, key)


# --------------------------------------------------------------------------- reading


def test_instagram_reads_comments_dms_and_tags(ig: LocalInstagram,
                                                fake_time: FakeTime) -> None:
    post = ig.seed_post("Promo akhir tahun", age=timedelta(days=2))
    top = ig.seed_comment(post["id"], "transfer gagal terus", author="dinda.rahma",
                          author_id="5550001", age=3 * HOUR)
    answer = ig.seed_comment(post["id"], "sama kak", author="yoga_p", author_id="5550002",
                             parent=top["id"], age=2 * HOUR)
    ig.seed_comment(post["id"], "Halo Kak, kami cek ya", parent=top["id"], ours=True)
    message = ig.seed_dm("kartu debit saya terblokir", sender_id="998877", name="rina.k",
                         age=HOUR)
    ig.seed_dm("Baik Kak, kami bantu", sender_id="998877", ours=True)
    tag = ig.seed_tag("Makan siang bareng @localbrand", author="agus.salim", age=HOUR)

    found = by_id(client(ig, fake_time).fetch(since(), [ref(post)]))

    assert set(found) == {top["id"], answer["id"], message["id"], tag["id"]}  # ours skipped
    comment, threaded = found[top["id"]], found[answer["id"]]
    assert (comment.kind, comment.thread_id, comment.post_id, comment.author_handle) == \
        (COMMENT, top["id"], post["id"], "dinda.rahma")
    assert (threaded.thread_id, threaded.author_handle) == (top["id"], "yoga_p")
    assert comment.received_at == datetime.fromtimestamp(int(top["created"]), UTC)
    dm = found[message["id"]]
    assert (dm.kind, dm.thread_id, dm.author_handle, dm.author_name) == \
        (DM, "dm:998877", "998877", "rina.k")
    mention = found[tag["id"]]
    assert (mention.kind, mention.thread_id, mention.author_handle, mention.text) == \
        (MENTION, f"mention:{tag['id']}", "agus.salim", "Makan siang bareng @localbrand")
    assert not ig.violations


def test_facebook_reads_comments_messenger_and_tagged_posts(fb: LocalFacebook,
                                                            fake_time: FakeTime) -> None:
    post = fb.seed_post("Promo akhir tahun", age=timedelta(days=2))
    top = fb.seed_comment(post["id"], "aplikasinya error", author="Rudi Hartono",
                          author_id="2450000000000011", age=3 * HOUR)
    answer = fb.seed_comment(top["id"], "sama", author="Sinta", author_id="2450000000000012",
                             age=2 * HOUR)
    fb.seed_comment(top["id"], "Mohon maaf, kami cek", ours=True)
    message = fb.seed_dm("saldo kepotong dua kali", sender_id="7001", name="Dewi S",
                         age=HOUR)
    fb.seed_dm("Baik Kak", sender_id="7001", ours=True)
    tagged = fb.seed_tagged("Pelayanan @LocalBrand cepat banget", author_id="2450000000000013",
                            age=HOUR)

    found = by_id(client(fb, fake_time).fetch(since(), [ref(post)]))

    assert set(found) == {top["id"], answer["id"], message["id"], tagged["id"]}
    comment, threaded = found[top["id"]], found[answer["id"]]
    assert (comment.kind, comment.thread_id, comment.post_id, comment.author_handle,
            comment.author_name) == (COMMENT, top["id"], post["id"], "2450000000000011",
                                     "Rudi Hartono")
    assert threaded.thread_id == top["id"]
    dm = found[message["id"]]
    assert (dm.kind, dm.thread_id, dm.author_handle, dm.author_name) == \
        (DM, "dm:7001", "7001", "Dewi S")
    mention = found[tagged["id"]]  # `from` is hidden for a person's post: the id tells
    assert (mention.kind, mention.thread_id, mention.author_handle) == \
        (MENTION, tagged["id"], "2450000000000013")
    assert [r.query.get("filter") for r in fb.calls("comments")] == ["stream"]
    assert not fb.violations


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_every_page_is_read(platform: str, ig: LocalInstagram, fb: LocalFacebook,
                            fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    server.page_cap = 2
    post = server.seed_post("Promo", age=timedelta(days=2))
    seeded = [server.seed_comment(post["id"], f"komentar {n}", age=timedelta(minutes=n))
              for n in range(5)]
    if platform == "instagram":  # replies beyond the first nested page
        seeded += [ig.seed_comment(post["id"], f"balasan {n}", parent=seeded[0]["id"],
                                   age=timedelta(seconds=n)) for n in range(3)]
    seeded += [server.seed_dm(f"pesan {n}", sender_id=f"90{n}") for n in range(3)]

    found = client(server, fake_time).fetch(since(), [ref(post)])

    assert {i.message_id for i in found} == {str(s["id"]) for s in seeded}
    assert len(server.calls("comments")) >= 3 and len(server.calls("conversations")) >= 2
    assert not server.violations


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_since_leaves_older_messages_out(platform: str, ig: LocalInstagram,
                                         fb: LocalFacebook, fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    post = server.seed_post("Promo", age=timedelta(days=5))
    old = server.seed_comment(post["id"], "lama", age=timedelta(days=3))
    new = server.seed_comment(post["id"], "baru", age=HOUR)
    server.seed_dm("pesan lama", sender_id="801", age=timedelta(days=3))
    fresh = server.seed_dm("pesan baru", sender_id="802", age=HOUR)

    found = client(server, fake_time).fetch(since(24), [ref(post)])

    assert {i.message_id for i in found} == {new["id"], fresh["id"]}
    assert old["id"] not in {i.message_id for i in found}
    assert [i.received_at for i in found] == sorted(i.received_at for i in found)


def test_a_deleted_post_has_no_comments_rather_than_failing(fb: LocalFacebook,
                                                            fake_time: FakeTime) -> None:
    fb.seed_dm("halo", sender_id="803")
    found = client(fb, fake_time).fetch(since(), [PostRef("104_999", since())])
    assert [i.text for i in found] == ["halo"]


# --------------------------------------------------------------------------- faults


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
@pytest.mark.parametrize("fault", [RATE_LIMIT, SERVER_ERROR])
def test_rate_limits_and_server_errors_are_tried_again(platform: str, fault: str,
                                                       ig: LocalInstagram, fb: LocalFacebook,
                                                       fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    post = server.seed_post("Promo", age=timedelta(days=2))
    comment = server.seed_comment(post["id"], "halo min")
    server.inject(fault, route="comments", retry_after=7)
    server.inject(fault, route="conversations")

    found = client(server, fake_time).fetch(since(), [ref(post)])

    assert [i.message_id for i in found] == [comment["id"]]
    assert len(server.calls("comments")) == 2
    if fault == RATE_LIMIT:
        assert max(fake_time.slept) >= 7  # waited as Retry-After asked


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_an_expired_token_is_one_line(platform: str, ig: LocalInstagram, fb: LocalFacebook,
                                      fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    server.inject(EXPIRED_TOKEN, route="conversations")
    with pytest.raises(InteractionsUnavailable) as raised:
        client(server, fake_time).fetch(since(), [])
    message = raised.value.message("en")
    assert "\n" not in message and server.platform.label in message
    assert "refused the access token" in message and "fetch again" in message


# --------------------------------------------------------------------------- replies


def test_instagram_replies_to_comments_dms_and_mentions(ig: LocalInstagram,
                                                        fake_time: FakeTime) -> None:
    post = ig.seed_post("Promo", age=timedelta(days=2))
    top = ig.seed_comment(post["id"], "transfer gagal")
    ig.seed_dm("kartu terblokir", sender_id="998877")
    tag = ig.seed_tag("Seru bareng @localbrand")
    instagram = client(ig, fake_time)

    comment_id = instagram.send_reply(reply(Platform.INSTAGRAM, top["id"])).platform_reply_id
    message_id = instagram.send_reply(reply(Platform.INSTAGRAM, "dm:998877",
                                            key="c2")).platform_reply_id
    mention_id = instagram.send_reply(reply(Platform.INSTAGRAM, f"mention:{tag['id']}",
                                            key="c3")).platform_reply_id

    assert [(r["kind"], r["to"], r["id"]) for r in ig.replies] == [
        ("comment", top["id"], comment_id), ("message", "998877", message_id),
        ("mention", tag["id"], mention_id)]
    form = ig.calls("reply")[0].form
    assert form == {"message": "Halo Kak, kami bantu cek ya"}
    assert ig.calls("send")[0].json == {"recipient": {"id": "998877"},
                                        "message": {"text": "Halo Kak, kami bantu cek ya"}}
    assert ig.calls("mention")[0].form == {"media_id": tag["id"],
                                           "message": "Halo Kak, kami bantu cek ya"}
    assert not ig.violations


def test_facebook_replies_to_comments_messenger_and_mentions(fb: LocalFacebook,
                                                             fake_time: FakeTime) -> None:
    post = fb.seed_post("Promo", age=timedelta(days=2))
    top = fb.seed_comment(post["id"], "aplikasi error")
    fb.seed_dm("saldo kepotong", sender_id="7001")
    tagged = fb.seed_tagged("Mantap @LocalBrand")
    facebook = client(fb, fake_time)

    ids = [facebook.send_reply(reply(Platform.FACEBOOK, thread, key=thread))
           .platform_reply_id for thread in (top["id"], "dm:7001", tagged["id"])]

    assert [(r["kind"], r["to"], r["id"]) for r in fb.replies] == [
        ("comment", top["id"], ids[0]), ("message", "7001", ids[1]),
        ("comment", tagged["id"], ids[2])]
    assert fb.calls("send")[0].json == {
        "recipient": {"id": "7001"}, "messaging_type": "RESPONSE",
        "message": {"text": "Halo Kak, kami bantu cek ya"}}
    assert fb.comments[-1]["parent"] == "" and fb.comments[-2]["parent"] == top["id"]
    assert not fb.violations


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
@pytest.mark.parametrize("fault", [DROP, HANG, ERROR_AFTER_ACCEPT])
@pytest.mark.parametrize("dm", [False, True], ids=["comment", "dm"])
def test_a_lost_answer_is_found_not_posted_twice(platform: str, fault: str, dm: bool,
                                                 ig: LocalInstagram, fb: LocalFacebook,
                                                 fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    post = server.seed_post("Promo", age=timedelta(days=2))
    top = server.seed_comment(post["id"], "halo")
    server.seed_dm("halo", sender_id="7002")
    route = "send" if dm else "reply"
    server.inject(fault, route=route)
    thread = "dm:7002" if dm else top["id"]

    receipt = client(server, fake_time, request_timeout=0.3).send_reply(
        reply(server.platform, thread))

    assert len(server.replies) == 1 and len(server.calls(route)) == 1
    assert receipt.platform_reply_id == server.replies[0]["id"]


def test_a_lost_mention_reply_is_reported_and_not_sent_again(ig: LocalInstagram,
                                                             fake_time: FakeTime) -> None:
    tag = ig.seed_tag("Seru bareng @localbrand")
    ig.inject(DROP, route="mention")
    instagram = client(ig, fake_time)
    with pytest.raises(ReplyError) as raised:
        instagram.send_reply(reply(Platform.INSTAGRAM, f"mention:{tag['id']}"))
    assert "check the thread" in raised.value.reason
    assert len(ig.calls("mention")) == 1 and len(ig.replies) == 1


def test_a_retry_after_a_lost_answer_looks_first(fb: LocalFacebook,
                                                 fake_time: FakeTime) -> None:
    """The probe could not see the reply yet (its look-up failed): the send is reported;
    sending the same reply again finds it instead of posting a second one."""
    post = fb.seed_post("Promo", age=timedelta(days=2))
    top = fb.seed_comment(post["id"], "halo")
    fb.inject(DROP, route="reply")
    # both look-ups fail: the one before sending (the send goes ahead) and the one after the
    # drop (the send is reported)
    fb.inject(EXPIRED_TOKEN, route="comments", times=2)
    facebook = client(fb, fake_time)
    with pytest.raises(ReplyError):
        facebook.send_reply(reply(Platform.FACEBOOK, top["id"]))
    again = facebook.send_reply(reply(Platform.FACEBOOK, top["id"]))
    assert again.platform_reply_id == fb.replies[0]["id"]
    assert len(fb.replies) == 1 and len(fb.calls("reply")) == 1


def test_a_reply_sent_again_from_a_new_process_finds_the_first(fb: LocalFacebook,
                                                               fake_time: FakeTime) -> None:
    """Each `socmed inbox reply` is its own process: one whose answer was lost, sent again
    by a fresh client (nothing remembered), is found in the thread, not posted twice."""
    post = fb.seed_post("Promo", age=timedelta(days=2))
    top = fb.seed_comment(post["id"], "halo")
    fb.inject(DROP, route="reply")
    fb.inject(EXPIRED_TOKEN, route="comments", times=2)  # so the first send cannot tell
    with pytest.raises(ReplyError):
        client(fb, fake_time).send_reply(reply(Platform.FACEBOOK, top["id"]))
    assert len(fb.replies) == 1  # it did land
    again = client(fb, fake_time).send_reply(reply(Platform.FACEBOOK, top["id"]))
    assert again.platform_reply_id == fb.replies[0]["id"]
    assert len(fb.replies) == 1 and len(fb.calls("reply")) == 1


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_a_refused_reply_is_a_reply_error(platform: str, ig: LocalInstagram,
                                          fb: LocalFacebook, fake_time: FakeTime) -> None:
    server: Any = ig if platform == "instagram" else fb
    server.seed_dm("halo", sender_id="7003", age=timedelta(days=2))  # window closed
    with pytest.raises(ReplyError) as raised:
        client(server, fake_time).send_reply(reply(server.platform, "dm:7003"))
    assert "24 hours" in raised.value.reason and not server.replies


def test_instagram_refuses_a_reply_on_media_we_are_only_tagged_in(
        ig: LocalInstagram, fake_time: FakeTime) -> None:
    tag = ig.seed_tag("foto bareng", mentions_caption=False)
    with pytest.raises(ReplyError):
        client(ig, fake_time).send_reply(reply(Platform.INSTAGRAM, f"mention:{tag['id']}"))
    assert not ig.replies


# --------------------------------------------------------------------------- webhooks


def test_instagram_fetch_and_webhook_agree(ig: LocalInstagram, fake_time: FakeTime) -> None:
    payload = json.loads((WEBHOOKS / "instagram_comments.json").read_text())
    hooked = by_id(parse_payload("meta", payload).interactions)
    post = ig.seed_post("Promo", age=timedelta(days=2), media_id="18000000000000042")
    ig.seed_comment(post["id"], "min transfer ke BCA kok gagal terus ya", author="dinda.rahma",
                    author_id="5550001", comment_id="17865799348089039", age=HOUR)
    ig.seed_comment(post["id"], "sama kak, aku juga", author="yoga_p", author_id="5550002",
                    parent="17865799348089039", comment_id="17865799348089040")
    ig.seed_comment(post["id"], "Halo Kak", parent="17865799348089039", ours=True,
                    comment_id="17865799348089041")
    ig.seed_dm("Halo, kartu debit saya terblokir", sender_id="998877",
               mid="aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx")

    fetched = by_id(client(ig, fake_time).fetch(since(), [ref(post)]))

    assert set(fetched) == set(hooked)
    for message_id, item in hooked.items():
        got = fetched[message_id]
        assert (got.kind, got.thread_id, got.post_id, got.conversation_id) == \
            (item.kind, item.thread_id, item.post_id, item.conversation_id)
        assert got.author_handle == item.author_handle


def test_instagram_reads_and_answers_a_mention_a_webhook_announced(
        ig: LocalInstagram, fake_time: FakeTime) -> None:
    payload = json.loads((WEBHOOKS / "instagram_comments.json").read_text())
    assert parse_payload("meta", payload).unread == 1  # ids only: the API reads the text
    value = payload["entry"][0]["changes"][-1]["value"]
    ig.seed_comment_mention("@localbrand tolong cek DM saya", media_id=value["media_id"],
                            comment_id=value["comment_id"], age=HOUR)
    caption = ig.seed_tag("Liburan seru, bayar pakai @localbrand")
    instagram = client(ig, fake_time)

    comment = instagram.mentioned(value["media_id"], value["comment_id"])
    in_caption = instagram.mentioned(caption["id"])

    assert comment is not None and in_caption is not None
    assert (comment.kind, comment.message_id, comment.thread_id, comment.text) == (
        MENTION, value["comment_id"], f"mention:{value['media_id']}:{value['comment_id']}",
        "@localbrand tolong cek DM saya")
    assert (in_caption.message_id, in_caption.thread_id, in_caption.author_handle) == (
        caption["id"], f"mention:{caption['id']}", "agus.salim")
    assert instagram.mentioned("17800000000000404") is None  # gone: nothing, not an error
    instagram.send_reply(reply(Platform.INSTAGRAM, comment.thread_id))
    assert ig.calls("mention")[0].form == {
        "media_id": value["media_id"], "comment_id": value["comment_id"],
        "message": "Halo Kak, kami bantu cek ya"}
    assert ig.replies[0]["to"] == value["comment_id"] and not ig.violations


def test_facebook_fetch_and_webhook_agree(fb: LocalFacebook, fake_time: FakeTime) -> None:
    payload = json.loads((WEBHOOKS / "facebook_feed.json").read_text())
    payload["entry"].append({"id": fb.page_id, "time": 1798536100, "messaging": [
        {"sender": {"id": "6100001"}, "recipient": {"id": fb.page_id},
         "timestamp": 1798536055123, "message": {"mid": "m_abc123", "text": "halo"}}]})
    hooked = by_id(parse_payload("meta", payload).interactions)
    post = fb.seed_post("Promo", age=timedelta(days=2),
                        post_id="104000000000001_880000000000001")
    fb.seed_comment(post["id"], "Aplikasinya error pas mau bayar listrik",
                    comment_id="880000000000001_1200000000000001", age=HOUR)
    fb.seed_tagged("Pelayanan Bank Digital Nusantara cepat banget, mantap!",
                   post_id="2450000000000013_990000000000001", age=HOUR)
    fb.seed_dm("halo", sender_id="6100001", mid="m_abc123")

    fetched = by_id(client(fb, fake_time).fetch(since(), [ref(post)]))

    assert set(fetched) == set(hooked)
    for message_id, item in hooked.items():
        got = fetched[message_id]
        assert (got.kind, got.thread_id, got.post_id, got.author_handle,
                got.conversation_id) == (item.kind, item.thread_id, item.post_id,
                                         item.author_handle, item.conversation_id)


# --------------------------------------------------------------------------- the app




def test_ingesting_a_fetch_twice_records_nothing_new(ig: LocalInstagram, fb: LocalFacebook,
                                                     fake_time: FakeTime,
                                                     services: Services) -> None:
    ig_post = ig.seed_post("Promo", age=timedelta(days=2))
    fb_post = fb.seed_post("Promo", age=timedelta(days=2))
    top = ig.seed_comment(ig_post["id"], "transfer gagal", age=HOUR)
    ig.seed_comment(ig_post["id"], "sama", parent=top["id"])
    ig.seed_dm("kartu terblokir", sender_id="998877")
    fb.seed_comment(fb_post["id"], "aplikasi error")
    fb.seed_tagged("Mantap @LocalBrand")
    source = PlatformInteractions(
        {Platform.INSTAGRAM: client(ig, fake_time), Platform.FACEBOOK: client(fb, fake_time)},
        since=since(), posts={Platform.INSTAGRAM: [ref(ig_post)],
                              Platform.FACEBOOK: [ref(fb_post)]})
    app = services.app

    first = app.ingest_interactions("adi.admin", source.interactions())
    events = app.event_count()
    again = app.ingest_interactions("adi.admin", source.interactions())
    source.close()

    # The reply to the Instagram comment joins its thread: four conversations.
    assert (first.received, first.new, first.conversations_opened) == (5, 5, 4)
    assert (again.received, again.new, again.duplicates) == (5, 0, 5)
    assert app.event_count() == events


@pytest.mark.parametrize(("platform", "spelled"), [("instagram", "instagram"),
                                                   ("facebook", "messenger")])
def test_conversations_are_listed_by_the_graph_api_platform_names(
        platform: str, spelled: str, ig: LocalInstagram, fb: LocalFacebook,
        fake_time: FakeTime) -> None:
    """The Conversations API knows `instagram` and `messenger` (not our `facebook`); the
    stand-in refuses any other value as the Graph API does (#100)."""
    server: Any = ig if platform == "instagram" else fb
    server.seed_dm("halo", sender_id="7002", name="Sari", age=HOUR)
    found = list(client(server, fake_time).fetch(since(), []))
    assert [r.query.get("platform") for r in server.calls("conversations")] == [spelled]
    assert [i.author_handle for i in found if i.kind == DM] == ["7002"]
    assert not server.violations


def test_the_stand_in_refuses_a_platform_the_graph_api_does_not_know(
        fb: LocalFacebook, fake_time: FakeTime) -> None:
    import httpx

    answer = httpx.get(f"{fb.api_url}/{fb.page_id}/conversations",
                       params={"platform": "facebook", "access_token": TOKEN})
    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == 100
    assert fb.violations
