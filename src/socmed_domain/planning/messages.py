"""Messages (English and Bahasa Indonesia) of the planning stage; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "calendar.gap_week": {
        "en": "{count} of {target} posts ({cadence}/week over "
        "{days, plural, one {# day} other {# days}} of {month})",
        "id": "{count} dari {target} unggahan ({cadence}/minggu selama {days} hari di "
        "{month})",
    },
    "calendar.gap_day": {
        "en": "{count} of {target} posts on a day ({cadence}/week)",
        "id": "{count} dari {target} unggahan dalam sehari ({cadence}/minggu)",
    },
    "calendar.clash": {
        "en": "'{first}' ({first_id}) and '{second}' ({second_id}) are {minutes} min apart; "
        "keep {keep} min",
        "id": "'{first}' ({first_id}) dan '{second}' ({second_id}) berjarak {minutes} menit; "
        "jaga jarak {keep} menit",
    },
    "error.cadence_range": {
        "en": "posting cadence for {platform} is {value} posts a week: give 1 to {limit}",
        "id": "frekuensi posting {platform} {value} per minggu: berikan 1 sampai {limit}",
    },
    "error.bad_hashtag": {
        "en": "'{value}' is not a hashtag: write it as #word, without spaces",
        "id": "'{value}' bukan tagar: tulis sebagai #kata, tanpa spasi",
    },
    "error.platform_not_in_strategy": {
        "en": "KPI target '{metric}' is on {platform}, which the strategy does not use: add "
        "the platform or target all platforms",
        "id": "target KPI '{metric}' di {platform}, yang tidak dipakai strategi: tambahkan "
        "platformnya atau targetkan semua platform",
    },
    "error.strategy_state": {
        "en": "cannot {action} strategy version {version} while it is {status}: it must be "
        "{expected}",
        "id": "tidak dapat {action} strategi versi {version} saat berstatus {status}: harus "
        "{expected}",
    },
    "error.strategy_version_mismatch": {
        "en": "version {given} is not the version under decision ({current}): read it with "
        "'socmed strategy show' and decide on what you read",
        "id": "versi {given} bukan versi yang sedang diputuskan ({current}): baca dengan "
        "'socmed strategy show' lalu putuskan yang Anda baca",
    },
    "error.strategy_version_unknown": {
        "en": "there is no strategy version {version}: versions run from 1 to {latest}",
        "id": "tidak ada strategi versi {version}: versi berjalan dari 1 sampai {latest}",
    },
    "error.no_strategy": {
        "en": "no strategy has been drafted yet: start one with 'socmed strategy draft'",
        "id": "belum ada strategi: buat dengan 'socmed strategy draft'",
    },
    "error.strategy_exists": {
        "en": "the strategy already exists: change it with 'socmed strategy edit' or "
        "'socmed strategy revise'",
        "id": "strategi sudah ada: ubah dengan 'socmed strategy edit' atau "
        "'socmed strategy revise'",
    },
    "error.no_strategy_in_force": {
        "en": "no strategy version is in force yet: the Marketing Manager approves one with "
        "'socmed strategy approve'",
        "id": "belum ada versi strategi yang berlaku: Manajer Pemasaran menyetujuinya dengan "
        "'socmed strategy approve'",
    },
    "error.planned_slot_state": {
        "en": "content {ref} is {status}: only an idea or a draft gets a planned slot; "
        "schedule it instead",
        "id": "konten {ref} berstatus {status}: hanya ide atau draf yang diberi slot rencana; "
        "jadwalkan saja",
    },
    "error.bad_month": {
        "en": "'{value}' is not a month: write YYYY-MM, e.g. 2026-12",
        "id": "'{value}' bukan bulan: tulis YYYY-MM, mis. 2026-12",
    },
    "error.bad_interval": {
        "en": "'{value}' is not an interval: write minutes or hours, e.g. 90m or 2h",
        "id": "'{value}' bukan selang waktu: tulis menit atau jam, mis. 90m atau 2h",
    },
    "error.strategy_file": {
        "en": "cannot read the strategy in {path}: {detail}; see docs/examples/strategy-2027.toml",
        "id": "strategi di {path} tidak terbaca: {detail}; lihat docs/examples/strategy-2027.toml",
    },
    "error.audience_hours": {
        "en": "audience '{audience}' has no active hours to plan with ('{value}'): write them "
        "like 19:00-22:00 WIB in the strategy",
        "id": "audiens '{audience}' tidak punya jam aktif untuk perencanaan ('{value}'): tulis "
        "seperti 19:00-22:00 WIB di strategi",
    },
    "event.StrategyDrafted": {"en": "drafted strategy '{title}' (version {version})",
                              "id": "menyusun strategi '{title}' (versi {version})"},
    "event.StrategyEdited": {"en": "edited the strategy draft '{title}'",
                             "id": "mengubah draf strategi '{title}'"},
    "event.StrategySubmitted": {"en": "submitted strategy version {version} for approval",
                                "id": "mengajukan strategi versi {version} untuk persetujuan"},
    "event.StrategySentBack": {"en": "sent strategy version {version} back",
                               "id": "mengembalikan strategi versi {version}"},
    "event.StrategyApproved": {"en": "approved strategy version {version}: it is in force",
                               "id": "menyetujui strategi versi {version}: kini berlaku"},
    "event.StrategyRevisionStarted": {"en": "started strategy version {version}",
                                      "id": "memulai strategi versi {version}"},
    "event.CampaignPlanRevised": {"en": "revised the plan of campaign '{name}'",
                                  "id": "merevisi rencana kampanye '{name}'"},
    "event.SlotPlanned": {"en": "planned for {at} on {platforms}",
                          "id": "direncanakan pada {at} di {platforms}"},
}

#: Indonesian for action names and verbs (Term) used by this stage's messages.
TERMS_ID: dict[str, str] = {
    "edit": "mengubah",
    "submit": "mengajukan",
    "send back": "mengembalikan",
    "plan the content calendar": "merencanakan kalender konten",
}
