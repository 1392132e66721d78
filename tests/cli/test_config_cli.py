"""`socmed config` and the packs end to end: a bad file is one line naming the file, the field
and what is allowed, and nothing is applied (each kind of error); export -> apply is refused
as unchanged; `init --pack`; `strategy export` round-trips; the demo month runs under each
pack, its flows reading the pack's rules."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest

from socmed_adapters.configuration_file import (
    PACKS,
    configuration_from_dict,
    configuration_to_toml,
    pack_text,
    read_pack,
)
from socmed_adapters.strategy_file import read_strategy_file
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from tests.cli.helpers import Socmed, assert_one_line_error, event_count

EXAMPLE_STRATEGY = Path(__file__).parents[2] / "docs" / "examples" / "strategy-2027.toml"


@pytest.fixture
def store(tmp_path: Path) -> Socmed:
    run = Socmed(tmp_path / "store")
    run.ok("init", "--org", "PT Teh Nusantara", "--manager", "rina.mm", "--name", "Rina")
    run.ok("--as", "rina.mm", "team", "add", "budi.dm", "--name", "Budi",
           "--role", "digital_marketing")
    return run


def test_every_pack_is_valid_and_banking_is_the_built_in_default() -> None:
    assert read_pack("banking") == DEFAULT_CONFIGURATION
    names = set()
    for pack in PACKS:
        config = read_pack(pack)
        names.add(config.name)
        # export -> read gives the same configuration back
        assert configuration_from_dict(tomllib.loads(configuration_to_toml(config))) == config
        assert pack_text(pack).startswith("# socmed industry pack")
    assert names == set(PACKS)
    food, telecom = read_pack("food"), read_pack("telecom")
    assert "bpom" in food.watchlist.terms["legal_threat"]
    assert "bpom" in food.checklist_keys and "halal" in food.checklist_keys
    assert "sim swap" in telecom.watchlist.terms["fraud"]
    assert {"pulsa_kuota", "sim_swap"} <= set(telecom.reply_templates)


def test_apply_show_export_history(store: Socmed, tmp_path: Path) -> None:
    out = store.ok("--as", "rina.mm", "config", "apply", "--pack", "food",
                   "--reason", "we sell tea").stdout
    assert "Configuration version 1 (food) is in force" in out
    shown = store.json("config", "show")
    assert shown["version"] == 1 and shown["applied_by"] == "rina.mm"
    assert shown["reason"] == "we sell tea" and shown["source"] == "pack food"
    assert shown["configuration"]["name"] == "food"
    assert store.json("config", "show", "--version", "0")["configuration"]["name"] == "banking"
    table = store.ok("config", "show").stdout
    assert "halal_question" in table and "bpom" in table
    exported = tmp_path / "company.toml"
    store.ok("config", "export", "--output", str(exported))
    assert exported.read_text() == store.ok("config", "export").stdout
    # export -> apply: no change, refused as unchanged, nothing written
    before = event_count(Path(str(store.data_dir)))
    line = assert_one_line_error(store("--as", "rina.mm", "config", "apply", str(exported)))
    assert "already in force (version 1)" in line
    assert event_count(Path(str(store.data_dir))) == before
    # an edit of the exported file is the next version, with only that section changed
    text = exported.read_text().replace('"menyembuhkan",', '"menyembuhkan",\n    "detoks",')
    exported.write_text(text)
    store.ok("--as", "rina.mm", "config", "apply", str(exported), "--reason", "Legal")
    history = store.json("config", "history")
    assert [row["version"] for row in history] == [0, 1, 2]
    assert history[2]["changed"] == "content"
    assert store.json("config", "show", "--version", "1")["configuration"] == \
        store.json("config", "show", "--version", "1")["configuration"]
    assert "detoks" in store.ok("config", "export", "--version", "2").stdout
    assert "detoks" not in store.ok("config", "export", "--version", "1").stdout
    # the stages read it: the CLI's checklist and reply templates are the pack's
    assert "halal" in store.ok("content", "checklist").stdout
    assert "product_recall" in store.ok("inbox", "templates").stdout
    assert "recall_notice" in store.ok("incident", "template", "--category",
                                       "product_safety", "--list").stdout


def test_only_the_marketing_manager_applies(store: Socmed) -> None:
    line = assert_one_line_error(store("--as", "budi.dm", "config", "apply", "--pack", "food"))
    assert "marketing_manager" in line
    line = assert_one_line_error(store("config", "show", "--version", "9"))
    assert "no configuration version 9" in line


BASE = configuration_to_toml(DEFAULT_CONFIGURATION)

#: (what is wrong, how the file is changed, the field named, what the line says is allowed)
BAD_FILES = [
    ("TOML syntax", lambda t: t + "\n[sla\n", None, None),
    ("unknown section", lambda t: t + "\n[notifications]\nx = 1\n", "notifications",
     "name, description, reply_templates"),
    ("unknown field", lambda t: t.replace("banned_phrases = [", "banned_phrasez = ["),
     "content.banned_phrasez", "banned_phrases, required_disclosures"),
    ("text for a number", lambda t: t.replace("first_response_minutes = 15\n",
                                              'first_response_minutes = "15"\n', 1),
     "sla.targets.urgent.first_response_minutes", "a whole number"),
    ("text for a list", lambda t: re.sub(r"required_disclosures = \[[^\]]*\]",
                                         'required_disclosures = "#iklan"', t),
     "content.required_disclosures", "a list"),
    ("a number for a text", lambda t: t.replace('name = "banking"', "name = 7"), "name",
     "text in quotes"),
    ("a missing required field", lambda t: t.replace(
        'key = "brand"\n', "", 1), "checklist[1].key", "key, en, id"),
    ("unknown weekday", lambda t: t.replace("monday = [", "funday = ["),
     "sla.business_hours.funday", "monday, tuesday"),
    ("hours written wrong", lambda t: t.replace('"08:00-17:00"', '"8-17"', 1),
     "sla.business_hours.monday", "HH:MM-HH:MM"),
    ("unknown priority", lambda t: t.replace("[sla.targets.low]", "[sla.targets.lowest]"),
     "sla.targets", "a target for each of urgent, high, normal, low"),
    ("unknown platform", lambda t: t.replace("[sla.platform_targets.x.normal]",
                                             "[sla.platform_targets.myspace.normal]").replace(
        "[sla.platform_targets.x.low]", "[sla.platform_targets.myspace.low]"),
     "sla.platform_targets.myspace", "instagram"),
    ("score out of range", lambda t: t.replace("[lexicon.terms]", '[lexicon.terms]\nbasi = -9'),
     "lexicon.terms.basi", "-3 to 3"),
    ("unknown watchlist category", lambda t: t.replace("[watchlist.terms]",
                                                       '[watchlist.terms]\nhalal = ["babi"]'),
     "watchlist.terms.halal", "sara, legal_threat, data_leak"),
    ("a placeholder that is not a name", lambda t: t.replace(
        "Hi {name}, thanks for asking.", "Hi {0}, thanks for asking."),
     "reply_templates.question.en", "plain names"),
    ("a required template missing", lambda t: re.sub(
        r"\[reply_templates\.complaint_ack\]\nid = .*\nen = .*\n", "", t),
     "reply_templates", "complaint_ack"),
    ("duplicate checklist key", lambda t: t.replace('key = "language"', 'key = "brand"'),
     "checklist[2].key", "each key once"),
    ("no disclosure markers", lambda t: re.sub(r"required_disclosures = \[[^\]]*\]",
                                               "required_disclosures = []", t),
     "content.required_disclosures", "#iklan"),
]


@pytest.mark.parametrize("kind, change, field, allowed", BAD_FILES,
                         ids=[row[0] for row in BAD_FILES])
def test_a_bad_file_is_one_line_and_nothing_is_applied(
        store: Socmed, tmp_path: Path, kind: str, change: object, field: str | None,
        allowed: str | None) -> None:
    path = tmp_path / "bad.toml"
    changed = change(BASE.replace('name = "banking"', 'name = "tea"', 1)  # type: ignore[operator]
                     if kind != "a number for a text" else BASE)
    assert changed != BASE or kind == "a number for a text"
    path.write_text(changed)
    before = event_count(Path(str(store.data_dir)))
    line = assert_one_line_error(store("--as", "rina.mm", "config", "apply", str(path)))
    assert str(path) in line, line
    if field is not None:
        assert f": {field}: " in line, line
        assert "allowed: " in line and allowed in line.split("allowed: ", 1)[1], line
        assert line.endswith("nothing was applied"), line
    assert event_count(Path(str(store.data_dir))) == before
    assert store.json("config", "show")["version"] == 0
    # and in Indonesian
    line_id = assert_one_line_error(store("--lang", "id", "--as", "rina.mm", "config", "apply",
                                          str(path)), prefix="galat: ")
    assert str(path) in line_id


def test_init_with_a_pack(tmp_path: Path) -> None:
    run = Socmed(tmp_path / "tea")
    out = run.ok("init", "--org", "PT Teh Nusantara", "--manager", "rina.mm", "--name", "Rina",
                 "--pack", "food").stdout
    assert "Configuration version 1 (food)" in out
    shown = run.json("config", "show")
    assert (shown["applied_by"], shown["source"]) == ("rina.mm", "pack food")
    bank = Socmed(tmp_path / "bank")
    out = bank.ok("init", "--org", "PT Bank", "--manager", "rina.mm", "--name", "Rina",
                  "--pack", "banking").stdout
    assert "built-in default and already in force" in out
    assert bank.json("config", "show")["version"] == 0


def test_strategy_export_round_trips_and_the_manager_drafts(store: Socmed,
                                                             tmp_path: Path) -> None:
    store.ok("--as", "rina.mm", "strategy", "draft", "--file", str(EXAMPLE_STRATEGY))
    store.ok("--as", "rina.mm", "strategy", "submit")
    store.ok("--as", "rina.mm", "strategy", "approve", "--version", "1")
    exported = tmp_path / "strategy.toml"
    out = store.ok("strategy", "export", "--output", str(exported)).stdout
    assert "version 1" in out
    assert read_strategy_file(exported) == read_strategy_file(EXAMPLE_STRATEGY)
    assert exported.read_text() == store.ok("strategy", "export").stdout
    # the Marketing Manager revises from the export; the revision is the edited plan
    exported.write_text(exported.read_text().replace("Strategi Media Sosial 2027",
                                                     "Strategi Media Sosial 2028"))
    store.ok("--as", "rina.mm", "strategy", "revise", "--file", str(exported),
             "--reason", "2028 goals")
    revised = tmp_path / "revised.toml"
    store.ok("strategy", "export", "--version", "2", "--output", str(revised))
    assert read_strategy_file(revised).title == "Strategi Media Sosial 2028"
    assert "2027" in store.ok("strategy", "export").stdout  # version 1 is still in force


@pytest.mark.slow
@pytest.mark.parametrize("pack", PACKS)
def test_the_demo_month_runs_under_each_pack(tmp_path: Path, pack: str) -> None:
    run = Socmed(tmp_path / "store")
    result = run.ok("demo", "--pack", pack, "--quiet")
    assert re.search(r"published (\d+) posts on 5 platforms", result.stdout), result.stdout
    config = read_pack(pack)
    shown = run.json("config", "show")
    assert shown["configuration"]["name"] == pack
    # version 1: the pack with the demo's approval routes (sponsored posts through Legal)
    assert shown["version"] == 1
    assert shown["configuration"]["approval_routes"]["routes"][0]["name"] == "sponsored"
    log = run.json("--as", "sari.legal", "audit", "log")
    # stage 2: every passed review confirmed exactly the pack's checklist
    reviews = [e for e in log if e["event"] == "Reviewed"]
    assert reviews
    items = run.json("content", "list")
    passed = 0
    for item in items:
        detail = json.loads(run.ok("content", "show", item["id"], "--format",
                                   "json").stdout)
        review = detail.get("review")
        if review and review["passed"]:
            assert tuple(review["confirmed"]) == tuple(sorted(config.checklist_keys))
            passed += 1
    assert passed > 0
    # stages 4 and 6, read from the store: every message was read with the pack's
    # watchlist, every templated reply is the pack's text, the holding statement the pack's
    from socmed_adapters.bootstrap import bootstrap
    from socmed_domain.monitoring.vault import reveal

    services = bootstrap(tmp_path / "store")
    try:
        app = services.app
        ids = [app.inbox.resolve_conversation(row["id"])
               for row in run.json("inbox", "list", "--all")]
        assert ids
        openings = {key: {t.split("{name}")[0] for t in (template.id, template.en)}
                    for key, template in config.reply_templates.items()}
        replies = 0
        for cid in ids:
            view = app.inbox.get_conversation(cid)
            for message in view.messages:
                assert message.assessment.watchlist_version == config.watchlist.version
            for reply in view.replies:
                text = reveal(app.inbox.vault, reply.text)
                if text.startswith(("Halo Kak", "Terima kasih banyak, Kak")):
                    assert any(text.startswith(prefix) for prefixes in openings.values()
                               for prefix in prefixes), text
                    replies += 1
        assert replies > 0
        complaint = config.reply_templates["complaint_ack"].id.split("{channel}")[0]
        complaint_tail = complaint.split("{name}, ", 1)[1]
        assert any(complaint_tail in reveal(app.inbox.vault, r.text)
                   for cid in ids for r in app.inbox.get_conversation(cid).replies)
    finally:
        services.close()
    holding = config.crisis_templates["complaint_wave.holding_statement"].id.format(
        brand="Bank Digital Nusantara", topic="transfer antarbank", hours=2,
        channel="DM @banknusa atau 1500-123")
    incident = run.json("--as", "rina.mm", "incident", "list")[0]["id"]
    assert holding in run.ok("--as", "rina.mm", "incident", "report", incident).stdout
