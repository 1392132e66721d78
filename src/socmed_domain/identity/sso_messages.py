"""Messages (English and Bahasa Indonesia) of single sign-on; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle. The codes the
relying party and the web routes raise (`error.sso_login_*`) live here too: one catalogue.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.sso_bad_issuer": {
        "en": "'{value}' is not an OpenID Connect issuer: give its https URL (plain http only "
        "on 127.0.0.1 or localhost)",
        "id": "'{value}' bukan issuer OpenID Connect: berikan URL https-nya (http biasa hanya "
        "di 127.0.0.1 atau localhost)",
    },
    "error.sso_bad_subject": {
        "en": "'{value}' is not a subject identifier: give the provider's 'sub' (1 to 255 "
        "printable characters)",
        "id": "'{value}' bukan pengenal subjek: berikan 'sub' dari penyedia (1 sampai 255 "
        "karakter yang dapat dicetak)",
    },
    "error.sso_subject_taken": {
        "en": "the subject '{subject}' is already linked to member {member}",
        "id": "subjek '{subject}' sudah ditautkan ke anggota {member}",
    },
    "error.sso_not_configured": {
        "en": "single sign-on is not configured on this server (set SOCMED_OIDC_ISSUER, "
        "SOCMED_OIDC_CLIENT_ID, SOCMED_OIDC_CLIENT_SECRET and SOCMED_OIDC_REDIRECT_URL)",
        "id": "single sign-on belum dikonfigurasi di server ini (atur SOCMED_OIDC_ISSUER, "
        "SOCMED_OIDC_CLIENT_ID, SOCMED_OIDC_CLIENT_SECRET dan SOCMED_OIDC_REDIRECT_URL)",
    },
    "error.sso_config": {
        "en": "the single sign-on setting {name} is not valid: {problem}",
        "id": "pengaturan single sign-on {name} tidak valid: {problem}",
    },
    "error.sso_login_expired": {
        "en": "this sign-in was not started here or has expired: start again from the "
        "sign-in page",
        "id": "proses masuk ini tidak dimulai di sini atau sudah kedaluwarsa: mulai lagi dari "
        "halaman masuk",
    },
    "error.sso_login_denied": {
        "en": "the identity provider did not sign you in ({error})",
        "id": "penyedia identitas tidak memproses masuk Anda ({error})",
    },
    "error.sso_provider_unreachable": {
        "en": "the identity provider could not be reached or answered wrongly ({problem}): "
        "try again later",
        "id": "penyedia identitas tidak dapat dihubungi atau menjawab dengan salah "
        "({problem}): coba lagi nanti",
    },
    "error.sso_token_invalid": {
        "en": "the identity provider's ID token was refused ({problem})",
        "id": "ID token dari penyedia identitas ditolak ({problem})",
    },
}

TERMS_ID: dict[str, str] = {}
