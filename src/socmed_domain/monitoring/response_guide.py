"""The Audience Response Guide (SOP stage 4 'Panduan Respon Audiens'): reply templates in
Bahasa Indonesia and English, with placeholders.

Templates keep answers quick and consistent in tone (SOP: 'quickly and professionally').
`{name}` is filled from the conversation's author at send time (the vault opens it), so the
admin never copies a customer's name by hand; other placeholders are given by the admin and
a missing one is refused rather than sent as '{channel}'.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

import string
from collections.abc import Mapping

from socmed_domain.errors import InvalidInputError

#: key -> language -> text
TEMPLATES: dict[str, dict[str, str]] = {
    "question": {
        "id": "Halo Kak {name}, terima kasih sudah bertanya. {answer} Jika masih ada yang ingin "
              "ditanyakan, silakan kirim DM ya.",
        "en": "Hi {name}, thanks for asking. {answer} If anything is still unclear, send us a "
              "DM.",
    },
    "complaint_ack": {
        "id": "Halo Kak {name}, mohon maaf atas ketidaknyamanannya. Kami sedang memeriksa "
              "kendala ini; mohon kirim nomor tiket atau detail transaksi melalui {channel} "
              "agar bisa kami bantu. Jangan bagikan PIN/OTP kepada siapa pun.",
        "en": "Hi {name}, we're sorry for the trouble. We're looking into it; please send your "
              "ticket number or transaction details via {channel} so we can help. Never share "
              "your PIN or OTP with anyone.",
    },
    "complaint_resolved": {
        "id": "Halo Kak {name}, kendala Kakak sudah kami selesaikan. Terima kasih atas "
              "kesabarannya.",
        "en": "Hi {name}, your issue has been resolved. Thank you for your patience.",
    },
    "praise": {
        "id": "Terima kasih banyak, Kak {name}! Senang bisa membantu. 🙏",
        "en": "Thank you so much, {name}! We're glad we could help. 🙏",
    },
    "feedback": {
        "id": "Terima kasih atas masukannya, Kak {name}. Sudah kami teruskan ke tim terkait "
              "untuk perbaikan layanan.",
        "en": "Thanks for the feedback, {name}. We've passed it on to the team to improve our "
              "service.",
    },
    "outage_holding": {
        "id": "Halo Kak {name}, saat ini ada gangguan pada {topic}. Tim kami sedang "
              "menanganinya dan dana Kakak aman. Info terbaru kami sampaikan di akun resmi ini.",
        "en": "Hi {name}, {topic} is currently disrupted. Our team is on it and your money is "
              "safe. We'll post updates on this official account.",
    },
    "move_to_dm": {
        "id": "Halo Kak {name}, demi keamanan data, mohon lanjutkan lewat DM ya. Kami tidak "
              "pernah meminta PIN/OTP.",
        "en": "Hi {name}, to keep your data safe, let's continue by DM. We never ask for your "
              "PIN or OTP.",
    },
}
LANGS = ("id", "en")


def placeholders(key: str, lang: str) -> tuple[str, ...]:
    text = template_text(key, lang)
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(text)
                               if name))


def template_text(key: str, lang: str) -> str:
    if key not in TEMPLATES:
        raise InvalidInputError("error.unknown_choice", kind="reply template", value=key,
                                choices=", ".join(sorted(TEMPLATES)))
    if lang not in LANGS:
        raise InvalidInputError("error.unknown_choice", kind="language", value=lang,
                                choices=", ".join(LANGS))
    return TEMPLATES[key][lang]


def render_reply(key: str, lang: str, values: Mapping[str, str]) -> str:
    """The template filled in; refuses a placeholder without a (non-blank) value."""
    missing = [name for name in placeholders(key, lang) if not str(values.get(name, "")).strip()]
    if missing:
        raise InvalidInputError("error.template_placeholder", template=key,
                                missing=", ".join(missing))
    return template_text(key, lang).format(**{k: str(v).strip() for k, v in values.items()})
