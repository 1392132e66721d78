"""Sensitive topics and campaign keywords to watch for in comments, mentions and DMs.

SOP stage 4 asks the team to spot potential issues early; stage 6 classifies them. A hit names
the topic and the watchlist term, so whoever triages it sees why the text was flagged, and
sensitive topics (everything except campaign keywords) are the ones to escalate.

Matching is on normalised tokens (see `normalise`), so it is word-boundary aware ("sue" does
not match "issue", "modus" matches "modusnya") and slang-aware ("data gw bocor" is "data saya
bocor"). In a term, "*" stands for a gap of up to GAP_WORDS words: "data * bocor" matches "data
bocor", "data saya bocor" and "data nomor saya bisa bocor", but never across the end of a
sentence.

The values here are the built-in ones: the banking pack and the default of a store that
never applied a configuration. The services read the company's configuration in force
(`app.configuration`, socmed_domain.configuration; issue 17).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from attrs import evolve, field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.monitoring.normalise import tokenise

VERSION = "2026.12-1"
GAP = "*"
GAP_WORDS = 3
_SENTENCE_ENDS = frozenset({".", "!", "?", ";"})


class Topic(enum.Enum):
    SARA = "sara"  # suku, agama, ras, antargolongan: ethnicity, religion, race, group
    LEGAL_THREAT = "legal_threat"
    DATA_LEAK = "data_leak"
    SAFETY = "safety"
    BOYCOTT = "boycott"
    FRAUD = "fraud"
    CAMPAIGN = "campaign"


def _terms(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.replace("\n", ",").split(",") if item.strip())


TOPICS: dict[Topic, tuple[str, ...]] = {
    Topic.SARA: _terms("""
        sara, rasis, rasisme, racist, racism, kafir, penistaan agama, penistaan,
        menghina agama, penghinaan agama, diskriminasi, discrimination, pribumi, non pribumi,
        aseng, antek asing, riba, haram, religious, blasphemy"""),
    Topic.LEGAL_THREAT: _terms("""
        somasi, lapor polisi, lapor * polisi, laporkan * polisi, melapor * polisi, polisi,
        gugat, gugatan, menggugat, digugat, tuntut, menuntut, tuntutan, pengacara,
        kuasa hukum, jalur hukum, ranah hukum, proses hukum, pidana, perdata, ojk, lapor ojk,
        ylki, bpsk, lapor bi, uu pdp, sue, suing, lawsuit, lawyer, attorney, legal action,
        court, police, report * police, regulator"""),
    Topic.DATA_LEAK: _terms("""
        data bocor, bocor data, kebocoran data, kebocoran, data saya tersebar, data * bocor,
        data * tersebar, data * disebar, data * dijual, data pribadi tersebar,
        jual beli data, data leak, data leaked, data breach, leaked, breach, data * leaked"""),
    Topic.SAFETY: _terms("""
        bunuh diri, bunuh, ancam, ancaman, mengancam, diancam, teror, diteror, meneror,
        intimidasi, diintimidasi, pelecehan, dilecehkan, kekerasan, debt collector,
        suicide, kill myself, kill, threat, threatened, threatening, harassment, harassed,
        bomb, violence"""),
    Topic.BOYCOTT: _terms("""
        boikot, boycott, uninstall, hapus aplikasi, tutup rekening, tutup akun, pindah bank,
        pindah ke bank lain, kapok, jangan pakai, stop using, switch banks, close my account,
        closing my account, don't use"""),
    Topic.FRAUD: _terms("""
        penipuan, penipu, tipu, ditipu, menipu, tertipu, modus, modus penipuan, scam, scammer,
        scammed, phishing, fraud, soceng, social engineering, skimming, dibobol, pembobolan,
        bobol, hacked, dihack, diretas, peretasan, link palsu, akun palsu, cs palsu,
        aplikasi palsu, fake account, minta otp, minta kode otp, meminta kode otp, share otp,
        asked for my otp, saldo hilang, saldo raib, uang hilang, uang raib,
        transaksi tidak dikenal, unauthorized transaction, unauthorised transaction"""),
}


@frozen
class WatchlistHit:
    """One watched term found in a text: its topic, the term, and the words it matched."""

    topic: Topic
    term: str
    matched: str
    campaign: str = ""

    @property
    def sensitive(self) -> bool:
        """Sensitive hits are potential issues to escalate; campaign hits only track buzz."""
        return self.topic is not Topic.CAMPAIGN


@frozen
class CampaignKeywords:
    """The keywords of one campaign (its name, hashtag, product, promo code)."""

    campaign: str
    terms: tuple[str, ...]


def _frozen_topics(value: Mapping[Topic, Iterable[str]]) -> Mapping[Topic, tuple[str, ...]]:
    return MappingProxyType({topic: tuple(terms) for topic, terms in value.items()})


@frozen
class _Pattern:
    words: tuple[str, ...]
    topic: Topic
    term: str
    campaign: str


@frozen
class Watchlist:
    """Sensitive topics and campaign keyword sets; immutable, so extend it with `with_*`."""

    version: str
    topics: Mapping[Topic, tuple[str, ...]] = field(converter=_frozen_topics, hash=False)
    campaigns: tuple[CampaignKeywords, ...] = ()
    _patterns: dict[str, tuple[_Pattern, ...]] = field(init=False, eq=False, hash=False,
                                                        repr=False)
    _vocabulary: frozenset[str] = field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        entries = [(topic, term, "") for topic, terms in self.topics.items() for term in terms]
        entries += [(Topic.CAMPAIGN, term, keywords.campaign)
                    for keywords in self.campaigns for term in keywords.terms]
        vocabulary = frozenset(word for _, term, _ in entries for word in term.lower().split())
        by_head: dict[str, list[_Pattern]] = {}
        for topic, term, campaign in entries:
            words = _term_words(term, vocabulary)
            by_head.setdefault(words[0], []).append(_Pattern(words, topic, term, campaign))
        patterns = {head: tuple(group) for head, group in by_head.items()}
        object.__setattr__(self, "_patterns", patterns)
        object.__setattr__(self, "_vocabulary", vocabulary)

    def match(self, text: str) -> tuple[WatchlistHit, ...]:
        """Every (topic, term) found in `text`, once each, in order of first appearance.

        At each position the longest match of a topic wins, and a topic's matches never
        overlap, so "lapor ke polisi" reports "lapor * polisi" and not "polisi" as well.
        """
        tokens = tokenise(text, self._vocabulary)
        found: list[tuple[int, int, WatchlistHit]] = []
        covered: dict[tuple[Topic, str], set[int]] = {}
        for start in range(len(tokens)):
            best: dict[tuple[Topic, str], tuple[int, _Pattern]] = {}
            for pattern in self._patterns.get(tokens[start], ()):
                end = _match_at(pattern.words, tokens, start)
                key = (pattern.topic, pattern.campaign)
                if end is not None and (key not in best or end > best[key][0]):
                    best[key] = (end, pattern)
            for key, (end, pattern) in best.items():
                span = set(range(start, end))
                if span & covered.setdefault(key, set()):
                    continue
                covered[key] |= span
                hit = WatchlistHit(pattern.topic, pattern.term, " ".join(tokens[start:end]),
                                   pattern.campaign)
                found.append((start, len(found), hit))
        hits: list[WatchlistHit] = []
        seen: set[tuple[Topic, str, str]] = set()
        for _, _, hit in sorted(found, key=lambda item: (item[0], item[1])):
            if (hit.topic, hit.term, hit.campaign) not in seen:
                seen.add((hit.topic, hit.term, hit.campaign))
                hits.append(hit)
        return tuple(hits)

    def with_campaign(self, campaign: str, terms: Iterable[str]) -> Watchlist:
        """A copy that also watches `campaign`'s keywords (replacing an earlier set)."""
        name = campaign.strip()
        if not name:
            raise InvalidInputError("error.empty", field="campaign name")
        words = tuple(term.strip() for term in terms if term.strip())
        if not words:
            raise InvalidInputError("error.empty", field=f"keywords of campaign {name}")
        kept = tuple(keywords for keywords in self.campaigns if keywords.campaign != name)
        return evolve(self, campaigns=(*kept, CampaignKeywords(name, words)))

    def without_campaign(self, campaign: str) -> Watchlist:
        """A copy that no longer watches `campaign` (after it ends)."""
        kept = tuple(keywords for keywords in self.campaigns if keywords.campaign != campaign)
        return evolve(self, campaigns=kept)

    def with_terms(self, topic: Topic, terms: Iterable[str], version: str) -> Watchlist:
        """A copy with more terms for a sensitive topic; give it a new version."""
        merged = {**self.topics, topic: (*self.topics.get(topic, ()), *terms)}
        return evolve(self, version=version, topics=merged)


def _term_words(term: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """A term normalised like the texts it is matched against; '*' stays a gap."""
    words: list[str] = []
    for part in term.split():
        words.extend([GAP] if part == GAP else tokenise(part, vocabulary))
    if not words or words[0] == GAP or words[-1] == GAP:
        raise InvalidInputError("error.watchlist_term", term=term)
    return tuple(words)


def _match_at(words: tuple[str, ...], tokens: tuple[str, ...], start: int) -> int | None:
    """The end of the longest match of `words` at tokens[start], or None."""
    if not words:
        return start
    head, rest = words[0], words[1:]
    if head == GAP:
        ends = (_match_at(rest, tokens, start + gap) for gap in range(GAP_WORDS + 1)
                if not _SENTENCE_ENDS.intersection(tokens[start : start + gap]))
        return max((end for end in ends if end is not None), default=None)
    if start < len(tokens) and tokens[start] == head:
        return _match_at(rest, tokens, start + 1)
    return None


DEFAULT_WATCHLIST = Watchlist(version=VERSION, topics=TOPICS)


def match(text: str, watchlist: Watchlist = DEFAULT_WATCHLIST) -> tuple[WatchlistHit, ...]:
    """Every watched term in `text`, by topic (see `Watchlist.match`)."""
    return watchlist.match(text)
