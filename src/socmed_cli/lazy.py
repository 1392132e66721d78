"""A click group that imports a subcommand's module only when it runs: `socmed --help` and
every single command start fast because nothing else is imported."""

from __future__ import annotations

import importlib

import click


class LazyGroup(click.Group):
    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module_name, attribute = self.lazy[cmd_name]
            return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from a static table so --help does not import every command.
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


HELP = {
    "init": "Create the store and its first Marketing Manager.",
    "team": "Members and their SOP roles.",
    "content": "Draft, review, approve, schedule and inspect content (SOP stages 2-3).",
    "publish": "Publish what is due; settle unknown outcomes (SOP stage 3).",
    "audit": "Audit queries over the immutable event log (Legal).",
    "demo": "Run a realistic SOP month end to end into the store.",
    "projections": "Status, catch-up and rebuild of the SQL read models.",
    "inbox": "Comments, messages and mentions: ingest, triage, reply, close (SOP stage 4).",
    "privacy": "Erase an audience member's personal data (UU PDP; Legal).",
    "doctor": "Find stored times and numbers outside the documented bounds (read-only).",
}
