"""A realistic SOP-0042 month for an Indonesian company, run through the real application.

PT Bank Digital Nusantara Tbk (a bank: OJK-regulated, so every claim is reviewed) plans and
publishes a month of content on five platforms. The script exercises what the SOP asks for and
what goes wrong in real teams: an agency draft missing its #iklan disclosure, a banned
superlative caught by the checklist, an X caption too long for the final check, an approval
voided by a late edit so the post expires, Legal pulling a post, an unanswered platform call
settled by reconciliation, and refused attempts to skip the rules. The agency works only
inside the two campaigns (Harbolnas 12.12, KPR) it is assigned to. Everything lands in the
configured store, so every other command can be tried on its data. Deterministic per seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any
from uuid import UUID

from attrs import evolve

from socmed_adapters.bootstrap import Services
from socmed_adapters.media.library import MediaLibrary
from socmed_demo import strategy as demo_strategy
from socmed_demo.common import DemoReport, Step, at, checks, month_days
from socmed_demo.incident import add_incident
from socmed_demo.interactions import add_interactions
from socmed_demo.metrics import add_metrics
from socmed_domain.configuration.model import CompanyConfiguration, default_configuration
from socmed_domain.errors import SocmedError
from socmed_domain.planning.campaign import CampaignPlan, Period
from socmed_domain.planning.goals import Goal, GoalKind, KpiPeriod, KpiTarget
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import CaptionVariant, ContentType, Draft, MediaRef
from socmed_domain.production.routing import ApprovalRoute, ApprovalRoutes, RouteStep
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, Publisher
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB
from socmed_testing.samples import named_sample

ORG = "PT Bank Digital Nusantara Tbk"
TEAM = [
    ("budi.dm", "Budi Santoso", Role.DIGITAL_MARKETING),
    ("dewi.dm", "Dewi Lestari", Role.DIGITAL_MARKETING),
    ("adi.admin", "Adi Pratama", Role.SOCIAL_MEDIA_ADMIN),
    ("sari.legal", "Sari Hakim", Role.LEGAL),
    ("maya.agency", "Maya Kusuma (Kreativa Agency)", Role.AGENCY),
]
MANAGER = ("rina.mm", "Rina Wijaya")
IG, FB, LI, TT, X = (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN,
                     Platform.TIKTOK, Platform.X)
OJK = "Bank Digital Nusantara berizin dan diawasi oleh OJK serta merupakan peserta penjaminan LPS."
CDN = "https://cdn.banknusa.example/social"
#: The demo company's approval routes (issue 17): sponsored posts, and claims about rates
#: and returns, go through Legal's compliance review before the manager may approve.
DEMO_ROUTES = ApprovalRoutes(
    steps=(RouteStep("legal", Role.LEGAL, label="Legal compliance review"),),
    routes=(ApprovalRoute("sponsored", ("legal",), sponsored=True),))


class FlakyOncePublisher:
    """Wraps a publisher and loses the answer once for one title, as a timed-out call does:
    the post exists on the platform but the caller never hears so."""

    def __init__(self, inner: Publisher, lose_answer_for: str) -> None:
        self.inner = inner
        self.lose_answer_for = lose_answer_for
        self.lost = False

    def publish(self, post: OutboundPost) -> PostReceipt:
        receipt = self.inner.publish(post)
        if not self.lost and post.title == self.lose_answer_for:
            self.lost = True
            raise OutcomeUnknownError("read timeout after 30 s: the request was sent")
        return receipt

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self.inner.find(post)

    def close(self) -> None:
        closing = getattr(self.inner, "close", None)
        if callable(closing):
            closing()


class DemoMediaLibrary(MediaLibrary):
    """The store's media library, reading the demo's (fictional) CDN from files the demo
    makes (`named_sample`): the demo's media are real bytes, read and hashed like any
    other, and the internet is never asked."""


def _fetch_sample(uri: str) -> Iterator[bytes]:
    content = named_sample(uri.removeprefix(CDN + "/")) if uri.startswith(CDN) else None
    if content is None:
        raise FileNotFoundError(uri)
    yield content


def demo_media_reader(data_dir: Path | str) -> MediaLibrary:
    """What the demo's store reads media with: ``bootstrap(data_dir, media_reader=
    demo_media_reader(data_dir))`` (the composition root builds the application complete)."""
    return DemoMediaLibrary.for_data_dir(Path(data_dir), fetch=_fetch_sample)


class MediaMirror:
    """Hands the platforms the demo's media from a local host instead of its (fictional)
    CDN: used only when the demo publishes to the local platform servers, which never
    reach the internet. Only the media addresses change; texts go out as approved."""

    def __init__(self, inner: Publisher, base: str) -> None:
        self.inner = inner
        self.base = base.rstrip("/")

    def _mirrored(self, post: OutboundPost) -> OutboundPost:
        return evolve(post, media_uris=tuple(uri.replace(CDN, self.base)
                                             for uri in post.media_uris))

    def publish(self, post: OutboundPost) -> PostReceipt:
        return self.inner.publish(self._mirrored(post))

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return self.inner.find(self._mirrored(post))

    def close(self) -> None:
        closing = getattr(self.inner, "close", None)
        if callable(closing):
            closing()


class DemoMonth:
    """Builds the month's timeline of steps; `run()` plays it against the application."""

    def __init__(self, services: Services, clock: Any, month: str, seed: int,
                 configuration: CompanyConfiguration | None = None) -> None:
        self.services = services
        #: The company's rules the month runs under (an industry pack); None: the built-in
        #: banking rules, as before packs existed.
        self.configuration = configuration
        self.app = services.app
        self.clock = clock
        self.month = month
        self.days = month_days(month)
        self.rng = random.Random(seed)
        id_rng = random.Random(f"ids-{seed}-{month}")
        self.app.new_id = lambda: UUID(int=id_rng.getrandbits(128), version=4)
        # Campaigns draw their ids from a stream of their own, so content ids stay the same
        # whatever campaigns the month plans (the docs quote them).
        self.campaign_ids = random.Random(f"campaign-ids-{seed}-{month}")
        self.idea_ids = random.Random(f"idea-ids-{seed}-{month}")
        self.incident_ids = random.Random(f"incident-ids-{seed}-{month}")
        self.incident_keys: dict[str, Any] = {}
        self.report = DemoReport(month=month, seed=seed)
        self.steps: list[Step] = []
        self.ids: dict[str, Any] = {}
        self.slot_times: set[datetime] = set()

    # ------------------------------------------------------------ building

    def add(self, when: datetime, label: str, run: Callable[[], object]) -> None:
        self.steps.append(Step(when, label, run))

    def refused(self, when: datetime, label: str, run: Callable[[], object]) -> None:
        """A step that the rules must refuse; the refusal is reported, nothing is written."""
        def attempt() -> None:
            try:
                run()
            except SocmedError as error:
                self.report.refusals.append(f"{label}: {error.message('en')}")
            else:  # pragma: no cover - the demo asserts its own rules
                raise AssertionError(f"the rules let through: {label}")
        self.add(when, label, attempt)

    def produce(self, key: str, title: str, author: str, draft: Draft, start: datetime,
                slot: datetime, reviewer: str = "dewi.dm", approve: bool = True,
                platforms: tuple[Platform, ...] = (), campaign: str | None = None) -> None:
        """The happy path of stages 2-3: draft, review, approval, schedule."""
        app = self.app
        self.slot(slot)
        jitter = self.rng.randint(0, 50)
        self.add(start, f"{key}: draft", lambda: self.ids.__setitem__(
            key, app.content.create(author, title, draft,
                                    campaign_id=self.campaign_ref(campaign))))
        self.add(start + timedelta(hours=1, minutes=jitter), f"{key}: submit for review",
                 lambda: app.content.submit_for_review(author, self.ids[key], "siap direview"))
        self.add(start + timedelta(hours=3), f"{key}: review",
                 lambda: app.content.review(reviewer, self.ids[key], checks(app), "OK"))
        self.add(start + timedelta(hours=4), f"{key}: submit for approval",
                 lambda: app.content.submit_for_approval("budi.dm" if author != "budi.dm" else
                                                 "dewi.dm", self.ids[key]))
        self.add(start + timedelta(hours=5), f"{key}: approval route steps",
                 lambda: self._route_steps(key))
        if approve:
            self.add(start + timedelta(hours=6), f"{key}: approve",
                     lambda: app.content.approve("rina.mm", self.ids[key],
                                                 comment="Disetujui."))
        self.add(start + timedelta(hours=7), f"{key}: schedule",
                 lambda: app.content.schedule("adi.admin", self.ids[key], slot, platforms))

    def build(self) -> None:
        d = self.days
        prep = at(d[0] - timedelta(days=6), 9)
        app = self.app
        self.add(prep, "team: found", lambda: app.team.initialise(ORG, *MANAGER))
        for offset, (handle, name, role) in enumerate(TEAM, start=1):
            self.add(prep + timedelta(minutes=offset), f"team: add {handle}",
                     partial(app.team.add_member, "rina.mm", handle, name, role))
        chosen = self.configuration or default_configuration()
        if not chosen.approval_routes.routes:  # sponsored posts go through Legal
            chosen = evolve(chosen, approval_routes=DEMO_ROUTES)
        self.add(prep + timedelta(minutes=20),
                 f"config: apply the {chosen.name} rules, sponsored posts through Legal",
                 partial(app.configuration.apply, "rina.mm", chosen,
                         "the company's rules for the month", f"pack {chosen.name}"))

        self.plan_strategy(prep + timedelta(minutes=30))
        self.plan_campaigns(prep + timedelta(hours=1))
        # Stages 4 and 6: the inbox of the days up to the transfer outage (`interactions`),
        # whose spike alert opens an incident handled to a reviewed close (`incident`).
        add_incident(self, d[-3], add_interactions(self, d[-3]))
        # Stage 5: insights fetched every evening; the report is written at the end.
        add_metrics(self)
        # Near the month's end Digital Marketing fills next month's calendar with ideas.
        self.add(at(d[-4], 10), "calendar: plan next month", self._plan_next_month)

        def slot_time(day: date, hours: tuple[int, ...] = (11, 12, 19, 20)) -> datetime:
            return at(day, self.rng.choice(hours), self.rng.choice((0, 15, 30)))

        # Weekly product education on LinkedIn and Facebook.
        for week, day in enumerate(d[1::7][:4], start=1):
            self.produce(
                f"tabungan-{week}", f"Edukasi Tabungan Nusa minggu {week}", "budi.dm",
                Draft(text=f"Minggu {week}: {WEEKLY_TIPS[(week - 1) % len(WEEKLY_TIPS)]}\n\n"
                      f"{OJK}", platforms=(LI, FB), hashtags=("TabunganNusa", "CerdasFinansial"),
                      content_type=ContentType.TEXT, planned_for=day),
                start=at(day - timedelta(days=3), 9), slot=slot_time(day, (9, 10, 12)))

        # Security awareness: phishing, with X caption variant and an image.
        self.produce(
            "phishing", "Waspada phishing akhir tahun", "dewi.dm",
            Draft(text="Bank Digital Nusantara tidak pernah meminta PIN, OTP atau password "
                  "melalui telepon, chat atau email. Laporkan pesan mencurigakan ke "
                  "halo@banknusa.example.\n\n" + OJK,
                  platforms=(IG, X, FB), content_type=ContentType.IMAGE,
                  captions=(CaptionVariant(X, "Kami tidak pernah meminta PIN/OTP. Laporkan "
                                              "pesan mencurigakan: halo@banknusa.example"),),
                  hashtags=("JanganKasihOTP", "AmanBertransaksi"),
                  media=(MediaRef(f"{CDN}/phishing-1080.jpg", "image",
                                  "Ilustrasi: jangan bagikan OTP"),),
                  planned_for=d[3]),
            start=at(d[0], 9), slot=slot_time(d[3]), reviewer="budi.dm")

        # Harbolnas 12.12: the agency drafts; the first draft lacks its #iklan disclosure.
        harbolnas = d[11]
        promo_draft = Draft(
            text="Harbolnas 12.12! Cashback 12% untuk belanja online pakai Kartu Debit Nusa, "
                 "maks. Rp120.000. S&K berlaku.\n\n" + OJK,
            platforms=(IG, FB, TT, X), content_type=ContentType.VIDEO,
            captions=(CaptionVariant(X, "Harbolnas 12.12: cashback 12% pakai Kartu Debit "
                                        "Nusa, maks. Rp120.000. S&K: banknusa.example/1212 "
                                        "#iklan"),),
            hashtags=("Harbolnas1212", "DebitNusa"),
            media=(MediaRef(f"{CDN}/harbolnas-1212-9x16.mp4", "video",
                            "Video promo 12.12", 28),),
            sponsored=True, planned_for=harbolnas)
        start = at(harbolnas - timedelta(days=8), 10)
        harbolnas_slot = self.slot(at(harbolnas, 12, 12))
        self.add(start, "harbolnas: agency draft", lambda: self.ids.__setitem__(
            "harbolnas", app.content.create("maya.agency", "Promo Harbolnas 12.12",
                                            promo_draft,
                                            campaign_id=self.campaign_ref("c-harbolnas"))))
        self.add(start + timedelta(hours=1), "harbolnas: submit for review",
                 lambda: app.content.submit_for_review("maya.agency", self.ids["harbolnas"]))
        self.refused(start + timedelta(minutes=30),
                     "agency drafts content outside its campaigns",
                     lambda: app.content.create("maya.agency", "Konten lepas", promo_draft))
        self.refused(start + timedelta(hours=2), "agency tries to approve its own draft",
                     lambda: app.content.approve("maya.agency", self.ids["harbolnas"]))
        self.add(start + timedelta(hours=3), "harbolnas: review finds missing #iklan",
                 lambda: self._note_review("harbolnas", app.content.review(
                     "dewi.dm", self.ids["harbolnas"], checks(app))))
        fixed = evolve(promo_draft, text=promo_draft.text + "\n\n#iklan")
        self.add(start + timedelta(days=1), "harbolnas: agency revises",
                 lambda: app.content.revise("maya.agency", self.ids["harbolnas"], fixed,
                                            "tambah #iklan sesuai temuan review"))
        self.add(start + timedelta(days=1, hours=1), "harbolnas: resubmit",
                 lambda: app.content.submit_for_review("maya.agency", self.ids["harbolnas"]))
        self.add(start + timedelta(days=1, hours=2), "harbolnas: legal review passes",
                 lambda: app.content.review("sari.legal", self.ids["harbolnas"],
                                            checks(app), "Disclosure dan S&K lengkap."))
        self.add(start + timedelta(days=1, hours=3), "harbolnas: submit for approval",
                 lambda: app.content.submit_for_approval("dewi.dm", self.ids["harbolnas"]))
        self.refused(start + timedelta(days=1, hours=4),
                     "manager approves a sponsored post before Legal's compliance review",
                     lambda: app.content.approve("rina.mm", self.ids["harbolnas"],
                                                 self._sha("harbolnas")))
        self.add(start + timedelta(days=1, hours=5), "harbolnas: legal compliance review",
                 lambda: app.content.record_step(
                     "sari.legal", self.ids["harbolnas"], "legal", self._sha("harbolnas"),
                     "Disclosure #iklan, S&K dan batas cashback sesuai EPI dan POJK."))
        self.add(start + timedelta(days=2), "harbolnas: approve",
                 lambda: app.content.approve("rina.mm", self.ids["harbolnas"],
                                             comment="Go untuk 12.12."))
        self.add(start + timedelta(days=2, hours=1), "harbolnas: schedule 12:12 WIB",
                 lambda: app.content.schedule("adi.admin", self.ids["harbolnas"],
                                              harbolnas_slot))

        # A superlative the brand voice bans: the automatic check stops it at review; the slot
        # is booked meanwhile, and the fixed revision is approved in time.
        gaji = d[6]
        banned = Draft(
            text="Tanggal gajian? Simpan di Tabungan Nusa, bank termurah biaya adminnya!\n\n"
                 + OJK, platforms=(IG, FB), content_type=ContentType.IMAGE,
            media=(MediaRef(f"{CDN}/gajian.jpg", "image", "Ilustrasi gajian"),),
            hashtags=("Gajian",), planned_for=gaji)
        fixed_gaji = evolve(banned, text="Tanggal gajian? Sisihkan dulu di Tabungan Nusa, "
                            "tanpa biaya admin bulanan.\n\n" + OJK)
        g0 = at(gaji - timedelta(days=4), 9)
        gaji_slot = self.slot(at(gaji, 12))
        self.add(g0, "gaji: draft", lambda: self.ids.__setitem__(
            "gaji", app.content.create("budi.dm", "Promo gajian", banned)))
        self.add(g0 + timedelta(hours=1), "gaji: submit for review",
                 lambda: app.content.submit_for_review("budi.dm", self.ids["gaji"]))
        self.add(g0 + timedelta(hours=2), "gaji: review finds a banned superlative",
                 lambda: self._note_review("gaji", app.content.review(
                     "dewi.dm", self.ids["gaji"], checks(app))))
        self.add(g0 + timedelta(hours=3), "gaji: book the slot while it is fixed",
                 lambda: app.content.schedule("adi.admin", self.ids["gaji"], gaji_slot))
        g1 = g0 + timedelta(days=1)
        self.add(g1, "gaji: revise without the banned word", lambda: app.content.revise(
            "budi.dm", self.ids["gaji"], fixed_gaji, "hapus klaim 'termurah' (EPI)"))
        self.add(g1 + timedelta(hours=1), "gaji: resubmit",
                 lambda: app.content.submit_for_review("budi.dm", self.ids["gaji"]))
        self.refused(g1 + timedelta(hours=1, minutes=30), "the author reviews his own revision",
                     lambda: app.content.review("budi.dm", self.ids["gaji"], checks(app)))
        self.add(g1 + timedelta(hours=2), "gaji: review",
                 lambda: app.content.review("dewi.dm", self.ids["gaji"], checks(app)))
        self.add(g1 + timedelta(hours=3), "gaji: submit for approval",
                 lambda: app.content.submit_for_approval("dewi.dm", self.ids["gaji"]))
        self.add(g1 + timedelta(hours=5), "gaji: approve",
                 lambda: app.content.approve("rina.mm", self.ids["gaji"]))

        # Hari Ibu: the caption is too long for X's 280 weighted characters; the automatic
        # check at review sends it back, and an X-specific caption fixes it.
        ibu = d[21]
        long_text = " ".join([
            "Selamat Hari Ibu untuk semua ibu hebat di Indonesia.",
            "Terima kasih atas doa, kerja keras dan cinta yang tak pernah habis.",
            "Dari dapur hingga ruang rapat, dari pasar hingga layar ponsel,",
            "ibu mengatur keuangan keluarga dengan cermat dan penuh kasih.",
            "Hari ini kami ingin berkata: terima kasih, Ibu.",
        ])
        ibu_draft = Draft(text=long_text, platforms=(IG, FB, X), content_type=ContentType.IMAGE,
                          media=(MediaRef(f"{CDN}/hari-ibu.jpg", "image", "Ibu dan anak"),),
                          hashtags=("HariIbu2026",), planned_for=ibu)
        ibu_fixed = evolve(ibu_draft, captions=(CaptionVariant(
            X, "Selamat Hari Ibu untuk semua ibu hebat di Indonesia. Terima kasih, Ibu."),))
        i0 = at(ibu - timedelta(days=5), 9)
        ibu_slot = self.slot(at(ibu, 8))
        self.add(i0, "ibu: draft", lambda: self.ids.__setitem__(
            "ibu", app.content.create("dewi.dm", "Hari Ibu 22 Desember", ibu_draft)))
        self.add(i0 + timedelta(hours=1), "ibu: submit for review",
                 lambda: app.content.submit_for_review("dewi.dm", self.ids["ibu"]))
        self.add(i0 + timedelta(hours=2), "ibu: review finds the X caption too long",
                 lambda: self._note_review("ibu", app.content.review(
                     "budi.dm", self.ids["ibu"], checks(app))))
        self.add(i0 + timedelta(hours=4), "ibu: revise with an X caption",
                 lambda: app.content.revise("dewi.dm", self.ids["ibu"], ibu_fixed,
                                            "caption khusus X (maks. 280)"))
        self.add(i0 + timedelta(hours=5), "ibu: resubmit",
                 lambda: app.content.submit_for_review("dewi.dm", self.ids["ibu"]))
        self.add(i0 + timedelta(hours=6), "ibu: review",
                 lambda: app.content.review("budi.dm", self.ids["ibu"], checks(app)))
        self.add(i0 + timedelta(hours=7), "ibu: submit for approval",
                 lambda: app.content.submit_for_approval("budi.dm", self.ids["ibu"]))
        self.add(i0 + timedelta(days=1), "ibu: approve",
                 lambda: app.content.approve("rina.mm", self.ids["ibu"]))
        self.refused(i0 + timedelta(days=1, hours=1),
                     "schedule Hari Ibu on TikTok, which the revision does not target",
                     lambda: app.content.schedule("adi.admin", self.ids["ibu"], ibu_slot,
                                                  (IG, TT)))
        self.add(i0 + timedelta(days=1, hours=2), "ibu: schedule",
                 lambda: app.content.schedule("adi.admin", self.ids["ibu"], ibu_slot))

        # Natal and Tahun Baru greetings.
        for key, title, day, text in (
            ("natal", "Ucapan Natal", d[24], "Selamat Natal 2026. Damai dan sukacita untuk "
                                             "keluarga Indonesia."),
            ("tahunbaru", "Ucapan Tahun Baru", d[-1], "Terima kasih telah tumbuh bersama "
                                                      "kami sepanjang tahun. Selamat Tahun Baru!"),
        ):
            self.produce(key, title, "budi.dm", Draft(
                text=text, platforms=(IG, FB, LI, X), content_type=ContentType.IMAGE,
                media=(MediaRef(f"{CDN}/{key}.jpg", "image", title),),
                hashtags=("BankNusa",), planned_for=day),
                start=at(day - timedelta(days=6), 10), slot=at(day, 7))

        # A rate announcement approved, then edited after approval: the approval is void,
        # nobody re-approves in time, so it expires instead of publishing.
        bunga = d[15]
        self.produce("bunga", "Info suku bunga Januari", "dewi.dm", Draft(
            text="Mulai 1 Januari suku bunga Tabungan Nusa 3,25% p.a.\n\n" + OJK,
            platforms=(LI, FB), planned_for=bunga),
            start=at(bunga - timedelta(days=4), 9), slot=at(bunga, 10), reviewer="budi.dm")
        self.add(at(bunga - timedelta(days=1), 16), "bunga: late edit voids the approval",
                 lambda: app.content.revise("dewi.dm", self.ids["bunga"], Draft(
                     text="Mulai 1 Januari suku bunga Tabungan Nusa 3,50% p.a.\n\n" + OJK,
                     platforms=(LI, FB), planned_for=bunga), "angka bunga diperbarui"))

        # A TikTok explainer that Legal withdraws before it goes out.
        kpr = d[18]
        self.produce("kpr", "Simulasi KPR di TikTok", "maya.agency", Draft(
            text="Simulasi cicilan KPR dalam 30 detik. #iklan\n\n" + OJK,
            platforms=(TT,), content_type=ContentType.VIDEO,
            media=(MediaRef(f"{CDN}/kpr-30s.mp4", "video", "Simulasi KPR", 30),),
            sponsored=True, planned_for=kpr),
            start=at(kpr - timedelta(days=5), 9), slot=at(kpr, 19), campaign="c-kpr")
        self.add(at(kpr - timedelta(days=1), 11), "kpr: legal withdraws",
                 lambda: app.content.withdraw("sari.legal", self.ids["kpr"],
                                              "Ilustrasi bunga belum sesuai ketentuan OJK "
                                              "terbaru; tunda sampai revisi produk."))

        # The refusals a regulated team needs: nobody skips the workflow.
        self.add(at(d[2], 14), "idea: Hari Ibu", lambda: self.ids.__setitem__(
            "idea", app.content.create("dewi.dm", "Ide: kuis Hari Ibu")))
        self.refused(at(d[2], 15), "admin schedules an idea that has no approved draft",
                     lambda: app.content.schedule("adi.admin", self.ids["idea"], at(d[3], 9)))
        self.refused(at(d[2], 16), "legal tries to approve",
                     lambda: app.content.approve("sari.legal", self.ids["phishing"]))

        # The scheduler runs at every booked slot, and sweeps each evening.
        for moment in sorted(self.slot_times | {at(day, 23, 30) for day in self.days}):
            self.add(moment, "publish due", self._publish)
        # Reconcile the lost answer the next morning.
        self.add(at(d[-1], 23, 45), "reconcile unknown outcomes", self._reconcile)

    def plan_strategy(self, when: datetime) -> None:
        """Stage 1: Digital Marketing drafts the strategy, the Marketing Manager sends it
        back once (no TikTok KPI), then approves the edited version: it is in force before
        any content is reviewed, so its brand voice feeds the quality checks."""
        app = self.app
        self.add(when, "strategy: draft",
                 lambda: app.planning.draft_strategy("budi.dm", demo_strategy.FIRST_DRAFT))
        self.add(when + timedelta(minutes=5), "strategy: submit",
                 lambda: app.planning.submit_strategy("budi.dm", "Draf strategi untuk disetujui"))
        self.refused(when + timedelta(minutes=7), "agency approves the strategy",
                     lambda: app.planning.approve_strategy("maya.agency", 1))
        self.add(when + timedelta(minutes=10), "strategy: send back",
                 lambda: app.planning.send_back_strategy(
                     "rina.mm", 1, "Tambahkan TikTok beserta KPI video views"))
        self.add(when + timedelta(minutes=15), "strategy: edit",
                 lambda: app.planning.edit_strategy("budi.dm", demo_strategy.APPROVED,
                                           "TikTok 2x/minggu, KPI video views"))
        self.add(when + timedelta(minutes=17), "strategy: submit again",
                 lambda: app.planning.submit_strategy("budi.dm"))
        self.add(when + timedelta(minutes=20), "strategy: approve",
                 lambda: app.planning.approve_strategy("rina.mm", 1, "Berlaku mulai Desember"))

    def _plan_next_month(self) -> None:
        from socmed_adapters.calendar.planner import plan_month
        from socmed_domain.months import Month
        month = Month.parse(self.month).next
        content_ids = self.app.new_id
        self.app.new_id = lambda: UUID(int=self.idea_ids.getrandbits(128), version=4)
        try:
            entries = self.services.read_models.calendar_month(month, WIB)
            ideas = plan_month(self.app, "budi.dm", month, WIB, entries)
        finally:
            self.app.new_id = content_ids
        self.report.notes.append(f"calendar: planned {len(ideas)} ideas for {month} from the "
                                 "strategy's cadence")

    def plan_campaigns(self, when: datetime) -> None:
        """Stage 1: Digital Marketing plans the two campaigns the agency works on, the
        Marketing Manager approves them, the agency is assigned, and each starts on time."""
        app, d = self.app, self.days
        harbolnas = CampaignPlan(
            name="Harbolnas 12.12",
            period=Period(at(d[1], 0), at(d[13], 0)),
            goals=(Goal(GoalKind.LEAD_GENERATION), Goal(GoalKind.BRAND_AWARENESS)),
            kpi_targets=(
                KpiTarget("new_debit_card_users", Decimal(1200), KpiPeriod.CAMPAIGN),
                KpiTarget("reach", Decimal(500000), KpiPeriod.CAMPAIGN, IG),
                KpiTarget("engagement_rate_pct", Decimal("4.5"), KpiPeriod.CAMPAIGN, TT)),
            platforms=(IG, FB, TT, X),
            key_messages=("Cashback 12% belanja online pakai Kartu Debit Nusa",
                          "Aman bertransaksi: diawasi OJK, dijamin LPS"),
            budget_idr=Decimal(150_000_000), special=True)
        kpr = CampaignPlan(
            name="KPR Nusa: rumah pertama",
            period=Period(at(d[10], 0), at(d[-1], 0) + timedelta(days=1)),
            goals=(Goal(GoalKind.LEAD_GENERATION), Goal(GoalKind.CUSTOM, "Edukasi KPR")),
            kpi_targets=(KpiTarget("kpr_simulations", Decimal(800), KpiPeriod.MONTH),),
            platforms=(TT, IG),
            key_messages=("Simulasi cicilan KPR transparan sebelum mengajukan",),
            budget_idr=Decimal(75_000_000))
        for step, (key, plan, starts) in enumerate(
                (("c-harbolnas", harbolnas, at(d[1], 9)), ("c-kpr", kpr, at(d[10], 9)))):
            t0 = when + timedelta(hours=step)
            self.add(t0, f"{key}: plan", partial(self._plan_campaign, key, plan))
            self.add(t0 + timedelta(minutes=30), f"{key}: approve",
                     partial(self._campaign_step, app.planning.approve_campaign, "rina.mm", key,
                             "Anggaran dan KPI disetujui."))
            self.add(t0 + timedelta(minutes=40), f"{key}: assign the agency",
                     partial(self._campaign_step, app.planning.assign_agency, "budi.dm", key,
                             "maya.agency"))
            self.add(starts, f"{key}: start",
                     partial(self._campaign_step, app.planning.start_campaign, "budi.dm", key))
        self.add(at(d[13], 10), "c-harbolnas: complete",
                 lambda: app.planning.complete_campaign("budi.dm", self.ids["c-harbolnas"],
                                               "12.12 selesai; laporan KPI menyusul"))

    def _plan_campaign(self, key: str, plan: CampaignPlan) -> None:
        content_ids = self.app.new_id
        self.app.new_id = lambda: UUID(int=self.campaign_ids.getrandbits(128), version=4)
        try:
            self.ids[key] = self.app.planning.plan_campaign("budi.dm", plan)
        finally:
            self.app.new_id = content_ids

    def _campaign_step(self, command: Callable[..., object], actor: str, key: str,
                       *args: str) -> object:
        return command(actor, self.ids[key], *args)

    def campaign_ref(self, key: str | None) -> str | None:
        return str(self.ids[key]) if key else None

    def slot(self, moment: datetime) -> datetime:
        """Remember a slot so the scheduler runs at that very minute."""
        self.slot_times.add(moment)
        return moment

    def _sha(self, key: str) -> str:
        return str(self.app.content.get(self.ids[key]).revisions[-1].sha256)

    def _route_steps(self, key: str) -> None:
        """The steps the item's approval route requires, recorded by Legal (the demo's
        routes name no other step)."""
        detail = self.app.content.get(self.ids[key])
        if detail.summary.status not in ("in_review", "reviewed", "awaiting_approval"):
            return
        for step in detail.steps_missing:
            self.app.content.record_step("sari.legal", self.ids[key], step,
                                         self._sha(key), "Sesuai EPI dan ketentuan OJK.")

    def _note_review(self, key: str, outcome: Any) -> None:
        if not outcome.passed:
            found = "; ".join(f.message("en") for f in outcome.findings)
            self.report.notes.append(f"{key}: review sent back: {found}")

    def _publish(self) -> None:
        for line in self.app.publication.publish_due("adi.admin"):
            if line.outcome == "expired":
                self.report.notes.append(f"expired unapproved at its slot: {line.title}")
            elif line.outcome == "held":
                note = f"held by the publishing freeze: {line.title}"
                if note not in self.report.notes:
                    self.report.notes.append(note)
            elif line.outcome == "unknown":
                self.report.notes.append(
                    f"outcome unknown on {line.platform}: {line.title} ({line.detail})")

    def _reconcile(self) -> None:
        for summary in self.app.content.list_items():
            detail = self.app.content.get(summary.item_id)
            for publication in detail.publications:
                if publication.state.value in ("unknown", "attempting"):
                    receipt = self.app.publication.lookup(summary.item_id, publication.platform)
                    self.app.publication.reconcile(
                        "adi.admin", summary.item_id, publication.platform, receipt,
                        "dicek di platform: postingan ada" if receipt else
                        "dicek di platform: tidak ada")
                    self.report.notes.append(
                        f"reconciled {summary.title} on {publication.platform.value}: "
                        f"{'found, not re-posted' if receipt else 'absent'}")

    # ------------------------------------------------------------- playing

    def timeline(self) -> Iterator[Step]:
        # Stable sort: steps at the same moment keep the order they were added in.
        yield from sorted(self.steps, key=lambda s: s.at)

    def run_step(self, step: Step) -> None:
        self.clock.set(step.at)
        step.run()

    def finish(self) -> DemoReport:
        app = self.app
        for entry in app.audit.log("sari.legal"):
            self.report.event_types[entry.event_type] += 1
            self.report.actors[entry.actor_id] += 1
        self.report.events = app.event_count()
        for summary in app.content.list_items():
            detail = app.content.get(summary.item_id)
            for publication in detail.publications:
                if publication.receipt is not None and publication.state.value == "published":
                    self.report.posts.append({
                        "published_at": publication.receipt.published_at,
                        "platform": publication.platform.value,
                        "title": summary.title,
                        "url": publication.receipt.url,
                        "approved_by": detail.approval.approver_id if detail.approval else "",
                        "sha256": publication.revision_sha256[:12],
                    })
        self.report.posts.sort(key=lambda p: (p["published_at"], p["platform"]))
        return self.report


WEEKLY_TIPS = (
    "sisihkan 20% gaji di awal bulan, bukan di akhir.",
    "pisahkan rekening kebutuhan dan rekening tabungan.",
    "aktifkan autodebet ke Tabungan Nusa setiap tanggal gajian.",
    "cek mutasi rekening setiap minggu untuk mendeteksi transaksi janggal.",
)


def build_demo(services: Services, clock: Any, month: str, seed: int,
               configuration: CompanyConfiguration | None = None) -> DemoMonth:
    """The demo month on `services`. A store that reads media (every store with a data dir)
    must read them with ``demo_media_reader``, given to ``bootstrap``: the demo's CDN is
    fictional, and any other reader would ask the internet for it."""
    reader = services.app.content.media_reader
    if reader is not None and not isinstance(reader, DemoMediaLibrary):
        raise ValueError("the demo month reads its media from files it makes: build the "
                         "services with bootstrap(data_dir, media_reader="
                         "demo_media_reader(data_dir))")
    demo = DemoMonth(services, clock, month, seed, configuration)
    demo.build()
    return demo
