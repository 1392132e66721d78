"""The worked examples in docs/*.md are run, so the documentation stays true.

Every ```console block of a document is a transcript: a line starting with "$ " is a command,
the lines after it (up to the next "$ " line or the end of the block) are what it prints.
All the blocks of one document run in order against one fresh store (a temporary
$SOCMED_HOME), through the real `socmed` click command in this process.

Conventions (also explained to readers at the top of docs/user-guide.en.md):

- `...` on a line of its own stands for any number of output lines. Without it, the expected
  lines must be the whole output, line for line; with it, the expected runs between the `...`
  lines must each appear, in order, as consecutive lines. Runs of spaces count as one space
  (so a table's column widths may change with the data), and trailing spaces are ignored.
- `<NAME>` (upper-case letters, digits and `_`) in an expected line captures the text printed
  at that place (up to the next space) the first time it is met; afterwards, in commands and
  expected lines, it stands for that text. `<NAME:N>` stands for its first N characters, e.g.
  `<ITEM:8>` for the short id shown in tables.
- A command ending in `\\` continues on the next line.
- Expected output containing a line that starts with `error:` or `galat:` means the command
  must fail (non-zero exit); otherwise it must succeed. `$ echo $?` prints the exit status of
  the previous command; `$ export NAME=value` sets an environment variable for the rest of the
  document.
- Outside the blocks, `<!-- doc-clock: 2026-12-01 09:00 WIB -->` sets the clock that the
  store uses (injected through the composition root, `bootstrap(clock=...)`, as DESIGN.md asks);
  each command then runs one minute after the previous one. A document without the comment
  starts at 2026-12-01 09:00 WIB.
- `<!-- doc-publisher: lose-answer "TITLE" -->` makes the (sandbox) publisher lose the platform's
  answer once for the post with that title, as a network timeout does, so the 'unknown'
  outcome and its reconciliation can be shown.

Run this file directly to print what the commands of a document actually print now (to update
a document after a deliberate change of output):

    .venv/bin/python tests/docs/test_docs_examples.py docs/user-guide.en.md
"""

from __future__ import annotations

import importlib
import re
import shlex
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from attrs import define, field

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
START = "2026-12-01 09:00 WIB"
STEP = timedelta(minutes=1)

CLOCK_RE = re.compile(r"<!--\s*doc-clock:\s*(.+?)\s*-->")
LOSE_RE = re.compile(r'<!--\s*doc-publisher:\s*lose-answer\s+"([^"]+)"\s*-->')
MEDIA_RE = re.compile(r"<!--\s*doc-media:\s*(\S+\s+\d+x\d+)\s*-->")
PLACEHOLDER_RE = re.compile(r"<([A-Z][A-Z0-9_]*)(?::(\d+))?>")
ERROR_PREFIXES = ("error:", "galat:")
ENV_CLEARED = ("SOCMED_USER", "SOCMED_LANG", "SOCMED_TZ", "SOCMED_DATABASE_URL",
               "SOCMED_AUDIT_KEY", "SOCMED_DEBUG", "LC_ALL", "LC_MESSAGES", "FORCE_COLOR",
               "TTY_COMPATIBLE", "TTY_INTERACTIVE", "COLUMNS")


# ------------------------------------------------------------------ parsing


@define
class Command:
    line: int  # 1-based line of the "$ " line in the document
    text: str
    expected: list[str] = field(factory=list)
    end: int = 0  # last line of the command itself (continuation lines included)


@define
class Directive:
    line: int
    kind: str  # "clock" | "lose-answer" | "media"
    value: str


Step = Command | Directive


def parse(path: Path) -> list[Step]:
    """The document's commands and directives, in document order."""
    steps: list[Step] = []
    in_console = in_other_fence = False
    current: Command | None = None
    continuing = False
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        stripped = raw.strip()
        if in_console:
            if stripped == "```":
                in_console, current, continuing = False, None, False
                continue
            if continuing and current is not None:
                current.text = current.text[:-1].rstrip() + " " + stripped.removeprefix("> ")
                current.end = number
                continuing = current.text.endswith("\\")
                continue
            if raw.startswith("$ "):
                current = Command(number, raw[2:].strip(), end=number)
                steps.append(current)
                continuing = current.text.endswith("\\")
                continue
            if current is None:
                raise AssertionError(f"{path.name}:{number}: console block must start with '$ '")
            current.expected.append(raw.rstrip())
            continue
        if stripped.startswith("```"):
            if in_other_fence:
                in_other_fence = False
            elif stripped == "```console":
                in_console = True
            else:
                in_other_fence = True
            continue
        if in_other_fence:
            continue
        for match in CLOCK_RE.finditer(raw):
            steps.append(Directive(number, "clock", match.group(1)))
        for match in LOSE_RE.finditer(raw):
            steps.append(Directive(number, "lose-answer", match.group(1)))
        for match in MEDIA_RE.finditer(raw):
            steps.append(Directive(number, "media", match.group(1)))
    assert not in_console, f"{path.name}: unclosed ```console block"
    return steps


# ----------------------------------------------------------------- matching


def substitute(text: str, bound: dict[str, str], where: str) -> str:
    def one(match: re.Match[str]) -> str:
        name, length = match.group(1), match.group(2)
        if name not in bound:
            raise AssertionError(f"{where}: placeholder <{name}> is used before it is captured")
        value = bound[name]
        return value[: int(length)] if length else value

    return PLACEHOLDER_RE.sub(one, text)


def squeeze(line: str) -> str:
    """Runs of spaces count as one: table column widths may change with the data."""
    return " ".join(line.split())


def line_pattern(expected: str, bound: dict[str, str]) -> tuple[re.Pattern[str], list[str]]:
    """A regex for one expected line; unbound placeholders become capture groups."""
    expected = squeeze(expected)
    parts: list[str] = []
    captures: list[str] = []
    position = 0
    for match in PLACEHOLDER_RE.finditer(expected):
        parts.append(re.escape(expected[position:match.start()]))
        name, length = match.group(1), match.group(2)
        if name in bound:
            value = bound[name]
            parts.append(re.escape(value[: int(length)] if length else value))
        elif name in captures:
            parts.append(f"(?P={name})")
        else:
            if length:
                raise AssertionError(f"<{name}:{length}> used before <{name}> is captured")
            parts.append(f"(?P<{name}>\\S+)")
            captures.append(name)
        position = match.end()
    parts.append(re.escape(expected[position:]))
    return re.compile("".join(parts)), captures


def segments(expected: list[str]) -> tuple[list[list[str]], bool, bool]:
    """Split on '...' lines: (runs, anchored at start, anchored at end)."""
    runs: list[list[str]] = [[]]
    for line in expected:
        if line.strip() == "...":
            runs.append([])
        else:
            runs[-1].append(line.rstrip())
    anchored_start = not expected or expected[0].strip() != "..."
    anchored_end = not expected or expected[-1].strip() != "..."
    return [r for r in runs if r], anchored_start, anchored_end


def match_output(expected: list[str], output: str, bound: dict[str, str]) -> str | None:
    """Check `output` against `expected`, binding captures; None if it matches, else why."""
    actual = [squeeze(line) for line in output.splitlines()]
    while actual and not actual[-1]:
        actual.pop()
    runs, anchored_start, anchored_end = segments(expected)
    if not runs:
        return None if not actual or not anchored_start else "expected no output"
    position = 0
    for index, run in enumerate(runs):
        first, last = index == 0, index == len(runs) - 1
        starts = [0] if first and anchored_start else range(position, len(actual) - len(run) + 1)
        for start in starts:
            captured = _match_run(run, actual[start:start + len(run)], bound)
            if captured is None:
                continue
            end = start + len(run)
            if last and anchored_end and end != len(actual):
                continue
            bound.update(captured)
            position = end
            break
        else:
            return "these expected lines were not found in order:\n  " + "\n  ".join(run)
    return None


def _match_run(run: list[str], lines: list[str], bound: dict[str, str]) -> dict[str, str] | None:
    if len(lines) != len(run):
        return None
    captured: dict[str, str] = {}
    for expected, line in zip(run, lines, strict=True):
        pattern, _ = line_pattern(expected, {**bound, **captured})
        found = pattern.fullmatch(line)
        if found is None:
            return None
        captured.update({k: v for k, v in found.groupdict().items() if v is not None})
    return captured


# ------------------------------------------------------------------ running


class DocSession:
    """One document's store, clock, environment and captured placeholders."""

    def __init__(self, store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        from click.testing import CliRunner

        from socmed_adapters.clock import ManualClock
        from socmed_domain.timezones import parse_time

        self.store = store
        self.parse_time = parse_time
        self.clock = ManualClock(parse_time(START))
        self.lose_answer_for: str | None = None
        self.flaky: Any = None  # the publisher that is to lose an answer, once it exists
        self.bound: dict[str, str] = {}
        self.last_status = 0
        self.runner = CliRunner()
        self.env: dict[str, str | None] = {name: None for name in ENV_CLEARED}
        self.env.update({"SOCMED_HOME": str(store), "LANG": "en_US.UTF-8", "NO_COLOR": "1",
                         # the OS user the CLI records as via=local-cli:<user> (getpass)
                         "LOGNAME": "ops", "USER": "ops", "LNAME": None, "USERNAME": None})
        # The module, not the package attribute of the same name (the function).
        composition = importlib.import_module("socmed_adapters.bootstrap")
        original = composition.bootstrap

        def bootstrap(*args: Any, **kwargs: Any) -> Any:
            """The real composition root, with the document's clock (and publisher)."""
            if "clock" in kwargs:  # `socmed demo` brings its own clock: leave it
                return original(*args, **kwargs)
            kwargs["clock"] = self.clock
            if self.lose_answer_for and kwargs.get("publisher") is None:
                kwargs["publisher"] = self._losing_publisher(args, kwargs)
            return original(*args, **kwargs)

        monkeypatch.setattr(composition, "bootstrap", bootstrap)

    def _losing_publisher(self, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        from socmed_adapters.datadir import OUTBOX_DIR
        from socmed_adapters.sandbox_publisher import SandboxPublisher
        from socmed_demo.month import FlakyOncePublisher

        given = args[0] if args else kwargs.get("data_dir")
        data_dir = Path(given) if given else self.store
        assert self.lose_answer_for is not None
        self.flaky = FlakyOncePublisher(SandboxPublisher(data_dir / OUTBOX_DIR, self.clock),
                                        lose_answer_for=self.lose_answer_for)
        return self.flaky

    def apply(self, directive: Directive) -> None:
        if directive.kind == "clock":
            self.clock.set(self.parse_time(directive.value))
        elif directive.kind == "media":
            # `<!-- doc-media: promo.jpg 1080x1350 -->`: the JPEG an example's --media names,
            # made in the document's working folder (media are read from their bytes).
            from socmed_testing.samples import image_bytes

            name, size = directive.value.split()
            width, height = (int(n) for n in size.split("x"))
            Path(name).write_bytes(image_bytes(width, height))
        else:
            self.lose_answer_for = directive.value

    def run(self, command: Command, where: str) -> tuple[str, int]:
        """Run one command; returns what it printed and its exit status."""
        text = substitute(command.text, self.bound, where)
        words = shlex.split(text)
        if words == ["echo", "$?"]:
            return f"{self.last_status}\n", 0
        if words and words[0] == "export":
            for assignment in words[1:]:
                name, _, value = assignment.partition("=")
                self.env[name] = value
            return "", 0
        if not words or words[0] != "socmed":
            raise AssertionError(f"{where}: only socmed, export and 'echo $?' can be run: {text}")
        from socmed_cli.main import cli

        result = self.runner.invoke(cli, words[1:], env=self.env, prog_name="socmed",
                                    catch_exceptions=False)
        self.clock.advance(minutes=STEP.total_seconds() / 60)
        if self.flaky is not None and self.flaky.lost:  # lost once: answers come back again
            self.lose_answer_for, self.flaky = None, None
        self.last_status = result.exit_code
        return result.output, result.exit_code

    def check(self, command: Command, where: str) -> None:
        output, status = self.run(command, where)
        expects_error = any(line.startswith(ERROR_PREFIXES) for line in command.expected)
        if expects_error and status == 0:
            raise AssertionError(f"{where}: `{command.text}` should fail but exit 0:\n{output}")
        if not expects_error and status != 0:
            raise AssertionError(f"{where}: `{command.text}` failed (exit {status}):\n{output}")
        problem = match_output(command.expected, output, self.bound)
        if problem:
            raise AssertionError(f"{where}: `{command.text}`: {problem}\n--- it printed:\n"
                                 f"{output}")


def _with_examples(folder: Path) -> None:
    """Examples run as if from the repository root: docs/examples/ is where they say."""
    import shutil

    shutil.copytree(DOCS / "examples", folder / "docs" / "examples")


def documents() -> list[Path]:
    return sorted(p for p in DOCS.glob("*.md") if "```console" in p.read_text("utf-8"))


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.name)
def test_console_examples(doc: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # relative paths in examples (audit export --out) land here
    _with_examples(tmp_path)
    session = DocSession(tmp_path / "store", monkeypatch)
    commands = 0
    for step in parse(doc):
        if isinstance(step, Directive):
            session.apply(step)
            continue
        session.check(step, f"{doc.relative_to(ROOT)}:{step.line}")
        commands += 1
    assert commands, f"{doc.name} has console blocks but no commands"


def test_every_guide_has_examples() -> None:
    names = {p.name for p in documents()}
    assert {"user-guide.en.md", "user-guide.id.md", "audit-guide.md",
            "crisis-guide.id.md"} <= names


def test_matcher_conventions() -> None:
    bound: dict[str, str] = {}
    assert match_output(["Created content <ID> (draft)."],
                        "Created content 0123abcd-0000 (draft).\n", bound) is None
    assert bound == {"ID": "0123abcd-0000"}
    assert match_output(["│ <ID:8>   │ x  │"], "│ 0123abcd │ x │\n", bound) is None
    assert match_output(["│ <ID:4> │"], "│ 0124 │\n", bound) is not None
    assert match_output(["a", "...", "c"], "a\nb\nc\n", {}) is None
    assert match_output(["a", "c"], "a\nb\nc\n", {}) is not None
    assert match_output(["...", "b", "..."], "a\nb\nc\n", {}) is None
    assert match_output(["b"], "a\nb\n", {}) is not None


# ---------------------------------------------------------------- recording


def record(doc: Path) -> Iterator[str]:  # pragma: no cover - a maintainer's tool
    """Print every command of `doc` with what it prints now (captures still apply)."""
    import tempfile

    doc = doc.resolve()  # before the chdir below: a relative path would no longer resolve
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp)
        _with_examples(Path(tmp))
        session = DocSession(Path(tmp) / "store", patch)
        for step in parse(doc):
            if isinstance(step, Directive):
                session.apply(step)
                yield f"<!-- {step.kind}: {step.value} -->"
                continue
            where = f"{doc.name}:{step.line}"
            output, _ = session.run(step, where)
            match_output(step.expected, output, session.bound)  # to bind captures
            yield f"$ {step.text}"
            yield output.rstrip("\n")


def main(argv: list[str]) -> None:  # pragma: no cover
    emit: Callable[[str], None] = print
    for name in argv or [str(p) for p in documents()]:
        for chunk in record(Path(name)):
            emit(chunk)


if __name__ == "__main__":  # pragma: no cover
    sys.path.insert(0, str(ROOT / "src"))
    main(sys.argv[1:])
