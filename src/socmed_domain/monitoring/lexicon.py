"""The sentiment lexicon: scored words and phrases, negators, boosters and clause markers.

Plain data, written for what customers of an Indonesian bank or fintech write about it:
Bahasa Indonesia (formal and slang, already normalised by `normalise`), English and both mixed.
Scores run from -3 (strongly negative) to +3 (strongly positive); a phrase ("saldo hilang",
"fast response") is written with single spaces and wins over its single words.

Kinds of entry and why they exist:

- TERMS: words and phrases that carry a feeling on their own.
- EXPECTATIONS: things a customer expects to happen ("respon", "masuk", "refund"). They are
  neutral when present and negative when negated ("belum masuk", "tidak ada respon",
  "no reply"); the score here is the score when negated.
  Ambiguous ones are left out ("sampai" is also "until").
- NEUTRAL_PHRASES: fixed expressions that contain a negator but do not negate
  ("tidak hanya" = not only, "tidak apa-apa" = it's fine); matched first so they swallow it.
- NEGATORS: flip what follows; the value is the factor (-0.8: "tidak bagus" is a bit less
  negative than "jelek" is); "kurang" and "jarang" only soften (-0.7: "kurang cepat" is
  mildly negative, "jarang error" mildly positive).
- BOOSTERS_BEFORE / BOOSTERS_AFTER: multipliers for the next or the previous term ("sangat
  bagus", "bagus banget"); values below 1 soften ("agak lambat").
- CONTRAST: "tapi", "namun", "but": the clause after it weighs more than the one before.
- CONCESSIVE: "meskipun", "walaupun", "although": the clause they open weighs less.
- CONDITIONAL: "kalau", "jika", "if": the clause they open is hypothetical and weighs less
  ("cara blokir kartu kalau hilang" reports no loss).
- RHETORICAL: question words that make a question a complaint ("kenapa error terus?").
- COORDINATORS: "dan", "and": a negation carries on over them ("tidak ramah dan cepat").

Tune only on the dev split of tests/data/sentiment_labelled.jsonl and bump VERSION on every
change, so each stored score names the lexicon that produced it.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from attrs import evolve, field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.normalise import NEGATIVE_HINT, POSITIVE_HINT

VERSION = "2026.12-1"
MIN_SCORE = -3.0
MAX_SCORE = 3.0


def _scored(score: float, words: str) -> dict[str, float]:
    """Many entries with one score: one entry per line or comma-separated item."""
    items = [item.strip() for line in words.splitlines() for item in line.split(",")]
    return {item: score for item in items if item}


TERMS: dict[str, float] = {
    # --- positive, Bahasa Indonesia ---
    **_scored(3.0, "luar biasa, sempurna, terbaik, the best, bukan main"),
    **_scored(2.5, """mantap, hebat, memuaskan, salut, solutif, menyenangkan, juara, gerak cepat,
        cepat tanggap, recommended, prima"""),
    **_scored(2.0, """bagus, keren, kece, top, puas, senang, bangga, ramah, sopan, sigap,
        tanggap, responsif, membantu, terbantu, lancar, nyaman, bermanfaat, profesional,
        teratasi, tuntas, beres, apresiasi, mengapresiasi, istimewa, diandalkan, andal, handal,
        cekatan, terima kasih, lebih baik, tepat waktu, user friendly, bersahabat,
        berguna, canggih, amanah, terpercaya"""),
    **_scored(1.5, """cepat, aman, mudah, gampang, praktis, suka, cinta, sabar, stabil, efisien,
        menarik, hemat, cocok, kompetitif, lega, enak, jelas, sukses, berhasil, solusi,
        transparan, rapi, instan, instant, real time, mulus, ringan, alhamdulillah, syukur,
        worth, worth it, sip"""),
    **_scored(1.0, "baik, bersih, modern, tenang, selesai, murah, gratis, simpel, simple"),
    "oke": 0.5,
    # --- negative, Bahasa Indonesia ---
    **_scored(-3.0, """penipuan, penipu, ditipu, tertipu, menipu, dibobol, pembobolan, saldo hilang,
        saldo raib, uang hilang, uang raib, sampah, maling, rampok, perampok"""),
    **_scored(-2.5, """kecewa, mengecewakan, menyesal, buruk, hancur, amburadul, kapok, trauma,
        dirugikan, merugikan, raib, mencekik, curang, bohong, dipersulit, ampas, scam,
        kecewa berat, sangat buruk, tidak jelas, tidak sesuai, apaan"""),
    **_scored(-2.0, """jelek, parah, kesal, marah, menyebalkan, ribet, lemot, lambat, error, gagal,
        crash, force close, gangguan, bermasalah, terblokir, diblokir, dibekukan, rusak, payah,
        menyusahkan, merepotkan, membingungkan, mempersulit, sombong, ketus, jutek, judes,
        kasar, diabaikan, dicuekin, percuma, sia-sia, zonk, php, rugi, lalai, tertelan, nelen,
        ditelan, saldo terpotong, terpotong, saldo berkurang, transaksi ganda, debit ganda,
        tertahan, nyangkut, mencurigakan, bahaya, palsu, phishing, modus, dioper, dilempar,
        muter-muter, berlarut-larut, bagaimana sih, slow respon, slow response, down, hang"""),
    **_scored(-1.5, """susah, sulit, telat, terlambat, masalah, kendala, ditahan, hilang, capek,
        emosi, panik, takut, khawatir, seram, serem, bosan, bosen, repot, macet, mahal, aneh,
        lag, delay, bug, dadakan, sepihak, antrian panjang, berat, malu, bingung, malas, males,
        cuek, sayangnya, offline, pending, berkurang, potongan, dipotong, diputus"""),
    **_scored(-1.0, "lama, antri, mending, mati, keluhan, komplain, complain"),
    "kurang ajar": -2.5,
    # --- positive, English ---
    **_scored(3.0, "excellent, awesome, amazing, perfect, wonderful, outstanding, fantastic, best"),
    **_scored(2.5, """great, love, impressed, kudos, highly recommended, well done, good job,
        great job, love it, much better, perfectly"""),
    **_scored(2.0, """good, nice, happy, satisfied, helpful, friendly, smooth, reliable, thanks,
        thank you, thank, appreciate, appreciated, glad, pleased, professional, polite,
        responsive, painless, recommend, fast response, quick response, resolved, solved"""),
    **_scored(1.5, """fast, quick, easy, secure, safe, transparent, transparency, convenient,
        stable, better, improved, cool, patient, instant, clean, worth, fixed, enjoy"""),
    **_scored(1.0, "fine, simple, works, working fine, help, okay, like it"),
    # --- negative, English ---
    **_scored(-3.0, """terrible, horrible, awful, worst, nightmare, hate, fraud, unacceptable,
        stolen"""),
    **_scored(-2.5, """disappointed, disappointing, useless, ridiculous, rude, unprofessional,
        regret, unreliable, sucks, hidden fees, charged twice, double charged, downhill,
        frustrating, frustrated, angry"""),
    **_scored(-2.0, """bad, poor, annoying, annoyed, upset, slow, laggy, crash, crashing, crashes,
        crashed, broken, fail, failed, failing, fails, failure, error, errors, blocked, frozen,
        unhelpful, inconvenient, overpriced, swallowed, deducted, not cool, ignoring, ignored,
        confusing"""),
    **_scored(-1.5, """bug, bugs, problem, problems, stuck, lost, missing, expensive, delay,
        delayed, complicated, difficult, declined, lag, confused, issue, issues, pending,
        waiting, nobody, no one, expired"""),
    **_scored(-1.0, "hard, hidden, complaint, seriously"),
    # --- emoji hints from the normaliser ---
    POSITIVE_HINT: 1.5,
    NEGATIVE_HINT: -2.0,
}

EXPECTATIONS: dict[str, float] = {
    **_scored(-2.0, """respon, respons, jawaban, balasan, kejelasan, solusi, tanggapan, kabar,
        perubahan, masuk, keluar, kembali, balik, diangkat, dibalas, direspon, ditanggapi,
        diproses, dikirim, cair, menyelesaikan, diselesaikan, ditangani, dicairkan, response,
        reply, answer, refund, update, solution, arrived, arrives, received, work, working,
        solved, respond, responds, responded, help, helped, lunas, jadi, dibenerin, diperbaiki,
        membalas, merespon"""),
    **_scored(-1.5, """bisa, jalan, berfungsi, dibuka, terkirim, muncul, nyambung, login, log in,
        mau"""),
}

NEUTRAL_PHRASES: frozenset[str] = frozenset(_scored(0.0, """tidak hanya, bukan hanya, tidak cuma,
    bukan cuma, tidak apa-apa, tidak perlu, not only, no worries, no need, tidak usah,
    bukan begitu, top up, top-up"""))

NEGATORS: dict[str, float] = {
    **_scored(-0.8, """tidak, bukan, belum, jangan, tanpa, bukannya, not, no, never, don't,
        doesn't, didn't, isn't, wasn't, aren't, weren't, can't, cannot, couldn't, won't,
        wouldn't, shouldn't, haven't, hasn't, hadn't, without, nothing, neither, nor"""),
    **_scored(-0.7, "kurang, jarang, rarely, hardly, seldom"),
}

BOOSTERS_BEFORE: dict[str, float] = {
    **_scored(1.5, """sangat, amat, sungguh, benar-benar, betul-betul, paling, super, terlalu,
        very, really, extremely, totally, absolutely, completely, incredibly, highly, truly"""),
    **_scored(1.4, "so, too, such"),
    **_scored(1.3, "makin, semakin, tambah, bertambah, lebih"),
    **_scored(1.25, "sering, selalu, tiap, always, keep, keeps, constantly"),
    **_scored(0.6, "agak, sedikit, lumayan, rada, slightly, a bit, a little, somewhat"),
}

BOOSTERS_AFTER: dict[str, float] = {
    **_scored(1.5, "banget, sekali, parah, abis, sama sekali, at all, so much, a lot, berat"),
    **_scored(1.25, "terus, lagi, terus-terusan, mulu, again"),
}

CONTRAST: frozenset[str] = frozenset({"tapi", "tetapi", "namun", "but", "however", "sayangnya",
                                      "malah", "justru"})
CONCESSIVE: frozenset[str] = frozenset({"meskipun", "walaupun", "walau", "meski", "padahal",
                                        "although", "though", "even though", "despite"})
CONDITIONAL: frozenset[str] = frozenset({"kalau", "jika", "apabila", "bila", "seandainya",
                                         "if", "in case"})
RHETORICAL: frozenset[str] = frozenset({"kenapa", "mengapa", "kok", "why", "masa", "masak"})
COORDINATORS: frozenset[str] = frozenset({"dan", "atau", "maupun", "ataupun", "serta", "and",
                                          "or", "nor"})


def _frozen_scores(value: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(value))


@frozen
class Lexicon:
    """One versioned lexicon; scores and stored results name `version` for audit."""

    version: str
    terms: Mapping[str, float] = field(converter=_frozen_scores, hash=False)
    expectations: Mapping[str, float] = field(converter=_frozen_scores, hash=False)
    negators: Mapping[str, float] = field(converter=_frozen_scores, hash=False)
    boosters_before: Mapping[str, float] = field(converter=_frozen_scores, hash=False)
    boosters_after: Mapping[str, float] = field(converter=_frozen_scores, hash=False)
    neutral_phrases: frozenset[str] = frozenset()
    contrast: frozenset[str] = frozenset()
    concessive: frozenset[str] = frozenset()
    conditional: frozenset[str] = frozenset()
    rhetorical: frozenset[str] = frozenset()
    coordinators: frozenset[str] = frozenset()

    def __attrs_post_init__(self) -> None:
        for table in (self.terms, self.expectations):
            for term, score in table.items():
                if not term.strip() or not MIN_SCORE <= score <= MAX_SCORE:
                    raise InvalidInputError("error.lexicon_score", term=term, score=score)

    @property
    def vocabulary(self) -> frozenset[str]:
        """Every single word the lexicon uses, to guide the normaliser."""
        entries = (
            *self.terms, *self.expectations, *self.negators, *self.boosters_before,
            *self.boosters_after, *self.neutral_phrases, *self.contrast, *self.concessive,
            *self.conditional,
            *self.rhetorical, *self.coordinators,
        )
        return frozenset(word for entry in entries for word in entry.split())

    def with_terms(self, terms: Mapping[str, float], version: str) -> Lexicon:
        """A copy with terms added or rescored (e.g. a product name); give it a new version."""
        return evolve(self, version=version, terms={**self.terms, **terms})


DEFAULT = Lexicon(
    version=VERSION,
    terms=TERMS,
    expectations=EXPECTATIONS,
    negators=NEGATORS,
    boosters_before=BOOSTERS_BEFORE,
    boosters_after=BOOSTERS_AFTER,
    neutral_phrases=NEUTRAL_PHRASES,
    contrast=CONTRAST,
    concessive=CONCESSIVE,
    conditional=CONDITIONAL,
    rhetorical=RHETORICAL,
    coordinators=COORDINATORS,
)
