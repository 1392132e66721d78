"""Messages (English and Bahasa Indonesia) of the crisis stage; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors: what is wrong, then what to do.
    "error.incident_state": {
        "en": "cannot {action} {ref} while it is {status}: it must be {expected}",
        "id": "tidak dapat {action} {ref} saat berstatus {status}: harus {expected}",
    },
    "error.incident_level": {
        "en": "'{value}' is not a crisis level: use 1 (low), 2 (moderate), 3 (high) or "
        "4 (critical)",
        "id": "'{value}' bukan tingkat krisis: gunakan 1 (rendah), 2 (sedang), 3 (tinggi) atau "
        "4 (kritis)",
    },
    "error.incident_reason_no_signals": {
        "en": "there are no impact signals to suggest a level: give the reason for level "
        "{level}, or give the signals",
        "id": "tidak ada sinyal dampak untuk menyarankan tingkat: berikan alasan untuk level "
        "{level}, atau berikan sinyalnya",
    },
    "error.incident_override_reason": {
        "en": "level {level} differs from the suggested level {suggested} ({reasons}): give a "
        "reason for the difference",
        "id": "level {level} berbeda dari level yang disarankan {suggested} ({reasons}): berikan "
        "alasan perbedaannya",
    },
    "error.incident_category_reason": {
        "en": "changing the category from {old} to {new} needs a reason: say why",
        "id": "mengubah kategori dari {old} menjadi {new} memerlukan alasan: jelaskan alasannya",
    },
    "error.incident_breach_time_unused": {
        "en": "a breach-known time applies only when a personal data breach is first "
        "classified (incident {ref}: clock started {known}): leave it out",
        "id": "waktu diketahuinya kebocoran hanya berlaku saat insiden pertama kali "
        "diklasifikasikan sebagai kebocoran data pribadi (insiden {ref}: tenggat dimulai "
        "{known}): kosongkan",
    },
    "error.incident_already_escalated": {
        "en": "incident {ref} is already escalated to {target}: wait for the acknowledgement",
        "id": "insiden {ref} sudah dieskalasi ke {target}: tunggu pengakuannya",
    },
    "error.incident_not_escalated": {
        "en": "incident {ref} was not escalated to {target}: escalate it first",
        "id": "insiden {ref} belum dieskalasi ke {target}: eskalasi terlebih dahulu",
    },
    "error.incident_already_acknowledged": {
        "en": "the escalation of incident {ref} to {target} was already acknowledged by "
        "{member}: nothing to do",
        "id": "eskalasi insiden {ref} ke {target} sudah diakui oleh {member}: tidak ada yang "
        "perlu dilakukan",
    },
    "error.incident_ack_role": {
        "en": "{actor} ({role}) may not acknowledge the escalation to {target}: a member with "
        "the role {needed} must",
        "id": "{actor} ({role}) tidak boleh mengakui eskalasi ke {target}: harus anggota dengan "
        "peran {needed}",
    },
    "error.incident_management_ack_note": {
        "en": "acknowledging for management needs a note: name the manager who acknowledged "
        "and when",
        "id": "pengakuan atas nama manajemen memerlukan catatan: sebutkan manajer yang "
        "mengakui dan kapan",
    },
    "error.incident_statement_linked": {
        "en": "content {content} is already linked to incident {ref} as a statement",
        "id": "konten {content} sudah ditautkan ke insiden {ref} sebagai pernyataan",
    },
    "error.incident_already_frozen": {
        "en": "publishing is already frozen for incident {ref}: nothing to do",
        "id": "publikasi sudah dibekukan untuk insiden {ref}: tidak ada yang perlu dilakukan",
    },
    "error.incident_not_frozen": {
        "en": "publishing is not frozen for incident {ref}: nothing to release",
        "id": "publikasi tidak dibekukan untuk insiden {ref}: tidak ada yang perlu dicabut",
    },
    "error.incident_not_a_breach": {
        "en": "incident {ref} is classified as {category}, not a personal data breach: "
        "reclassify it first if personal data was exposed",
        "id": "insiden {ref} berkategori {category}, bukan kebocoran data pribadi: "
        "klasifikasikan ulang jika data pribadi terpapar",
    },
    "error.incident_pdp_already_notified": {
        "en": "the UU PDP notice of incident {ref} to {recipient} is already recorded (sent "
        "{sent_at}): log further notices as actions",
        "id": "pemberitahuan UU PDP insiden {ref} kepada {recipient} sudah tercatat (dikirim "
        "{sent_at}): catat pemberitahuan berikutnya sebagai tindakan",
    },
    "error.incident_pdp_before_known": {
        "en": "the notice time {sent_at} is before the breach became known ({known}): give "
        "the time the notice actually went out",
        "id": "waktu pemberitahuan {sent_at} sebelum kebocoran diketahui ({known}): berikan "
        "waktu pemberitahuan benar-benar dikirim",
    },
    "error.incident_time_after": {
        "en": "{field} {value} is later than now ({at}): give the time it actually happened",
        "id": "{field} {value} lebih lambat dari sekarang ({at}): berikan waktu sebenarnya",
    },
    "error.incident_not_classified": {
        "en": "incident {ref} is not classified yet: the Marketing Manager classifies it first",
        "id": "insiden {ref} belum diklasifikasikan: Manajer Pemasaran harus "
        "mengklasifikasikannya terlebih dahulu",
    },
    "error.incident_unacknowledged": {
        "en": "incident {ref} at level {level} cannot be resolved yet: {pending} must "
        "acknowledge the escalation first",
        "id": "insiden {ref} level {level} belum dapat diselesaikan: {pending} harus mengakui "
        "eskalasi terlebih dahulu",
    },
    "error.incident_pdp_notice_missing": {
        "en": "incident {ref} is a personal data breach: record the written notice to "
        "{recipients} (due {due}, UU 27/2022 Pasal 46) before resolving",
        "id": "insiden {ref} adalah kebocoran data pribadi: catat pemberitahuan tertulis kepada "
        "{recipients} (tenggat {due}, UU 27/2022 Pasal 46) sebelum menyelesaikan",
    },
    "error.incident_follow_up_due": {
        "en": "follow-up '{action}' is due {due}, before today ({today}): give a later date",
        "id": "tindak lanjut '{action}' bertenggat {due}, sebelum hari ini ({today}): berikan "
        "tanggal yang lebih lambat",
    },
    "error.incident_share_range": {
        "en": "negative share {value} is not between 0 and 1: give a fraction (0.72 for 72%)",
        "id": "porsi negatif {value} tidak di antara 0 dan 1: berikan pecahan (0.72 untuk 72%)",
    },
    "error.incident_template_unknown": {
        "en": "no response template '{key}': use one of {choices}",
        "id": "template respons '{key}' tidak ada: gunakan salah satu dari {choices}",
    },
    "error.incident_template_value": {
        "en": "template '{key}' needs a value for {{{placeholder}}}: give all of {placeholders}",
        "id": "template '{key}' memerlukan nilai untuk {{{placeholder}}}: isi semua "
        "{placeholders}",
    },
    # Impact matrix reasons (impact.ImpactReason).
    "impact.volume_ratio": {
        "en": "negative volume {value}× baseline ({op} {threshold}× → level {level})",
        "id": "volume negatif {value}× baseline ({op} {threshold}× → level {level})",
    },
    "impact.velocity": {
        "en": "{value} negative mentions per hour ({op} {threshold}/h → level {level})",
        "id": "{value} sebutan negatif per jam ({op} {threshold}/jam → level {level})",
    },
    "impact.reach": {
        "en": "estimated reach {value} ({op} {threshold} → level {level})",
        "id": "perkiraan jangkauan {value} ({op} {threshold} → level {level})",
    },
    "impact.negative_share": {
        "en": "{value}% of mentions negative ({op} {threshold}% → level {level})",
        "id": "{value}% sebutan bernada negatif ({op} {threshold}% → level {level})",
    },
    "impact.few_mentions": {
        "en": "{value, plural, one {# negative mention} other {# negative mentions}}, isolated "
              "complaints ({op} {threshold} → level "
        "{level})",
        "id": "{value} sebutan negatif, keluhan terisolasi ({op} {threshold} → level {level})",
    },
    "impact.media_pickup": {
        "en": "picked up by the media (→ level {level})",
        "id": "diberitakan media (→ level {level})",
    },
    "impact.legal_exposure": {
        "en": "legal exposure (→ level {level})",
        "id": "ada risiko hukum (→ level {level})",
    },
    "impact.safety_exposure": {
        "en": "safety exposure (→ level {level})",
        "id": "ada risiko keselamatan (→ level {level})",
    },
    "impact.personal_data_exposure": {
        "en": "personal data exposed (→ level {level})",
        "id": "data pribadi terpapar (→ level {level})",
    },
    "impact.account_compromised": {
        "en": "a company account is compromised (→ level {level})",
        "id": "akun perusahaan diretas (→ level {level})",
    },
    # Audit-log descriptions of incident events.
    "event.IncidentOpened": {"en": "opened incident '{title}' ({category})",
                             "id": "membuka insiden '{title}' ({category})"},
    "event.IncidentClassified": {
        "en": "classified the incident as {category} at level {level} (suggested {suggested})",
        "id": "mengklasifikasikan insiden sebagai {category} pada level {level} "
        "(saran {suggested})"},
    "event.IncidentEscalated": {"en": "escalated the incident to {target}",
                                "id": "mengeskalasi insiden ke {target}"},
    "event.EscalationAcknowledged": {"en": "acknowledged the escalation to {target}",
                                     "id": "mengakui eskalasi ke {target}"},
    "event.ActionLogged": {"en": "logged a handling step: {kind}",
                           "id": "mencatat langkah penanganan: {kind}"},
    "event.StatementLinked": {"en": "linked content {content} as the official statement",
                              "id": "menautkan konten {content} sebagai pernyataan resmi"},
    "event.PublishingFrozen": {"en": "froze all publishing", "id": "membekukan semua publikasi"},
    "event.PublishingReleased": {"en": "released the publishing freeze",
                                 "id": "mencabut pembekuan publikasi"},
    "event.PdpNoticeSent": {
        "en": "recorded the written UU PDP notice to {recipient}, sent {sent_at}",
        "id": "mencatat pemberitahuan tertulis UU PDP kepada {recipient}, dikirim {sent_at}"},
    "event.IncidentResolved": {"en": "resolved the incident", "id": "menyelesaikan insiden"},
    "event.IncidentReviewed": {
        "en": "recorded the post-incident review ({follow_ups, plural, one {# follow-up} other "
              "{# follow-ups}})",
        "id": "mencatat tinjauan pasca-insiden ({follow_ups} tindak lanjut)"},
    "event.IncidentClosed": {"en": "closed the incident", "id": "menutup insiden"},
}

#: Indonesian for action names and verbs (Term) used by this stage's messages.
TERMS_ID: dict[str, str] = {
    "classify the incident": "mengklasifikasikan insiden",
    "escalate the incident": "mengeskalasi insiden",
    "acknowledge an escalation of the incident": "mengakui eskalasi insiden",
    "log an action on the incident": "mencatat tindakan pada insiden",
    "link a statement to the incident": "menautkan pernyataan ke insiden",
    "freeze publishing for the incident": "membekukan publikasi untuk insiden",
    "release publishing for the incident": "mencabut pembekuan publikasi untuk insiden",
    "record a UU PDP notice for the incident": "mencatat pemberitahuan UU PDP untuk insiden",
    "resolve the incident": "menyelesaikan insiden",
    "record a review of the incident": "mencatat tinjauan insiden",
    "close the incident": "menutup insiden",
}
