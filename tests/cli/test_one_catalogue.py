"""The one message catalogue: every code in both languages, plurals and numbers from the
catalogue and Babel, every screen fully Indonesian under --lang id, click's errors too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import Result

from socmed_adapters.i18n import BABEL
from socmed_cli.i18n import catalogue, t
from socmed_domain.catalogue_files import load
from socmed_domain.i18n import CATALOGUE, Catalogue, render
from socmed_domain.roles import Role

from .helpers import Socmed

SRC = Path(__file__).parents[2] / "src"
#: The CLI's own texts and table headings (socmed_cli/i18n.toml).
TEXTS = load("socmed_cli.i18n").messages
HEADERS_ID = load("socmed_cli.i18n").table("headers_id")

#: A string literal that is a message code: one of the catalogue's prefixes, a dot, a name.
_PREFIXES = sorted({code.split(".", 1)[0] for code in catalogue().messages if "." in code})
_DOTTED = re.compile(r"""["'](({})\.[A-Za-z_][A-Za-z0-9_]*[A-Za-z0-9])["']""".format(
    "|".join(_PREFIXES)))
#: File names that look like codes (calendar.toml).
_NOT_CODES = re.compile(r"\.(toml|json|csv|md|html|sqlite|py|txt)$")
#: A bare CLI key handed to the renderer: t("key", ...), say("key"), line("key", ...).
_BARE = re.compile(r"""\b(?:t|say|line|text)\(\s*["']([a-z][a-z0-9_]*)["']""")


def _codes_used() -> dict[str, str]:
    """Every code the sources hand to errors, findings, render, t, say or line."""
    used: dict[str, str] = {}
    for path in SRC.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        for pattern in (_DOTTED, _BARE):
            for match in pattern.finditer(source):
                if not _NOT_CODES.search(match.group(1)):
                    used.setdefault(match.group(1), str(path.relative_to(SRC)))
    return used


def test_every_code_used_in_the_sources_exists_in_both_languages() -> None:
    used = _codes_used()
    assert len(used) > 300  # the scan sees the codes (errors, findings, events, CLI texts)
    missing = {code: where for code, where in used.items() if code not in catalogue()}
    assert not missing, missing
    for code in used:
        texts = catalogue().messages[code]
        assert set(texts) == {"en", "id"} and texts["en"] and texts["id"], code


def test_every_report_word_used_exists_in_both_languages() -> None:
    """The reports ask for their words by key: label("reach", lang) is report.reach (the
    monthly report, the dashboard) or incident_report.<key> (the incident report)."""
    used = {(path.name, key) for path in SRC.rglob("*.py")
            for key in re.findall(r"""(?<![.\w])label\(\s*["']([a-z_]+)["']""",
                                  path.read_text(encoding="utf-8"))}
    assert len(used) > 50
    for name, key in used:
        code = f"incident_report.{key}" if name == "incident_markdown.py" else f"report.{key}"
        assert code in catalogue(), (name, key)
        assert set(catalogue().messages[code]) == {"en", "id"}, code


def test_every_catalogue_entry_has_both_languages_and_renders() -> None:
    for code, texts in catalogue().messages.items():
        assert set(texts) == {"en", "id"}, code
        assert texts["en"].strip() and texts["id"].strip(), code


def test_a_code_defined_twice_is_refused() -> None:
    with pytest.raises(ValueError, match=r"error\.not_found is defined twice"):
        CATALOGUE.extended("a front end", {"error.not_found": {"en": "x", "id": "y"}})
    with pytest.raises(ValueError, match=r"defined twice: in one and in two"):
        Catalogue([("one", {"a.b": {"en": "x", "id": "y"}}, {}),
                   ("two", {"a.b": {"en": "x", "id": "y"}}, {})])


def test_no_hand_made_plurals_are_left() -> None:
    for code, texts in catalogue().messages.items():
        for lang, template in texts.items():
            assert not re.search(r"[a-z]\(s\)", template.replace("http(s)", "")), (code, lang)


def test_plural_forms_come_from_the_catalogue() -> None:
    assert render("error.final_check", "en", count=1, findings="x") == (
        "final check failed for 1 rule: x")
    assert render("error.final_check", "en", count=3, findings="x") == (
        "final check failed for 3 rules: x")
    assert render("error.final_check", "id", count=1, findings="x") == (
        "pemeriksaan akhir gagal pada 1 aturan: x")
    assert t("ideas_planned", "en", count=1, month="2026-12") == "Planned 1 idea for 2026-12."
    assert t("ideas_planned", "en", count=0, month="2026-12") == "Planned 0 ideas for 2026-12."


def test_babel_formats_numbers_at_the_edge() -> None:
    # the plural's count and {n, number} in the reader's locale (en_US, id_ID)
    assert t("ideas_planned", "en", count=1200, month="m") == "Planned 1,200 ideas for m."
    status = {"status": "s", "start": "a", "end": "b", "budget": 150000000}
    assert t("campaign_show_status", "en", **status).endswith("budget: IDR 150,000,000")
    assert t("campaign_show_status", "id", **status).endswith("anggaran: Rp 150.000.000")
    assert BABEL.number(1234.5, "id") == "1.234,5"
    assert BABEL.plural(1, "en") == "one" and BABEL.plural(1, "id") == "other"
    # the domain alone (no Babel) writes plain numbers
    assert render("error.final_check", "en", count=1200, findings="x").endswith("1200 rules: x")


def test_the_language_lives_in_the_cli_state_not_a_module_global() -> None:
    import socmed_cli.output as output

    assert not hasattr(output, "LANG")


# -- screens under --lang id -------------------------------------------------------------


def _ids(socmed: Socmed, *args: str) -> str:
    return str(socmed.json(*args)[0]["id"])


#: English labels a screen could show: table headings and the fixed text that starts a CLI
#: line ("drafted by", "key message:", ...), where the Indonesian differs.
_HEADING_WORDS = ({word for english in HEADERS_ID for word in re.findall(r"[A-Za-z]{3,}",
                                                                        english)}
                  - {word for indonesian in HEADERS_ID.values()
                     for word in re.findall(r"[A-Za-z]{3,}", indonesian)})
_LINE_LABELS = sorted({label for texts in TEXTS.values() if texts["en"] != texts["id"]
                       for label in [re.split(r"\{", texts["en"])[0].strip()]
                       if len(label) >= 5 and label[0].islower()
                       and not texts["id"].startswith(label)})


def _english_left(output: str) -> list[str]:
    """The English headings (in a table's heading rows) and line labels in `output`."""
    left: list[str] = []
    lines = output.splitlines()
    in_heading = False
    for line in lines:
        if line.startswith("┏"):
            in_heading = True
            continue
        if line.startswith("┡"):
            in_heading = False
        if in_heading:
            left += [w for w in re.findall(r"[A-Za-z]{3,}", line) if w in _HEADING_WORDS]
        else:
            stripped = line.strip()
            left += [label for label in _LINE_LABELS if stripped.startswith(label)]
    return left


#: Codes a table shows in the reader's words: roles and event types; and the fixed words of
#: the texts the system records in English (an automatic escalation's note, a freeze's reason).
_ROLE_CODES = sorted(role.value for role in Role)
_RECORDED = sorted({piece.strip() for code, texts in catalogue().messages.items()
                    if code.startswith("recorded.")
                    for piece in re.split(r"\{\w+\}", texts["en"])
                    if len(piece.strip()) > 3 and piece.strip() not in texts["id"]})
_AUDIT_COLUMNS = {"role": ("Role", "Peran"), "event": ("Event", "Peristiwa"),
                  "reason": ("Reason / comment", "Alasan / komentar"),
                  "detail": ("Detail",)}


def _table_rows(output: str) -> list[dict[str, list[str]]]:
    """The rows of the tables in `output`: heading -> the lines of the cell (wrapped or folded
    text in a column comes back as several lines; a row starts where the first cell is set)."""
    rows: list[dict[str, list[str]]] = []
    headings: list[str] = []
    for line in output.splitlines():
        if line.startswith("┏"):
            headings = []
        elif line.startswith("┃"):
            cells = [cell.strip() for cell in line.strip("┃").split("┃")]
            headings = cells if not headings else [f"{a} {b}".strip()
                                                   for a, b in zip(headings, cells, strict=True)]
        elif line.startswith("│") and headings:
            cells = [cell.strip() for cell in line.strip("│").split("│")]
            if len(cells) != len(headings):
                continue
            if cells[0] or not rows:
                rows.append({heading: [] for heading in headings})
            for heading, cell in zip(headings, cells, strict=True):
                if cell:
                    rows[-1][heading].append(cell)
    return rows


def _codes_left(output: str) -> list[str]:
    """Role codes and event type names left in tables, and recorded English texts."""
    from socmed_domain.event_types import event_type_names

    events = set(event_type_names())
    left: list[str] = []
    for row in _table_rows(output):
        cells = {key: next((row[h] for h in names if h in row), [])
                 for key, names in _AUDIT_COLUMNS.items()}
        if not any(h in row for h in _AUDIT_COLUMNS["event"]):
            continue  # a role column outside an audit table is a code a command takes
        folded = {key: "".join(lines) for key, lines in cells.items()}
        if folded["role"] in _ROLE_CODES:
            left.append(folded["role"])
        if folded["event"] in events:
            left.append(folded["event"])
        for key in ("reason", "detail"):
            text = " ".join(cells[key])
            left += [piece for piece in _RECORDED if piece in text]
    return left


def test_the_checks_find_english_on_english_screens(demo_store: Socmed) -> None:
    """The screen checks below can fail: on the same screens in English they find labels,
    role codes, event type names and the texts the system recorded in English."""
    out = demo_store.ok("--lang", "en", "strategy", "show").stdout
    out += demo_store.ok("--lang", "en", "content", "list").stdout
    assert {"drafted by", "goals:"} <= set(_english_left(out))
    assert "Author" in _english_left(out)
    incident = _ids(demo_store, "incident", "list")
    codes = _codes_left(demo_store.ok("--as", "sari.legal", "--lang", "en", "audit", "log").stdout
                        + demo_store.ok("--lang", "en", "incident", "show", incident).stdout)
    assert {"marketing_manager", "legal", "MemberAdded", "IncidentEscalated", "Expired",
            "required at level", "classification", "not approved by its slot (status"} <= set(codes)


def test_every_screen_is_indonesian_under_lang_id(demo_store: Socmed) -> None:
    content = _ids(demo_store, "content", "list")
    conversation = _ids(demo_store, "inbox", "list")
    campaign = _ids(demo_store, "campaign", "list")
    incident = _ids(demo_store, "incident", "list")
    screens = [
        ("team", "list"), ("content", "list"), ("content", "show", content),
        ("campaign", "list"), ("campaign", "show", campaign), ("strategy", "show"),
        ("strategy", "versions"), ("calendar", "show", "--month", "2026-12"),
        ("calendar", "check", "--month", "2026-12"), ("incident", "list"),
        ("incident", "show", incident), ("inbox", "list"), ("inbox", "show", conversation),
        ("publish", "log"), ("projections", "status"), ("platforms", "rules"),
        ("metrics", "latest"), ("dashboard",), ("audit", "verify"),
        ("--as", "sari.legal", "audit", "log"),
        ("content", "history", content),
    ]
    english: dict[str, list[str]] = {}
    for args in screens:
        result: Result = demo_store.ok("--lang", "id", *args)
        left = _english_left(result.stdout) + _codes_left(result.stdout)
        if left:
            english[" ".join(args)] = left
    assert not english, english


@pytest.mark.parametrize(("args", "expected"), [
    (["--bogus"], "galat: Opsi '--bogus' tidak ada."),
    (["--lnag", "id"], "galat: Opsi '--lnag' tidak ada. (Maksud Anda salah satu dari: "
                       "'--as', '--lang'?)"),
    (["content", "show"], "galat: Argumen 'ITEM' belum diberikan."),
    (["nosuch"], "galat: Perintah 'nosuch' tidak ada."),
    (["content", "show", "a", "b"], "galat: Ada argumen tambahan yang tidak diharapkan (b)"),
    (["inbox", "list", "--limit", "x"],
     "galat: Nilai tidak valid untuk '--limit': 'x' bukan bilangan bulat yang valid."),
    (["inbox", "list", "--status", "zz"],
     "galat: Nilai tidak valid untuk '--status': 'zz' bukan salah satu dari 'received', "
     "'assigned', 'replied', 'closed'."),
    (["content", "withdraw", "x"], "galat: Opsi '--reason' belum diberikan."),
])
def test_click_usage_errors_are_indonesian(socmed: Socmed, args: list[str],
                                           expected: str) -> None:
    result = socmed("--lang", "id", *args) if args[0] != "--lnag" else socmed(
        *args, env={"SOCMED_LANG": "id"})
    assert result.exit_code == 2
    assert result.stderr.strip() == expected
    english = socmed("--lang", "en", *args) if args[0] != "--lnag" else socmed(*args)
    assert english.stderr.startswith("error: ") and "galat" not in english.stderr


def test_typed_placeholders_durations_dates_and_exact_counts() -> None:
    from datetime import date, timedelta

    from socmed_domain.i18n import PLAIN, fill

    template = "{d, duration} / {day, date} / {n, plural, =0 {none} one {# item} other {# items}}"
    params = {"d": timedelta(minutes=90), "day": date(2026, 12, 7), "n": 0}
    assert fill(template, "en", BABEL, params) == "2 hours / Dec 7, 2026 / none"
    assert fill(template, "id", BABEL, {**params, "n": 2}) == "2 jam / 7 Des 2026 / 2 items"
    assert fill(template, "en", PLAIN, {**params, "n": 1}) == "5400 s / 2026-12-07 / 1 item"
    # braces escaped as in str.format stay literal
    assert fill("{{x}} {n, plural, one {#} other {#s}}", "en", PLAIN, {"n": 2}) == "{x} 2s"
    with pytest.raises(ValueError, match="malformed plural"):
        fill("{n, plural, one {# item}}", "en", PLAIN, {"n": 1})


def test_texts_the_system_records_are_written_as_before() -> None:
    """Stored data does not change: the domain writes these texts from the 'en' templates,
    which say exactly what the f-strings before them said."""
    assert render("recorded.required_at_level", "en", level=3) == "required at level 3"
    assert render("recorded.level_classification", "en", level=4) == "level 4 classification"
    assert render("recorded.not_approved_by_slot", "en", status="draft") == (
        "not approved by its slot (status draft)")
    assert render("recorded.held_frozen", "en", refs="INC-1, INC-2") == (
        "held: publishing is frozen by incident INC-1, INC-2")


def test_a_table_shows_recorded_texts_in_the_readers_language_and_keeps_typed_ones() -> None:
    from socmed_cli.i18n import translate_recorded

    assert translate_recorded("held: publishing is frozen by incident INC-7", "id") == (
        "ditahan: publikasi dibekukan oleh insiden INC-7")
    assert translate_recorded("not approved by its slot (status in_review)", "id") == (
        "belum disetujui saat slotnya tiba (status sedang direview)")
    assert translate_recorded("required at level 3", "en") == "required at level 3"
    typed = "Layanan pulih; required at level 3 per SOP"  # what a member typed stays as is
    assert translate_recorded(typed, "id") == typed


def test_every_event_type_has_a_name_in_both_languages() -> None:
    """A table names event types in the reader's words (event_name.<Type>); a new event type
    needs its name in the catalogue (socmed_domain/i18n.toml), or tables show the type."""
    from socmed_domain.event_types import event_type_names

    missing = [name for name in event_type_names() if f"event_name.{name}" not in catalogue()]
    assert not missing, f"add [messages.\"event_name.<Type>\"] for: {missing}"
    for name in event_type_names():
        assert catalogue().messages[f"event_name.{name}"]["en"] == name


def test_a_role_reads_as_its_title_in_both_languages() -> None:
    """An audit table names a role as 'team list' titles it: the catalogue's role labels are
    the roles' titles (socmed_domain.roles), so the two cannot drift apart."""
    from socmed_cli.i18n import code_label

    for role in Role:
        assert code_label(role.value, "id") == role.title_id
        assert code_label(role.value, "en") == role.value  # English tables keep the code
