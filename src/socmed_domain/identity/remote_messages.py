"""Messages (English and Bahasa Indonesia) of the CLI's login and remote mode (`socmed login`,
`logout`, `whoami`, and commands sent to a server); merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.login_file_unsafe": {
        "en": "{path} can be read by others (mode {mode}) and holds your API token: it is "
        "not used; run 'socmed logout' and log in again, or 'chmod 600 {path}'",
        "id": "{path} dapat dibaca pihak lain (mode {mode}) dan menyimpan token API Anda: "
        "berkas itu tidak dipakai; jalankan 'socmed logout' lalu masuk lagi, atau "
        "'chmod 600 {path}'",
    },
    "error.login_file_corrupt": {
        "en": "{path} is not a socmed login file ({detail}): run 'socmed logout' and log in "
        "again",
        "id": "{path} bukan berkas login socmed ({detail}): jalankan 'socmed logout' lalu "
        "masuk lagi",
    },
    "error.server_unreachable": {
        "en": "cannot reach the socmed server at {url}: {detail}",
        "id": "server socmed di {url} tidak dapat dihubungi: {detail}",
    },
    "error.server_answer": {
        "en": "the server at {url} answered {status} with something other than the socmed "
        "API: check the --server URL",
        "id": "server di {url} menjawab {status} dengan sesuatu yang bukan API socmed: periksa "
        "URL --server",
    },
    "error.login_rejected": {
        "en": "the server at {url} no longer accepts your login (the token was revoked or has "
        "expired, or the member was deactivated): run 'socmed login --server {url}'",
        "id": "server di {url} tidak lagi menerima login Anda (token dicabut atau kedaluwarsa, "
        "atau anggota dinonaktifkan): jalankan 'socmed login --server {url}'",
    },
    "error.not_logged_in": {
        "en": "not logged in to {url}: run 'socmed login --server {url}' first",
        "id": "belum masuk ke {url}: jalankan 'socmed login --server {url}' terlebih dahulu",
    },
    "error.remote_local_only": {
        "en": "{command} works on a local store only, not through the server at {url}: run it "
        "where the store is, or log out first (socmed logout)",
        "id": "{command} hanya bekerja pada penyimpanan lokal, tidak melalui server di {url}: "
        "jalankan di tempat penyimpanan berada, atau keluar dahulu (socmed logout)",
    },
    "error.remote_unsupported": {
        "en": "{what} cannot be sent through the server (the API does not carry it): use it "
        "on the server's own store",
        "id": "{what} tidak dapat dikirim melalui server (API tidak membawanya): gunakan pada "
        "penyimpanan server itu sendiri",
    },
    "error.remote_as_refused": {
        "en": "--as is refused when a server is configured ({url}): the server decides who "
        "acts, here {member}; 'socmed logout' to work on a local store",
        "id": "--as ditolak bila server dikonfigurasi ({url}): server yang menentukan siapa "
        "yang bertindak, di sini {member}; 'socmed logout' untuk bekerja pada penyimpanan "
        "lokal",
    },
    "login.member_prompt": {"en": "Member", "id": "Anggota"},
    "login.password_prompt": {"en": "Password", "id": "Kata sandi"},
    "login.otp_prompt": {"en": "One-time code (TOTP)", "id": "Kode sekali pakai (TOTP)"},
    "login.done": {
        "en": "logged in to {url} as {member} (token {token}, expires {expires}); saved in "
        "{path}",
        "id": "masuk ke {url} sebagai {member} (token {token}, kedaluwarsa {expires}); "
        "disimpan di {path}",
    },
    "logout.done": {
        "en": "logged out of {url}: token {token} revoked and {path} removed",
        "id": "keluar dari {url}: token {token} dicabut dan {path} dihapus",
    },
    "logout.already_invalid": {
        "en": "the server at {url} no longer accepted token {token}; {path} removed",
        "id": "server di {url} sudah tidak menerima token {token}; {path} dihapus",
    },
    "logout.none": {
        "en": "not logged in to any server",
        "id": "belum masuk ke server mana pun",
    },
    "whoami.remote": {
        "en": "member: {member}\nrole: {role}\nvia: {via}\nscope: {scope}\nserver: {url}",
        "id": "anggota: {member}\nperan: {role}\nvia: {via}\ncakupan: {scope}\nserver: {url}",
    },
    "whoami.local": {
        "en": "member: {member}\nrole: {role}\nvia: {via}\nserver: none (local store {store})",
        "id": "anggota: {member}\nperan: {role}\nvia: {via}\nserver: tidak ada (penyimpanan "
        "lokal {store})",
    },
}

TERMS_ID: dict[str, str] = {}
