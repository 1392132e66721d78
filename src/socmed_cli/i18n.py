"""The CLI's messages, table headings and code values, registered in the one catalogue.

They are catalogue sources in the domain's shape (``TEXTS``: code -> {"en", "id"}); table
headings and code values, which the tables look up by their English text or stored code, are
registered as the codes ``header.<English heading>`` and ``value.<code>``. ``catalogue()`` is
the domain catalogue extended with them (a code defined twice is refused), and ``t`` renders
with Babel's numbers and plural rules. The language is the invocation's ``CliState.lang``,
which comes from --lang, $SOCMED_LANG or the locale ($LC_ALL, $LC_MESSAGES, $LANG starting
with 'id').
"""

from __future__ import annotations

import os
import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socmed_domain.i18n import Catalogue

TEXTS: dict[str, dict[str, str]] = {
    "doctor_clean": {"en": "no value outside the documented bounds in {events} events",
                     "id": "tidak ada nilai di luar batas yang didokumentasikan dalam "
                           "{events} event"},
    "doctor_found": {"en": "{count, plural, one {# value} other {# values}} outside the "
                           "documented bounds in {events} events "
                           "(docs/decisions.md, 'Bounds of times and numbers')",
                     "id": "{count} nilai di luar batas yang didokumentasikan dalam {events} "
                           "event (docs/decisions.md, 'Bounds of times and numbers')"},
    "doctor_fix_content": {
        "en": "never published at that slot: reschedule it (socmed content schedule) or "
              "withdraw it",
        "id": "tidak pernah dipublikasikan pada jadwal itu: jadwalkan ulang (socmed content "
              "schedule) atau tarik"},
    "doctor_fix_campaign": {
        "en": "shown with (!), a KPI target out of bounds is left out of reports: revise the "
              "plan (socmed campaign revise) or cancel it",
        "id": "ditampilkan dengan (!), target KPI di luar batas tidak dimasukkan ke laporan: "
              "revisi rencananya (socmed campaign revise) atau batalkan"},
    "doctor_fix_strategy": {
        "en": "a KPI target out of bounds is left out of reports: revise the strategy "
              "(socmed strategy revise)",
        "id": "target KPI di luar batas tidak dimasukkan ke laporan: revisi strategi "
              "(socmed strategy revise)"},
    "doctor_fix_inbox": {
        "en": "shown with (!) and clamped in the inbox; nothing to do unless the source "
              "sends it again with a correct time",
        "id": "ditampilkan dengan (!) dan dibatasi di inbox; tidak perlu tindakan kecuali "
              "sumber mengirim ulang dengan waktu yang benar"},
    "doctor_fix_metrics": {
        "en": "clamped in the read models: import a corrected snapshot (socmed metrics import)",
        "id": "dibatasi di read model: impor snapshot yang benar (socmed metrics import)"},
    "doctor_fix_incident": {
        "en": "shown with (!): record the correct time in a note on the incident",
        "id": "ditampilkan dengan (!): catat waktu yang benar dalam catatan insiden"},
    "doctor_fix_other": {
        "en": "shown with (!) where it is read; record a correcting event",
        "id": "ditampilkan dengan (!) di tempat dibaca; catat event koreksi"},
    "show_status": {"en": "status: {status}   version: {version}   created by {who} at {at}",
                    "id": "status: {status}   versi: {version}   dibuat oleh {who} pada {at}"},
    "show_revision": {"en": "revision {number} by {who}  sha256 {sha}",
                      "id": "revisi {number} oleh {who}  sha256 {sha}"},
    "show_type": {"en": "type: {type}  sponsored: {sponsored}  planned for: {planned}",
                  "id": "jenis: {type}  bersponsor: {sponsored}  direncanakan untuk: {planned}"},
    "show_disclosure": {"en": "own brand: {own_brand}  AI-generated: {ai}",
                        "id": "merek sendiri: {own_brand}  dibuat dengan AI: {ai}"},
    "show_media_probe": {"en": "  read from the bytes: {type} {size} {bytes} bytes {seconds} s "
                         "sha256 {sha}",
                         "id": "  dibaca dari isinya: {type} {size} {bytes} bita {seconds} "
                         "detik sha256 {sha}"},
    "show_review_passed": {"en": "review of revision {number}: passed",
                           "id": "review revisi {number}: lolos"},
    "show_review_failed": {"en": "review of revision {number}: changes requested",
                           "id": "review revisi {number}: perlu perubahan"},
    "show_approved": {"en": "approved by {who} at {at}: revision {number} sha256 {sha}",
                      "id": "disetujui oleh {who} pada {at}: revisi {number} sha256 {sha}"},
    "show_slot": {"en": "slot: {at} on {platforms}", "id": "jadwal: {at} di {platforms}"},
    "show_publication": {"en": "{platform}: {state} (attempts {attempts}) {where}",
                         "id": "{platform}: {state} (percobaan {attempts}) {where}"},
    "show_comment": {"en": "last comment: {comment}", "id": "komentar terakhir: {comment}"},
    "campaign_planned": {"en": "Planned campaign {id}: the Marketing Manager approves it.",
                         "id": "Kampanye {id} direncanakan: Manajer Pemasaran menyetujuinya."},
    "campaign_approved": {"en": "Approved campaign {id}.", "id": "Kampanye {id} disetujui."},
    "campaign_started": {"en": "Started campaign {id}.", "id": "Kampanye {id} dimulai."},
    "campaign_completed": {"en": "Completed campaign {id}.", "id": "Kampanye {id} selesai."},
    "campaign_cancelled": {"en": "Cancelled campaign {id}.", "id": "Kampanye {id} dibatalkan."},
    "agency_assigned": {"en": "Assigned {member} to campaign {id}.",
                        "id": "{member} ditugaskan ke kampanye {id}."},
    "agency_unassigned": {"en": "Removed {member} from campaign {id}.",
                          "id": "{member} dilepas dari kampanye {id}."},
    "campaign_revised": {"en": "Revised the plan of campaign {id}.",
                         "id": "Rencana kampanye {id} direvisi."},
    "strategy_drafted": {"en": "Drafted strategy version 1: submit it with 'socmed strategy "
                               "submit'.",
                         "id": "Strategi versi 1 disusun: ajukan dengan 'socmed strategy "
                               "submit'."},
    "strategy_edited": {"en": "Edited strategy version {version}.",
                        "id": "Strategi versi {version} diubah."},
    "strategy_submitted": {"en": "Submitted strategy version {version}: the Marketing Manager "
                                 "approves it.",
                           "id": "Strategi versi {version} diajukan: Manajer Pemasaran "
                                 "menyetujuinya."},
    "strategy_approved": {"en": "Strategy version {version} is in force.",
                          "id": "Strategi versi {version} kini berlaku."},
    "strategy_sent_back": {"en": "Sent strategy version {version} back.",
                           "id": "Strategi versi {version} dikembalikan."},
    "strategy_revision": {"en": "Started strategy version {version}; version {in_force} stays "
                                "in force until it is approved.",
                          "id": "Strategi versi {version} dimulai; versi {in_force} tetap "
                                "berlaku sampai versi baru disetujui."},
    "ideas_planned": {"en": "Planned {count, plural, one {# idea} other {# ideas}} for {month}.",
                      "id": "{count} ide direncanakan untuk {month}."},
    "ideas_dry_run": {"en": "Would plan {count, plural, one {# idea} other {# ideas}} for {month} "
                            "(dry run: nothing written).",
                      "id": "Akan merencanakan {count} ide untuk {month} (uji coba: tidak ada "
                            "yang ditulis)."},
    "slot_planned": {"en": "Planned {id} for {at} on {platforms}.",
                     "id": "{id} direncanakan pada {at} di {platforms}."},
    "incident_opened": {"en": "Opened incident {id}; the impact matrix suggests level {level}:",
                        "id": "Insiden {id} dibuka; matriks dampak menyarankan level {level}:"},
    "incident_opened_no_signals": {
        "en": "Opened incident {id}; no measurement given: the Marketing Manager classifies it "
              "with a reason.",
        "id": "Insiden {id} dibuka; tanpa data pengukuran: Manajer Pemasaran "
              "mengklasifikasikannya dengan alasan."},
    "incident_classified": {"en": "Classified {id} at level {level}; publishing frozen: {frozen}.",
                            "id": "{id} diklasifikasikan level {level}; publikasi dibekukan: "
                                  "{frozen}."},
    "incident_escalated": {"en": "Escalated {id} to {target}.",
                           "id": "{id} dieskalasi ke {target}."},
    "incident_acknowledged": {"en": "Acknowledged the escalation of {id} to {target}.",
                              "id": "Eskalasi {id} ke {target} diakui."},
    "incident_action": {"en": "Logged {kind} on {id}.", "id": "{kind} dicatat pada {id}."},
    "incident_statement": {"en": "Content {content} is the official statement of {id}.",
                           "id": "Konten {content} adalah pernyataan resmi {id}."},
    "incident_frozen": {"en": "Publishing is frozen by {id}.",
                        "id": "Publikasi dibekukan oleh {id}."},
    "incident_released": {"en": "Released the publishing freeze of {id}.",
                          "id": "Pembekuan publikasi {id} dicabut."},
    "incident_resolved": {"en": "Resolved {id}: record the post-incident review next.",
                          "id": "{id} selesai: catat tinjauan pasca-insiden berikutnya."},
    "incident_reviewed": {"en": "Recorded the review of {id}.",
                          "id": "Tinjauan {id} dicatat."},
    "incident_closed": {"en": "Closed {id}.", "id": "{id} ditutup."},
    "incident_pdp": {"en": "Recorded the UU PDP notice of {id} to {recipient}.",
                     "id": "Pemberitahuan UU PDP {id} kepada {recipient} dicatat."},
    "report_written": {"en": "Wrote {path}.", "id": "{path} ditulis."},
    "metrics_imported": {"en": "Recorded {recorded, plural, one {# snapshot} other {# "
                               "snapshots}}; skipped {skipped} that said "
                               "nothing new; {series} new series.",
                         "id": "{recorded} snapshot dicatat; {skipped} dilewati karena tidak ada "
                               "yang baru; {series} seri baru."},
    "metrics_fetched": {"en": "Fetched insights of {posts, plural, one {# post} other {# "
                              "posts}} on {platforms}, measured at "
                              "{at}: recorded {recorded, plural, one {# snapshot} other {# "
                              "snapshots}}; skipped {skipped} that "
                              "said nothing new; {missing, plural, one {# post} other {# "
                              "posts}} without insights (gone, or "
                              "not ready yet).",
                        "id": "Insight {posts} postingan di {platforms} diambil, diukur pada "
                              "{at}: {recorded} snapshot dicatat; {skipped} dilewati karena "
                              "tidak ada yang baru; {missing} postingan tanpa insight (sudah "
                              "dihapus, atau belum tersedia)."},
    "metrics_unread": {"en": "Not fetched (no credentials configured): {platforms}.",
                       "id": "Tidak diambil (kredensial belum dikonfigurasi): {platforms}."},
    "evaluation_recorded": {"en": "Recorded evaluation {ref} of strategy version {version}. "
                                  "Adjust the strategy with 'socmed strategy revise --file "
                                  "FILE --reason ... --evaluation {ref}'.",
                            "id": "Evaluasi {ref} atas strategi versi {version} dicatat. "
                                  "Sesuaikan strategi dengan 'socmed strategy revise --file "
                                  "FILE --reason ... --evaluation {ref}'."},
    "error": {"en": "error", "id": "galat"},
    # inbox show (a conversation's timeline)
    "inbox_show_header": {
        "en": "{ref} {platform} @{author} ({name}): {status}, {priority}, assigned to "
              "{assignee}, tags {tags}",
        "id": "{ref} {platform} @{author} ({name}): {status}, {priority}, ditugaskan ke "
              "{assignee}, label {tags}"},
    "inbox_show_reply": {"en": "reply", "id": "balasan"},
    "inbox_show_held_reply": {"en": "held reply", "id": "balasan ditahan"},
    "inbox_show_note": {"en": "note", "id": "catatan"},
    "inbox_show_sla": {"en": "sla {clock}", "id": "sla {clock}"},
    "inbox_show_approved_by": {"en": "approved by {who}", "id": "disetujui oleh {who}"},
    "inbox_show_waiting": {"en": "waiting for approval (incident {incident})",
                           "id": "menunggu persetujuan (insiden {incident})"},
    "inbox_show_priority": {"en": "priority {priority}", "id": "prioritas {priority}"},
    "platform_rules_title": {"en": "rules {version}", "id": "aturan {version}"},
    # campaign show
    "campaign_show_status": {"en": "status: {status}   {start} - {end}   budget: IDR "
                                   "{budget, number}",
                             "id": "status: {status}   {start} - {end}   anggaran: Rp "
                                   "{budget, number}"},
    "campaign_show_platforms": {"en": "platforms: {platforms}   agencies: {agencies}",
                                "id": "platform: {platforms}   agensi: {agencies}"},
    "campaign_show_planned": {"en": "planned by {planned_by}; approved by {approved_by}",
                              "id": "direncanakan oleh {planned_by}; disetujui oleh "
                                    "{approved_by}"},
    "campaign_show_kpi": {"en": "KPI: {metric} >= {target} ({period}, {where})",
                          "id": "KPI: {metric} >= {target} ({period}, {where})"},
    # strategy show
    "strategy_show_version": {"en": "version {version} ({status})",
                              "id": "versi {version} ({status})"},
    "strategy_show_drafted": {
        "en": "drafted by {drafted_by} at {drafted_at}; approved by {approved_by} {approved_at}",
        "id": "disusun oleh {drafted_by} pada {drafted_at}; disetujui oleh {approved_by} "
              "{approved_at}"},
    "strategy_show_reason": {"en": "reason: {reason}", "id": "alasan: {reason}"},
    "strategy_show_goals": {"en": "goals: {goals}", "id": "tujuan: {goals}"},
    "strategy_show_kpi": {"en": "KPI: {metric} >= {target} per {period} ({where})",
                          "id": "KPI: {metric} >= {target} per {period} ({where})"},
    "all_platforms": {"en": "all platforms", "id": "semua platform"},
    "strategy_show_platform": {"en": "platform: {platform}, {per_week}/week: {reason}",
                               "id": "platform: {platform}, {per_week}/minggu: {reason}"},
    "strategy_show_audience": {"en": "audience: {name} ({age_band}, {where}; {channels}; "
                                     "{hours})",
                               "id": "audiens: {name} ({age_band}, {where}; {channels}; "
                                     "{hours})"},
    "strategy_show_key_message": {"en": "key message: {message}",
                                  "id": "pesan utama: {message}"},
    "strategy_show_voice": {"en": "tone: {tone}; avoid: {avoid}; disclosures: {disclosures}",
                            "id": "nada: {tone}; hindari: {avoid}; pengungkapan: "
                                  "{disclosures}"},
    "database_failed": {
        "en": "the database refused or failed: {detail}; check that it runs and that "
              "--database-url / --data-dir point at a socmed store",
        "id": "basis data menolak atau gagal: {detail}; periksa bahwa basis data berjalan dan "
              "--database-url / --data-dir menunjuk ke penyimpanan socmed"},
    "internal_error": {
        "en": "internal error ({kind}: {detail}); nothing further was written; rerun with "
              "SOCMED_DEBUG=1 for the traceback and report it",
        "id": "galat internal ({kind}: {detail}); tidak ada lagi yang ditulis; jalankan ulang "
              "dengan SOCMED_DEBUG=1 untuk traceback lalu laporkan"},
    "arg_position": {"en": "argument {n}", "id": "argumen ke-{n}"},
    "audit_intact": {"en": "chain intact: {checked} events, head {head} {link}",
                     "id": "rantai utuh: {checked} event, ujung {head} {link}"},
    "audit_links": {"en": "links: {mode}", "id": "tautan: {mode}"},
    "audit_signed": {"en": "signed checkpoints checked: {signed}",
                     "id": "checkpoint bertanda tangan diperiksa: {signed}"},
    "audit_witnessed": {"en": "witnessed up to position {witnessed}",
                        "id": "disaksikan sampai posisi {witnessed}"},
    "audit_broken": {"en": "audit chain broken: first at position {position} ({kind}: "
                           "{detail}); {total, plural, one {# problem} other {# problems}} in all",
                     "id": "rantai audit rusak: pertama di posisi {position} ({kind}: "
                           "{detail}); {total} masalah seluruhnya"},
    "audit_note_unchecked": {"en": "note: {count, plural, one {# signed checkpoint} other {# "
                                   "signed checkpoints}} in "
                                   "the store not "
                                   "checked: give --public-key",
                             "id": "catatan: {count} checkpoint bertanda tangan di penyimpanan "
                                   "tidak diperiksa: berikan --public-key"},
    "audit_note_unmarked": {"en": "note: the store does not record its key yet (written "
                                  "before keyed stores did); its next write records it",
                            "id": "catatan: penyimpanan belum mencatat kuncinya (ditulis "
                                  "sebelum fitur ini); penulisan berikutnya mencatatnya"},
    "audit_keygen": {"en": "checkpoint signing key {private} (keep it off the database "
                           "host's backups; mode 0600) and public key {public} (give it to "
                           "Legal and the auditors)",
                     "id": "kunci penanda tangan checkpoint {private} (jauhkan dari cadangan "
                           "host basis data; mode 0600) dan kunci publik {public} (berikan ke "
                           "Legal dan auditor)"},
    "audit_checkpoint": {"en": "signed checkpoint at position {position} ({link}){witness}",
                         "id": "checkpoint bertanda tangan di posisi {position} "
                               "({link}){witness}"},
    "audit_checkpoint_exists": {"en": "position {position} already has a signed checkpoint",
                                "id": "posisi {position} sudah memiliki checkpoint bertanda "
                                      "tangan"},
    "audit_empty": {"en": "the store holds no events yet: nothing to sign",
                    "id": "penyimpanan belum berisi event: tidak ada yang ditandatangani"},
    "read_models_ok": {"en": "read models match a rebuild: {tables} tables, {rows} rows, "
                             "position {position}",
                       "id": "read model sama dengan hasil bangun ulang: {tables} tabel, "
                             "{rows} baris, posisi {position}"},
    "read_models_differ": {"en": "read model {projection} differs from a rebuild from the "
                                 "events: {detail} ({count, plural, one {# table differs} other "
                                 "{# tables differ}}); run 'socmed "
                                 "projections rebuild {projection}'",
                           "id": "read model {projection} berbeda dari hasil bangun ulang "
                                 "dari event: {detail} ({count} tabel berbeda); jalankan "
                                 "'socmed projections rebuild {projection}'"},
    "no_store": {
        "en": "no socmed store in {path}: run 'socmed init' (or 'socmed demo') first, "
        "or point --data-dir / SOCMED_HOME at an existing one",
        "id": "tidak ada penyimpanan socmed di {path}: jalankan 'socmed init' (atau "
        "'socmed demo') dulu, atau arahkan --data-dir / SOCMED_HOME ke yang sudah ada",
    },
    "no_actor": {
        "en": "who is acting? give --as MEMBER or set SOCMED_USER (see 'socmed team list')",
        "id": "siapa yang bertindak? berikan --as ANGGOTA atau set SOCMED_USER "
        "(lihat 'socmed team list')",
    },
    "initialised": {
        "en": "Initialised {org} in {path} with Marketing Manager {member}.",
        "id": "{org} diinisialisasi di {path} dengan Manajer Pemasaran {member}.",
    },
    "member_added": {"en": "Added {member} as {role}.",
                     "id": "{member} ditambahkan sebagai {role}."},
    "role_changed": {"en": "{member} is now {role}.", "id": "{member} sekarang {role}."},
    "deactivated": {"en": "Deactivated {member}.", "id": "{member} dinonaktifkan."},
    "created": {"en": "Created content {id} ({status}).", "id": "Konten {id} dibuat ({status})."},
    "revised": {
        "en": "Saved revision {revision} of {id} (sha256 {hash}); any approval is void.",
        "id": "Revisi {revision} dari {id} disimpan (sha256 {hash}); persetujuan sebelumnya batal.",
    },
    "submitted_review": {"en": "Submitted {id} for internal review.",
                         "id": "{id} diajukan untuk review internal."},
    "review_passed": {"en": "Review of {id} passed: ready to submit for approval.",
                      "id": "Review {id} lolos: siap diajukan untuk persetujuan."},
    "review_failed": {"en": "Review of {id} did not pass ({count, plural, one {# finding} other "
                            "{# findings}}); changes requested:",
                      "id": "Review {id} tidak lolos ({count} temuan); perubahan diminta:"},
    "submitted_approval": {"en": "Submitted {id} for approval.",
                           "id": "{id} diajukan untuk persetujuan."},
    "approved": {"en": "Approved {id} revision sha256 {hash}.",
                 "id": "{id} disetujui, revisi sha256 {hash}."},
    "changes_requested": {"en": "Requested changes to {id}.",
                          "id": "Perubahan diminta untuk {id}."},
    "scheduled": {"en": "Scheduled {id} for {at} on {platforms}.",
                  "id": "{id} dijadwalkan pada {at} di {platforms}."},
    "withdrawn": {"en": "Withdrew {id}.", "id": "{id} ditarik."},
    "archived": {"en": "Archived {id}.", "id": "{id} diarsipkan."},
    "reconciled": {"en": "Settled {id} on {platform}.", "id": "{id} di {platform} diselesaikan."},
    "nothing_due": {"en": "Nothing is due.", "id": "Tidak ada yang jatuh tempo."},
    "demo_not_empty": {
        "en": "{path} already holds a socmed store: run the demo with --data-dir on an empty "
        "folder, or add --reset to replace a store the demo made",
        "id": "{path} sudah berisi penyimpanan socmed: jalankan demo dengan --data-dir ke folder "
        "kosong, atau tambahkan --reset untuk mengganti penyimpanan buatan demo",
    },
    "demo_reset_refused": {
        "en": "{path} holds a store the demo did not make: it is never deleted; use another "
        "--data-dir",
        "id": "{path} berisi penyimpanan yang bukan buatan demo: tidak akan dihapus; gunakan "
        "--data-dir lain",
    },
    "yes": {"en": "yes", "id": "ya"},
    "no": {"en": "no", "id": "tidak"},
}


HEADERS_ID: dict[str, str] = {
    # stage 4 and 5 tables, platform rules, templates
    "Assignee": "Penanggung jawab", "Attendees": "Peserta", "Campaign id": "ID kampanye",
    "Caption max": "Keterangan maks.", "Counting": "Cara hitung", "Daily quota": "Kuota harian",
    "Day": "Hari", "Decisions": "Keputusan", "Engagement rate %": "Tingkat interaksi %",
    "Findings": "Temuan", "Hashtags": "Tagar", "Held": "Ditahan", "Image MB": "Gambar MB",
    "Image aspect": "Rasio gambar", "Lang": "Bahasa", "Last message": "Pesan terakhir",
    "Links": "Tautan", "Media kinds": "Jenis media", "Media max": "Media maks.",
    "Mentions": "Mention", "Placeholders": "Isian", "Posts": "Unggahan",
    "Priority": "Prioritas", "Received": "Diterima", "Ref": "Ref", "Report": "Laporan",
    "Requires media": "Wajib media", "Revision": "Revisi", "SLA": "SLA",
    "SLA breaches": "Pelanggaran SLA", "Section": "Bagian", "Sentiment": "Sentimen",
    "Source": "Sumber", "Tags": "Label", "Template": "Templat", "Text": "Teks",
    "Value": "Nilai", "Video (s)": "Video (dtk)", "Video MB": "Video MB",
    "Field": "Kolom", "What to do": "Yang perlu dilakukan",
    "Video aspect": "Rasio video", "What": "Apa", "When": "Kapan", "Who": "Siapa",
    "Start": "Mulai", "End": "Selesai", "Budget (IDR)": "Anggaran (Rp)", "Agencies": "Agensi",
    "#": "#", "Active": "Aktif", "Actor": "Pelaku", "Aggregate id": "Id agregat",
    "Aggregate": "Agregat", "Approved at": "Disetujui pada", "Approved by": "Disetujui oleh",
    "At": "Waktu", "Author": "Penulis", "Body SHA-256": "SHA-256 isi", "Campaign": "Kampanye",
    "Count": "Jumlah", "Detail": "Rincian", "Event type": "Jenis peristiwa",
    "Event": "Peristiwa", "Granted by": "Diberikan oleh", "Head": "Ujung log", "ID": "ID",
    "Item": "Konten", "Key": "Kunci", "Kind": "Jenis", "Lag": "Tertinggal", "Member": "Anggota",
    "Name": "Nama", "Needs rebuild": "Perlu dibangun ulang", "Outcome": "Hasil",
    "Platform": "Platform", "Platforms": "Platform", "Position": "Posisi",
    "Post id": "Id postingan", "Projection": "Proyeksi", "Published by": "Dipublikasikan oleh",
    "Published on": "Terbit di", "Published": "Terbit", "Reason / comment": "Alasan / komentar",
    "Rev": "Rev", "Revision SHA-256": "SHA-256 revisi", "Role": "Peran", "SHA-256": "SHA-256",
    "Slot": "Jadwal", "Status": "Status", "Summary": "Ringkasan", "Title": "Judul",
    "URL": "URL", "Updated": "Diperbarui", "Version": "Versi", "Role title": "Jabatan",
    "Date": "Tanggal", "Time": "Jam", "State": "Keadaan", "Special": "Khusus",
    "Period": "Periode", "Target": "Target", "Drafted by": "Disusun oleh",
    "Drafted at": "Disusun pada", "In force": "Berlaku", "Superseded": "Digantikan",
    "Reason": "Alasan", "Evaluation": "Evaluasi", "Category": "Kategori", "Level": "Level",
    "Freezing": "Membekukan", "Opened": "Dibuka", "UU PDP": "UU PDP",
}


#: Columns whose cells are codes (statuses, kinds, outcomes): a table shows them in the
#: reader's language; json and csv keep the codes, which are also what filters take.
CODE_COLUMNS = frozenset({"status", "state", "kind", "outcome", "sentiment", "priority",
                          "category", "pdp"})

VALUES_ID: dict[str, str] = {
    # content (SOP stages 2 and 3)
    "idea": "ide", "draft": "draf", "in_review": "sedang direview",
    "reviewed": "sudah direview", "awaiting_approval": "menunggu persetujuan",
    "changes_requested": "perlu perubahan", "approved": "disetujui",
    "scheduled": "terjadwal", "publishing": "sedang terbit", "published": "terbit",
    "failed": "gagal", "expired": "kedaluwarsa", "withdrawn": "ditarik",
    "archived": "diarsipkan",
    # publication outcomes
    "attempting": "sedang dicoba", "failed_retryable": "gagal, dapat diulang",
    "unknown": "belum pasti", "held": "ditahan", "deferred": "ditunda",
    "blocked": "diblokir", "skipped": "dilewati",
    # the calendar
    "post": "unggahan", "holiday": "hari libur", "cuti_bersama": "cuti bersama",
    "commercial": "tanggal komersial", "observance": "hari peringatan",
    "planned": "direncanakan", "gap": "kekurangan", "clash": "bentrok",
    # campaigns and the strategy
    "running": "berjalan", "completed": "selesai", "cancelled": "dibatalkan",
    "submitted": "diajukan", "sent_back": "dikembalikan", "in_force": "berlaku",
    "superseded": "digantikan", "abandoned": "ditinggalkan", "month": "bulan", "week": "minggu",
    "day": "hari", "quarter": "kuartal", "year": "tahun", "campaign": "kampanye",
    "pending": "menunggu", "at_risk": "berisiko", "met": "terpenuhi", "breached": "terlewat",
    # the inbox (SOP stage 4)
    "received": "diterima", "assigned": "ditugaskan", "replied": "dibalas",
    "closed": "ditutup", "comment": "komentar", "direct_message": "pesan langsung",
    "mention": "mention", "positive": "positif", "negative": "negatif",
    "neutral": "netral", "urgent": "mendesak", "high": "tinggi", "normal": "normal",
    "low": "rendah",
    # incidents (SOP stage 6): status, category, UU PDP notices
    "open": "terbuka", "resolved": "teratasi",
    "complaint_wave": "gelombang keluhan", "misinformation": "misinformasi",
    "sensitive_issue": "isu sensitif (SARA)", "product_safety": "keamanan produk",
    "legal_threat": "ancaman hukum", "personal_data_breach": "kebocoran data pribadi",
    "account_compromise": "akun dibobol", "employee_conduct": "perilaku karyawan",
    "other": "lainnya", "not_applicable": "tidak berlaku", "overdue": "lewat tenggat",
    "missed": "terlambat",
}


def _heading_and_value_codes() -> dict[str, dict[str, str]]:
    codes = {f"header.{english}": {"en": english, "id": indonesian}
             for english, indonesian in HEADERS_ID.items()}
    codes.update({f"value.{code}": {"en": code, "id": indonesian}
                  for code, indonesian in VALUES_ID.items()})
    return codes


@cache
def catalogue() -> Catalogue:
    """The one catalogue: the domain's and the reports' codes plus the CLI's (built once, on
    first use, so ``socmed --help`` does not load it)."""
    from socmed_adapters.i18n import catalogue as adapters_catalogue
    from socmed_cli.click_messages import CLICK_MESSAGES

    return adapters_catalogue().extended("socmed_cli.i18n", {**TEXTS, **_heading_and_value_codes(),
                                                  **CLICK_MESSAGES})


def code_value(column: str, value: str, lang: str) -> str:
    """A code cell of a table in the reader's language; other cells as they are."""
    if column not in CODE_COLUMNS or f"value.{value}" not in catalogue():
        return value
    return t(f"value.{value}", lang)


def header(text: str, lang: str) -> str:
    """A table heading in the reader's language (json and csv keep their stable keys)."""
    return t(f"header.{text}", lang) if f"header.{text}" in catalogue() else text


def detect_lang(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("SOCMED_LANG")
    if env in ("en", "id"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "id" if value.lower().startswith(("id", "in_")) else "en"
    return "en"


def t(key: str, lang: str, **params: object) -> str:
    """Render `key` from the one catalogue in `lang`, with Babel's numbers and plurals."""
    from socmed_adapters.i18n import BABEL

    if key not in catalogue():
        raise KeyError(f"no message {key} in the catalogue")
    return catalogue().render(key, lang, BABEL, **params)

@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    from socmed_cli.click_messages import CLICK_MESSAGES

    for code, texts in CLICK_MESSAGES.items():
        pieces = re.split(r"\{(\w+)\}", texts["en"])
        regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.*?)"
                        for index, piece in enumerate(pieces))
        compiled.append((code, re.compile(f"^{regex}$", re.DOTALL)))
    return tuple(compiled)


def translate_click(message: str, lang: str) -> str:
    """click's English `message` in `lang` (as it is when no template matches)."""
    if lang == "en" or not message:
        return message
    from socmed_cli.click_messages import KINDS, NESTED

    for code, pattern in _patterns():
        match = pattern.match(message)
        if match is None:
            continue
        params = {name: translate_click(value, lang) if name in NESTED else value
                  for name, value in match.groupdict().items()}
        if params.get("rest", "").strip():
            params["rest"] = " " + params["rest"].strip()
        if code == "click.not_valid":
            kind = params["type"].removesuffix(" range")
            if kind in ("integer", "float"):
                params["type"] = t(f"click.type_{kind}", lang)
        if "kind" in params and params["kind"] in KINDS:
            params["kind"] = t(KINDS[params["kind"]], lang)
        return t(code, lang, **params)
    return message
