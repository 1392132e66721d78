"""The demo company's social media strategy (SOP stage 1), as Digital Marketing drafts it and
as it stands after the Marketing Manager sent the first draft back."""

from __future__ import annotations

from decimal import Decimal

from attrs import evolve

from socmed_domain.planning.goals import Goal, GoalKind, KpiPeriod, KpiTarget
from socmed_domain.planning.strategy_plan import (
    Audience,
    BrandVoice,
    HashtagSet,
    PlatformChoice,
    StrategyPlan,
)
from socmed_domain.platforms import Platform

IG, FB, LI, TT, X = (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN, Platform.TIKTOK,
                     Platform.X)

FIRST_DRAFT = StrategyPlan(
    title="Strategi Media Sosial Bank Digital Nusantara 2026-2027",
    goals=(Goal(GoalKind.BRAND_AWARENESS), Goal(GoalKind.LEAD_GENERATION, "Rekening baru"),
           Goal(GoalKind.CUSTOMER_ENGAGEMENT)),
    kpi_targets=(KpiTarget("reach", Decimal(1_500_000), KpiPeriod.MONTH),
                 KpiTarget("engagement_rate_pct", Decimal("4.5"), KpiPeriod.MONTH, IG),
                 KpiTarget("leads", Decimal(2_000), KpiPeriod.MONTH, LI)),
    audiences=(
        Audience("Milenial urban", "25-34", "all", ("DKI Jakarta", "Jawa Barat", "Jawa Timur"),
                 "IDR 5-15 juta/bulan", ("belanja online", "membayar dengan QRIS"), (IG, TT),
                 "19:00-22:00 WIB"),
        Audience("Profesional dan UMKM", "30-45", "all",
                 ("DKI Jakarta", "Banten", "Sulawesi Selatan"), "IDR 15 juta+/bulan",
                 ("mencari kredit usaha",), (LI, X, FB), "07:00-09:00 WIB"),
    ),
    platforms=(
        PlatformChoice(IG, "Jangkauan terbesar di milenial urban; visual untuk promo", 3),
        PlatformChoice(FB, "Nasabah usia 35+ dan komunitas UMKM", 2),
        PlatformChoice(LI, "Kredibilitas institusi dan prospek UMKM", 1),
        PlatformChoice(X, "Informasi layanan real-time dan gangguan", 3),
    ),
    key_messages=("Bank digital yang aman, diawasi OJK dan dijamin LPS",
                  "Layanan nasabah 24 jam lewat media sosial",
                  "Literasi keuangan untuk keluarga muda"),
    brand_voice=BrandVoice(
        tone=("hangat", "tepercaya", "lugas"),
        words_to_use=("aman", "diawasi OJK", "nasabah"),
        words_to_avoid=("bunga termurah", "tanpa risiko", "pasti cair"),
        required_disclosures=("#iklan", "#ad", "Paid partnership"),
        hashtag_sets=(HashtagSet("brand", ("#BankNusantara", "#NasabahCerdas")),
                      HashtagSet("harbolnas", ("#Harbolnas", "#1212"))),
    ),
)

#: The Marketing Manager asked for TikTok with its own KPI; this is what was approved.
APPROVED = evolve(
    FIRST_DRAFT,
    kpi_targets=(*FIRST_DRAFT.kpi_targets,
                 KpiTarget("video_views", Decimal(300_000), KpiPeriod.MONTH, TT)),
    platforms=(*FIRST_DRAFT.platforms,
               PlatformChoice(TT, "Video pendek literasi keuangan untuk audiens muda", 2)),
)
