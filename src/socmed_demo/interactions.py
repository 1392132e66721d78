"""The demo month's inbox (SOP stage 4): a week of ordinary comments, DMs and mentions, then
the day of the transfer outage, all ingested through the application.

Ordinary days (the eight before the outage) bring a handful of questions, praise, complaints,
mentions and spam, in Bahasa Indonesia (with the slang people write) and English, ingested at
13:00 and 21:00. The Social Media Admin answers each one from the response guide and closes
it, except one question on the last ordinary morning that is forgotten: the 16:00 SLA sweep
records its breach and the admin answers it late. On the outage day a burst of complaints
arrives between 08:00 and 09:00; the 09:00 ingestion raises the spike alert from those
negative messages, and the incident (`incident`) is opened from that recorded alert. The
admin answers one complaint before the incident is classified; after level 3 a reply is held
until Legal approves it. The rest of the day's conversations stay open in the inbox.

Deterministic per seed, on a random stream of its own, so the rest of the month is unchanged.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from functools import partial
from uuid import UUID

from attrs import define, field

from socmed_demo.common import DemoTimeline, at
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind, Tag
from socmed_domain.platforms import Platform

IG, FB, TT, X = Platform.INSTAGRAM, Platform.FACEBOOK, Platform.TIKTOK, Platform.X
COMMENT, DM, MENTION = (InteractionKind.COMMENT, InteractionKind.DIRECT_MESSAGE,
                        InteractionKind.MENTION)
ADMIN = "adi.admin"
BURST_SIZE = 46
ORDINARY_DAYS = 8

OUTAGE = (
    "min transfer ke BCA gagal terus dari pagi, saldo udah kepotong tapi dana ga masuk!!",
    "transfer antarbank error lagi, parah banget, gaji karyawan ga bisa dikirim",
    "BI-FAST gagal mulu, kecewa banget sama aplikasinya",
    "duit kepotong tapi transfer gagal, gimana sih min? kesel",
    "aplikasi error pas transfer, udah 5x coba tetep gagal. payah",
    "kok transfer gagal terus ya?? mana CS susah dihubungi. kecewa",
    "parah, transfer ke mandiri gagal, saldo berkurang. balikin duit saya",
    "ga bisa transfer sama sekali pagi ini, jelek banget layanannya",
    "transfer failed three times this morning and my balance was still debited. terrible",
    "your app keeps failing on interbank transfers, this is so frustrating",
    "error terus min, transfer gagal, saldo kepotong, respon lambat. mengecewakan",
    "gangguan lagi? udah sering banget error kayak gini, bikin rugi",
    "saldo kepotong 2 juta tapi transfer gagal. tolong segera dibalikin!",
    "udah antri di CS 1 jam ga diangkat, transfer gagal, kecewa berat",
)
COMPLAINTS = (
    "min kartu debit saya keblokir, kok susah banget ya bukanya",
    "aplikasinya lemot banget tiap malam, tolong diperbaiki",
    "notifikasi transaksi telat masuk, kecewa",
    "the app logged me out again and the OTP never arrived, annoying",
)
#: (question, the answer the admin gives)
QUESTIONS = (
    ("min, cara ganti nomor HP yang terdaftar di aplikasi gimana ya?",
     "Nomor HP bisa diganti di menu Profil > Keamanan dengan verifikasi wajah."),
    ("kak, limit transfer harian berapa ya untuk tabungan nusa?",
     "Limit transfer harian Tabungan Nusa Rp50 juta dan bisa diatur di aplikasi."),
    ("halo, mau tanya biaya admin bulanan tabungan nusa berapa?",
     "Tabungan Nusa bebas biaya administrasi bulanan."),
    ("how do I increase my QRIS daily limit?",
     "Open Settings > Limits in the app and choose a new QRIS limit."),
    ("min promo cashback QRIS berlaku buat semua merchant ga?",
     "Cashback berlaku di semua merchant QRIS sampai 31 Desember."),
    ("kak buka rekening bisa full online kan? perlu ke cabang ga?",
     "Bisa sepenuhnya online lewat aplikasi, cukup KTP dan swafoto."),
)
PRAISE = (
    "mantap min, aplikasinya makin cepet sekarang 👍",
    "makasih ya CS nya ramah banget, masalah saya langsung beres",
    "love the new design of the app, super easy to use!",
    "keren banget fitur tabungan berjangkanya, bagus!",
)
MENTIONS = (
    "baru buka rekening di @banknusa, prosesnya cepet juga ternyata",
    "ada yang pake @banknusa buat nabung? rekomen ga?",
)
SPAM = (
    "dapatkan pinjaman cepat tanpa BI checking, wa 0812xxxx",
    "follow back ya kak, jual followers murah",
)
LATER = (
    "min kapan normal lagi transfernya? udah siang masih gagal",
    "masih error min, transfer ke BRI gagal lagi. kecewa",
    "sudah dicoba lagi tetap gagal, tolong infonya",
    "any update? transfers still failing here",
)
RECOVERED = (
    "udah bisa transfer lagi min, makasih infonya",
    "transfer sudah normal, terima kasih sudah gercep",
)
FIRST = ("dinda", "yoga", "rudi", "sinta", "fajar", "lia", "putri", "agus", "nadya", "bima",
         "wulan", "dimas", "tasya", "reza", "intan", "hendra", "citra", "bayu")
SUFFIX = ("", "_", ".", "99", "88", "_id", "07", "x")
POSTS = {IG: "ig-media-", FB: "fb-post-", TT: "tt-video-", X: "x-post-"}


@define
class Batch:
    """One ingestion and the conversations it brought, by what the admin does with them."""

    at: datetime
    items: list[InboundInteraction] = field(factory=list)
    kinds: dict[UUID, str] = field(factory=dict)  # conversation -> pool name
    answers: dict[UUID, str] = field(factory=dict)


@define
class DemoInbox:
    """What the rest of the demo needs from the inbox: the spike alert's id once raised, and
    how many negative messages the burst hour brought."""

    alert_id: str = ""
    burst_negatives: int = 0
    interactions: int = 0
    outage_day: int = 0
    replies: int = 0
    held: int = 0
    breaches: list[str] = field(factory=list)


class Generator:
    def __init__(self, seed: str) -> None:
        self.rng = random.Random(seed)
        self.count = 0

    def author(self) -> str:
        return f"{self.rng.choice(FIRST)}{self.rng.choice(SUFFIX)}{self.rng.randrange(10, 99)}"

    def one(self, batch: Batch, when: datetime, pool: str, text: str, answer: str = "",
            thread: str = "") -> InboundInteraction:
        self.count += 1
        platform = self.rng.choice((IG, IG, FB, X, TT)) if pool != "dm" else \
            self.rng.choice((IG, FB, X))
        kind = {"dm": DM, "mention": MENTION}.get(pool, COMMENT)
        if platform is X and kind is COMMENT:
            kind = MENTION
        author = self.author()
        message_id = f"{platform.value}-{when:%m%d}-{self.count:04d}"
        item = InboundInteraction(
            platform, kind, message_id, author, text, when,
            thread_id=thread or (f"dm:{author}" if kind is DM else message_id),
            post_id=f"{POSTS[platform]}{when:%m%d}" if kind is COMMENT else "")
        batch.items.append(item)
        batch.kinds.setdefault(item.conversation_id, "question" if answer else pool)
        if answer:
            batch.answers[item.conversation_id] = answer
        return item

    def ordinary(self, batch: Batch, start: datetime, end: datetime, count: int) -> None:
        for _ in range(count):
            when = start + timedelta(seconds=self.rng.randrange(int((end - start)
                                                                    .total_seconds())))
            pool = self.rng.choices(("question", "complaint", "praise", "mention", "spam"),
                                    (35, 20, 20, 15, 10))[0]
            if pool == "question":
                text, answer = self.rng.choice(QUESTIONS)
                self.one(batch, when, "dm" if self.rng.random() < 0.3 else pool, text, answer)
            else:
                pools = {"complaint": COMPLAINTS, "praise": PRAISE, "mention": MENTIONS,
                         "spam": SPAM}
                self.one(batch, when, pool, self.rng.choice(pools[pool]))


def at_hour(day: date, hour: int, minute: int = 0) -> datetime:
    return at(day, hour, minute)


def add_interactions(demo: DemoTimeline, outage: date) -> DemoInbox:
    """Schedule the inbox of the days up to and including `outage` (the incident's day)."""
    gen = Generator(f"inbox-{demo.report.seed}-{demo.month}")
    inbox = DemoInbox()
    app = demo.app
    for back in range(ORDINARY_DAYS, 0, -1):
        day = outage - timedelta(days=back)
        morning, evening = Batch(at_hour(day, 13)), Batch(at_hour(day, 21))
        gen.ordinary(morning, at_hour(day, 7), at_hour(day, 12, 50), gen.rng.randint(2, 4))
        gen.ordinary(evening, at_hour(day, 13), at_hour(day, 20, 50), gen.rng.randint(2, 4))
        forgotten: set[UUID] = set()
        if back == 1:  # the last ordinary morning: one question is missed
            text, answer = QUESTIONS[0]
            missed = gen.one(morning, at_hour(day, 9, 20), "question", text, answer)
            forgotten = {missed.conversation_id}
            demo.add(at_hour(day, 16), "inbox: SLA sweep", lambda: inbox.breaches.extend(
                sorted({ref for ref, _ in app.inbox.flag_sla_breaches(ADMIN)})))
            late = next(iter(forgotten))
            demo.add(at_hour(day, 16, 20), "inbox: late answer",
                     partial(handle, demo, inbox, morning, {late}))
        for batch in (morning, evening):
            schedule(demo, inbox, batch, forgotten)

    burst_at = at_hour(outage, 8)
    early = Batch(at_hour(outage, 9))
    gen.ordinary(early, at_hour(outage, 0, 30), burst_at - timedelta(minutes=5), 3)
    burst = [burst_at + timedelta(seconds=gen.rng.randrange(3600)) for _ in range(BURST_SIZE)]
    for n, when in enumerate(sorted(burst)):
        first = gen.one(early, when, "dm" if n % 9 == 4 else "outage", gen.rng.choice(OUTAGE))
        if n % 11 == 3:  # the same customer again, a few minutes later, same thread
            early.items.append(InboundInteraction(
                first.platform, first.kind, f"{first.message_id}-2", first.author_handle,
                "halo?? kok belum dibales juga", when + timedelta(minutes=6),
                thread_id=first.thread, post_id=first.post_id))
    inbox.burst_negatives = BURST_SIZE
    day_batches = [early]
    for start, end, ingest_at in ((9, 13, 13), (13, 21, 21), (21, 23, 23)):
        batch = Batch(at_hour(outage, ingest_at, 55 if ingest_at == 23 else 0))
        texts = RECOVERED if start == 21 else LATER
        for _ in range(3 if start == 21 else 3 * (end - start) // 2):
            when = at_hour(outage, start) + timedelta(
                seconds=gen.rng.randrange((end - start) * 3600 - 600))
            gen.one(batch, when, "outage", gen.rng.choice(texts))
        gen.ordinary(batch, at_hour(outage, start), at_hour(outage, end) - timedelta(minutes=10),
                     2)
        day_batches.append(batch)
    for batch in day_batches:
        demo.add(batch.at, "inbox: ingest", partial(ingest, demo, inbox, batch, alerts=True))
        inbox.outage_day += len(batch.items)
    outage_triage(demo, inbox, early, outage)
    demo.add(at_hour(outage, 23, 58), "inbox: summary", lambda: summarise(demo, inbox))
    return inbox


def schedule(demo: DemoTimeline, inbox: DemoInbox, batch: Batch, forgotten: set[UUID]) -> None:
    demo.add(batch.at, "inbox: ingest", lambda: ingest(demo, inbox, batch))
    chosen = set(batch.kinds) - forgotten
    demo.add(batch.at + timedelta(minutes=30), "inbox: answer and close",
             lambda: handle(demo, inbox, batch, chosen))


def ingest(demo: DemoTimeline, inbox: DemoInbox, batch: Batch, alerts: bool = False) -> None:
    """What `socmed inbox ingest` does: ingest, then look for spikes in the batch's span."""
    app = demo.app
    report = app.inbox.ingest_interactions(ADMIN, batch.items)
    inbox.interactions += report.new
    if alerts and report.first_at is not None and report.last_at is not None:
        for alert_id in app.inbox.raise_spike_alerts(ADMIN, report.first_at, report.last_at):
            inbox.alert_id = inbox.alert_id or alert_id


def handle(demo: DemoTimeline, inbox: DemoInbox, batch: Batch, chosen: set[UUID]) -> None:
    """Triage by kind: answer questions and complaints from the response guide, thank for
    praise, tag spam; then close (mentions are read and closed)."""
    app = demo.app
    for cid, kind in batch.kinds.items():
        if cid not in chosen:
            continue
        tags = {"question": (Tag.QUESTION,),
                "complaint": (Tag.COMPLAINT, Tag.FEEDBACK_SERVICE), "praise": (Tag.PRAISE,),
                "spam": (Tag.SPAM,)}.get(kind, ())
        if tags:
            app.inbox.tag_conversation(ADMIN, cid, tags)
        template, values = {
            "question": ("question", {"answer": batch.answers.get(cid, "")}),
            "complaint": ("complaint_ack", {"channel": "DM @banknusa"}),
            "praise": ("praise", {})}.get(kind, ("", {}))
        if template:
            inbox.replies += app.inbox.reply_to_conversation(
                ADMIN, cid, template=template, lang=_lang(batch, cid), values=values) == "sent"
        app.inbox.close_conversation(ADMIN, cid, "dijawab" if template else "dibaca")


def outage_triage(demo: DemoTimeline, inbox: DemoInbox, early: Batch, day: date) -> None:
    """The outage morning: Digital Marketing assigns the first complaints to the admin, who
    answers one before the incident is classified; after level 3 the next reply waits for
    Legal's approval."""
    app = demo.app
    first, second = [c for c, k in early.kinds.items() if k == "outage"][:2]
    def assign() -> None:
        for cid in (first, second):
            app.inbox.assign_conversation("budi.dm", cid, ADMIN, "gangguan transfer")
    demo.add(at_hour(day, 9, 2), "inbox: assign", assign)

    def answer(cid: UUID) -> None:
        app.inbox.tag_conversation(ADMIN, cid, (Tag.COMPLAINT, Tag.FEEDBACK_SERVICE))
        outcome = app.inbox.reply_to_conversation(ADMIN, cid, template="outage_holding",
                                            lang=_lang(early, cid),
                                            values={"topic": "transfer antarbank"})
        inbox.replies += outcome == "sent"
        inbox.held += outcome == "held"
    demo.add(at_hour(day, 9, 10), "inbox: reply before classification", lambda: answer(first))
    demo.add(at_hour(day, 9, 50), "inbox: reply held during the incident",
             lambda: answer(second))
    demo.add(at_hour(day, 10, 20), "inbox: Legal approves the held reply",
             lambda: app.inbox.approve_reply("sari.legal", second))


def _lang(batch: Batch, cid: UUID) -> str:
    text = next(i.text for i in batch.items if i.conversation_id == cid)
    english = ("the ", " my ", "how ", "your ", "love ", "any ")
    return "en" if any(word in f" {text.lower()}" for word in english) else "id"


def summarise(demo: DemoTimeline, inbox: DemoInbox) -> None:
    demo.report.notes.append(
        f"inbox: {inbox.interactions} interactions ingested ({inbox.outage_day} on the "
        f"outage day, {inbox.burst_negatives} complaints in its first hour), "
        f"{inbox.replies} replies sent, {inbox.held} held during the incident and approved "
        f"by Legal, SLA breach flagged on {', '.join(inbox.breaches) or 'none'}, "
        f"alert {inbox.alert_id or 'none'}")

