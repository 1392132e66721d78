"""Messages of the durable webhook inbox, its HTTP endpoints and its worker (plain data)."""

from __future__ import annotations

from collections.abc import Mapping

MESSAGES: dict[str, Mapping[str, str]] = {
    "webhooks.recorded": {
        "en": "{platform}: delivery {delivery} recorded",
        "id": "{platform}: kiriman {delivery} dicatat",
    },
    # The refusals of the HTTP endpoints: the delivery is kept (as refused, for the audit of
    # who sent what), never processed into the inbox.
    "error.webhooks_unsigned": {
        "en": "webhook from {platform} refused: the {header} header is missing; kept as "
        "refused, never processed",
        "id": "webhook dari {platform} ditolak: header {header} tidak ada; disimpan sebagai "
        "ditolak, tidak pernah diproses",
    },
    "error.webhooks_bad_signature": {
        "en": "webhook from {platform} refused: the {header} signature does not match the body "
        "and the app secret; kept as refused, never processed",
        "id": "webhook dari {platform} ditolak: tanda tangan {header} tidak cocok dengan isi "
        "dan app secret; disimpan sebagai ditolak, tidak pernah diproses",
    },
    "error.webhooks_stale": {
        "en": "webhook from {platform} refused: signed {age} s away from now (more than "
        "{tolerance} s, a replay?); kept as refused, never processed",
        "id": "webhook dari {platform} ditolak: ditandatangani {age} detik dari sekarang (lebih "
        "dari {tolerance} detik, pengiriman ulang?); disimpan sebagai ditolak, tidak pernah "
        "diproses",
    },
    "error.webhooks_payload": {
        "en": "webhook from {platform} not read ({detail}); kept as refused, never processed",
        "id": "webhook dari {platform} tidak terbaca ({detail}); disimpan sebagai ditolak, "
        "tidak pernah diproses",
    },
    "error.webhooks_busy": {
        "en": "too many deliveries at once (more than {limit}); nothing was stored, the "
        "platform will deliver it again",
        "id": "terlalu banyak kiriman sekaligus (lebih dari {limit}); tidak ada yang disimpan, "
        "platform akan mengirimkannya lagi",
    },
    "webhooks.serving": {
        "en": "Deliveries are recorded, then processed by a worker in this process.",
        "id": "Kiriman dicatat, lalu diproses oleh worker di proses ini.",
    },
    "webhooks.no_worker": {
        "en": "Deliveries are recorded only: run 'socmed worker' to process them.",
        "id": "Kiriman hanya dicatat: jalankan 'socmed worker' untuk memprosesnya.",
    },
    "worker.processed": {
        "en": "delivery {delivery} ({platform}): {new} new, "
        "{duplicates, plural, one {# duplicate} other {# duplicates}} of {received}; "
        "{skipped} skipped, {unread} without text",
        "id": "kiriman {delivery} ({platform}): {new} baru, {duplicates} duplikat dari "
        "{received}; {skipped} dilewati, {unread} tanpa teks",
    },
    "worker.pass": {
        "en": "Processed {done, plural, one {# delivery} other {# deliveries}}; {retrying} to "
        "retry later, {failed} failed.",
        "id": "{done} kiriman diproses; {retrying} dicoba lagi nanti, {failed} gagal.",
    },
    "worker.started": {
        "en": "Processing webhook deliveries as {member}; stop with Ctrl+C or SIGTERM.",
        "id": "Memproses kiriman webhook sebagai {member}; hentikan dengan Ctrl+C atau SIGTERM.",
    },
    "worker.stopped": {
        "en": "Worker stopped: the delivery in hand was finished.",
        "id": "Worker berhenti: kiriman yang sedang diproses sudah selesai.",
    },
    "worker.status": {
        "en": "Webhook deliveries: {pending} pending, {done} done, {failed} failed, "
        "{refused} refused.",
        "id": "Kiriman webhook: {pending} menunggu, {done} selesai, {failed} gagal, "
        "{refused} ditolak.",
    },
    "worker.status_oldest": {
        "en": "Oldest pending delivery received {when}.",
        "id": "Kiriman menunggu tertua diterima {when}.",
    },
    "worker.status_row": {
        "en": "  #{delivery} {platform}, {attempts} attempts, {kind}: {error}",
        "id": "  #{delivery} {platform}, {attempts} percobaan, {kind}: {error}",
    },
    "worker.retried": {
        "en": "{count, plural, one {# failed delivery} other {# failed deliveries}} put back "
        "to be processed.",
        "id": "{count} kiriman gagal dikembalikan untuk diproses.",
    },
}

TERMS_ID: dict[str, str] = {}
