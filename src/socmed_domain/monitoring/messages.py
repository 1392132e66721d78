"""Messages (English and Bahasa Indonesia) of the monitoring stage; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.interactions_fetch": {
        "en": "{platform} comments, messages and mentions could not be fetched, so nothing "
        "was ingested: {detail}",
        "id": "komentar, pesan, dan mention {platform} tidak dapat diambil, jadi tidak ada "
        "yang dimasukkan: {detail}",
    },
    "error.sla_period": {
        "en": "working period {start}-{end} ends before it starts: give a start before the end "
        "(an end of 00:00 means midnight)",
        "id": "jam kerja {start}-{end} berakhir sebelum dimulai: berikan awal sebelum akhir "
        "(akhir 00:00 berarti tengah malam)",
    },
    "error.sla_overlap": {
        "en": "working periods {first} and {second} on {day} overlap: merge them into one or "
        "leave a gap",
        "id": "jam kerja {first} dan {second} pada hari {day} tumpang tindih: gabungkan atau "
        "beri jeda",
    },
    "error.sla_week": {
        "en": "the business calendar lists {count} weekdays: give exactly 7, Monday first",
        "id": "kalender kerja memuat {count} hari: berikan tepat 7, dimulai hari Senin",
    },
    "error.sla_weekday": {
        "en": "weekday {value} does not exist: use 0 (Monday) to 6 (Sunday)",
        "id": "hari {value} tidak ada: gunakan 0 (Senin) sampai 6 (Minggu)",
    },
    "error.sla_no_hours": {
        "en": "the business calendar has no working hours: give hours for at least one weekday",
        "id": "kalender kerja tidak punya jam kerja: isi jam kerja untuk minimal satu hari",
    },
    "error.sla_target": {
        "en": "SLA {name} target is {value}: give a duration above zero, with the resolution "
        "no shorter than the first response",
        "id": "target SLA {name} bernilai {value}: berikan durasi di atas nol, dengan "
        "penyelesaian tidak lebih singkat dari respons pertama",
    },
    "error.sla_missing_priority": {
        "en": "the SLA policy has no target for {priorities}: give one for each of {choices}",
        "id": "kebijakan SLA tidak punya target untuk {priorities}: berikan untuk setiap "
        "{choices}",
    },
    "error.sla_order": {
        "en": "the end {end} is before the start {start}: check the two times",
        "id": "akhir {end} lebih awal dari awal {start}: periksa kedua waktu itu",
    },
    "error.spike_config": {
        "en": "spike detector {name} is {value}: give {expected}",
        "id": "parameter detektor lonjakan {name} bernilai {value}: berikan {expected}",
    },
    "error.observation_order": {
        "en": "observation at {at} is earlier than the previous one at {previous}: feed "
        "observations in time order, or use detect_spikes for an unordered batch",
        "id": "observasi pada {at} lebih awal dari sebelumnya pada {previous}: masukkan "
        "observasi berurutan waktu, atau pakai detect_spikes untuk kumpulan tak berurutan",
    },
    "error.lexicon_score": {
        "en": "lexicon term '{term}' has score {score}: give a non-empty term with a score "
        "from -3 to +3",
        "id": "istilah leksikon '{term}' bernilai {score}: berikan istilah tidak kosong dengan "
        "nilai -3 sampai +3",
    },
    "error.watchlist_term": {
        "en": "watchlist term '{term}' must start and end with a word: '*' only stands between "
        "words",
        "id": "istilah watchlist '{term}' harus diawali dan diakhiri kata: '*' hanya boleh di "
        "antara kata",
    },
    # ---------------------------------------------------------- inbox (issue 6)
    "error.conversation_state": {
        "en": "cannot {action} conversation {ref} while it is {status}: it must be {expected}",
        "id": "tidak dapat {action} percakapan {ref} saat berstatus {status}: harus "
        "{expected}",
    },
    "error.assignee_cannot_reply": {
        "en": "{member} ({role}) may not reply to the audience: assign the conversation to a "
        "Social Media Admin",
        "id": "{member} ({role}) tidak boleh membalas audiens: tugaskan percakapan ke Admin "
        "Media Sosial",
    },
    "error.no_pending_reply": {
        "en": "conversation {ref} has no reply waiting for approval: check it with "
        "'socmed inbox show {ref}'",
        "id": "percakapan {ref} tidak punya balasan yang menunggu persetujuan: periksa dengan "
        "'socmed inbox show {ref}'",
    },
    "error.self_approval_reply": {
        "en": "{actor} wrote the reply held on conversation {ref} and may not approve it: ask "
        "another Marketing Manager or Legal member",
        "id": "{actor} menulis balasan yang ditahan pada percakapan {ref} dan tidak boleh "
        "menyetujuinya: minta Manajer Pemasaran atau anggota Legal lain",
    },
    "error.template_placeholder": {
        "en": "reply template '{template}' needs {missing}: give each with --param NAME=VALUE",
        "id": "templat balasan '{template}' memerlukan {missing}: berikan masing-masing dengan "
        "--param NAMA=NILAI",
    },
    "error.subject_format": {
        "en": "'{value}' is not a data subject: write PLATFORM:HANDLE, like instagram:budi_99",
        "id": "'{value}' bukan subjek data: tulis PLATFORM:HANDLE, misalnya instagram:budi_99",
    },
    "error.subject_unknown": {
        "en": "socmed holds no personal data of {subject} (never received, or already erased)",
        "id": "socmed tidak menyimpan data pribadi {subject} (tidak pernah diterima, atau "
        "sudah dihapus)",
    },
    "error.subject_erased": {
        "en": "the personal data of conversation {ref} was erased: it can no longer be "
        "answered",
        "id": "data pribadi percakapan {ref} sudah dihapus: percakapan ini tidak dapat "
        "dibalas lagi",
    },
    "error.no_vault": {
        "en": "no personal-data vault is configured: start socmed through bootstrap()",
        "id": "brankas data pribadi belum dikonfigurasi: jalankan socmed melalui bootstrap()",
    },
    "error.no_reply_sender": {
        "en": "no reply channel is configured: replies cannot be sent",
        "id": "saluran balasan belum dikonfigurasi: balasan tidak dapat dikirim",
    },
    "error.reply_failed": {
        "en": "the platform did not take the reply to conversation {ref} ({reason}); nothing "
        "was recorded: try again",
        "id": "platform tidak menerima balasan untuk percakapan {ref} ({reason}); tidak ada "
        "yang dicatat: coba lagi",
    },
    "error.bad_interaction": {
        "en": "{source} line {line}: {detail}",
        "id": "{source} baris {line}: {detail}",
    },
    "error.webhook_unsigned": {
        "en": "webhook from {platform} refused: the {header} header is missing; nothing was "
        "stored",
        "id": "webhook dari {platform} ditolak: header {header} tidak ada; tidak ada yang "
        "disimpan",
    },
    "error.webhook_bad_signature": {
        "en": "webhook from {platform} refused: the {header} signature does not match the body "
        "and the app secret; nothing was stored",
        "id": "webhook dari {platform} ditolak: tanda tangan {header} tidak cocok dengan isi "
        "dan app secret; tidak ada yang disimpan",
    },
    "error.webhook_stale": {
        "en": "webhook from {platform} refused: signed {age} s away from now (more than "
        "{tolerance} s, a replay?); nothing was stored",
        "id": "webhook dari {platform} ditolak: ditandatangani {age} detik dari sekarang (lebih "
        "dari {tolerance} detik, pengiriman ulang?); tidak ada yang disimpan",
    },
    "error.webhook_no_secret": {
        "en": "cannot check webhooks from {platform}: set {env} to the app secret",
        "id": "tidak bisa memeriksa webhook dari {platform}: isi {env} dengan app secret",
    },
    "error.webhook_verify_token": {
        "en": "webhook subscription refused: hub.verify_token is not the one in {env}",
        "id": "langganan webhook ditolak: hub.verify_token bukan yang ada di {env}",
    },
    "error.webhook_payload": {
        "en": "webhook from {platform} not read ({detail}); nothing was stored",
        "id": "webhook dari {platform} tidak terbaca ({detail}); tidak ada yang disimpan",
    },
    "error.webhook_size": {
        "en": "'{value}' is not a size: give bytes, or a number with K, M or G (e.g. 1MB)",
        "id": "'{value}' bukan ukuran: berikan jumlah byte, atau angka dengan K, M, atau G "
        "(mis. 1MB)",
    },
    "error.webhook_path": {
        "en": "no webhook at {path}: the receiver serves {paths}",
        "id": "tidak ada webhook di {path}: penerima melayani {paths}",
    },
    "error.webhook_method": {
        "en": "{method} is not accepted here: use {allowed}",
        "id": "{method} tidak diterima di sini: gunakan {allowed}",
    },
    "error.webhook_length": {
        "en": "the request needs a Content-Length header matching its body; nothing was stored",
        "id": "permintaan memerlukan header Content-Length yang sesuai dengan isinya; tidak ada "
        "yang disimpan",
    },
    "error.webhook_too_large": {
        "en": "the body is {size} bytes, over the limit of {limit}; nothing was stored",
        "id": "isi permintaan {size} byte, melebihi batas {limit}; tidak ada yang disimpan",
    },
    "error.webhook_timeout": {
        "en": "the body did not arrive within {seconds} s; nothing was stored",
        "id": "isi permintaan tidak tiba dalam {seconds} detik; tidak ada yang disimpan",
    },
    "error.webhook_failed": {
        "en": "the delivery could not be stored ({error}: {detail}); the platform will deliver "
        "it again",
        "id": "kiriman tidak dapat disimpan ({error}: {detail}); platform akan mengirimkannya "
        "lagi",
    },
    "event.ConversationOpened": {"en": "received a {kind} on {platform}",
                                 "id": "menerima {kind} di {platform}"},
    "event.MessageReceived": {"en": "received another {kind}",
                              "id": "menerima {kind} berikutnya"},
    "event.ConversationAssigned": {"en": "assigned the conversation to {member}",
                                   "id": "menugaskan percakapan ke {member}"},
    "event.ConversationTagged": {"en": "tagged the conversation: {tags}",
                                 "id": "menandai percakapan: {tags}"},
    "event.PrioritySet": {"en": "set the priority to {priority}",
                          "id": "menetapkan prioritas {priority}"},
    "event.NoteAdded": {"en": "added an internal note", "id": "menambah catatan internal"},
    "event.ReplyProposed": {"en": "held a reply for approval (incident {incident})",
                            "id": "menahan balasan untuk persetujuan (insiden {incident})"},
    "event.Replied": {"en": "replied (template {template})",
                      "id": "membalas (templat {template})"},
    "event.ConversationClosed": {"en": "closed the conversation",
                                 "id": "menutup percakapan"},
    "event.ConversationReopened": {"en": "reopened the conversation",
                                   "id": "membuka kembali percakapan"},
    "event.SlaBreached": {"en": "SLA breached: {clock} was due at {due}",
                          "id": "SLA terlewati: {clock} jatuh tempo pada {due}"},
    "event.SpikeAlertRaised": {
        "en": "spike alert {alert}: {count} negative interactions in the window (usually "
        "{mean})",
        "id": "peringatan lonjakan {alert}: {count} interaksi negatif dalam jendela (biasanya "
        "{mean})"},
    "event.PersonalDataErased": {
        "en": "erased an audience member's personal data (key {key}, "
        "{conversations, plural, one {# conversation} other {# conversations}})",
        "id": "menghapus data pribadi anggota audiens (kunci {key}, {conversations} "
        "percakapan)"},
    "inbox.webhook_skipped": {
        "en": "Not for the inbox: {skipped, plural, one {# event} other {# events}} (likes, "
        "edits, our own messages); {unread, plural, one {# mention} other {# mentions}} "
        "delivered without text (fetch them through the platform API).",
        "id": "Bukan untuk inbox: {skipped} event (suka, suntingan, pesan kita sendiri); "
        "{unread} mention dikirim tanpa teks (ambil lewat API platform).",
    },
    "inbox.listen_started": {
        "en": "Listening on {url}/{{meta,x,tiktok,linkedin}} as {member}; stop with Ctrl+C or "
        "SIGTERM.",
        "id": "Mendengarkan di {url}/{{meta,x,tiktok,linkedin}} sebagai {member}; hentikan "
        "dengan Ctrl+C atau SIGTERM.",
    },
    "inbox.listen_no_secret": {
        "en": "{platform} deliveries will be refused until {env} is set.",
        "id": "Kiriman {platform} akan ditolak sampai {env} diisi.",
    },
    "inbox.listen_stopped": {
        "en": "Stopped: every request in flight was finished.",
        "id": "Berhenti: semua permintaan yang sedang berjalan sudah selesai.",
    },
    "inbox.listen_delivery": {
        "en": "{platform}: {new} new, {duplicates, plural, one {# duplicate} other {# duplicates}} "
        "of {received}; {skipped} "
        "skipped, {unread} without text",
        "id": "{platform}: {new} baru, {duplicates} duplikat dari {received}; {skipped} "
        "dilewati, {unread} tanpa teks",
    },
    "inbox.listen_handshake": {
        "en": "{platform}: subscription check answered",
        "id": "{platform}: pemeriksaan langganan dijawab",
    },
    "inbox.listen_refused": {
        "en": "{platform}: refused with {status}: {reason}",
        "id": "{platform}: ditolak dengan {status}: {reason}",
    },
    "inbox.ingested": {
        "en": "Ingested {new, plural, one {# new interaction} other {# new interactions}} of "
        "{received} ({duplicates} already here); "
        "{opened, plural, one {# new conversation} other {# new conversations}}.",
        "id": "{new} interaksi baru dari {received} dimasukkan ({duplicates} sudah ada); "
        "{opened} percakapan baru.",
    },
    "inbox.fetched": {
        "en": "Fetched from {platforms}, received since {since}.",
        "id": "Diambil dari {platforms}, yang diterima sejak {since}.",
    },
    "error.bad_since": {
        "en": "'{value}' is not a time: give a time with a zone (2026-12-10 09:00 WIB), a day "
        "(2026-12-10) or how long ago (30m, 6h, 2d)",
        "id": "'{value}' bukan waktu: berikan waktu dengan zona (2026-12-10 09:00 WIB), "
        "tanggal (2026-12-10) atau berapa lama lalu (30m, 6h, 2d)",
    },
    "inbox.alert": {"en": "Spike alert {alert}: consider 'socmed incident open --alert {alert}'.",
                    "id": "Peringatan lonjakan {alert}: pertimbangkan 'socmed incident open "
                    "--alert {alert}'."},
    "inbox.assigned": {"en": "Assigned {ref} to {member}.", "id": "{ref} ditugaskan ke {member}."},
    "inbox.tagged": {"en": "Tagged {ref}: {tags}.", "id": "{ref} ditandai: {tags}."},
    "inbox.reply_sent": {"en": "Replied to {ref}.", "id": "{ref} sudah dibalas."},
    "inbox.reply_held": {
        "en": "Reply to {ref} held: an incident of level 3 or more is open; the Marketing "
        "Manager or Legal approves it with 'socmed inbox approve-reply {ref}'.",
        "id": "Balasan untuk {ref} ditahan: ada insiden level 3 ke atas; Manajer Pemasaran "
        "atau Legal menyetujuinya dengan 'socmed inbox approve-reply {ref}'."},
    "inbox.noted": {"en": "Noted on {ref}.", "id": "Catatan ditambahkan pada {ref}."},
    "inbox.closed": {"en": "Closed {ref}.", "id": "{ref} ditutup."},
    "inbox.reopened": {"en": "Reopened {ref}.", "id": "{ref} dibuka kembali."},
    "privacy.erased": {
        "en": "Erased: key {key} destroyed; the subject's data is unreadable everywhere.",
        "id": "Dihapus: kunci {key} dimusnahkan; data subjek tidak terbaca di mana pun."},

}

#: Indonesian for action names and verbs (Term) used by this stage's messages.
TERMS_ID: dict[str, str] = {
    "assign": "menugaskan",
    "reply to": "membalas",
    "change the priority of": "mengubah prioritas",
    "approve a reply to": "menyetujui balasan untuk",
    "close": "menutup",
    "reopen": "membuka kembali",
    "conversation": "percakapan",
}
