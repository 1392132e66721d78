"""Normalise short Indonesian and English social text before it is scored or matched.

Comments, mentions and DMs are typed fast: "gak bgs bgttt 😡 @banknusa https://...". The
sentiment analyser and the watchlist read the same normalised tokens, so a slang spelling, a
stretched word or a reduplication counts as the word it stands for, and both agree on what a
word is.

Steps, in order: Unicode NFKC (fancy "bold" letters become plain ones), URLs and @mentions
removed, hashtags kept as their words ("#KecewaBankNusa" -> "kecewa bank nusa"), emoji turned
into hint tokens, lower case, thousands separators dropped ("2.000.000" -> "2000000"),
reduplication ("kecewa2", "kecewa-kecewa" -> "kecewa", but "hati2" -> "hati-hati"), then per
word: stretched letters collapsed ("bagusss" -> "bagus"), clitics stripped ("lemotnya" ->
"lemot") and slang expanded ("gak" -> "tidak", "bgt" -> "banget"). Sentence punctuation
(. , ! ? ; :) stays as tokens of its own, because negation scope and questions depend on it.

Stretched letters and clitics are ambiguous ("maaf" has a real double letter, "tanya" ends in
"nya"), so both are resolved against a vocabulary: a candidate spelling is taken only if it is
a word the caller knows (its lexicon or watchlist), a slang key or value, or a common word with
a real double letter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterator
from functools import lru_cache
from itertools import product

from socmed_domain.text_entities import entities_in

POSITIVE_HINT = "emoji_positive"
NEGATIVE_HINT = "emoji_negative"
HINTS = frozenset({POSITIVE_HINT, NEGATIVE_HINT})

#: Emoji that carry a clear feeling in customer comments. Laughing faces (😂, 🤣) are left
#: out on purpose: in Indonesian comments they mark mockery as often as joy.
EMOJI_HINTS: dict[str, str] = {
    **dict.fromkeys("👍😍🙏❤♥💕💖🥰😊☺😁😀😃😄🤩👏💯✨🔥🙌💪😘🤗✅", POSITIVE_HINT),
    **dict.fromkeys("😡👎😤💩😠🤬😞😢😭😩😫🙄😒💔🤮😖😣😕☹🙁😓😰😱❌", NEGATIVE_HINT),
}

_NOT = "tidak"

#: Slang, abbreviations and informal spellings -> the word (or words) they stand for.
SLANG: dict[str, str] = {
    # negation
    **dict.fromkeys(
        ("gak", "ga", "nggak", "ngga", "ngak", "nggk", "enggak", "engga", "gk", "g", "kagak",
         "ndak", "nda", "gx", "tdk", "tak", "ora"), _NOT),
    **dict.fromkeys(("gaada", "gada", "gakada", "nggada"), "tidak ada"),
    **dict.fromkeys(("gabisa", "gbs", "gabs", "gakbisa", "gbisa"), "tidak bisa"),
    "gamau": "tidak mau",
    "gapernah": "tidak pernah",
    **dict.fromkeys(("gpp", "gapapa", "gppa", "nggapapa", "ndakpapa", "gakpapa"),
                    "tidak apa-apa"),
    "bkn": "bukan",
    **dict.fromkeys(("blm", "blom", "belom", "lom"), "belum"),
    **dict.fromkeys(("jgn", "jngn", "jangn"), "jangan"),
    # intensifiers
    **dict.fromkeys(("bgt", "bngt", "bgd", "bet", "pisan", "pol", "poll"), "banget"),
    "sgt": "sangat",
    **dict.fromkeys(("bener-bener", "bnr-bnr"), "benar-benar"),
    **dict.fromkeys(("mulu", "melulu", "trs", "trus"), "terus"),
    # sentiment words
    **dict.fromkeys(("bgs", "bgus", "bagoes"), "bagus"),
    **dict.fromkeys(("mantul", "mantab", "mantep", "mantav", "mantaap", "joss", "jos"), "mantap"),
    **dict.fromkeys(("cpt", "cepet", "cpet"), "cepat"),
    **dict.fromkeys(("lelet", "lemod"), "lemot"),
    **dict.fromkeys(("eror", "erorr", "erro"), "error"),
    **dict.fromkeys(("ancur",), "hancur"),
    **dict.fromkeys(("kcewa", "kecewah"), "kecewa"),
    **dict.fromkeys(("nyesel", "nyesal"), "menyesal"),
    **dict.fromkeys(("seneng", "snang"), "senang"),
    **dict.fromkeys(("ngecewain", "ngecewakan"), "mengecewakan"),
    **dict.fromkeys(("nyebelin", "sebel"), "menyebalkan"),
    **dict.fromkeys(("ngeselin", "kesel"), "kesal"),
    **dict.fromkeys(("nyusahin", "nyusahkan"), "menyusahkan"),
    **dict.fromkeys(("ngebantu", "bantuin", "ngebantuin"), "membantu"),
    **dict.fromkeys(("nyelesaiin", "nyelesain", "ngeberesin"), "menyelesaikan"),
    **dict.fromkeys(("ketahan",), "tertahan"),
    **dict.fromkeys(("kepotong", "kepotongan"), "terpotong"),
    **dict.fromkeys(("gercep",), "gerak cepat"),
    **dict.fromkeys(("rekomen", "rekomended", "recomended", "rekomendid"), "recommended"),
    **dict.fromkeys(("makasih", "makasi", "mksh", "mkasih", "mksih", "trims", "trimakasih",
                     "terimakasih", "tks", "tq", "thx", "tengkyu", "trimkasih"),
                    "terima kasih"),
    **dict.fromkeys(("ok", "okey", "okay", "okeh", "oce", "okee"), "oke"),
    **dict.fromkeys(("ngelag", "ngeleg", "ngelek", "nge-lag"), "lag"),
    # function words
    "yg": "yang",
    **dict.fromkeys(("krn", "karna", "krna", "karena"), "karena"),
    **dict.fromkeys(("dgn", "dg"), "dengan"),
    **dict.fromkeys(("sdh", "udh", "udah", "dah", "sudh"), "sudah"),
    **dict.fromkeys(("bs", "bsa"), "bisa"),
    **dict.fromkeys(("jg", "jga"), "juga"),
    **dict.fromkeys(("tp", "tpi", "tpe"), "tapi"),
    **dict.fromkeys(("aja", "aj", "doang"), "saja"),
    **dict.fromkeys(("gmn", "gimana", "gmna", "bgmn", "gmana"), "bagaimana"),
    **dict.fromkeys(("knp", "napa", "ngapa"), "kenapa"),
    "kpn": "kapan",
    "dmn": "di mana",
    **dict.fromkeys(("sm", "ama"), "sama"),
    "dr": "dari",
    **dict.fromkeys(("utk", "untk"), "untuk"),
    **dict.fromkeys(("lg", "lgi"), "lagi"),
    "hrs": "harus",
    **dict.fromkeys(("emg", "emang"), "memang"),
    "org": "orang",
    **dict.fromkeys(("sy", "aku", "gue", "gw", "gua", "sya", "ane"), "saya"),
    **dict.fromkeys(("mimin", "min"), "admin"),
    "apk": "aplikasi",
    "tlg": "tolong",
    "mhn": "mohon",
    **dict.fromkeys(("bnr", "bener", "beneran"), "benar"),
    **dict.fromkeys(("kalo", "klo", "kl"), "kalau"),
    **dict.fromkeys(("gitu", "gt"), "begitu"),
    "gini": "begini",
    "kog": "kok",
    **dict.fromkeys(("pake", "pk", "pakek"), "pakai"),
    "nunggu": "menunggu",
    **dict.fromkeys(("dibales", "dibls"), "dibalas"),
    "bales": "balas",
    **dict.fromkeys(("cuman", "cm"), "cuma"),
    **dict.fromkeys(("skrg", "skrng", "skg"), "sekarang"),
    **dict.fromkeys(("jd", "jdi"), "jadi"),
    **dict.fromkeys(("dpt", "dapet"), "dapat"),
    "duit": "uang",
    **dict.fromkeys(("tf", "trf", "trx"), "transfer"),
    "norek": "nomor rekening",
    **dict.fromkeys(("mbanking", "m-banking"), "mobile banking"),
    **dict.fromkeys(("antre", "ngantri", "ngantre"), "antri"),
    "abis": "habis",
    "tetep": "tetap",
    "nyampe": "sampai",
    "sampe": "sampai",
    # English
    "u": "you",
    **dict.fromkeys(("pls", "plz", "plis", "pliss"), "please"),
    **dict.fromkeys(("thanx", "tnx", "thnx", "thks"), "thanks"),
    "dont": "don't",
    "cant": "can't",
    "doesnt": "doesn't",
    "didnt": "didn't",
    "isnt": "isn't",
    "wasnt": "wasn't",
    "arent": "aren't",
    "havent": "haven't",
    "im": "i'm",
    "ur": "your",
    "gud": "good",
    "gr8": "great",
    "luv": "love",
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Common words whose double letters are real, so "gooood" -> "good", not "god".
KNOWN_WORDS: frozenset[str] = _words(
    """
    maaf saat taat good too really all well will still need feel see free soon look cool poor
    sorry happy apps access success process address bill call full less useless pass password
    staff offer off add account support agree fee fees week keep sleep tell sell small book
    took food door floor till kill fill hello follow tomorrow carry worry hurry error terrible
    horrible annoying apply approve middle little button letter better matter dollar connect
    correct comment difficult different efficient issue issues possible impossible officer
    official offline office waiting shopping stopped happened cannot annual appreciate
    appreciated attention assist necessary current currency sweet wallet e-wallet setting
    loop boost seem seems feedback"""
)

#: Reduplicated forms that are words of their own and must not shrink to their half.
REDUPLICATED_WORDS: frozenset[str] = _words(
    """
    hati-hati sama-sama jangan-jangan tiba-tiba apa-apa kupu-kupu laba-laba kura-kura
    mata-mata oleh-oleh pura-pura rata-rata masing-masing kira-kira lama-lama sia-sia
    gara-gara siapa-siapa mana-mana macam-macam main-main benar-benar bener-bener betul-betul
    sampai-sampai mati-matian lagi-lagi moga-moga"""
)

_CLITICS = ("nya", "lah", "kah", "pun", "ny")
_TOKEN_RE = re.compile(r"[\w]+(?:['-][\w]+)*|[?!.,;:]")
_RUN_RE = re.compile(r"([^\W\d_])\1+", re.UNICODE)
_CAMEL_RE = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_THOUSANDS_RE = re.compile(r"(?<=\d)[.,](?=\d)")
_REDUP_DIGIT_RE = re.compile(r"\b([^\W\d_]{2,})2([^\W\d_]*)\b", re.UNICODE)
_REDUP_HYPHEN_RE = re.compile(r"([^\W\d_]{2,})-\1", re.UNICODE)
_EMOJI_TABLE = {ord(emoji): f" {hint} " for emoji, hint in EMOJI_HINTS.items()}
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'"})
_MAX_STRETCH_RUNS = 6


def normalise(text: str, vocabulary: Collection[str] = frozenset()) -> str:
    """The normalised text: tokens joined by single spaces (see the module docstring)."""
    return " ".join(tokenise(text, vocabulary))


#: Resolved spellings, per raw token and vocabulary. People write the same words (and the
#: same misspellings) over and over, so each is worked out once; bounded, cleared when full.
_RESOLVED: dict[tuple[str, frozenset[str]], str] = {}
_RESOLVED_LIMIT = 100_000


def tokenise(text: str, vocabulary: Collection[str] = frozenset()) -> tuple[str, ...]:
    """The normalised tokens of `text`; `vocabulary` names the words the caller cares about."""
    known = _Known(vocabulary)
    cached = isinstance(vocabulary, frozenset)
    tokens: list[str] = []
    for raw in _TOKEN_RE.findall(_prepare(text)):
        if cached:
            key = (raw, vocabulary)
            resolved = _RESOLVED.get(key)  # type: ignore[arg-type]
            if resolved is None:
                if len(_RESOLVED) >= _RESOLVED_LIMIT:
                    _RESOLVED.clear()
                resolved = _RESOLVED[key] = _resolve(raw, known)  # type: ignore[index]
        else:
            resolved = _resolve(raw, known)
        for token in resolved.split():
            if tokens and token == tokens[-1] and (token in HINTS or not token[0].isalnum()):
                continue  # "😡😡😡" and "!!!" count once
            tokens.append(token)
    return tuple(tokens)


@lru_cache(maxsize=8)
def _prepare(text: str) -> str:
    """Cached for the last few texts only: ingestion reads each text twice in a row
    (sentiment, then the watchlist)."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES)
    text = _without_entities(text)
    text = text.translate(_EMOJI_TABLE)
    text = text.casefold()
    text = _THOUSANDS_RE.sub("", text)
    return _REDUP_DIGIT_RE.sub(_reduplication, text)


def _without_entities(text: str) -> str:
    """URLs and mentions out, hashtags as their words ('#KecewaBankNusa' -> 'Kecewa Bank
    Nusa'), found by the same rules as the final check's (`text_entities`)."""
    parts: list[str] = []
    position = 0
    for entity in entities_in(text):
        parts.append(text[position : entity.start])
        if entity.kind == "hashtag":
            parts.append(" " + _CAMEL_RE.sub(" ", entity.value).replace("_", " ") + " ")
        else:
            parts.append(" ")
        position = entity.end
    parts.append(text[position:])
    return "".join(parts)


def _reduplication(match: re.Match[str]) -> str:
    """'kecewa2' -> 'kecewa-kecewa' (resolved per word later); 'ngapa2in' -> 'ngapain'."""
    base, suffix = match.group(1), match.group(2)
    return base + suffix if suffix else f"{base}-{base}"


class _Known:
    """Membership in the caller's vocabulary, the slang table and the common words."""

    def __init__(self, vocabulary: Collection[str]) -> None:
        self.vocabulary = vocabulary

    def __contains__(self, word: str) -> bool:
        return (word in self.vocabulary or word in SLANG or word in KNOWN_WORDS
                or word in _SLANG_VALUES or word in REDUPLICATED_WORDS)


_SLANG_VALUES = frozenset(word for value in SLANG.values() for word in value.split())


def _resolve(token: str, known: _Known) -> str:
    """One raw token -> its normalised word(s)."""
    if not token[0].isalnum() and token[0] != "_":
        return token
    word = _spelling(token, known)
    return SLANG.get(word, word)


def _spelling(token: str, known: _Known) -> str:
    """The known spelling behind a stretched, cliticised or reduplicated token, else a guess.

    A reduplication ("kecewa-kecewa") stays whole when it is a word of its own ("hati-hati",
    or one the caller knows, such as "muter-muter"), and otherwise counts as its half.
    """
    doubled = _REDUP_HYPHEN_RE.fullmatch(token)
    if doubled and token not in known:
        return _spelling(doubled.group(1), known)
    for candidate in _stretch_variants(token):
        if candidate in known:
            return candidate
        for clitic in _CLITICS:
            stem = candidate.removesuffix(clitic)
            if stem != candidate and len(stem) >= 2 and stem in known:
                return stem
    # Unknown word: stretched runs (3 or more) shrink to one letter, real doubles stay.
    return re.sub(r"([^\W\d_])\1{2,}", r"\1", token)


def _stretch_variants(token: str) -> Iterator[str]:
    """The token first, then each way of writing its letter runs once or twice."""
    yield token
    runs = list(_RUN_RE.finditer(token))
    if not runs or len(runs) > _MAX_STRETCH_RUNS:
        return
    for lengths in product((2, 1), repeat=len(runs)):
        parts: list[str] = []
        position = 0
        for run, length in zip(runs, lengths, strict=True):
            parts.append(token[position : run.start()])
            parts.append(run.group(1) * length)
            position = run.end()
        parts.append(token[position:])
        candidate = "".join(parts)
        if candidate != token:
            yield candidate
