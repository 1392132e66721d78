"""Messages (English and Bahasa Indonesia) of the access rules and of the HTTP API's edge;
merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.stale_version": {
        "en": "{kind} {ref} changed since you read it: you read version {expected}, it is now "
        "version {current}; read it again and decide on what it says now",
        "id": "{kind} {ref} sudah berubah sejak Anda membacanya: Anda membaca versi {expected}, "
        "kini versi {current}; baca ulang lalu putuskan berdasarkan isinya sekarang",
    },
    "error.not_visible": {
        "en": "{actor} ({role}) may not read {what}",
        "id": "{actor} ({role}) tidak boleh membaca {what}",
    },
    "error.sign_in_required": {
        "en": "sign in first: send a session cookie or an 'Authorization: Bearer' token",
        "id": "masuk terlebih dahulu: kirim cookie sesi atau token 'Authorization: Bearer'",
    },
    "error.csrf": {
        "en": "this change came with a session cookie but without the matching "
        "X-CSRF-Token header: send the token you received when you signed in",
        "id": "perubahan ini datang dengan cookie sesi tetapi tanpa header X-CSRF-Token yang "
        "cocok: kirim token yang Anda terima saat masuk",
    },
    "error.idempotency_reused": {
        "en": "Idempotency-Key '{key}' was already used for a different request: use a new key "
        "for a new request",
        "id": "Idempotency-Key '{key}' sudah dipakai untuk permintaan lain: gunakan kunci baru "
        "untuk permintaan baru",
    },
    "error.idempotency_pending": {
        "en": "the request with Idempotency-Key '{key}' is still being carried out: try again "
        "in a moment",
        "id": "permintaan dengan Idempotency-Key '{key}' masih dikerjakan: coba lagi sebentar "
        "lagi",
    },
    "error.invalid_choice_web": {
        "en": "{field} '{value}' is not one of: {choices}",
        "id": "{field} '{value}' bukan salah satu dari: {choices}",
    },
    "error.bad_request": {
        "en": "the request is malformed: {detail}",
        "id": "permintaan salah bentuk: {detail}",
    },
    "error.route_not_found": {
        "en": "no such resource: see /api/schema for what the API offers",
        "id": "sumber daya tidak ada: lihat /api/schema untuk isi API",
    },
    "error.method_not_allowed": {
        "en": "this resource does not accept {method}",
        "id": "sumber daya ini tidak menerima {method}",
    },
    "error.precondition_required": {
        "en": "this change needs an If-Match header with the version you read (the ETag of "
        "the resource)",
        "id": "perubahan ini memerlukan header If-Match berisi versi yang Anda baca (ETag "
        "sumber daya)",
    },
    "error.internal": {
        "en": "the server could not complete the request; it has been logged as {incident}",
        "id": "server tidak dapat menyelesaikan permintaan; telah dicatat sebagai {incident}",
    },
    "error.body_too_large": {
        "en": "the request body is larger than the server accepts",
        "id": "isi permintaan lebih besar dari yang diterima server",
    },
}

#: Words inside these messages, in Bahasa Indonesia (English is the key).
TERMS_ID: dict[str, str] = {
    "the audit log": "log audit",
    "the inbox": "kotak masuk",
    "incidents": "insiden",
    "reports": "laporan",
    "metrics": "metrik",
    "the publication log": "log publikasi",
    "the strategy": "strategi",
    "the team": "tim",
    "projections": "proyeksi",
    "content of other campaigns": "konten kampanye lain",
    "content": "konten",
    "campaign": "kampanye",
    "strategy": "strategi",
    "incident": "insiden",
    "conversation": "percakapan",
}
