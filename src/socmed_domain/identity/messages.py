"""Messages (English and Bahasa Indonesia) of identity: sign-in, accounts, second factor,
tokens and the access policy; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors: what is wrong, then what to do.
    "error.not_authenticated": {
        "en": "sign-in failed: the member, password or code is not right",
        "id": "gagal masuk: anggota, kata sandi, atau kode tidak benar",
    },
    "error.second_factor_required": {
        "en": "the password is right; now give the 6-digit code from your authenticator app",
        "id": "kata sandi benar; sekarang berikan kode 6 digit dari aplikasi autentikator Anda",
    },
    "error.bad_second_factor": {
        "en": "sign-in failed: the authenticator code is wrong or was used already; wait "
        "for the next code",
        "id": "gagal masuk: kode autentikator salah atau sudah dipakai; tunggu kode "
        "berikutnya",
    },
    "error.locked_out": {
        "en": "{member} is locked out after repeated failed sign-ins until {until}: try "
        "again then, or ask a Marketing Manager to run 'socmed account unlock'",
        "id": "{member} dikunci setelah gagal masuk berulang kali hingga {until}: coba lagi "
        "nanti, atau minta Manajer Pemasaran menjalankan 'socmed account unlock'",
    },
    "error.session_invalid": {
        "en": "the session is unknown, expired or signed out: sign in again",
        "id": "sesi tidak dikenal, kedaluwarsa, atau sudah keluar: masuk lagi",
    },
    "error.token_invalid": {
        "en": "the API token is unknown, revoked or expired: create a new one with "
        "'socmed token create'",
        "id": "token API tidak dikenal, dicabut, atau kedaluwarsa: buat yang baru dengan "
        "'socmed token create'",
    },
    "error.bad_setup_code": {
        "en": "the set-up code is wrong, spent or expired: ask a Marketing Manager for a new "
        "one ('socmed team invite')",
        "id": "kode penyiapan salah, sudah dipakai, atau kedaluwarsa: minta kode baru kepada "
        "Manajer Pemasaran ('socmed team invite')",
    },
    "error.sso_no_member": {
        "en": "single sign-on succeeded but matches no active member: ask a Marketing "
        "Manager to record your work email ('socmed account email')",
        "id": "masuk tunggal berhasil tetapi tidak cocok dengan anggota aktif mana pun: minta "
        "Manajer Pemasaran mencatat email kerja Anda ('socmed account email')",
    },
    "error.authentication_required": {
        "en": "this store requires signing in: --as ({actor}) is refused; use 'socmed login "
        "--server URL', or a Marketing Manager turns it off with 'socmed team policy "
        "--no-require-auth' through the server",
        "id": "penyimpanan ini mewajibkan masuk: --as ({actor}) ditolak; gunakan 'socmed "
        "login --server URL', atau Manajer Pemasaran mematikannya dengan 'socmed team "
        "policy --no-require-auth' melalui server",
    },
    "error.second_factor_needed": {
        "en": "{actor} ({role}) must sign in with a second factor to {action}: enrol one "
        "with 'socmed account totp enroll', then sign in again with its code",
        "id": "{actor} ({role}) harus masuk dengan faktor kedua untuk {action}: daftarkan "
        "dengan 'socmed account totp enroll', lalu masuk lagi dengan kodenya",
    },
    "error.identity_unavailable": {
        "en": "this application was built without a credential store: build it with "
        "socmed_adapters.bootstrap()",
        "id": "aplikasi ini dibangun tanpa penyimpanan kredensial: bangun dengan "
        "socmed_adapters.bootstrap()",
    },
    "error.no_manager_can_sign_in": {
        "en": "no active Marketing Manager can sign in yet (no password set, no single "
        "sign-on linked): set one up before requiring authentication, or the store locks "
        "everyone out",
        "id": "belum ada Manajer Pemasaran aktif yang dapat masuk (belum ada kata sandi, "
        "belum ada masuk tunggal yang ditautkan): siapkan dulu sebelum mewajibkan "
        "autentikasi, atau penyimpanan mengunci semua orang",
    },
    "error.policy_out_of_range": {
        "en": "{field} {value} is outside {low}-{high}: give a number in that range",
        "id": "{field} {value} di luar {low}-{high}: berikan angka dalam rentang itu",
    },
    "error.policy_unchanged": {
        "en": "the access policy already says that: nothing to change",
        "id": "kebijakan akses sudah demikian: tidak ada yang diubah",
    },
    "error.no_password": {
        "en": "{member} has no password yet: set one up with the code from 'socmed team "
        "invite'",
        "id": "{member} belum punya kata sandi: siapkan dengan kode dari 'socmed team invite'",
    },
    "error.password_length": {
        "en": "a password has {low} to {high} characters: choose a longer one (a phrase of "
        "several words is easy to remember)",
        "id": "kata sandi terdiri dari {low} hingga {high} karakter: pilih yang lebih panjang "
        "(frasa beberapa kata mudah diingat)",
    },
    "error.password_weak": {
        "en": "the password may not be the member's handle: choose another",
        "id": "kata sandi tidak boleh sama dengan handle anggota: pilih yang lain",
    },
    "error.totp_already_confirmed": {
        "en": "{member} already has a confirmed authenticator: a Marketing Manager resets it "
        "first ('socmed account totp reset')",
        "id": "{member} sudah memiliki autentikator terkonfirmasi: Manajer Pemasaran "
        "meresetnya dahulu ('socmed account totp reset')",
    },
    "error.totp_not_pending": {
        "en": "{member} has no authenticator waiting for confirmation: start with 'socmed "
        "account totp enroll'",
        "id": "{member} tidak memiliki autentikator yang menunggu konfirmasi: mulai dengan "
        "'socmed account totp enroll'",
    },
    "error.totp_none": {
        "en": "{member} has no authenticator to reset",
        "id": "{member} tidak memiliki autentikator untuk direset",
    },
    "error.bad_totp_code": {
        "en": "the authenticator code does not match: check the phone's clock and give the "
        "current 6-digit code",
        "id": "kode autentikator tidak cocok: periksa jam ponsel dan berikan kode 6 digit "
        "saat ini",
    },
    "error.token_lifetime": {
        "en": "a token lives between {low, duration} and {high, duration}: give "
        "--expires-in in that range (for example 90d)",
        "id": "token berlaku antara {low, duration} dan {high, duration}: berikan "
        "--expires-in dalam rentang itu (misalnya 90d)",
    },
    "error.too_many_tokens": {
        "en": "you have {limit} active tokens already: revoke one with 'socmed token revoke'",
        "id": "Anda sudah memiliki {limit} token aktif: cabut satu dengan 'socmed token "
        "revoke'",
    },
    "error.token_may_not": {
        "en": "{actor} is signed in with an API token, which may not create tokens or enrol "
        "a second factor: sign in with a password",
        "id": "{actor} masuk dengan token API, yang tidak boleh membuat token atau "
        "mendaftarkan faktor kedua: masuk dengan kata sandi",
    },
    "error.token_revoked_already": {
        "en": "token {ref} is revoked already",
        "id": "token {ref} sudah dicabut",
    },
    "error.not_locked": {
        "en": "{member} is not locked out",
        "id": "{member} tidak sedang dikunci",
    },
    "error.bad_email": {
        "en": "'{value}' is not an email address",
        "id": "'{value}' bukan alamat email",
    },
    "error.email_taken": {
        "en": "'{value}' is another member's email already",
        "id": "'{value}' sudah menjadi email anggota lain",
    },
    "error.bad_lifetime": {
        "en": "'{value}' is not a lifetime: give hours, days or weeks, like 12h, 90d or 8w",
        "id": "'{value}' bukan masa berlaku: berikan jam, hari, atau minggu, seperti 12h, 90d "
        "atau 8w",
    },
    "error.approve_needs_hash": {
        "en": "an approval names the revision that was read: give its SHA-256 (--hash, at "
        "least 8 characters, from 'socmed content show {ref}'), or approve on a terminal to "
        "be shown the revision",
        "id": "persetujuan menyebut revisi yang dibaca: berikan SHA-256-nya (--hash, minimal "
        "8 karakter, dari 'socmed content show {ref}'), atau setujui di terminal agar "
        "revisinya ditampilkan",
    },
    # The CLI's lines (socmed account, socmed token, socmed team invite/policy).
    "identity.cli.invited": {
        "en": "set-up code for {member}: {code}\nvalid until {expires}, once; give it to "
        "{member} privately (it is not shown again); they run 'socmed account setup {member} "
        "--code {code}'",
        "id": "kode penyiapan untuk {member}: {code}\nberlaku hingga {expires}, sekali pakai; "
        "berikan kepada {member} secara pribadi (tidak ditampilkan lagi); ia menjalankan "
        "'socmed account setup {member} --code {code}'",
    },
    "identity.cli.account_set_up": {
        "en": "password set for {member}; sign in with it (the set-up code is spent)",
        "id": "kata sandi {member} sudah disetel; masuk dengannya (kode penyiapan sudah "
        "terpakai)",
    },
    "identity.cli.password_changed": {
        "en": "password of {member} changed; every session of {member} has ended",
        "id": "kata sandi {member} diubah; semua sesi {member} telah berakhir",
    },
    "identity.cli.prompt_new_password": {"en": "New password", "id": "Kata sandi baru"},
    "identity.cli.prompt_current_password": {"en": "Current password",
                                             "id": "Kata sandi saat ini"},
    "identity.cli.prompt_repeat": {"en": "Repeat the password", "id": "Ulangi kata sandi"},
    "identity.cli.no_terminal_password": {
        "en": "no terminal to ask for the password: pass --password-stdin and write it to "
        "standard input",
        "id": "tidak ada terminal untuk menanyakan kata sandi: berikan --password-stdin dan "
        "tulis ke masukan standar",
    },
    "identity.cli.totp_secret": {
        "en": "authenticator secret (shown once): {secret}\nor scan/open: {uri}\nthen run "
        "'socmed account totp confirm CODE' with the 6-digit code the app shows",
        "id": "rahasia autentikator (ditampilkan sekali): {secret}\natau pindai/buka: {uri}"
        "\nlalu jalankan 'socmed account totp confirm KODE' dengan kode 6 digit dari "
        "aplikasi",
    },
    "identity.cli.totp_confirmed": {
        "en": "authenticator of {member} confirmed: sign-ins now ask for its code",
        "id": "autentikator {member} terkonfirmasi: masuk kini meminta kodenya",
    },
    "identity.cli.totp_reset": {
        "en": "authenticator of {member} removed; their sessions ended, they enrol again",
        "id": "autentikator {member} dihapus; sesinya berakhir, ia mendaftar lagi",
    },
    "identity.cli.unlocked": {"en": "{member} unlocked", "id": "kunci {member} dibuka"},
    "identity.cli.email_recorded": {"en": "work email of {member}: {email}",
                                    "id": "email kerja {member}: {email}"},
    "identity.cli.token_created": {
        "en": "token {token} (valid until {expires}); its secret, shown once:\n{secret}",
        "id": "token {token} (berlaku hingga {expires}); rahasianya, ditampilkan sekali:\n"
        "{secret}",
    },
    "identity.cli.token_revoked": {"en": "token {token} revoked",
                                   "id": "token {token} dicabut"},
    "identity.cli.policy_changed": {"en": "access policy changed:",
                                    "id": "kebijakan akses diubah:"},
    "identity.cli.approve_confirm": {
        "en": "Approve revision {number} (sha256 {sha}) as shown above?",
        "id": "Setujui revisi {number} (sha256 {sha}) seperti yang ditampilkan di atas?",
    },
    "identity.cli.approve_declined": {"en": "not approved: nothing was recorded",
                                      "id": "tidak disetujui: tidak ada yang dicatat"},
    "identity.cli.vias_unexplained": {
        "en": "{count, plural, one {# event was} other {# events were}} caused through a "
        "credential no recorded sign-in or token explains: made in the database, outside "
        "socmed (docs/security.md)",
        "id": "{count} peristiwa disebabkan melalui kredensial yang tidak dijelaskan oleh "
        "catatan masuk atau token mana pun: dibuat di basis data, di luar socmed "
        "(docs/security.md)",
    },
    "identity.cli.vias_explained": {
        "en": "every event through a session, token or single sign-on follows a recorded "
        "sign-in, token or link of its member",
        "id": "setiap peristiwa melalui sesi, token, atau masuk tunggal didahului catatan "
        "masuk, token, atau tautan milik anggotanya",
    },
    "header.Why": {"en": "Why", "id": "Alasan"},
    "value.no_sign_in": {"en": "no_sign_in", "id": "tanpa catatan masuk"},
    "value.no_token": {"en": "no_token", "id": "tanpa token tercatat"},
    "value.revoked_token": {"en": "revoked_token", "id": "token sudah dicabut"},
    "value.no_sso_link": {"en": "no_sso_link", "id": "tanpa tautan masuk tunggal"},
    # Table headings and code values of those commands.
    "header.Via": {"en": "Via", "id": "Melalui"},
    "header.Password": {"en": "Password", "id": "Kata sandi"},
    "header.Second factor": {"en": "Second factor", "id": "Faktor kedua"},
    "header.Set-up code until": {"en": "Set-up code until", "id": "Kode penyiapan hingga"},
    "header.Locked until": {"en": "Locked until", "id": "Dikunci hingga"},
    "header.Active tokens": {"en": "Active tokens", "id": "Token aktif"},
    "header.Email": {"en": "Email", "id": "Email"},
    "header.Single sign-on": {"en": "Single sign-on", "id": "Masuk tunggal"},
    "header.Token": {"en": "Token", "id": "Token"},
    "header.Scope": {"en": "Scope", "id": "Cakupan"},
    "header.Created": {"en": "Created", "id": "Dibuat"},
    "header.Expires": {"en": "Expires", "id": "Berakhir"},
    "header.Revoked": {"en": "Revoked", "id": "Dicabut"},
    "header.Sign-in required": {"en": "Sign-in required", "id": "Wajib masuk"},
    "header.Second factor for": {"en": "Second factor for", "id": "Faktor kedua untuk"},
    "header.Lock-out after": {"en": "Lock-out after", "id": "Dikunci setelah"},
    "header.Lock-out minutes": {"en": "Lock-out minutes", "id": "Menit terkunci"},
    "value.active": {"en": "active", "id": "aktif"},
    "value.revoked": {"en": "revoked", "id": "dicabut"},
    "value.none": {"en": "none", "id": "tidak ada"},
    "value.confirmed": {"en": "confirmed", "id": "terkonfirmasi"},
    # Audit log lines of identity's events.
    "event.AccessPolicyChanged": {
        "en": "changed the access policy: sign-in required {required}, second factor for "
        "{roles}, lock-out after {threshold} failures for {minutes} min",
        "id": "mengubah kebijakan akses: wajib masuk {required}, faktor kedua untuk {roles}, "
        "dikunci setelah {threshold} kegagalan selama {minutes} menit",
    },
    "event.AccessOpened": {
        "en": "opened the access record of {member}",
        "id": "membuka catatan akses {member}",
    },
    "event.InvitationIssued": {
        "en": "issued a set-up code to {member}, valid until {expires}",
        "id": "menerbitkan kode penyiapan untuk {member}, berlaku hingga {expires}",
    },
    "event.AccountSetUp": {
        "en": "set up the account of {member} with a set-up code",
        "id": "menyiapkan akun {member} dengan kode penyiapan",
    },
    "event.PasswordChanged": {
        "en": "changed the password of {member}",
        "id": "mengubah kata sandi {member}",
    },
    "event.SecondFactorEnrolled": {
        "en": "started enrolling an authenticator for {member}",
        "id": "mulai mendaftarkan autentikator untuk {member}",
    },
    "event.SecondFactorConfirmed": {
        "en": "confirmed the authenticator of {member}",
        "id": "mengonfirmasi autentikator {member}",
    },
    "event.SecondFactorReset": {
        "en": "reset the authenticator of {member}",
        "id": "mereset autentikator {member}",
    },
    "event.TokenCreated": {
        "en": "created API token {token} '{name}' ({scope}), valid until {expires}",
        "id": "membuat token API {token} '{name}' ({scope}), berlaku hingga {expires}",
    },
    "event.TokenRevoked": {
        "en": "revoked API token {token}",
        "id": "mencabut token API {token}",
    },
    "event.SignedIn": {
        "en": "signed in by {method} (session {session}, second factor: {second_factor})",
        "id": "masuk dengan {method} (sesi {session}, faktor kedua: {second_factor})",
    },
    "event.SignInFailed": {
        "en": "failed to sign in: wrong {reason} ({failures} in a row)",
        "id": "gagal masuk: {reason} salah ({failures} berturut-turut)",
    },
    "event.LockedOut": {
        "en": "was locked out after {failures} failed sign-ins, until {until}",
        "id": "dikunci setelah {failures} kali gagal masuk, hingga {until}",
    },
    "event.Unlocked": {
        "en": "unlocked {member}",
        "id": "membuka kunci {member}",
    },
    "event.EmailRecorded": {
        "en": "recorded the work email {email}",
        "id": "mencatat email kerja {email}",
    },
    "event.SsoLinked": {
        "en": "linked single sign-on {issuer} (subject {subject})",
        "id": "menautkan masuk tunggal {issuer} (subjek {subject})",
    },
}

TERMS_ID: dict[str, str] = {}
