"""Crisis response templates (SOP stage 6): one holding statement and one reply per scenario at
least, the same placeholders in Bahasa Indonesia and English, and no text rendered with a
blank in it."""

from __future__ import annotations

import pytest

from socmed_domain.crisis.incident import IncidentCategory, ResponseKind
from socmed_domain.crisis.templates import (
    TEMPLATES,
    placeholders,
    render_template,
    template_key,
    templates_for,
)
from socmed_domain.errors import InvalidInputError

VALUES = {
    "brand": "Bank Contoh", "channel": "DM @bankcontoh atau 1500-123", "hours": "2",
    "ticket": "INC-0042", "topic": "gangguan transfer", "product": "Susu Contoh 400 g",
    "facts": "Promo itu palsu.", "data": "nama dan nomor telepon",
    "when_how": "1 Desember 2026, akses tidak sah ke server", "handling": "akses diblokir",
    "advice": "waspadai pesan yang mengatasnamakan kami", "account": "Instagram",
    "since": "1 Desember 2026 08.00 WIB",
}


@pytest.mark.parametrize("category", list(IncidentCategory), ids=lambda c: c.value)
def test_every_scenario_has_a_holding_statement_and_a_reply(category: IncidentCategory) -> None:
    keys = templates_for(category)
    assert template_key(category, ResponseKind.HOLDING_STATEMENT) in keys
    assert template_key(category, ResponseKind.REPLY) in keys


@pytest.mark.parametrize("key", sorted(TEMPLATES))
def test_both_languages_need_the_same_values(key: str) -> None:
    assert set(TEMPLATES[key]) == {"en", "id"}
    assert set(placeholders(key, "en")) == set(placeholders(key, "id"))
    assert TEMPLATES[key]["en"] != TEMPLATES[key]["id"]


@pytest.mark.parametrize("key", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["en", "id"])
def test_every_template_renders_whole(key: str, lang: str) -> None:
    text = render_template(key, lang, **VALUES)
    assert "{" not in text and "}" not in text
    for name in placeholders(key, lang):
        assert VALUES[name] in text


def test_a_holding_statement_in_bahasa_indonesia() -> None:
    text = render_template("complaint_wave.holding_statement", "id", brand="Bank Contoh",
                           topic="gangguan transfer", hours=2, channel="DM @bankcontoh")
    assert text.startswith("Kami mendengar Anda. Bank Contoh mengetahui")
    assert "dalam 2 jam" in text


def test_the_breach_notice_names_what_pasal_46_asks_for() -> None:
    key = "personal_data_breach.data_subject_notice"
    assert {"data", "when_how", "handling"} <= set(placeholders(key))
    assert "Pasal 46" in render_template(key, "id", **VALUES)


def test_a_missing_value_is_named() -> None:
    values = {k: v for k, v in VALUES.items() if k != "ticket"}
    with pytest.raises(InvalidInputError) as raised:
        render_template("other.reply", "en", **values)
    assert raised.value.code == "error.incident_template_value"
    assert "{ticket}" in str(raised.value)
    assert "{ticket}" in raised.value.message("id")


def test_a_blank_value_counts_as_missing() -> None:
    with pytest.raises(InvalidInputError) as raised:
        render_template("other.reply", "id", **{**VALUES, "channel": "  "})
    assert "{channel}" in str(raised.value)


def test_extra_values_are_ignored() -> None:
    text = render_template("other.reply", "en", **VALUES, unused="x")
    assert "INC-0042" in text


@pytest.mark.parametrize(("key", "lang", "code"), [
    ("complaint_wave.tweet", "en", "error.incident_template_unknown"),
    ("complaint_wave.reply", "jv", "error.unknown_choice"),
])
def test_unknown_templates_and_languages_are_refused(key: str, lang: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        render_template(key, lang, **VALUES)
    assert raised.value.code == code
