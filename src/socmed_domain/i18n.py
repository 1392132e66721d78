"""The one message catalogue: codes with English ('en') and Bahasa Indonesia ('id') text.

Every message the project shows is a code with one template per language, in one shape
(``{code: {"en": ..., "id": ...}}``). The domain's own messages live here and in each SOP
stage's ``messages.py`` (plain data modules); front ends add theirs with
``Catalogue.extended`` (the CLI's texts, table headings and values), which refuses a code that
is already defined -- there is no merging by mutation at import. ``render(code, lang,
**params)`` fills a template; the domain produces codes and parameters, the edges render them.

Templates are ``str.format`` templates plus ICU-like typed placeholders, so the catalogue, not
the code, owns plural forms and number formats:

* ``{count, plural, one {# rule} other {# rules}}`` -- ``#`` is the count, formatted;
* ``{size, number}`` -- a number in the reader's locale;
* ``{age, duration}`` -- a duration (a ``timedelta`` or seconds);
* ``{day, date}`` -- a date.

How a count picks its plural form and how numbers, dates and durations are written is a
``Formatter``. The domain stays free of third-party libraries, so its ``PLAIN`` formatter knows
only the CLDR plural rules of its two languages (English: 'one' for exactly 1, else 'other';
Indonesian: always 'other') and writes numbers as ``str()``; the edges (CLI, a web service)
pass ``socmed_adapters.i18n.BABEL``, which asks Babel for the ``en_US`` / ``id_ID`` locale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Protocol

DEFAULT_LANG = "en"
LANGUAGES = ("en", "id")

#: A catalogue source: {code: {"en": template, "id": template}}.
Messages = Mapping[str, Mapping[str, str]]

_CORE_MESSAGES: dict[str, dict[str, str]] = {
    "error.generic": {"en": "{detail}", "id": "{detail}"},
    "error.invalid_input": {
        "en": "a value given to the command is malformed or out of range: check it and try "
        "again",
        "id": "nilai yang diberikan ke perintah salah bentuk atau di luar rentang: periksa "
        "lalu coba lagi",
    },
    "error.not_found": {
        "en": "no {kind} '{ref}': check the id with 'socmed {listing}'",
        "id": "{kind} '{ref}' tidak ada: periksa id dengan 'socmed {listing}'",
    },
    "error.ambiguous": {
        "en": "'{ref}' matches {count} {kind}s: give more characters of the id",
        "id": "'{ref}' cocok dengan {count} {kind}: berikan lebih banyak karakter id",
    },
    "error.not_allowed": {
        "en": "{actor} ({role}) may not {action}: allowed roles are {allowed}",
        "id": "{actor} ({role}) tidak boleh {action}: peran yang boleh adalah {allowed}",
    },
    "error.read_only_principal": {
        "en": "{actor} is signed in with a read-only token ({via}): reading is allowed, "
        "commands are not; create a token with the commands scope",
        "id": "{actor} masuk dengan token hanya-baca ({via}): membaca diizinkan, perintah "
        "tidak; buat token dengan cakupan perintah",
    },
    "error.invalid_state": {
        "en": "cannot {action} content {ref} while it is {status}: it must be {expected}",
        "id": "tidak dapat {action} konten {ref} saat berstatus {status}: harus {expected}",
    },
    "error.self_approval": {
        "en": "{actor} wrote revision {revision} and may not {action} it: ask another member",
        "id": "{actor} menulis revisi {revision} dan tidak boleh {action}: minta anggota lain",
    },
    "error.hash_mismatch": {
        "en": "revision hash {given} is not the current revision {revision} ({current}): "
        "re-read the content with 'socmed content show' and approve what you read",
        "id": "hash revisi {given} bukan revisi terkini {revision} ({current}): "
        "baca ulang konten dengan 'socmed content show' lalu setujui yang Anda baca",
    },
    "error.slot_passed": {
        "en": "the slot of content {ref} passed at {at} before approval: reschedule it with "
        "'socmed content schedule', then approve",
        "id": "jadwal konten {ref} sudah lewat pada {at} sebelum disetujui: jadwalkan ulang "
        "dengan 'socmed content schedule', lalu setujui",
    },
    "error.slot_not_targeted": {
        "en": "content {ref} is scheduled on {platforms}, which revision {revision} does not "
        "target: reschedule it with 'socmed content schedule', then approve",
        "id": "konten {ref} dijadwalkan di {platforms}, yang bukan target revisi {revision}: "
        "jadwalkan ulang dengan 'socmed content schedule', lalu setujui",
    },
    "error.hash_too_short": {
        "en": "revision hash '{given}' is too short: give at least 8 characters of it",
        "id": "hash revisi '{given}' terlalu pendek: berikan minimal 8 karakter",
    },
    "error.naive_time": {
        "en": "time {value} has no timezone: add an offset (+07:00) or a zone (WIB, WITA, WIT)",
        "id": "waktu {value} tanpa zona waktu: tambahkan offset (+07:00) atau zona "
        "(WIB, WITA, WIT)",
    },
    "error.bad_time": {
        "en": "'{value}' is not a time: write it like '2026-12-03 19:00 WIB' or "
        "'2026-12-03T19:00+07:00'",
        "id": "'{value}' bukan waktu: tulis seperti '2026-12-03 19:00 WIB' atau "
        "'2026-12-03T19:00+07:00'",
    },
    "error.time_range": {
        "en": "{field} {value} is outside the supported range {range}: give a time in it",
        "id": "{field} {value} di luar rentang yang didukung {range}: berikan waktu di "
        "dalamnya",
    },
    "error.number_range": {
        "en": "{field} is {value}: give a finite number from {low} to {high}",
        "id": "{field} bernilai {value}: berikan angka terhingga dari {low} sampai {high}",
    },
    "error.amount_range": {
        "en": "{field} is {value}: give a finite number from 0 to {limit}",
        "id": "{field} bernilai {value}: berikan angka terhingga dari 0 sampai {limit}",
    },
    "error.past_time": {
        "en": "time {value} is not in the future (now {now}): choose a later time",
        "id": "waktu {value} sudah lewat (sekarang {now}): pilih waktu yang lebih lambat",
    },
    "error.unknown_platform": {
        "en": "unknown platform '{value}': use one of {choices}",
        "id": "platform '{value}' tidak dikenal: gunakan salah satu dari {choices}",
    },
    "error.unknown_choice": {
        "en": "unknown {kind} '{value}': use one of {choices}",
        "id": "{kind} '{value}' tidak dikenal: gunakan salah satu dari {choices}",
    },
    "error.rules_file": {
        "en": "cannot read the platform rules in {path}: {detail}; see docs/platforms.md",
        "id": "aturan platform di {path} tidak terbaca: {detail}; lihat docs/platforms.md",
    },
    "error.attempt_in_progress": {
        "en": "the attempt of {ref} on {platform} started at {started} may still be running: "
        "settle it after {after}, once 'socmed publish due' reports it as unknown",
        "id": "percobaan {ref} di {platform} yang dimulai {started} mungkin masih berjalan: "
        "selesaikan setelah {after}, saat 'socmed publish due' melaporkannya tidak diketahui",
    },
    "error.lookup_failed": {
        "en": "could not look up the post of {ref} on {platform}: {detail}; try again later, "
        "or check the platform by hand and settle it with --post-id/--url or --absent",
        "id": "postingan {ref} di {platform} tidak dapat dicek: {detail}; coba lagi nanti, "
        "atau periksa platform secara manual lalu selesaikan dengan --post-id/--url atau "
        "--absent",
    },
    "error.unknown_event_type": {
        "en": "unknown event type '{value}'{hint}: 'socmed audit types' lists them all",
        "id": "event type '{value}' tidak dikenal{hint}: 'socmed audit types' menampilkan "
        "semuanya",
    },
    "hint.did_you_mean": {"en": " (did you mean {names}?)", "id": " (maksud Anda {names}?)"},
    "error.empty": {
        "en": "{field} is empty: give a value",
        "id": "{field} kosong: isi nilainya",
    },
    "error.too_long": {
        "en": "{field} is {length} characters, over the {limit} allowed: shorten it",
        "id": "{field} sepanjang {length} karakter, melebihi batas {limit}: persingkat",
    },
    "error.platform_not_targeted": {
        "en": "platform {platform} is not a target of revision {revision}: "
        "revise the content to add it, or schedule only {targets}",
        "id": "platform {platform} bukan target revisi {revision}: "
        "revisi konten untuk menambahkannya, atau jadwalkan hanya {targets}",
    },
    "error.final_check": {
        "en": "final check failed for {count, plural, one {# rule} other {# rules}}: {findings}",
        "id": "pemeriksaan akhir gagal pada {count} aturan: {findings}",
    },
    "error.no_revision": {
        "en": "content {ref} has no draft yet: add one with 'socmed content revise'",
        "id": "konten {ref} belum punya draf: tambahkan dengan 'socmed content revise'",
    },
    "error.comment_required": {
        "en": "a comment is required to {action}: say what must change and why",
        "id": "komentar wajib untuk {action}: jelaskan apa yang harus diubah dan alasannya",
    },
    "error.already_initialised": {
        "en": "this store already has a team: use 'socmed team add' to add members",
        "id": "penyimpanan ini sudah punya tim: gunakan 'socmed team add' untuk menambah anggota",
    },
    "error.not_initialised": {
        "en": "this store has no team yet: run 'socmed init' first",
        "id": "penyimpanan ini belum punya tim: jalankan 'socmed init' terlebih dahulu",
    },
    "error.member_exists": {
        "en": "member '{member}' already exists: pick another handle",
        "id": "anggota '{member}' sudah ada: pilih handle lain",
    },
    "error.member_inactive": {
        "en": "member '{member}' is deactivated and cannot act",
        "id": "anggota '{member}' sudah dinonaktifkan dan tidak dapat bertindak",
    },
    "error.bad_handle": {
        "en": "handle '{value}' is not valid: use 2-32 lower-case letters, digits, '.', '_' or '-'",
        "id": "handle '{value}' tidak valid: gunakan 2-32 huruf kecil, angka, '.', '_' atau '-'",
    },
    "error.already_published": {
        "en": "content {ref} is already published on {platform}: it is never posted twice",
        "id": "konten {ref} sudah terbit di {platform}: konten tidak pernah diposting dua kali",
    },
    "error.last_manager": {
        "en": "{member} is the last active Marketing Manager: appoint another one first",
        "id": "{member} adalah Manajer Pemasaran aktif terakhir: tunjuk yang lain terlebih dahulu",
    },
    "error.conflict": {
        "en": "{kind} {ref} was changed by someone else at the same time: run the command again",
        "id": "{kind} {ref} diubah orang lain pada saat yang sama: jalankan ulang perintahnya",
    },
    "error.no_outcome": {
        "en": "content {ref} has no publication on {platform} awaiting an outcome",
        "id": "konten {ref} tidak punya publikasi di {platform} yang menunggu hasil",
    },
    "error.rule_violation": {"en": "{detail}", "id": "{detail}"},
    "error.storage_url": {
        "en": "unsupported database URL '{url}': use postgresql://USER@HOST:PORT/DB[?schema=S], "
        "or leave it out for the SQLite store in the data dir",
        "id": "URL basis data '{url}' tidak didukung: gunakan "
        "postgresql://USER@HOST:PORT/DB[?schema=S], atau kosongkan untuk SQLite di data dir",
    },
    "error.storage": {
        "en": "cannot use the store ({where}): {detail}; check --database-url / --data-dir, "
        "that the server runs and the database and schema exist",
        "id": "penyimpanan tidak dapat dipakai ({where}): {detail}; periksa --database-url / "
        "--data-dir, bahwa server berjalan serta basis data dan skema ada",
    },
    # The audit chain's keys (socmed_adapters.audit).
    "error.audit_key_missing": {
        "en": "this store's audit chain is keyed (HMAC) and SOCMED_AUDIT_KEY is not set: set "
        "the key Legal holds; nothing was written or checked",
        "id": "rantai audit penyimpanan ini berkunci (HMAC) dan SOCMED_AUDIT_KEY belum diatur: "
        "atur kunci yang dipegang Legal; tidak ada yang ditulis atau diperiksa",
    },
    "error.audit_key_wrong": {
        "en": "SOCMED_AUDIT_KEY is not the key this store's audit chain was sealed with: set "
        "the right key; nothing was written or checked",
        "id": "SOCMED_AUDIT_KEY bukan kunci yang menyegel rantai audit penyimpanan ini: atur "
        "kunci yang benar; tidak ada yang ditulis atau diperiksa",
    },
    "error.audit_signing_key": {
        "en": "cannot use the audit checkpoint key {path}: {detail}; create a pair with "
        "'socmed audit keygen' or name the right file",
        "id": "kunci checkpoint audit {path} tidak dapat dipakai: {detail}; buat pasangan "
        "kunci dengan 'socmed audit keygen' atau sebut berkas yang benar",
    },
    "error.audit_key_exists": {
        "en": "{path} already exists: a signing key is never overwritten; move it away first "
        "or choose another --dir",
        "id": "{path} sudah ada: kunci penanda tangan tidak pernah ditimpa; pindahkan dulu "
        "atau pilih --dir lain",
    },
    "error.audit_checkpoint_setting": {
        "en": "{name}='{value}' is not a positive number: give the events or minutes between "
        "signed checkpoints",
        "id": "{name}='{value}' bukan bilangan positif: berikan jumlah event atau menit antar "
        "checkpoint bertanda tangan",
    },
    "error.audit_no_verify_key": {
        "en": "{what} needs the checkpoint public key: give --public-key FILE or set "
        "SOCMED_AUDIT_VERIFY_KEY",
        "id": "{what} memerlukan kunci publik checkpoint: berikan --public-key BERKAS atau atur "
        "SOCMED_AUDIT_VERIFY_KEY",
    },
    "error.audit_witness": {
        "en": "cannot read the witness {path}: {detail}",
        "id": "saksi {path} tidak dapat dibaca: {detail}",
    },
    "error.audit_no_signing_key": {
        "en": "no checkpoint signing key: create one with 'socmed audit keygen' or set "
        "SOCMED_AUDIT_SIGNING_KEY",
        "id": "tidak ada kunci penanda tangan checkpoint: buat dengan 'socmed audit keygen' "
        "atau atur SOCMED_AUDIT_SIGNING_KEY",
    },
    # Campaigns (SOP stage 1).
    "error.campaign_state": {
        "en": "cannot {action} campaign {ref} while it is {status}: it must be {expected}",
        "id": "tidak dapat {action} kampanye {ref} saat berstatus {status}: harus {expected}",
    },
    "error.period_order": {
        "en": "the period ends ({end}) before it starts ({start}): give an end after the start",
        "id": "periode berakhir ({end}) sebelum dimulai ({start}): berikan akhir setelah awal",
    },
    "error.negative": {
        "en": "{field} is {value}: give a number of 0 or more",
        "id": "{field} bernilai {value}: berikan angka 0 atau lebih",
    },
    "error.duplicate": {
        "en": "{field} lists the same value twice: give each once",
        "id": "{field} memuat nilai yang sama dua kali: cantumkan masing-masing sekali",
    },
    "error.platform_not_in_campaign": {
        "en": "KPI target '{metric}' is on {platform}, which the campaign does not use: add the "
        "platform or target all platforms",
        "id": "target KPI '{metric}' di {platform}, yang tidak dipakai kampanye: tambahkan "
        "platformnya atau targetkan semua platform",
    },
    "error.reason_required": {
        "en": "a reason is required to {action}: say why",
        "id": "alasan wajib untuk {action}: jelaskan alasannya",
    },
    "error.campaign_period_over": {
        "en": "campaign {ref} ended at {end}: it cannot start any more; cancel it or plan a new "
        "one",
        "id": "kampanye {ref} berakhir pada {end}: tidak dapat dimulai lagi; batalkan atau "
        "rencanakan kampanye baru",
    },
    "error.not_an_agency": {
        "en": "{member} is {role}, not agency: only agency members are assigned to campaigns",
        "id": "{member} berperan {role}, bukan agency: hanya anggota agensi yang ditugaskan ke "
        "kampanye",
    },
    "error.agency_already_assigned": {
        "en": "{member} is already assigned to campaign {ref}",
        "id": "{member} sudah ditugaskan ke kampanye {ref}",
    },
    "error.agency_not_assigned": {
        "en": "{member} is not assigned to campaign {ref}",
        "id": "{member} tidak ditugaskan ke kampanye {ref}",
    },
    "error.agency_not_on_campaign": {
        "en": "{actor} (agency) is not assigned to campaign {ref} ('{name}'): ask Digital "
        "Marketing to assign you, or work only on your campaigns' content",
        "id": "{actor} (agency) tidak ditugaskan ke kampanye {ref} ('{name}'): minta Tim "
        "Digital Marketing menugaskan Anda, atau kerjakan hanya konten kampanye Anda",
    },
    "error.agency_needs_campaign": {
        "en": "{actor} (agency) may create content only for a campaign it is assigned to: "
        "name the campaign",
        "id": "{actor} (agency) hanya boleh membuat konten untuk kampanye yang ditugaskan "
        "kepadanya: sebutkan kampanyenya",
    },
    "error.agency_outside_campaigns": {
        "en": "{actor} (agency) may work only on content of campaigns it is assigned to, and "
        "content {ref} belongs to none of them",
        "id": "{actor} (agency) hanya boleh mengerjakan konten kampanye yang ditugaskan "
        "kepadanya, dan konten {ref} bukan bagian dari kampanye tersebut",
    },
    "error.campaign_closed": {
        "en": "campaign {ref} ('{name}') is {status}: {actor} (agency) can no longer work on "
        "its content",
        "id": "kampanye {ref} ('{name}') berstatus {status}: {actor} (agency) tidak dapat lagi "
        "mengerjakan kontennya",
    },
    # Quality and final-check findings.
    "finding.caption_too_long": {
        "en": "{platform}: caption is {length} of {limit} {unit}",
        "id": "{platform}: caption {length} dari batas {limit} {unit}",
    },
    "finding.refused_characters": {
        "en": "{platform}: the caption holds characters the platform refuses: {characters} "
        "(delete or replace them)",
        "id": "{platform}: caption berisi karakter yang ditolak platform: {characters} "
        "(hapus atau ganti karakter tersebut)",
    },
    "finding.too_many_hashtags": {
        "en": "{platform}: {count} hashtags, at most {limit}",
        "id": "{platform}: {count} hashtag, maksimal {limit}",
    },
    "finding.too_many_mentions": {
        "en": "{platform}: {count} mentions, at most {limit}",
        "id": "{platform}: {count} mention, maksimal {limit}",
    },
    "finding.media_required": {
        "en": "{platform}: needs {kinds} media, the revision has none",
        "id": "{platform}: memerlukan media {kinds}, revisi tidak memilikinya",
    },
    "finding.media_kind": {
        "en": "{platform}: does not take {kind} media (takes {kinds})",
        "id": "{platform}: tidak menerima media {kind} (menerima {kinds})",
    },
    "finding.too_many_media": {
        "en": "{platform}: {count} media items, at most {limit}",
        "id": "{platform}: {count} media, maksimal {limit}",
    },
    "finding.video_too_long": {
        "en": "{platform}: video {media} runs {seconds} s, at most {limit} s",
        "id": "{platform}: video {media} berdurasi {seconds} detik, maksimal {limit} detik",
    },
    "finding.video_too_short": {
        "en": "{platform}: video {media} runs {seconds} s, at least {limit} s",
        "id": "{platform}: video {media} berdurasi {seconds} detik, minimal {limit} detik",
    },
    "finding.aspect_ratio": {
        "en": "{platform}: {media} is {size} (ratio {ratio}); the platform takes {low} to "
        "{high}: crop it",
        "id": "{platform}: {media} berukuran {size} (rasio {ratio}); platform menerima {low} "
        "sampai {high}: potong ulang",
    },
    "finding.media_type": {
        "en": "{platform}: {media} is {type} (read from its bytes); the platform takes {types}: "
        "convert it",
        "id": "{platform}: {media} bertipe {type} (dibaca dari isinya); platform menerima "
        "{types}: konversikan",
    },
    "finding.frame_too_small": {
        "en": "{platform}: video {media} is {size}; its shorter side must be at least {limit}",
        "id": "{platform}: video {media} berukuran {size}; sisi pendeknya minimal {limit}",
    },
    "finding.frame_too_large": {
        "en": "{platform}: {media} is {size}, at most {limit}: scale it down",
        "id": "{platform}: {media} berukuran {size}, maksimal {limit}: perkecil",
    },
    "finding.mixed_media": {
        "en": "{platform}: a post takes photos or one video, not both: split the post",
        "id": "{platform}: satu unggahan berisi foto atau satu video, tidak keduanya: pisahkan "
        "unggahannya",
    },
    "finding.media_alone": {
        "en": "{platform}: a {kind} must be the only media item of a post (up to 4 photos, "
        "or 1 GIF, or 1 video on X)",
        "id": "{platform}: {kind} harus menjadi satu-satunya media dalam unggahan (maksimal 4 "
        "foto, atau 1 GIF, atau 1 video di X)",
    },
    "error.media_kind_mismatch": {
        "en": "media {media} was given as {kind} but its bytes are {sniffed}: give the right "
        "file",
        "id": "media {media} disebut {kind} tetapi isinya {sniffed}: berikan berkas yang benar",
    },
    "error.media_unreadable": {
        "en": "media {media} could not be read ({detail}): give an image or video file or "
        "an http(s) URL that answers one",
        "id": "media {media} tidak dapat dibaca ({detail}): berikan berkas gambar atau video, "
        "atau URL http(s) yang mengembalikannya",
    },
    "finding.file_too_large": {
        "en": "{platform}: {media} is {size}, at most {limit}",
        "id": "{platform}: {media} berukuran {size}, maksimal {limit}",
    },
    "finding.too_many_links": {
        "en": "{platform}: {count, plural, one {# link} other {# links}} in the caption, at most "
        "{limit} (links are not "
        "clickable there: use the bio)",
        "id": "{platform}: {count} tautan di caption, maksimal {limit} (tautan tidak bisa "
        "diklik di sana: pakai bio)",
    },
    "finding.banned_word": {
        "en": "uses the banned phrase '{word}' (brand voice / Etika Pariwara Indonesia)",
        "id": "memakai frasa terlarang '{word}' (brand voice / Etika Pariwara Indonesia)",
    },
    "finding.missing_disclosure": {
        "en": "{platform}: sponsored content lacks a disclosure such as {markers}",
        "id": "{platform}: konten bersponsor belum mencantumkan penanda seperti {markers}",
    },
    "finding.empty_caption": {
        "en": "{platform}: caption is empty",
        "id": "{platform}: caption kosong",
    },
    "finding.unchecked": {
        "en": "checklist item not confirmed: {item}",
        "id": "butir checklist belum dikonfirmasi: {item}",
    },
    # Audit-log descriptions of events.
    "event.Founded": {"en": "founded the team of {organisation}",
                      "id": "membentuk tim {organisation}"},
    "event.MemberAdded": {"en": "added member {member} as {role}",
                          "id": "menambahkan anggota {member} sebagai {role}"},
    "event.RoleChanged": {"en": "changed the role of {member} to {role}",
                          "id": "mengubah peran {member} menjadi {role}"},
    "event.MemberDeactivated": {"en": "deactivated member {member}",
                                "id": "menonaktifkan anggota {member}"},
    "event.Created": {"en": "created content '{title}'", "id": "membuat konten '{title}'"},
    "event.Revised": {"en": "saved revision {revision} (sha256 {hash})",
                      "id": "menyimpan revisi {revision} (sha256 {hash})"},
    "event.SubmittedForReview": {"en": "submitted revision {revision} for internal review",
                                 "id": "mengajukan revisi {revision} untuk review internal"},
    "event.ReviewPassed": {"en": "passed the quality review of revision {revision}",
                           "id": "meloloskan review kualitas revisi {revision}"},
    "event.ReviewFailed": {"en": "failed the quality review of revision {revision} "
                                 "({findings, plural, one {# finding} other {# findings}})",
                           "id": "tidak meloloskan review kualitas revisi {revision} "
                                 "({findings} temuan)"},
    "event.SubmittedForApproval": {"en": "submitted revision {revision} for approval",
                                   "id": "mengajukan revisi {revision} untuk persetujuan"},
    "event.Approved": {"en": "approved revision {revision} (sha256 {hash})",
                       "id": "menyetujui revisi {revision} (sha256 {hash})"},
    "event.ChangesRequested": {"en": "requested changes to revision {revision}",
                               "id": "meminta perubahan pada revisi {revision}"},
    "event.Scheduled": {"en": "scheduled for {at} on {platforms}",
                        "id": "menjadwalkan pada {at} di {platforms}"},
    "event.PublicationAttempted": {"en": "started publishing on {platform} (attempt {attempt})",
                                   "id": "mulai mempublikasikan di {platform} "
                                         "(percobaan {attempt})"},
    "event.Published": {"en": "published on {platform}: {url}",
                        "id": "terbit di {platform}: {url}"},
    "event.PublicationFailed": {"en": "publication on {platform} failed (retryable: "
                                      "{retryable})",
                                "id": "publikasi di {platform} gagal (dapat diulang: "
                                      "{retryable})"},
    "event.PublicationOutcomeUnknown": {"en": "outcome on {platform} unknown: settle it with "
                                              "'socmed publish reconcile'",
                                        "id": "hasil di {platform} tidak diketahui: selesaikan "
                                              "dengan 'socmed publish reconcile'"},
    "event.PublicationReconciled": {"en": "settled the outcome on {platform}: {found}",
                                    "id": "menyelesaikan hasil di {platform}: {found}"},
    "event.Expired": {"en": "expired unapproved at its slot {at}",
                      "id": "kedaluwarsa karena belum disetujui pada jadwal {at}"},
    "event.Withdrawn": {"en": "withdrew the content", "id": "menarik konten"},
    "event.Archived": {"en": "archived the content", "id": "mengarsipkan konten"},
    "event.CampaignPlanned": {"en": "planned campaign '{name}' ({start} to {end}, budget "
                                    "IDR {budget})",
                              "id": "merencanakan kampanye '{name}' ({start} s.d. {end}, "
                                    "anggaran Rp {budget})"},
    "event.CampaignApproved": {"en": "approved the campaign", "id": "menyetujui kampanye"},
    "event.CampaignStarted": {"en": "started the campaign", "id": "memulai kampanye"},
    "event.CampaignCompleted": {"en": "completed the campaign", "id": "menyelesaikan kampanye"},
    "event.CampaignCancelled": {"en": "cancelled the campaign", "id": "membatalkan kampanye"},
    "event.AgencyAssigned": {"en": "assigned agency member {member} to the campaign",
                             "id": "menugaskan anggota agensi {member} ke kampanye"},
    "event.AgencyUnassigned": {"en": "removed agency member {member} from the campaign",
                               "id": "melepas anggota agensi {member} dari kampanye"},
}


#: Verbs and actions named inside messages, in Bahasa Indonesia (English is the key itself).
_CORE_TERMS_ID: dict[str, str] = {
    "manage the team": "mengelola tim",
    "create content": "membuat konten",
    "revise content": "merevisi konten",
    "submit content for review": "mengajukan konten untuk review",
    "review content": "mereview konten",
    "submit content for approval": "mengajukan konten untuk persetujuan",
    "approve content": "menyetujui konten",
    "request changes to content": "meminta perubahan konten",
    "schedule content": "menjadwalkan konten",
    "publish content": "mempublikasikan konten",
    "settle a publication's outcome": "menyelesaikan hasil publikasi",
    "withdraw content": "menarik konten",
    "archive content": "mengarsipkan konten",
    "read the audit log": "membaca log audit",
    "plan a campaign": "merencanakan kampanye",
    "approve a campaign": "menyetujui kampanye",
    "start or complete a campaign": "memulai atau menyelesaikan kampanye",
    "cancel a campaign": "membatalkan kampanye",
    "assign agencies to a campaign": "menugaskan agensi ke kampanye",
    "start": "memulai",
    "complete": "menyelesaikan",
    "cancel": "membatalkan",
    "assign an agency to": "menugaskan agensi ke",
    "revise": "merevisi",
    "submit for review": "mengajukan untuk review",
    "review": "mereview",
    "submit for approval": "mengajukan untuk persetujuan",
    "approve": "menyetujui",
    "request changes": "meminta perubahan",
    "schedule": "menjadwalkan",
    "expire": "mengakhiri",
    "publish": "mempublikasikan",
    "withdraw": "menarik",
    "archive": "mengarsipkan",
    "draft or revise the strategy": "menyusun atau merevisi strategi",
    "approve the strategy": "menyetujui strategi",
    "ingest audience interactions": "memasukkan interaksi audiens",
    "assign, tag and close conversations": "menugaskan, menandai dan menutup percakapan",
    "reply to the audience": "membalas audiens",
    "approve a reply during a crisis": "menyetujui balasan saat krisis",
    "erase an audience member's personal data": "menghapus data pribadi anggota audiens",
    "record platform metrics": "mencatat metrik platform",
    "record an evaluation meeting": "mencatat rapat evaluasi",
    "open an incident": "membuka insiden",
    "classify an incident": "mengklasifikasikan insiden",
    "escalate an incident": "mengeskalasi insiden",
    "acknowledge an incident escalation": "mengakui eskalasi insiden",
    "log an incident action": "mencatat tindakan insiden",
    "freeze publishing": "membekukan publikasi",
    "release a publishing freeze": "mencabut pembekuan publikasi",
    "resolve an incident": "menyelesaikan insiden",
    "record a post-incident review": "mencatat tinjauan pasca-insiden",
    "close an incident": "menutup insiden",
}


#: What users hand to commands: files, arguments and database URLs. One line each, naming the
#: file, line and column (or the option) and what to do.
_INPUT_MESSAGES: dict[str, dict[str, str]] = {
    "error.file_missing": {
        "en": "{path}: no such file: check the path",
        "id": "{path}: berkas tidak ada: periksa jalurnya",
    },
    "error.file_not_regular": {
        "en": "{path} is not a regular file (a folder, FIFO, device or socket): give a file",
        "id": "{path} bukan berkas biasa (folder, FIFO, perangkat atau soket): berikan berkas",
    },
    "error.file_unreadable": {
        "en": "cannot read {path}: {detail}",
        "id": "{path} tidak dapat dibaca: {detail}",
    },
    "error.file_too_large": {
        "en": "{path} is over the limit of {limit} bytes for this kind of file ({size} bytes "
        "read): split it into smaller files",
        "id": "{path} melebihi batas {limit} byte untuk jenis berkas ini ({size} byte "
        "terbaca): pecah menjadi berkas yang lebih kecil",
    },
    "error.file_line_too_long": {
        "en": "{path} line {line}: longer than {limit} bytes: give one record per line",
        "id": "{path} baris {line}: lebih dari {limit} byte: berikan satu rekaman per baris",
    },
    "error.file_utf16": {
        "en": "{path} is UTF-16 text: save it as UTF-8 and try again",
        "id": "{path} berupa teks UTF-16: simpan sebagai UTF-8 lalu coba lagi",
    },
    "error.file_binary": {
        "en": "{path} line {line}, column {column}: binary data (a NUL byte): give a UTF-8 "
        "text file",
        "id": "{path} baris {line}, kolom {column}: data biner (byte NUL): berikan berkas teks "
        "UTF-8",
    },
    "error.file_not_utf8": {
        "en": "{path} line {line}, column {column}: byte {byte} is not UTF-8 (Latin-1 or "
        "Windows-1252 text?): save the file as UTF-8",
        "id": "{path} baris {line}, kolom {column}: byte {byte} bukan UTF-8 (teks Latin-1 atau "
        "Windows-1252?): simpan berkas sebagai UTF-8",
    },
    "error.file_syntax": {
        "en": "{path} line {line}, column {column}: not valid {format}: {detail}",
        "id": "{path} baris {line}, kolom {column}: {format} tidak valid: {detail}",
    },
    "error.file_too_deep": {
        "en": "{path} line {line}: nested deeper than {limit} levels: flatten it",
        "id": "{path} baris {line}: bersarang lebih dari {limit} tingkat: sederhanakan",
    },
    "error.file_number": {
        "en": "{path} line {line}: {value} is not a finite number in range: give an ordinary "
        "number",
        "id": "{path} baris {line}: {value} bukan angka hingga dalam rentang: berikan angka "
        "biasa",
    },
    "error.file_surrogate": {
        "en": "{path} line {line}: a string holds a lone surrogate escape (\\ud800-\\udfff), "
        "which is not text: remove it",
        "id": "{path} baris {line}: sebuah string memuat escape surrogate tunggal "
        "(\\ud800-\\udfff), yang bukan teks: hapus",
    },
    "error.file_csv_field": {
        "en": "{path} line {line}: a field is longer than {limit} characters (an unclosed "
        "quote?): check the quotes",
        "id": "{path} baris {line}: sebuah kolom lebih dari {limit} karakter (tanda kutip "
        "tidak ditutup?): periksa tanda kutipnya",
    },
    "error.file_shape": {
        "en": "{path}: '{field}' must be {expected}: give a file written by {writer}",
        "id": "{path}: '{field}' harus {expected}: berikan berkas yang ditulis oleh {writer}",
    },
    "error.arg_not_utf8": {
        "en": "{option} is not valid UTF-8 text: type it again, or set the terminal to UTF-8",
        "id": "{option} bukan teks UTF-8 yang valid: ketik ulang, atau atur terminal ke UTF-8",
    },
    "error.storage_url_invalid": {
        "en": "malformed database URL ({detail}): use postgresql://USER@HOST:PORT/DB"
        "[?schema=S] with a port from 1 to 65535",
        "id": "URL basis data salah bentuk ({detail}): gunakan postgresql://USER@HOST:PORT/DB"
        "[?schema=S] dengan port 1 sampai 65535",
    },
    "error.storage_unreachable": {
        "en": "cannot reach the database server at {host}:{port} ({detail}): check that "
        "PostgreSQL runs there and accepts TCP connections, the host and port in "
        "--database-url / SOCMED_DATABASE_URL, and any firewall between",
        "id": "server basis data di {host}:{port} tidak terjangkau ({detail}): periksa bahwa "
        "PostgreSQL berjalan di sana dan menerima koneksi TCP, host dan port di "
        "--database-url / SOCMED_DATABASE_URL, serta firewall di antaranya",
    },
}
_INPUT_TERMS_ID: dict[str, str] = {
    "a JSON object": "objek JSON",
    "a whole number of 0 or more": "bilangan bulat 0 atau lebih",
    "a whole number of 1 or more": "bilangan bulat 1 atau lebih",
    "a text": "teks",
    "a text or null": "teks atau null",
    "64 hexadecimal digits": "64 digit heksadesimal",
    "64 hexadecimal digits or null": "64 digit heksadesimal atau null",
    "'socmed audit export'": "'socmed audit export'",
    "a UUID": "UUID",
}


class Formatter(Protocol):
    """How numbers, dates, durations and plural categories are written in a language."""

    def plural(self, count: Any, lang: str) -> str:
        """The CLDR plural category ('zero', 'one', 'two', 'few', 'many', 'other')."""
        ...

    def number(self, value: Any, lang: str) -> str: ...

    def duration(self, value: Any, lang: str) -> str: ...

    def date(self, value: Any, lang: str) -> str: ...


class PlainFormatter:
    """The domain's own formatter: CLDR plural rules of English and Indonesian, numbers as
    ``str()``. Good enough for messages kept in exceptions and logs; the edges pass Babel."""

    def plural(self, count: Any, lang: str) -> str:
        if lang == "id":
            return "other"  # CLDR: Indonesian has no grammatical plural
        return "one" if count == 1 and float(count).is_integer() else "other"

    def number(self, value: Any, lang: str) -> str:
        return str(value)

    def duration(self, value: Any, lang: str) -> str:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        unit = "detik" if lang == "id" else "s"
        return f"{seconds:g} {unit}"

    def date(self, value: Any, lang: str) -> str:
        return value.date().isoformat() if isinstance(value, datetime) else str(value)


PLAIN = PlainFormatter()


class Catalogue:
    """Codes and their templates in both languages, plus the translated terms (verbs and
    actions named inside messages), gathered from named sources. A code defined twice is
    refused when the catalogue is built, naming both sources."""

    def __init__(self, sources: Iterable[tuple[str, Messages, Mapping[str, str]]]) -> None:
        messages: dict[str, Mapping[str, str]] = {}
        origin: dict[str, str] = {}
        terms: dict[str, str] = {}
        for name, source, source_terms in sources:
            for code, texts in source.items():
                if code in messages:
                    raise ValueError(f"message {code} is defined twice: in {origin[code]} "
                                     f"and in {name}")
                messages[code] = MappingProxyType(dict(texts))
                origin[code] = name
            for english, indonesian in source_terms.items():
                if terms.get(english, indonesian) != indonesian:
                    raise ValueError(f"term '{english}' is translated twice, differently "
                                     f"(in {name})")
                terms[english] = indonesian
        self.messages: Mapping[str, Mapping[str, str]] = MappingProxyType(messages)
        self.terms_id: Mapping[str, str] = MappingProxyType(terms)
        self.origin: Mapping[str, str] = MappingProxyType(origin)

    def extended(self, name: str, messages: Messages,
                 terms_id: Mapping[str, str] | None = None) -> Catalogue:
        """This catalogue plus a front end's codes; a code already here is refused."""
        own: list[tuple[str, Messages, Mapping[str, str]]] = [
            (self.origin[code], {code: texts}, {}) for code, texts in self.messages.items()]
        return Catalogue([*own, ("terms", {}, self.terms_id), (name, messages, terms_id or {})])

    def __contains__(self, code: object) -> bool:
        return code in self.messages

    def term(self, english: str, lang: str) -> str:
        return self.terms_id.get(english, english) if lang == "id" else english

    def render(self, code: str, lang: str = DEFAULT_LANG, formatter: Formatter | None = None,
               /, **params: Any) -> str:
        """Fill the template for `code` in `lang`, falling back to English, then to the
        code."""
        entry = self.messages.get(code)
        if entry is None:
            return code if not params else f"{code}: {params}"
        template = entry.get(lang) or entry[DEFAULT_LANG]
        params = {name: value.message(lang) if isinstance(value, Term) else value
                  for name, value in params.items()}
        try:
            return fill(template, lang, formatter or PLAIN, params)
        except (KeyError, IndexError, ValueError):
            return template


#: A typed placeholder: ``{name, plural, ...}``, ``{name, number}``, ...
_TYPED = re.compile(r"(?<!\{)\{(\w+),\s*(plural|number|duration|date)\s*[,}]")
_OPTION = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")


def _closing(text: str, start: int) -> int:
    """The index of the brace closing the one opened at `start`."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced braces in {text!r}")


def fill(template: str, lang: str, formatter: Formatter, params: Mapping[str, Any]) -> str:
    """`template` with its plain placeholders (``str.format``) and typed ones filled."""
    parts: list[str] = []
    position = 0
    for match in _TYPED.finditer(template):
        if match.start() < position:
            continue  # inside a typed placeholder already rendered
        parts.append(template[position:match.start()].format(**params))
        end = _closing(template, match.start())
        name, kind = match.group(1), match.group(2)
        value = params[name]
        if kind == "plural":
            parts.append(_plural(template[match.end():end], value, lang, formatter, params))
        elif kind == "number":
            parts.append(formatter.number(value, lang))
        elif kind == "duration":
            parts.append(formatter.duration(value, lang))
        else:
            parts.append(formatter.date(value, lang))
        position = end + 1
    parts.append(template[position:].format(**params))
    return "".join(parts)


def _plural(body: str, count: Any, lang: str, formatter: Formatter,
            params: Mapping[str, Any]) -> str:
    options: dict[str, str] = {}
    position = 0
    while (option := _OPTION.match(body, position)) is not None:
        end = _closing(body, option.end() - 1)
        options[option.group(1)] = body[option.end():end]
        position = end + 1
    if body[position:].strip() or "other" not in options:
        raise ValueError(f"malformed plural {body!r}: give 'one {{...}} other {{...}}'")
    number = _numeric(count)
    if number is None:  # not a count (a composed string): the 'other' form, shown as is
        return fill(options["other"].replace("#", str(count)), lang, formatter, params)
    chosen = options.get(f"={count}") or options.get(formatter.plural(number, lang)) \
        or options["other"]
    return fill(chosen.replace("#", formatter.number(number, lang)), lang, formatter, params)


def _numeric(value: Any) -> int | float | Decimal | None:
    """`value` as a number (counts sometimes arrive as text); None when it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else number


def _domain_sources() -> list[tuple[str, Messages, Mapping[str, str]]]:
    """The domain's catalogue sources: the core, user input, and each SOP stage's module."""
    from socmed_domain.access import messages as access
    from socmed_domain.crisis import messages as crisis
    from socmed_domain.evaluation import messages as evaluation
    from socmed_domain.identity import messages as identity
    from socmed_domain.identity import remote_messages
    from socmed_domain.monitoring import messages as monitoring
    from socmed_domain.monitoring import webhook_messages
    from socmed_domain.planning import messages as planning

    return [("socmed_domain.i18n", _CORE_MESSAGES, _CORE_TERMS_ID),
            ("socmed_domain.i18n (input)", _INPUT_MESSAGES, _INPUT_TERMS_ID),
            *[(stage.__name__, stage.MESSAGES, stage.TERMS_ID)
              for stage in (planning, monitoring, evaluation, crisis, webhook_messages,
                            identity, access, remote_messages)]]


class Term:
    """A word inside a message that is itself translated (an action, a verb)."""

    def __init__(self, english: str) -> None:
        self.english = english

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return CATALOGUE.term(self.english, lang)

    def __str__(self) -> str:
        return self.english


#: The domain's catalogue (front ends extend it with their own codes).
CATALOGUE = Catalogue(_domain_sources())
#: Read-only views kept for code and tests that read the catalogue directly.
MESSAGES: Mapping[str, Mapping[str, str]] = CATALOGUE.messages
TERMS_ID: Mapping[str, str] = CATALOGUE.terms_id


def render(code: str, lang: str = DEFAULT_LANG, formatter: Formatter | None = None,
           /, **params: Any) -> str:
    """Fill the domain template for `code` in `lang` (see ``Catalogue.render``)."""
    return CATALOGUE.render(code, lang, formatter, **params)
