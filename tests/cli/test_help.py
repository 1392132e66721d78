"""The CLI's help is complete: every group and command of the whole tree (the lazily loaded
groups of socmed_cli/main.py included) has a help text with an example that runs that very
command and that click accepts; `socmed --help` shows each command's own first sentence;
option choices come from the domain's enums; listing the commands imports no domain code."""

from __future__ import annotations

import inspect
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from socmed_cli.choices import EnumChoice
from socmed_cli.lazy import HELP
from socmed_cli.main import COMMANDS, cli
from tests.cli.helpers import Socmed

ROOT = Path(__file__).parents[2]
#: Options of the root group an example may give before the command.
GLOBAL_OPTIONS = {"--as", "--lang", "--data-dir", "--database-url", "--tz"}


def _tree(command: click.Command, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...],
                                                                           click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        context = click.Context(command)
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, f"{' '.join((*path, name))} is listed but does not load"
            yield from _tree(sub, (*path, name))


TREE = dict(_tree(cli, ()))


def _examples(help_text: str) -> list[str]:
    """The command lines under 'Example:' / 'Examples:', continuation lines joined."""
    lines = inspect.cleandoc(help_text).splitlines()
    found: list[str] = []
    for index, line in enumerate(lines):
        if line.strip() not in ("Example:", "Examples:"):
            continue
        current = ""
        for follow in lines[index + 1:]:
            if not follow.startswith("  "):
                break
            text = follow.strip()
            current = f"{current} {text.rstrip(chr(92)).strip()}".strip()
            if not text.endswith("\\"):
                found.append(current)
                current = ""
    return found


def _words_after_globals(example: str) -> list[str]:
    words = shlex.split(example, comments=True)
    for stop in (">", "|", "<"):  # shell redirections are the shell's, not socmed's
        if stop in words:
            words = words[:words.index(stop)]
    assert words[0] == "socmed", example
    index = 1
    while index < len(words) and words[index] in GLOBAL_OPTIONS:
        index += 2
    return words[index:]


def test_the_tree_is_walked_whole() -> None:
    assert set(COMMANDS) <= {path[0] for path in TREE if path}
    assert len(TREE) > 100  # every group and command, not just the root


@pytest.mark.parametrize("path", sorted(TREE), ids=lambda p: " ".join(p) or "socmed")
def test_every_group_and_command_has_help_with_an_example(path: tuple[str, ...]) -> None:
    command = TREE[path]
    name = " ".join(("socmed", *path))
    help_text = command.help or ""
    assert help_text.strip(), f"{name} has no help"
    assert command.get_short_help_str(200).strip(), f"{name} has no one-line help"
    runs = [e for e in _examples(help_text) if e.startswith("socmed")]
    assert runs, f"{name}: its help has no 'Example:' with a socmed command line"
    for example in runs:
        words = _words_after_globals(example)
        assert tuple(words[:len(path)]) == path, f"{name}: the example runs {example!r}"


@pytest.mark.parametrize("path", sorted(p for p, c in TREE.items()
                                        if not isinstance(c, click.Group)),
                         ids=" ".join)
def test_every_example_is_accepted_by_the_command(path: tuple[str, ...],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """click parses each example of a command (options, choices, required values): only
    whether a named file exists is not asked, the example's files being illustrations."""
    command = TREE[path]
    for param in command.params:
        if isinstance(param.type, click.Path):
            monkeypatch.setattr(param.type, "exists", False)
    for example in _examples(command.help or ""):
        if not example.startswith("socmed"):
            continue
        arguments = _words_after_globals(example)[len(path):]
        try:
            command.make_context(path[-1], list(arguments), parent=click.Context(cli))
        except click.ClickException as error:
            pytest.fail(f"socmed {' '.join(path)}: {example!r} is refused: "
                        f"{error.format_message()}")


def test_the_command_list_shows_each_command_s_own_first_sentence() -> None:
    """`socmed --help` reads the lazy table (so it imports no command); the table must say
    what each command's docstring says."""
    context = click.Context(cli)
    assert set(HELP) == set(COMMANDS)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command is not None
        assert HELP[name] == command.get_short_help_str(200), name


def test_socmed_help_lists_every_command_with_its_help(tmp_path: Path) -> None:
    result = Socmed(tmp_path).ok("--help")
    listing = result.stdout.split("Commands:", 1)[1]
    shown = {line.split()[0]: line for line in listing.splitlines() if line.startswith("  ")
             and not line.startswith("   ")}
    assert set(shown) == set(COMMANDS)
    for name, line in shown.items():
        assert line.split(maxsplit=1)[1:], f"socmed --help shows no help for {name}"


def test_choices_come_from_the_domain_enums() -> None:
    """Every choice option that names a domain concept reads it from the domain's enum: its
    values are exactly the enum's (a copy would drift when the enum changes)."""
    from socmed_domain.crisis.incident import (
        EscalationTarget,
        IncidentCategory,
        PdpRecipient,
        ResponseKind,
    )
    from socmed_domain.monitoring.conversation import ConversationStatus
    from socmed_domain.monitoring.interaction import Tag
    from socmed_domain.monitoring.sentiment import Polarity
    from socmed_domain.monitoring.sla import Priority
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import ContentType
    from socmed_domain.roles import Role

    def values(enum: type) -> set[str]:
        return {member.value for member in enum}  # type: ignore[attr-defined]

    expected = {
        ("team", "add", "role"): values(Role), ("team", "set-role", "role"): values(Role),
        ("content", "create", "content_type"): values(ContentType),
        ("content", "revise", "content_type"): values(ContentType),
        ("inbox", "list", "statuses"): values(ConversationStatus),
        ("inbox", "list", "tag"): values(Tag), ("inbox", "tag", "tags"): values(Tag),
        ("inbox", "list", "priority"): values(Priority),
        ("inbox", "tag", "priority"): values(Priority),
        ("inbox", "list", "sentiment"): values(Polarity),
        ("inbox", "webhook", "platform"): values(Platform) | {"meta"},
        ("incident", "open", "category"): values(IncidentCategory),
        ("incident", "escalate", "target"): values(EscalationTarget),
        ("incident", "act", "kind"): values(ResponseKind),
        ("incident", "pdp-notice", "recipient"): values(PdpRecipient),
    }
    for (*path, param_name), wanted in expected.items():
        command = TREE[tuple(path)]
        param = next(p for p in command.params if p.name == param_name)
        assert isinstance(param.type, EnumChoice), (path, param_name)
        assert set(param.type.choices) == wanted, (path, param_name)
    copies = [(path, param.name) for path, command in TREE.items() for param in command.params
              if isinstance(param.type, click.Choice)
              and not isinstance(param.type, EnumChoice)
              and set(param.type.choices) & (values(Role) | values(Platform)
                                             | values(IncidentCategory) | values(Tag))]
    assert not copies, f"choices copied from a domain enum: {copies}"


def test_listing_the_commands_imports_no_domain_code() -> None:
    """`socmed --help` stays fast: it imports neither the domain nor the adapters (importing
    the domain package loads every aggregate, hundreds of milliseconds), and the lazy option
    choices do not make it."""
    probe = (
        "import contextlib, io, json, sys\n"
        "from socmed_cli.main import cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    cli.main(['--help'], prog_name='socmed', standalone_mode=False)\n"
        "print(json.dumps(sorted(m for m in sys.modules\n"
        "                        if m.startswith(('socmed_domain', 'socmed_adapters')))))\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            env=env, timeout=120, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
