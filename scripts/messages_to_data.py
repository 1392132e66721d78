#!/usr/bin/env python3
"""Turn a Python catalogue module (``messages.py`` with dict literals) into its TOML data file.

The one message catalogue keeps its texts in TOML files beside the modules that own them
(``socmed_domain.catalogue_files``). A branch that added a ``messages.py`` in the old shape

    MESSAGES = {"error.x": {"en": "...", "id": "..."}, ...}
    TERMS_ID = {"an action": "sebuah tindakan", ...}

works as it is (the catalogue reads ``MESSAGES`` and ``TERMS_ID`` however they were made);
run this on it after merging to move the data out of the Python source:

    python scripts/messages_to_data.py src/socmed_web/messages.py

It writes ``src/socmed_web/messages.toml`` (comments kept, order kept, checked by reading the
file back) and, when the module holds nothing but ``MESSAGES``/``TERMS_ID`` data, rewrites it
into a loader of that file, so nothing that imports it changes. A module that holds anything
else (code, other names) gets only the data file (``--data-only`` forces that): point its
loader at the file by hand (``load(__name__)``). Needs only the standard library.

Which dict becomes which table: ``{code: {"en", "id"}}`` dicts become ``[messages."code"]``
tables; a flat ``{str: str}`` dict named ``*TERMS_ID`` becomes ``[terms_id]``, any other flat
dict the table of its lower-cased name (``HEADERS_ID`` -> ``[headers_id]``). Several dicts
of one kind in one module (``_CORE_MESSAGES`` and ``_INPUT_MESSAGES``) become one table.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
import tomllib
from pathlib import Path

STUB = '''"""{summary}

The texts are data: ``{toml}`` beside this module, read by
``socmed_domain.catalogue_files.load`` (made by scripts/messages_to_data.py).
"""

from socmed_domain.catalogue_files import load

MESSAGES = load(__name__).messages
TERMS_ID = load(__name__).terms_id
'''


def _string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def _key(text: str) -> str:
    bare = text.replace("_", "").replace("-", "").isascii() and \
        text.replace("_", "").replace("-", "").isalnum()
    return text if bare else _string(text)


def _comments(lines: list[str], first: int, last: int) -> list[str]:
    """The whole-line comments among source lines `first`..`last` (1-based, inclusive)."""
    found = []
    for line in lines[first - 1:last]:
        stripped = line.strip()
        if stripped.startswith("#"):
            found.append("# " + stripped.lstrip("#:").strip())
    return found


def _doc_comments(lines: list[str], lineno: int) -> list[str]:
    """The comment block right above the line `lineno` (``#:`` notes on an assignment)."""
    first = lineno
    while first > 1 and lines[first - 2].strip().startswith("#"):
        first -= 1
    return _comments(lines, first, lineno - 1)


class Module:
    """The catalogue dicts of one module, with the comments around their entries."""

    def __init__(self, path: Path, only: set[str] | None = None) -> None:
        self.path = path
        self.only = only
        source = path.read_text(encoding="utf-8")
        self.lines = source.splitlines()
        self.tree = ast.parse(source, filename=str(path))
        self.docstring = ast.get_docstring(self.tree) or ""
        #: messages: code -> (comments, {"en", "id"}); tables: name -> [(comments, key, value)]
        self.messages: dict[str, tuple[list[str], dict[str, str]]] = {}
        self.tables: dict[str, list[tuple[list[str], str, str]]] = {}
        self.names: list[str] = []
        self.other: list[str] = []
        for node in self.tree.body:
            self._statement(node)

    def _statement(self, node: ast.stmt) -> None:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                and isinstance(node.value.value, str):
            return  # the docstring
        if isinstance(node, ast.Import | ast.ImportFrom):
            return  # imports of a data module serve its annotations; the loader needs none
        target, value = None, None
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            target, value = node.targets[0].id, node.value
        if target is None or not isinstance(value, ast.Dict):
            self.other.append(ast.unparse(node).splitlines()[0])
            return
        try:
            data = ast.literal_eval(value)
        except ValueError:
            self.other.append(target)
            return
        kind = self._kind(data)
        if kind is None or (self.only is not None and target not in self.only):
            self.other.append(target)
            return
        self.names.append(target)
        heading = _doc_comments(self.lines, node.lineno)
        previous = value.lineno
        for key_node, value_node in zip(value.keys, value.values, strict=True):
            assert key_node is not None
            comments = heading + _comments(self.lines, previous + 1, key_node.lineno - 1)
            heading = []
            previous = value_node.end_lineno or key_node.lineno
            key, entry = ast.literal_eval(key_node), ast.literal_eval(value_node)
            if kind == "messages":
                if key in self.messages:
                    raise SystemExit(f"{self.path}: message {key} is defined twice")
                self.messages[key] = (comments, entry)
            else:
                table = "terms_id" if target.endswith("TERMS_ID") else target.strip("_").lower()
                self.tables.setdefault(table, []).append((comments, key, entry))

    @staticmethod
    def _kind(data: object) -> str | None:
        if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
            return None
        if all(isinstance(value, dict) and set(value) == {"en", "id"}
               and all(isinstance(text, str) for text in value.values())
               for value in data.values()):
            return "messages"
        if all(isinstance(value, str) for value in data.values()):
            return "table"
        return None

    def toml(self) -> str:
        summary = self.docstring.split("\n\n")[0]
        out = [f"# {line}".rstrip() for line in summary.splitlines()]
        out += ["#", f"# Made from the dicts of {self.path.name} by scripts/messages_to_data.py;",
                "# edit this file. Each [messages.\"<code>\"] has an 'en' and an 'id' template.",
                ""]
        for code, (comments, texts) in self.messages.items():
            out += [*comments, f"[messages.{_string(code)}]",
                    f"en = {_string(texts['en'])}", f"id = {_string(texts['id'])}", ""]
        for table, entries in self.tables.items():
            out.append(f"[{table}]")
            for comments, key, text in entries:
                out += [*comments, f"{_key(key)} = {_string(text)}"]
            out.append("")
        return "\n".join(out).rstrip("\n") + "\n"

    def check(self, text: str) -> None:
        """Read the TOML back: the same codes, texts and terms, in the same order."""
        data = tomllib.loads(text)
        expected: dict[str, object] = {}
        if self.messages:
            expected["messages"] = {code: texts for code, (_, texts) in self.messages.items()}
        for table, entries in self.tables.items():
            expected[table] = {key: value for _, key, value in entries}
        order = list(self.messages)
        if data != expected or list(data.get("messages", {})) != order:
            raise SystemExit(f"{self.path}: the TOML does not read back as the dicts")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="+", type=Path, help="messages.py files to convert")
    parser.add_argument("--data-only", action="store_true",
                        help="write the TOML file only; leave the module as it is")
    parser.add_argument("--names", help="convert only these dicts (comma-separated names)")
    args = parser.parse_args(argv)
    for path in args.modules:
        module = Module(path, set(args.names.split(",")) if args.names else None)
        if not module.names:
            print(f"{path}: no catalogue dict found; nothing written", file=sys.stderr)
            return 1
        text = module.toml()
        module.check(text)
        target = path.with_suffix(".toml")
        target.write_text(text, encoding="utf-8")
        print(f"{target}: " + ", ".join([f"{len(module.messages)} messages", *(
            f"{len(entries)} {name}" for name, entries in module.tables.items())]))
        plain = not module.other and set(module.names) <= {"MESSAGES", "TERMS_ID"}
        if plain and not args.data_only:
            summary = module.docstring.split("\n\n")[0].strip() or \
                f"The catalogue data of {path.stem}."
            path.write_text(STUB.format(summary=summary, toml=target.name), encoding="utf-8")
            print(f"{path}: now loads {target.name}")
        elif not args.data_only:
            print(f"{path}: holds more than MESSAGES/TERMS_ID ({', '.join(module.other)}"
                  f"{', ' if module.other else ''}{', '.join(module.names)}): left as it is; "
                  f"read the file with socmed_domain.catalogue_files.load(__name__)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
