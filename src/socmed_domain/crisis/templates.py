"""Crisis response templates (SOP stage 6: 'menyiapkan template respon untuk berbagai skenario
krisis'), in Bahasa Indonesia and English.

Every category has at least a holding statement (the first public words, before the facts are
known) and a reply (to one person in comments or messages). Wording stays neutral: it admits
nothing Legal has not reviewed and promises only an update by a time. Official statements are
drafted as content and go through Legal review and Marketing Manager approval; these texts are
starting points, not a way around that.

Keys are '<category>.<kind>'. Placeholders in braces are filled by `render_template`, which
refuses to produce a text with a blank in it.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from socmed_domain.crisis.incident import IncidentCategory, ResponseKind
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import LANGUAGES

TEMPLATES: dict[str, dict[str, str]] = {
    "complaint_wave.holding_statement": {
        "id": "Kami mendengar Anda. {brand} mengetahui bahwa banyak dari Anda mengalami kendala "
        "terkait {topic}. Tim kami sedang menanganinya dan akan menyampaikan informasi terbaru "
        "dalam {hours} jam. Jika Anda terdampak, silakan hubungi kami melalui {channel} agar "
        "kami dapat membantu secara langsung.",
        "en": "We hear you. {brand} knows that many of you have had problems with {topic}. "
        "Our team is working on it and will post an update within {hours} hours. If you are "
        "affected, please contact us through {channel} so we can help you directly.",
    },
    "complaint_wave.reply": {
        "id": "Halo, mohon maaf atas kendala terkait {topic}. Laporan Anda sudah kami catat "
        "dengan nomor tiket {ticket}; silakan kirimkan detailnya melalui {channel} dan tim kami "
        "akan menindaklanjuti dalam {hours} jam.",
        "en": "Hi, we are sorry for the trouble with {topic}. We have logged your report as "
        "ticket {ticket}; please send us the details through {channel} and our team will "
        "follow up within {hours} hours.",
    },
    "misinformation.holding_statement": {
        "id": "{brand} mengetahui adanya informasi yang beredar mengenai {topic}. Kami sedang "
        "memeriksa faktanya dan akan menyampaikan informasi yang akurat dalam {hours} jam. "
        "Sementara itu, mohon hanya merujuk pada kanal resmi kami: {channel}.",
        "en": "{brand} is aware of information circulating about {topic}. We are checking the "
        "facts and will share accurate information within {hours} hours. Until then, please "
        "rely only on our official channels: {channel}.",
    },
    "misinformation.reply": {
        "id": "Terima kasih telah mengonfirmasi kepada kami. Informasi mengenai {topic} yang "
        "Anda lihat tidak berasal dari {brand}. Jika ada pertanyaan, hubungi kami melalui "
        "{channel} (tiket {ticket}).",
        "en": "Thank you for checking with us. The information about {topic} you saw did not "
        "come from {brand}. If you have questions, contact us through {channel} "
        "(ticket {ticket}).",
    },
    "misinformation.clarification": {
        "id": "Klarifikasi {brand} mengenai {topic}: {facts} Informasi resmi hanya kami "
        "sampaikan melalui {channel}. Terima kasih telah membantu menghentikan penyebaran "
        "informasi yang tidak akurat.",
        "en": "A clarification from {brand} on {topic}: {facts} We publish official "
        "information only through {channel}. Thank you for helping to stop the spread of "
        "inaccurate information.",
    },
    "sensitive_issue.holding_statement": {
        "id": "{brand} menghormati seluruh masyarakat Indonesia tanpa memandang suku, agama, "
        "ras, maupun golongan. Kami mengetahui adanya keprihatinan terkait {topic} dan sedang "
        "meninjaunya dengan serius. Kami akan menyampaikan informasi terbaru dalam {hours} jam.",
        "en": "{brand} respects every community in Indonesia, whatever their ethnicity, "
        "religion, race or group. We are aware of concerns about {topic} and are reviewing "
        "them seriously. We will share an update within {hours} hours.",
    },
    "sensitive_issue.reply": {
        "id": "Terima kasih telah menyampaikan hal ini. Kami menanggapi keprihatinan terkait "
        "{topic} dengan serius dan telah meneruskannya kepada tim yang menangani (tiket "
        "{ticket}). Kami akan merespons melalui {channel}.",
        "en": "Thank you for raising this. We take concerns about {topic} seriously and have "
        "passed yours to the team handling it (ticket {ticket}). We will respond through "
        "{channel}.",
    },
    "product_safety.holding_statement": {
        "id": "Keselamatan Anda adalah prioritas kami. {brand} telah menerima laporan terkait "
        "{product} dan sedang menyelidikinya sebagai prioritas. Jika Anda mengalami masalah, "
        "mohon hentikan penggunaan produk dan hubungi kami melalui {channel}. Kami akan "
        "menyampaikan informasi terbaru dalam {hours} jam.",
        "en": "Your safety comes first. {brand} has received reports about {product} and is "
        "investigating them as a priority. If you have had a problem, please stop using the "
        "product and contact us through {channel}. We will post an update within {hours} "
        "hours.",
    },
    "product_safety.reply": {
        "id": "Kami sangat menyesal mendengar hal ini. Mohon hentikan penggunaan {product} dan "
        "kirimkan detailnya (nomor batch, tempat dan waktu pembelian) melalui {channel}. "
        "Laporan Anda tercatat dengan tiket {ticket}; tim kami akan menghubungi Anda dalam "
        "{hours} jam.",
        "en": "We are very sorry to hear this. Please stop using {product} and send us the "
        "details (batch number, where and when you bought it) through {channel}. Your report "
        "is ticket {ticket}; our team will contact you within {hours} hours.",
    },
    "legal_threat.holding_statement": {
        "id": "{brand} telah menerima keberatan terkait {topic}. Karena menyangkut aspek hukum, "
        "kami akan menanggapinya melalui jalur yang semestinya: {channel}.",
        "en": "{brand} has received the concern about {topic}. Because it involves legal "
        "matters, we will respond through the proper channel: {channel}.",
    },
    "legal_threat.reply": {
        "id": "Terima kasih atas pesan Anda. Agar dapat ditangani dengan tepat, mohon kirimkan "
        "detailnya ke {channel} dengan menyebutkan tiket {ticket}. Kami tidak akan membahas "
        "hal ini lebih lanjut di kolom komentar publik.",
        "en": "Thank you for your message. So that it is handled properly, please send the "
        "details to {channel}, quoting ticket {ticket}. We will not discuss the matter further "
        "in public comments.",
    },
    "personal_data_breach.holding_statement": {
        "id": "{brand} sedang menyelidiki insiden keamanan yang mungkin melibatkan data pribadi "
        "pelanggan kami. Kami telah mengambil langkah penanganan dan akan memberi tahu "
        "pelanggan yang terdampak secara langsung. Jangan berikan kode OTP, kata sandi, atau "
        "PIN kepada siapa pun: {brand} tidak pernah memintanya. Informasi terbaru: {channel}.",
        "en": "{brand} is investigating a security incident that may involve our customers' "
        "personal data. We have taken steps to contain it and will notify affected customers "
        "directly. Never share an OTP, password or PIN with anyone: {brand} never asks for "
        "them. Updates: {channel}.",
    },
    "personal_data_breach.reply": {
        "id": "Terima kasih atas kepedulian Anda. Kami memberi tahu pelanggan yang terdampak "
        "secara langsung dan tertulis. Mohon jangan menuliskan detail akun Anda di sini; "
        "hubungi kami melalui {channel} (tiket {ticket}) dan kami akan memeriksa apakah data "
        "Anda terdampak.",
        "en": "Thank you for your concern. We are notifying affected customers directly and in "
        "writing. Please do not post account details here; contact us through {channel} "
        "(ticket {ticket}) and we will check whether your data is affected.",
    },
    # The written notice of UU 27/2022 Pasal 46: what data, when and how, what was done.
    "personal_data_breach.data_subject_notice": {
        "id": "Pelanggan yang terhormat, kami memberitahukan adanya kegagalan pelindungan data "
        "pribadi Anda di {brand}. Data pribadi yang terungkap: {data}. Kapan dan bagaimana: "
        "{when_how}. Upaya penanganan dan pemulihan: {handling}. Yang dapat Anda lakukan: "
        "{advice}. Kontak: {channel}. Pemberitahuan ini disampaikan berdasarkan Pasal 46 "
        "Undang-Undang Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi.",
        "en": "Dear customer, we are writing to tell you of a failure to protect your personal "
        "data at {brand}. Personal data disclosed: {data}. When and how: {when_how}. What we "
        "have done to handle and recover: {handling}. What you can do: {advice}. Contact: "
        "{channel}. This notice is given under Article 46 of Law No. 27 of 2022 on Personal "
        "Data Protection.",
    },
    "account_compromise.holding_statement": {
        "id": "Akun {account} kami diakses oleh pihak yang tidak berwenang. Unggahan atau pesan "
        "dari akun tersebut sejak {since} bukan dari {brand}: jangan klik tautan atau "
        "mentransfer uang berdasarkan pesan tersebut. Kami sedang memulihkan akses dan akan "
        "mengonfirmasi melalui {channel}.",
        "en": "Our {account} account was accessed without authorisation. Posts or messages "
        "from it since {since} are not from {brand}: do not click their links or transfer "
        "money because of them. We are restoring access and will confirm through {channel}.",
    },
    "account_compromise.reply": {
        "id": "Terima kasih telah memberi tahu kami. Pesan tersebut bukan dari {brand}: mohon "
        "jangan klik tautannya atau mengirim uang. Jika Anda sudah menanggapinya, hubungi kami "
        "melalui {channel} (tiket {ticket}).",
        "en": "Thank you for telling us. That message did not come from {brand}: please do not "
        "click its links or send money. If you have already responded to it, contact us "
        "through {channel} (ticket {ticket}).",
    },
    "employee_conduct.holding_statement": {
        "id": "{brand} mengetahui adanya laporan mengenai {topic} yang melibatkan salah satu "
        "karyawan kami. Hal tersebut tidak mencerminkan nilai-nilai kami. Kami sedang "
        "menindaklanjutinya sesuai kode etik perusahaan dan akan menyampaikan informasi "
        "terbaru dalam {hours} jam.",
        "en": "{brand} is aware of reports about {topic} involving one of our employees. It "
        "does not reflect our values. We are looking into it under our code of conduct and "
        "will share an update within {hours} hours.",
    },
    "employee_conduct.reply": {
        "id": "Terima kasih telah memberi tahu kami. Kami menanganinya sesuai kode etik "
        "perusahaan (tiket {ticket}). Untuk melindungi semua pihak, kami tidak dapat "
        "menyampaikan detail di sini; Anda dapat menghubungi kami melalui {channel}.",
        "en": "Thank you for letting us know. We are handling this under our code of conduct "
        "(ticket {ticket}). To protect everyone involved we cannot share details here; you "
        "can reach us through {channel}.",
    },
    "other.holding_statement": {
        "id": "{brand} mengetahui {topic} dan sedang menindaklanjutinya. Kami akan "
        "menyampaikan informasi terbaru dalam {hours} jam. Pertanyaan: {channel}.",
        "en": "{brand} is aware of {topic} and is looking into it. We will share an update "
        "within {hours} hours. Questions: {channel}.",
    },
    "other.reply": {
        "id": "Terima kasih atas pesan Anda. Pesan Anda kami catat dengan tiket {ticket} dan "
        "akan kami balas melalui {channel} dalam {hours} jam.",
        "en": "Thank you for your message. We have noted it as ticket {ticket} and will reply "
        "through {channel} within {hours} hours.",
    },
}


def template_key(category: IncidentCategory, kind: ResponseKind | str) -> str:
    kind_name = kind.value if isinstance(kind, ResponseKind) else kind
    return f"{IncidentCategory(category).value}.{kind_name}"


def templates_for(category: IncidentCategory) -> tuple[str, ...]:
    """The keys of every template for one category."""
    prefix = f"{IncidentCategory(category).value}."
    return tuple(key for key in TEMPLATES if key.startswith(prefix))


def placeholders(key: str, lang: str = "en") -> tuple[str, ...]:
    """The values a template needs, in order of first appearance."""
    text = _template(key, lang)
    names = (name for _, name, _, _ in Formatter().parse(text) if name)
    return tuple(dict.fromkeys(names))


def render_template(key: str, lang: str, **values: Any) -> str:
    """The template in `lang` with its placeholders filled; a missing or blank value is
    refused, naming it, so no statement goes out with a hole in it."""
    text = _template(key, lang)
    needed = placeholders(key, lang)
    for name in needed:
        if name not in values or not str(values[name]).strip():
            raise InvalidInputError("error.incident_template_value", key=key, placeholder=name,
                                    placeholders=", ".join(needed))
    return text.format(**{name: str(values[name]).strip() for name in needed})


def _template(key: str, lang: str) -> str:
    if lang not in LANGUAGES:
        raise InvalidInputError("error.unknown_choice", kind="language", value=lang,
                                choices=", ".join(LANGUAGES))
    if key not in TEMPLATES:
        raise InvalidInputError("error.incident_template_unknown", key=key,
                                choices=", ".join(TEMPLATES))
    return TEMPLATES[key][lang]
